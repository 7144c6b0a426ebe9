import Benchmark
import EventLog
import FleetServices
import Foundation
import Projections
import Synchronization
import Utilities

// The replay tool's own code paths over a log of 1,000,000 metrics (issue #6):
// - `Replay.Rebuild.1M`: what `metrics-service replay rebuild` does (`LogReplay.openReadOnly`,
//   `LogReplay.fold` from event 1 to the head);
// - `Replay.WhatIf.1M`: what `metrics-service replay what-if --rules FILE` does
//   (`LogReplay.whatIf` with hourly evaluations, under rules that lower the outlier threshold and
//   shorten the degradation lookback).
//
// The log (built in setup through the service's own writer and decisions, `FleetService`'s direct
// writes, with a simulated clock) holds 100 agents in 5 roles with daily, weekly and monthly
// budgets, 1,000,000 metrics over 30 days, the hourly evaluations (720, as the scheduler runs
// them), the budget, outlier and degradation alerts they raised and an acknowledgement a day.
// One iteration handles the whole log; the scaling factor makes `throughput` read metrics/s
// (rounded to whole iterations/s by the tool: use the wall clock).

func replayBenchmarks() {
    let rebuildSlot = ReplayLogSlot()
    Benchmark(
        "Replay.Rebuild.1M",
        configuration: .init(
            metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
            warmupIterations: 1,
            scalingFactor: .mega,
            maxDuration: .seconds(10),
            maxIterations: 10,
            thresholds: ReplayTolerance.inMemory
        )
    ) { benchmark in
        guard let fixture = rebuildSlot.current else { return benchmark.error("no log") }
        do {
            // As `replay rebuild` (without --verify): read the head, fold from event 1.
            let head = try fixture.log.readHead()
            var projection = FleetProjection()
            try LogReplay.fold(fixture.log, into: &projection, through: head)
            guard projection.metrics.count == ReplayWorkload.metrics, projection.sequence == head else {
                return benchmark.error("folded \(projection.metrics.count) metrics to event \(projection.sequence)")
            }
            blackHole(projection)
        } catch {
            benchmark.error("rebuild failed: \(error)")
        }
    } setup: {
        rebuildSlot.current = try await ReplayLog.make()
    } teardown: {
        rebuildSlot.destroy()
    }

    let whatIfSlot = ReplayLogSlot()
    Benchmark(
        "Replay.WhatIf.1M",
        configuration: .init(
            metrics: [.throughput, .wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
            warmupIterations: 0,
            scalingFactor: .mega,
            maxDuration: .seconds(15),
            maxIterations: 5,
            thresholds: ReplayTolerance.inMemory
        )
    ) { benchmark in
        guard let fixture = whatIfSlot.current else { return benchmark.error("no log") }
        do {
            let report = try LogReplay.whatIf(fixture.log, options: .init(rules: fixture.whatIfRules, hourly: true))
            // The log raised alerts and the lower outlier threshold changes some: the replay did real work.
            guard report.recordedAlerts > 0, !report.alertChanges.isEmpty, report.hourlyEvaluations > 0 else {
                return benchmark.error(
                    "what-if: \(report.recordedAlerts) recorded alerts, \(report.alertChanges.count) changes, "
                        + "\(report.hourlyEvaluations) hourly evaluations")
            }
            blackHole(report)
        } catch {
            benchmark.error("what-if failed: \(error)")
        }
    } setup: {
        whatIfSlot.current = try await ReplayLog.make()
    } teardown: {
        whatIfSlot.destroy()
    }
}

/// Like `Tolerance.inMemory` (see EventLogBenchmarks.swift).
private enum ReplayTolerance {
    static var inMemory: [BenchmarkMetric: BenchmarkThresholds] {
        [
            .throughput: .init(relative: [.p90: 50]), .wallClock: .init(relative: [.p90: 100]),
            .mallocCountTotal: .init(relative: [.p90: 10]),
        ]
    }
}

enum ReplayWorkload {
    static let agents: Int64 = 100
    static let metrics = 1_000_000
    static let days: Int64 = 30
    static let start: Int64 = 1_767_225_600_000_000  // 2026-01-01T00:00:00Z in µs
    static let roles = ["developer", "reviewer", "qa", "research", "support"]
    /// The what-if rules: outliers from z > 2.5 (instead of 3), degradation over 5 days (instead of 7).
    static let whatIfRulesDocument = #"{"evaluator": {"outlier_z_threshold": 2.5, "degradation_lookback_days": 5}}"#
}

/// A data directory filled by `FleetService` (relaxed durability, simulated clock), then opened
/// read-only as the replay tool opens it.
final class ReplayLog: Sendable {
    let directory: String
    let log: EventLog
    let whatIfRules: Rules

    private init(directory: String, log: EventLog, whatIfRules: Rules) {
        self.directory = directory
        self.log = log
        self.whatIfRules = whatIfRules
    }

    static func make() async throws -> ReplayLog {
        let directory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("replay-benchmark-\(UUID().uuidString)").path
        do {
            try await fill(directory)
            let log = try LogReplay.openReadOnly(directory)
            let head = try log.readHead()
            FileHandle.standardError.write(Data("replay benchmark log: \(head) events\n".utf8))
            return ReplayLog(
                directory: directory, log: log, whatIfRules: try Rules(document: ReplayWorkload.whatIfRulesDocument))
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private static func fill(_ directory: String) async throws {
        let clock = SimulatedClock(ReplayWorkload.start - 3_600_000_000)
        let service = try FleetService(directory: directory, durability: .relaxed, clock: { clock.now })
        defer { service.shutdown() }
        let agents = ReplayWorkload.agents
        for id in 1...agents {
            let role = ReplayWorkload.roles[Int(id) % ReplayWorkload.roles.count]
            try await service.appendAgent(id: id, name: "agent-\(id)", role: role)
        }
        // About 333 metrics of $0.25 a day per agent (≈ $83/day, $583/week, $2,500 in 30 days):
        // budgets around those, so some are exceeded, some only warned about, some never reached.
        for id in 1...agents {
            let dollars: Int64
            let period: BudgetPeriodKind
            switch id % 3 {
            case 0: (dollars, period) = (60 + (id * 7) % 60, .daily)
            case 1: (dollars, period) = (450 + (id * 13) % 450, .weekly)
            default: (dollars, period) = (2_000 + (id * 37) % 2_000, .monthly)
            }
            try await service.appendBudget(
                BudgetSet(
                    agentID: id, totalBudgetNanos: dollars * 1_000_000_000, warningThresholdPercent: 80,
                    criticalThresholdPercent: 100, period: period))
        }
        var generator = ReplayMetricGenerator(seed: 6)
        let hour = UTCTime.microsecondsPerHour
        var boundary = ReplayWorkload.start + hour
        var batch: [MetricRecorded] = []
        batch.reserveCapacity(5_000)
        func flush() async throws {
            guard let last = batch.last else { return }
            clock.now = last.timestamp + 1_000
            try await service.appendMetrics(batch)
            batch.removeAll(keepingCapacity: true)
        }
        for _ in 0..<ReplayWorkload.metrics {
            let metric = generator.next()
            while metric.timestamp >= boundary {
                // The scheduler's evaluation at the boundary; someone acknowledges an alert at 09:00.
                try await flush()
                clock.now = boundary + 200_000
                try await service.appendEvaluation(asOf: boundary)
                if (boundary / hour) % 24 == 9 {
                    let open = service.read { p in p.ingestion.alerts.first { $0.status == .active }?.id }
                    if let open {
                        clock.now = boundary + 60_000_000
                        try await service.appendAcknowledgement(alertID: open, by: "oncall", note: "looking")
                    }
                }
                boundary += hour
            }
            batch.append(metric)
            if batch.count == 5_000 { try await flush() }
        }
        try await flush()
    }

    func destroy() {
        log.close()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// The service's clock in the setup: moved by hand along the generated history.
final class SimulatedClock: Sendable {
    private let value: Atomic<Int64>

    init(_ start: Int64) {
        value = Atomic(start)
    }

    var now: Int64 {
        get { value.load(ordering: .relaxed) }
        set { value.store(newValue, ordering: .relaxed) }
    }
}

extension ReplayLog: BenchmarkFixture {}

/// The slot of the replay benchmarks' fixtures.
typealias ReplayLogSlot = FixtureSlot<ReplayLog>

/// 1,000,000 metrics of 100 agents over 30 days in time order: eight operation types, roughly
/// normal execution times around a per-agent base (so a z-score threshold of 3 leaves them
/// alone but 2.5 does not), one in 5,000 ten times slower (outliers), agent 5 getting 9% slower
/// a day over the last 8 days (degradation), one failure in 20, a quarter unscored, $0.05–$0.45.
struct ReplayMetricGenerator {
    private var generator: SplitMix64
    private var timestamp = ReplayWorkload.start
    /// The mean gap that spreads the metrics over the days.
    private let meanGap = ReplayWorkload.days * UTCTime.microsecondsPerDay / Int64(ReplayWorkload.metrics)

    init(seed: UInt64) {
        generator = SplitMix64(seed: seed)
    }

    private mutating func random() -> UInt64 { generator.next() }

    private mutating func unit() -> Double { Double(random() >> 11) / Double(1 << 53) }

    mutating func next() -> MetricRecorded {
        let a = random()
        let b = random()
        timestamp += Int64(a % UInt64(2 * meanGap))
        let agentID = Int64((a >> 20) % UInt64(ReplayWorkload.agents)) + 1
        // Sum of three uniforms: bell-shaped, |z| ≤ 3.
        let noise = (unit() + unit() + unit() - 1.5) * 2
        var executionMs = (1_000 + Double(agentID * 97 % 4_000)) * (1 + 0.25 * noise)
        let daysLeft =
            (ReplayWorkload.start + ReplayWorkload.days * UTCTime.microsecondsPerDay - timestamp)
            / UTCTime.microsecondsPerDay
        if agentID == 5 && daysLeft < 8 { executionMs *= 1 + 0.09 * Double(8 - daysLeft) }
        if b % 5_000 == 0 { executionMs *= 10 }
        let success = b % 20 != 1
        return MetricRecorded(
            agentID: agentID,
            operationType: MetricGenerator.operations[Int((a >> 40) % UInt64(MetricGenerator.operations.count))],
            timestamp: timestamp,
            executionTimeMs: executionMs.rounded(),
            tokensUsed: Int64(200 + (b >> 24) % 32_000),
            apiCalls: Int64(1 + (b >> 40) % 4),
            success: success,
            qualityScore: (b >> 44) % 4 == 0 ? nil : Double((b >> 48) % 10_001) / 100,
            costNanos: Int64(50_000_000 + (a >> 24) % 400_000_000),
            errorMessage: success ? nil : "upstream rate limit exceeded (429)")
    }
}
