import APIContract
import TestSupport
import Testing
import Utilities

@testable import Projections

/// The insights and trend reads (from rollups, with the window's edges from the raw columns)
/// against straightforward references over the raw values (the implementations they replaced: a
/// dictionary update per metric). The answers must be identical after the contract's rounding;
/// unrounded, the means may differ in their last bits (the rollups add in another order).
@Suite("Insights and trends against the reference scans")
struct InsightsReferenceTests {
    typealias R = GeneratedFleet

    @Test("random windows (and windows of millennia, the sparse path) answer as the reference scan")
    func randomWindows() throws {
        let (_, projection) = try R.generateLog()
        var rng = SplitMix64(state: 11)
        var windows = [
            TimeWindow(start: R.start, end: R.end), TimeWindow(start: R.end, end: R.start),
            TimeWindow(start: 0, end: R.end), TimeWindow(start: R.start - 40_000 * R.day, end: R.end + 40_000 * R.day),
            // 3 operations × 2.8 million days: past the dense arrays' bound.
            TimeWindow(start: R.start - 1_400_000 * R.day, end: R.end + 1_400_000 * R.day),
        ]
        for _ in 0..<300 {
            let start = R.start + Int64.random(in: -3 * R.day...(42 * R.day), using: &rng)
            windows.append(TimeWindow(start: start, end: start + Int64.random(in: 0...(20 * R.day), using: &rng)))
        }
        for window in windows {
            let got = projection.insights(window: window)
            let expected = Self.referenceInsights(projection, window: window)
            #expect(json(got) == json(expected), "window \(window)")
            #expect(got.fastest.map(\.operation) == expected.fastest.map(\.operation))
            #expect(got.peakHours.map(\.hour) == expected.peakHours.map(\.hour))
        }
    }

    @Test("after retention (a cutoff inside a day, late metrics kept before it) only raw metrics count")
    func afterRetention() throws {
        let (events, live) = try R.generateLog()
        var p = live
        // Late metrics before the cutoff, folded after the events the marker archives: kept.
        for k in 0..<40 {
            let late = MetricRecorded(
                agentID: Int64(1 + k % 6), operationType: ["testing", "code_review"][k % 2],
                timestamp: R.start + Int64(k) * R.day / 5, executionTimeMs: Double(100 + k * 7),
                tokensUsed: 10, success: k % 3 != 0, qualityScore: k % 4 == 0 ? nil : Double(50 + k), costNanos: 1_000)
            p.apply(.metricRecorded(late), sequence: p.sequence + 1)
        }
        let cutoff = R.start + 8 * R.day + 5 * R.day / 12  // 10:00 on the ninth day
        let marker = RetentionApplied(
            asOf: R.end, metricCutoff: cutoff, rollupCutoff: R.start - 10 * R.day,
            throughSequence: UInt64(events.count), archive: "a", archivedEvents: 0, archiveChecksum: 0)
        p.apply(.retentionApplied(marker), sequence: p.sequence + 1)
        let restored = try FleetProjection(snapshot: p.snapshotBytes())
        var rng = SplitMix64(state: 14)
        var windows = [TimeWindow(start: R.start, end: R.end), TimeWindow(start: cutoff, end: R.end)]
        for _ in 0..<150 {
            let start = R.start + Int64.random(in: -2 * R.day...(20 * R.day), using: &rng)
            windows.append(TimeWindow(start: start, end: start + Int64.random(in: 0...(25 * R.day), using: &rng)))
        }
        for window in windows {
            let expected = json(Self.referenceInsights(p, window: window))
            #expect(json(p.insights(window: window)) == expected, "window \(window)")
            #expect(json(restored.insights(window: window)) == expected, "window \(window)")
            for metric in TrendMetric.allCases {
                let got = p.dailySeries(metric, window: window, agentID: nil, origin: window.start)
                let reference = Self.referenceDailySeries(p, metric, window: window, agentID: nil)
                #expect(got.days == reference.days, "\(metric) window \(window)")
                for (a, b) in zip(got.means, reference.means) { #expect(Self.close(a, b)) }
            }
        }
    }

    @Test("the daily series of every trend metric, for the fleet and one agent, equals the reference")
    func dailySeries() throws {
        let (_, projection) = try R.generateLog()
        var rng = SplitMix64(state: 12)
        for trial in 0..<200 {
            let start = R.start + Int64.random(in: -3 * R.day...(42 * R.day), using: &rng)
            var window = TimeWindow(start: start, end: start + Int64.random(in: 0...(30 * R.day), using: &rng))
            // More than 65,536 days: the sparse path.
            if trial < 8 { window = TimeWindow(start: R.start - 70_000 * R.day, end: R.end) }
            let metric = TrendMetric.allCases[trial % TrendMetric.allCases.count]
            let agent: Int64? = trial % 3 == 0 ? Int64(1 + trial % 6) : nil
            let got = projection.dailySeries(metric, window: window, agentID: agent, origin: window.start)
            let expected = Self.referenceDailySeries(projection, metric, window: window, agentID: agent)
            #expect(got.days == expected.days, "window \(window)")
            #expect(got.means.count == expected.means.count)
            for (a, b) in zip(got.means, expected.means) { #expect(Self.close(a, b), "window \(window)") }
            #expect((got.overall == nil) == (expected.overall == nil))
            if let a = got.overall, let b = expected.overall { #expect(Self.close(a, b)) }
            // The report as the contract renders it: identical.
            let gotFit = TrendFit.fit(
                days: got.days, means: got.means, allValuesMean: got.overall, metric: metric)
            let expectedFit = TrendFit.fit(
                days: expected.days, means: expected.means, allValuesMean: expected.overall, metric: metric)
            let gotReport = TrendReport(metric: metric, fit: gotFit, start: window.start, end: window.end)
            let expectedReport = TrendReport(metric: metric, fit: expectedFit, start: window.start, end: window.end)
            #expect(json(gotReport) == json(expectedReport), "window \(window)")
        }
    }

    @Test("the values of every statistic metric, copied as column slices, equal the metric-by-metric visit")
    func statisticValues() throws {
        let (_, projection) = try R.generateLog()
        var rng = SplitMix64(state: 13)
        for trial in 0..<200 {
            let start = R.start + Int64.random(in: -3 * R.day...(42 * R.day), using: &rng)
            let window = TimeWindow(start: start, end: start + Int64.random(in: 0...(30 * R.day), using: &rng))
            let metric = StatisticMetric.allCases[trial % StatisticMetric.allCases.count]
            let agent: Int64? = trial % 3 == 0 ? Int64(1 + trial % 7) : nil
            var expected: [Double] = []
            projection.forEachMetric(in: window, agents: agent.map { [$0] } ?? nil, operation: nil) { s, i in
                if let v = s.value(metric, at: i) { expected.append(v) }
            }
            let got = projection.values(metric, in: window, agentID: agent, operation: nil)
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "\(metric) \(window)")
        }
    }

    @Test("outliers of every statistic metric, fleet and agent, equal the metric-by-metric visit")
    func outliers() throws {
        let (_, projection) = try R.generateLog()
        var rng = SplitMix64(state: 14)
        for trial in 0..<120 {
            let start = R.start + Int64.random(in: -3 * R.day...(42 * R.day), using: &rng)
            let window = TimeWindow(start: start, end: start + Int64.random(in: 0...(30 * R.day), using: &rng))
            let metric = StatisticMetric.allCases[trial % StatisticMetric.allCases.count]
            let agent: Int64? = trial % 3 == 0 ? Int64(1 + trial % 6) : nil
            let z = [1.0, 1.5, 2.0, 3.0][trial % 4]
            let got = projection.findOutliers(metric, window: window, agentID: agent, operation: nil, zThreshold: z)
            // The reference: every value through `forEachMetric`, as before.
            let values = projection.values(metric, in: window, agentID: agent, operation: nil)
            var expected: [FleetProjection.Outlier] = []
            if values.count >= 3, let mean = Statistics.mean(values),
                let std = Statistics.populationStandardDeviation(values), std > 0,
                !values.allSatisfy({ $0 == values[0] })
            {
                projection.forEachMetric(in: window, agents: agent.map { [$0] } ?? nil, operation: nil) { s, i in
                    guard let v = s.value(metric, at: i) else { return }
                    let zScore = (v - mean) / std
                    if abs(zScore) > z {
                        expected.append(
                            FleetProjection.Outlier(
                                id: s.ids[i], agentID: s.agentID, value: v, z: zScore, mean: mean,
                                timestamp: s.timestamps[i],
                                operation: projection.metrics.operationNames[Int(s.operations[i])]))
                    }
                }
                expected.sort { abs($0.z) != abs($1.z) ? abs($0.z) > abs($1.z) : $0.id < $1.id }
            }
            #expect(got == expected, "\(metric) \(window) z \(z)")
        }
    }

    /// Equal up to the rounding error of sums added in another order.
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(b)) }

    /// The daily series as it was computed before: a dictionary update per metric.
    static func referenceDailySeries(_ p: FleetProjection, _ metric: TrendMetric, window: TimeWindow, agentID: Int64?)
        -> (days: [Int64], means: [Double], overall: Double?)
    {
        var sums: [Int64: (Double, Int)] = [:]
        var total = 0.0
        var count = 0
        let originDay = UTCTime.dayIndex(window.start)
        p.forEachMetric(in: window, agents: agentID.map { [$0] }, operation: nil) { s, i in
            let y: Double
            switch metric {
            case .executionTime: y = s.executionTimes[i]
            case .cost: y = Money.usd(s.costs[i])
            case .successRate: y = s.successes[i] ? 100 : 0
            case .qualityScore:
                y = s.qualities[i]
                if y.isNaN { return }
            }
            let day = UTCTime.dayIndex(s.timestamps[i]) - originDay
            sums[day, default: (0, 0)].0 += y
            sums[day, default: (0, 0)].1 += 1
            total += y
            count += 1
        }
        let days = sums.keys.sorted()
        return (days, days.map { sums[$0]!.0 / Double(sums[$0]!.1) }, count == 0 ? nil : total / Double(count))
    }

    static func referenceInsights(_ p: FleetProjection, window: TimeWindow) -> PerformanceInsights {
        struct Stat {
            var sum = 0.0
            var count = 0
            var mean: Double { sum / Double(count) }
        }
        // One pass over the window, keyed by operation id: everything below is linear in the
        // metrics of the window plus what it ranks (operation types × days), never their product.
        // Per operation and day, the sums run in the order a filtered pass would visit them
        // (agents ascending, then time), so the trend of each operation is bit-identical to
        // `dailySeries(…, operation:)`.
        var perOpAgent: [Int32: [Int64: Stat]] = [:]
        var perOpDay: [Int32: [Int64: Stat]] = [:]
        var perOpAll: [Int32: Stat] = [:]
        var perHour: [Int: Stat] = [:]
        var perAgent: [Int64: OperationTotals] = [:]
        let originDay = UTCTime.dayIndex(window.start)
        for id in p.metrics.series.keys.sorted() {
            p.metrics.series[id]!.forEachSlice(from: window.start, through: window.end) { s, range in
                for i in range {
                    let op = s.operations[i]
                    let time = s.executionTimes[i]
                    perOpAgent[op, default: [:]][id, default: Stat()].sum += time
                    perOpAgent[op, default: [:]][id, default: Stat()].count += 1
                    let day = UTCTime.dayIndex(s.timestamps[i]) - originDay
                    perOpDay[op, default: [:]][day, default: Stat()].sum += time
                    perOpDay[op, default: [:]][day, default: Stat()].count += 1
                    perOpAll[op, default: Stat()].sum += time
                    perOpAll[op, default: Stat()].count += 1
                    let hour = UTCTime.hourOfDay(s.timestamps[i])
                    perHour[hour, default: Stat()].sum += time
                    perHour[hour, default: Stat()].count += 1
                    perAgent[id, default: OperationTotals()].add(s, i)
                }
            }
        }
        let ops = perOpAgent.keys.map { (name: p.metrics.operationNames[Int($0)], id: $0) }.sorted { $0.name < $1.name }
        var fastest: [PerformanceInsights.Fastest] = []
        for (op, opID) in ops {
            var best: (Double, Int64)?
            for (id, stat) in perOpAgent[opID]!.sorted(by: { $0.key < $1.key })
            where stat.count >= 3 && p.agents[id] != nil {
                if best == nil || stat.mean < best!.0 { best = (stat.mean, id) }
            }
            if let best {
                fastest.append(.init(operation: op, agentName: p.agentName(best.1), meanTimeMs: best.0))
            }
        }
        var efficiency: [(Double, Int64)] = []
        var quality: [(Double, Int64)] = []
        for (id, acc) in perAgent where p.agents[id] != nil {
            if acc.operations >= 1 { efficiency.append((Money.usd(acc.costNanos) / Double(acc.operations), id)) }
            if let q = acc.meanQuality { quality.append((q, id)) }
        }
        efficiency.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        quality.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let hours = perHour.map { ($0.value.mean, $0.key, $0.value.count) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var degrading: [PerformanceInsights.Degrading] = []
        for (op, opID) in ops {
            let byDay = perOpDay[opID]!
            let days = byDay.keys.sorted()
            let all = perOpAll[opID]!
            let fit = TrendFit.fit(
                days: days, means: days.map { byDay[$0]!.mean }, allValuesMean: all.count == 0 ? nil : all.mean,
                metric: .executionTime)
            if fit.label == .degrading {
                degrading.append(.init(operation: op, slope: fit.slope))
            }
        }
        return PerformanceInsights(
            fastest: fastest,
            mostCostEfficient: efficiency.prefix(5).map { .init(agentName: p.agentName($0.1), value: $0.0) },
            highestQuality: quality.prefix(5).map { .init(agentName: p.agentName($0.1), value: $0.0) },
            peakHours: hours.prefix(5).map { .init(hour: $0.1, meanTimeMs: $0.0, operations: $0.2) },
            degrading: degrading)
    }
}

/// The contract's JSON of a read model (what the rounded answers must agree on).
private func json(_ answer: some ContractResponse) -> String {
    String(decoding: answer.contractJSON.serializedBytes, as: UTF8.self)
}
