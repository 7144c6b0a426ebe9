import APIContract
import Projections
import TestSupport
import Testing
import Utilities

@testable import Projections

/// The per-day blocks against a plain list of the raw metrics: random late arrivals (up to 30
/// days back, ties on timestamps), batches of random sizes, a retention cut; then thousands of
/// random windows, agents and operations, each answer compared with a straightforward computation
/// over the list.
@Suite("Metric blocks against the raw metrics")
struct BlockLayoutTests {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_760_000_000_000_000
    static let operations = ["plan", "code", "test", "review"]

    struct Raw {
        var id: Int64
        var agentID: Int64
        var operation: String
        var timestamp: Int64
        var executionTime: Double
        var tokens: Int64
        var success: Bool
        var quality: Double?
        var cost: Int64

        func value(_ metric: StatisticMetric) -> Double? {
            switch metric {
            case .executionTime: executionTime
            case .cost: Money.usd(cost)
            case .tokens: Double(tokens)
            case .qualityScore: quality
            }
        }
    }

    /// A projection folded in random batches, and the raw metrics it holds.
    static func fleet(seed: UInt64, retention: Bool) -> (FleetProjection, [Raw]) {
        var rng = SplitMix64(state: seed)
        var events: [DomainEvent] = []
        for agent in Int64(1)...5 {
            events.append(
                .agentRegistered(AgentRegistered(agentID: agent, name: "agent-\(agent)", role: "r\(agent % 2)")))
        }
        var raws: [Raw] = []
        for n in 0..<6_000 {
            // Time runs forward over 60 days; a third of the metrics arrive late, up to 30 days back;
            // some share a timestamp with the one before.
            var t = start + Int64(n) * 60 * day / 6_000 + Int64.random(in: 0..<3_600_000_000, using: &rng)
            if Int.random(in: 0..<3, using: &rng) == 0 { t -= Int64.random(in: 0..<(30 * day), using: &rng) }
            if let last = raws.last, Int.random(in: 0..<8, using: &rng) == 0 { t = last.timestamp }
            let raw = Raw(
                id: Int64(events.count + 1), agentID: Int64.random(in: 1...5, using: &rng),
                operation: operations[Int.random(in: 0..<operations.count, using: &rng)], timestamp: t,
                executionTime: Double.random(in: 10...900, using: &rng).rounded() / 4,
                tokens: Int64.random(in: 0...9_000, using: &rng), success: Int.random(in: 0..<7, using: &rng) > 0,
                quality: Bool.random(using: &rng) ? Double.random(in: 0...100, using: &rng) : nil,
                // One in forty costs more than $4.29: its day's cost column widens to 64 bits.
                cost: Int.random(in: 0..<40, using: &rng) == 0
                    ? Int64.random(in: 4_300_000_000...9_000_000_000_000, using: &rng)
                    : Int64.random(in: 0...50_000_000, using: &rng))
            raws.append(raw)
            events.append(
                .metricRecorded(
                    MetricRecorded(
                        agentID: raw.agentID, operationType: raw.operation, timestamp: raw.timestamp,
                        executionTimeMs: raw.executionTime, tokensUsed: raw.tokens, success: raw.success,
                        qualityScore: raw.quality, costNanos: raw.cost)))
        }
        if retention {
            // Archives the metrics of the first half of the log before day 20; the later ones stay.
            let cutoff = start + 20 * day + day / 3
            let through = UInt64(events.count / 2)
            events.append(
                .retentionApplied(
                    RetentionApplied(
                        asOf: start + 60 * day, metricCutoff: cutoff, rollupCutoff: start - day,
                        throughSequence: through, archive: "a", archivedEvents: 0, archiveChecksum: 0)))
            raws.removeAll { $0.timestamp < cutoff && $0.id <= Int64(through) }
        }
        var p = FleetProjection()
        var next = 0
        while next < events.count {
            let size = Int.random(in: 1...700, using: &rng)
            let slice = events[next..<min(events.count, next + size)]
            let first = next
            p.foldingBatch { (p: inout FleetProjection) in
                for (offset, event) in slice.enumerated() { p.apply(event, sequence: UInt64(first + offset + 1)) }
            }
            next += size
        }
        // Agents ascending, then (timestamp, id): the order every read visits.
        raws.sort { ($0.agentID, $0.timestamp, $0.id) < ($1.agentID, $1.timestamp, $1.id) }
        return (p, raws)
    }

    @Test(
        "blocks: one per day with data, sorted, sized to their metrics whatever the arrival order",
        arguments: [false, true])
    func structure(retention: Bool) {
        let (p, raws) = Self.fleet(seed: 3, retention: retention)
        #expect(p.metrics.count == raws.count)
        for (id, series) in p.metrics.series {
            #expect(series.count == series.blocks.reduce(0) { $0 + $1.count })
            #expect(series.column(\.ids) == raws.filter { $0.agentID == id }.map(\.id))
            for (b, block) in series.blocks.enumerated() {
                #expect(block.count > 0)
                if b > 0 { #expect(series.blocks[b - 1].day < block.day) }
                #expect(block.timestamps.allSatisfy { UTCTime.dayIndex($0) == block.day })
            }
            // Days that are over hold no more room than about a sixteenth of their size (summed
            // over the blocks: each column's capacity is what the allocator handed out, which for
            // one array can be a larger free chunk than was asked for).
            let sealed = series.blocks.dropLast()
            let room = sealed.reduce(0) { n, block in
                n + block.timestamps.capacity + block.ids.capacity + block.executionTimes.capacity
                    + block.qualities.capacity + block.costs.capacity + block.tokens.capacity
            }
            let metrics = sealed.reduce(0) { $0 + $1.count }
            #expect(Double(room) <= 6 * (Double(metrics) * 1.1 + 4 * Double(sealed.count)), "agent \(id)")
        }
    }

    @Test("days of changing sizes, in order: a day that is over keeps about its size")
    func sealedDaysTrimmed() {
        var p = FleetProjection()
        p.apply(.agentRegistered(AgentRegistered(agentID: 1, name: "a", role: "r")), sequence: 1)
        var sequence: UInt64 = 1
        for d in Int64(0)..<30 {
            let n = 50 + Int((d * 37) % 90)
            for k in 0..<n {
                sequence += 1
                p.apply(
                    .metricRecorded(
                        MetricRecorded(
                            agentID: 1, operationType: "op", timestamp: Self.start + d * Self.day + Int64(k) * 1_000,
                            executionTimeMs: 1, tokensUsed: 1, success: true, qualityScore: nil, costNanos: 1)),
                    sequence: sequence)
            }
        }
        let series = p.metrics.series[1]!
        #expect(series.blocks.count == 30)
        // Summed over the days (one array's capacity is whatever chunk the allocator handed out):
        // without the trim, the days that outgrew the day before keep up to twice their size.
        let sealed = series.blocks.dropLast()
        let metrics = sealed.reduce(0) { $0 + $1.count }
        let capacities: [(MetricBlock) -> Int] = [
            { $0.timestamps.capacity }, { $0.ids.capacity }, { $0.costs.capacity },
        ]
        for capacity in capacities {
            let room = sealed.reduce(0) { $0 + capacity($1) }
            #expect(Double(room) <= 1.1 * Double(metrics) + 8 * Double(sealed.count), "\(room) for \(metrics)")
        }
    }

    @Test("a compact column widens once a value does not fit, keeping every value, in appends, inserts and moves")
    func compactColumn() {
        var column = CompactColumn<UInt16, Int32>()
        var reference: [Int32] = []
        var rng = SplitMix64(state: 9)
        for step in 0..<3_000 {
            // Small values first; from step 2,000 on, some past 2¹⁶.
            let v = Int32.random(in: 0...(step < 2_000 ? 60_000 : 200_000), using: &rng)
            switch step % 3 {
            case 0:
                column.append(v)
                reference.append(v)
            case 1:
                let at = Int.random(in: 0...reference.count, using: &rng)
                column.insert(v, at: at)
                reference.insert(v, at: at)
            default:
                // Room for two at the end, the run from `at` moved right by two, then filled.
                let at = Int.random(in: 0...reference.count, using: &rng)
                let end = reference.count
                column.grow(by: 2)
                column.shift(at, end, by: 2)
                column[at] = v
                column[at + 1] = v &+ 1
                reference.insert(contentsOf: [v, v &+ 1], at: at)
            }
            if step == 1_999 { #expect(!column.isWide) }
        }
        #expect(column.isWide)
        #expect(column.all == reference)
        #expect((0..<reference.count).allSatisfy { column[$0] == reference[$0] })
        var narrow = CompactColumn<UInt32, Int64>([1, 2, 3])
        #expect(!narrow.isWide && narrow.stride == 4)
        narrow.append(contentsOf: CompactColumn<UInt32, Int64>([5_000_000_000, 7]), 0..<2)
        #expect(narrow.isWide && narrow.all == [1, 2, 3, 5_000_000_000, 7])
        var small = CompactColumn<UInt32, Int64>()
        small.append(contentsOf: narrow, 0..<3)
        #expect(!small.isWide && small.all == [1, 2, 3])
    }

    @Test("values, counts, time series and outliers over 2,000 random windows equal the raw computation")
    func randomWindows() throws {
        for (seed, retention) in [(UInt64(5), false), (6, true)] {
            let (p, raws) = Self.fleet(seed: seed, retention: retention)
            let restored = try FleetProjection(snapshot: p.snapshotBytes())
            var rng = SplitMix64(state: seed * 7)
            for trial in 0..<1_000 {
                let from = Self.start + Int64.random(in: (-2 * Self.day)...(62 * Self.day), using: &rng)
                let window = TimeWindow(
                    start: from,
                    end: from + (trial % 10 == 0 ? 0 : Int64.random(in: 0...(25 * Self.day), using: &rng)))
                let agent: Int64? = trial % 3 == 0 ? nil : Int64(1 + trial % 5)
                let operation: String? = trial % 4 == 0 ? Self.operations[trial % Self.operations.count] : nil
                let metric = StatisticMetric.allCases[trial % StatisticMetric.allCases.count]
                let inWindow = raws.filter {
                    $0.timestamp >= window.start && $0.timestamp <= window.end
                        && (agent == nil || $0.agentID == agent) && (operation == nil || $0.operation == operation)
                }
                let expected = inWindow.compactMap { $0.value(metric) }
                for projection in [p, restored] {
                    let got = projection.values(metric, in: window, agentID: agent, operation: operation)
                    #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(metric) \(window) \(trial)")
                }
                if let agent, operation == nil {
                    #expect(
                        p.metrics.series[agent]?.count(from: window.start, through: window.end) ?? 0 == inWindow.count)
                }
                // Outliers (z 2): the same selection and order as over the raw values.
                let found = p.findOutliers(
                    metric, window: window, agentID: agent, operation: operation, zThreshold: 2)
                #expect(found.map(\.id) == Self.outlierIDs(inWindow, metric), "\(metric) \(window)")
                // Daily time series of one operation (the raw path; after retention it adds the
                // removed metrics' rollups, so only without): every bucket's counts and sums.
                if let operation, !retention, trial % 8 == 0 {
                    let series = try p.timeSeries(
                        window: window, granularity: .day, agentID: agent, role: nil, operation: operation)
                    for bucket in series.buckets {
                        let bucketEnd = min(window.end, bucket.start + Self.day - 1)
                        let members = inWindow.filter { $0.timestamp >= bucket.start && $0.timestamp <= bucketEnd }
                        #expect(bucket.totals.operationCount == members.count)
                        #expect(bucket.totals.successCount == members.filter(\.success).count)
                        #expect(bucket.totals.tokenCount == members.reduce(0) { $0 + $1.tokens })
                        #expect(bucket.totals.costNanos == Int128(members.reduce(0) { $0 + $1.cost }))
                    }
                }
            }
        }
    }

    @Test("outliers at the threshold: a value whose z equals it is not one, one just below it makes it one")
    func outlierThresholdEdges() {
        var p = FleetProjection()
        p.apply(.agentRegistered(AgentRegistered(agentID: 1, name: "a", role: "r")), sequence: 1)
        var rng = SplitMix64(state: 21)
        var values: [Double] = []
        for k in 0..<400 {
            let v =
                k % 97 == 0 ? Double.random(in: 2_000...9_000, using: &rng) : Double.random(in: 90...110, using: &rng)
            values.append(v)
            p.apply(
                .metricRecorded(
                    MetricRecorded(
                        agentID: 1, operationType: "op", timestamp: Self.start + Int64(k) * 1_000_000,
                        executionTimeMs: v,
                        tokensUsed: 1, success: true, qualityScore: nil, costNanos: 1)),
                sequence: UInt64(k + 2))
        }
        let mean = Statistics.mean(values)!
        let std = Statistics.populationStandardDeviation(values)!
        let window = TimeWindow(start: Self.start, end: Self.start + Self.day)
        for (k, v) in values.enumerated() where k % 13 == 0 {
            let z = abs((v - mean) / std)
            let at = p.findOutliers(.executionTime, window: window, agentID: 1, operation: nil, zThreshold: z)
            #expect(!at.contains { $0.id == Int64(k + 2) }, "value \(k) at z \(z)")
            let below = p.findOutliers(
                .executionTime, window: window, agentID: 1, operation: nil, zThreshold: z.nextDown)
            #expect(below.contains { $0.id == Int64(k + 2) }, "value \(k) just past z \(z.nextDown)")
        }
    }

    /// The ids of the outliers of `values` (|z| > 2), sorted by |z| descending, then id.
    static func outlierIDs(_ raws: [Raw], _ metric: StatisticMetric) -> [Int64] {
        let scored = raws.compactMap { r in r.value(metric).map { (r.id, $0) } }
        let values = scored.map(\.1)
        guard values.count >= 3, let mean = Statistics.mean(values),
            let std = Statistics.populationStandardDeviation(values), std > 0,
            !values.allSatisfy({ $0 == values[0] })
        else { return [] }
        var outliers: [(id: Int64, z: Double)] = []
        for (id, value) in scored {
            let z = (value - mean) / std
            if abs(z) > 2 { outliers.append((id, z)) }
        }
        outliers.sort { abs($0.z) != abs($1.z) ? abs($0.z) > abs($1.z) : $0.id < $1.id }
        return outliers.map(\.id)
    }
}
