import CLMDB
import Foundation
import Synchronization

/// The single writer of an event log, with group commit.
///
/// Callers on any task enqueue requests; one dedicated thread takes everything that is queued,
/// runs each request's decision against the writer state in order, appends all their events in
/// one LMDB write transaction and commits it once (one fsync for the whole group). Each caller
/// resumes only after its transaction is durable and `onCommit` has run (so a projection fed by
/// `onCommit` already reflects the write: read-your-writes).
///
/// When the map fills up, the transaction is aborted, the map grows, the state is rebuilt from
/// the log and the group is retried. When a commit fails otherwise (disk full: a typed
/// `EventLogError.storageFull`), every request of the group fails, nothing of it is in the log,
/// and the state is put back to what is durable; the next group is tried afresh, so writes
/// succeed again once space returns.
public final class EventWriter<State: AppendState>: @unchecked Sendable {
    public typealias Rebuild = @Sendable (EventLog) throws -> State
    public typealias CommitHandler = @Sendable (_ first: UInt64, _ last: UInt64) -> Void

    private struct Request {
        let run: (State, AppendContext) throws -> [NewEvent]
        let complete: () -> Void
        let fail: (any Error) -> Void
        let maintenance: ((any StorageGroup) throws -> Void)?
        /// Client ids the decision may look up (fetched for the whole group in one go by a remote storage).
        var eventIDs: [String] = []
        /// Runs in a group of its own, after every earlier request's group committed and its
        /// `onCommit` ran.
        var exclusive = false
        /// Subject to `Limits.maximumQueuedRequests` (the service's own jobs are not: a flood of
        /// client writes must not make an evaluation, a checkpoint or retention fail).
        var bounded = true
    }

    /// Bounds on what waits for the writer.
    public struct Limits: Sendable {
        /// Requests that may wait in the queue; one more is refused at once with
        /// `EventLogError.writerBusy` (the HTTP layer answers 503 with `Retry-After`).
        public var maximumQueuedRequests: Int
        /// Requests decided and committed together in one group (one transaction, one fsync);
        /// the rest of the queue waits for the next group.
        public var maximumRequestsPerGroup: Int

        public init(maximumQueuedRequests: Int = 10_000, maximumRequestsPerGroup: Int = 1_024) {
            self.maximumQueuedRequests = maximumQueuedRequests
            self.maximumRequestsPerGroup = maximumRequestsPerGroup
        }
    }

    public let log: EventLog
    public let limits: Limits
    private let rebuild: Rebuild
    private let onCommit: CommitHandler
    private let clock: @Sendable () -> Int64
    private let condition = NSCondition()
    private var queue: [Request] = []
    /// Tasks waiting (`waitUntilQueued`) for the queue to hold a number of requests (under `condition`).
    private var queueWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Where the writer is in its life (under `condition`): taking requests, draining the queue
    /// after `shutdown`, or finished.
    private enum Lifecycle {
        case running
        case stopping
        case stopped
    }

    private var lifecycle = Lifecycle.running
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)
    /// Writer state; touched only by the writer thread (and `currentState` under `stateLock`).
    private var state: State
    private let stateLock = Mutex<Void>(())
    private var recordBuffer: [UInt8] = []
    private let groupCount = Atomic<Int>(0)
    /// How the last group went (writer thread only): committed; failed to commit (disk full:
    /// the next one likely fails too, so a copy of the state is kept to restore); or failed and
    /// left the state ahead of the log, which must be rebuilt before the next group.
    private enum Health {
        case committing
        case failing
        case stale
    }

    private var health = Health.committing
    /// Fault injection for tests: this many next group commits fail with `ENOSPC` as on a full
    /// disk (the transaction is aborted instead of committed).
    let injectedCommitFailures = Atomic<Int>(0)
    /// Set by `reloadStateBeforeNextGroup`: the next group first rebuilds the state from the log.
    private let reloadRequested = Atomic<Bool>(false)

    /// Starts the writer thread. `initialState` must reflect the log up to its head.
    public init(
        log: EventLog, initialState: State, rebuild: @escaping Rebuild,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1_000_000) },
        limits: Limits = Limits(),
        onCommit: @escaping CommitHandler = { _, _ in }
    ) throws {
        guard !log.options.readOnly else { throw EventLogError.readOnly }
        precondition(limits.maximumQueuedRequests >= 1 && limits.maximumRequestsPerGroup >= 1)
        self.log = log
        self.limits = limits
        self.state = initialState
        self.rebuild = rebuild
        self.onCommit = onCommit
        self.clock = clock
        let thread = Thread { [unowned self] in self.runLoop() }
        thread.name = "event-log-writer"
        self.thread = thread
        thread.start()
    }

    deinit {
        shutdown()
    }

    /// Makes the next group rebuild the writer state from the log first: for a node that becomes
    /// the writer of a shared log that others wrote meanwhile (its state then reflects every
    /// event up to the head, as `rebuild` folds them).
    public func reloadStateBeforeNextGroup() {
        reloadRequested.store(true, ordering: .releasing)
    }

    /// Number of group commits so far (for tests and metrics).
    public var groupCommits: Int { groupCount.load(ordering: .relaxed) }

    /// Requests waiting in the queue (not the group being processed).
    public var queuedRequests: Int {
        condition.lock()
        defer { condition.unlock() }
        return queue.count
    }

    /// Returns once at least `count` requests wait in the queue (at once when they do): for tests
    /// that need requests queued together, woken by `enqueue` rather than by polling.
    public func waitUntilQueued(atLeast count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if queue.count >= count {
                condition.unlock()
                continuation.resume()
                return
            }
            queueWaiters.append((count, continuation))
            condition.unlock()
        }
    }

    /// A copy of the writer state (for tests and diagnostics).
    public var currentState: State {
        stateLock.withLock { _ in state }
    }

    /// Runs `decide` on the writer against the state that includes every event appended before,
    /// appends its events atomically and returns its result once they are durable. If `decide`
    /// throws, nothing is appended and the error is rethrown.
    ///
    /// An `exclusive` request is decided in a group of its own, after the groups of every request
    /// queued before it have committed and their `onCommit` has run: a decision that reads what
    /// `onCommit` maintains (the service's projection) then sees every earlier request, including
    /// those that would otherwise have shared its group.
    ///
    /// `bounded: false` exempts the request from `Limits.maximumQueuedRequests` (for the service's
    /// own jobs; checkpoints, meta values and maintenance are always exempt). `eventIDs` names the
    /// client ids `decide` may look up, so a remote storage fetches them for the whole group at once.
    public func perform<R: Sendable>(
        exclusive: Bool = false, bounded: Bool = true, eventIDs: [String] = [],
        _ decide: @escaping @Sendable (State, AppendContext) throws -> AppendDecision<R>
    ) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let box = ResultBox<R>()
            enqueue(
                Request(
                    run: { state, context in
                        let decision = try decide(state, context)
                        box.value = decision.result
                        return decision.events
                    },
                    complete: { continuation.resume(returning: box.value!) },
                    fail: { continuation.resume(throwing: $0) },
                    maintenance: nil, eventIDs: eventIDs, exclusive: exclusive, bounded: bounded))
        }
    }

    /// Appends `events` atomically and contiguously. An event whose client id is already in the
    /// log (or earlier in `events`) is not stored again; its outcome names the existing sequence.
    public func append(_ events: [NewEvent]) async throws -> [AppendOutcome] {
        for event in events {
            if let id = event.eventID, id.utf8.count > EventLog.maxEventIDBytes || id.isEmpty {
                throw EventLogError.eventIDTooLong(length: id.utf8.count)
            }
        }
        return try await perform(eventIDs: events.compactMap(\.eventID)) { _, context in
            var outcomes: [AppendOutcome] = []
            var fresh: [NewEvent] = []
            var seenInBatch: [String: UInt64] = [:]
            var next = context.nextSequence
            for event in events {
                if let id = event.eventID {
                    if let existing = try seenInBatch[id] ?? context.existingSequence(forEventID: id) {
                        outcomes.append(.duplicate(existing))
                        continue
                    }
                    seenInBatch[id] = next
                }
                outcomes.append(.appended(next))
                fresh.append(event)
                next += 1
            }
            return AppendDecision(events: fresh, result: outcomes)
        }
    }

    /// Stores a projection checkpoint (through the writer, as every write).
    public func writeSnapshot(name: String, _ snapshot: EventLog.Snapshot) async throws {
        let record = snapshot.encoded
        try await maintenance { group in try group.putSnapshot(name, record) }
    }

    /// Sets a value in the meta database.
    public func setMeta(_ key: String, _ value: [UInt8]) async throws {
        try await maintenance { group in try group.putMeta(key, value) }
    }

    func maintenance(_ body: @escaping @Sendable (any StorageGroup) throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enqueue(
                Request(
                    run: { _, _ in [] }, complete: { continuation.resume() },
                    fail: { continuation.resume(throwing: $0) },
                    maintenance: body, bounded: false))
        }
    }

    private func enqueue(_ request: Request) {
        condition.lock()
        if lifecycle != .running {
            condition.unlock()
            request.fail(EventLogError.closed)
            return
        }
        if request.bounded && queue.count >= limits.maximumQueuedRequests {
            let queued = queue.count
            condition.unlock()
            request.fail(EventLogError.writerBusy(queued: queued))
            return
        }
        queue.append(request)
        let queued = queue.count
        let ready = queueWaiters.filter { $0.count <= queued }.map(\.continuation)
        queueWaiters.removeAll { $0.count <= queued }
        condition.signal()
        condition.unlock()
        for continuation in ready { continuation.resume() }
    }

    /// Stops accepting requests, finishes everything queued, and stops the thread.
    public func shutdown() {
        condition.lock()
        if lifecycle != .running {
            let wait = lifecycle != .stopped
            condition.unlock()
            if wait, Thread.current != thread {
                finished.wait()
                finished.signal()
            }
            return
        }
        lifecycle = .stopping
        condition.signal()
        condition.unlock()
        if Thread.current != thread {
            finished.wait()
            finished.signal()
        }
    }

    private func runLoop() {
        while true {
            condition.lock()
            while queue.isEmpty && lifecycle == .running { condition.wait() }
            if queue.isEmpty && lifecycle != .running {
                lifecycle = .stopped
                condition.unlock()
                finished.signal()
                return
            }
            // A group: up to the limit, ending before an exclusive request (which goes alone).
            var count = min(queue.count, limits.maximumRequestsPerGroup)
            if queue[0].exclusive {
                count = 1
            } else if let barrier = queue.prefix(count).firstIndex(where: \.exclusive) {
                count = barrier
            }
            let batch: [Request]
            if count == queue.count {
                batch = queue
                queue.removeAll(keepingCapacity: true)
            } else {
                batch = Array(queue.prefix(count))
                queue.removeFirst(count)
            }
            condition.unlock()
            process(batch)
        }
    }

    private enum GroupOutcome {
        case committed(results: [Result<Void, any Error>], first: UInt64, last: UInt64)
        case retry
    }

    private func process(_ batch: [Request]) {
        if log.isClosed {
            for request in batch { request.fail(EventLogError.closed) }
            return
        }
        if reloadRequested.exchange(false, ordering: .acquiringAndReleasing) { health = .stale }
        if health == .stale {
            // An earlier failed group left the state ahead of the log and rebuilding it failed.
            do {
                try reloadState()
            } catch {
                for request in batch { request.fail(error) }
                return
            }
        }
        // Right after a failed group (disk full: the next one likely fails too), keep a copy of
        // the state to restore instead of rebuilding it from the log each time. In the normal
        // case no copy is taken, so appends never pay for one.
        let restorePoint: State? = health == .failing && !(State.self is AnyObject.Type) ? state : nil
        var attempts = 0
        while true {
            attempts += 1
            do {
                try log.storage.makeRoom(force: false)
                switch try runGroup(batch) {
                case .retry:
                    try log.storage.makeRoom(force: true)
                    try restoreState(restorePoint)
                    if attempts < 64 { continue }
                    throw EventLogError.storageFull(
                        operation: "append", code: MDB_MAP_FULL, message: "the map is still full after growing it")
                case .committed(let results, let first, let last):
                    health = .committing
                    groupCount.add(1, ordering: .relaxed)
                    if last >= first {
                        log.publishHead(last)
                        onCommit(first, last)
                    }
                    for (request, result) in zip(batch, results) {
                        switch result {
                        case .success: request.complete()
                        case .failure(let error): request.fail(error)
                        }
                    }
                    return
                }
            } catch {
                // The group's transaction did not commit: none of it is in the log, but the state
                // already folded its events. Put the state back to what is durable.
                let error = classify(error)
                do {
                    try restoreState(restorePoint)
                    health = .failing
                } catch {
                    health = .stale
                }
                for request in batch { request.fail(error) }
                return
            }
        }
    }

    private func classify(_ error: any Error) -> any Error {
        log.storage.classifyCommitFailure(error)
    }

    /// Puts the state back to the log's head: the copy taken before the group when there is
    /// one, else a rebuild from the log.
    private func restoreState(_ restorePoint: State?) throws {
        if let restorePoint {
            stateLock.withLock { _ in state = restorePoint }
        } else {
            try reloadState()
        }
    }

    private func reloadState() throws {
        let fresh = try rebuild(log)
        stateLock.withLock { _ in state = fresh }
        if health == .stale { health = .failing }
    }

    /// Runs one write transaction for the whole group; `.retry` when the storage ran out of room
    /// (LMDB's map filled up).
    private func runGroup(_ batch: [Request]) throws -> GroupOutcome {
        do {
            return try runGroupOnce(batch)
        } catch let error as EventLogError where error.isMapFull {
            return .retry
        }
    }

    private func runGroupOnce(_ batch: [Request]) throws -> GroupOutcome {
        let group = try log.storage.beginGroup()
        defer { group.abort() }
        let hinted = batch.flatMap(\.eventIDs)
        if !hinted.isEmpty { try group.prefetchEventIDs(hinted) }
        let head = log.head
        var next = head + 1
        let recordedAt = clock()
        var results: [Result<Void, any Error>] = []
        results.reserveCapacity(batch.count)
        let lookup: (String) throws -> UInt64? = { id in
            guard !id.isEmpty, id.utf8.count <= EventLog.maxEventIDBytes else { return nil }
            return try group.lookupEventID(id)
        }
        for request in batch {
            if let maintenance = request.maintenance {
                try maintenance(group)
                results.append(.success(()))
                continue
            }
            let context = AppendContext(nextSequence: next, recordedAt: recordedAt, lookup: lookup)
            let events: [NewEvent]
            do {
                events = try request.run(state, context)
            } catch let error as EventLogError where error.isMapFull {
                throw error
            } catch {
                results.append(.failure(error))
                continue
            }
            for event in events {
                RecordCodec.encode(event, sequence: next, recordedAt: recordedAt, into: &recordBuffer)
                try group.append(sequence: next, eventID: event.eventID, record: recordBuffer)
                let appended = AppendedEvent(sequence: next, recordedAt: recordedAt, event: event)
                // Apply at once so the next request of this group decides against it.
                stateLock.withLock { _ in state.apply(appended) }
                next += 1
            }
            results.append(.success(()))
        }
        if injectedCommitFailures.load(ordering: .relaxed) > 0 {
            injectedCommitFailures.subtract(1, ordering: .relaxed)
            throw EventLogError.lmdbError(ENOSPC, "txn_commit")
        }
        try group.commit()
        return .committed(results: results, first: head + 1, last: next - 1)
    }
}

/// Carries a request's result from the writer thread to its continuation.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
