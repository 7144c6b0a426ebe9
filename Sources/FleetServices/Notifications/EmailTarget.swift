import Foundation
import Utilities

/// Where alert transitions are mailed (`--email smtp://HOST[:PORT],from=ADDR,to=ADDR[,to=ADDR…][,min=SEVERITY]`):
/// an SMTP server that relays for this host without authentication (a local MTA or relay: plain
/// SMTP, no TLS), the envelope sender, the recipients and the lowest severity wanted.
public struct EmailTarget: Sendable, Equatable {
    public let host: String
    public let port: Int
    public let from: String
    public let to: [String]
    public let minimumSeverity: WebhookTarget.Severity

    /// The most recipients of one target.
    public static let maximumRecipients = 50

    public init(
        host: String, port: Int = 25, from: String, to: [String], minimumSeverity: WebhookTarget.Severity = .info
    ) throws(WebhookTarget.ParseError) {
        guard !host.isEmpty, host.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" }) else {
            throw .init("the email server's host is empty or not a host name")
        }
        guard (1...65_535).contains(port) else { throw .init("the email server's port must be 1 to 65535") }
        guard Self.isAddress(from) else { throw .init("from= must be one email address (local@domain)") }
        guard !to.isEmpty else { throw .init("give at least one to= recipient") }
        guard to.count <= Self.maximumRecipients else {
            throw .init("at most \(Self.maximumRecipients) to= recipients per --email")
        }
        for address in to where !Self.isAddress(address) {
            throw .init("to=\(address) is not one email address (local@domain)")
        }
        self.host = host
        self.port = port
        self.from = from
        self.to = to
        self.minimumSeverity = minimumSeverity
    }

    /// Parses `smtp://HOST[:PORT],from=ADDR,to=ADDR[,to=ADDR…][,min=SEVERITY]` (port 25 by default).
    public init(parsing text: String) throws(WebhookTarget.ParseError) {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let server = parts.first, server.lowercased().hasPrefix("smtp://") else {
            throw .init("--email must start with smtp://HOST[:PORT] (then ,from=…,to=…[,min=SEVERITY])")
        }
        var authority = String(server.dropFirst("smtp://".count))
        if authority.hasSuffix("/") { authority.removeLast() }
        var host = authority
        var port = 25
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let p = Int(authority[authority.index(after: colon)...]) else {
                throw .init("the email server's port is not a number")
            }
            host = String(authority[..<colon])
            port = p
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var from: String?
        var to: [String] = []
        var minimum: WebhookTarget.Severity?
        for part in parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else {
                throw .init("unknown --email part '\(part)' (expected from=, to= or min=)")
            }
            let name = part[..<equals].lowercased()
            let value = String(part[part.index(after: equals)...])
            switch name {
            case "from":
                guard from == nil else { throw .init("--email option 'from' is given twice") }
                from = value
            case "to": to.append(value)
            case "min":
                guard minimum == nil else { throw .init("--email option 'min' is given twice") }
                guard let severity = WebhookTarget.Severity(name: value) else {
                    throw .init("unknown email severity '\(value)' in min= (expected info, warning or critical)")
                }
                minimum = severity
            default: throw .init("unknown --email option '\(name)' (expected from=, to= or min=)")
            }
        }
        guard let from else { throw .init("--email needs from=ADDRESS") }
        try self.init(host: host, port: port, from: from, to: to, minimumSeverity: minimum ?? .info)
    }

    /// One plain address `local@domain`: printable ASCII, no spaces, brackets or line breaks.
    static func isAddress(_ text: String) -> Bool {
        guard text.utf8.count <= 254, let at = text.lastIndex(of: "@"), at != text.startIndex,
            text.index(after: at) != text.endIndex
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.value > 0x20 && $0.value < 0x7F && !"<>,;\"()[]\\".unicodeScalars.contains($0)
        }
    }

    /// `host:port`, for logs.
    public var displayHost: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    public func accepts(severity: String) -> Bool {
        (WebhookTarget.Severity(name: severity) ?? .info) >= minimumSeverity
    }

    /// What identifies the target in its checkpoint key (server, sender and recipients).
    var identity: String { "smtp://\(displayHost) \(from) \(to.joined(separator: ","))" }
}

/// The plain-text message of one alert transition.
struct EmailMessage: Sendable {
    let subject: String
    let body: String

    /// `alert` is the API's alert object; `dashboard` the base URL of the dashboard, when known.
    init(_ message: WebhookMessage, dashboard: String?) {
        let alert = message.alert
        func text(_ key: String) -> String {
            switch alert[key] {
            case .string(let s)?: return s
            case .int(let i)?: return String(i)
            case .double(let d)?: return Rounding.fixed(d, places: 4)
            default: return "–"
            }
        }
        let severity = text("severity")
        subject = Self.oneLine("[\(severity)] \(text("message")) — \(message.transitionWords)")
        var lines: [String] = [text("message"), ""]
        lines.append("Alert #\(message.alertID): \(text("rule")) (\(severity)), \(message.transitionText)")
        lines.append("Agent: \(text("agent_name")) (#\(text("agent_id")))")
        var page = "#/agent/\(text("agent_id"))"
        switch alert["budget_scope"]?.stringValue {
        case "role":
            let role = text("budget_role")
            lines.append("Budget: role \(role)")
            page = "#/role/\(role.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? role)"
        case "fleet":
            lines.append("Budget: the fleet")
            page = "#/"
        default: break
        }
        lines.append(
            "Value: \(text("current_value")) (expected \(text("expected_value")), threshold \(text("threshold_value")))"
        )
        lines.append("Detected at: \(text("detected_at"))")
        lines.append("Status now: \(text("status"))")
        if let dashboard { lines.append("Dashboard: \(dashboard)/\(page)") }
        lines.append("")
        lines.append("-- metrics-service")
        body = lines.joined(separator: "\n")
    }

    /// A header value on one line, at most 200 characters.
    static func oneLine(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 200 ? String(flat.prefix(197)) + "..." : flat
    }

    /// The RFC 5322 message: headers (the subject RFC 2047-encoded when not ASCII), a blank line,
    /// the body with CRLF line ends and dot-stuffed for SMTP's DATA, ending in `CRLF.CRLF`.
    func data(from: String, to: [String], messageID: String, date: Date) -> [UInt8] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let encodedSubject =
            subject.allSatisfy(\.isASCII)
            ? subject : "=?utf-8?B?\(Data(subject.utf8).base64EncodedString())?="
        var lines = [
            "From: <\(from)>", "To: \(to.map { "<\($0)>" }.joined(separator: ", "))", "Subject: \(encodedSubject)",
            "Date: \(formatter.string(from: date))", "Message-ID: <\(messageID)>", "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
        ]
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(line.hasPrefix(".") ? "." + line : String(line))
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n.\r\n").utf8)
    }
}
