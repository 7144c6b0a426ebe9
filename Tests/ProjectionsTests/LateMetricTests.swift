import Projections
import TestSupport
import Testing
import Utilities

/// Late metrics folded in batches (merged into their agents' columns once per batch) give the
/// state of folding them one at a time.
@Suite("Late metrics in batches")
struct LateMetricTests {
    typealias R = GeneratedFleet

    /// The columns of every series, for comparing two projections exactly.
    static func columns(_ p: FleetProjection) -> [[Int64]] {
        p.metrics.series.keys.sorted().flatMap { id -> [[Int64]] in
            let s = p.metrics.series[id]!
            return [
                s.column(\.ids), s.column(\.timestamps), s.column(\.operations).map(Int64.init),
                s.column(\.executionTimes).map { Int64(bitPattern: $0.bitPattern) },
                s.column(\.tokens), s.column(\.successes).map { $0 ? 1 : 0 },
                s.column(\.qualities).map { Int64(bitPattern: $0.bitPattern) }, s.column(\.costs),
                s.hourStarts, s.blocks.map(\.day), s.dayOperationKeys, s.dayOperationCounts.map(Int64.init),
                s.dayOperationSums.map { Int64(bitPattern: $0.bitPattern) },
            ]
        }
    }

    @Test("batches of random sizes, with a retention marker inside one, equal the fold one event at a time")
    func batchesEqualSingleInserts() throws {
        let (events, _) = try R.generateLog()
        let marker = RetentionApplied(
            asOf: R.end, metricCutoff: R.start + 3 * R.day, rollupCutoff: R.start,
            throughSequence: UInt64(events.count / 2),
            archive: "a", archivedEvents: 0, archiveChecksum: 0)
        var all = events
        all.insert((0, .retentionApplied(marker)), at: events.count / 2 + 1)
        let numbered = all.enumerated().map { (UInt64($0.offset + 1), $0.element.1) }

        var single = FleetProjection()
        for (sequence, event) in numbered { single.apply(event, sequence: sequence) }

        for seed in UInt64(1)...4 {
            var rng = SplitMix64(state: seed)
            var batched = FleetProjection()
            var next = 0
            while next < numbered.count {
                let size = Int.random(in: 1...400, using: &rng)
                let slice = numbered[next..<min(numbered.count, next + size)]
                batched.foldingBatch { (p: inout FleetProjection) in
                    for (sequence, event) in slice { p.apply(event, sequence: sequence) }
                }
                next += size
            }
            #expect(Self.columns(batched) == Self.columns(single), "seed \(seed)")
            #expect(batched.metrics.count == single.metrics.count)
            #expect(try R.answers(batched) == R.answers(single), "seed \(seed)")
        }
    }

    @Test("a batch of metrics all earlier than everything stored lands in time order, ids breaking ties")
    func allLate() {
        var p = FleetProjection()
        func metric(_ t: Int64) -> DomainEvent {
            .metricRecorded(
                MetricRecorded(
                    agentID: 1, operationType: "x", timestamp: t, executionTimeMs: Double(t), tokensUsed: 1,
                    success: true, qualityScore: nil, costNanos: 1))
        }
        p.apply(.agentRegistered(AgentRegistered(agentID: 1, name: "a", role: "r")), sequence: 1)
        p.apply(metric(100), sequence: 2)
        p.apply(metric(200), sequence: 3)
        p.foldingBatch { (p: inout FleetProjection) in
            for (offset, t) in [50, 150, 50, 10, 300, 150].enumerated() {
                p.apply(metric(Int64(t)), sequence: UInt64(4 + offset))
            }
        }
        let s = p.metrics.series[1]!
        #expect(s.column(\.timestamps) == [10, 50, 50, 100, 150, 150, 200, 300])
        #expect(s.column(\.ids) == [7, 4, 6, 2, 5, 9, 3, 8])
        #expect(s.column(\.executionTimes) == s.column(\.timestamps).map(Double.init))
    }
}
