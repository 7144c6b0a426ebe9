import PostgresNIO

/// Where a PostgreSQL-kept log is: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` over TCP, or
/// `postgres://USER@/DATABASE?host=/socket/directory` over the server's Unix socket in that
/// directory (libpq's form; `scripts/postgres.sh` prints it). `postgresql://` is the same.
public struct PostgresURL: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var password: String?
    public var host: String?
    public var port: Int
    /// The directory of the server's Unix socket (`?host=`), used instead of `host` when set.
    public var socketDirectory: String?
    public var database: String

    /// Why a URL was refused.
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether `text` names a PostgreSQL store (else it is an LMDB directory).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws(ParseError) {
        guard let schemeEnd = text.range(of: "://"), Self.isPostgres(text) else {
            throw ParseError(description: "a PostgreSQL URL starts with postgres:// (got \(Self.redact(text)))")
        }
        var rest = Substring(text[schemeEnd.upperBound...])
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw ParseError(description: "the URL \(Self.redact(text)) names no database (…/DATABASE)")
        }
        let authority = rest[..<slash]
        database = Self.decode(rest[rest.index(after: slash)...])
        guard !database.isEmpty else {
            throw ParseError(description: "the URL \(Self.redact(text)) names no database (…/DATABASE)")
        }
        var hostPart = authority
        username = "postgres"
        password = nil
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                username = Self.decode(credentials[..<colon])
                password = Self.decode(credentials[credentials.index(after: colon)...])
            } else {
                username = Self.decode(credentials)
            }
        }
        port = 5432
        host = nil
        if !hostPart.isEmpty {
            if let colon = hostPart.lastIndex(of: ":") {
                guard let value = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(value) else {
                    throw ParseError(description: "the URL \(Self.redact(text)) has an invalid port")
                }
                port = value
                host = String(hostPart[..<colon])
            } else {
                host = String(hostPart)
            }
        }
        socketDirectory = nil
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let value = Self.decode(parts[1])
            switch parts[0] {
            case "host":
                if value.hasPrefix("/") { socketDirectory = value } else { host = value }
            case "port":
                guard let number = Int(value), (1...65535).contains(number) else {
                    throw ParseError(description: "the URL \(Self.redact(text)) has an invalid port")
                }
                port = number
            case "user": username = value
            case "password": password = value
            case "sslmode" where value == "disable" || value == "prefer" || value == "allow": continue
            case "sslmode":
                throw ParseError(description: "sslmode=\(value) is not supported (connections are not encrypted)")
            default:
                throw ParseError(description: "the URL parameter \(parts[0]) is not supported")
            }
        }
        guard host != nil || socketDirectory != nil else {
            throw ParseError(
                description:
                    "the URL \(Self.redact(text)) names no host (postgres://USER@HOST:PORT/DB, or ?host=/socket/dir)")
        }
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        var text = "postgres://\(username)@\(host ?? "")"
        if host != nil && port != 5432 { text += ":\(port)" }
        text += "/\(database)"
        if let socketDirectory { text += "?host=\(socketDirectory)" + (port != 5432 ? "&port=\(port)" : "") }
        return text
    }

    var configuration: PostgresConnection.Configuration {
        if let socketDirectory {
            return PostgresConnection.Configuration(
                unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: username, password: password,
                database: database)
        }
        return PostgresConnection.Configuration(
            host: host ?? "localhost", port: port, username: username, password: password, database: database,
            tls: .disable)
    }

    /// `text` with any password replaced by `***`.
    public static func redact(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var result = String(text[..<schemeEnd.upperBound])
        if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
            result += authority[..<colon] + ":***" + authority[at...]
        } else {
            result += authority
        }
        var tail = String(rest[authorityEnd...])
        if let range = tail.range(of: "password=") {
            let end = tail[range.upperBound...].firstIndex(of: "&") ?? tail.endIndex
            tail.replaceSubrange(range.upperBound..<end, with: "***")
        }
        return result + tail
    }

    private static func decode(_ text: Substring) -> String {
        // Percent-decoding, as URLs carry reserved characters of user names and passwords.
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
