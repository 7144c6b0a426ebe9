import APIContract
import FleetServices
import Hummingbird

/// The API keys the service accepts, each with a scope. Keys are compared in constant time and
/// never logged.
public struct APIKeys: Sendable {
    /// What a key may do; each scope includes the ones before it.
    public enum Scope: String, Sendable, Comparable, CaseIterable {
        /// GET and HEAD requests.
        case read
        /// Ingestion: registering agents, setting budgets, recording metrics, acknowledging and
        /// resolving alerts (and reading).
        case write
        /// Everything: also the rules document, evaluation, rebuild and retention.
        case admin

        private var level: Int { Self.allCases.firstIndex(of: self)! }

        public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.level < rhs.level }
    }

    /// A line of the keys file that does not hold up.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { line > 0 ? "API keys, line \(line): \(reason)" : "API keys: \(reason)" }
    }

    private var keys: [(key: [UInt8], scope: Scope)] = []

    public var isEmpty: Bool { keys.isEmpty }
    public var count: Int { keys.count }

    public init() {}

    /// Parses `SCOPE KEY` lines (`read`, `write` or `admin`; `#` starts a comment; keys of at least
    /// 16 characters). The environment form `write:KEY,read:KEY` is accepted as well. A text without
    /// any key is refused: it would switch authentication off.
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
                throw Invalid(line: index + 1, reason: "expected `read KEY`, `write KEY` or `admin KEY`")
            }
            guard parts[1].utf8.count >= 16 else {
                throw Invalid(line: index + 1, reason: "a key must have at least 16 characters")
            }
            keys.append((Array(parts[1].utf8), scope))
        }
        guard !keys.isEmpty else {
            throw Invalid(
                line: 0,
                reason: "no key found (only comments or blank lines); authentication would be off. "
                    + "Give at least one `read KEY`, `write KEY` or `admin KEY` line, or leave the option out")
        }
    }

    /// The scope of a presented key, comparing against every key in constant time.
    public func scope(of presented: Substring) -> Scope? {
        let bytes = Array(presented.utf8)
        var found: Scope?
        for entry in keys where Self.constantTimeEquals(entry.key, bytes) {
            found = max(found ?? entry.scope, entry.scope)
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

/// Requires `Authorization: Bearer KEY` (the scheme in any case) when keys are configured: a read
/// key for GET and HEAD, a write key for ingestion, an admin key for `/api/v1/admin/…` changes.
/// `/healthz` and the dashboard's static files (`/`, `/dashboard/…`, which hold no data; the page
/// asks for a key itself) stay open. Answers 401 (no valid key) or 403 (a key without the scope)
/// in the error envelope.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let keys: APIKeys

    /// The scope a request needs.
    static func requiredScope(method: HTTPRequest.Method, path: String) -> APIKeys.Scope {
        if method == .get || method == .head { return .read }
        return path.hasPrefix("/api/v1/admin/") ? .admin : .write
    }

    /// The key of an `Authorization: Bearer KEY` header (the scheme is case-insensitive, RFC 9110 §11.1).
    static func bearerToken(_ header: String) -> Substring? {
        let trimmed = header.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " "), trimmed[..<space].lowercased() == "bearer" else { return nil }
        let token = trimmed[space...].drop { $0 == " " }
        return token.isEmpty ? nil : token
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let path = request.uri.path
        let reading = request.method == .get || request.method == .head
        let open = path == "/healthz" || (reading && (path == "/" || path.hasPrefix("/dashboard/")))
        if keys.isEmpty || open { return try await next(request, context) }
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header),
            let scope = keys.scope(of: token)
        else {
            var response = APIError(
                .unauthorized, "unauthorized", "a valid API key is required (Authorization: Bearer KEY)"
            )
            .response
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        let required = Self.requiredScope(method: request.method, path: path)
        guard scope >= required else {
            return APIError(
                .forbidden, "forbidden",
                "this API key has the \(scope.rawValue) scope; this request needs \(required.rawValue)"
            ).response
        }
        return try await next(request, context)
    }
}
