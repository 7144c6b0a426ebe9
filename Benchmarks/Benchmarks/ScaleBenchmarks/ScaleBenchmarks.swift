import Benchmark
import Foundation
import Glibc
import Projections
import Utilities

// Issue #3's scale targets: a fleet of 100 agents with 10,000,000 metrics over 90 days, folded
// in memory (the projections the service serves from), then the queries a dashboard asks:
// time series, by-role and summary (from the hourly rollups), by-agent and percentiles for one
// agent over 30 days (raw values). `Scale.Memory.10M` reports the heap the projection holds
// per metric (custom metric `bytesPerMetric`: resident memory after the fold minus before).
//
//     swift package --allow-writing-to-package-directory benchmark --target ScaleBenchmarks

enum Fleet {
    static let metrics = 10_000_000
    static let agents: Int64 = 100
    static let day: Int64 = 86_400_000_000
    static let asOf: Int64 = 1_763_380_800_000_000  // 2025-11-17T12:00:00Z
    static let start = asOf - 90 * day
    static let roles = ["developer", "reviewer", "tester", "planner", "writer"]
    static let operations = ["code_review", "testing", "implementation", "planning", "documentation", "triage"]

    /// Resident memory of the process (bytes), from /proc/self/statm: an upper bound of what the
    /// projection holds (freed memory glibc kept counts too).
    static func heapInUse() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The projection of the fleet and the heap it holds.
    static let built: (projection: FleetProjection, heapBytes: Int) = {
        let before = heapInUse()
        var p = FleetProjection()
        var sequence: UInt64 = 0
        for id in 1...agents {
            sequence += 1
            p.apply(
                .agentRegistered(
                    AgentRegistered(agentID: id, name: "agent-\(id)", role: roles[Int(id) % roles.count])),
                sequence: sequence)
            sequence += 1
            p.apply(
                .budgetSet(
                    BudgetSet(
                        agentID: id, totalBudgetNanos: 500_000_000_000, warningThresholdPercent: 80,
                        criticalThresholdPercent: 100, period: .monthly)), sequence: sequence)
        }
        // Evenly over 90 days, agents interleaved, as a fleet reports them.
        let step = (asOf - start) / Int64(metrics)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<metrics {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = state >> 33
            sequence += 1
            p.apply(
                .metricRecorded(
                    MetricRecorded(
                        agentID: Int64(i % Int(agents)) + 1, operationType: operations[Int(r % 6)],
                        timestamp: start + Int64(i) * step, executionTimeMs: Double(50 + r % 2_000),
                        tokensUsed: Int64(100 + r % 4_000), success: r % 13 != 0,
                        qualityScore: r % 3 == 0 ? nil : Double(50 + r % 50), costNanos: Int64(1_000 + r % 50_000_000))),
                sequence: sequence)
        }
        return (p, heapInUse() - before)
    }()

    static var window30: TimeWindow { TimeWindow(start: asOf - 30 * day, end: asOf) }
}

/// The late-batch benchmark's projection, kept across its samples and folded into in place.
final class LateFixture: @unchecked Sendable {
    static let shared = LateFixture()
    var projection: FleetProjection

    private init() {
        guard let restored = try? FleetProjection(snapshot: Fleet.built.projection.snapshotBytes()) else {
            fatalError("the fixture's snapshot does not restore")
        }
        projection = restored
    }
}

extension BenchmarkMetric {
    static var bytesPerMetric: BenchmarkMetric {
        .custom("bytesPerMetric", polarity: .prefersSmaller, useScalingFactor: false)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 2,
        maxDuration: .seconds(5),
        maxIterations: 2_000,
        thresholds: [.wallClock: .init(relative: [.p90: 100])]
    )

    Benchmark(
        "Scale.Memory.10M",
        configuration: .init(metrics: [.bytesPerMetric], warmupIterations: 0, maxIterations: 1, thresholds: [:])
    ) { benchmark in
        let built = Fleet.built
        guard built.projection.metrics.count == Fleet.metrics else {
            return benchmark.error("folded \(built.projection.metrics.count) metrics")
        }
        benchmark.measurement(.bytesPerMetric, built.heapBytes / Fleet.metrics)
    }

    func query<Answer>(_ name: String, _ body: @escaping @Sendable (FleetProjection) throws -> Answer) {
        Benchmark(name) { benchmark in
            let p = Fleet.built.projection
            for _ in benchmark.scaledIterations {
                do { blackHole(try body(p)) } catch { benchmark.error("\(error)") }
            }
        } setup: {
            _ = Fleet.built
        }
    }

    query("Scale.TimeSeries.day.30d") { p in
        try p.timeSeries(window: Fleet.window30, granularity: .day, agentID: nil, role: nil, operation: nil)
    }
    query("Scale.TimeSeries.hour.24h") { p in
        try p.timeSeries(
            window: TimeWindow(start: Fleet.asOf - Fleet.day, end: Fleet.asOf), granularity: .hour, agentID: nil,
            role: nil, operation: nil)
    }
    query("Scale.ByRole.30d") { p in try p.byRole("developer", window: Fleet.window30) }
    query("Scale.Summary") { p in p.summary(asOf: Fleet.asOf) }
    query("Scale.ByAgent.30d") { p in try p.byAgent(7, window: Fleet.window30, asOf: Fleet.asOf) }
    query("Scale.Percentiles.agent.30d") { p in
        p.percentiles(.executionTime, window: Fleet.window30, agentID: 7, operation: nil)
    }

    // The reads that scan the window's raw values (issue #16): whole fleet, 30 days (3.3 million
    // metrics), and the recommendations over every budget.
    query("Scale.Percentiles.fleet.30d") { p in
        p.percentiles(.executionTime, window: Fleet.window30, agentID: nil, operation: nil)
    }
    query("Scale.Outliers.fleet.30d") { p in
        p.outliers(.executionTime, window: Fleet.window30, agentID: nil, operation: nil, zThreshold: 3, limit: 100)
    }
    query("Scale.Insights.30d") { p in p.insights(window: Fleet.window30) }
    query("Scale.Recommendations") { p in p.costRecommendations(asOf: Fleet.asOf) }

    // Late metrics: one iteration folds a batch of 1,000 metrics spread over the 90 days (10 per
    // agent) into the 10-million-metric projection, as one group commit does: merged into each
    // agent's columns once. The projection grows by 1,000 metrics an iteration.
    Benchmark(
        "Scale.LateBatch.1000",
        configuration: .init(metrics: [.wallClock, .throughput], warmupIterations: 1, maxIterations: 50)
    ) { benchmark in
        // One projection that shares no column with the fixture (restored from its snapshot once)
        // and is folded into in place by every sample: a copy of the fixture would copy each day's
        // columns on the first late metric of that day, inside the measurement.
        let fixture = LateFixture.shared
        var state: UInt64 = 42
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            fixture.projection.foldingBatch { (p: inout FleetProjection) in
                for i in 0..<1_000 {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    let late = Fleet.start + Int64((state >> 20) % UInt64(89 * Fleet.day))
                    p.apply(
                        .metricRecorded(
                            MetricRecorded(
                                agentID: Int64(i % Int(Fleet.agents)) + 1, operationType: "triage", timestamp: late,
                                executionTimeMs: 10, tokensUsed: 10, success: true, qualityScore: nil,
                                costNanos: 10)),
                        sequence: p.sequence + 1)
                }
            }
        }
        benchmark.stopMeasurement()
        blackHole(fixture.projection.metrics.count)
    } setup: {
        _ = LateFixture.shared
    }
}
