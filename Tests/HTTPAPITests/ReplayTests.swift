import CLMDB
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Projections
import Synchronization
import TestSupport
import Testing
import Utilities

@testable import APIContract
@testable import EventLog
@testable import FleetServices
@testable import HTTPAPI

/// A clock the scenario moves forward.
final class ReplayTestClock: Sendable {
    private let value: Atomic<Int64>

    init(_ start: Int64) { value = Atomic(start) }

    var now: Int64 { value.load(ordering: .relaxed) }

    func set(_ us: Int64) { value.store(us, ordering: .relaxed) }
}

/// A week of a small fleet written through the HTTP API with a moving clock, with the live
/// answers captured on the way (for `replay at`), a checkpoint in the middle, then shut down.
///
/// Agents: 1 coder (budget $1 monthly; execution time rising every day; 28 metrics of $0.05),
/// 2 reviewer (steady; one metric just before the evaluation a little slower), 3 batch (budget $100; 12 metrics on the last day, one of them an outlier).
/// Alerts: 1 budget_warning and 2 budget_critical (agent 1), 3 performance_degradation (agent 1)
/// and 4 outlier (agent 3) from the evaluation; 1 acknowledged by alice, 4 resolved by bob, 1 and 2
/// resolved when agent 1's budget is raised to $10.
struct ReplayScenario {
    static let second: Int64 = 1_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour
    /// 2025-11-10T00:00:00Z.
    static let t0: Int64 = 1_762_732_800_000_000

    let directory: String
    /// The clock when day 3's metrics were written, and the live answers then.
    let day3Clock: Int64
    let day3Answers: [(path: String, body: [UInt8])]
    /// The clock at the end, and the live answer of every audit path then.
    let endClock: Int64
    let endAnswers: [(path: String, status: Int, body: [UInt8])]
    let checkpointSequence: UInt64
    let head: UInt64

    static let day3Paths = [
        "/api/v1/metrics/summary", "/api/v1/agents/1/budget", "/api/v1/metrics/alerts",
        "/api/v1/metrics/aggregate/by-agent/1", "/api/v1/metrics/recommendations/cost",
        "/api/v1/metrics/aggregate/timeseries?granularity=day",
    ]

    static func build() async throws -> ReplayScenario {
        let directory = NSTemporaryDirectory() + "replay-tests-\(UUID().uuidString)"
        var logger = Logger(label: "replay-tests")
        logger.logLevel = .error
        let clock = ReplayTestClock(t0)
        let service = try FleetService(directory: directory, durability: .relaxed, logger: logger, clock: { clock.now })
        // The router alone: no scheduler, and no checkpoint at shutdown (the scenario writes one).
        let app = Application(router: buildRouter(service: service), logger: logger)
        let captured = try await app.test(.router) { client in
            func send(_ method: HTTPRequest.Method, _ uri: String, _ json: JSONValue? = nil) async throws -> (
                Int, [UInt8]
            ) {
                var headers = HTTPFields()
                var body: ByteBuffer?
                if let json {
                    body = ByteBuffer(bytes: json.serialized())
                    headers[.contentType] = "application/json"
                }
                return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
                    (response.status.code, Array(response.body.readableBytesView))
                }
            }
            func ok(_ method: HTTPRequest.Method, _ uri: String, _ json: JSONValue? = nil) async throws {
                let (status, body) = try await send(method, uri, json)
                #expect(status < 300, "\(method) \(uri): \(status) \(String(decoding: body, as: UTF8.self))")
            }
            func iso(_ us: Int64) -> JSONValue { .string(UTCTime.formatISO8601(us)) }

            try await ok(.post, "/api/v1/agents", ["name": "coder", "role": "developer"])
            try await ok(.post, "/api/v1/agents", ["name": "reviewer", "role": "qa team"])
            try await ok(.post, "/api/v1/agents", ["name": "batch", "role": "developer"])
            clock.set(t0 + minute)
            try await ok(.put, "/api/v1/agents/1/budget", ["total_budget_usd": 1.0, "period": "monthly"])
            try await ok(.put, "/api/v1/agents/3/budget", ["total_budget_usd": 100.0])
            var day3Clock: Int64 = 0
            var day3Answers: [(String, [UInt8])] = []
            var checkpointSequence: UInt64 = 0
            for d in 0..<7 {
                let base = t0 + Int64(d) * day
                clock.set(base + 20 * hour)
                var items: [JSONValue] = []
                for k in 0..<4 {
                    items.append([
                        "agent_id": 1, "operation_type": "code.write", "timestamp": iso(base + Int64(k) * hour),
                        "execution_time_ms": .double(100 + Double(d * 50 + k * 3 + d * d % 5)), "tokens_used": 1000,
                        "success": true, "quality_score": 90, "cost_usd": 0.05,
                    ])
                }
                for k in 0..<6 {
                    items.append([
                        "event_id": .string("review-\(d)-\(k)"), "agent_id": 2, "operation_type": "review",
                        "timestamp": iso(base + Int64(k) * hour + 30 * minute),
                        "execution_time_ms": .double(200 + Double(k % 3)), "tokens_used": 300, "success": .bool(k != 5),
                        "quality_score": 70, "cost_usd": 0.01, "error_message": k == 5 ? .string("timeout") : .null,
                    ])
                }
                if d == 6 {
                    // Within the last hour before the evaluation: z ≈ 1.75 among the reviewer's metrics.
                    items.append([
                        "agent_id": 2, "operation_type": "review", "timestamp": iso(base + 19 * hour + 45 * minute),
                        "execution_time_ms": 202.5, "tokens_used": 300, "success": true, "cost_usd": 0.01,
                    ])
                    for k in 0..<12 {
                        items.append([
                            "agent_id": 3, "operation_type": "batch.run",
                            "timestamp": iso(k == 11 ? base + 19 * hour + 30 * minute : base + Int64(k) * minute),
                            "execution_time_ms": .int(k == 11 ? 1000 : 50), "input_tokens": 10, "output_tokens": 5,
                            "success": true, "cost_usd": 0.001,
                        ])
                    }
                }
                try await ok(.post, "/api/v1/metrics", ["metrics": .array(items)])
                if d == 3 {
                    day3Clock = clock.now
                    for path in day3Paths {
                        let (status, body) = try await send(.get, path)
                        #expect(status == 200)
                        day3Answers.append((path, body))
                    }
                }
                if d == 5 { checkpointSequence = try await service.checkpoint() }
            }
            clock.set(t0 + 7 * day)
            try await ok(.post, "/api/v1/admin/evaluate", ["as_of": iso(t0 + 6 * day + 20 * hour)])
            clock.set(t0 + 7 * day + hour)
            try await ok(.put, "/api/v1/metrics/alerts/1/acknowledge", ["by": "alice", "note": "looking into it"])
            clock.set(t0 + 7 * day + 2 * hour)
            try await ok(.put, "/api/v1/metrics/alerts/4/resolve", ["by": "bob", "note": "a one-off"])
            clock.set(t0 + 7 * day + 3 * hour)
            try await ok(.put, "/api/v1/agents/1/budget", ["total_budget_usd": 10.0, "period": "monthly"])
            let endClock = t0 + 7 * day + 4 * hour
            clock.set(endClock)
            let paths =
                service.read { p in LogReplay.auditPaths([p], asOf: endClock) } + [
                    "/api/v1/agents/99", "/api/v1/metrics/percentiles/nope", "/api/v1/metrics/summary?as_of=yesterday",
                    "/api/v1/metrics/summary", "/api/v1/metrics/alerts?status=resolved&limit=2",
                    "/api/v1/metrics/aggregate/by-role/qa%20team",
                    "/api/v1/metrics/aggregate/timeseries?granularity=hour&agent_id=1&start_date=2025-11-16T00:00:00Z",
                    "/api/v1/metrics/outliers/execution_time?z_threshold=2&agent_id=3",
                ]
            var endAnswers: [(String, Int, [UInt8])] = []
            for path in paths {
                let (status, body) = try await send(.get, path)
                endAnswers.append((path, status, body))
            }
            return (day3Clock, day3Answers, endClock, endAnswers, checkpointSequence)
        }
        let head = service.log.head
        service.shutdown()
        return ReplayScenario(
            directory: directory, day3Clock: captured.0, day3Answers: captured.1, endClock: captured.2,
            endAnswers: captured.3, checkpointSequence: captured.4, head: head)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: directory) }
}

/// Runs `body` with a fresh scenario, removed afterwards.
func withScenario(_ body: (ReplayScenario) async throws -> Void) async throws {
    let scenario = try await ReplayScenario.build()
    defer { scenario.cleanup() }
    try await body(scenario)
}

@Suite("Replay")
struct ReplayTests {
    // MARK: verify

    @Test("verify passes a sound log")
    func verifyClean() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let report = try LogReplay.verify(log)
            #expect(report.isClean, "\(report.problems)")
            #expect(report.head == s.head)
            #expect(report.recordsChecked == s.head)
            #expect(report.eventIDsChecked == 42)
            #expect(report.checkpoint.contains("at event \(s.checkpointSequence)"))
        }
    }

    /// Flips a payload bit of event `flip` and deletes event `delete` underneath the codec.
    static func damage(_ directory: String, flip: UInt64, delete: UInt64?) throws {
        let log = try EventLog(directory: directory)
        defer { log.close() }
        var txn: OpaquePointer?
        #expect(mdb_txn_begin(log.env, nil, 0, &txn) == 0)
        for (sequence, deleting) in [(flip, false)] + (delete.map { [($0, true)] } ?? []) {
            var keyValue = sequence.bigEndian
            let rc = withUnsafeMutableBytes(of: &keyValue) { k -> Int32 in
                var key = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                if deleting { return mdb_del(txn, log.eventsDB, &key, nil) }
                var value = MDB_val()
                guard mdb_get(txn, log.eventsDB, &key, &value) == 0 else { return -1 }
                var bytes = Array(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                bytes[bytes.count - 1] ^= 0x40
                return bytes.withUnsafeMutableBytes { b in
                    var v = MDB_val(mv_size: b.count, mv_data: b.baseAddress)
                    return mdb_put(txn, log.eventsDB, &key, &v, 0)
                }
            }
            #expect(rc == 0)
        }
        #expect(mdb_txn_commit(txn) == 0)
    }

    @Test("verify names every damaged sequence: checksum, gap, undecodable")
    func verifyDamage() async throws {
        try await withScenario { s in
            // Damage the log underneath the codec: flip a payload byte of event 3, delete event 7,
            // then append an event of a type this build does not know.
            try Self.damage(s.directory, flip: 3, delete: 7)
            do {
                let log = try EventLog(directory: s.directory)
                let writer = try EventWriter(log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() })
                _ = try await writer.append([NewEvent(type: 99, schemaVersion: 1, occurredAt: 0, payload: [1, 2, 3])])
                writer.shutdown()
                log.close()
            }
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let report = try LogReplay.verify(log)
            #expect(!report.isClean)
            #expect(report.damagedSequences == [3, 7, s.head + 1])
            #expect(report.problems.map(\.kind) == [.damaged, .gap, .undecodable])
            #expect(report.problems[0].message.contains("checksum"))
            #expect(report.problems[2].message.contains("unknown event type 99"))
        }
    }

    @Test("a missing data directory, or one without a log, is refused naming the path")
    func missingDirectory() throws {
        let missing = NSTemporaryDirectory() + "replay-missing-\(UUID().uuidString)"
        #expect(throws: EventLogError.directoryUnavailable(path: missing, reason: "it does not exist")) {
            _ = try LogReplay.openReadOnly(missing)
        }
        try FileManager.default.createDirectory(atPath: missing, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: missing) }
        #expect(throws: EventLogError.directoryUnavailable(path: missing, reason: "it holds no event log")) {
            _ = try LogReplay.openReadOnly(missing)
        }
    }

    // MARK: rebuild

    @Test("rebuild equals the checkpoint folded forward, answer for answer")
    func rebuildMatchesCheckpoint() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let checkpoint = LogReplay.checkpoint(log, head: UInt64.max)
            var positions: [UInt64] = []
            var rebuilt = FleetProjection()
            try LogReplay.fold(log, into: &rebuilt, through: s.head) { positions.append($0) }
            #expect(positions.last == s.head)
            #expect(rebuilt.sequence == s.head)
            let comparison = try LogReplay.compareWithCheckpoint(log, rebuilt: rebuilt, checkpoint: checkpoint)
            #expect(comparison.checkpointSequence == s.checkpointSequence)
            #expect(comparison.checkpointSequence! < s.head)
            #expect(comparison.differences.isEmpty, "\(comparison.differences)")
            #expect(comparison.stateBytesEqual)
            #expect(comparison.matches)
            #expect(comparison.queriesCompared > 30)
            #expect(comparison.asOf == s.endClock - ReplayScenario.hour)
        }
    }

    @Test("a fold split by agent over 2–4 threads equals the fold on one, from empty and from the checkpoint")
    func splitFoldMatchesOneThread() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            var whole = FleetProjection()
            _ = try log.forEach { record in
                try whole.apply(
                    type: record.type, schemaVersion: record.schemaVersion, payload: record.payload,
                    sequence: record.sequence)
            }
            #expect(whole.sequence == s.head)
            #expect(whole.agents.count >= 3)
            guard case .usable(let checkpointed) = LogReplay.checkpoint(log, head: s.head) else {
                Issue.record("no checkpoint")
                return
            }
            #expect(checkpointed.sequence < s.head)
            for parts in 2...4 {
                var split = FleetProjection()
                try SplitFold.fold(log: log, &split, through: s.head, parts: parts, minimumEvents: 1)
                #expect(split.snapshotBytes() == whole.snapshotBytes(), "\(parts) parts")
                var resumed = checkpointed
                try SplitFold.fold(log: log, &resumed, through: s.head, parts: parts, minimumEvents: 1)
                #expect(resumed.snapshotBytes() == whole.snapshotBytes(), "\(parts) parts from the checkpoint")
                var partial = FleetProjection()
                try SplitFold.fold(log: log, &partial, through: s.head / 2, parts: parts, minimumEvents: 1)
                var firstHalf = FleetProjection()
                try LogReplay.fold(log, into: &firstHalf, through: s.head / 2, splitMinimum: .max)
                #expect(partial.sequence == s.head / 2)
                #expect(partial.snapshotBytes() == firstHalf.snapshotBytes(), "\(parts) parts through the middle")
            }
        }
    }

    @Test("the replay fold in split chunks and the service's fold to the head equal the fold on one thread")
    func chunkedSplitFolds() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            var whole = FleetProjection()
            try LogReplay.fold(log, into: &whole, through: s.head, splitMinimum: .max)
            #expect(whole.sequence == s.head)
            for chunk: UInt64 in [1, 7, 50, 1_000] {
                var chunked = FleetProjection()
                var positions: [UInt64] = []
                try LogReplay.fold(log, into: &chunked, through: s.head, chunk: chunk, splitMinimum: 1) {
                    positions.append($0)
                }
                #expect(chunked.snapshotBytes() == whole.snapshotBytes(), "chunks of \(chunk)")
                #expect(positions.last == s.head && positions == positions.sorted())
            }
            var toHead = FleetProjection()
            try FleetService.foldToHead(log: log, &toHead, minimumSplitEvents: 1)
            #expect(toHead.snapshotBytes() == whole.snapshotBytes())
        }
    }

    @Test("a split fold over a damaged record throws it and leaves an empty projection")
    func failedSplitFold() async throws {
        try await withScenario { s in
            try Self.damage(s.directory, flip: s.head - 2, delete: nil)
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            for parts in 1...3 {
                var projection = FleetProjection()
                #expect(throws: EventLogError.self) {
                    try SplitFold.fold(log: log, &projection, through: s.head, parts: parts, minimumEvents: 1)
                }
                #expect(projection.sequence == 0 && projection.metrics.count == 0 && projection.agents.isEmpty)
            }
        }
    }

    @Test("rebuild --verify reports the first differences from a wrong checkpoint")
    func rebuildFindsDifferences() async throws {
        try await withScenario { s in
            do {
                let log = try EventLog(directory: s.directory)
                var doctored = try LogReplay.projection(log, through: s.head, useCheckpoint: false)
                doctored.apply(
                    .agentRegistered(AgentRegistered(agentID: 77, name: "ghost", role: "qa team")), sequence: s.head)
                let writer = try EventWriter(log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() })
                try await writer.writeSnapshot(
                    name: FleetService.snapshotName,
                    EventLog.Snapshot(
                        sequence: s.head, version: FleetProjection.snapshotVersion, bytes: doctored.snapshotBytes()))
                writer.shutdown()
                log.close()
            }
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let checkpoint = LogReplay.checkpoint(log, head: UInt64.max)
            let rebuilt = try LogReplay.projection(log, through: s.head, useCheckpoint: false)
            let comparison = try LogReplay.compareWithCheckpoint(log, rebuilt: rebuilt, checkpoint: checkpoint)
            #expect(!comparison.matches)
            #expect(!comparison.stateBytesEqual)
            let agents = try #require(comparison.differences.first { $0.path == "/api/v1/agents" })
            #expect(agents.detail == "count: rebuild 3, checkpoint 4", "\(agents.detail)")
            #expect(comparison.differences.contains { $0.path.hasPrefix("/api/v1/agents/77") })
            #expect(
                comparison.differences.contains { $0.path.hasPrefix("/api/v1/metrics/aggregate/by-role/qa%20team") })
        }
    }

    // MARK: alert

    @Test("the audit trail of a budget alert: raise by a metric, acknowledgement, resolution by a budget change")
    func auditBudgetAlert() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let audit = try LogReplay.auditAlert(log, id: 1)
            #expect(audit.raised.rule == .budgetWarning)
            #expect(audit.agentName == "coder")
            #expect(audit.status == .resolved)
            #expect(audit.steps.map(\.status) == [.active, .acknowledged, .resolved])
            #expect(audit.steps.map(\.actor) == ["system (ingestion)", "alice", "system (budget change)"])
            #expect(audit.steps[1].note == "looking into it")
            #expect(audit.steps[1].recordedAt == ReplayScenario.t0 + 7 * ReplayScenario.day + ReplayScenario.hour)
            #expect(audit.steps[2].reason == "budget_changed")
            #expect(audit.steps.map(\.position) == audit.steps.map(\.position).sorted())
            let metric = try #require(audit.causeMetric)
            #expect(metric.id == Int64(audit.steps[0].position) - 1)
            #expect(metric.costNanos == 50_000_000)
            #expect(metric.timestamp == ReplayScenario.t0 + 3 * ReplayScenario.day + 3 * ReplayScenario.hour)
            #expect(audit.budget?.totalBudgetNanos == 1_000_000_000)
            #expect(audit.raised.rulesVersion == 0)
            #expect(audit.rulesDocument == nil)
            let text = audit.text
            #expect(text.contains("alice"))
            #expect(text.contains("caused by: metric \(metric.id)"))
            let json = audit.json
            #expect(json["transitions"]?[1]?["note"] == "looking into it")
            #expect(json["cause"]?["metric_id"] == .int(metric.id))
            #expect(json["rules"] == Rules.defaults.document)
        }
    }

    @Test("the audit names the rules version in force; what-if compares with the rules in force")
    func rulesVersions() async throws {
        let directory = NSTemporaryDirectory() + "replay-rules-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let document = #"{"evaluator":{"outlier_z_threshold":4.0}}"#
        do {
            let service = try FleetService(directory: directory, durability: .relaxed, clock: { ReplayScenario.t0 })
            defer { service.shutdown() }
            try await service.write { state, _ in
                let (events, _) = try Ingestion.registerAgent(id: nil, name: "coder", role: "developer", state: state)
                return (
                    events.map { ($0, nil) } + [(.rulesChanged(RulesChanged(version: 1, document: document)), nil)], ()
                )
            }
            let budget = BudgetSet(
                agentID: 1, totalBudgetNanos: 100, warningThresholdPercent: 80, criticalThresholdPercent: 100,
                period: .total)
            try await service.write { state, context in
                (try Ingestion.setBudget(budget, state: state, now: context.recordedAt).map { ($0, nil) }, ())
            }
            let metric = MetricRecorded(
                agentID: 1, operationType: "x", timestamp: ReplayScenario.t0, executionTimeMs: 1, tokensUsed: 1,
                success: true,
                qualityScore: nil, costNanos: 100)
            _ = try await service.write { state, context in
                let (events, outcomes) = try Ingestion.recordMetrics(
                    [.success(.init(eventID: nil, metric: metric))], state: state, nextSequence: context.nextSequence,
                    existingSequence: { _ in nil })
                return (events.map { ($0.event, $0.eventID) }, outcomes)
            }
        }
        let log = try LogReplay.openReadOnly(directory)
        defer { log.close() }
        let audit = try LogReplay.auditAlert(log, id: 1)
        #expect(audit.raised.rulesVersion == 1)
        #expect(audit.rulesDocument == document)
        #expect(audit.text.contains("rules version 1 in force: \(document)"))
        #expect(audit.budget?.period == .total)
        #expect(audit.raised.periodStart == nil)
        let report = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
        #expect(report.ruleChanges.map(\.field) == ["evaluator.outlier_z_threshold"])
        #expect(report.alertChanges.isEmpty)
        #expect(report.unchangedAlerts == 2)
    }

    @Test("the audit trail of evaluation alerts, and an unknown alert id")
    func auditEvaluationAlerts() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let degradation = try LogReplay.auditAlert(log, id: 3)
            #expect(degradation.raised.rule == .performanceDegradation)
            #expect(degradation.causeMetric == nil)
            #expect(degradation.steps.count == 1)
            #expect(degradation.steps[0].actor == "system (evaluation)")
            #expect(degradation.steps[0].cause.contains("2025-11-16T20:00:00Z"))
            #expect(degradation.json["cause"]?["kind"] == "evaluation")
            let outlier = try LogReplay.auditAlert(log, id: 4)
            #expect(outlier.raised.rule == .outlier)
            #expect(outlier.causeMetric?.executionTimeMs == 1000)
            #expect(outlier.steps.map(\.actor) == ["system (evaluation)", "bob"])
            #expect(outlier.steps[1].reason == "manual")
            #expect(throws: ReplayError("alert 99 does not exist: the log has alerts 1–4")) {
                _ = try LogReplay.auditAlert(log, id: 99)
            }
        }
    }

    // MARK: at

    @Test("at a past time equals the live answer then; after the last event, the live answer with the same as_of")
    func atMatchesLive() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            for (path, body) in s.day3Answers {
                let answer = try LogReplay.answer(log, at: .time(s.day3Clock), path: path)
                #expect(answer.now == s.day3Clock)
                #expect(
                    answer.body == body,
                    "\(path)\n\(String(decoding: answer.body, as: UTF8.self))\n\(String(decoding: body, as: UTF8.self))"
                )
                let scratch = try LogReplay.answer(log, at: .time(s.day3Clock), path: path, useCheckpoint: false)
                #expect(scratch.body == body)
            }
            for (path, status, body) in s.endAnswers {
                let answer = try LogReplay.answer(log, at: .time(s.endClock), path: path)
                #expect(answer.sequence == s.head)
                #expect(answer.error.map(\.statusCode) ?? 200 == status, "\(path)")
                #expect(
                    answer.body == body,
                    "\(path)\n\(String(decoding: answer.body, as: UTF8.self))\n\(String(decoding: body, as: UTF8.self))"
                )
            }
        }
    }

    @Test("at a sequence folds up to it with as_of at its recorded time; a time before the first event is refused")
    func atSequence() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let answer = try LogReplay.answer(log, at: .sequence(4), path: "/api/v1/agents/1/budget")
            #expect(answer.sequence == 4)
            #expect(answer.now == ReplayScenario.t0 + ReplayScenario.minute)
            let body = try JSONParser.parse(answer.body)
            #expect(body["data"]?["total_budget_usd"] == .double(1.0))
            let agents = try JSONParser.parse(try LogReplay.answer(log, at: .sequence(2), path: "/api/v1/agents").body)
            #expect(agents["data"]?.arrayValue?.count == 2)
            #expect(
                throws: ReplayError(
                    "2025-11-09T23:59:59Z is before the first event of the log (recorded at 2025-11-10T00:00:00Z)")
            ) {
                _ = try LogReplay.answer(
                    log, at: .time(ReplayScenario.t0 - ReplayScenario.second), path: "/api/v1/agents")
            }
            #expect(throws: ReplayError("event \(s.head + 1) is past the head of the log (\(s.head))")) {
                _ = try LogReplay.answer(log, at: .sequence(s.head + 1), path: "/api/v1/agents")
            }
            #expect(try LogReplay.Point(parsing: "42") == .sequence(42))
            #expect(try LogReplay.Point(parsing: "2025-11-10T00:00:00Z") == .time(ReplayScenario.t0))
            #expect(throws: ReplayError.self) { _ = try LogReplay.Point(parsing: "yesterday") }
            let missing = try LogReplay.answer(log, at: .sequence(3), path: "/api/v1/nothing")
            #expect(missing.error?.statusCode == 404)
        }
    }

    // MARK: export / import

    /// An imported log holds every record of its source (ids indexed alike), exports to the same
    /// bytes, answers every audit path byte for byte as the source does, and verifies clean.
    static func expectSameLog(_ copy: EventLog, as source: EventLog, exported: [UInt8], _ s: ReplayScenario) throws {
        for sequence in 1...s.head {
            #expect(try copy.record(at: sequence) == source.record(at: sequence))
        }
        #expect(try copy.sequence(forEventID: "review-3-2") == source.sequence(forEventID: "review-3-2"))
        var again: [UInt8] = []
        try LogReplay.export(copy) { again.append(contentsOf: $0) }
        #expect(again == exported)
        let a = try LogReplay.projection(source, through: s.head, useCheckpoint: false)
        let b = try LogReplay.projection(copy, through: s.head)
        for path in LogReplay.auditPaths([a], asOf: s.endClock) {
            #expect(
                LogReplay.answerBytes(path, projection: a, now: s.endClock)
                    == LogReplay.answerBytes(path, projection: b, now: s.endClock))
        }
        #expect(try LogReplay.verify(copy).isClean)
    }

    @Test(
        "moving a log from LMDB to PostgreSQL (export, import) keeps every record, checksum and answer",
        .enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipNotice)))
    func exportImportIntoPostgres() async throws {
        try await withScenario { s in
            let source = try LogReplay.openReadOnly(s.directory)
            defer { source.close() }
            var exported: [UInt8] = []
            try LogReplay.export(source) { exported.append(contentsOf: $0) }
            let lines = exported.split(separator: UInt8(ascii: "\n")).map { Array($0) }
            try await TestPostgres.withDatabase { url in
                let local = NSTemporaryDirectory() + "replay-pg-\(UUID().uuidString)"
                defer { try? FileManager.default.removeItem(atPath: local) }
                let store = try LogStore(dataDirectory: local, store: "\(url)")
                #expect(try LogReplay.importLog(into: store, lines: lines) == s.head)
                let copy = try LogReplay.openReadOnly(store)
                defer { copy.close() }
                try Self.expectSameLog(copy, as: source, exported: exported, s)
                #expect(
                    throws: ReplayError("the log in \(url) already holds \(s.head) events; import needs an empty one")
                ) {
                    _ = try LogReplay.importLog(into: store, lines: lines)
                }
                // A failing import into an empty database leaves it empty.
                try url.execute("TRUNCATE events, snapshots")
                var broken = lines
                broken[5] = Array("{not json".utf8)
                #expect(throws: (any Error).self) { _ = try LogReplay.importLog(into: store, lines: broken) }
                let after = try LogReplay.openReadOnly(store)
                defer { after.close() }
                #expect(try after.readHead() == 0)
            }
        }
    }

    @Test("export then import reproduces every record and every answer byte for byte")
    func exportImportRoundTrip() async throws {
        try await withScenario { s in
            let source = try LogReplay.openReadOnly(s.directory)
            defer { source.close() }
            var exported: [UInt8] = []
            let count = try LogReplay.export(source) { exported.append(contentsOf: $0) }
            #expect(count == s.head)
            let lines = exported.split(separator: UInt8(ascii: "\n")).map { Array($0) }
            #expect(lines.count == Int(s.head))
            let first = try JSONParser.parse(lines[0])
            #expect(first["type"] == "AgentRegistered")
            #expect(first["payload"]?["name"] == "coder")
            #expect(first["recorded_at"] == "2025-11-10T00:00:00Z")
            #expect(!String(decoding: exported, as: UTF8.self).contains("payload_base64"))

            let target = NSTemporaryDirectory() + "replay-import-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: target) }
            let imported = try LogReplay.importLog(into: target, lines: lines)
            #expect(imported == s.head)
            let copy = try LogReplay.openReadOnly(target)
            defer { copy.close() }
            try Self.expectSameLog(copy, as: source, exported: exported, s)
            // A second import into the same directory is refused.
            #expect(
                throws: ReplayError("the log in \(target) already holds \(s.head) events; import needs an empty one")
            ) {
                _ = try LogReplay.importLog(into: target, lines: lines)
            }
            // Export from a later sequence.
            var tail: [UInt8] = []
            #expect(try LogReplay.export(source, from: s.head - 1) { tail.append(contentsOf: $0) } == 2)
        }
    }

    @Test("records without a JSON form travel as base64; malformed lines name the line and field")
    func importEdgeCases() throws {
        let odd = EventRecord(
            sequence: 1, clientEventID: "x", type: 99, schemaVersion: 3, recordedAt: 5, occurredAt: -7,
            payload: [0, 255, 7])
        let line = LogReplay.exportLine(odd)
        #expect(String(decoding: line, as: UTF8.self).contains("payload_base64"))
        #expect(try LogReplay.parseExportLine(line, lineNumber: 1) == odd)
        let nan = EventRecord(
            sequence: 2, clientEventID: nil, type: MetricRecorded.type, schemaVersion: 1, recordedAt: 0, occurredAt: 0,
            payload: DomainEvent.metricRecorded(
                MetricRecorded(
                    agentID: 1, operationType: "x", timestamp: 0, executionTimeMs: .nan, tokensUsed: 1, success: true,
                    qualityScore: nil, costNanos: 1)
            ).encodedPayload())
        #expect(try LogReplay.parseExportLine(LogReplay.exportLine(nan), lineNumber: 1) == nan)

        let target = NSTemporaryDirectory() + "replay-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: target) }
        let good = String(decoding: LogReplay.exportLine(odd), as: UTF8.self)
        let bad =
            #"{"sequence":2,"event_id":null,"type":"AgentRegistered","schema_version":1,"recorded_at":"2025-11-10T00:00:00Z","occurred_at":"2025-11-10T00:00:00Z","payload":{"agent_id":"one","name":"a","role":"b"}}"#
        #expect(throws: ReplayError("line 2: field payload.agent_id: must be an integer")) {
            _ = try LogReplay.importLog(into: target, lines: [good, bad].map { Array($0.utf8) })
        }
        let gap = good.replacingOccurrences(of: #""sequence":1"#, with: #""sequence":5"#)
        let other = NSTemporaryDirectory() + "replay-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: other) }
        #expect(throws: ReplayError("line 1: field sequence: 5 does not continue the log (expected 1)")) {
            _ = try LogReplay.importLog(into: other, lines: [Array(gap.utf8)])
        }
    }

    @Test(
        "import validates every payload as ingestion does; a log holding such events starts and is reported by verify")
    func importValidates() async throws {
        try await withScenario { s in
            let source = try LogReplay.openReadOnly(s.directory)
            defer { source.close() }
            var exported: [UInt8] = []
            try LogReplay.export(source) { exported.append(contentsOf: $0) }
            let lines = exported.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
            let metricLine = try #require(lines.firstIndex { $0.contains(#""type":"MetricRecorded""#) })
            func tampered(_ edit: (String) -> String) -> [[UInt8]] {
                var copy = lines
                copy[metricLine] = edit(copy[metricLine])
                return copy.map { Array($0.utf8) }
            }
            func refusal(_ lines: [[UInt8]]) -> String {
                let target = NSTemporaryDirectory() + "replay-refused-\(UUID().uuidString)"
                defer { try? FileManager.default.removeItem(atPath: target) }
                do {
                    _ = try LogReplay.importLog(into: target, lines: lines)
                    return "imported"
                } catch {
                    // Nothing half-imported stays behind.
                    #expect(!FileManager.default.fileExists(atPath: target))
                    return "\(error)"
                }
            }
            let cost = refusal(
                tampered { $0.replacing(/"cost_nanos":\d+/, with: #""cost_nanos":9223372036854775807"#) })
            #expect(
                cost.contains("line \(metricLine + 1)") && cost.contains("cost_nanos 9223372036854775807"), "\(cost)")
            let agent = refusal(tampered { $0.replacing(/"agent_id":\d+/, with: #""agent_id":424242"#) })
            #expect(agent.contains("agent 424242, which is not registered"), "\(agent)")
            let negative = refusal(tampered { $0.replacing(/"cost_nanos":\d+/, with: #""cost_nanos":-5"#) })
            #expect(negative.contains("cost_nanos -5"), "\(negative)")
            let operation = refusal(
                tampered { $0.replacing(/"operation_type":"[^"]*"/, with: #""operation_type":"Not Valid!""#) })
            #expect(operation.contains("operation type"), "\(operation)")

            // A log written around the checks (as an older build could): the folds skip and count the
            // event, the service starts, and verify names it.
            let directory = NSTemporaryDirectory() + "replay-invalid-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var records: [EventRecord] = []
            for sequence in 1...s.head { records.append(try #require(try source.record(at: sequence))) }
            let huge = DomainEvent.metricRecorded(
                MetricRecorded(
                    agentID: 1, operationType: "x", timestamp: s.endClock - 60_000_000, executionTimeMs: 1,
                    tokensUsed: 1, success: true, qualityScore: nil, costNanos: Int64.max))
            for _ in 0..<2 {
                records.append(
                    EventRecord(
                        sequence: UInt64(records.count + 1), clientEventID: nil, type: MetricRecorded.type,
                        schemaVersion: huge.schemaVersion, recordedAt: s.endClock, occurredAt: s.endClock,
                        payload: huge.encodedPayload()))
            }
            let log = try EventLog(directory: directory)
            try log.importRecords(records)
            log.close()
            let service = try FleetService(directory: directory, durability: .relaxed, logger: Logger(label: "t"))
            #expect(service.read { $0.skippedEvents } == 2)
            service.shutdown()
            let reopened = try LogReplay.openReadOnly(directory)
            defer { reopened.close() }
            let report = try LogReplay.verify(reopened)
            #expect(report.problems.map(\.kind) == [.undecodable, .undecodable])
            #expect(report.problems.first?.message.contains("cost_nanos 9223372036854775807") == true)
        }
    }

    @Test("import into a data directory that a service holds is refused")
    func importLocked() async throws {
        let directory = NSTemporaryDirectory() + "replay-locked-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try EventLog(directory: directory)
        defer { log.close() }
        #expect(throws: EventLogError.directoryLocked(path: directory)) {
            _ = try LogReplay.importLog(into: directory, lines: [[UInt8]]())
        }
    }

    // MARK: what-if

    @Test("what-if under the rules in force reproduces the recorded alerts and recommendations")
    func whatIfSameRules() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let report = try LogReplay.whatIf(log, options: .init(rules: .defaults, hourly: false))
            #expect(report.ruleChanges.isEmpty)
            #expect(report.recordedAlerts == 4)
            #expect(report.whatIfAlerts == 4)
            #expect(report.unchangedAlerts == 4)
            #expect(report.alertChanges.isEmpty, "\(report.table)")
            #expect(report.recordedEvaluations == 1)
            #expect(report.inferredEvaluationInstants == 0)
            #expect(report.recommendationChanges.isEmpty, "\(report.table)")
            #expect(report.recordedRecommendations == 1)
        }
    }

    @Test("what-if under other rules shows the alerts and recommendations that change")
    func whatIfOtherRules() async throws {
        try await withScenario { s in
            let log = try LogReplay.openReadOnly(s.directory)
            defer { log.close() }
            let rules = try Rules(
                document: #"{"evaluator": {"outlier_z_threshold": 3.5}, "recommendations": {"reduce_max_tasks": 50}}"#)
            let report = try LogReplay.whatIf(log, options: .init(rules: rules, hourly: false))
            #expect(
                report.ruleChanges.map(\.field).sorted() == [
                    "evaluator.outlier_z_threshold", "recommendations.reduce_max_tasks",
                ])
            #expect(report.alertChanges.count == 1)
            let change = try #require(report.alertChanges.first)
            #expect(change.change == .notRaised)
            #expect(change.recorded?.key.rule == .outlier)
            #expect(change.recorded?.id == 4)
            #expect(report.recommendationChanges.map(\.agentID) == [1])
            #expect(report.recommendationChanges.first?.whatIf?["type"] == "reduce_budget")
            #expect(report.table.contains("not raised"))
            #expect(report.json["alerts"]?["changes"]?[0]?["rule"] == "outlier")

            let lower = try Rules(document: #"{"evaluator": {"outlier_z_threshold": 1.5}}"#)
            let more = try LogReplay.whatIf(log, options: .init(rules: lower, hourly: false))
            #expect(more.alertChanges.contains { $0.change == .raised && $0.whatIf?.key.rule == .outlier })
            #expect(!more.alertChanges.contains { $0.change == .notRaised })

            // A window that excludes every alert, and hourly evaluations inside it.
            let window = try LogReplay.whatIf(
                log,
                options: .init(
                    rules: .defaults, from: ReplayScenario.t0 + 8 * ReplayScenario.day,
                    to: ReplayScenario.t0 + 9 * ReplayScenario.day))
            #expect(window.recordedAlerts == 0)
            #expect(window.hourlyEvaluations == 25)
        }
    }

    @Test("the instant of a recorded evaluation is read from its events or inferred")
    func evaluationInstants() {
        let h = ReplayScenario.hour
        let base = ReplayScenario.t0
        func outlier(_ ts: Int64) -> DomainEvent {
            .alertRaised(
                AlertRaised(
                    alertID: 1, agentID: 1, rule: .outlier, currentValue: 1, expectedValue: 1, thresholdValue: nil,
                    deviationPercent: nil, message: "", detectedAt: ts, causeMetricID: 1))
        }
        let degradation = DomainEvent.alertRaised(
            AlertRaised(
                alertID: 2, agentID: 1, rule: .performanceDegradation, currentValue: 1, expectedValue: 1,
                thresholdValue: nil, deviationPercent: nil, message: "", detectedAt: base + 7 * h))
        let recovered = DomainEvent.alertResolved(
            AlertResolved(alertID: 2, at: base + 9 * h, by: nil, note: nil, reason: .recovered))
        // Carried by the events.
        #expect(
            LogReplay.evaluationInstant([outlier(base), degradation], recordedAt: base + 20 * h, at: 5).asOf == base + 7
                * h)
        #expect(LogReplay.evaluationInstant([recovered], recordedAt: base + 20 * h, at: 5).inferred == false)
        // The scheduler's hour boundary, the recorded time, or the nearest boundary that fits.
        let scheduled = LogReplay.evaluationInstant(
            [outlier(base + 10 * h + 30 * ReplayScenario.minute)], recordedAt: base + 11 * h + 5, at: 5)
        #expect(scheduled.asOf == base + 11 * h)
        #expect(scheduled.inferred)
        #expect(
            LogReplay.evaluationInstant(
                [outlier(base + 10 * h + 30 * ReplayScenario.minute)],
                recordedAt: base + 10 * h + 50 * ReplayScenario.minute, at: 5
            )
            .asOf == base + 10 * h + 50 * ReplayScenario.minute)
        #expect(
            LogReplay.evaluationInstant(
                [outlier(base + 10 * h + 30 * ReplayScenario.minute)], recordedAt: base + 30 * h, at: 5
            ).asOf
                == base + 11 * h)
    }

    @Test("a malformed rules document is refused naming the field")
    func malformedRules() {
        for (document, field) in [
            (#"{"evaluator": {"outlier_z_threshold": 0}}"#, "evaluator.outlier_z_threshold"),
            (#"{"recommendations": {"window_days": 0}}"#, "recommendations.window_days"),
            (#"{"evaluator": {"z": 1}}"#, "evaluator.z"),
        ] {
            do {
                _ = try Rules(document: document)
                Issue.record("\(document) was accepted")
            } catch {
                #expect(error.field == field)
            }
        }
    }

    // MARK: the executable

    /// The built `metrics-service` executable next to the test bundle.
    static func serviceBinary() -> URL? {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("metrics-service")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Runs `metrics-service replay …`; returns the exit status, standard output and error.
    static func replay(_ arguments: [String], input: URL? = nil) async throws -> (
        status: Int32, out: String, err: String
    ) {
        let executable = try #require(serviceBinary(), "build the metrics-service executable first (swift build)")
        let result = try await runProcess(executable, ["replay"] + arguments, input: input)
        return (result.status, result.out, result.err)
    }

    @Test("the replay subcommands of the executable, beside a running service")
    func commandLine() async throws {
        guard Self.serviceBinary() != nil else {
            Issue.record("build the metrics-service executable first (swift build)")
            return
        }
        try await withScenario { s in
            let dir = s.directory
            // The service is running (it holds the writer lock) while the tools read.
            let service = try FleetService(directory: dir, durability: .relaxed, clock: { s.endClock })
            defer { service.shutdown() }

            let verify = try await Self.replay(["verify", "--data-dir", dir])
            #expect(verify.status == 0, "\(verify)")
            #expect(verify.out.contains("ok: every checksum holds"))

            let rebuild = try await Self.replay(["rebuild", "--verify", "--data-dir", dir])
            #expect(rebuild.status == 0, "\(rebuild)")
            #expect(rebuild.out.contains("every answer is identical"))
            #expect(rebuild.err.contains("rebuild \(s.head)/\(s.head) events (100.0%)"))

            let at = try await Self.replay([
                "at", UTCTime.formatISO8601(s.endClock), "/api/v1/metrics/summary", "--data-dir", dir,
            ])
            #expect(at.status == 0, "\(at)")
            let live = try #require(s.endAnswers.first { $0.path == "/api/v1/metrics/summary" })
            #expect(Array(at.out.utf8) == live.body + [UInt8(ascii: "\n")])

            let missingAgent = try await Self.replay(["at", "\(s.head)", "/api/v1/agents/99", "--data-dir", dir])
            #expect(missingAgent.status == 1)
            #expect(missingAgent.err.contains("404 not_found"))

            let early = try await Self.replay([
                "at", "2020-01-01T00:00:00Z", "/api/v1/metrics/summary", "--data-dir", dir,
            ])
            #expect(early.status == 1)
            #expect(early.err.contains("is before the first event of the log"))

            let alert = try await Self.replay(["alert", "1", "--data-dir", dir])
            #expect(alert.status == 0, "\(alert)")
            #expect(alert.out.contains("alice"))
            let unknown = try await Self.replay(["alert", "99", "--data-dir", dir])
            #expect(unknown.status == 1)
            #expect(unknown.err.contains("error: alert 99 does not exist"))

            let rulesFile = URL(fileURLWithPath: dir + "-rules.json")
            defer { try? FileManager.default.removeItem(at: rulesFile) }
            try Data(#"{"evaluator": {"outlier_minimum_sample": 2}}"#.utf8).write(to: rulesFile)
            let badRules = try await Self.replay(["what-if", "--rules", rulesFile.path, "--data-dir", dir])
            #expect(badRules.status == 1)
            #expect(
                badRules.err.contains("field evaluator.outlier_minimum_sample: must be at least 3"), "\(badRules.err)")
            try Data(#"{"evaluator": {"outlier_z_threshold": 3.5}}"#.utf8).write(to: rulesFile)
            let whatIf = try await Self.replay(["what-if", "--rules", rulesFile.path, "--no-hourly", "--data-dir", dir])
            #expect(whatIf.status == 0, "\(whatIf)")
            #expect(whatIf.out.contains("not raised"))
            let whatIfJSON = try await Self.replay([
                "what-if", "--rules", rulesFile.path, "--no-hourly", "--format", "json", "--data-dir", dir,
            ])
            #expect(
                try JSONParser.parse(whatIfJSON.out.trimmingCharacters(in: .whitespacesAndNewlines))["alerts"]?[
                    "recorded"] == 4)

            let exportFile = URL(fileURLWithPath: dir + "-export.jsonl")
            defer { try? FileManager.default.removeItem(at: exportFile) }
            let export = try await Self.replay(["export", "--data-dir", dir, "--output", exportFile.path])
            #expect(export.status == 0, "\(export)")
            #expect(export.err.contains("exported \(s.head) events"))
            // Importing into the directory the service holds is refused; into a new one it works.
            let locked = try await Self.replay(["import", exportFile.path, "--data-dir", dir])
            #expect(locked.status == 1)
            #expect(locked.err.contains("is already opened for writing by another process"), "\(locked.err)")
            let copy = dir + "-copy"
            defer { try? FileManager.default.removeItem(atPath: copy) }
            let imported = try await Self.replay(["import", "-", "--data-dir", copy], input: exportFile)
            #expect(imported.status == 0, "\(imported)")
            let again = try await Self.replay(["export", "--data-dir", copy])
            #expect(again.out == (try String(contentsOf: exportFile, encoding: .utf8)))

            let missing = try await Self.replay(["verify", "--data-dir", dir + "-nowhere"])
            #expect(missing.status == 1)
            #expect(missing.err.contains("cannot be used: it does not exist"))
        }
    }
}
