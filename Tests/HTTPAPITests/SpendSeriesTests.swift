import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import HTTPAPI

@Suite("Spend in Prometheus")
struct SpendSeriesTests {
    typealias H = ServerHarness

    /// The value of the one exposition line that starts with `series` (name and labels).
    static func value(_ exposition: String, _ series: String) -> String? {
        exposition.split(separator: "\n").first { $0.hasPrefix(series + " ") }.map {
            String($0.dropFirst(series.count + 1))
        }
    }

    @Test("per agent (top N by cost, the rest as other) and per role: counters and budget gauges")
    func series() async throws {
        var limits = RequestLimits()
        limits.prometheusAgents = 2
        try await H.run(limits: limits) { client, _ in
            for (name, role) in [("alpha", "dev"), ("beta", "dev"), ("gam\"ma", "qa"), ("delta", "qa")] {
                _ = try await client.post("/api/v1/agents", ["name": .string(name), "role": .string(role)])
            }
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 10, "period": "monthly"])
            _ = try await client.put("/api/v1/agents/4/budget", ["total_budget_usd": 2, "period": "daily"])
            // Costs: alpha 3, beta 1, gamma 5, delta 0.5 — the top two are gamma and alpha.
            var metrics: [JSONValue] = []
            for (agent, cost, success) in [
                (1, 1.0, true), (1, 2.0, false), (2, 1.0, true), (3, 5.0, true), (4, 0.25, false), (4, 0.25, true),
            ] {
                metrics.append([
                    "agent_id": .int(Int64(agent)), "operation_type": "chat",
                    "timestamp": .string(H.iso(H.noon - H.hour)),
                    "execution_time_ms": 10, "input_tokens": 100, "output_tokens": 20, "success": .bool(success),
                    "cost_usd": .double(cost),
                ])
            }
            metrics.append([
                "agent_id": 2, "operation_type": "chat", "timestamp": .string(H.iso(H.noon - H.hour)),
                "execution_time_ms": 10, "tokens_used": 7, "success": true, "cost_usd": 0,
            ])
            let posted = try await client.post("/api/v1/metrics", ["metrics": .array(metrics)])
            #expect(posted.status == .created)
            let text = try await client.get("/metrics").text
            let gamma = #"agent="gam\"ma",agent_id="3",role="qa""#
            let alpha = #"agent="alpha",agent_id="1",role="dev""#
            let other = #"agent="other",agent_id="other",role="other""#
            #expect(Self.value(text, "fleet_agent_cost_usd_total{\(gamma)}") == "5")
            #expect(Self.value(text, "fleet_agent_cost_usd_total{\(alpha)}") == "3")
            #expect(Self.value(text, "fleet_agent_cost_usd_total{\(other)}") == "1.5")
            #expect(!text.contains(#"agent="beta""#) && !text.contains(#"agent="delta""#))
            #expect(Self.value(text, "fleet_agent_operations_total{\(alpha)}") == "2")
            #expect(Self.value(text, "fleet_agent_failures_total{\(alpha)}") == "1")
            #expect(Self.value(text, "fleet_agent_operations_total{\(other)}") == "4")
            #expect(Self.value(text, "fleet_agent_failures_total{\(other)}") == "1")
            #expect(Self.value(text, "fleet_agent_input_tokens_total{\(other)}") == "300")
            #expect(Self.value(text, "fleet_agent_tokens_total{\(other)}") == "367")
            // Budgets: alpha's own; delta's summed into other; gamma has none.
            #expect(Self.value(text, "fleet_agent_budget_used_usd{\(alpha)}") == "3")
            #expect(Self.value(text, "fleet_agent_budget_limit_usd{\(alpha)}") == "10")
            #expect(Self.value(text, "fleet_agent_budget_utilization_ratio{\(alpha)}") == "0.3")
            #expect(Self.value(text, "fleet_agent_budget_used_usd{\(gamma)}") == nil)
            #expect(Self.value(text, "fleet_agent_budget_limit_usd{\(other)}") == "2")
            #expect(Self.value(text, "fleet_agent_budget_utilization_ratio{\(other)}") == "0.25")
            // Roles: both under the bound of two.
            #expect(Self.value(text, #"fleet_role_cost_usd_total{role="dev"}"#) == "4")
            #expect(Self.value(text, #"fleet_role_cost_usd_total{role="qa"}"#) == "5.5")
            #expect(Self.value(text, #"fleet_role_operations_total{role="dev"}"#) == "4")
            #expect(text.contains("# TYPE fleet_agent_cost_usd_total counter"))
            #expect(!text.contains("fleet_budget_used_usd"))
            // A role budget of its own replaces its agents' summed budgets; the fleet's has gauges.
            _ = try await client.put("/api/v1/roles/dev/budget", ["total_budget_usd": 20, "period": "monthly"])
            _ = try await client.put("/api/v1/fleet/budget", ["total_budget_usd": 100, "period": "monthly"])
            let after = try await client.get("/metrics").text
            #expect(Self.value(after, #"fleet_role_budget_used_usd{role="dev"}"#) == "4")
            #expect(Self.value(after, #"fleet_role_budget_limit_usd{role="dev"}"#) == "20")
            #expect(Self.value(after, #"fleet_role_budget_utilization_ratio{role="dev"}"#) == "0.2")
            #expect(Self.value(after, "fleet_budget_used_usd") == "9.5")
            #expect(Self.value(after, "fleet_budget_utilization_ratio") == "0.095")
            #expect(text.contains("# TYPE fleet_role_budget_used_usd gauge"))
        }
    }

    @Test("the lifetime counters survive a snapshot and equal a rebuild's")
    func countersInSnapshot() throws {
        var p = FleetProjection()
        p.apply(.agentRegistered(AgentRegistered(agentID: 1, name: "a", role: "r")), sequence: 1)
        p.apply(
            .metricRecorded(
                MetricRecorded(
                    agentID: 1, operationType: "chat", timestamp: H.noon, executionTimeMs: 1, tokensUsed: 30,
                    success: false, qualityScore: nil, costNanos: 5,
                    usage: ModelUsage(model: "m", inputTokens: 20, outputTokens: 10))), sequence: 2)
        let restored = try FleetProjection(snapshot: p.snapshotBytes())
        let counters = try #require(restored.ingestion.spend[1]?.counters)
        #expect(counters.operations == 1)
        #expect(counters.failures == 1)
        #expect(counters.tokens == 30)
        #expect(counters.inputTokens == 20)
        #expect(counters.outputTokens == 10)
        #expect(restored.ingestion.spend[1] == p.ingestion.spend[1])
        // The role and fleet spend are rebuilt from the agents' after a restore.
        #expect(restored.ingestion.roleSpend == p.ingestion.roleSpend)
        #expect(restored.ingestion.fleetSpend == p.ingestion.fleetSpend)
        #expect(restored.ingestion.fleetSpend.total == 5)
        #expect(restored.ingestion.roleSpend("r")?.total == 5)
    }
}

@Suite("Grafana dashboard")
struct GrafanaDashboardTests {
    @Test("every series the dashboard queries is one /metrics exposes")
    func seriesExist() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/grafana-dashboard.json")
        let dashboard = try JSONParser.parse(try String(contentsOf: url, encoding: .utf8))
        var expressions: [String] = []
        func collect(_ value: JSONValue) {
            switch value {
            case .object(let object):
                for (key, child) in object {
                    if key == "expr", let text = child.stringValue { expressions.append(text) }
                    collect(child)
                }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(dashboard)
        #expect(expressions.count >= 10)
        let pattern = /\b((?:fleet|otlp|metrics|http|event_log|projection|alerts)_[a-z_]+)/
        var names: Set<String> = []
        for expression in expressions {
            for match in expression.matches(of: pattern) {
                var name = String(match.1)
                for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) && name.hasPrefix("http_") {
                    name = String(name.dropLast(suffix.count))
                }
                names.insert(name)
            }
        }
        #expect(names.contains("fleet_agent_cost_usd_total"))
        let queried = names
        try await ServerHarness.run { client, _ in
            _ = try await client.post("/api/v1/agents", ["name": "a", "role": "r"])
            _ = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 10])
            _ = try await client.put("/api/v1/fleet/budget", ["total_budget_usd": 100])
            _ = try await client.get("/api/v1/agents")
            let exposition = try await client.get("/metrics").text
            for name in queried.sorted() {
                #expect(exposition.contains("# TYPE \(name) "), "the dashboard queries \(name), which /metrics lacks")
            }
        }
    }
}
