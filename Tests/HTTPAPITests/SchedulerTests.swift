import EventLog
import Foundation
import Logging
import Projections
import TestSupport
import Testing

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Evaluation scheduler")
struct SchedulerTests {
    typealias H = ServerHarness

    @Test("after downtime the evaluator catches up hour by hour from its checkpoint")
    func catchUp() async throws {
        let directory = NSTemporaryDirectory() + "scheduler-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = H.noon + 17 * H.minute
        let service = try FleetService(directory: directory, durability: .relaxed, clock: { now })
        defer { service.shutdown() }
        _ = try await service.write { state, _ in
            (
                try Ingestion.registerAgent(id: nil, name: "coder", role: "developer", state: state).events.map {
                    ($0, nil)
                }, ()
            )
        }
        let budget = BudgetSet(
            agentID: 1, totalBudgetNanos: 1_000_000_000, warningThresholdPercent: 80, criticalThresholdPercent: 100,
            period: .daily)
        _ = try await service.write { state, context in
            (try Ingestion.setBudget(budget, state: state, now: context.recordedAt).map { ($0, nil) }, ())
        }
        // Yesterday's spend crosses both thresholds; its period ended at midnight.
        let item = Ingestion.MetricSubmission(
            eventID: nil,
            metric: MetricRecorded(
                agentID: 1, operationType: "work", timestamp: H.noon - H.day, executionTimeMs: 10, tokensUsed: 1,
                success: true, qualityScore: nil, costNanos: 2_000_000_000))
        _ = try await service.write { state, context in
            let (events, outcomes) = try Ingestion.recordMetrics(
                [.success(item)], state: state, nextSequence: context.nextSequence, existingSequence: { _ in nil })
            return (events.map { ($0.event, $0.eventID) }, outcomes)
        }
        #expect(service.read { $0.activeAlertCount } == 2)
        // The evaluator last ran five hours ago (a log of a build before `EvaluationPerformed`
        // kept that in the meta database).
        try await service.writer.setMeta(
            EvaluationScheduler.legacyCheckpointKey, Array(String(H.noon - 5 * H.hour).utf8))
        let scheduler = EvaluationScheduler(service: service, logger: Logger(label: "test"))
        await scheduler.catchUp()
        let alerts = service.read { $0.alertBook.alerts }
        #expect(alerts.map(\.status) == [.resolved, .resolved])
        #expect(alerts.map(\.resolvedAt) == [H.noon - 12 * H.hour, H.noon - 12 * H.hour])
        #expect(alerts[0].history.last?.reason == "period_ended")
        // Each boundary is recorded in the log; the latest is where the next start resumes.
        #expect(service.read { $0.ingestion.latestEvaluationAsOf } == H.noon)
        // Evaluating again appends nothing.
        let head = service.log.head
        await scheduler.catchUp()
        #expect(service.log.head == head)
    }

    @Test("the evaluation interval of the rules in force sets the boundaries the scheduler evaluates")
    func interval() async throws {
        let directory = NSTemporaryDirectory() + "scheduler-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = H.noon + 47 * H.minute
        let service = try FleetService(directory: directory, durability: .relaxed, clock: { now })
        defer { service.shutdown() }
        let rules = try Rules(document: #"{"evaluator": {"evaluation_interval_minutes": 15}}"#)
        _ = try await service.write { _, _ in
            ([(.rulesChanged(RulesChanged(version: 1, document: rules.document.jsonString)), nil)], ())
        }
        let scheduler = EvaluationScheduler(service: service, logger: Logger(label: "test"))
        #expect(scheduler.interval == 15 * H.minute)
        #expect(EvaluationScheduler.floor(now, scheduler.interval) == H.noon + 45 * H.minute)
        #expect(EvaluationScheduler.floor(-1, 15 * H.minute) == -15 * H.minute)
        _ = try await service.evaluate(asOf: H.noon - H.hour)
        await scheduler.catchUp()
        // Seven quarter-hour boundaries after 11:00 up to 12:45, each recorded in the log.
        #expect(service.read { $0.ingestion.latestEvaluationAsOf } == H.noon + 45 * H.minute)
        var instants: [Int64] = []
        try service.log.forEach { record in
            guard record.type == EvaluationPerformed.type,
                case .evaluationPerformed(let e) = try DomainEvent.decode(
                    type: record.type, version: record.schemaVersion, payload: Array(record.payload))
            else { return }
            instants.append(e.asOf)
        }
        #expect(instants == (0...7).map { H.noon - H.hour + Int64($0) * 15 * H.minute })
        for bad in [
            #"{"evaluator": {"evaluation_interval_minutes": 7}}"#,
            #"{"evaluator": {"evaluation_interval_minutes": 0}}"#,
        ] {
            #expect(throws: Rules.Invalid.self) { try Rules(document: bad) }
        }
    }

    @Test("a budget request that leaves fields out takes the budget defaults of the rules in force")
    func budgetDefaults() async throws {
        try await H.run { client, _ in
            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            let rules = try await client.put(
                "/api/v1/admin/rules",
                ["budgets": ["warning_threshold_percent": 60, "critical_threshold_percent": 90, "period": "weekly"]])
            #expect(rules.status == .ok)
            #expect(rules.data?["rules"]?["budgets"]?["period"]?.stringValue == "weekly")
            let set = try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 10])
            #expect(set.status == .ok || set.status == .created)
            let budget = try await client.get("/api/v1/agents/1/budget")
            #expect(budget.data?["warning_threshold_percent"]?.doubleValue == 60)
            #expect(budget.data?["period"]?.stringValue == "weekly")
            let invalid = try await client.put(
                "/api/v1/admin/rules", ["budgets": ["warning_threshold_percent": 90, "critical_threshold_percent": 80]])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.error?["field"]?.stringValue == "budgets.critical_threshold_percent")
        }
    }
}

@Suite("Evaluation in the writer")
struct EvaluationOrderTests {
    typealias H = ServerHarness

    @Test("an evaluation queued behind metrics that would share its group sees them; what-if agrees")
    func evaluationSeesEarlierRequests() async throws {
        try await H.withService("evaluation-order") { service, directory in try await Self.scenario(service, directory)
        }
    }

    static func scenario(_ service: FleetService, _ directory: String) async throws {
        _ = try await service.appendAgent(id: nil, name: "coder", role: "developer")
        func metric(_ minutesAgo: Int64, _ ms: Double) -> MetricRecorded {
            MetricRecorded(
                agentID: 1, operationType: "work", timestamp: H.noon - minutesAgo * H.minute, executionTimeMs: ms,
                tokensUsed: 1, success: true, qualityScore: nil, costNanos: 1)
        }
        // A week of ordinary execution times.
        _ = try await service.appendMetrics((0..<30).map { metric(Int64(120 + $0 * 200), 100 + Double($0 % 5)) })

        // Hold the writer so that the next two requests wait in its queue together.
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let holding = Task {
            try await service.writer.perform { _, _ in
                enteredSignal.yield()
                release.wait()
                return AppendDecision(events: [], result: ())
            }
        }
        for await _ in entered { break }
        let outlier = Task { try await service.appendMetrics([metric(10, 90_000)]) }
        await service.writer.waitUntilQueued(atLeast: 1)
        let evaluation = Task { try await service.evaluate(asOf: H.noon) }
        await service.writer.waitUntilQueued(atLeast: 2)
        release.signal()
        try await holding.value
        _ = try await outlier.value
        let events = try await evaluation.value
        let raised = events.compactMap { event -> AlertRaised? in
            if case .alertRaised(let alert) = event { return alert }
            return nil
        }
        #expect(raised.map(\.rule) == [.outlier], "\(events)")
        #expect(raised.first?.currentValue == 90_000)

        // Replaying the history decides the same.
        let log = try LogReplay.openReadOnly(directory)
        defer { log.close() }
        let report = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
        #expect(report.alertChanges.isEmpty, "\(report.table)")
        #expect(report.recordedAlerts == 1)
    }
}

extension EvaluationOrderTests {
    /// A metric of agent 1 `minutesAgo` before noon taking `ms`.
    static func metric(minutesAgo: Int64, _ ms: Double) -> MetricRecorded {
        MetricRecorded(
            agentID: 1, operationType: "work", timestamp: H.noon - minutesAgo * H.minute, executionTimeMs: ms,
            tokensUsed: 1, success: true, qualityScore: nil, costNanos: 1)
    }

    @Test("every evaluation is recorded, a silent one too; what-if evaluates at the recorded instants, none inferred")
    func silentEvaluationsAreRecorded() async throws {
        try await H.withService("evaluation-recorded") { service, directory in
            _ = try await service.appendAgent(id: nil, name: "coder", role: "developer")
            // Ordinary times, and one moderately slow operation in the last hour: z ≈ 2.35, below
            // the default threshold of 3, above 2.
            var metrics: [MetricRecorded] = []
            for i in 0..<20 { metrics.append(Self.metric(minutesAgo: Int64(120 + i * 300), 100 + Double(i % 5))) }
            metrics.append(Self.metric(minutesAgo: 30, 106))
            _ = try await service.appendMetrics(metrics)
            // 37 minutes past the hour: not a boundary, so no inference could find this instant.
            let asOf = H.noon - 23 * H.minute
            let events = try await service.evaluate(asOf: asOf)
            #expect(events == [.evaluationPerformed(EvaluationPerformed(asOf: asOf, rulesVersion: 0))])
            // The same instant right again appends nothing.
            let head = service.log.head
            #expect(try await service.evaluate(asOf: asOf).isEmpty)
            #expect(service.log.head == head)

            let log = try LogReplay.openReadOnly(directory)
            defer { log.close() }
            let same = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
            #expect(same.recordedEvaluations == 1 && same.inferredEvaluationInstants == 0)
            #expect(same.alertChanges.isEmpty)
            var stricter = Rules.defaults
            stricter.outlierZThreshold = 2
            let report = try LogReplay.whatIf(log, options: .init(rules: stricter, hourly: false))
            #expect(report.recordedEvaluations == 1 && report.inferredEvaluationInstants == 0)
            #expect(report.alertChanges.map(\.change) == [.raised], "\(report.table)")
            // Found by evaluating at the recorded instant (a silent evaluation used to leave nothing
            // in the log, so what-if without hourly boundaries never evaluated there).
            #expect(report.alertChanges.first?.whatIf?.detectedAt == H.noon - 30 * H.minute)

            // A late metric before the instant: evaluating the same instant again decides it.
            _ = try await service.appendMetrics([Self.metric(minutesAgo: 40, 5_000)])
            let again = try await service.evaluate(asOf: asOf)
            #expect(again.count == 2, "\(again)")
            #expect(again.first == .evaluationPerformed(EvaluationPerformed(asOf: asOf, rulesVersion: 0)))
            if case .alertRaised(let raised)? = again.last {
                #expect(raised.rule == .outlier)
            } else {
                Issue.record("no outlier")
            }
        }
    }

    @Test("an evaluation queued behind metric writes decides on them, and replay decides the same")
    func evaluationSeesEarlierRequestsOfItsGroup() async throws {
        try await H.withService("evaluation-group") { service, directory in
            _ = try await service.appendAgent(id: nil, name: "coder", role: "developer")
            var ordinary: [MetricRecorded] = []
            for i in 0..<30 { ordinary.append(Self.metric(minutesAgo: Int64(90 + i * 60), 100 + Double(i % 7))) }
            _ = try await service.appendMetrics(ordinary)

            // Hold the writer inside a decision, so the next requests queue behind it together.
            let entered = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            async let held: Void = service.write { _, _ in
                entered.signal()
                release.wait()
                return ([], ())
            }
            await onOwnThread { entered.wait() }
            // First in the queue: an extreme execution time 20 minutes ago. Second: the evaluation.
            async let stored = service.appendMetrics([Self.metric(minutesAgo: 20, 50_000)])
            await service.writer.waitUntilQueued(atLeast: 1)
            async let evaluated = service.evaluate(asOf: H.noon)
            await service.writer.waitUntilQueued(atLeast: 2)
            release.signal()
            try await held
            let outcomes = try await stored
            let events = try await evaluated

            // The evaluation saw the metric of the request queued before it.
            guard case .created(let metricID)? = outcomes.first else {
                Issue.record("the metric was not stored: \(outcomes)")
                return
            }
            let raised = events.compactMap { event -> AlertRaised? in
                if case .alertRaised(let e) = event { return e }
                return nil
            }
            #expect(raised.map(\.rule) == [.outlier], "\(events)")
            #expect(raised.first?.causeMetricID == metricID)

            // Replay decides the same from the log: what-if with the rules in force changes nothing,
            // and the live projection answers every audit path as one rebuilt from the log.
            let log = try LogReplay.openReadOnly(directory)
            defer { log.close() }
            let report = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
            #expect(report.recordedEvaluations == 1)
            #expect(report.alertChanges.isEmpty, "\(report.table)")
            var rebuilt = FleetProjection()
            try LogReplay.fold(log, into: &rebuilt, through: log.head)
            let live = service.read { $0 }
            let paths = LogReplay.auditPaths([live, rebuilt], asOf: H.noon)
            let differences = LogReplay.compare(
                live, rebuilt, paths: paths, now: H.noon, leftName: "live", rightName: "rebuilt")
            #expect(differences.isEmpty, "\(differences)")
        }
    }
}
