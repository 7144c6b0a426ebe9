import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// The conformance kit's answers, frozen in `Fixtures/golden.json` by `Fixtures/make_golden.py`
/// (gen.py + oracle.py of `shared/conformance`), checked without Python: the writes are replayed
/// into a fresh server with a fixed clock, then every read case is compared with the kit's rules
/// (`KitComparison`). A failing case is reported by name with its first differences.
@Suite("Golden conformance cases")
struct GoldenTests {
    static func load() throws -> JSONValue {
        let url = try #require(
            Bundle.module.url(forResource: "golden", withExtension: "json", subdirectory: "Fixtures"),
            "Fixtures/golden.json is missing from the test bundle (run Fixtures/make_golden.py)")
        return try JSONParser.parse(Array(try Data(contentsOf: url)))
    }

    /// The query of a case as ordered pairs.
    static func query(_ value: JSONValue?) -> [(String, String)] {
        guard let object = value?.objectValue else { return [] }
        return object.map { ($0.key, $0.value.stringValue ?? $0.value.jsonString) }
    }

    static func comparison(_ usdKeys: JSONValue?) -> KitComparison {
        KitComparison(extraUSDKeys: Set((usdKeys?.arrayValue ?? []).compactMap(\.stringValue)))
    }

    /// `status` plus the body comparison; nil when it matches.
    static func problems(
        _ r: HarnessResponse, status: JSONValue?, expected: JSONValue?, usdKeys: JSONValue? = nil
    ) -> [String] {
        var out: [String] = []
        let want = Int(status?.int64Value ?? 200)
        if r.status.code != want { out.append("HTTP \(r.status.code), expected \(want): \(r.text.prefix(200))") }
        if let expected {
            guard let json = r.json else { return out + ["the body is not JSON: \(r.text.prefix(200))"] }
            out += comparison(usdKeys).differences(expected, json)
        }
        return out
    }

    static func render(_ problems: [String], limit: Int = 6) -> String {
        let more = problems.count > limit ? " (+\(problems.count - limit) more)" : ""
        return problems.prefix(limit).joined(separator: "; ") + more
    }

    @Test("golden.json covers every read endpoint of §3 and the alert reads")
    func coverage() throws {
        let golden = try Self.load()
        let cases = try #require(golden["cases"]?.arrayValue)
        #expect(cases.count > 300)
        let templates = Set(
            cases.compactMap { $0["path"]?.stringValue }.map { path in
                path.split(separator: "/").map { segment -> String in
                    segment.allSatisfy(\.isNumber) ? "{id}" : String(segment)
                }.joined(separator: "/")
            })
        var required = [
            "api/v1/metrics/aggregate/timeseries", "api/v1/metrics/recommendations/cost",
            "api/v1/metrics/insights/performance", "api/v1/metrics/summary", "api/v1/metrics/alerts",
            "api/v1/metrics/alerts/{id}", "api/v1/metrics/alerts/{id}/history", "api/v1/agents",
            "api/v1/agents/{id}", "api/v1/agents/{id}/budget", "api/v1/metrics/aggregate/by-agent/{id}",
        ]
        for role in ["developer", "reviewer", "tester", "ops"] {
            required.append("api/v1/metrics/aggregate/by-role/\(role)")
        }
        for metric in ["execution_time", "cost", "quality_score", "tokens"] {
            required.append("api/v1/metrics/percentiles/\(metric)")
            required.append("api/v1/metrics/outliers/\(metric)")
        }
        for metric in ["execution_time", "cost", "success_rate", "quality_score"] {
            required.append("api/v1/metrics/trends/\(metric)")
        }
        let covered = Set(templates.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 })
        for path in required { #expect(covered.contains(path), "no golden case for \(path)") }
        let granularities = Set(cases.compactMap { $0["query"]?["granularity"]?.stringValue })
        #expect(granularities == ["hour", "day", "week", "month"])
        #expect(cases.contains { $0["query"]?["z_threshold"] == "2.5" })
        #expect(cases.contains { $0["query"]?["lookback_days"] == "14" })
    }

    @Test("every golden case answers as the conformance oracle computed it")
    func goldenCases() async throws {
        let golden = try Self.load()
        let clock = try #require(golden["clock"]?.stringValue.flatMap { UTCTime.parseISO8601($0) })
        let writes = try #require(golden["writes"])
        let cases = try #require(golden["cases"]?.arrayValue)
        let batches = try #require(writes["metric_batches"]?.arrayValue)

        let (failures, missingETags) = try await ServerHarness.run(clock: clock) { client, _ in
            var failures: [(String, [String])] = []
            func check(_ name: String, _ problems: [String]) {
                if !problems.isEmpty { failures.append((name, problems)) }
            }
            // The writes, in order, each with its expected answer.
            for (i, agent) in (writes["agents"]?.arrayValue ?? []).enumerated() {
                let r = try await client.post("/api/v1/agents", agent["body"] ?? .null)
                check("write.agents[\(i)]", Self.problems(r, status: agent["status"], expected: agent["expected"]))
            }
            for (i, budget) in (writes["budgets"]?.arrayValue ?? []).enumerated() {
                let id = budget["agent_id"]?.int64Value ?? 0
                let r = try await client.put("/api/v1/agents/\(id)/budget", budget["body"])
                check("write.budgets[\(i)]", Self.problems(r, status: budget["status"], expected: budget["expected"]))
            }
            for (i, batch) in batches.enumerated() {
                let r = try await client.post("/api/v1/metrics", ["metrics": batch["metrics"] ?? []])
                check(
                    "write.metrics.batch[\(i)]", Self.problems(r, status: batch["status"], expected: batch["expected"]))
            }
            if let evaluate = writes["evaluate"] {
                let r = try await client.post("/api/v1/admin/evaluate", evaluate["body"] ?? .null)
                check("write.evaluate", Self.problems(r, status: evaluate["status"], expected: evaluate["expected"]))
            }
            // The reads.
            var missingETags: [String] = []
            for c in cases {
                let name = c["name"]?.stringValue ?? "?"
                let path = c["path"]?.stringValue ?? "/"
                let r = try await client.get(path, Self.query(c["query"]))
                var problems = Self.problems(r, status: c["status"], expected: c["expected"], usdKeys: c["usd_keys"])
                if r.status == .ok && r.etag == nil { missingETags.append(name) }
                if c["check"]?.stringValue == "increasing_positions" {
                    let positions = (r.data?.arrayValue ?? []).map { $0["position"]?.int64Value }
                    if positions.contains(nil) || zip(positions, positions.dropFirst()).contains(where: { $0! >= $1! })
                    {
                        problems.append("history positions are not increasing integers: \(positions)")
                    }
                }
                check(name, problems)
            }
            return (failures, missingETags)
        }
        for (name, problems) in failures {
            Issue.record("golden case \(name) failed: \(Self.render(problems))")
        }
        if !failures.isEmpty {
            Issue.record(
                "\(failures.count) of \(cases.count) golden cases (+ \(batches.count + 2) write groups) failed")
        }
        #expect(missingETags.isEmpty, "200 GET answers without an ETag: \(missingETags.prefix(6))")
    }

    @Test("the kit's comparison rules")
    func comparisonRules() throws {
        let rules = KitComparison(extraUSDKeys: ["mean"])
        func diffs(_ e: String, _ a: String) throws -> [String] {
            rules.differences(try JSONParser.parse(e), try JSONParser.parse(a))
        }
        #expect(try diffs(#"{"x": 1.0}"#, #"{"x": 1.01, "extra": 3}"#).isEmpty)
        #expect(try !diffs(#"{"x": 1.0}"#, #"{"x": 1.02}"#).isEmpty)
        #expect(try !diffs(#"{"total_cost_usd": 1.0}"#, #"{"total_cost_usd": 1.0002}"#).isEmpty)
        #expect(try !diffs(#"{"mean": 1.0}"#, #"{"mean": 1.0002}"#).isEmpty)
        #expect(try diffs(#"{"p_value": 0.001234}"#, #"{"p_value": 0.0012341}"#).isEmpty)
        #expect(try !diffs(#"{"n": 3}"#, #"{"n": 4}"#).isEmpty)
        #expect(try diffs(#"{"n": 3}"#, #"{"n": 3.0}"#).isEmpty)
        #expect(try !diffs(#"{"n": 3}"#, #"{}"#).isEmpty)
        #expect(try diffs(#"{"n": "<<absent-or-null>>"}"#, #"{}"#).isEmpty)
        #expect(try diffs(#"{"t": "2025-11-17T14:30:00Z"}"#, #"{"t": "2025-11-17T14:30:00.000+00:00"}"#).isEmpty)
        #expect(try !diffs(#"{"t": "2025-11-17T14:30:00Z"}"#, #"{"t": "2025-11-17T14:30:01Z"}"#).isEmpty)
        #expect(try diffs(#"{"message": "at 70.4% ($1.33/$1.89)"}"#, #"{"message": "at 70.5% ($1.34/$1.89)"}"#).isEmpty)
        #expect(
            try !diffs(#"{"message": "at 70.4% ($1.33/$1.89)"}"#, #"{"message": "at 70.6% ($1.33/$1.89)"}"#).isEmpty)
        #expect(try !diffs(#"{"reason": "only 3 tasks"}"#, #"{"reason": "only 4 tasks"}"#).isEmpty)
        #expect(try !diffs(#"[1, 2]"#, #"[1]"#).isEmpty)
        #expect(try !diffs(#"{"b": true}"#, #"{"b": 1}"#).isEmpty)
    }
}
