import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Weekly report")
struct WeeklyReportTests {
    typealias H = ServerHarness

    @Test("JSON and Markdown reports of an ISO week; a malformed week is 400")
    func report() async throws {
        // 2025-11-17 is the Monday of 2025-W47; the clock reads Wednesday noon of that week + 7 days.
        try await H.run(clock: H.noon + 9 * H.day) { client, _ in
            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            #expect(try await client.post("/api/v1/agents", ["name": "tester", "role": "qa"]).status == .created)
            var metrics: [JSONValue] = []
            for (i, agent) in [1, 1, 2, 1].enumerated() {
                metrics.append([
                    "agent_id": .int(Int64(agent)), "operation_type": "work",
                    "timestamp": .string(H.iso(H.noon + Int64(i) * H.hour)),
                    "execution_time_ms": 100, "tokens_used": 10, "success": .bool(i != 3), "cost_usd": 1.25,
                ])
            }
            // One metric the week before, which the report must leave out.
            metrics.append([
                "agent_id": 2, "operation_type": "work", "timestamp": .string(H.iso(H.noon - 3 * H.day)),
                "execution_time_ms": 100, "tokens_used": 10, "success": true, "cost_usd": 9.0,
            ])
            #expect(try await client.post("/api/v1/metrics", ["metrics": .array(metrics)]).status == .created)
            let report = try await client.get("/api/v1/metrics/reports/weekly", [("week", "2025-W47")])
            #expect(report.status == .ok)
            let data = try #require(report.json?["data"])
            #expect(data["week"]?.stringValue == "2025-W47")
            #expect(data["period"]?["start"]?.stringValue == "2025-11-17T00:00:00Z")
            #expect(data["totals"]?["total_operations"]?.int64Value == 4)
            #expect(data["totals"]?["failed_operations"]?.int64Value == 1)
            #expect(data["totals"]?["total_cost_usd"]?.doubleValue == 5.0)
            #expect(data["by_role"]?.arrayValue?.count == 2)
            #expect(data["top_agents"]?[0]?["agent_name"]?.stringValue == "coder")
            #expect(data["top_agents"]?[0]?["total_cost_usd"]?.doubleValue == 3.75)

            let markdown = try await client.get(
                "/api/v1/metrics/reports/weekly", [("week", "2025-W47"), ("format", "markdown")])
            #expect(markdown.status == .ok)
            #expect(markdown.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(markdown.text.hasPrefix("# Weekly report 2025-W47"))
            #expect(markdown.text.contains("| developer | 1 | 3 | 66.7% | $3.75 |"))

            let bad = try await client.get("/api/v1/metrics/reports/weekly", [("week", "2025-47")])
            #expect(errorEnvelopeProblems(bad, status: .badRequest, code: "invalid_parameter", field: "week").isEmpty)
        }
    }
}
