import APIContract
import Projections
import Testing
import Utilities

/// Folding a `RetentionApplied` marker: the archived metrics leave the raw columns, every answer
/// over windows after the cutoff stays byte-identical, and hourly rollups keep the older hours.
@Suite("Retention")
struct RetentionTests {
    typealias R = GeneratedFleet
    let day = R.day
    static let day = R.day

    /// The generated log folded, then a marker removing metrics older than `cutoffDays` after
    /// the first day of the log.
    static func retained(cutoffDays: Int64) throws -> (
        before: FleetProjection, after: FleetProjection, marker: RetentionApplied, removed: Int
    ) {
        let (events, live) = try R.generateLog()
        let cutoff = R.start + cutoffDays * day
        let removed = events.reduce(0) { n, item in
            if case .metricRecorded(let m) = item.1, m.timestamp < cutoff { return n + 1 }
            return n
        }
        let marker = RetentionApplied(
            asOf: R.end, metricCutoff: cutoff, rollupCutoff: R.start - 10 * day, throughSequence: UInt64(events.count),
            archive: "archive/test.jsonl.gz", archivedEvents: Int64(removed), archiveChecksum: 7)
        var after = live
        after.apply(.retentionApplied(marker), sequence: UInt64(events.count + 1))
        return (live, after, marker, removed)
    }

    @Test("answers over windows after the cutoff are byte-identical; raw metrics before it are gone")
    func coveredWindowsUnchanged() throws {
        let (before, after, _, removed) = try Self.retained(cutoffDays: 8)
        #expect(removed > 100)
        #expect(after.metrics.count == before.metrics.count - removed)
        #expect(try R.answers(after) == R.answers(before))
    }

    @Test("time series before the cutoff come from the kept rollups, with and without an operation filter")
    func rollupsKeepHistory() throws {
        let (before, after, _, _) = try Self.retained(cutoffDays: 8)
        let whole = TimeWindow(start: R.start, end: R.end)
        for g in [Granularity.hour, .day, .week, .month] {
            #expect(
                bytes(
                    try after.timeSeries(window: whole, granularity: g, agentID: nil, role: nil, operation: nil)
                )
                    == bytes(
                        try before.timeSeries(window: whole, granularity: g, agentID: nil, role: nil, operation: nil)
                    ))
        }
        for op in ["testing", "code_review"] {
            for agent in [nil, Int64(2)] {
                let a = try after.timeSeries(window: whole, granularity: .day, agentID: agent, role: nil, operation: op)
                let b = try before.timeSeries(
                    window: whole, granularity: .day, agentID: agent, role: nil, operation: op)
                #expect(bytes(a) == bytes(b), "operation \(op)")
            }
        }
        // Role summaries over the whole log still count every metric (from the rollups).
        for role in ["developer", "reviewer", "tester"] {
            let a = try after.byRole(role, window: whole)
            let b = try before.byRole(role, window: whole)
            #expect(a.totalTasks == b.totalTasks)
            #expect(a.totalCostNanos == b.totalCostNanos)
            #expect(a.members.map(\.totals.operationCount) == b.members.map(\.totals.operationCount))
        }
    }

    @Test("a snapshot after retention restores the rollups and retired totals exactly")
    func snapshotAfterRetention() throws {
        let (_, after, _, _) = try Self.retained(cutoffDays: 8)
        let restored = try FleetProjection(snapshot: after.snapshotBytes())
        #expect(try R.answers(restored) == R.answers(after))
        let whole = TimeWindow(start: R.start, end: R.end)
        let a = try restored.timeSeries(window: whole, granularity: .day, agentID: nil, role: nil, operation: "testing")
        let b = try after.timeSeries(window: whole, granularity: .day, agentID: nil, role: nil, operation: "testing")
        #expect(bytes(a) == bytes(b))
        #expect(restored.metrics.count == after.metrics.count)
        #expect(restored.metrics.retainedFrom == after.metrics.retainedFrom)
    }

    @Test("rollups before the rollup cutoff are dropped; budgets keep their full usage")
    func rollupCutoff() throws {
        let (events, live) = try R.generateLog()
        var after = live
        let marker = RetentionApplied(
            asOf: R.end, metricCutoff: R.start + 8 * day, rollupCutoff: R.start + 5 * day,
            throughSequence: UInt64(events.count), archive: "a", archivedEvents: 0, archiveChecksum: 0)
        after.apply(.retentionApplied(marker), sequence: UInt64(events.count + 1))
        let early = TimeWindow(start: R.start, end: R.start + 5 * day - 1)
        let series = try after.timeSeries(window: early, granularity: .day, agentID: nil, role: nil, operation: nil)
        #expect(!series.buckets.isEmpty)
        for bucket in series.buckets {
            #expect(bucket.totals.operationCount == 0)
        }
        let kept = TimeWindow(start: R.start + 5 * day, end: R.end)
        #expect(
            bytes(
                try after.timeSeries(window: kept, granularity: .day, agentID: nil, role: nil, operation: nil)
            )
                == bytes(
                    try live.timeSeries(window: kept, granularity: .day, agentID: nil, role: nil, operation: nil)
                ))
        for id in Int64(1)...6 {
            #expect(try after.budget(agentID: id, asOf: R.end) == live.budget(agentID: id, asOf: R.end))
        }
    }

    @Test("metrics after the marker's through-sequence are kept even when old (late data)")
    func lateMetricsKept() throws {
        let (_, after, marker, _) = try Self.retained(cutoffDays: 8)
        var p = after
        let late = MetricRecorded(
            agentID: 1, operationType: "testing", timestamp: marker.metricCutoff - day, executionTimeMs: 10,
            tokensUsed: 1, success: true, qualityScore: nil, costNanos: 5)
        p.apply(.metricRecorded(late), sequence: p.sequence + 1)
        #expect(p.metrics.count == after.metrics.count + 1)
        var again = p
        let second = RetentionApplied(
            asOf: R.end, metricCutoff: marker.metricCutoff, rollupCutoff: marker.rollupCutoff,
            throughSequence: p.sequence, archive: "b", archivedEvents: 1, archiveChecksum: 0)
        again.apply(.retentionApplied(second), sequence: p.sequence + 1)
        #expect(again.metrics.count == after.metrics.count)
    }

    @Test("the marker round-trips through the binary codec")
    func codec() throws {
        let (_, _, marker, _) = try Self.retained(cutoffDays: 8)
        let event = DomainEvent.retentionApplied(marker)
        let decoded = try DomainEvent.decode(
            type: event.type, version: event.schemaVersion, payload: event.encodedPayload())
        #expect(decoded == event)
    }
}

/// The contract's JSON of a read model, as bytes (what two projections must agree on).
private func bytes(_ answer: some ContractResponse) -> [UInt8] { answer.contractJSON.serializedBytes }
