import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// Issue #8: nothing a client sends produces a 5xx, a crash, a hang or a stored value outside the
/// contract — NaN and infinity, negative or enormous numbers, numbers beyond Int64, 10 MB strings,
/// deeply nested JSON, invalid UTF-8, duplicate keys, times like year 10000 — and the OpenAPI
/// document that `scripts/fuzz-api.sh` fuzzes against describes every operation.
@Suite("Hostile input")
struct HostileInputTests {
    typealias H = ServerHarness
    typealias E = EndpointTests
    static let noon = ServerHarness.noon
    static let asOf = ServerHarness.iso(ServerHarness.noon)

    /// Every route that reads a JSON body.
    static let writes: [(HTTPRequest.Method, String)] = [
        (.post, "/api/v1/agents"), (.put, "/api/v1/agents/1/budget"), (.post, "/api/v1/metrics"),
        (.put, "/api/v1/metrics/alerts/1/acknowledge"), (.put, "/api/v1/metrics/alerts/1/resolve"),
        (.put, "/api/v1/admin/rules"), (.post, "/api/v1/admin/evaluate"), (.post, "/api/v1/admin/retention"),
    ]

    /// Sends raw bytes as a JSON body.
    static func send(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ bytes: [UInt8]
    ) async throws -> HarnessResponse {
        try await client.execute(
            uri: uri, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: bytes)
        ) { response in
            let text = String(buffer: response.body)
            let parsed = text.isEmpty ? nil : try? JSONParser.parse(text)
            return HarnessResponse(status: response.status, headers: response.headers, text: text, json: parsed)
        }
    }

    /// Expects a 4xx in the error envelope with one of `codes`.
    static func expectRefused(
        _ r: HarnessResponse, _ codes: Set<String>, _ what: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            (400..<500).contains(r.status.code), "\(what): HTTP \(r.status.code) \(r.text.prefix(200))",
            sourceLocation: sourceLocation)
        let code = r.error?["code"]?.stringValue ?? "none"
        #expect(
            codes.contains(code) && r.json?["success"] == false, "\(what): error code \(code) in \(r.text.prefix(200))",
            sourceLocation: sourceLocation)
    }

    /// Registers agent 1 and gives it a budget.
    static func setUp(_ client: any TestClientProtocol) async throws {
        try await E.register(client, "coder", id: 1)
        let budget = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 30.0])
        try #require(budget.status == .ok, "budget: \(budget.text)")
    }

    // MARK: Malformed JSON

    @Test("malformed and hostile JSON bodies on every write: 400 invalid_body or 413, nothing appended")
    func malformedBodies() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            let head = try await E.logHead(client)
            func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
            let deepArrays = bytes(String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000))
            let deepObjects = bytes(
                String(repeating: #"{"a":"#, count: 8_000) + "1" + String(repeating: "}", count: 8_000))
            let cases: [(String, [UInt8])] = [
                ("50,000 nested arrays", deepArrays),
                ("8,000 nested objects", deepObjects),
                ("invalid UTF-8 in a string", bytes(#"{"name": ""#) + [0xFF, 0xFE] + bytes(#"", "role": "r"}"#)),
                ("overlong UTF-8", bytes(#"{"name": ""#) + [0xC0, 0xAF] + bytes(#"", "role": "r"}"#)),
                ("UTF-8 encoded surrogate", bytes(#"{"name": ""#) + [0xED, 0xA0, 0x80] + bytes(#"", "role": "r"}"#)),
                ("invalid UTF-8 in a key", bytes("{\"") + [0x80] + bytes(#"": 1}"#)),
                ("lone surrogate escape", bytes(#"{"name": "\ud800", "role": "r"}"#)),
                ("raw control character", bytes("{\"name\": \"a\u{01}b\", \"role\": \"r\"}")),
                ("duplicate keys", bytes(#"{"name": "a", "name": "b", "role": "r", "total_budget_usd": 1}"#)),
                ("NaN", bytes(#"{"total_budget_usd": NaN, "as_of": NaN}"#)),
                ("Infinity", bytes(#"{"total_budget_usd": Infinity}"#)),
                ("-Infinity", bytes(#"{"total_budget_usd": -Infinity}"#)),
                ("trailing data", bytes(#"{"name": "a", "role": "r"} {}"#)),
                ("single quotes", bytes(#"{'name': 'a'}"#)),
                ("leading zeros", bytes(#"{"total_budget_usd": 007}"#)),
                ("a bare minus", bytes(#"{"total_budget_usd": -}"#)),
                ("truncated", bytes(#"{"name": "a", "ro"#)),
                ("a NUL byte", [0x00]),
                ("a byte-order mark", [0xEF, 0xBB, 0xBF] + bytes("{}")),
            ]
            for (method, path) in Self.writes {
                for (name, body) in cases {
                    let r = try await Self.send(client, method, path, body)
                    Self.expectRefused(r, ["invalid_body", "payload_too_large"], "\(method) \(path): \(name)")
                }
            }
            #expect(try await E.logHead(client) == head, "a refused body appended something")
        }
    }

    @Test("10 MB strings and a 5 MB number: refused (413 for small bodies, 400 past the string limit)")
    func hugeValues() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            let head = try await E.logHead(client)
            let tenMB = String(repeating: "x", count: 10 << 20)
            for (method, path) in Self.writes {
                let r = try await client.call(method, path, raw: #"{"name": "\#(tenMB)", "role": "r"}"#)
                Self.expectRefused(r, ["invalid_body", "payload_too_large"], "\(method) \(path) with a 10 MB string")
            }
            let metric = E.metric([("event_id", .string(tenMB)), ("error_message", .string(tenMB))])
            Self.expectRefused(
                try await client.post("/api/v1/metrics", metric), ["invalid_body"], "a metric with 10 MB strings")
            let digits = String(repeating: "9", count: 5 << 20)
            let number = #"{"agent_id": 1, "execution_time_ms": \#(digits)}"#
            Self.expectRefused(
                try await client.call(.post, "/api/v1/metrics", raw: number), ["validation_failed", "invalid_body"],
                "a number of 5 million digits")
            #expect(try await E.logHead(client) == head, "a refused body appended something")
        }
    }

    // MARK: Numbers

    @Test("numbers beyond Int64, infinities and out-of-range values: 422 naming the field, nothing stored")
    func hostileNumbers() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            let head = try await E.logHead(client)
            let metricCases: [(String, String, String)] = [
                ("agent_id beyond Int64", #""agent_id": 99999999999999999999"#, "agent_id"),
                ("agent_id 2^63", #""agent_id": 9223372036854775808"#, "agent_id"),
                ("tokens_used Int64.max", #""tokens_used": 9223372036854775807"#, "tokens_used"),
                ("tokens_used beyond Int64", #""tokens_used": 18446744073709551616"#, "tokens_used"),
                ("tokens_used 1e30", #""tokens_used": 1e30"#, "tokens_used"),
                ("tokens_used above the cap", #""tokens_used": 1000000001"#, "tokens_used"),
                ("api_calls beyond Int64", #""api_calls": 9223372036854775808"#, "api_calls"),
                ("execution_time_ms 1e999", #""execution_time_ms": 1e999"#, "execution_time_ms"),
                ("execution_time_ms -1e999", #""execution_time_ms": -1e999"#, "execution_time_ms"),
                ("execution_time_ms 1e308", #""execution_time_ms": 1e308"#, "execution_time_ms"),
                ("cost_usd 1e999", #""cost_usd": 1e999"#, "cost_usd"),
                ("cost_usd 1e10", #""cost_usd": 1e10"#, "cost_usd"),
                ("negative cost", #""cost_usd": -0.000000001"#, "cost_usd"),
                ("quality_score 1e999", #""quality_score": 1e999"#, "quality_score"),
                ("cost_usd true", #""cost_usd": true"#, "cost_usd"),
                ("tokens_used an array", #""tokens_used": [1]"#, "tokens_used"),
                ("agent_id an object", #""agent_id": {"id": 1}"#, "agent_id"),
            ]
            let base = E.metric().objectValue!
            for (name, override, field) in metricCases {
                // The override comes last; remove the key first so the body has no duplicate.
                let key = String(override.split(separator: ":")[0].dropFirst().dropLast())
                var object = base
                _ = object.removeValue(forKey: key)
                var text = JSONValue.object(object).jsonString
                text.removeLast()
                text += ", " + override + "}"
                let r = try await client.call(.post, "/api/v1/metrics", raw: text)
                E.expectError(r, .unprocessableContent, "validation_failed", field: field, name)
            }
            // Split tokens whose sum passes the cap, and each beyond Int64.
            for (input, output) in [("1000000000", "1"), ("9223372036854775807", "1")] {
                var object = base
                _ = object.removeValue(forKey: "tokens_used")
                var text = JSONValue.object(object).jsonString
                text.removeLast()
                text += #", "input_tokens": \#(input), "output_tokens": \#(output)}"#
                let r = try await client.call(.post, "/api/v1/metrics", raw: text)
                Self.expectRefused(r, ["validation_failed"], "input_tokens \(input) + output_tokens \(output)")
            }
            let otherCases: [(HTTPRequest.Method, String, String, String)] = [
                (.post, "/api/v1/agents", #"{"id": 9223372036854775808, "name": "x", "role": "r"}"#, "id"),
                (.post, "/api/v1/agents", #"{"id": 1e300, "name": "x", "role": "r"}"#, "id"),
                (.post, "/api/v1/agents", #"{"id": -1, "name": "x", "role": "r"}"#, "id"),
                (.post, "/api/v1/agents", #"{"id": 1.5, "name": "x", "role": "r"}"#, "id"),
                (.put, "/api/v1/agents/1/budget", #"{"total_budget_usd": 1e999}"#, "total_budget_usd"),
                (.put, "/api/v1/agents/1/budget", #"{"total_budget_usd": 1e10}"#, "total_budget_usd"),
                (
                    .put, "/api/v1/agents/1/budget", #"{"total_budget_usd": 1, "warning_threshold_percent": 1e999}"#,
                    "warning_threshold_percent"
                ),
                (
                    .put, "/api/v1/agents/1/budget", #"{"total_budget_usd": 1, "critical_threshold_percent": 1e300}"#,
                    "critical_threshold_percent"
                ),
                (.put, "/api/v1/admin/rules", #"{"recommendations": {"pause_max_tasks": 1e30}}"#, "pause_max_tasks"),
                (
                    .put, "/api/v1/admin/rules", #"{"evaluator": {"outlier_z_threshold": 1e999}}"#,
                    "outlier_z_threshold"
                ),
                (.put, "/api/v1/admin/rules", #"{"retention": {"metrics_days": 1e30}}"#, "metrics_days"),
            ]
            for (method, path, body, field) in otherCases {
                let r = try await client.call(method, path, raw: body)
                E.expectError(r, .unprocessableContent, "validation_failed", field: field, "\(method) \(path) \(body)")
            }
            #expect(try await E.logHead(client) == head, "a refused number was stored")

            // Path and query numbers.
            let queries: [(String, String)] = [
                ("/api/v1/agents/99999999999999999999", "id"),
                ("/api/v1/agents/-1/budget", "id"),
                ("/api/v1/metrics/alerts/9223372036854775808", "id"),
                ("/api/v1/metrics/aggregate/by-agent/1e3", "agent_id"),
                ("/api/v1/metrics/aggregate/timeseries?agent_id=99999999999999999999", "agent_id"),
                ("/api/v1/metrics/trends/cost?lookback_days=9223372036854775808", "lookback_days"),
                ("/api/v1/metrics/outliers/cost?z_threshold=NaN", "z_threshold"),
                ("/api/v1/metrics/outliers/cost?z_threshold=nan", "z_threshold"),
                ("/api/v1/metrics/outliers/cost?z_threshold=inf", "z_threshold"),
                ("/api/v1/metrics/outliers/cost?z_threshold=1e999", "z_threshold"),
                ("/api/v1/metrics/outliers/cost?limit=1e3", "limit"),
                ("/api/v1/metrics/alerts?limit=-1", "limit"),
            ]
            for (uri, field) in queries {
                let r = try await client.call(.get, uri)
                E.expectError(r, .badRequest, "invalid_parameter", field: field, "GET \(uri)")
            }
        }
    }

    @Test("agent ids: 2^63-1 is refused naming id; the largest allowed id leaves no next id (409), never a crash")
    func agentIDs() async throws {
        try await H.run { client, _ in
            let huge = try await client.post(
                "/api/v1/agents", ["id": .int(Int64.max), "name": "big", "role": "r"])
            E.expectError(huge, .unprocessableContent, "validation_failed", field: "id", "id 2^63-1")
            for bad: JSONValue in [.int(0), .int(-1), .int(Limits.maximumAgentID + 1), .double(1e300)] {
                let r = try await client.post("/api/v1/agents", ["id": bad, "name": "bad", "role": "r"])
                E.expectError(r, .unprocessableContent, "validation_failed", field: "id", "id \(bad)")
            }
            #expect(try await E.register(client, "first") == 1)
            let top = try await client.post(
                "/api/v1/agents", ["id": .int(Limits.maximumAgentID), "name": "top", "role": "r"])
            #expect(top.status == .created)
            let next = try await client.post("/api/v1/agents", ["name": "next", "role": "r"])
            E.expectError(next, .conflict, "conflict", "no id above the largest")
            #expect(try await E.register(client, "named", id: 7) == 7)
            let metric = E.metric(agent: Limits.maximumAgentID)
            #expect(try await client.post("/api/v1/metrics", metric).status == .created)
            let beyond = try await client.post("/api/v1/metrics", E.metric(agent: Int64.max))
            E.expectError(beyond, .unprocessableContent, "validation_failed", field: "agent_id", "agent 2^63-1")
            #expect(try await client.get("/api/v1/agents").status == .ok)
        }
    }

    @Test("evaluate and retention refuse an as_of beyond the clock skew (422 as_of); nothing is resolved or removed")
    func futureAsOf() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            #expect(try await client.post("/api/v1/metrics", E.metric(cost: 29.0)).status == .created)
            let head = try await E.logHead(client)
            for path in ["/api/v1/admin/evaluate", "/api/v1/admin/retention"] {
                for future in ["9998-12-31T23:59:59Z", H.iso(H.noon + 6 * H.minute)] {
                    let r = try await client.post(path, ["as_of": .string(future)])
                    E.expectError(r, .unprocessableContent, "validation_failed", field: "as_of", "\(path) at \(future)")
                }
            }
            #expect(try await E.logHead(client) == head, "a refused run appended something")
            let alerts = try await client.get("/api/v1/metrics/alerts")
            let listed = alerts.data?.arrayValue ?? []
            #expect(!listed.isEmpty && listed.allSatisfy { $0["status"] == "active" }, "\(alerts.text.prefix(300))")
            // Within the skew (clocks drift) both run.
            let skewed = H.iso(H.noon + 4 * H.minute)
            #expect(try await client.post("/api/v1/admin/evaluate", ["as_of": .string(skewed)]).status == .ok)
            #expect(try await client.post("/api/v1/admin/retention", ["as_of": .string(skewed)]).status == .ok)
        }
    }

    @Test("token and cost sums cannot overflow: capped tokens, each agent's spend bounded, fleet sums 128-bit")
    func sumsCannotOverflow() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            // Two metrics at the token cap: sums stay representable (Int64.max twice crashed the fold).
            let tokens = E.batch(
                (0..<2).map { _ in E.metric([("tokens_used", .int(MetricValidation.maximumTokens))]) })
            let stored = try await client.post("/api/v1/metrics", tokens)
            #expect(stored.status == .created, "\(stored.text.prefix(300))")
            let summary = try await client.get("/api/v1/metrics/summary", [("as_of", Self.asOf)])
            #expect(summary.data?["last_24h"]?["total_tokens"] == .int(2 * MetricValidation.maximumTokens))

            // $1e9 metrics: agent 1's all-time spend stops at Limits.maximumAgentSpendNanos (about
            // $2.3e9), and only agent 1's: another agent's costed metrics are still taken.
            let big = E.batch((0..<6).map { _ in E.metric(cost: 1e9) })
            let r = try await client.post("/api/v1/metrics", big)
            #expect(r.status.code == 207, "HTTP \(r.status.code) \(r.text.prefix(300))")
            #expect(r.json?["accepted"] == 2 && r.json?["rejected"] == 4, "\(r.text.prefix(300))")
            let rejected = r.json?["results"]?.arrayValue?.filter { $0["status"] == "rejected" } ?? []
            #expect(rejected.allSatisfy { $0["error"]?["field"] == "cost_usd" }, "\(rejected)")
            let single = try await client.post("/api/v1/metrics", E.metric(cost: 1e9))
            E.expectError(single, .unprocessableContent, "validation_failed", field: "cost_usd", "one more $1e9")
            // A small cost still fits.
            #expect(try await client.post("/api/v1/metrics", E.metric(cost: 0.5)).status == .created)
            try await E.register(client, "other", id: 2)
            let others = E.batch((0..<2).map { _ in E.metric(agent: 2, cost: 1e9) } + [E.metric(agent: 2, cost: 0.01)])
            #expect(try await client.post("/api/v1/metrics", others).status == .created, "another agent is not blocked")

            // Every read still answers, with the sums exact.
            let reads = [
                "/api/v1/metrics/summary", "/api/v1/metrics/aggregate/timeseries",
                "/api/v1/metrics/aggregate/by-agent/1",
                "/api/v1/metrics/aggregate/by-role/developer", "/api/v1/agents/1/budget",
                "/api/v1/metrics/percentiles/cost", "/api/v1/metrics/percentiles/tokens", "/api/v1/metrics/trends/cost",
                "/api/v1/metrics/outliers/tokens", "/api/v1/metrics/recommendations/cost",
                "/api/v1/metrics/insights/performance", "/api/v1/metrics/alerts", "/api/v1/metrics/reports/weekly",
            ]
            for path in reads {
                let answer = try await client.get(path, [("as_of", Self.asOf)])
                #expect(answer.status == .ok, "GET \(path): HTTP \(answer.status.code) \(answer.text.prefix(200))")
            }
            let byAgent = try await client.get("/api/v1/metrics/aggregate/by-agent/1", [("as_of", Self.asOf)])
            let total = byAgent.data?["cost"]?["total_usd"]?.doubleValue ?? 0
            #expect(abs(total - 2_000_000_000.502) < 1e-3, "total_usd \(total)")
            // The fleet's sums pass Int64 nano-dollars' range of one agent: 128-bit, exact.
            let summary30 = try await client.get("/api/v1/metrics/summary", [("as_of", Self.asOf)])
            let fleet = summary30.data?["last_30d_summary"]?["total_cost_usd"]?.doubleValue ?? 0
            #expect(abs(fleet - 4_000_000_000.512) < 1e-3, "total_cost_usd \(fleet)")
            let evaluate = try await client.post("/api/v1/admin/evaluate", ["as_of": .string(Self.asOf)])
            #expect(evaluate.status == .ok, "\(evaluate.text.prefix(200))")
        }
    }

    // MARK: Times

    @Test("times outside 1970 to 9999-01-01 are refused, so no answer holds a year like 10000 (was +10000, 501-W20)")
    func timeRange() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            let head = try await E.logHead(client)
            for ts in [
                "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "10000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z", "2025-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2025-11-17T24:00:00Z",
                "2025-11-17T12:00:60Z", "2025-11-17 12:00:00Z", "2025-11-17T12:00:00", "-2025-11-17T12:00:00Z",
                "2025-11-17T12:00:00.1234567890Z", "2025-11-17T12:00:00+24:00",
            ] {
                let r = try await client.post("/api/v1/metrics", E.metric([("timestamp", .string(ts))]))
                E.expectError(r, .unprocessableContent, "validation_failed", field: "timestamp", "timestamp \(ts)")
            }
            for asOf in ["9999-06-01T00:00:00Z", "1969-06-01T00:00:00Z", "10000-01-01T00:00:00Z"] {
                for path in ["/api/v1/admin/evaluate", "/api/v1/admin/retention"] {
                    let r = try await client.post(path, ["as_of": .string(asOf)])
                    E.expectError(
                        r, .unprocessableContent, "validation_failed", field: "as_of", "\(path) as_of \(asOf)")
                }
            }
            #expect(try await E.logHead(client) == head, "a refused time was stored")
            let queries: [(String, [(String, String)], String)] = [
                ("/api/v1/agents/1/budget", [("as_of", "9999-12-31T23:00:00Z")], "as_of"),
                ("/api/v1/metrics/summary", [("as_of", "0001-01-01T00:00:00Z")], "as_of"),
                ("/api/v1/metrics/reports/weekly", [("as_of", "0501-05-24T05:07:14Z")], "as_of"),
                ("/api/v1/metrics/reports/weekly", [("week", "0501-W20")], "week"),
                ("/api/v1/metrics/reports/weekly", [("week", "9999-W01")], "week"),
                ("/api/v1/metrics/reports/weekly", [("week", "2025-W00")], "week"),
                ("/api/v1/metrics/reports/weekly", [("week", "2025-W54")], "week"),
                ("/api/v1/metrics/aggregate/timeseries", [("start_date", "0001-01-01T00:00:00Z")], "start_date"),
                ("/api/v1/metrics/aggregate/timeseries", [("end_date", "10000-01-01T00:00:00Z")], "end_date"),
                ("/api/v1/metrics/alerts", [("end_date", "9999-12-31T23:59:59Z")], "end_date"),
            ]
            for (path, query, field) in queries {
                let r = try await client.get(path, query)
                E.expectError(r, .badRequest, "invalid_parameter", field: field, "GET \(path) \(query)")
            }

            // The edges are accepted, and every time in the answers is a four-digit year.
            let epoch = try await client.post("/api/v1/metrics", E.metric([("timestamp", "1970-01-01T00:00:00Z")]))
            #expect(epoch.status == .created, "timestamp at the epoch: \(epoch.text.prefix(200))")
            let late = "9998-12-31T23:59:59Z"
            let budget = try await client.get("/api/v1/agents/1/budget", [("as_of", late)])
            #expect(budget.status == .ok && budget.data?["period_end"] == "9999-01-01T00:00:00Z", "\(budget.text)")
            for (path, query) in [
                (
                    "/api/v1/metrics/aggregate/timeseries",
                    [("as_of", "1970-01-01T00:00:00Z"), ("granularity", "month")]
                ),
                ("/api/v1/metrics/aggregate/by-agent/1", [("as_of", "1970-01-05T00:00:00Z")]),
                ("/api/v1/metrics/trends/cost", [("as_of", "1970-01-01T00:00:00Z"), ("lookback_days", "365")]),
                ("/api/v1/metrics/reports/weekly", [("as_of", "1970-01-01T00:00:00Z")]),
                ("/api/v1/metrics/reports/weekly", [("as_of", late)]),
                ("/api/v1/metrics/aggregate/by-agent/1", [("as_of", late)]),
            ] {
                let r = try await client.get(path, query)
                #expect(r.status == .ok, "GET \(path) \(query): HTTP \(r.status.code) \(r.text.prefix(200))")
                let times = Self.strings(r.json).filter { $0.contains("T") && $0.hasSuffix("Z") }
                for t in times {
                    #expect(UTCTime.parseISO8601(t) != nil, "GET \(path) \(query) answers the time \(t)")
                }
                let week = r.data?["week"]?.stringValue
                #expect(week == nil || week!.utf8.count == 8, "GET \(path) \(query): week \(week ?? "")")
            }
        }
    }

    /// Every string value in a JSON tree.
    static func strings(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s): return [s]
        case .array(let a): return a.flatMap { strings($0) }
        case .object(let o): return o.flatMap { strings($0.value) }
        default: return []
        }
    }

    // MARK: Strings in paths and queries

    @Test("invalid UTF-8, control characters and long strings in paths, queries and names: never a 5xx")
    func hostileURLs() async throws {
        try await H.run { client, _ in
            try await Self.setUp(client)
            let long = String(repeating: "a", count: 20_000)
            for uri in [
                "/api/v1/metrics/aggregate/by-role/%FF%FE", "/api/v1/metrics/aggregate/by-role/%00",
                "/api/v1/metrics/aggregate/by-role/%", "/api/v1/metrics/aggregate/by-role/\(long)",
                "/api/v1/metrics/aggregate/timeseries?role=%FF%FE&operation_type=%00%01",
                "/api/v1/metrics/aggregate/timeseries?operation_type=\(long)",
                "/api/v1/metrics/aggregate/timeseries?granularity=%FF", "/api/v1/metrics/percentiles/%FF",
                "/api/v1/metrics/alerts?status=%C0%AF", "/api/v1/agents/%FF", "/api/v1/metrics/reports/weekly?week=%FF",
                "/api/v1/metrics/summary?as_of=%FF%FE",
                "/api/v1/metrics/summary?as_of=2025-11-17T12%3A00%3A00%2B00%3A00",
                "/api/v1/metrics/aggregate/timeseries?as_of=\(Self.asOf)&as_of=nonsense",
            ] {
                let r = try await client.call(.get, uri)
                #expect(r.status.code < 500, "GET \(uri.prefix(120)): HTTP \(r.status.code) \(r.text.prefix(200))")
                if r.status.code >= 400 {
                    #expect(
                        r.json?["success"] == false, "GET \(uri.prefix(120)): not an envelope: \(r.text.prefix(200))")
                }
            }
            // Names: 129 characters is refused; 128 four-byte characters fit.
            let tooLong = try await client.post(
                "/api/v1/agents", ["name": .string(String(repeating: "n", count: 129)), "role": "r"])
            E.expectError(tooLong, .unprocessableContent, "validation_failed", field: "name", "a 129-character name")
            let emoji = try await client.post(
                "/api/v1/agents", ["name": .string(String(repeating: "🦀", count: 128)), "role": "r"])
            #expect(emoji.status == .created, "\(emoji.text.prefix(200))")
            // Lengths count code points (as JSON Schema and the kit's Python do), not grapheme clusters.
            let combining = try await client.post(
                "/api/v1/agents", ["name": .string(String(repeating: "e\u{301}", count: 128)), "role": "r"])
            E.expectError(combining, .unprocessableContent, "validation_failed", field: "name", "256 code points")
        }
    }

    // MARK: The OpenAPI document

    @Test("the OpenAPI document gives every operation its parameters, body and every response it can answer")
    func openAPIDocument() async throws {
        try await H.run { client, _ in
            let r = try await client.get("/openapi.json")
            #expect(OpenAPISpec.problem == nil, "the OpenAPI resource files: \(OpenAPISpec.problem ?? "")")
            let document = try #require(r.json)
            let paths = try #require(document["paths"]?.objectValue)
            var documented: Set<String> = []
            for (path, item) in paths {
                for (method, operation) in item.objectValue ?? [:] {
                    let key = "\(method.uppercased()) \(path)"
                    documented.insert(key)
                    #expect(OpenAPISpec.operations[key] != nil, "\(key) has no entry in OpenAPISpec")
                    let responses = try #require(operation["responses"]?.objectValue, "\(key) has no responses")
                    #expect(responses["default"] == nil, "\(key) answers 'default' instead of its statuses")
                    #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(key) has no 2xx response")
                    for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                        let resolved = Self.resolve(response, in: document)
                        let schema = resolved?["content"]?["application/json"]?["schema"]?["$ref"]
                        // OTLP's receiver answers its own protocol's errors as google.rpc.Status
                        // (the API keys' 401 and 403 stay the envelope).
                        let expected =
                            path.hasPrefix("/v1/") && status != "401" && status != "403"
                            ? "#/components/schemas/RpcStatus" : "#/components/schemas/Error"
                        #expect(schema == .string(expected), "\(key) \(status) is not \(expected)")
                    }
                    for template in path.split(separator: "/") where template.hasPrefix("{") {
                        let name = String(template.dropFirst().dropLast())
                        let declared = (operation["parameters"]?.arrayValue ?? []).contains {
                            Self.resolve($0, in: document)?["name"] == .string(name)
                        }
                        #expect(declared, "\(key) does not declare its path parameter \(name)")
                    }
                }
            }
            let stale = Set(OpenAPISpec.operations.keys).subtracting(documented)
            #expect(stale.isEmpty, "OpenAPISpec describes operations no route serves: \(stale.sorted())")
            // Every reference resolves.
            for reference in Self.references(document) {
                #expect(Self.resolve(["$ref": .string(reference)], in: document) != nil, "unresolved \(reference)")
            }
            // The rules schemas cover every rule, each with its constraints.
            let rules = Rules.defaults.document.objectValue ?? [:]
            let ruleKeys = Set(
                rules.flatMap { section in (section.value.objectValue ?? [:]).keys.map { "\(section.key).\($0)" } })
            let constrained = Set(OpenAPISpec.ruleConstraints.keys)
            let unconstrained = ruleKeys.subtracting(constrained).sorted()
            let stray = constrained.subtracting(ruleKeys).sorted()
            #expect(unconstrained.isEmpty, "rules without constraints in OpenAPISpec: \(unconstrained)")
            #expect(stray.isEmpty, "constraints in OpenAPISpec without a rule: \(stray)")
            let current = try await client.get("/api/v1/admin/rules")
            let sections = document["components"]?["schemas"]?["RulesDocument"]?["required"]?.arrayValue ?? []
            #expect(Set(sections.compactMap(\.stringValue)) == Set(current.data?["rules"]?.objectValue?.keys ?? []))
        }
    }

    /// Follows a `$ref` (`#/a/b`) within the document; other values are returned as they are.
    static func resolve(_ value: JSONValue?, in document: JSONValue) -> JSONValue? {
        guard let reference = value?["$ref"]?.stringValue else { return value }
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    /// Every `$ref` in a JSON tree.
    static func references(_ value: JSONValue) -> [String] {
        switch value {
        case .object(let o):
            return o.flatMap { pair -> [String] in
                if pair.key == "$ref", let s = pair.value.stringValue { return [s] }
                return references(pair.value)
            }
        case .array(let a): return a.flatMap { references($0) }
        default: return []
        }
    }
}
