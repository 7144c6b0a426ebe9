import APIContract
import Projections
import TestSupport
import Utilities

/// A fleet's log built with the pure decisions (as the writer does): 6 agents with budgets over 3
/// roles, 40 days of metrics with late arrivals, evaluations, an acknowledged and a resolved alert;
/// and every query's answer of a projection, for tests that compare two projections.
enum GeneratedFleet {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_760_000_000_000_000
    static let end = start + 40 * day

    typealias Generator = SplitMix64

    /// The generated log (events with sequences) and the projection built as it was written.
    static func generateLog() throws -> (events: [(UInt64, DomainEvent)], live: FleetProjection) {
        var rng = Generator(state: 42)
        var live = FleetProjection()
        var events: [(UInt64, DomainEvent)] = []
        func append(_ new: [DomainEvent]) {
            for event in new {
                let seq = UInt64(events.count + 1)
                events.append((seq, event))
                live.apply(event, sequence: seq)
            }
        }
        let roles = ["developer", "reviewer", "tester"]
        for i in 1...6 {
            append(
                try Ingestion.registerAgent(id: nil, name: "agent-\(i)", role: roles[i % 3], state: live.ingestion)
                    .events)
            let period = BudgetPeriodKind.allCases[i % 4]
            append(
                try Ingestion.setBudget(
                    BudgetSet(
                        agentID: Int64(i), totalBudgetNanos: Int64(i) * 2_000_000_000, warningThresholdPercent: 80,
                        criticalThresholdPercent: 100, period: period), state: live.ingestion, now: start))
        }
        let ops = ["code_review", "testing", "implementation"]
        for batch in 0..<40 {
            var items: [Result<Ingestion.MetricSubmission, IngestionError>] = []
            for _ in 0..<50 {
                let agent = Int64.random(in: 1...6, using: &rng)
                // Mostly in order, some late data up to 3 days back.
                var t = start + Int64(batch) * day + Int64.random(in: 0..<day, using: &rng)
                if Int.random(in: 0..<10, using: &rng) == 0 { t -= Int64.random(in: 0..<(3 * day), using: &rng) }
                let quality: Double? = Bool.random(using: &rng) ? Double.random(in: 40...100, using: &rng) : nil
                items.append(
                    .success(
                        Ingestion.MetricSubmission(
                            eventID: nil,
                            metric: MetricRecorded(
                                agentID: agent, operationType: ops[Int.random(in: 0..<3, using: &rng)], timestamp: t,
                                executionTimeMs: Double.random(in: 50...500, using: &rng) + Double(batch)
                                    * Double(agent),
                                tokensUsed: Int64.random(in: 10...5_000, using: &rng),
                                success: Int.random(in: 0..<10, using: &rng) > 0,
                                qualityScore: quality, costNanos: Int64.random(in: 0...90_000_000, using: &rng)))))
            }
            let decided = try Ingestion.recordMetrics(
                items, state: live.ingestion, nextSequence: UInt64(events.count + 1), existingSequence: { _ in nil })
            append(decided.events.map(\.event))
            if batch % 5 == 4 {
                append(
                    Evaluation.evaluate(asOf: start + Int64(batch + 1) * day, state: live.ingestion, projection: live))
            }
            if batch == 20 {
                let open = live.alertBook.alerts.filter { $0.status == .active }.map(\.raised.alertID)
                if let first = open.first {
                    append(
                        try Ingestion.acknowledge(
                            alertID: first, by: "ops", note: "looking", now: start + 21 * day, state: live.ingestion))
                }
                if open.count > 1 {
                    append(
                        try Ingestion.resolve(
                            alertID: open[1], by: nil, note: nil, now: start + 21 * day, state: live.ingestion))
                }
            }
        }
        return (events, live)
    }

    /// Every query's JSON, concatenated.
    static func answers(_ p: FleetProjection) throws -> [UInt8] {
        var out: [any ContractResponse] = []
        let window = TimeWindow(asOf: end, start: nil, end: nil)
        out.append(p.agentList())
        for g in Granularity.allCases {
            out.append(try p.timeSeries(window: window, granularity: g, agentID: nil, role: nil, operation: nil))
        }
        out.append(try p.timeSeries(window: window, granularity: .day, agentID: 2, role: nil, operation: "testing"))
        for id in 1...6 {
            out.append(try p.byAgent(Int64(id), window: window, asOf: end))
            out.append(try p.budget(agentID: Int64(id), asOf: end))
        }
        for role in ["developer", "reviewer", "tester"] { out.append(try p.byRole(role, window: window)) }
        for m in StatisticMetric.allCases {
            out.append(p.percentiles(m, window: window, agentID: nil, operation: nil))
            out.append(p.outliers(m, window: window, agentID: nil, operation: nil, zThreshold: 2.5, limit: 100))
        }
        for m in TrendMetric.allCases { out.append(p.trends(m, asOf: end, lookbackDays: 30, agentID: nil)) }
        out.append(p.costRecommendations(asOf: end))
        out.append(p.insights(window: window))
        out.append(p.summary(asOf: end))
        out.append(p.alertList(.init(limit: 1_000)))
        for alert in p.alertBook.alerts { out.append(try p.alertHistory(id: alert.raised.alertID)) }
        return out.flatMap { $0.contractJSON.serializedBytes }
    }
}
