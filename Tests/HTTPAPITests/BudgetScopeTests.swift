import FleetServices
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Projections
import Testing
import Utilities

@testable import HTTPAPI

@Suite("Role and fleet budgets, thresholds, forecasts, allowance")
struct BudgetScopeTests {
    typealias H = ServerHarness

    static func register(_ client: any TestClientProtocol, _ agents: [(String, String)]) async throws {
        for (name, role) in agents {
            let r = try await client.post("/api/v1/agents", ["name": .string(name), "role": .string(role)])
            #expect(r.status == .created)
        }
    }

    static func metric(_ agent: Int64, cost: Double, at t: Int64 = H.noon - H.hour) -> JSONValue {
        [
            "agent_id": .int(agent), "operation_type": "chat", "timestamp": .string(H.iso(t)),
            "execution_time_ms": 100, "tokens_used": 10, "success": true, "cost_usd": .double(cost),
        ]
    }

    static func budgetAlerts(_ client: any TestClientProtocol) async throws -> [JSONValue] {
        let list = try await client.get("/api/v1/metrics/alerts", [("limit", "1000")])
        return (list.data?.arrayValue ?? []).filter { $0["metric"] == "budget_utilization" }.sorted {
            ($0["id"]?.int64Value ?? 0) < ($1["id"]?.int64Value ?? 0)
        }
    }

    @Test("a role budget counts its agents' spend; each threshold fires once, with its severity and the crossing agent")
    func roleThresholds() async throws {
        try await H.run { client, _ in
            try await Self.register(client, [("a1", "dev"), ("a2", "dev"), ("a3", "qa")])
            let put = try await client.put(
                "/api/v1/roles/dev/budget",
                ["total_budget_usd": 10, "period": "monthly", "thresholds": [50, 80, 95, 100]])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.data?["scope"] == "role")
            #expect(put.data?["role"] == "dev")
            #expect(put.data?["used_usd"] == .double(0))
            #expect(put.data?["thresholds"]?.arrayValue?.compactMap(\.doubleValue) == [50, 80, 95, 100])
            #expect(put.data?["forecast_alert"] == true)
            // 30 %, 60 % (50 fires), qa's spend does not count, 96 % (80 and 95), 106 % (100).
            for (agent, cost) in [(1, 3.0), (2, 3.0), (3, 100.0), (1, 3.6), (2, 1.0)] {
                let r = try await client.post("/api/v1/metrics", Self.metric(Int64(agent), cost: cost))
                #expect(r.status == .created)
            }
            let alerts = try await Self.budgetAlerts(client)
            #expect(
                alerts.map { $0["rule"]?.stringValue } == [
                    "budget_threshold", "budget_warning", "budget_threshold", "budget_critical",
                ])
            #expect(alerts.map { $0["severity"]?.stringValue } == ["info", "warning", "warning", "critical"])
            #expect(alerts.map { $0["threshold_percent"]?.doubleValue } == [50, 80, 95, 100])
            #expect(alerts.map { $0["agent_id"]?.int64Value } == [2, 1, 1, 2])
            #expect(alerts.allSatisfy { $0["budget_scope"] == "role" && $0["budget_role"] == "dev" })
            #expect(alerts.first?["message"]?.stringValue?.contains("role dev at 60.0% utilization") == true)
            let status = try await client.get("/api/v1/roles/dev/budget")
            #expect(status.data?["used_usd"] == .double(10.6))
            #expect(status.data?["status"] == "critical")
            #expect(try await client.get("/api/v1/roles/ops/budget").status == .notFound)
            // The type filter and severities of the alert list know the new alerts.
            let info = try await client.get("/api/v1/metrics/alerts", [("severity", "info")])
            #expect(info.data?.arrayValue?.count == 1)

            // A larger budget resolves the thresholds no longer reached (budget_changed).
            _ = try await client.put(
                "/api/v1/roles/dev/budget",
                ["total_budget_usd": 12, "period": "monthly", "thresholds": [50, 80, 95, 100]])
            let after = try await Self.budgetAlerts(client)
            #expect(after.map { $0["status"]?.stringValue } == ["active", "active", "resolved", "resolved"])
        }
    }

    @Test("64 concurrent requests push a role over several thresholds: each fires exactly once")
    func concurrentThresholds() async throws {
        try await H.run { client, service in
            try await Self.register(client, (1...8).map { ("w\($0)", "workers") })
            _ = try await client.put(
                "/api/v1/roles/workers/budget", ["total_budget_usd": 32, "thresholds": [25, 50, 75, 100, 150]])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<64 {
                    group.addTask {
                        let r = try await client.post(
                            "/api/v1/metrics", Self.metric(Int64(i % 8 + 1), cost: 1, at: H.noon - H.hour + Int64(i)))
                        #expect(r.status == .created)
                    }
                }
                try await group.waitForAll()
            }
            let alerts = try await Self.budgetAlerts(client)
            #expect(alerts.compactMap { $0["threshold_percent"]?.doubleValue }.sorted() == [25, 50, 75, 100, 150])
            // Each fired when the role's spend first reached it, in log order.
            #expect(alerts.map { $0["current_value"]?.doubleValue } == [8, 16, 24, 32, 48])
            #expect(service.read { $0.ingestion.scopedFired.count } == 5)
        }
    }

    @Test("a fleet budget counts every agent; an agent budget with thresholds alerts at each")
    func fleetAndAgentThresholds() async throws {
        try await H.run { client, _ in
            try await Self.register(client, [("a1", "dev"), ("a2", "qa")])
            let fleet = try await client.put("/api/v1/fleet/budget", ["total_budget_usd": 4, "period": "daily"])
            #expect(fleet.data?["scope"] == "fleet")
            #expect(fleet.data?["thresholds"]?.arrayValue?.compactMap(\.doubleValue) == [80, 100])
            let agent = try await client.put(
                "/api/v1/agents/1/budget", ["total_budget_usd": 10, "thresholds": [10, 100]])
            #expect(agent.data?["agent_id"] == 1)
            #expect(agent.data?["thresholds"]?.arrayValue?.compactMap(\.doubleValue) == [10, 100])
            _ = try await client.post("/api/v1/metrics", Self.metric(1, cost: 2))
            _ = try await client.post("/api/v1/metrics", Self.metric(2, cost: 2))
            let alerts = try await Self.budgetAlerts(client)
            let summary = alerts.map {
                "\($0["budget_scope"]?.stringValue ?? "-") \($0["rule"]?.stringValue ?? "") \($0["severity"]?.stringValue ?? "")"
            }
            #expect(
                summary == [
                    "agent budget_threshold info", "fleet budget_warning warning", "fleet budget_critical critical",
                ])
            let status = try await client.get("/api/v1/fleet/budget")
            #expect(status.data?["used_usd"] == .double(4))
            // Bad input names its field.
            for (body, field) in [
                (["total_budget_usd": 1, "thresholds": [80, 50]] as JSONValue, "thresholds"),
                (["total_budget_usd": 1, "thresholds": [0]], "thresholds"),
                (["total_budget_usd": 1, "thresholds": "80"], "thresholds"),
                (["total_budget_usd": 1, "hard": "yes"], "hard"),
            ] {
                let r = try await client.put("/api/v1/fleet/budget", body)
                #expect(r.status == .unprocessableContent, "\(body.jsonString)")
                #expect(r.json?["error"]?["field"]?.stringValue == field, "\(r.text)")
            }
        }
    }

    @Test("the forecast: from the period's rate, from the previous period while younger than a day, zero spend")
    func forecastRule() {
        let day = H.day
        let start = H.noon - 16 * day - 12 * H.hour  // 2025-11-01
        let end = start + 30 * day
        // Ten days in, $10 spent: $1/day, $30 projected, out of a $20 budget on day 20.
        var f = BudgetForecast.make(
            usedNanos: 10_000_000_000, budgetNanos: 20_000_000_000, previousNanos: 0, start: start, end: end,
            previousStart: start - 31 * day, asOf: start + 10 * day)
        #expect(f.projectedNanos == 30_000_000_000)
        #expect(f.projectedUtilizationPercent == 150)
        #expect(f.exhaustedAt == start + 20 * day)
        // At the period's first instant: the previous period's rate ($31 over 31 days).
        f = BudgetForecast.make(
            usedNanos: 0, budgetNanos: 40_000_000_000, previousNanos: 31_000_000_000, start: start, end: end,
            previousStart: start - 31 * day, asOf: start)
        #expect(f.projectedNanos == 30_000_000_000)
        #expect(f.exhaustedAt == nil)
        // Zero spend, now and before: nothing projected, never exhausted.
        f = BudgetForecast.make(
            usedNanos: 0, budgetNanos: 1, previousNanos: 0, start: start, end: end, previousStart: start - 31 * day,
            asOf: start + 5 * day)
        #expect(f.projectedNanos == 0)
        #expect(f.exhaustedAt == nil)
        // Already used up: exhausted now.
        f = BudgetForecast.make(
            usedNanos: 5, budgetNanos: 5, previousNanos: 0, start: start, end: end, previousStart: start - 31 * day,
            asOf: start + 2 * day)
        #expect(f.exhaustedAt == start + 2 * day)
    }

    @Test(
        "budget_forecast fires once per budget and period, with a quarter of the period left; the status carries the forecast"
    )
    func forecastAlert() async throws {
        try await H.run { client, _ in
            try await Self.register(client, [("a1", "dev"), ("a2", "dev")])
            _ = try await client.put("/api/v1/roles/dev/budget", ["total_budget_usd": 15, "period": "monthly"])
            // Agent budgets alert on forecasts only when asked.
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 100, "period": "monthly"])
            _ = try await client.post("/api/v1/metrics", Self.metric(1, cost: 6, at: H.noon - 10 * H.day))
            _ = try await client.post("/api/v1/metrics", Self.metric(2, cost: 5, at: H.noon - H.hour))
            let status = try await client.get("/api/v1/roles/dev/budget")
            // 2025-11-17T12:00Z: 16.5 of 30 days gone, $11 spent → $20 projected (133.33 %).
            #expect(status.data?["forecast"]?["projected_spend_usd"] == .double(20))
            #expect(status.data?["forecast"]?["projected_utilization_percent"] == .double(133.33))
            #expect(status.data?["forecast"]?["exhausted_at"] == .string("2025-11-23T12:00:00Z"))
            let evaluate = try await client.post("/api/v1/admin/evaluate", [:])
            #expect(evaluate.status == .ok)
            var alerts = try await Self.budgetAlerts(client)
            #expect(alerts.map { $0["rule"]?.stringValue } == ["budget_forecast"])
            #expect(alerts.first?["type"] == "budget_forecast")
            #expect(alerts.first?["severity"] == "warning")
            #expect(alerts.first?["agent_id"] == 1)  // spent the most in the period
            // Once per period.
            _ = try await client.post("/api/v1/admin/evaluate", [:])
            alerts = try await Self.budgetAlerts(client)
            #expect(alerts.count == 1)
            let agent = try await client.get("/api/v1/agents/1/budget")
            #expect(agent.data?["forecast"]?["projected_spend_usd"] != nil)
            // The weekly report lists the budgets forecast to be exceeded (the agent's is not).
            let report = try await client.get("/api/v1/metrics/reports/weekly", [("week", "2025-W47")])
            let over = report.data?["budgets_forecast_over"]?.arrayValue ?? []
            #expect(over.map { $0["role"]?.stringValue } == ["dev"])
            let markdown = try await client.get(
                "/api/v1/metrics/reports/weekly", [("week", "2025-W47"), ("format", "markdown")])
            #expect(markdown.text.contains("role dev (monthly): $11.00 of $15.00 used, $20.00 projected (133.3%)"))
        }
    }

    @Test("allowance: the tightest budget that applies, false once a hard one is used up; with an ETag")
    func allowance() async throws {
        try await H.run { client, _ in
            try await Self.register(client, [("a1", "dev"), ("a2", "qa")])
            var a = try await client.get("/api/v1/agents/1/allowance")
            #expect(a.data?["allowed"] == true)
            #expect(a.data?["budget"] == .null)
            #expect(a.data?["remaining_usd"] == .null)
            _ = try await client.put(
                "/api/v1/roles/dev/budget", ["total_budget_usd": 5, "period": "daily", "hard": true])
            _ = try await client.put("/api/v1/fleet/budget", ["total_budget_usd": 100, "period": "monthly"])
            _ = try await client.put("/api/v1/agents/2/budget", ["total_budget_usd": 1, "period": "weekly"])
            _ = try await client.post("/api/v1/metrics", Self.metric(1, cost: 3))
            a = try await client.get("/api/v1/agents/1/allowance")
            #expect(a.data?["allowed"] == true)
            #expect(a.data?["remaining_usd"] == .double(2))
            #expect(a.data?["budget"]?["scope"] == "role")
            #expect(a.data?["resets_at"] == "2025-11-18T00:00:00Z")
            #expect(a.data?["budgets"]?.arrayValue?.count == 2)
            _ = try await client.post("/api/v1/metrics", Self.metric(1, cost: 2.5))
            a = try await client.get("/api/v1/agents/1/allowance")
            #expect(a.data?["allowed"] == false)
            #expect(a.data?["remaining_usd"] == .double(-0.5))
            // Still recorded: the service never refuses a metric.
            let more = try await client.post("/api/v1/metrics", Self.metric(1, cost: 1))
            #expect(more.status == .created)
            // A soft budget used up does not block.
            _ = try await client.post("/api/v1/metrics", Self.metric(2, cost: 2))
            let b = try await client.get("/api/v1/agents/2/allowance")
            #expect(b.data?["allowed"] == true)
            #expect(b.data?["budget"]?["agent_id"] == 2)
            #expect(b.data?["remaining_usd"] == .double(-1))
            let etag = try #require(b.headers[.eTag])
            let again = try await client.get("/api/v1/agents/2/allowance", headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(try await client.get("/api/v1/agents/9/allowance").status == .notFound)
        }
    }

    @Test("replay what-if under the same rules re-derives the threshold, role and fleet alerts unchanged")
    func whatIfSameRules() async throws {
        try await H.runThenOpenLog { client in
            try await Self.register(client, [("a1", "dev"), ("a2", "dev")])
            _ = try await client.put(
                "/api/v1/roles/dev/budget", ["total_budget_usd": 4, "thresholds": [50, 100], "hard": true])
            _ = try await client.put("/api/v1/fleet/budget", ["total_budget_usd": 3])
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 2, "thresholds": [75]])
            for (agent, cost) in [(1, 1.0), (2, 1.5), (1, 1.0)] {
                _ = try await client.post("/api/v1/metrics", Self.metric(Int64(agent), cost: cost))
            }
            _ = try await client.post("/api/v1/admin/evaluate", [:])
        } inspect: { log in
            let report = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
            #expect(report.recordedAlerts == 5, "\(report.table)")
            #expect(report.alertChanges.isEmpty, "\(report.table)")
            #expect(report.unchangedAlerts == report.recordedAlerts)
            let verify = try LogReplay.verify(log)
            #expect(verify.isClean, "\(verify.problems)")
        }
    }
}
