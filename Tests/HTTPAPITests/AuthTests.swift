import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("API keys")
struct AuthTests {
    typealias H = ServerHarness
    static let readKey = "read-key-0123456789abcdef"
    static let writeKey = "write-key-0123456789abcdef"
    static let adminKey = "admin-key-0123456789abcdef"

    static var limits: RequestLimits {
        var limits = RequestLimits()
        limits.apiKeys = try! APIKeys(parsing: "# keys\nread \(readKey)\nwrite \(writeKey)\nadmin \(adminKey)\n")
        return limits
    }

    static func bearer(_ key: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(key)"
        return headers
    }

    @Test("keys file parsing: scopes, comments, the environment form, refusals")
    func parsing() throws {
        let keys = try APIKeys(parsing: "write:\(Self.writeKey),read:\(Self.readKey)")
        #expect(keys.count == 2)
        #expect(keys.scope(of: Substring(Self.writeKey)) == .write)
        #expect(keys.scope(of: Substring(Self.readKey)) == .read)
        #expect(keys.scope(of: "write-key-0123456789abcdeX") == nil)
        #expect(keys.scope(of: "") == nil)
        #expect(try APIKeys(parsing: "admin \(Self.adminKey)").scope(of: Substring(Self.adminKey)) == .admin)
        #expect(throws: APIKeys.Invalid.self) { try APIKeys(parsing: "root \(Self.writeKey)") }
        #expect(throws: APIKeys.Invalid.self) { try APIKeys(parsing: "read short") }
        // A file without a key would switch authentication off: refused.
        for empty in ["", "# only a comment\n\n   \n", "\n"] {
            #expect(throws: APIKeys.Invalid.self) { try APIKeys(parsing: empty) }
        }
        #expect(APIKeys.Scope.read < .write && APIKeys.Scope.write < .admin)
        #expect(APIKeyMiddleware<BasicRequestContext>.bearerToken("bearer abc") == "abc")
        #expect(APIKeyMiddleware<BasicRequestContext>.bearerToken("BEARER   abc") == "abc")
        #expect(APIKeyMiddleware<BasicRequestContext>.bearerToken("Basic abc") == nil)
        #expect(APIKeyMiddleware<BasicRequestContext>.bearerToken("Bearer") == nil)
    }

    @Test("without a key: 401 in the error envelope; read reads, write ingests, only admin administers (403)")
    func enforcement() async throws {
        try await H.run(limits: Self.limits) { client, _ in
            let anonymous = try await client.get("/api/v1/agents")
            #expect(anonymous.status == .unauthorized)
            #expect(errorEnvelopeProblems(anonymous, status: .unauthorized, code: "unauthorized").isEmpty)
            let wrong = try await client.get("/api/v1/agents", headers: Self.bearer("not-a-key-at-all-0000"))
            #expect(wrong.status == .unauthorized)
            #expect(try await client.get("/healthz").status == .ok)
            #expect(
                try await client.get("/").status == .ok, "the dashboard page holds no data and asks for a key itself")
            #expect(try await client.get("/api/v1/agents", headers: Self.bearer(Self.readKey)).status == .ok)
            let body: JSONValue = ["name": "coder", "role": "developer"]
            let readOnly = try await client.call(
                .post, "/api/v1/agents", json: body, headers: Self.bearer(Self.readKey))
            #expect(errorEnvelopeProblems(readOnly, status: .forbidden, code: "forbidden").isEmpty)
            let written = try await client.call(
                .post, "/api/v1/agents", json: body, headers: Self.bearer(Self.writeKey))
            #expect(written.status == .created)
            #expect(try await client.get("/api/v1/agents/1", headers: Self.bearer(Self.writeKey)).status == .ok)
            // The scheme is case-insensitive.
            var lower = HTTPFields()
            lower[.authorization] = "bearer \(Self.readKey)"
            #expect(try await client.get("/api/v1/agents", headers: lower).status == .ok)
            // Ingestion keys cannot administer: rules, evaluation, rebuild and retention need admin.
            let rules = try await client.get("/api/v1/admin/rules", headers: Self.bearer(Self.readKey))
            #expect(rules.status == .ok)
            let document = try #require(rules.data?["rules"])
            let admin: [(HTTPRequest.Method, String, JSONValue?)] = [
                (.put, "/api/v1/admin/rules", document), (.post, "/api/v1/admin/evaluate", nil),
                (.post, "/api/v1/admin/rebuild", nil), (.post, "/api/v1/admin/retention", nil),
            ]
            for (method, path, json) in admin {
                for key in [Self.readKey, Self.writeKey] {
                    let refused = try await client.call(method, path, json: json, headers: Self.bearer(key))
                    #expect(
                        errorEnvelopeProblems(refused, status: .forbidden, code: "forbidden").isEmpty,
                        "\(method) \(path) with \(key)")
                }
                let allowed = try await client.call(method, path, json: json, headers: Self.bearer(Self.adminKey))
                #expect(allowed.status == .ok, "\(method) \(path): \(allowed.text.prefix(200))")
            }
            // An admin key writes and reads too.
            let third: JSONValue = ["name": "third", "role": "developer"]
            let byAdmin = try await client.call(
                .post, "/api/v1/agents", json: third, headers: Self.bearer(Self.adminKey))
            #expect(byAdmin.status == .created)
        }
    }

    @Test("CORS is off by default; a configured origin is allowed, with preflight")
    func cors() async throws {
        var originHeaders = HTTPFields()
        originHeaders[.origin] = "https://ops.example.com"
        let origin = originHeaders
        try await H.run { client, _ in
            let r = try await client.get("/api/v1/agents", headers: origin)
            #expect(r.status == .ok)
            #expect(r.headers[.accessControlAllowOrigin] == nil)
        }
        var limits = RequestLimits()
        limits.corsOrigin = "https://ops.example.com"
        try await H.run(limits: limits) { client, _ in
            let r = try await client.get("/api/v1/agents", headers: origin)
            #expect(r.headers[.accessControlAllowOrigin] == "https://ops.example.com")
            var preflight = origin
            preflight[.accessControlRequestMethod] = "POST"
            let p = try await client.call(.options, "/api/v1/metrics", headers: preflight)
            #expect(p.status == .noContent || p.status == .ok)
            #expect(p.headers[.accessControlAllowMethods]?.contains("POST") == true)
        }
    }

    @Test("constant-time comparison compares whole keys")
    func constantTime() {
        #expect(APIKeys.constantTimeEquals(Array("abc".utf8), Array("abc".utf8)))
        #expect(!APIKeys.constantTimeEquals(Array("abc".utf8), Array("abd".utf8)))
        #expect(!APIKeys.constantTimeEquals(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!APIKeys.constantTimeEquals([], Array("a".utf8)))
    }
}
