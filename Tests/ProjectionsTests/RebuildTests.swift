import Projections
import TestSupport
import Testing
import Utilities

/// Builds a log with the pure decisions (as the writer does) and checks that folding it again,
/// in chunks, or through a snapshot gives byte-identical answers.
@Suite("Rebuild")
struct RebuildTests {
    typealias R = GeneratedFleet

    @Test("incremental, rebuilt, chunked and snapshot-restored projections answer byte-identically")
    func identicalAnswers() throws {
        let (events, live) = try R.generateLog()
        #expect(live.metrics.count == 2_000)
        #expect(!live.alertBook.alerts.isEmpty)
        let expected = try R.answers(live)

        var rebuilt = FleetProjection()
        for (seq, event) in events { rebuilt.apply(event, sequence: seq) }
        #expect(try R.answers(rebuilt) == expected)

        for cut in [1, events.count / 3, events.count / 2, events.count - 1] {
            var first = FleetProjection()
            for (seq, event) in events[..<cut] { first.apply(event, sequence: seq) }
            var resumed = try FleetProjection(snapshot: first.snapshotBytes())
            #expect(resumed.sequence == UInt64(cut))
            for (seq, event) in events[cut...] { resumed.apply(event, sequence: seq) }
            #expect(try R.answers(resumed) == expected, "resumed after \(cut) events differs")
        }
    }

    @Test("late data lands in its own bucket and budget period")
    func lateData() throws {
        var p = FleetProjection()
        p.apply(.agentRegistered(AgentRegistered(agentID: 1, name: "a", role: "r")), sequence: 1)
        p.apply(
            .budgetSet(
                BudgetSet(
                    agentID: 1, totalBudgetNanos: 10_000_000_000, warningThresholdPercent: 80,
                    criticalThresholdPercent: 100,
                    period: .daily)), sequence: 2)
        func metric(_ t: Int64, _ cost: Int64) -> DomainEvent {
            .metricRecorded(
                MetricRecorded(
                    agentID: 1, operationType: "op", timestamp: t, executionTimeMs: 1, tokensUsed: 1, success: true,
                    qualityScore: nil, costNanos: cost))
        }
        p.apply(metric(R.start + 2 * R.day, 1_000_000_000), sequence: 3)
        p.apply(metric(R.start, 3_000_000_000), sequence: 4)  // late: two days earlier
        let series = try p.timeSeries(
            window: TimeWindow(start: R.start, end: R.start + 2 * R.day), granularity: .day, agentID: nil,
            role: nil,
            operation: nil)
        #expect(series.buckets.map(\.totals.costNanos) == [3_000_000_000, 0, 1_000_000_000])
        let early = try p.budget(agentID: 1, asOf: R.start + 1)
        #expect(early.usedNanos == 3_000_000_000)
        let late = try p.budget(agentID: 1, asOf: R.start + 2 * R.day + 1)
        #expect(late.usedNanos == 1_000_000_000)
        #expect(p.metrics.series[1]?.column(\.ids) == [4, 3])
    }
}
