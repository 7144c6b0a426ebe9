import APIContract
import Benchmark
import Projections
import Utilities

// Issue #19's pre-flight check: `GET /agents/{id}/allowance` answered from the projection "in
// well under a millisecond". A fleet of 10,000 agents in 20 roles with 90 days of spend each
// (one metric per agent per day), a monthly budget on every agent and role (thresholds, hard) and
// on the fleet; the benchmark answers the allowance of one agent (its budget, its role's, the
// fleet's: each period's usage from the folded day spend) and renders it as the API's JSON.
//
//     swift package --allow-writing-to-package-directory benchmark --target BudgetBenchmarks

enum BudgetFleet {
    static let agents: Int64 = 10_000
    static let roles = 20
    static let days: Int64 = 90
    static let day: Int64 = 86_400_000_000
    static let asOf: Int64 = 1_763_380_800_000_000  // 2025-11-17T12:00:00Z

    static let projection: FleetProjection = {
        var p = FleetProjection()
        var sequence: UInt64 = 0
        func apply(_ event: DomainEvent) {
            sequence += 1
            p.apply(event, sequence: sequence)
        }
        for id in 1...agents {
            apply(.agentRegistered(AgentRegistered(agentID: id, name: "agent-\(id)", role: "role-\(id % Int64(roles))")))
            apply(
                .budgetSet(
                    BudgetSet(
                        agentID: id, totalBudgetNanos: 50_000_000_000, warningThresholdPercent: 80,
                        criticalThresholdPercent: 100, period: .monthly)))
        }
        for r in 0..<roles {
            apply(
                .budgetSet(
                    BudgetSet(
                        scope: .role("role-\(r)"), totalBudgetNanos: 10_000_000_000_000, warningThresholdPercent: 80,
                        criticalThresholdPercent: 100, period: .monthly, thresholds: [50, 80, 95, 100], hard: true)))
        }
        apply(
            .budgetSet(
                BudgetSet(
                    scope: .fleet, totalBudgetNanos: 100_000_000_000_000, warningThresholdPercent: 80,
                    criticalThresholdPercent: 100, period: .monthly)))
        for d in 0..<days {
            for id in 1...agents {
                apply(
                    .metricRecorded(
                        MetricRecorded(
                            agentID: id, operationType: "chat", timestamp: asOf - (days - d) * day + id,
                            executionTimeMs: 100, tokensUsed: 1_000, success: true, qualityScore: nil,
                            costNanos: 1_000_000 + id * 10)))
            }
        }
        return p
    }()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 10,
        maxDuration: .seconds(5),
        maxIterations: 100_000,
        thresholds: [.wallClock: .init(relative: [.p90: 100])]
    )

    Benchmark("Budget.Allowance.10kAgents") { benchmark in
        let p = BudgetFleet.projection
        var agent: Int64 = 1
        for _ in benchmark.scaledIterations {
            agent = agent % BudgetFleet.agents + 1
            do {
                let allowance = try p.allowance(agentID: agent, asOf: BudgetFleet.asOf)
                blackHole(JSONValue.object(allowance.contractJSON).serialized())
            } catch {
                benchmark.error("\(error)")
            }
        }
    } setup: {
        _ = BudgetFleet.projection
    }

    Benchmark("Budget.FleetStatus.10kAgents") { benchmark in
        let p = BudgetFleet.projection
        for _ in benchmark.scaledIterations {
            blackHole(p.budgetStatus(.fleet, asOf: BudgetFleet.asOf))
        }
    } setup: {
        _ = BudgetFleet.projection
    }
}
