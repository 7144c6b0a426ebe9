import Foundation

/// Where alert transitions are POSTed (`--webhook URL[,min=SEVERITY]`): an http or https URL and
/// the lowest alert severity the target wants.
public struct WebhookTarget: Sendable, Equatable {
    /// Alert severities in increasing order: info < warning < critical.
    public enum Severity: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
        case info = 0
        case warning = 1
        case critical = 2

        /// The severity named `name` (`info`, `warning`, `critical`; case-insensitive).
        public init?(name: String) {
            switch name.lowercased() {
            case "info": self = .info
            case "warning": self = .warning
            case "critical": self = .critical
            default: return nil
            }
        }

        /// The name used by the API (`severity` of an alert).
        public var name: String {
            switch self {
            case .info: return "info"
            case .warning: return "warning"
            case .critical: return "critical"
            }
        }

        public var description: String { name }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Why a target was refused. The message never repeats the URL (it may carry a secret).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var message: String

        public init(_ message: String) {
            self.message = message
        }

        public var description: String { message }
    }

    public let url: URL
    public let minimumSeverity: Severity

    /// A target; `url` must be absolute http or https with a host.
    public init(url: URL, minimumSeverity: Severity = .info) throws(ParseError) {
        guard let scheme = url.scheme?.lowercased() else {
            throw ParseError("the webhook URL has no scheme (expected http:// or https://)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw ParseError("unsupported webhook URL scheme '\(scheme)' (expected http or https)")
        }
        guard let host = url.host, !host.isEmpty else {
            throw ParseError("the webhook URL has no host")
        }
        self.url = url
        self.minimumSeverity = minimumSeverity
    }

    /// Parses `URL` or `URL,min=SEVERITY` (SEVERITY: info, warning or critical; default info).
    /// Options are the trailing comma-separated `name=value` parts; a comma inside the URL itself
    /// must be percent-encoded (`%2C`) when what follows it looks like an option.
    public init(parsing text: String) throws(ParseError) {
        var parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var minimum: Severity?
        while parts.count > 1, let option = Self.option(parts[parts.count - 1]) {
            switch option.name {
            case "min":
                guard minimum == nil else { throw ParseError("webhook option 'min' is given twice") }
                guard let severity = Severity(name: option.value) else {
                    throw ParseError(
                        "unknown webhook severity '\(option.value)' in min= (expected info, warning or critical)")
                }
                minimum = severity
            default:
                throw ParseError(
                    "unknown webhook option '\(option.name)' (expected min=info|warning|critical; "
                        + "percent-encode a comma that belongs to the URL as %2C)")
            }
            parts.removeLast()
        }
        let urlText = parts.joined(separator: ",")
        guard !urlText.isEmpty else { throw ParseError("the webhook URL is empty (expected URL or URL,min=SEVERITY)") }
        guard !urlText.contains(where: \.isWhitespace) else { throw ParseError("the webhook URL contains whitespace") }
        guard let url = URL(string: urlText) else {
            throw ParseError("the webhook URL is not a valid absolute URL (expected http://host[:port]/path)")
        }
        try self.init(url: url, minimumSeverity: minimum ?? .info)
    }

    /// `name=value` when `part` looks like an option (a name of letters and underscores).
    private static func option(_ part: String) -> (name: String, value: String)? {
        guard let equals = part.firstIndex(of: "=") else { return nil }
        let name = part[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "_") }) else { return nil }
        return (name, part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces))
    }

    /// `host[:port]`, for logs: never the path, query or user info, which may carry secrets.
    public var displayHost: String {
        let host = url.host ?? "?"
        let shown = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = url.port { return "\(shown):\(port)" }
        return shown
    }

    /// Whether an alert of `severity` (the API's name) goes to this target. An unknown name
    /// counts as info.
    public func accepts(severity: String) -> Bool {
        (Severity(name: severity) ?? .info) >= minimumSeverity
    }
}
