import EventLog
import Foundation
import Logging
import PostgresLog
import Projections
import Synchronization

/// The composition of the event log, its single writer and the read projection.
///
/// Writes go through the writer (decisions serialized with appends); after each group commit
/// the new events are read back from the log and folded into the projection before any caller
/// resumes, so a read issued after a write returned sees it. Reads take a copy-on-write snapshot
/// of the projection under its lock (O(1)), answer from it outside the lock, and never touch LMDB.
public final class FleetService: Sendable {
    public let log: EventLog
    package let writer: EventWriter<WriterState>
    private let projection: ProjectionHolder
    let logger: Logger
    /// The server clock (µs since the epoch).
    package let clock: @Sendable () -> Int64
    /// The node's place in a cluster over a PostgreSQL log (nil for LMDB, and for tools).
    public let membership: ClusterMembership?
    /// The retention run or projection rebuild in progress (one at a time).
    let maintenance = MaintenanceGate()

    /// Opens the data directory, folds the log into the projection, and starts the writer.
    public convenience init(
        directory: String, durability: Durability = .durable, logger: Logger = Logger(label: "metrics-service"),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) }
    ) throws {
        try self.init(store: LogStore(dataDirectory: directory), durability: durability, logger: logger, clock: clock)
    }

    /// Opens the log where `store` keeps it, folds it into the projection, and starts the writer.
    /// With `cluster` settings and a PostgreSQL store, the node starts as a follower and leads once
    /// its `ClusterNode` takes the writer's lock.
    public init(
        store: LogStore, durability: Durability = .durable, logger: Logger = Logger(label: "metrics-service"),
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) },
        cluster: ClusterMembership.Settings? = nil
    ) throws {
        let shared = cluster != nil && store.postgres != nil
        let log = try store.open(takeWriterLock: !shared, durability: durability, logger: logger)
        if shared, let cluster, let storage = log.storage as? PostgresStorage {
            membership = ClusterMembership(storage: storage, settings: cluster)
        } else {
            membership = nil
        }
        self.log = log
        self.logger = logger
        self.clock = clock
        let started = Date()
        let restored = Self.restoreSnapshot(log: log, logger: logger)
        var initial = try restored ?? Self.rebuildBase(log: log, logger: logger)
        try Self.foldToHead(log: log, &initial)
        logger.info(
            "projections ready",
            metadata: [
                "from_snapshot": "\(restored?.sequence ?? 0)", "events": "\(initial.sequence)",
                "seconds": "\(String(format: "%.3f", Date().timeIntervalSince(started)))",
            ])
        let projection = ProjectionHolder(initial)
        self.projection = projection
        writer = try EventWriter(
            log: log, initialState: WriterState(ingestion: initial.ingestion),
            rebuild: { log in
                var caughtUp =
                    try Self.restoreSnapshot(log: log, logger: logger) ?? Self.rebuildBase(log: log, logger: logger)
                try Self.foldToHead(log: log, &caughtUp)
                return WriterState(ingestion: caughtUp.ingestion)
            },
            clock: clock,
            onCommit: { first, last in
                let sequence = projection.state.withLock { state in
                    do {
                        try Self.fold(log: log, into: &state, from: first)
                    } catch {
                        logger.critical("projection could not fold committed events", metadata: ["error": "\(error)"])
                    }
                    return state.sequence
                }
                projection.published(sequence, committedThrough: last)
            })
    }

    /// Folds the log from `from` to its head into `projection`. Events this build cannot decode
    /// are skipped and counted (`skippedEvents`), or stop the fold, as `policy` says.
    /// Folds the log from after `projection.sequence` to its head, a long run (a start without a
    /// checkpoint, a rebuild) on every core (`SplitFold`), then whatever was appended meanwhile.
    /// On an error the projection is left empty (sequence 0, no retention base): discard it. The
    /// live projection is folded in place instead (`fold(log:into:from:policy:)`), which keeps
    /// what it folded before an error.
    public static func foldToHead(
        log: EventLog, _ projection: inout FleetProjection,
        minimumSplitEvents: UInt64 = SplitFold.defaultMinimumEvents
    ) throws {
        try SplitFold.fold(log: log, &projection, through: try log.readHead(), minimumEvents: minimumSplitEvents)
        try fold(log: log, into: &projection)
    }

    /// Folds in place: the live projection is never copied (a copy would duplicate every metric
    /// column on its first append). Events folded before an error stay folded; the next fold
    /// continues after them.
    public static func fold(
        log: EventLog, into projection: inout FleetProjection, from: UInt64 = 1, through: UInt64 = .max,
        policy: UnknownEventPolicy = .skip
    ) throws {
        // One batch: the late metrics of a commit are merged into their agents' columns at once.
        try projection.foldingBatch { (projection: inout FleetProjection) throws(any Error) in
            try log.forEach(from: max(from, projection.sequence + 1)) { record in
                guard record.sequence <= through else { return }
                try projection.apply(
                    type: record.type, schemaVersion: record.schemaVersion, payload: record.payload,
                    sequence: record.sequence,
                    policy: policy)
            }
        }
    }

    /// The name of the projection checkpoint in the log's snapshot database.
    public static let snapshotName = "fleet-projection"

    /// The most recent usable checkpoint (the regular one or the retention snapshot), or nil when
    /// there is none; the reason a checkpoint cannot be used (another projection version, damaged,
    /// ahead of the log, or older than events retention removed) is logged.
    static func restoreSnapshot(log: EventLog, logger: Logger) -> FleetProjection? {
        var best: FleetProjection?
        for name in [snapshotName, retentionSnapshotName] {
            guard let restored = restoreSnapshot(named: name, log: log, logger: logger) else { continue }
            guard restored.sequence >= log.retentionHorizon else {
                logger.warning(
                    "projection snapshot predates the events retention removed; not using it",
                    metadata: ["snapshot": "\(name)", "sequence": "\(restored.sequence)"])
                continue
            }
            if best == nil || restored.sequence > best!.sequence { best = restored }
        }
        return best
    }

    /// What a fold "from the first event" starts with: an empty projection, or once retention
    /// removed events, the retention snapshot (the log alone no longer holds the past).
    static func rebuildBase(log: EventLog, logger: Logger) throws -> FleetProjection {
        let horizon = log.retentionHorizon
        guard horizon > 0 else { return FleetProjection() }
        guard let base = restoreSnapshot(named: retentionSnapshotName, log: log, logger: logger),
            base.sequence >= horizon
        else {
            throw ReplayError(
                "retention removed events before sequence \(horizon) and the retention snapshot is missing or "
                    + "unusable by this build; the removed events are in \(log.directory)/archive")
        }
        return base
    }

    private static func restoreSnapshot(named name: String, log: EventLog, logger: Logger) -> FleetProjection? {
        let snapshot: EventLog.Snapshot
        do {
            guard let stored = try log.snapshot(named: name) else { return nil }
            snapshot = stored
        } catch {
            logger.warning(
                "projection snapshot unreadable; rebuilding from the log",
                metadata: ["snapshot": "\(name)", "error": "\(error)"])
            return nil
        }
        guard snapshot.version == FleetProjection.snapshotVersion else {
            logger.notice(
                "projection snapshot has another version; discarding it and rebuilding from the log",
                metadata: [
                    "snapshot": "\(name)", "found": "\(snapshot.version)",
                    "expected": "\(FleetProjection.snapshotVersion)",
                ])
            return nil
        }
        guard snapshot.sequence <= log.head else {
            logger.warning(
                "projection snapshot is ahead of the log; rebuilding from the log", metadata: ["snapshot": "\(name)"])
            return nil
        }
        do {
            return try FleetProjection(snapshot: snapshot.bytes)
        } catch {
            logger.warning(
                "projection snapshot damaged; rebuilding from the log",
                metadata: ["snapshot": "\(name)", "error": "\(error)"])
            return nil
        }
    }

    /// Writes a checkpoint of the projection as it is now (by default the one restarts load).
    /// Returns the sequence it reflects.
    @discardableResult
    public func checkpoint(named name: String = snapshotName) async throws -> UInt64 {
        let copy = projection.state.withLock { $0 }
        let bytes = copy.snapshotBytes()
        try await writer.writeSnapshot(
            name: name,
            EventLog.Snapshot(sequence: copy.sequence, version: FleetProjection.snapshotVersion, bytes: bytes))
        return copy.sequence
    }

    /// Runs `body` against a snapshot of the current projection, taken under the lock in O(1) (the
    /// projection is a value whose columns are copy-on-write) and read outside it: a long read
    /// blocks neither the writer's fold nor other reads. A fold while a snapshot is alive copies
    /// only the columns it changes.
    public func read<R>(_ body: (borrowing FleetProjection) throws -> R) rethrows -> R {
        let snapshot = projection.state.withLock { $0 }
        return try body(snapshot)
    }

    /// As `read`, with the number of times the projection was replaced as a whole (a rebuild),
    /// taken with the snapshot: a cache of answers keyed on the log position
    /// must also match this, since a rebuild that found drift changes answers at one position.
    package func readWithGeneration<R>(_ body: (borrowing FleetProjection, UInt64) throws -> R) rethrows -> R {
        let (snapshot, generation) = projection.state.withLock { ($0, projection.generation.load(ordering: .relaxed)) }
        return try body(snapshot, generation)
    }

    /// Appends what `decide` returns, decided on the writer against its state.
    /// `exclusive`: decided in a group of its own, once the projection has folded every earlier
    /// request (for decisions that read the projection, such as the evaluation). `ownJob`: the
    /// service's own job, exempt from the writer's queue bound (a flood of client writes must not
    /// make it fail).
    /// `eventIDs`: the client ids `decide` may look up (a PostgreSQL log fetches them for the whole
    /// group in one round trip).
    package func write<R: Sendable>(
        exclusive: Bool = false, ownJob: Bool = false, eventIDs: [String] = [],
        _ decide:
            @escaping @Sendable (IngestionState, AppendContext) throws -> (events: [(DomainEvent, String?)], result: R)
    ) async throws -> R {
        try await writer.perform(exclusive: exclusive, bounded: !ownJob, eventIDs: eventIDs) { state, context in
            let (events, result) = try decide(state.ingestion, context)
            return AppendDecision(
                events: events.map {
                    NewEvent($0.0, eventID: $0.1, occurredAt: $0.0.occurredAt(now: context.recordedAt))
                },
                result: result)
        }
    }

    /// Changes the live projection under its lock: folds more of the log into it (the tailer), or
    /// with `replacing`, puts another in its place (blue/green rebuild), which may answer
    /// differently at the same position and so counts as a new generation.
    func swapProjection<R>(replacing: Bool = false, _ body: (inout FleetProjection) throws -> R) throws -> R {
        var sequence: UInt64 = 0
        defer { projection.published(sequence) }
        return try projection.state.withLock { state in
            defer {
                sequence = state.sequence
                if replacing { projection.generation.add(1, ordering: .relaxed) }
            }
            return try body(&state)
        }
    }

    /// Returns once the live projection has folded the log up to `sequence` (at once when it
    /// has), or when the task is cancelled. No polling: the commit hook, the tailer and a rebuild
    /// wake the waiters when they move the projection.
    public func waitForProjection(atLeast sequence: UInt64) async {
        await projection.wait(atLeast: sequence)
    }

    /// The projection's sequence as last published (read without its lock).
    var projectionSequence: UInt64 { projection.sequence }

    /// Returns once the projection holds `head` or the writer's commit hook has handled the commit
    /// through it, or when the task is cancelled.
    func waitForCommitHook(_ head: UInt64) async {
        await projection.waitForCommitHook(head)
    }

    /// Runs an evaluation decision that needs the metric data of the projection.
    func withProjection<R>(_ body: (borrowing FleetProjection) -> R) -> R {
        projection.state.withLock { body($0) }
    }

    /// Stops the writer (draining queued appends) and closes the log.
    public func shutdown() {
        writer.shutdown()
        log.close()
    }
}

/// The read projection behind its lock, and the position it has folded, which tasks can wait on.
final class ProjectionHolder: Sendable {
    let state: Mutex<FleetProjection>
    /// Replacements of the projection as a whole (`swapProjection(replacing: true)`), changed under
    /// `state`'s lock.
    let generation = Atomic<UInt64>(0)
    struct Position {
        /// The projection's sequence as last published.
        var sequence: UInt64
        /// The last event of the last commit whose hook ran (folded or failed to).
        var committed: UInt64
    }

    private let position: Watched<Position>

    init(_ initial: FleetProjection) {
        position = Watched(Position(sequence: initial.sequence, committed: initial.sequence))
        state = Mutex(initial)
    }

    /// Records that the projection now holds everything up to `sequence` (and, from the commit
    /// hook, that the commit through `committedThrough` was handled) and wakes whoever waited.
    func published(_ sequence: UInt64, committedThrough: UInt64? = nil) {
        position.update {
            $0.sequence = sequence
            if let committedThrough { $0.committed = max($0.committed, committedThrough) }
        }
    }

    var sequence: UInt64 { position.value.sequence }

    func wait(atLeast sequence: UInt64) async {
        await position.wait { $0.sequence >= sequence }
    }

    /// Returns once the projection holds `head` or the commit hook has handled the commit through
    /// it (or the task is cancelled).
    func waitForCommitHook(_ head: UInt64) async {
        await position.wait { $0.sequence >= head || $0.committed >= head }
    }
}
