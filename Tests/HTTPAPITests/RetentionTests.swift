import EventLog
import Foundation
import Logging
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// The retention job (issue #5): metric events older than the retention are archived (gzip JSON
/// lines) and removed from the log behind a `RetentionApplied` marker; answers over windows the
/// retention still covers do not change, rollups keep the older hours, and a rebuild or restart
/// after retention starts from the snapshot the job wrote.
@Suite("Retention job")
struct RetentionJobTests {
    typealias H = ServerHarness
    static let day = H.day
    /// 2025-11-17T12:00:00Z: with 90 days of retention the cutoff is 2025-08-19T00:00:00Z.
    static let asOf = H.noon
    static let cutoff = UTCTime.dayFloor(H.noon) - 90 * H.day

    static func logger() -> Logger {
        var logger = Logger(label: "retention-tests")
        logger.logLevel = .error
        return logger
    }

    static func open(_ directory: String) throws -> FleetService {
        try FleetService(directory: directory, durability: .relaxed, logger: logger(), clock: { H.noon })
    }

    /// Three agents with budgets and 1,800 metrics over the 180 days before `asOf` (some with
    /// client event ids), evaluated now and then. Returns how many metrics are older than the cutoff.
    static func populate(_ service: FleetService) async throws -> Int {
        for (i, role) in ["developer", "reviewer", "tester"].enumerated() {
            _ = try await service.write { state, _ in
                (
                    try Ingestion.registerAgent(id: nil, name: "agent-\(i + 1)", role: role, state: state).events.map {
                        ($0, nil)
                    }, ()
                )
            }
            let budget = BudgetSet(
                agentID: Int64(i + 1), totalBudgetNanos: 40_000_000_000, warningThresholdPercent: 50,
                criticalThresholdPercent: 90, period: i == 0 ? .total : .monthly)
            _ = try await service.write { state, _ in
                (try Ingestion.setBudget(budget, state: state, now: H.noon - 200 * H.day).map { ($0, nil) }, ())
            }
        }
        var old = 0
        let ops = ["code_review", "testing", "implementation"]
        for batch in 0..<18 {
            var items: [Result<Ingestion.MetricSubmission, IngestionError>] = []
            for k in 0..<100 {
                let n = batch * 100 + k
                let t = asOf - 180 * day + Int64(n) * (180 * day / 1_800) + Int64(k % 7) * H.minute
                if t < cutoff { old += 1 }
                items.append(
                    .success(
                        Ingestion.MetricSubmission(
                            eventID: n % 3 == 0 ? "metric-\(n)" : nil,
                            metric: MetricRecorded(
                                agentID: Int64(n % 3 + 1), operationType: ops[n % 3], timestamp: t,
                                executionTimeMs: Double(100 + (n * 37) % 400), tokensUsed: Int64(50 + n % 500),
                                success: n % 11 != 0, qualityScore: n % 4 == 0 ? nil : Double(60 + n % 40),
                                costNanos: Int64(1_000_000 + (n * 7_919) % 30_000_000)))))
            }
            let submissions = items
            _ = try await service.write { state, context in
                let (events, outcomes) = try Ingestion.recordMetrics(
                    submissions, state: state, nextSequence: context.nextSequence,
                    existingSequence: { try context.existingSequence(forEventID: $0) })
                return (events.map { ($0.event, $0.eventID) }, outcomes)
            }
            _ = try await service.evaluate(asOf: asOf - 180 * day + Int64(batch + 1) * 10 * day)
        }
        return old
    }

    /// Answers over windows inside the retention (and time series over the whole history).
    static func answers(_ service: FleetService) throws -> [UInt8] {
        try service.read { p in
            var out: [any ContractResponse] = []
            let window = TimeWindow(start: asOf - 30 * day, end: asOf)
            let recent = TimeWindow(start: cutoff, end: asOf)
            let whole = TimeWindow(start: asOf - 200 * day, end: asOf)
            out.append(p.summary(asOf: asOf))
            out.append(p.costRecommendations(asOf: asOf))
            out.append(p.insights(window: window))
            for g in Granularity.allCases where g != .hour {
                out.append(try p.timeSeries(window: whole, granularity: g, agentID: nil, role: nil, operation: nil))
            }
            out.append(
                try p.timeSeries(window: whole, granularity: .day, agentID: nil, role: nil, operation: "testing"))
            out.append(try p.timeSeries(window: recent, granularity: .hour, agentID: 2, role: nil, operation: nil))
            for id in Int64(1)...3 {
                out.append(try p.byAgent(id, window: window, asOf: asOf))
                out.append(try p.byAgent(id, window: recent, asOf: asOf))
                out.append(try p.budget(agentID: id, asOf: asOf))
            }
            for role in ["developer", "reviewer", "tester"] { out.append(try p.byRole(role, window: recent)) }
            for m in StatisticMetric.allCases {
                out.append(p.percentiles(m, window: recent, agentID: nil, operation: nil))
                out.append(p.outliers(m, window: window, agentID: nil, operation: nil, zThreshold: 2, limit: 100))
            }
            for m in TrendMetric.allCases { out.append(p.trends(m, asOf: asOf, lookbackDays: 60, agentID: nil)) }
            out.append(p.alertList(.init(limit: 1_000)))
            return out.flatMap { $0.contractJSON.serializedBytes }
        }
    }

    /// Metric events still in the log with a timestamp before the cutoff and a sequence ≤ `through`.
    static func oldMetricsInLog(_ log: EventLog, through: UInt64) throws -> Int {
        var n = 0
        try FleetService.forEachArchivable(log: log, cutoff: cutoff, through: through) { _ in n += 1 }
        return n
    }

    @Test("retention archives and removes the old metrics; covered answers, rebuilds and restarts are unchanged")
    func endToEnd() async throws {
        let directory = NSTemporaryDirectory() + "retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var service = try Self.open(directory)
        let old = try await Self.populate(service)
        #expect(old > 300)
        let before = try Self.answers(service)
        let countBefore = service.read { $0.metrics.count }
        let headBefore = service.log.head

        let report = try await service.applyRetention(asOf: Self.asOf)
        #expect(report.removedEvents == old)
        #expect(report.metricCutoff == Self.cutoff)
        #expect(report.markerSequence == headBefore + 1)
        let archive = try #require(report.archive)
        #expect(service.read { $0.metrics.count } == countBefore - old)
        #expect(try Self.answers(service) == before)
        #expect(try Self.oldMetricsInLog(service.log, through: headBefore) == 0)
        #expect(service.log.retentionHorizon == headBefore + 1)
        // The idempotency index forgets removed events; kept ones are still found.
        #expect(try service.log.sequence(forEventID: "metric-0") == nil)
        #expect(try service.log.sequence(forEventID: "metric-1797") != nil)

        // The archive holds exactly the removed events, as export lines.
        var lines = 0
        try GzipFileReader.forEachLine(path: directory + "/" + archive) { line in
            let record = try LogReplay.parseExportLine(line, lineNumber: lines + 1)
            #expect(record.type == MetricRecorded.type)
            lines += 1
        }
        #expect(lines == old)

        // The whole log verifies: every gap is in the archive.
        let verified = try LogReplay.verify(service.log)
        #expect(verified.isClean, "\(verified.problems)")
        #expect(verified.archivedEventsChecked == UInt64(old))

        // A blue/green rebuild and the replay tool's rebuild start from the retention snapshot.
        let outcome = try await service.rebuildProjection()
        #expect(outcome.identical)
        var replayed = try LogReplay.rebuildBase(service.log)
        try LogReplay.fold(service.log, into: &replayed, through: service.log.head)
        #expect(replayed.snapshotBytes() == service.read { $0.snapshotBytes() })

        // Running again at the same instant finds nothing to remove.
        let again = try await service.applyRetention(asOf: Self.asOf)
        #expect(again.removedEvents == 0)
        #expect(again.markerSequence == nil)

        // Writes after retention, then a restart (from the newest checkpoint) answers the same.
        _ = try await service.evaluate(asOf: Self.asOf)
        let live = try Self.answers(service)
        service.shutdown()
        service = try Self.open(directory)
        #expect(try Self.answers(service) == live)
        service.shutdown()

        // Without the regular checkpoint, a start folds from the retention snapshot.
        do {
            let log = try EventLog(directory: directory)
            let writer = try EventWriter(
                log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() }, clock: { H.noon },
                onCommit: { _, _ in })
            try await writer.writeSnapshot(
                name: FleetService.snapshotName, EventLog.Snapshot(sequence: 1, version: 999, bytes: []))
            writer.shutdown()
            log.close()
        }
        service = try Self.open(directory)
        #expect(try Self.answers(service) == live)
        service.shutdown()
    }

    @Test("a run interrupted after its marker is finished at the next start")
    func resumeAfterCrash() async throws {
        let directory = NSTemporaryDirectory() + "retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var service = try Self.open(directory)
        let old = try await Self.populate(service)
        let before = try Self.answers(service)
        let headBefore = service.log.head
        let report = try await service.applyRetention(asOf: Self.asOf, stopAfterMarker: true)
        #expect(report.markerSequence == headBefore + 1)
        #expect(try Self.oldMetricsInLog(service.log, through: headBefore) == old)
        service.shutdown()

        service = try Self.open(directory)
        try await service.resumeRetention()
        #expect(try Self.oldMetricsInLog(service.log, through: headBefore) == 0)
        #expect(try Self.answers(service) == before)
        #expect(try LogReplay.verify(service.log).isClean)
        // Resuming again does nothing.
        try await service.resumeRetention()
        #expect(service.log.retentionHorizon == headBefore + 1)
        service.shutdown()
    }

    @Test("verify names a missing archive and the gaps it leaves")
    func missingArchive() async throws {
        let directory = NSTemporaryDirectory() + "retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try Self.open(directory)
        defer { service.shutdown() }
        _ = try await Self.populate(service)
        let report = try await service.applyRetention(asOf: Self.asOf)
        try FileManager.default.removeItem(atPath: directory + "/" + (report.archive ?? ""))
        let verified = try LogReplay.verify(service.log)
        #expect(!verified.isClean)
        #expect(verified.problems.contains { $0.kind == .archive })
        #expect(verified.problems.contains { $0.kind == .gap })
    }

    @Test("POST /api/v1/admin/retention runs the job; the rules document carries the retention")
    func endpoint() async throws {
        try await H.run { client, service in
            let bad = try await client.post("/api/v1/admin/retention", ["as_of": "yesterday"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.error?["field"]?.stringValue == "as_of")
            let unknown = try await client.post("/api/v1/admin/retention", ["days": 3])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.error?["field"]?.stringValue == "days")

            let rules = try await client.get("/api/v1/admin/rules")
            #expect(rules.data?["rules"]?["retention"]?["metrics_days"]?.int64Value == 90)
            #expect(rules.data?["rules"]?["retention"]?["rollup_days"]?.int64Value == 730)
            let invalid = try await client.put(
                "/api/v1/admin/rules", ["retention": ["metrics_days": 30, "rollup_days": 10]])
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.error?["field"]?.stringValue == "retention.rollup_days")
            let shorter = try await client.put("/api/v1/admin/rules", ["retention": ["metrics_days": 7]])
            #expect(shorter.status == .ok)

            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            for days in [10, 9, 8, 2, 1] {
                let metric: JSONValue = [
                    "agent_id": 1, "operation_type": "work", "timestamp": .string(H.iso(H.noon - Int64(days) * H.day)),
                    "execution_time_ms": 100, "tokens_used": 10, "api_calls": 1, "success": true, "cost_usd": 0.01,
                ]
                #expect(try await client.post("/api/v1/metrics", metric).status == .created)
            }
            let run = try await client.post("/api/v1/admin/retention", ["as_of": .string(H.iso(H.noon))])
            #expect(run.status == .ok)
            #expect(run.data?["removed_events"]?.int64Value == 3)
            #expect(run.data?["metric_cutoff"]?.stringValue == H.iso(UTCTime.dayFloor(H.noon) - 7 * H.day))
            #expect(run.data?["archive"]?.stringValue?.hasPrefix("archive/metrics-before-") == true)
            let summary = try await client.get("/api/v1/agents/1")
            #expect(summary.status == .ok)
            #expect(service.read { $0.metrics.count } == 2)
            let series = try await client.get(
                "/api/v1/metrics/aggregate/timeseries",
                [("start_date", H.iso(H.noon - 11 * H.day)), ("end_date", H.iso(H.noon)), ("granularity", "month")])
            // The rollups still count all five.
            let total = series.data?.arrayValue?.reduce(Int64(0)) { $0 + ($1["total_operations"]?.int64Value ?? 0) }
            #expect(total == 5)
        }
    }

    @Test("retention and a projection rebuild never overlap: each answers 409 while the other runs")
    func maintenanceExcludes() async throws {
        try await H.run { client, service in
            try await service.maintenance.run(.retention) {
                let rebuild = try await client.call(.post, "/api/v1/admin/rebuild")
                #expect(rebuild.status == .conflict)
                #expect(rebuild.error?["message"]?.stringValue == "a retention run is already in progress")
                let again = try await client.post("/api/v1/admin/retention", ["as_of": .string(H.iso(H.noon))])
                #expect(again.status == .conflict)
            }
            try await service.maintenance.run(.rebuild) {
                let retention = try await client.post("/api/v1/admin/retention", ["as_of": .string(H.iso(H.noon))])
                #expect(retention.status == .conflict)
                #expect(retention.error?["message"]?.stringValue == "a projection rebuild is already in progress")
                await #expect(throws: MaintenanceBusy(running: .rebuild)) { try await service.rebuildProjection() }
            }
            #expect(try await client.call(.post, "/api/v1/admin/rebuild").status == .ok)
            #expect(try await client.post("/api/v1/admin/retention", ["as_of": .string(H.iso(H.noon))]).status == .ok)

            // The scheduler's retention waits for a rebuild to finish instead of failing.
            let (acquired, acquiredSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let holder = Task {
                try await service.maintenance.run(.rebuild) {
                    acquiredSignal.yield()
                    for await _ in release { break }
                }
            }
            for await _ in acquired { break }
            let waiting = Task { try await service.applyRetention(asOf: H.noon, waitForOtherJobs: true) }
            // Synchronize on the gate: the scheduler's retention is parked behind the rebuild.
            await service.maintenance.waitForWaiters(atLeast: 1)
            await #expect(throws: MaintenanceBusy(running: .rebuild)) { try await service.applyRetention(asOf: H.noon) }
            releaseSignal.yield()
            try await holder.value
            let report = try await waiting.value
            #expect(report.asOf == H.noon)
        }
    }

    @Test("an export after retention takes the removed events back from the archive and imports whole")
    func exportImport() async throws {
        let directory = NSTemporaryDirectory() + "retention-\(UUID().uuidString)"
        let copy = NSTemporaryDirectory() + "retention-import-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: copy)
        }
        let service = try Self.open(directory)
        defer { service.shutdown() }
        _ = try await Self.populate(service)
        let fullHead = service.log.head
        _ = try await service.applyRetention(asOf: Self.asOf)
        var exported: [UInt8] = []
        let count = try LogReplay.export(service.log) { exported += $0 }
        #expect(count == fullHead + 1)
        let lines = exported.split(separator: UInt8(ascii: "\n")).map { Array($0) }
        #expect(try LogReplay.importLog(into: copy, lines: lines) == fullHead + 1)
        let imported = try Self.open(copy)
        defer { imported.shutdown() }
        #expect(try Self.answers(imported) == Self.answers(service))
        #expect(imported.read { $0.snapshotBytes() } == service.read { $0.snapshotBytes() })
    }
}
