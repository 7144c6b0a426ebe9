import Hummingbird

/// The API keys the service accepts, each with a scope. Keys are compared in constant time and
/// never logged.
public struct APIKeys: Sendable {
    /// What a key may do.
    public enum Scope: String, Sendable {
        /// GET requests.
        case read
        /// Every request (a write key can read too).
        case write
    }

    /// A line of the keys file that does not hold up.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "API keys, line \(line): \(reason)" }
    }

    private var keys: [(key: [UInt8], scope: Scope)] = []

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    public init() {}

    /// Parses `SCOPE KEY` lines (`read` or `write`; `#` starts a comment; keys of at least 16
    /// characters). The environment form `write:KEY,read:KEY` is accepted as well.
    public init(parsing text: String) throws(Invalid) {
        let lines =
            text.contains("\n") || !text.contains(",")
            ? text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            : text.split(separator: ",").map(String.init)
        for (index, raw) in lines.enumerated() {
            let line =
                raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let trimmed = line.trimmingWhitespace()
            if trimmed.isEmpty { continue }
            let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init)
            guard parts.count == 2, let scope = Scope(rawValue: parts[0]) else {
                throw Invalid(line: index + 1, reason: "expected `read KEY` or `write KEY`")
            }
            guard parts[1].utf8.count >= 16 else {
                throw Invalid(line: index + 1, reason: "a key must have at least 16 characters")
            }
            keys.append((Array(parts[1].utf8), scope))
        }
    }

    /// The scope of a presented key, comparing against every key in constant time.
    public func scope(of presented: Substring) -> Scope? {
        let bytes = Array(presented.utf8)
        var found: Scope?
        for entry in keys where Self.constantTimeEquals(entry.key, bytes) {
            found = (found == .write || entry.scope == .write) ? .write : .read
        }
        return found
    }

    /// Compares without an early exit, so the time does not reveal how much of a key matched.
    static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            difference |= x ^ y
        }
        return difference == 0
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Requires `Authorization: Bearer KEY` when keys are configured: a read key for GET, a write
/// key for everything else. `/healthz` and the dashboard's static files (`/`, `/dashboard/…`,
/// which hold no data; the page asks for a key itself) stay open. Answers 401 in the error envelope.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeys

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let open = path == "/healthz" || (request.method == .get && (path == "/" || path.hasPrefix("/dashboard/")))
        if keys.isEmpty || open { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            let scope = keys.scope(of: header.dropFirst("Bearer ".count))
        else {
            var response = APIError(
                .unauthorized, "unauthorized", "a valid API key is required (Authorization: Bearer KEY)"
            )
            .response
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        let reading = request.method == .get || request.method == .head
        if !reading && scope != .write {
            return APIError(.unauthorized, "unauthorized", "this API key may only read").response
        }
        return try await next(request, context)
    }
}
