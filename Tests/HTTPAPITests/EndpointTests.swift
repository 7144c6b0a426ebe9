import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// The HTTP behaviour of the contract (§1 errors and freshness, §2 writes, the alert lifecycle of
/// §2/§4, evaluation, the OpenAPI document) through Hummingbird's router test client, each test
/// on a fresh server whose clock reads 2025-11-17T12:00:00Z.
@Suite("HTTP endpoints and errors")
struct EndpointTests {
    typealias H = ServerHarness
    static let noon = ServerHarness.noon
    static let asOf = ServerHarness.iso(ServerHarness.noon)

    // MARK: Helpers

    /// A valid metric of `agent`, one hour before the clock, with `overrides` applied
    /// (a nil value removes the key).
    static func metric(
        agent: Int64 = 1, at t: Int64 = ServerHarness.noon - ServerHarness.hour, cost: Double = 0.001,
        _ overrides: [(String, JSONValue?)] = []
    ) -> JSONValue {
        var m: JSONObject = [
            "agent_id": .int(agent), "operation_type": "implementation", "timestamp": .string(H.iso(t)),
            "execution_time_ms": 1000.0, "tokens_used": 100, "success": true, "quality_score": 80.0,
            "cost_usd": .double(cost),
        ]
        for (key, value) in overrides { m[key] = value }
        return .object(m)
    }

    static func batch(_ items: [JSONValue]) -> JSONValue { ["metrics": .array(items)] }

    @discardableResult
    static func register(
        _ client: any TestClientProtocol, _ name: String, _ role: String = "developer", id: Int64? = nil
    ) async throws -> Int64 {
        var body: JSONObject = ["name": .string(name), "role": .string(role)]
        if let id { body["id"] = .int(id) }
        let r = try await client.post("/api/v1/agents", .object(body))
        try #require(r.status == .created, "POST /agents \(name): HTTP \(r.status.code) \(r.text)")
        return try #require(r.data?["id"]?.int64Value)
    }

    static func expectError(
        _ r: HarnessResponse, _ status: HTTPResponse.Status, _ code: String, field: String? = nil,
        _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let problems = errorEnvelopeProblems(r, status: status, code: code, field: field)
        #expect(problems.isEmpty, "\(what): \(problems.joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    /// Expects `r` to match `expected` under the kit's comparison rules.
    static func expectBody(
        _ r: HarnessResponse, _ expected: JSONValue, status: HTTPResponse.Status = .ok, _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            r.status == status, "\(what): HTTP \(r.status.code) \(r.text.prefix(300))", sourceLocation: sourceLocation)
        let diffs = KitComparison().differences(expected, r.json)
        #expect(diffs.isEmpty, "\(what): \(diffs.prefix(6).joined(separator: "; "))", sourceLocation: sourceLocation)
    }

    static func logHead(_ client: any TestClientProtocol) async throws -> Int64 {
        try #require(try await client.get("/healthz").json?["log_head"]?.int64Value)
    }

    // MARK: §1 errors: 400 invalid_parameter

    @Test("400 invalid_parameter names the query parameter")
    func invalidParameters() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let ts = "/api/v1/metrics/aggregate/timeseries"
            let cases: [(String, [(String, String)], String)] = [
                (ts, [("granularity", "fortnight")], "granularity"),
                (ts, [("granularity", "HOUR")], "granularity"),
                ("/api/v1/metrics/trends/cost", [("lookback_days", "0")], "lookback_days"),
                ("/api/v1/metrics/trends/cost", [("lookback_days", "366")], "lookback_days"),
                ("/api/v1/metrics/trends/cost", [("lookback_days", "ten")], "lookback_days"),
                ("/api/v1/metrics/outliers/execution_time", [("z_threshold", "0")], "z_threshold"),
                ("/api/v1/metrics/outliers/execution_time", [("z_threshold", "-1")], "z_threshold"),
                ("/api/v1/metrics/outliers/execution_time", [("z_threshold", "101")], "z_threshold"),
                ("/api/v1/metrics/outliers/execution_time", [("z_threshold", "high")], "z_threshold"),
                ("/api/v1/metrics/summary", [("as_of", "yesterday")], "as_of"),
                ("/api/v1/metrics/alerts", [("limit", "1001")], "limit"),
                ("/api/v1/metrics/alerts", [("status", "sleeping")], "status"),
            ]
            for (path, query, field) in cases {
                let r = try await client.get(path, query + [("as_of", Self.asOf)].filter { _ in field != "as_of" })
                Self.expectError(r, .badRequest, "invalid_parameter", field: field, "GET \(path) \(query)")
            }
            // Unknown metric names in the path.
            for path in [
                "/api/v1/metrics/percentiles/latency", "/api/v1/metrics/trends/tokens",
                "/api/v1/metrics/outliers/speed",
            ] {
                Self.expectError(try await client.get(path), .badRequest, "invalid_parameter", "GET \(path)")
            }
            // More than 10,000 buckets.
            let huge = [
                ("start_date", H.iso(Self.noon - 500 * H.day)), ("end_date", Self.asOf), ("granularity", "hour"),
            ]
            Self.expectError(try await client.get(ts, huge), .badRequest, "invalid_parameter", "10,001+ hourly buckets")
        }
    }

    @Test("400 invalid_parameter when start_date is after end_date")
    func startAfterEnd() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let reversed = [("start_date", Self.asOf), ("end_date", H.iso(Self.noon - H.day)), ("as_of", Self.asOf)]
            for path in [
                "/api/v1/metrics/aggregate/timeseries", "/api/v1/metrics/aggregate/by-agent/1",
                "/api/v1/metrics/aggregate/by-role/developer", "/api/v1/metrics/percentiles/cost",
                "/api/v1/metrics/outliers/cost", "/api/v1/metrics/insights/performance", "/api/v1/metrics/alerts",
            ] {
                let r = try await client.get(path, reversed)
                Self.expectError(r, .badRequest, "invalid_parameter", "GET \(path) with start > end")
                let field = r.error?["field"]?.stringValue
                #expect(field == "start_date" || field == "end_date", "GET \(path): field \(String(describing: field))")
            }
        }
    }

    // MARK: 400 invalid_body

    @Test("400 invalid_body for a body that is not JSON")
    func invalidBody() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.post, "/api/v1/metrics", "{not json"),
                (.post, "/api/v1/metrics", #"{"agent_id": 1, "execution_time_ms": NaN}"#),
                (.post, "/api/v1/metrics", "[1, 2,]"),
                (.post, "/api/v1/agents", "name=coder"),
                (.put, "/api/v1/agents/1/budget", #"{"total_budget_usd": 5"#),
                (.post, "/api/v1/admin/evaluate", "{as_of}"),
            ]
            for (method, path, raw) in cases {
                let r = try await client.call(method, path, raw: raw)
                Self.expectError(r, .badRequest, "invalid_body", "\(method) \(path) \(raw)")
            }
            let r = try await client.get("/api/v1/metrics/aggregate/timeseries", [("as_of", Self.asOf)])
            #expect(r.json?["data"]?.arrayValue?.allSatisfy { $0["total_operations"] == 0 } == true, "nothing stored")
        }
    }

    // MARK: 404

    @Test("404 not_found: unknown agent, alert, role, route; budget of an agent without one")
    func notFound() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let gets = [
                "/api/v1/agents/999", "/api/v1/agents/999/budget", "/api/v1/agents/1/budget",
                "/api/v1/metrics/aggregate/by-agent/999", "/api/v1/metrics/aggregate/by-role/astronaut",
                "/api/v1/metrics/alerts/999", "/api/v1/metrics/alerts/999/history", "/api/v1/nothing",
                "/api/v1/metrics/nothing/here", "/api/v2/agents", "/nothing-here",
            ]
            for path in gets {
                Self.expectError(
                    try await client.get(path, [("as_of", Self.asOf)]), .notFound, "not_found", "GET \(path)")
            }
            for action in ["acknowledge", "resolve"] {
                let r = try await client.put("/api/v1/metrics/alerts/999/\(action)")
                Self.expectError(r, .notFound, "not_found", "PUT alert 999 \(action)")
            }
            let r = try await client.put("/api/v1/agents/999/budget", ["total_budget_usd": 5.0])
            Self.expectError(r, .notFound, "not_found", "PUT budget of an unknown agent")
        }
    }

    // MARK: 405

    @Test("405 method_not_allowed on a known path with another method")
    func methodNotAllowed() async throws {
        try await H.run { client, _ in
            let cases: [(HTTPRequest.Method, String)] = [
                (.delete, "/api/v1/agents"), (.post, "/api/v1/metrics/summary"), (.get, "/api/v1/metrics"),
                (.put, "/api/v1/metrics/alerts/1"), (.get, "/api/v1/metrics/alerts/1/acknowledge"),
                (.delete, "/api/v1/agents/1/budget"), (.get, "/api/v1/admin/evaluate"),
                (.patch, "/api/v1/agents/1"),
            ]
            for (method, path) in cases {
                let r = try await client.call(method, path)
                Self.expectError(r, .methodNotAllowed, "method_not_allowed", "\(method) \(path)")
            }
            // `Allow` names the methods the path has (HEAD wherever GET is).
            let allows: [(String, String)] = [
                ("/api/v1/agents", "GET, HEAD, POST"), ("/api/v1/metrics/summary", "GET, HEAD"),
                ("/api/v1/metrics", "POST"),
                ("/api/v1/admin/rules", "GET, HEAD, PUT"), ("/api/v1/agents/1/budget", "GET, HEAD, PUT"),
                ("/api/v1/metrics/alerts/1/acknowledge", "PUT"),
            ]
            for (path, allow) in allows {
                let r = try await client.call(.delete, path)
                #expect(r.status == .methodNotAllowed, "\(path)")
                #expect(r.headers[.allow] == allow, "\(path)")
            }
            // HEAD answers a GET route with its status and headers and no body.
            for path in ["/api/v1/agents", "/api/v1/metrics/summary", "/healthz", "/openapi.json"] {
                let get = try await client.call(.get, path)
                let head = try await client.call(.head, path)
                #expect(head.status == .ok, "HEAD \(path)")
                #expect(head.text.isEmpty, "HEAD \(path) has a body")
                #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(path)")
            }
        }
    }

    // MARK: 409

    @Test("agents: 201, identical re-POST 200, other fields 409, explicit and assigned ids")
    func agents() async throws {
        try await H.run { client, _ in
            let first = try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"])
            Self.expectBody(
                first, ["success": true, "data": ["id": 1, "name": "coder", "role": "developer"]], status: .created,
                "first agent")
            let second = try await client.post("/api/v1/agents", ["name": "reviewer", "role": "reviewer"])
            Self.expectBody(
                second, ["success": true, "data": ["id": 2, "name": "reviewer", "role": "reviewer"]], status: .created,
                "second agent")
            let explicit = try await client.post("/api/v1/agents", ["id": 10, "name": "oncall", "role": "ops"])
            Self.expectBody(
                explicit, ["success": true, "data": ["id": 10, "name": "oncall", "role": "ops"]], status: .created,
                "explicit id")

            let again = try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"])
            Self.expectBody(
                again, ["success": true, "data": ["id": 1, "name": "coder", "role": "developer"]], "identical re-POST")
            let againWithID = try await client.post("/api/v1/agents", ["id": 10, "name": "oncall", "role": "ops"])
            Self.expectBody(
                againWithID, ["success": true, "data": ["id": 10, "name": "oncall", "role": "ops"]],
                "identical re-POST with id")

            let otherRole = try await client.post("/api/v1/agents", ["name": "coder", "role": "ops"])
            Self.expectError(otherRole, .conflict, "conflict", "same name, other role")
            let otherID = try await client.post("/api/v1/agents", ["id": 5, "name": "coder", "role": "developer"])
            Self.expectError(otherID, .conflict, "conflict", "same name, other id")
            let takenID = try await client.post("/api/v1/agents", ["id": 2, "name": "someone", "role": "ops"])
            Self.expectError(takenID, .conflict, "conflict", "id taken by another agent")
            let caseSensitive = try await client.post("/api/v1/agents", ["name": "Coder", "role": "ops"])
            #expect(caseSensitive.status == .created, "names are case-sensitive: HTTP \(caseSensitive.status.code)")

            Self.expectError(
                try await client.post("/api/v1/agents", ["role": "ops"]), .unprocessableContent, "validation_failed",
                field: "name", "missing name")
            Self.expectError(
                try await client.post("/api/v1/agents", ["name": "x"]), .unprocessableContent, "validation_failed",
                field: "role", "missing role")
            Self.expectError(
                try await client.post("/api/v1/agents", ["id": 0, "name": "x", "role": "ops"]), .unprocessableContent,
                "validation_failed", field: "id", "id 0")

            let list = try await client.get("/api/v1/agents")
            let ids = list.data?.arrayValue?.compactMap { $0["id"]?.int64Value } ?? []
            #expect(
                ids.count == 4 && ids == ids.sorted() && Array(ids.prefix(3)) == [1, 2, 10],
                "sorted by id: \(list.text)")
            Self.expectBody(
                try await client.get("/api/v1/agents/2"),
                ["success": true, "data": ["id": 2, "name": "reviewer", "role": "reviewer"]], "GET one")
        }
    }

    // MARK: 413

    @Test("413 payload_too_large for more than 10,000 metrics; exactly 10,000 is accepted")
    func batchLimit() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let one = Self.metric()
            let over = try await client.post("/api/v1/metrics", Self.batch(Array(repeating: one, count: 10_001)))
            Self.expectError(over, .contentTooLarge, "payload_too_large", "10,001 metrics")
            let summary = try await client.get("/api/v1/metrics/summary", [("as_of", Self.asOf)])
            #expect(summary.data?["last_24h"]?["total_operations"] == 0, "nothing of the refused batch is stored")

            let limit = try await client.post("/api/v1/metrics", Self.batch(Array(repeating: one, count: 10_000)))
            #expect(limit.status == .created)
            #expect(limit.json?["accepted"] == 10_000)
            #expect(limit.json?["results"]?.arrayValue?.count == 10_000)
        }
    }

    // MARK: 422

    @Test("422 validation_failed naming the field of a single invalid metric; nothing stored")
    func singleInvalidMetric() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let head = try await Self.logHead(client)
            let cases: [(String, [(String, JSONValue?)], String)] = [
                ("negative cost", [("cost_usd", -0.01)], "cost_usd"),
                ("string cost", [("cost_usd", "0.01")], "cost_usd"),
                ("missing cost", [("cost_usd", nil)], "cost_usd"),
                ("negative execution time", [("execution_time_ms", -5.0)], "execution_time_ms"),
                ("NaN string", [("execution_time_ms", "NaN")], "execution_time_ms"),
                ("negative tokens", [("tokens_used", -1)], "tokens_used"),
                ("fractional tokens", [("tokens_used", 1.5)], "tokens_used"),
                ("missing tokens", [("tokens_used", nil)], "tokens_used"),
                ("fractional api calls", [("api_calls", 2.5)], "api_calls"),
                ("quality 101", [("quality_score", 101.0)], "quality_score"),
                ("quality negative", [("quality_score", -0.5)], "quality_score"),
                ("missing success", [("success", nil)], "success"),
                ("string success", [("success", "yes")], "success"),
                ("missing timestamp", [("timestamp", nil)], "timestamp"),
                ("bad timestamp", [("timestamp", "yesterday")], "timestamp"),
                ("timestamp 6 minutes ahead", [("timestamp", .string(H.iso(Self.noon + 6 * H.minute)))], "timestamp"),
                ("unknown agent", [("agent_id", 999)], "agent_id"),
                ("missing agent", [("agent_id", nil)], "agent_id"),
                ("uppercase operation", [("operation_type", "Implementation")], "operation_type"),
                ("empty operation", [("operation_type", "")], "operation_type"),
                (
                    "operation of 65 chars", [("operation_type", .string(String(repeating: "a", count: 65)))],
                    "operation_type"
                ),
                ("event id of 129 chars", [("event_id", .string(String(repeating: "e", count: 129)))], "event_id"),
                (
                    "error message of 2001 chars", [("error_message", .string(String(repeating: "x", count: 2001)))],
                    "error_message"
                ),
            ]
            for (name, overrides, field) in cases {
                let r = try await client.post("/api/v1/metrics", Self.metric(overrides))
                Self.expectError(r, .unprocessableContent, "validation_failed", field: field, name)
            }
            let infinite = """
                {"agent_id": 1, "operation_type": "implementation", "timestamp": "\(H.iso(Self.noon - H.hour))",
                 "execution_time_ms": 1e999, "tokens_used": 100, "success": true, "cost_usd": 0.001}
                """
            let r = try await client.call(.post, "/api/v1/metrics", raw: infinite)
            Self.expectError(r, .unprocessableContent, "validation_failed", field: "execution_time_ms", "1e999")
            #expect(try await Self.logHead(client) == head, "a refused metric appended something")

            // Within 5 minutes ahead of the clock is accepted.
            let soon = try await client.post("/api/v1/metrics", Self.metric(at: Self.noon + 5 * H.minute))
            #expect(soon.status == .created, "timestamp 5 minutes ahead: HTTP \(soon.status.code) \(soon.text)")
        }
    }

    @Test("422 validation_failed for invalid budgets")
    func invalidBudgets() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let cases: [(JSONValue, String?)] = [
                (["total_budget_usd": -1.0], "total_budget_usd"),
                (["period": "monthly"], "total_budget_usd"),
                (["total_budget_usd": "5"], "total_budget_usd"),
                (["total_budget_usd": 5.0, "period": "yearly"], "period"),
                (["total_budget_usd": 5.0, "warning_threshold_percent": 90, "critical_threshold_percent": 80], nil),
                (["total_budget_usd": 5.0, "warning_threshold_percent": 80, "critical_threshold_percent": 80], nil),
                (["total_budget_usd": 5.0, "warning_threshold_percent": 0], "warning_threshold_percent"),
            ]
            for (body, field) in cases {
                let r = try await client.put("/api/v1/agents/1/budget", body)
                Self.expectError(
                    r, .unprocessableContent, "validation_failed", field: field, "budget \(body.jsonString)")
            }
            Self.expectError(
                try await client.get("/api/v1/agents/1/budget"), .notFound, "not_found", "no budget was stored")
        }
    }

    // MARK: §2 metrics: 201 / 207

    @Test("metric posts: 201, 207 with duplicates by event_id (earlier and in-batch), rejections, per-item results")
    func metricPosts() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")  // log position 1
            let t = Self.noon - 2 * H.hour
            let first = try await client.post(
                "/api/v1/metrics",
                Self.batch([
                    Self.metric(at: t, [("event_id", "ev-a")]), Self.metric(at: t + 1, [("event_id", "ev-b")]),
                    Self.metric(at: t + 2),
                ]))
            Self.expectBody(
                first,
                [
                    "success": true, "accepted": 3, "duplicates": 0, "rejected": 0,
                    "results": [
                        ["index": 0, "status": "created", "id": 2], ["index": 1, "status": "created", "id": 3],
                        ["index": 2, "status": "created", "id": 4],
                    ],
                ], status: .created, "three new metrics (ids are log positions after the agent)")

            let mixed = try await client.post(
                "/api/v1/metrics",
                Self.batch([
                    Self.metric(at: t + 3, cost: 9.0, [("event_id", "ev-a")]),  // stored earlier, other payload
                    Self.metric(at: t + 4, [("event_id", "ev-c")]),
                    Self.metric(at: t + 5, [("event_id", "ev-c")]),  // repeated inside this request
                    Self.metric(at: t + 6, cost: -1),
                    Self.metric(at: t + 7, [("tokens_used", 5.0)]),  // 5.0 is the integer 5
                ]))
            Self.expectBody(
                mixed,
                [
                    "success": true, "accepted": 2, "duplicates": 2, "rejected": 1,
                    "results": [
                        ["index": 0, "status": "duplicate", "id": 2], ["index": 1, "status": "created", "id": 5],
                        ["index": 2, "status": "duplicate", "id": 5],
                        [
                            "index": 3, "status": "rejected",
                            "error": ["code": "validation_failed", "field": "<<any>>", "message": "<<any>>"],
                        ],
                        ["index": 4, "status": "created", "id": 6],
                    ],
                ], status: .init(code: 207), "duplicates, a rejection and creations")
            let rejected = mixed.json?["results"]?[3]?["error"]
            #expect(rejected?["field"]?.stringValue?.hasSuffix("cost_usd") == true, "field of the rejected item")
            let message = rejected?["message"]?.stringValue ?? ""
            #expect(message.count > 0, "message of the rejected item")

            let lone = try await client.post("/api/v1/metrics", Self.metric(at: t + 8, [("event_id", "ev-b")]))
            Self.expectBody(
                lone,
                [
                    "success": true, "accepted": 0, "duplicates": 1, "rejected": 0,
                    "results": [["index": 0, "status": "duplicate", "id": 3]],
                ],
                status: .init(code: 207), "a lone duplicate is 207")

            let single = try await client.post("/api/v1/metrics", Self.metric(at: t + 9))
            Self.expectBody(
                single,
                [
                    "success": true, "accepted": 1, "duplicates": 0, "rejected": 0,
                    "results": [["index": 0, "status": "created", "id": 7]],
                ],
                status: .created, "a single new metric")

            let empty = try await client.post("/api/v1/metrics", Self.batch([]))
            Self.expectBody(
                empty, ["success": true, "accepted": 0, "duplicates": 0, "rejected": 0, "results": []],
                status: .created, "an empty batch")

            let allBad = try await client.post("/api/v1/metrics", Self.batch([Self.metric([("agent_id", 42)])]))
            Self.expectBody(
                allBad, ["success": true, "accepted": 0, "duplicates": 0, "rejected": 1], status: .init(code: 207),
                "a batch of one invalid metric is 207")
            #expect(allBad.json?["results"]?[0]?["error"]?["field"]?.stringValue?.hasSuffix("agent_id") == true)

            // What was stored: 6 metrics, the duplicates' payloads ignored (cost 9.0 never counted).
            let r = try await client.get(
                "/api/v1/metrics/aggregate/by-agent/1",
                [("as_of", Self.asOf), ("start_date", H.iso(t)), ("end_date", Self.asOf)])
            Self.expectBody(
                r,
                [
                    "success": true,
                    "data": [
                        "tasks": ["total": 6], "cost": ["total_usd": 0.006], "performance": ["total_tokens": 505],
                    ],
                ], "stored metrics")
        }
    }

    @Test("tokens: input + output when tokens_used is absent, tokens_used wins when both are given")
    func tokenFields() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let t = Self.noon - H.hour
            let items = [
                Self.metric(
                    at: t,
                    [("tokens_used", nil), ("input_tokens", 30), ("output_tokens", 12), ("operation_type", "sum")]),
                Self.metric(at: t, [("tokens_used", nil), ("input_tokens", 7), ("operation_type", "input.only")]),
                Self.metric(
                    at: t,
                    [("tokens_used", 50), ("input_tokens", 30), ("output_tokens", 12), ("operation_type", "both")]),
            ]
            let r = try await client.post("/api/v1/metrics", Self.batch(items))
            #expect(r.status == .created, "\(r.text)")
            for (op, tokens) in [("sum", 42), ("input.only", 7), ("both", 50)] {
                let ts = try await client.get(
                    "/api/v1/metrics/aggregate/timeseries",
                    [("as_of", Self.asOf), ("start_date", H.iso(t)), ("end_date", H.iso(t)), ("operation_type", op)])
                #expect(ts.data?[0]?["total_tokens"]?.int64Value == Int64(tokens), "\(op): \(ts.text)")
            }
        }
    }

    // MARK: §1 freshness

    @Test("ETag on every 200 GET, 304 with If-None-Match, a new tag after a write")
    func etags() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 10.0])
            let q = [("as_of", Self.asOf)]
            for path in [
                "/api/v1/agents", "/api/v1/agents/1", "/api/v1/agents/1/budget", "/api/v1/metrics/summary",
                "/api/v1/metrics/aggregate/timeseries", "/api/v1/metrics/aggregate/by-agent/1",
                "/api/v1/metrics/aggregate/by-role/developer", "/api/v1/metrics/percentiles/cost",
                "/api/v1/metrics/trends/cost",
                "/api/v1/metrics/outliers/cost", "/api/v1/metrics/recommendations/cost",
                "/api/v1/metrics/insights/performance",
                "/api/v1/metrics/alerts",
            ] {
                let r = try await client.get(path, q)
                #expect(r.status == .ok, "GET \(path): HTTP \(r.status.code)")
                #expect(r.etag != nil, "GET \(path) has no ETag")
                #expect(try await client.get(path, q).etag == r.etag, "GET \(path): the tag changed without a write")
            }
            let path = "/api/v1/metrics/summary"
            let before = try await client.get(path, q)
            let tag = try #require(before.etag)
            let cached = try await client.get(path, q, headers: [.ifNoneMatch: tag])
            #expect(cached.status == .notModified)
            #expect(cached.text.isEmpty, "a 304 has no body")
            let weak = try await client.get(path, q, headers: [.ifNoneMatch: "\"other\", W/\(tag)"])
            #expect(weak.status == .notModified, "a list / weak form of the current tag")
            let other = try await client.get(path, q, headers: [.ifNoneMatch: "\"0000\""])
            #expect(other.status == .ok)

            #expect(try await client.post("/api/v1/metrics", Self.metric()).status == .created)
            let after = try await client.get(path, q, headers: [.ifNoneMatch: tag])
            #expect(after.status == .ok, "the old tag still gives 304 after a write")
            #expect(after.etag != nil && after.etag != tag)
            #expect(after.data?["last_24h"]?["total_operations"] == 1)
        }
    }

    @Test("read-your-writes: every read after a write returned sees it")
    func readYourWrites() async throws {
        try await H.run { client, _ in
            let window = [("as_of", Self.asOf)]
            for i in 1...5 {
                let id = try await Self.register(client, "agent\(i)", "ops")
                #expect(try await client.get("/api/v1/agents/\(id)").status == .ok)
                let budget = try await client.put(
                    "/api/v1/agents/\(id)/budget", ["total_budget_usd": .double(Double(i)), "period": "daily"])
                #expect(budget.data?["total_budget_usd"]?.doubleValue == Double(i))
                #expect(
                    try await client.get("/api/v1/agents/\(id)/budget", window).data?["total_budget_usd"]?.doubleValue
                        == Double(i))
                for n in 1...3 {
                    #expect(
                        try await client.post("/api/v1/metrics", Self.metric(agent: id, cost: 0.25)).status == .created)
                    let r = try await client.get("/api/v1/metrics/aggregate/by-agent/\(id)", window)
                    #expect(r.data?["tasks"]?["total"]?.int64Value == Int64(n))
                    let used = try await client.get("/api/v1/agents/\(id)/budget", window).data?["used_usd"]?
                        .doubleValue
                    #expect(
                        used.map { abs($0 - 0.25 * Double(n)) < 1e-9 } == true, "used_usd \(String(describing: used))")
                }
            }
            let summary = try await client.get("/api/v1/metrics/summary", window)
            #expect(summary.data?["last_30d_summary"]?["total_operations"] == 15)
        }
    }

    // MARK: Alert lifecycle

    @Test("alert lifecycle: raise, acknowledge (repeat: 200, nothing appended), resolve, 409, history with positions")
    func alertLifecycle() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            let budget = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 1.0])
            #expect(budget.status == .ok)
            let t1 = Self.noon - 3 * H.hour
            let t2 = Self.noon - 2 * H.hour
            #expect(try await client.post("/api/v1/metrics", Self.metric(at: t1, cost: 0.85)).status == .created)
            #expect(try await client.post("/api/v1/metrics", Self.metric(at: t2, cost: 0.2)).status == .created)

            let common: JSONObject = [
                "agent_id": 1, "agent_name": "coder", "type": "budget_overrun", "metric": "budget_utilization",
                "expected_value": 1.0, "period_start": "2025-11-01T00:00:00Z", "period_end": "2025-12-01T00:00:00Z",
                "acknowledged_at": nil, "resolved_at": nil, "status": "active",
            ]
            var warning = common
            for (k, v) in [
                ("id", 1), ("severity", "warning"), ("rule", "budget_warning"), ("current_value", 0.85),
                ("threshold_value", 0.8),
                ("deviation_percent", -15.0), ("message", "Budget alert: coder at 85.0% utilization ($0.85/$1.00)"),
                ("detected_at", .string(H.iso(t1))),
            ] as [(String, JSONValue)] { warning[k] = v }
            var critical = common
            for (k, v) in [
                ("id", 2), ("severity", "critical"), ("rule", "budget_critical"), ("current_value", 1.05),
                ("threshold_value", 1.0),
                ("deviation_percent", 5.0), ("message", "Budget alert: coder at 105.0% utilization ($1.05/$1.00)"),
                ("detected_at", .string(H.iso(t2))),
            ] as [(String, JSONValue)] { critical[k] = v }
            let list = try await client.get("/api/v1/metrics/alerts", [("as_of", Self.asOf)])
            Self.expectBody(
                list, ["success": true, "count": 2, "data": [.object(critical), .object(warning)]],
                "alerts raised by the metrics")
            Self.expectBody(
                try await client.get("/api/v1/metrics/alerts/1"), ["success": true, "data": .object(warning)],
                "GET one alert")

            // acknowledge → acknowledged, at the server clock
            let ack = try await client.put(
                "/api/v1/metrics/alerts/1/acknowledge", ["by": "alice", "note": "looking into it"])
            Self.expectBody(
                ack,
                [
                    "success": true,
                    "data": [
                        "id": 1, "status": "acknowledged", "acknowledged_at": .string(Self.asOf), "resolved_at": nil,
                    ],
                ], "acknowledge")
            let history1 = try await client.get("/api/v1/metrics/alerts/1/history")
            let head1 = try await Self.logHead(client)
            let again = try await client.put("/api/v1/metrics/alerts/1/acknowledge", ["by": "bob"])
            Self.expectBody(
                again,
                ["success": true, "data": ["id": 1, "status": "acknowledged", "acknowledged_at": .string(Self.asOf)]],
                "repeated acknowledge")
            #expect(
                try await client.get("/api/v1/metrics/alerts/1/history").json == history1.json,
                "repeated acknowledge changed the history")
            #expect(try await Self.logHead(client) == head1, "repeated acknowledge appended to the log")

            // resolve → resolved; repeat is 200 and appends nothing; acknowledging it now is 409
            let resolve = try await client.put("/api/v1/metrics/alerts/1/resolve", ["note": "budget raised next month"])
            Self.expectBody(
                resolve,
                [
                    "success": true,
                    "data": [
                        "id": 1, "status": "resolved", "acknowledged_at": .string(Self.asOf),
                        "resolved_at": .string(Self.asOf),
                    ],
                ], "resolve")
            let head2 = try await Self.logHead(client)
            let resolveAgain = try await client.put("/api/v1/metrics/alerts/1/resolve")
            Self.expectBody(
                resolveAgain, ["success": true, "data": ["id": 1, "status": "resolved"]], "repeated resolve")
            Self.expectError(
                try await client.put("/api/v1/metrics/alerts/1/acknowledge"), .conflict, "conflict",
                "acknowledge after resolve")
            #expect(
                try await Self.logHead(client) == head2,
                "a repeated resolve or a refused acknowledge appended to the log")

            let history = try await client.get("/api/v1/metrics/alerts/1/history")
            Self.expectBody(
                history,
                [
                    "success": true,
                    "data": [
                        ["status": "active", "at": .string(H.iso(t1))],
                        [
                            "status": "acknowledged", "at": .string(Self.asOf), "by": "alice",
                            "note": "looking into it", "reason": "manual",
                        ],
                        [
                            "status": "resolved", "at": .string(Self.asOf), "by": nil,
                            "note": "budget raised next month", "reason": "manual",
                        ],
                    ],
                ], "history")
            let positions = (history.data?.arrayValue ?? []).map { $0["position"]?.int64Value ?? -1 }
            #expect(
                positions.count == 3 && positions.allSatisfy { $0 > 0 } && positions == positions.sorted()
                    && Set(positions).count == 3, "positions \(positions)")
            for entry in history.data?.arrayValue ?? [] {
                #expect(
                    Set(entry.objectValue?.keys ?? []) == ["status", "at", "by", "note", "reason", "position"],
                    "history entry keys \(entry.jsonString)")
            }

            // active → resolved directly
            let direct = try await client.put("/api/v1/metrics/alerts/2/resolve", ["by": "carol"])
            Self.expectBody(
                direct,
                [
                    "success": true,
                    "data": ["id": 2, "status": "resolved", "acknowledged_at": nil, "resolved_at": .string(Self.asOf)],
                ], "active → resolved")
            Self.expectError(
                try await client.put("/api/v1/metrics/alerts/2/acknowledge"), .conflict, "conflict",
                "acknowledge a resolved alert")
            let summary = try await client.get("/api/v1/metrics/summary", [("as_of", Self.asOf)])
            #expect(summary.data?["active_alerts"] == 0)

            // filters
            let resolved = try await client.get(
                "/api/v1/metrics/alerts", [("status", "resolved"), ("severity", "critical")])
            #expect(resolved.json?["count"] == 1 && resolved.data?[0]?["id"] == 2)
            Self.expectError(
                try await client.put("/api/v1/metrics/alerts/1/resolve", ["by": 5]), .unprocessableContent,
                "validation_failed", field: "by", "by must be a string")
        }
    }

    @Test("a budget change that brings utilization below the threshold resolves the alert (budget_changed)")
    func budgetChangeResolves() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "coder")
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 1.0])
            _ = try await client.post("/api/v1/metrics", Self.metric(cost: 0.9))
            #expect(try await client.get("/api/v1/metrics/alerts/1").data?["status"] == "active")
            let raised = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 2.0])
            Self.expectBody(
                raised, ["success": true, "data": ["used_usd": 0.9, "utilization_percent": 45.0, "status": "ok"]],
                "new budget")
            Self.expectBody(
                try await client.get("/api/v1/metrics/alerts/1"),
                ["success": true, "data": ["status": "resolved", "resolved_at": .string(Self.asOf)]],
                "resolved by the change")
            let history = try await client.get("/api/v1/metrics/alerts/1/history")
            #expect(history.data?[1]?["reason"] == "budget_changed", "\(history.text)")
            // The same (agent, period, level) never fires again.
            _ = try await client.post("/api/v1/metrics", Self.metric(cost: 0.8))
            let list = try await client.get("/api/v1/metrics/alerts")
            #expect(list.json?["count"] == 1, "\(list.text)")
        }
    }

    // MARK: Evaluation

    @Test("evaluation: period_ended and outlier alerts, and the same as_of twice raises/resolves nothing")
    func evaluationIsIdempotent() async throws {
        try await H.run { client, _ in
            try await Self.register(client, "deployer", "ops")
            try await Self.register(client, "monitor", "ops")
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 0.1, "period": "daily"])
            // Yesterday: deployer crosses its daily warning (80 %) → alert 1.
            let yesterday = Self.noon - H.day
            _ = try await client.post("/api/v1/metrics", Self.metric(agent: 1, at: yesterday, cost: 0.09))
            // monitor: 12 ordinary executions over the last days and one 100x outlier 10 minutes ago.
            var items: [JSONValue] = (0..<12).map { i in
                Self.metric(
                    agent: 2, at: Self.noon - Int64(i + 2) * 6 * H.hour,
                    [("execution_time_ms", .double(100 + Double(i)))])
            }
            items.append(Self.metric(agent: 2, at: Self.noon - 10 * H.minute, [("execution_time_ms", 10_000.0)]))
            #expect(try await client.post("/api/v1/metrics", Self.batch(items)).status == .created)

            let first = try await client.post("/api/v1/admin/evaluate", ["as_of": .string(Self.asOf)])
            #expect(first.status == .ok, "\(first.text)")
            Self.expectBody(
                first, ["success": true, "data": ["alerts_raised": 1, "alerts_resolved": 1]], "first evaluation")
            Self.expectBody(
                try await client.get("/api/v1/metrics/alerts/1"),
                ["success": true, "data": ["status": "resolved", "resolved_at": "2025-11-17T00:00:00Z"]],
                "period ended at its end")
            let history = try await client.get("/api/v1/metrics/alerts/1/history")
            #expect(history.data?[1]?["reason"] == "period_ended", "\(history.text)")
            Self.expectBody(
                try await client.get("/api/v1/metrics/alerts/2"),
                [
                    "success": true,
                    "data": [
                        "agent_id": 2, "type": "outlier", "severity": "info", "metric": "execution_time",
                        "status": "active",
                        "current_value": 10_000.0, "detected_at": .string(H.iso(Self.noon - 10 * H.minute)),
                    ],
                ], "outlier alert")

            let head = try await Self.logHead(client)
            let second = try await client.post("/api/v1/admin/evaluate", ["as_of": .string(Self.asOf)])
            Self.expectBody(
                second, ["success": true, "data": ["alerts_raised": 0, "alerts_resolved": 0]], "second evaluation")
            #expect(try await Self.logHead(client) == head, "a repeated evaluation appended to the log")
            let later = try await client.post("/api/v1/admin/evaluate", ["as_of": .string(H.iso(Self.noon + H.minute))])
            Self.expectBody(
                later, ["success": true, "data": ["alerts_raised": 0, "alerts_resolved": 0]],
                "a later evaluation: same causes")
            #expect(try await client.get("/api/v1/metrics/alerts").json?["count"] == 2)
        }
    }

    // MARK: OpenAPI

    /// Every route of contract §2–§5 (method, path with `{}` for parameters).
    static let contractRoutes: Set<String> = [
        "GET /api/v1/agents", "POST /api/v1/agents", "GET /api/v1/agents/{}", "PUT /api/v1/agents/{}/budget",
        "GET /api/v1/agents/{}/budget", "POST /api/v1/metrics", "PUT /api/v1/metrics/alerts/{}/acknowledge",
        "PUT /api/v1/metrics/alerts/{}/resolve", "GET /api/v1/metrics/aggregate/timeseries",
        "GET /api/v1/metrics/aggregate/by-agent/{}", "GET /api/v1/metrics/aggregate/by-role/{}",
        "GET /api/v1/metrics/percentiles/{}", "GET /api/v1/metrics/trends/{}", "GET /api/v1/metrics/outliers/{}",
        "GET /api/v1/metrics/recommendations/cost", "GET /api/v1/metrics/insights/performance",
        "GET /api/v1/metrics/alerts", "GET /api/v1/metrics/alerts/{}", "GET /api/v1/metrics/alerts/{}/history",
        "GET /api/v1/metrics/summary", "POST /api/v1/admin/evaluate",
    ]
    /// §5: the rules document.
    static let rulesRoutes: Set<String> = ["GET /api/v1/admin/rules", "PUT /api/v1/admin/rules"]

    static func documentedRoutes(_ client: any TestClientProtocol) async throws -> Set<String> {
        let r = try await client.get("/openapi.json")
        try #require(r.status == .ok, "GET /openapi.json: HTTP \(r.status.code)")
        #expect(r.json?["openapi"]?.stringValue?.hasPrefix("3.") == true)
        let paths = try #require(r.json?["paths"]?.objectValue)
        var routes: Set<String> = []
        for (path, item) in paths {
            let template = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("{") ? "{}" : String($0) }.joined(separator: "/")
            for (method, _) in item.objectValue ?? [:] { routes.insert("\(method.uppercased()) \(template)") }
        }
        return routes
    }

    @Test("GET /openapi.json lists every route of the contract and every route these tests exercise")
    func openAPI() async throws {
        try await H.run { client, _ in
            let documented = try await Self.documentedRoutes(client)
            let exercised = Self.contractRoutes.union(["GET /healthz"])
            let missing = exercised.subtracting(documented)
            #expect(missing.isEmpty, "routes missing from /openapi.json: \(missing.sorted())")
            // And nothing documented is unreachable: a documented GET answers something but 404/405 (for the route).
            for route in documented.sorted() where route.hasPrefix("GET ") {
                let path = String(route.dropFirst(4)).replacingOccurrences(of: "{}", with: "1")
                let r = try await client.get(path)
                #expect(r.status != .methodNotAllowed, "\(route) is documented but answers 405")
                if r.status == .notFound {
                    #expect(
                        r.error?["message"]?.stringValue?.hasPrefix("no route") != true,
                        "\(route) is documented but not routed")
                }
            }
        }
    }

    @Test("§5 rules document: GET/PUT /api/v1/admin/rules, documented, versioned, and in force")
    func rulesRoutes() async throws {
        try await H.run { client, _ in
            let documented = try await Self.documentedRoutes(client)
            let missing = Self.rulesRoutes.subtracting(documented)
            #expect(missing.isEmpty, "routes of contract §5 missing from /openapi.json: \(missing.sorted())")
            let r = try await client.get("/api/v1/admin/rules")
            try #require(r.status == .ok, "GET /api/v1/admin/rules: HTTP \(r.status.code) \(r.text.prefix(200))")
            #expect(r.etag != nil, "GET /api/v1/admin/rules has no ETag")
            let version = try #require(r.data?["version"]?.int64Value)
            let rules = try #require(r.data?["rules"]?.objectValue)
            #expect(rules["recommendations"]?["pause_max_tasks"] == 5, "the contract's default: \(r.text)")

            // An agent with a budget and 3 tasks: pause_agent under the default (< 5 tasks).
            try await Self.register(client, "coder")
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 100.0])
            _ = try await client.post("/api/v1/metrics", Self.batch([Self.metric(), Self.metric(), Self.metric()]))
            let before = try await client.get("/api/v1/metrics/recommendations/cost", [("as_of", Self.asOf)])
            #expect(before.data?[0]?["type"] == "pause_agent", "\(before.text)")

            // The same document back is accepted; then a changed threshold is in force.
            let same = try await client.put("/api/v1/admin/rules", .object(rules))
            #expect(same.status == .ok, "PUT the same rules back: HTTP \(same.status.code) \(same.text.prefix(200))")
            let changed = try await client.put("/api/v1/admin/rules", ["recommendations": ["pause_max_tasks": 2]])
            Self.expectBody(
                changed,
                [
                    "success": true,
                    "data": [
                        "version": .int(version + 2),
                        "rules": ["recommendations": ["pause_max_tasks": 2, "reduce_max_tasks": 20]],
                    ],
                ], "changed rules (omitted fields keep their defaults)")
            let after = try await client.get("/api/v1/metrics/recommendations/cost", [("as_of", Self.asOf)])
            #expect(after.data?[0]?["type"] == "reduce_budget", "3 tasks is no longer rarely used: \(after.text)")
            #expect(try await client.get("/api/v1/admin/rules").data?["version"]?.int64Value == version + 2)

            Self.expectError(
                try await client.put("/api/v1/admin/rules", ["bogus": [:]]), .unprocessableContent, "validation_failed",
                field: "bogus", "an unknown section")
            Self.expectError(
                try await client.put("/api/v1/admin/rules", ["recommendations": ["pause_max_tasks": -1]]),
                .unprocessableContent, "validation_failed", field: "pause_max_tasks", "a negative threshold")
            Self.expectError(
                try await client.call(.put, "/api/v1/admin/rules", raw: "{rules"), .badRequest, "invalid_body",
                "a rules body that is not JSON")
        }
    }
}
