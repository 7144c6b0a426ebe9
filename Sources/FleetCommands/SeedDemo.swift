import APIContract
import ArgumentParser
import EventLog
import FleetServices
import Foundation
import Logging
import Projections
import Utilities

/// `metrics-service seed-demo`: fills an empty data directory with a generated fleet so a new
/// user sees a living dashboard with one command (`seed-demo && serve`).
///
/// Eight agents in four roles with budgets, `--days` days of metrics ending now (more work in
/// working hours and on weekdays, slower answers under load), a few budget overruns, an agent
/// whose execution time degrades over the last week, two execution-time outliers in the last
/// day, and the hourly evaluations of the last day, so alerts and recommendations exist.
/// Everything goes through the service's own decisions (the writer, `Ingestion`,
/// `Evaluation`), exactly as the HTTP API would append it.
public struct SeedDemo: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "seed-demo",
        abstract: "Fill an empty data directory with a generated demo fleet (agents, budgets, metrics, alerts)."
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Days of metrics, ending now.")
    var days: Int = 30

    @Option(help: "Seed of the random generator (the same seed on the same day gives the same fleet).")
    var seed: UInt64 = 2025

    public func validate() throws {
        guard (7...365).contains(days) else { throw ValidationError("--days must be from 7 to 365") }
    }

    public func run() async throws {
        let directory = data.dataDirectory
        let store = try data.logStore()
        if store.postgres == nil, let entries = try? FileManager.default.contentsOfDirectory(atPath: directory),
            !entries.isEmpty
        {
            throw SeedDemoError.notEmpty(directory)
        }
        var logger = Logger(label: "seed-demo")
        logger.logLevel = .warning
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
        let fleet = DemoFleet.generate(now: now, days: days, seed: seed)

        let service = try FleetService(store: store, durability: .relaxed, logger: logger)
        if store.postgres != nil, service.log.head > 0 {
            service.shutdown()
            throw SeedDemoError.notEmpty("\(store)")
        }
        do {
            for agent in fleet.agents {
                try await service.appendAgent(id: agent.id, name: agent.name, role: agent.role)
            }
            for budget in fleet.budgets { try await service.appendBudget(budget) }
            var offset = 0
            while offset < fleet.metrics.count {
                let end = min(offset + 5_000, fleet.metrics.count)
                try await service.appendMetrics(Array(fleet.metrics[offset..<end]))
                offset = end
            }
            // The hourly evaluations of the last day, as the scheduler would have run them.
            let lastHour = UTCTime.hourFloor(now)
            for k in stride(from: 23, through: 0, by: -1) {
                try await service.appendEvaluation(asOf: lastHour - Int64(k) * UTCTime.microsecondsPerHour)
            }
            // Someone on call already looked at one of the open alerts.
            let open = service.read { p in p.ingestion.alerts.filter { $0.status == .active } }
            if let first = open.first(where: { $0.rule == .budgetWarning }) {
                try await service.appendAcknowledgement(
                    alertID: first.id, by: "oncall", note: "Known: release week, budget review on Monday")
            }
            try await service.checkpoint()
        } catch {
            service.shutdown()
            throw error
        }
        let alerts = service.read { $0.ingestion.alerts }
        let active = alerts.filter { $0.status == .active }.count
        service.shutdown()
        print(
            "seeded \(directory): \(fleet.agents.count) agents in \(Set(fleet.agents.map(\.role)).count) roles, "
                + "\(fleet.metrics.count) metrics over \(days) days, \(alerts.count) alerts (\(active) active)")
        print("start it with: metrics-service serve --data-dir \(directory)")
    }

    public init() {}
}

enum SeedDemoError: Error, CustomStringConvertible {
    case notEmpty(String)

    var description: String {
        switch self {
        case .notEmpty(let directory):
            "\(directory) is not empty; seed-demo only fills a new or empty data directory"
        }
    }
}

/// The generated fleet: agents, budgets and metrics in time order.
struct DemoFleet {
    struct AgentSpec {
        var id: Int64
        var name: String
        var role: String
        /// Operation types with their weights and execution-time factors.
        var operations: [(name: String, weight: Double, timeFactor: Double)]
        /// Mean operations on a weekday (weekends are quieter).
        var perDay: Double
        var weekendFactor = 0.45
        var baseMs: Double
        var meanTokens: Double
        /// USD per million tokens.
        var pricePerMillion: Double
        var quality: Double
        var qualitySpread: Double
        var successRate: Double
        /// Days ago on which the agent worked exactly once (for rarely used agents), instead of `perDay`.
        var sparseDays: [Int] = []
        /// Days ago with a burst of work (`burstFactor` × the usual volume).
        var burstDays: [Int] = []
        var burstFactor = 1.0
        /// Execution time grows by this fraction per day over the last `degradingDays` days.
        var degradationPerDay = 0.0
        var degradingDays = 0
    }

    var agents: [AgentSpec]
    var budgets: [BudgetSet]
    var metrics: [MetricRecorded]

    static let specs: [AgentSpec] = [
        AgentSpec(
            id: 1, name: "coder", role: "developer",
            operations: [
                ("implementation", 0.6, 1.0), ("refactoring", 0.15, 1.15), ("bug_fix", 0.15, 1.3),
                ("code_review", 0.1, 0.7),
            ],
            perDay: 110, baseMs: 2_400, meanTokens: 2_600, pricePerMillion: 3, quality: 90, qualitySpread: 5,
            successRate: 0.965),
        AgentSpec(
            id: 2, name: "refactorer", role: "developer",
            operations: [("refactoring", 0.7, 1.15), ("implementation", 0.3, 1.0)],
            perDay: 45, baseMs: 3_100, meanTokens: 3_200, pricePerMillion: 3, quality: 86, qualitySpread: 6,
            successRate: 0.94),
        AgentSpec(
            id: 3, name: "bugfix", role: "developer",
            operations: [("bug_fix", 0.8, 1.3), ("implementation", 0.2, 1.0)],
            perDay: 42, baseMs: 4_200, meanTokens: 5_200, pricePerMillion: 3, quality: 55, qualitySpread: 10,
            successRate: 0.86),
        AgentSpec(
            id: 4, name: "reviewer", role: "reviewer",
            operations: [("code_review", 0.85, 0.7), ("security_scan", 0.15, 1.4)],
            perDay: 70, baseMs: 1_500, meanTokens: 1_800, pricePerMillion: 1, quality: 88, qualitySpread: 4,
            successRate: 0.975, degradationPerDay: 0.09, degradingDays: 8),
        AgentSpec(
            id: 5, name: "security-auditor", role: "reviewer",
            operations: [("security_scan", 1.0, 1.4)],
            perDay: 0, baseMs: 6_000, meanTokens: 9_000, pricePerMillion: 15, quality: 92, qualitySpread: 3,
            successRate: 1.0, sparseDays: [28, 26, 23, 21, 19, 16, 13, 11, 8, 6, 4, 2]),
        AgentSpec(
            id: 6, name: "tester", role: "qa",
            operations: [("testing", 0.8, 1.0), ("e2e_test", 0.2, 2.5)],
            perDay: 60, baseMs: 900, meanTokens: 3_500, pricePerMillion: 2, quality: 84, qualitySpread: 6,
            successRate: 0.95, burstDays: [22, 13, 3], burstFactor: 2.4),
        AgentSpec(
            id: 7, name: "e2e-runner", role: "qa",
            operations: [("e2e_test", 1.0, 2.5)],
            perDay: 0, baseMs: 1_100, meanTokens: 1_500, pricePerMillion: 1, quality: 80, qualitySpread: 5,
            successRate: 1.0, sparseDays: [25, 12, 3]),
        AgentSpec(
            id: 8, name: "researcher", role: "research",
            operations: [("research", 0.6, 1.0), ("summarization", 0.4, 0.45)],
            perDay: 25, weekendFactor: 0.8, baseMs: 8_000, meanTokens: 12_000, pricePerMillion: 5, quality: 82,
            qualitySpread: 7, successRate: 0.93),
    ]

    static let failures = [
        "rate limited by the model provider (429)", "tool call timed out after 60s", "context window exceeded",
        "model returned invalid JSON", "sandbox exited with status 137",
    ]

    static func generate(now: Int64, days: Int, seed: UInt64) -> DemoFleet {
        var random = SplitMix64(seed: seed)
        let day = UTCTime.microsecondsPerDay
        let start = now - Int64(days) * day
        let today = UTCTime.dayFloor(now)
        // Work by UTC hour: a working-day bump around 14:00 over a quiet night.
        let hourWeights = (0..<24).map { h in 0.2 + exp(-pow(Double(h) - 14, 2) / (2 * 3.5 * 3.5)) }
        let weightSum = hourWeights.reduce(0, +)
        var metrics: [MetricRecorded] = []

        for spec in specs {
            for daysAgo in stride(from: days, through: 0, by: -1) {
                let dayStart = today - Int64(daysAgo) * day
                var count: Int
                if !spec.sparseDays.isEmpty {
                    count = spec.sparseDays.contains(daysAgo) ? 1 : 0
                } else {
                    let weekend = UTCTime.isoWeekday(dayStart) >= 6
                    var mean = spec.perDay * (weekend ? spec.weekendFactor : 1)
                    if spec.burstDays.contains(daysAgo) { mean *= spec.burstFactor }
                    count = max(0, Int((mean * (1 + 0.12 * random.normal())).rounded()))
                }
                let degradation =
                    daysAgo < spec.degradingDays ? 1 + spec.degradationPerDay * Double(spec.degradingDays - daysAgo) : 1
                for _ in 0..<count {
                    let hour =
                        spec.sparseDays.isEmpty
                        ? random.pick(weights: hourWeights, total: weightSum) : 9 + Int(random.uniform() * 8)
                    let t =
                        dayStart + Int64(hour) * UTCTime.microsecondsPerHour
                        + Int64(random.uniform() * Double(UTCTime.microsecondsPerHour))
                    guard t > start, t <= now - 30 * UTCTime.microsecondsPerSecond else { continue }
                    let op = spec.operations[
                        random.pick(
                            weights: spec.operations.map(\.weight), total: spec.operations.reduce(0) { $0 + $1.weight })
                    ]
                    let load = 1 + 0.3 * (hourWeights[hour] - 0.2)
                    let success = random.uniform() < spec.successRate
                    var ms = spec.baseMs * op.timeFactor * load * degradation * exp(0.2 * random.normal())
                    var error: String? = nil
                    if !success {
                        error = failures[Int(random.uniform() * Double(failures.count))]
                        ms *= error!.hasPrefix("tool call timed out") ? 1.6 : 0.4
                    }
                    let tokens = Int64(max(50, spec.meanTokens * op.timeFactor * exp(0.3 * random.normal())))
                    var quality: Double? = nil
                    if success && random.uniform() < 0.9 {
                        quality = min(
                            100, max(0, (spec.quality + spec.qualitySpread * random.normal()) * 10).rounded() / 10)
                    }
                    metrics.append(
                        MetricRecorded(
                            agentID: spec.id, operationType: op.name, timestamp: t,
                            executionTimeMs: (ms * 10).rounded() / 10,
                            tokensUsed: tokens, apiCalls: 1 + Int64(random.uniform() * 4), success: success,
                            qualityScore: quality,
                            costNanos: Int64((Double(tokens) * spec.pricePerMillion * 1_000).rounded()),
                            errorMessage: error))
                }
            }
        }
        // Two outliers in the last day: answers far slower than the agents' usual.
        let lastHour = UTCTime.hourFloor(now)
        for (agentID, minutesBefore, factor) in [(Int64(8), Int64(576), 6.5), (Int64(1), Int64(138), 7.0)] {
            guard let spec = specs.first(where: { $0.id == agentID }) else { continue }
            let t = lastHour - minutesBefore * UTCTime.microsecondsPerMinute
            metrics.append(
                MetricRecorded(
                    agentID: agentID, operationType: spec.operations[0].name, timestamp: t,
                    executionTimeMs: (spec.baseMs * factor).rounded(), tokensUsed: Int64(spec.meanTokens * 3),
                    apiCalls: 9, success: true, qualityScore: spec.quality - 10,
                    costNanos: Int64(spec.meanTokens * 3 * spec.pricePerMillion * 1_000)))
        }
        metrics.sort { $0.timestamp != $1.timestamp ? $0.timestamp < $1.timestamp : $0.agentID < $1.agentID }

        func spend(_ id: Int64, from: Int64, to: Int64 = Int64.max) -> Double {
            Double(
                metrics.reduce(Int64(0)) { sum, m in
                    m.agentID == id && m.timestamp >= from && m.timestamp < to ? sum + m.costNanos : sum
                }) / 1e9
        }
        func usd(_ value: Double) -> Int64 { Int64((value * 100).rounded()) * 10_000_000 }
        func budget(_ id: Int64, _ usdValue: Double, _ period: BudgetPeriodKind) -> BudgetSet {
            BudgetSet(
                agentID: id, totalBudgetNanos: usd(usdValue), warningThresholdPercent: 80,
                criticalThresholdPercent: 100,
                period: period)
        }
        // The tester's usual weekday spend: its daily budget leaves room for it but not for bursts.
        var weekdaySpend: [Double] = []
        for daysAgo in 1...min(days - 1, 14) where !specs[5].burstDays.contains(daysAgo) {
            let dayStart = today - Int64(daysAgo) * day
            if UTCTime.isoWeekday(dayStart) < 6 { weekdaySpend.append(spend(6, from: dayStart, to: dayStart + day)) }
        }
        weekdaySpend.sort()
        let typicalDay = weekdaySpend.isEmpty ? 0.1 : weekdaySpend[weekdaySpend.count / 2]
        let monthStart = UTCTime.monthFloor(now)
        let budgets = [
            // Near its limit (87 % of an all-time budget) with high quality: room to grow.
            budget(1, spend(1, from: start) / 0.87, .total),
            budget(2, max(1, spend(2, from: start) / Double(days) * 7 * 1.5), .weekly),
            budget(3, 40, .monthly),
            budget(4, 12, .monthly),
            budget(5, 40, .monthly),
            budget(6, max(0.05, typicalDay * 1.6), .daily),
            budget(7, 25, .monthly),
            // Over its monthly budget.
            budget(8, max(2, spend(8, from: monthStart) / 1.06), .monthly),
        ]
        return DemoFleet(agents: specs, budgets: budgets, metrics: metrics)
    }
}

/// A small deterministic generator (SplitMix64) with the draws the demo needs.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Standard normal (Box–Muller).
    mutating func normal() -> Double {
        let u = max(uniform(), 1e-12)
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
    }

    /// An index drawn with the given weights.
    mutating func pick(weights: [Double], total: Double) -> Int {
        var r = uniform() * total
        for (i, w) in weights.enumerated() {
            r -= w
            if r < 0 { return i }
        }
        return weights.count - 1
    }
}
