import APIContract
import AsyncHTTPClient
import EventLog
import Foundation
import Logging
import NIOCore
import NIOPosix
import Projections
import ServiceLifecycle
import Utilities

/// Delivers every alert transition (raised, acknowledged, resolved) to the configured webhook
/// targets as a JSON POST and to the email targets as a plain-text message over SMTP: an outbox
/// folded from the log.
///
/// Each target runs in its own child task with its own checkpoint in the log's meta database
/// (`notifications.<index>.<hash of the URL>` = the last sequence handled), so a dead or slow
/// target never delays another one, and nothing here is on the writer's append path: the
/// outbox only reads the log (short LMDB read transactions) and writes its checkpoint through
/// the writer after a delivery.
///
/// - On the first start of a target (no checkpoint) it starts at the log head: history, and
///   whatever a rebuild or replay folds, is never sent.
/// - Delivery is at-least-once: a transition is retried (exponential backoff with jitter) until
///   the target answers 2xx, and only then is the checkpoint advanced. A crash between the 2xx and
///   the checkpoint write sends it again after the restart. The `Idempotency-Key` header
///   (`alert-<id>-<position>`) lets a receiver drop such repeats.
/// - A graceful shutdown interrupts a backoff or an in-flight request; the transition is sent
///   again after the restart.
public struct NotificationOutbox: Service {
    /// Timing and batching.
    public struct Settings: Sendable {
        /// The delay before the first retry; it doubles with every failure.
        public var initialBackoff: Duration
        /// The longest delay between two attempts.
        public var maximumBackoff: Duration
        /// Random spread of each delay, as a fraction of it (0.2 = ±20 %).
        public var jitter: Double
        /// The whole time one POST may take (connect, send, answer).
        public var requestTimeout: Duration
        /// How long a connection may take to be established.
        public var connectTimeout: Duration
        /// Events read from the log per read transaction.
        public var batchSize: Int
        /// How long a graceful shutdown lets a request in flight finish before cancelling it.
        public var shutdownGrace: Duration
        /// Events skipped (not alerts, or below a target's severity) between checkpoint writes.
        public var skippedCheckpointInterval: UInt64

        public init(
            initialBackoff: Duration = .milliseconds(500), maximumBackoff: Duration = .seconds(60),
            jitter: Double = 0.2,
            requestTimeout: Duration = .seconds(10), shutdownGrace: Duration = .seconds(1), batchSize: Int = 512,
            skippedCheckpointInterval: UInt64 = 4096, connectTimeout: Duration = .seconds(5)
        ) {
            self.connectTimeout = connectTimeout
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.jitter = jitter
            self.requestTimeout = requestTimeout
            self.shutdownGrace = shutdownGrace
            self.batchSize = batchSize
            self.skippedCheckpointInterval = skippedCheckpointInterval
        }
    }

    /// What a target's worker did, as it happens (for observers: tests synchronize on these
    /// instead of sleeping).
    public enum Progress: Sendable, Equatable {
        /// The worker loaded (or created) its checkpoint and starts after `after`.
        case started(target: Int, after: UInt64)
        /// A POST of the transition at `position` was sent (`attempt` counts from 1).
        case attempting(target: Int, position: UInt64, attempt: Int)
        /// The attempt failed; the next one follows after a backoff.
        case failed(target: Int, position: UInt64, attempt: Int)
        /// The target answered 2xx.
        case delivered(target: Int, position: UInt64)
        /// The checkpoint `sequence` was written.
        case checkpointed(target: Int, sequence: UInt64)
    }

    let service: FleetService
    public let targets: [WebhookTarget]
    public let emails: [EmailTarget]
    /// The dashboard's base URL, for the links in emails (nil: no link).
    public let dashboardURL: String?
    let logger: Logger
    public let settings: Settings
    let observer: (@Sendable (Progress) -> Void)?

    /// Targets are numbered webhooks first, then emails (in `Progress`).
    public init(
        service: FleetService, targets: [WebhookTarget], emails: [EmailTarget] = [], dashboardURL: String? = nil,
        logger: Logger, settings: Settings = Settings(), observer: (@Sendable (Progress) -> Void)? = nil
    ) {
        self.service = service
        self.targets = targets
        self.emails = emails
        self.dashboardURL = dashboardURL
        self.logger = logger
        self.settings = settings
        self.observer = observer
    }

    /// The meta key of email target `index`'s checkpoint (its server, sender and recipients hashed).
    public static func checkpointKey(index: Int, email: EmailTarget) -> String {
        "notifications.email.\(index).\(FNV1a64.hex(email.identity.utf8))"
    }

    /// The meta key of target `index`'s checkpoint: `notifications.<index>.<FNV-1a 64 of the URL>`.
    public static func checkpointKey(index: Int, target: WebhookTarget) -> String {
        "notifications.\(index).\(FNV1a64.hex(target.url.absoluteString.utf8))"
    }

    public func run() async throws {
        guard !targets.isEmpty || !emails.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        await withDiscardingTaskGroup { group in
            for (index, target) in targets.enumerated() {
                var logger = logger
                logger[metadataKey: "webhook"] = "\(target.displayHost)"
                logger[metadataKey: "webhook_index"] = "\(index)"
                let worker = WebhookWorker(
                    service: service, target: .webhook(target), index: index,
                    key: Self.checkpointKey(index: index, target: target), logger: logger, settings: settings,
                    observer: observer, dashboardURL: dashboardURL)
                group.addTask { await worker.run() }
            }
            for (index, email) in emails.enumerated() {
                var logger = logger
                logger[metadataKey: "email"] = "\(email.displayHost)"
                logger[metadataKey: "email_index"] = "\(index)"
                let worker = WebhookWorker(
                    service: service, target: .email(email), index: targets.count + index,
                    key: Self.checkpointKey(index: index, email: email), logger: logger, settings: settings,
                    observer: observer, dashboardURL: dashboardURL)
                group.addTask { await worker.run() }
            }
        }
    }
}

/// One destination of the outbox.
enum NotificationDestination: Sendable {
    case webhook(WebhookTarget)
    case email(EmailTarget)

    func accepts(severity: String) -> Bool {
        switch self {
        case .webhook(let t): t.accepts(severity: severity)
        case .email(let t): t.accepts(severity: severity)
        }
    }
}

/// One target's delivery loop.
struct WebhookWorker: Sendable {
    let service: FleetService
    let target: NotificationDestination
    let index: Int
    let key: String
    let logger: Logger
    let settings: NotificationOutbox.Settings
    let observer: (@Sendable (NotificationOutbox.Progress) -> Void)?
    let dashboardURL: String?

    /// Sends one message; nil when the target took it, else why not.
    typealias Send = @Sendable (WebhookMessage) async throws -> String?

    private func report(_ progress: NotificationOutbox.Progress) {
        observer?(progress)
    }

    /// The last sequence handled, and the last one written to the meta database.
    struct Cursor {
        var handled: UInt64
        var persisted: UInt64
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    func run() async {
        switch target {
        case .webhook(let webhook):
            let client = WebhookClient(
                url: webhook.url, timeout: settings.requestTimeout, connectTimeout: settings.connectTimeout)
            await deliverAll { message in
                let status = try await client.post(message.body, idempotencyKey: message.idempotencyKey)
                return (200..<300).contains(status) ? nil : "HTTP \(status)"
            }
            await client.invalidate()
        case .email(let email):
            let smtp = SMTPClient(
                host: email.host, port: email.port, timeout: WebhookClient.timeAmount(settings.requestTimeout),
                heloName: "metrics-service")
            let dashboard = dashboardURL
            await deliverAll { message in
                let mail = EmailMessage(message, dashboard: dashboard)
                try await smtp.send(
                    from: email.from, to: email.to,
                    data: mail.data(
                        from: email.from, to: email.to, messageID: "\(message.idempotencyKey)@metrics-service",
                        date: Date()))
                return nil
            }
        }
    }

    private func deliverAll(_ client: @escaping Send) async {
        guard var cursor = await start() else { return }
        report(.started(target: index, after: cursor.handled))
        for await _ in service.log.headUpdates().cancelOnGracefulShutdown() {
            await drain(&cursor, client: client)
            if stopping { break }
        }
        if cursor.handled != cursor.persisted { await persist(&cursor) }
    }

    /// Loads the checkpoint, or starts at the log head (and records that) when there is none.
    private func start() async -> Cursor? {
        var failures = 0
        while !stopping {
            do {
                let head = service.log.head
                if let raw = try service.log.meta(key), let stored = UInt64(String(decoding: raw, as: UTF8.self)) {
                    if stored > head {
                        logger.warning(
                            "webhook checkpoint is ahead of the log; starting at the head",
                            metadata: ["checkpoint": "\(stored)", "head": "\(head)"])
                        var cursor = Cursor(handled: head, persisted: stored)
                        await persist(&cursor)
                        return cursor
                    }
                    logger.info("webhook notifications resume", metadata: ["after": "\(stored)", "head": "\(head)"])
                    return Cursor(handled: stored, persisted: stored)
                }
                var cursor = Cursor(handled: head, persisted: .max)
                await persist(&cursor)
                logger.info(
                    "webhook notifications start at the log head; earlier events are not sent",
                    metadata: ["head": "\(head)"])
                return cursor
            } catch EventLogError.closed {
                return nil
            } catch {
                failures += 1
                logger.error("webhook checkpoint unreadable", metadata: ["error": "\(error)"])
                guard await sleep(backoff(after: failures)) else { return nil }
            }
        }
        return nil
    }

    /// Handles everything after the cursor up to the head; returns early when stopping.
    private func drain(_ cursor: inout Cursor, client: @escaping Send) async {
        var readFailures = 0
        while !stopping, cursor.handled < service.log.head {
            let from = cursor.handled + 1
            let batch: [(sequence: UInt64, event: DomainEvent)]
            let next: UInt64
            do {
                (batch, next) = try readAlertEvents(from: from)
                readFailures = 0
            } catch EventLogError.closed {
                return
            } catch {
                readFailures += 1
                logger.error("webhook outbox cannot read the log", metadata: ["error": "\(error)"])
                guard await sleep(backoff(after: readFailures)) else { return }
                continue
            }
            for (sequence, event) in batch {
                let message = await message(for: event, at: sequence)
                if stopping { return }
                if let message {
                    guard await deliver(message, client: client) else { return }
                    cursor.handled = sequence
                    await persist(&cursor)
                } else {
                    cursor.handled = sequence
                }
            }
            guard next > from else { return }
            cursor.handled = max(cursor.handled, next - 1)
            // Skipped events need no checkpoint each: a restart reads them again and skips them again.
            if cursor.persisted > cursor.handled
                || cursor.handled - cursor.persisted >= settings.skippedCheckpointInterval
            {
                await persist(&cursor)
            }
        }
    }

    /// The alert events of the batch starting at `sequence`, and the sequence after the batch.
    private func readAlertEvents(from sequence: UInt64) throws -> ([(sequence: UInt64, event: DomainEvent)], UInt64) {
        var found: [(sequence: UInt64, event: DomainEvent)] = []
        let next = try service.log.read(from: sequence, limit: settings.batchSize) { record in
            switch record.type {
            case AlertRaised.type, AlertAcknowledged.type, AlertResolved.type:
                do {
                    let event = try record.domainEvent()
                    found.append((record.sequence, event))
                } catch {
                    logger.warning(
                        "webhook outbox skips an alert event it cannot decode",
                        metadata: ["sequence": "\(record.sequence)", "error": "\(error)"])
                }
            default:
                break
            }
        }
        return (found, next)
    }

    /// The message for an alert event, or nil when the target does not want it.
    private func message(for event: DomainEvent, at sequence: UInt64) async -> WebhookMessage? {
        let alertID: Int64
        switch event {
        case .alertRaised(let e): alertID = e.alertID
        case .alertAcknowledged(let e): alertID = e.alertID
        case .alertResolved(let e): alertID = e.alertID
        default: return nil
        }
        // The head is published just before the projection folds the commit: wait for it.
        await cancelWhenGracefulShutdown { await service.waitForProjection(atLeast: sequence) }
        let found = service.read { projection -> (AlertRecord, JSONValue)? in
            guard let record = projection.alertBook.alert(alertID) else { return nil }
            return (record, projection.alertView(record).contractData)
        }
        guard let found else {
            logger.warning(
                "webhook outbox skips a transition of an unknown alert",
                metadata: ["alert_id": "\(alertID)", "sequence": "\(sequence)"])
            return nil
        }
        let (record, alert) = found
        guard target.accepts(severity: record.raised.severity) else { return nil }
        return WebhookMessage(event: event, sequence: sequence, record: record, alert: alert)
    }

    /// POSTs `message` until the target answers 2xx; false when stopped before that.
    private func deliver(_ message: WebhookMessage, client: @escaping Send) async -> Bool {
        var attempt = 0
        while !stopping {
            attempt += 1
            report(.attempting(target: index, position: message.position, attempt: attempt))
            let failure: String
            do {
                let refusal = try await Self.withShutdownGrace(settings.shutdownGrace) { try await client(message) }
                if refusal == nil {
                    report(.delivered(target: index, position: message.position))
                    if attempt > 1 {
                        logger.info(
                            "webhook delivered after retries",
                            metadata: [
                                "alert_id": "\(message.alertID)", "position": "\(message.position)",
                                "attempts": "\(attempt)",
                            ])
                    }
                    return true
                }
                failure = refusal ?? ""
            } catch {
                if stopping { return false }
                failure = error is SMTPError ? "\(error)" : WebhookClient.describe(error)
            }
            let delay = backoff(after: attempt)
            logger.warning(
                "webhook delivery failed; retrying",
                metadata: [
                    "alert_id": "\(message.alertID)", "position": "\(message.position)",
                    "transition": "\(message.status)",
                    "attempt": "\(attempt)", "error": "\(failure)", "retry_in_s": "\(Self.seconds(delay))",
                ])
            report(.failed(target: index, position: message.position, attempt: attempt))
            guard await sleep(delay) else { return false }
        }
        return false
    }

    /// Writes the cursor's checkpoint (through the writer).
    private func persist(_ cursor: inout Cursor) async {
        do {
            try await service.writer.setMeta(key, Array(String(cursor.handled).utf8))
            cursor.persisted = cursor.handled
            report(.checkpointed(target: index, sequence: cursor.handled))
        } catch EventLogError.closed {
            logger.debug("webhook checkpoint not written: the log is closed")
        } catch {
            logger.error("webhook checkpoint could not be written", metadata: ["error": "\(error)"])
        }
    }

    /// The delay before retry `attempt` (1 = after the first failure): doubling from the initial
    /// backoff up to the maximum, spread by the jitter.
    func backoff(after attempt: Int) -> Duration {
        var delay = settings.initialBackoff
        var doublings = max(attempt - 1, 0)
        while doublings > 0 && delay < settings.maximumBackoff {
            delay = delay * 2
            doublings -= 1
        }
        delay = min(delay, settings.maximumBackoff)
        if settings.jitter > 0 {
            delay = delay * Double.random(in: (1 - settings.jitter)...(1 + settings.jitter))
        }
        return min(delay, settings.maximumBackoff)
    }

    /// Runs `operation`; a graceful shutdown cancels it after `grace` (so an answer on its way can
    /// still arrive and spare a repeat after the restart, while a hanging target cannot hold the
    /// shutdown).
    static func withShutdownGrace<T: Sendable>(
        _ grace: Duration, _ operation: @Sendable @escaping () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await gracefulShutdown()
                try await Task.sleep(for: grace)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw CancellationError() }
            return value
        }
    }

    /// Sleeps unless stopped (a graceful shutdown interrupts it); false when stopped.
    private func sleep(_ delay: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
        } catch {
            return false
        }
        return !stopping
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.3f", Double(seconds) + Double(attoseconds) / 1e18)
    }
}
