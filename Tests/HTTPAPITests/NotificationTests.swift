import EventLog
import Foundation
import Hummingbird
import Logging
import Projections
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("Webhook notifications")
struct NotificationTests {
    typealias H = ServerHarness

    static let fast = NotificationOutbox.Settings(
        initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(200), jitter: 0, requestTimeout: .seconds(5),
        shutdownGrace: .milliseconds(100))

    // MARK: Targets

    @Test("targets parse from URL or URL,min=SEVERITY with clear errors")
    func parsing() throws {
        let plain = try WebhookTarget(parsing: "http://127.0.0.1:9000/hook")
        #expect(plain.url.absoluteString == "http://127.0.0.1:9000/hook")
        #expect(plain.minimumSeverity == .info)
        #expect(plain.displayHost == "127.0.0.1:9000")
        let slack = try WebhookTarget(parsing: "https://hooks.slack.com/services/T0/B0/XYZ,min=warning")
        #expect(slack.url.absoluteString == "https://hooks.slack.com/services/T0/B0/XYZ")
        #expect(slack.minimumSeverity == .warning)
        #expect(slack.displayHost == "hooks.slack.com")
        let encoded = try WebhookTarget(parsing: "http://h.example/x?a=1%2C2&token=s , min = CRITICAL")
        #expect(encoded.url.query == "a=1%2C2&token=s")
        #expect(encoded.minimumSeverity == .critical)
        #expect(encoded.displayHost == "h.example")
        #expect(WebhookTarget.Severity.info < .warning && WebhookTarget.Severity.warning < .critical)
        #expect(
            plain.accepts(severity: "info") && !slack.accepts(severity: "info") && slack.accepts(severity: "critical"))

        func failure(_ text: String) -> String {
            do {
                _ = try WebhookTarget(parsing: text)
                return "parsed"
            } catch {
                return error.description
            }
        }
        #expect(failure("").contains("empty"))
        #expect(failure("ftp://h.example/x?token=SECRET").contains("unsupported webhook URL scheme 'ftp'"))
        #expect(!failure("ftp://h.example/x?token=SECRET").contains("SECRET"))
        #expect(failure("hooks.example/x").contains("no scheme"))
        #expect(failure("http:///x").contains("no host"))
        #expect(failure("http://h.example/x,min=urgent").contains("unknown webhook severity 'urgent'"))
        #expect(failure("http://h.example/x,retries=3").contains("unknown webhook option 'retries'"))
        #expect(failure("http://h.example/x,min=info,min=warning").contains("twice"))
        #expect(failure("http://h.example/a b").contains("whitespace"))
    }

    @Test("checkpoint keys name the target's index and a hash of its URL")
    func checkpointKeys() throws {
        let a = try WebhookTarget(parsing: "http://127.0.0.1:9000/a")
        let b = try WebhookTarget(parsing: "http://127.0.0.1:9000/b,min=critical")
        let key = NotificationOutbox.checkpointKey(index: 0, target: a)
        #expect(key.hasPrefix("notifications.0."))
        #expect(key.count == "notifications.0.".count + 16)
        #expect(key == NotificationOutbox.checkpointKey(index: 0, target: a))
        #expect(key != NotificationOutbox.checkpointKey(index: 0, target: b))
        #expect(NotificationOutbox.checkpointKey(index: 1, target: a).hasPrefix("notifications.1."))
    }

    @Test("the text is a Slack-style one-line summary")
    func messageText() {
        let raised = AlertRaised(
            alertID: 3, agentID: 1, rule: .budgetCritical, currentValue: 30.12, expectedValue: 30,
            thresholdValue: 30, deviationPercent: 0.4,
            message: "Budget alert: coder at 100.4% utilization ($30.12/$30.00)", detectedAt: H.noon)
        func text(_ status: AlertStatus, by: String? = nil, reason: String? = nil) -> String {
            WebhookMessage.text(
                transition: .init(status: status, at: H.noon, by: by, note: nil, reason: reason, position: 9),
                raised: raised)
        }
        #expect(
            text(.active)
                == ":rotating_light: [critical] Budget alert: coder at 100.4% utilization ($30.12/$30.00) — raised")
        #expect(text(.acknowledged, by: "alice", reason: "manual").hasSuffix("— acknowledged by alice"))
        #expect(text(.resolved, reason: "period_ended").hasSuffix("— resolved (period_ended)"))
        #expect(text(.resolved, by: "bob", reason: "manual").hasSuffix("— resolved by bob"))
        #expect(WebhookMessage.slackEscaped("a <b> & c") == "a &lt;b&gt; &amp; c")
    }

    @Test("the outbox runs only when webhooks are configured")
    func wiring() throws {
        try withService { service in
            var configuration = ServiceConfiguration()
            configuration.scheduler = false
            let without = buildApplication(service: service, configuration: configuration, logger: Self.quiet)
            #expect(!without.services.contains { $0 is NotificationOutbox })
            configuration.webhooks = [try WebhookTarget(parsing: "http://127.0.0.1:9/hook")]
            let with = buildApplication(service: service, configuration: configuration, logger: Self.quiet)
            #expect(with.services.contains { $0 is NotificationOutbox })
        }
    }

    // MARK: Delivery

    @Test("a raised alert and its transitions are delivered in order")
    func deliversInOrder() async throws {
        try await withReceiver { receiver in
            try await withService { service in
                try await Self.setUpAgent(service)
                let target = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/hook")
                try await withOutbox(service, [target]) { progress in
                    try await service.appendMetrics([Self.metric(costNanos: 900_000_000)])
                    try await receiver.waitForDelivered("hook", count: 1)
                    try await service.appendAcknowledgement(alertID: 1, by: "alice", note: "looking")
                    try await receiver.waitForDelivered("hook", count: 2)
                    try await service.write { state, context in
                        let events = try Ingestion.resolve(
                            alertID: 1, by: "bob", note: nil, now: context.recordedAt, state: state)
                        return (events.map { ($0, nil) }, ())
                    }
                    try await receiver.waitForDelivered("hook", count: 3)
                    let last = try #require(service.read { $0.alertBook.alert(1)?.history.last?.position })
                    try await progress.wait(for: .checkpointed(target: 0, sequence: last))
                }
                let hits = receiver.delivered("hook")
                let texts = hits.map { $0.body?["text"]?.stringValue ?? "" }
                #expect(
                    texts == [
                        ":warning: [warning] Budget alert: coder at 90.0% utilization ($0.90/$1.00) — raised",
                        ":eyes: [warning] Budget alert: coder at 90.0% utilization ($0.90/$1.00) — acknowledged by alice",
                        ":white_check_mark: [warning] Budget alert: coder at 90.0% utilization ($0.90/$1.00) — resolved by bob",
                    ])
                #expect(
                    hits.map { $0.body?["alert"]?["status"]?.stringValue } == ["active", "acknowledged", "resolved"])
                #expect(
                    hits.map { $0.body?["transition"]?["status"]?.stringValue } == [
                        "active", "acknowledged", "resolved",
                    ])
                let ack = try #require(hits[1].body?["transition"])
                #expect(ack["by"]?.stringValue == "alice")
                #expect(ack["note"]?.stringValue == "looking")
                #expect(ack["at"]?.stringValue == H.iso(H.noon))
                let alert = try #require(hits[0].body?["alert"])
                #expect(alert["id"]?.int64Value == 1)
                #expect(alert["agent_name"]?.stringValue == "coder")
                #expect(alert["severity"]?.stringValue == "warning")
                // The transition's position is the event's log sequence, as the history endpoint says.
                let history = service.read { $0.alertBook.alert(1)!.history.map(\.position) }
                #expect(hits.map { $0.body?["transition"]?["position"]?.int64Value } == history.map { Int64($0) })
                #expect(hits.allSatisfy { $0.contentType == "application/json" })
                #expect(hits.map(\.idempotencyKey) == history.map { "alert-1-\($0)" })
                #expect(try Self.checkpoint(service, target) == "\(history[2])")
            }
        }
    }

    @Test("failed deliveries are retried until the target answers 2xx, then not again")
    func retries() async throws {
        try await withReceiver(failFirst: 2) { receiver in
            try await withService { service in
                try await Self.setUpAgent(service)
                let target = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/hook?token=SECRET")
                let capture = LogCapture()
                try await withOutbox(service, [target], logger: capture.logger) { progress in
                    try await service.appendMetrics([Self.metric(costNanos: 900_000_000)])
                    let raised = service.log.head
                    // Once the checkpoint is past the transition, the outbox never sends it again.
                    try await progress.wait(for: .checkpointed(target: 0, sequence: raised))
                }
                let hits = receiver.hits("hook")
                #expect(hits.map(\.status) == [500, 500, 200])
                #expect(
                    Set(hits.map { $0.body?.serialized() ?? [] }).count == 1, "every attempt carries the same event")
                #expect(receiver.delivered("hook").count == 1)
                let warnings = capture.lines.filter { $0.hasPrefix("warning") }
                #expect(warnings.count == 2)
                #expect(warnings.allSatisfy { $0.contains("HTTP 500") && $0.contains("127.0.0.1:\(receiver.port)") })
                #expect(!capture.lines.contains { $0.contains("SECRET") })
            }
        }
    }

    @Test("a target with min=critical receives only critical alerts")
    func minimumSeverity() async throws {
        try await withReceiver { receiver in
            try await withService { service in
                try await Self.setUpAgent(service)
                let all = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/all")
                let critical = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/critical,min=critical")
                try await withOutbox(service, [all, critical]) { progress in
                    try await service.appendMetrics([Self.metric(costNanos: 900_000_000)])  // warning
                    try await service.appendMetrics([Self.metric(costNanos: 200_000_000)])  // critical
                    try await service.appendAcknowledgement(alertID: 1, by: nil, note: nil)  // the warning's
                    try await service.appendAcknowledgement(alertID: 2, by: nil, note: nil)  // the critical's
                    // The last event goes to both targets: once both checkpoints hold it, both
                    // targets have handled everything before it.
                    let head = service.log.head
                    try await progress.wait(for: .checkpointed(target: 0, sequence: head))
                    try await progress.wait(for: .checkpointed(target: 1, sequence: head))
                }
                #expect(receiver.delivered("all").map { $0.body?["alert"]?["id"]?.int64Value } == [1, 2, 1, 2])
                let onlyCritical = receiver.delivered("critical")
                #expect(onlyCritical.map { $0.body?["alert"]?["id"]?.int64Value } == [2, 2])
                #expect(onlyCritical.allSatisfy { $0.body?["alert"]?["severity"]?.stringValue == "critical" })
                #expect(
                    onlyCritical.first?.body?["text"]?.stringValue?.hasPrefix(":rotating_light: [critical] ") == true)
            }
        }
    }

    @Test("a restart resumes from the checkpoint without resending")
    func restart() async throws {
        try await withReceiver { receiver in
            let directory = NSTemporaryDirectory() + "notify-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let target = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/hook")
            let first = try FleetService(
                directory: directory, durability: .relaxed, logger: Self.quiet, clock: { H.noon })
            defer { first.shutdown() }
            try await Self.setUpAgent(first)
            try await withOutbox(first, [target]) { progress in
                try await first.appendMetrics([Self.metric(costNanos: 900_000_000)])
                let raised = first.log.head
                try await progress.wait(for: .checkpointed(target: 0, sequence: raised))
                #expect(receiver.delivered("hook").count == 1)
                #expect(try Self.checkpoint(first, target) == "\(raised)")
            }
            // While no outbox runs, the alert is acknowledged.
            try await first.appendAcknowledgement(alertID: 1, by: "alice", note: nil)
            first.shutdown()

            let second = try FleetService(
                directory: directory, durability: .relaxed, logger: Self.quiet, clock: { H.noon })
            defer { second.shutdown() }
            let head = second.log.head
            try await withOutbox(second, [target]) { progress in
                try await progress.wait(for: .checkpointed(target: 0, sequence: head))
            }
            let hits = receiver.hits("hook")
            #expect(hits.map { $0.body?["transition"]?["status"]?.stringValue } == ["active", "acknowledged"])
            #expect(hits.map(\.status) == [200, 200])
        }
    }

    @Test("events that existed before the first start are never sent")
    func historyIsNotSent() async throws {
        try await withReceiver { receiver in
            try await withService { service in
                try await Self.setUpAgent(service)
                try await service.appendMetrics([Self.metric(costNanos: 900_000_000)])
                try await service.appendAcknowledgement(alertID: 1, by: nil, note: nil)
                let head = service.log.head
                let target = try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/hook")
                try await withOutbox(service, [target]) { progress in
                    let key = NotificationOutbox.checkpointKey(index: 0, target: target)
                    #expect(try service.log.meta(key).map { String(decoding: $0, as: UTF8.self) } == "\(head)")
                    #expect(progress.all.contains(.started(target: 0, after: head)))
                    try await service.appendMetrics([Self.metric(costNanos: 200_000_000)])
                    // Transitions are sent in log order: had history been sent, it would come first.
                    try await progress.wait(for: .checkpointed(target: 0, sequence: service.log.head))
                }
                let hits = receiver.hits("hook")
                #expect(hits.count == 1)
                #expect(hits.first?.body?["alert"]?["id"]?.int64Value == 2)
                #expect(hits.first?.body?["transition"]?["status"]?.stringValue == "active")
            }
        }
    }

    @Test("a dead target delays neither ingestion nor another target, and shutdown interrupts it")
    func deadTarget() async throws {
        let refused = try RawSocket(listening: false)  // nothing listens: connection refused
        defer { refused.close() }
        let blackHole = try RawSocket(listening: true)  // accepts, never answers
        defer { blackHole.close() }
        try await withReceiver { receiver in
            try await withService { service in
                try await Self.setUpAgent(service)
                let targets = [
                    try WebhookTarget(parsing: "http://127.0.0.1:\(refused.port)/hook?token=SECRET"),
                    try WebhookTarget(parsing: "http://127.0.0.1:\(blackHole.port)/hook"),
                    try WebhookTarget(parsing: "http://127.0.0.1:\(receiver.port)/live"),
                ]
                let capture = LogCapture()
                // The black hole's request would wait an hour: anything that waited for it
                // would never finish, so finishing proves it did not wait.
                let settings = NotificationOutbox.Settings(
                    initialBackoff: .milliseconds(20), maximumBackoff: .milliseconds(100), jitter: 0.2,
                    requestTimeout: .seconds(3600), shutdownGrace: .milliseconds(200))
                let progress = Observed<NotificationOutbox.Progress>()
                let outbox = NotificationOutbox(
                    service: service, targets: targets, logger: capture.logger, settings: settings,
                    observer: { progress.append($0) })
                let group = ServiceGroup(
                    configuration: .init(services: [outbox], gracefulShutdownSignals: [], logger: Self.quiet))
                let running = Task { try await group.run() }
                let start = service.log.head
                for index in targets.indices {
                    try await progress.wait(for: .started(target: index, after: start))
                }

                try await service.appendMetrics([Self.metric(costNanos: 900_000_000)])
                let raised = service.log.head
                // Both dead targets are busy with the first transition: one retrying, one waiting
                // on its open request.
                try await progress.wait(for: .attempting(target: 1, position: raised, attempt: 1))
                try await progress.wait(for: .failed(target: 0, position: raised, attempt: 3))
                try await receiver.waitForDelivered("live", count: 1)
                for i in 0..<50 {
                    try await service.appendMetrics([Self.metric(costNanos: 1_000, at: H.noon - H.hour + Int64(i))])
                }
                try await service.appendMetrics([Self.metric(costNanos: 200_000_000)])
                let last = service.log.head
                try await receiver.waitForDelivered("live", count: 2)
                try await progress.wait(for: .checkpointed(target: 2, sequence: last))
                #expect(receiver.delivered("live").last?.body?["transition"]?["position"]?.int64Value == Int64(last))

                // Ingestion and the live target got here while the dead targets are still on the
                // first transition: the black hole's only request is still open, and neither
                // checkpoint moved.
                let seen = progress.all
                #expect(!seen.contains { if case .failed(1, _, _) = $0 { true } else { false } })
                #expect(!seen.contains { if case .attempting(1, _, 2) = $0 { true } else { false } })
                #expect(!seen.contains { if case .delivered(let t, _) = $0 { t < 2 } else { false } })
                for (index, target) in targets.prefix(2).enumerated() {
                    #expect(try Self.checkpoint(service, target, index: index) == "\(start)")
                }

                // Graceful shutdown interrupts the hour-long request and the retry backoff.
                await group.triggerGracefulShutdown()
                try await running.value
                #expect(!capture.lines.contains { $0.contains("SECRET") })
                #expect(
                    capture.lines.filter {
                        $0.contains("delivery failed") && $0.contains("127.0.0.1:\(refused.port)")
                    }.count >= 3)
            }
        }
    }

    // MARK: Fixtures

    static let quiet: Logger = {
        var logger = Logger(label: "notification-tests")
        logger.logLevel = .critical
        return logger
    }()

    /// Agent 1 "coder" with a daily budget of $1.00 (warning at 80 %, critical at 100 %).
    static func setUpAgent(_ service: FleetService) async throws {
        try await service.appendAgent(id: nil, name: "coder", role: "developer")
        try await service.appendBudget(
            BudgetSet(
                agentID: 1, totalBudgetNanos: 1_000_000_000, warningThresholdPercent: 80, criticalThresholdPercent: 100,
                period: .daily))
    }

    /// The stored checkpoint of target `index`.
    static func checkpoint(_ service: FleetService, _ target: WebhookTarget, index: Int = 0) throws -> String? {
        try service.log.meta(NotificationOutbox.checkpointKey(index: index, target: target)).map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    static func metric(costNanos: Int64, at time: Int64 = H.noon - H.hour) -> MetricRecorded {
        MetricRecorded(
            agentID: 1, operationType: "work", timestamp: time, executionTimeMs: 100, tokensUsed: 10, success: true,
            qualityScore: 90, costNanos: costNanos)
    }

    func withService<T>(_ body: (FleetService) async throws -> T) async throws -> T {
        let directory = NSTemporaryDirectory() + "notify-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try FleetService(
            directory: directory, durability: .relaxed, logger: Self.quiet, clock: { H.noon })
        defer { service.shutdown() }
        return try await body(service)
    }

    func withService<T>(_ body: (FleetService) throws -> T) throws -> T {
        let directory = NSTemporaryDirectory() + "notify-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try FleetService(
            directory: directory, durability: .relaxed, logger: Self.quiet, clock: { H.noon })
        defer { service.shutdown() }
        return try body(service)
    }

    /// Runs an outbox in a service group around `body`: starts it, waits until every target has
    /// loaded or written its checkpoint, and shuts it down gracefully afterwards. `body` gets the
    /// outbox's progress to wait on.
    func withOutbox(
        _ service: FleetService, _ targets: [WebhookTarget], logger: Logger = NotificationTests.quiet,
        settings: NotificationOutbox.Settings = NotificationTests.fast,
        _ body: (Observed<NotificationOutbox.Progress>) async throws -> Void
    ) async throws {
        let progress = Observed<NotificationOutbox.Progress>()
        let outbox = NotificationOutbox(
            service: service, targets: targets, logger: logger, settings: settings, observer: { progress.append($0) })
        let group = ServiceGroup(
            configuration: .init(services: [outbox], gracefulShutdownSignals: [], logger: Self.quiet))
        let running = Task { try await group.run() }
        do {
            for index in targets.indices {
                try await progress.wait { $0.contains { if case .started(index, _) = $0 { true } else { false } } }
            }
            try await body(progress)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    /// Runs a local HTTP receiver on 127.0.0.1 (port 0) around `body`.
    func withReceiver<T: Sendable>(failFirst: Int = 0, _ body: (Receiver) async throws -> T) async throws -> T {
        let receiver = Receiver(failFirst: failFirst)
        let router = Router()
        router.post("{path}") { request, context -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            let status = receiver.record(
                path: context.parameters.get("path") ?? "", body: Array(bytes.readableBytesView),
                contentType: request.headers[.contentType],
                idempotencyKey: request.headers.first { $0.name.canonicalName == "idempotency-key" }?.value)
            return Response(status: .init(code: status))
        }
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: Self.quiet)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: Self.quiet))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        receiver.port = await iterator.next() ?? 0
        do {
            let result = try await body(receiver)
            await group.triggerGracefulShutdown()
            try await running.value
            return result
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
    }
}

/// Records every POST; answers 500 to the first `failFirst` of them, 200 after.
final class Receiver: Sendable {
    struct Hit: Sendable {
        var path: String
        var status: Int
        var body: JSONValue?
        var contentType: String?
        var idempotencyKey: String?
    }

    private struct State {
        var failuresLeft: Int
        var port = 0
    }

    private let state: Mutex<State>
    private let recorded = Observed<Hit>()

    init(failFirst: Int) {
        state = Mutex(State(failuresLeft: failFirst))
    }

    var port: Int {
        get { state.withLock { $0.port } }
        set { state.withLock { $0.port = newValue } }
    }

    func record(path: String, body: [UInt8], contentType: String?, idempotencyKey: String?) -> Int {
        let status = state.withLock { state in
            let status = state.failuresLeft > 0 ? 500 : 200
            state.failuresLeft = max(state.failuresLeft - 1, 0)
            return status
        }
        recorded.append(
            Hit(
                path: path, status: status, body: try? JSONParser.parse(body), contentType: contentType,
                idempotencyKey: idempotencyKey))
        return status
    }

    /// Every request to `path`, failed ones included.
    func hits(_ path: String) -> [Hit] { recorded.all.filter { $0.path == path } }

    /// The requests to `path` that were answered 2xx.
    func delivered(_ path: String) -> [Hit] { hits(path).filter { $0.status == 200 } }

    /// Returns once `count` requests to `path` were answered 2xx.
    func waitForDelivered(_ path: String, count: Int) async throws {
        try await recorded.wait { hits in hits.count { $0.path == path && $0.status == 200 } >= count }
    }
}

/// A TCP socket on 127.0.0.1 with a port the system picked: listening, it completes connections
/// and never reads (a target that hangs); not listening, connections are refused.
final class RawSocket: Sendable {
    let fd: Int32
    let port: Int

    init(listening: Bool) throws {
        let fd = try Loopback.socket()
        let bound = Loopback.withAddress(port: 0) { bind(fd, $0, $1) }
        guard bound == 0, !listening || listen(fd, 64) == 0 else {
            _ = Foundation.close(fd)
            throw Loopback.Failure(call: "bind/listen")
        }
        self.fd = fd
        self.port = Loopback.port(of: fd)
    }

    func close() {
        _ = Foundation.close(fd)
    }
}

/// Collects log lines (`level message metadata`) for assertions.
final class LogCapture: Sendable {
    private let storage = Mutex<[String]>([])

    var lines: [String] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "notification-tests") { _ in Handler(capture: self) }
    }

    func append(_ line: String) {
        storage.withLock { $0.append(line) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        var metadataProvider: Logger.MetadataProvider?

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let fields = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append("\(event.level) \(event.message) \(fields)")
        }
    }
}
