import Foundation
import Synchronization

/// The append-only event log: records under a gapless sequence starting at 1, an index from
/// client event id to sequence, meta values and projection snapshots, kept by a `LogStorage`
/// (LMDB in a directory by default; PostgreSQL through the `PostgresLog` module).
///
/// Reads are short (never across an `await`) and verify each record's checksum; all writes go
/// through the single `EventWriter` of the process.
public final class EventLog: @unchecked Sendable {
    /// Opening options.
    public struct Options: Sendable {
        public var durability: Durability
        /// Initial LMDB map size in bytes; the map grows by itself when it fills up.
        public var initialMapSize: Int
        /// Open for reading only (no writer lock, no writer): for tools beside a running service.
        public var readOnly: Bool
        /// Maximum number of concurrent read transactions (LMDB reader slots).
        public var maxReaders: UInt32

        public init(
            durability: Durability = .durable, initialMapSize: Int = 1 << 30, readOnly: Bool = false,
            maxReaders: UInt32 = 510
        ) {
            self.durability = durability
            self.initialMapSize = initialMapSize
            self.readOnly = readOnly
            self.maxReaders = maxReaders
        }
    }

    /// The largest client event id the index takes, in UTF-8 bytes.
    public static let maxEventIDBytes = 255
    /// The on-disk format this build writes and reads.
    public static let formatVersion = 1

    /// The local directory of the service's files (LMDB's environment, retention archives,
    /// reports); with another storage, the directory beside it for those files.
    public let directory: String
    public let options: Options
    /// Where the records are.
    public let storage: any LogStorage
    private let cachedHead = Atomic<UInt64>(0)
    /// Sequences below this one may be missing: retention removed them (0 while it never ran).
    let horizon = Atomic<UInt64>(0)
    private let state = Mutex<LogState>(LogState())

    private struct LogState {
        var closed = false
        var nextSubscriberID = 0
        var subscribers: [Int: AsyncStream<UInt64>.Continuation] = [:]
    }

    /// Opens (creating when needed) the LMDB log in `directory`.
    public convenience init(directory: String, options: Options = Options()) throws {
        let storage = try LMDBStorage(directory: directory, options: options)
        try self.init(storage: storage, directory: directory, options: options)
    }

    /// Opens the log kept by `storage`; `directory` holds the service's local files.
    public init(storage: any LogStorage, directory: String, options: Options = Options()) throws {
        self.directory = directory
        self.storage = storage
        var options = options
        options.readOnly = storage.isReadOnly
        self.options = options
        do {
            try checkFormat()
            cachedHead.store(try storage.readHead(), ordering: .releasing)
            horizon.store(try readRetentionHorizon(), ordering: .releasing)
        } catch {
            storage.close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func checkFormat() throws {
        guard let raw = try meta("format_version") else { return }
        let text = String(decoding: raw, as: UTF8.self)
        guard let version = Int(text), version <= Self.formatVersion else {
            throw EventLogError.unsupportedFormat(found: text)
        }
    }

    /// The LMDB storage, when the log is kept in LMDB (for LMDB's own checks and tests).
    var lmdb: LMDBStorage? { storage as? LMDBStorage }
    /// Number of stale LMDB reader slots cleared at open.
    public var staleReadersCleared: Int32 { lmdb?.staleReadersCleared ?? 0 }

    /// Closes the storage; later calls fail with `closed`. Subscribers' streams finish.
    public func close() {
        let subscribers = state.withLock { state -> [AsyncStream<UInt64>.Continuation]? in
            if state.closed { return nil }
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        guard let subscribers else { return }
        for subscriber in subscribers { subscriber.finish() }
        storage.close()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    // MARK: Reading

    /// The sequence of the last event (0 for an empty log).
    public var head: UInt64 {
        if options.readOnly { return (try? readHead()) ?? cachedHead.load(ordering: .acquiring) }
        return cachedHead.load(ordering: .acquiring)
    }

    /// Publishes a new head (after a commit, or when a follower saw the log move) and wakes the
    /// subscribers of `headUpdates()`.
    public func publishHead(_ sequence: UInt64) {
        cachedHead.store(sequence, ordering: .releasing)
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(sequence) }
    }

    /// The head read from the storage (for a read-only process beside a writer).
    public func readHead() throws -> UInt64 {
        if isClosed { throw EventLogError.closed }
        return try storage.readHead()
    }

    /// A stream that yields the head sequence now and whenever it moves (newest value only).
    public func headUpdates() -> AsyncStream<UInt64> {
        let (stream, continuation) = AsyncStream<UInt64>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state -> Int? in
            if state.closed { return nil }
            state.nextSubscriberID += 1
            state.subscribers[state.nextSubscriberID] = continuation
            return state.nextSubscriberID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        continuation.yield(head)
        return stream
    }

    /// Calls `body` for each event from `sequence` on, at most `limit` of them, in one short read;
    /// returns the sequence after the last one visited. Checksums are verified unless `verify` is
    /// false; a damaged record throws `corruptRecord` and is never handed out.
    @discardableResult
    public func read(
        from sequence: UInt64, limit: Int, verify: Bool = true, _ body: (EventRecordView) throws -> Void
    ) throws -> UInt64 {
        if isClosed { throw EventLogError.closed }
        var next = max(sequence, 1)
        try storage.readRecords(from: next, limit: limit) { seq, bytes in
            guard seq == next || seq <= horizon.load(ordering: .acquiring) else {
                throw EventLogError.gap(expected: next, found: seq)
            }
            let view = try RecordCodec.decode(sequence: seq, record: bytes, verify: verify)
            try body(view)
            next = seq + 1
        }
        return next
    }

    /// Visits every event from `sequence` to the head in bounded batches (one short read
    /// transaction per batch). Returns the sequence after the last one visited.
    @discardableResult
    public func forEach(
        from sequence: UInt64 = 1, batchSize: Int = 4096, verify: Bool = true, _ body: (EventRecordView) throws -> Void
    ) throws -> UInt64 {
        var next = max(sequence, 1)
        while true {
            let after = try read(from: next, limit: batchSize, verify: verify, body)
            if after == next { return next }
            next = after
        }
    }

    /// The event at `sequence`, or nil when there is none.
    public func record(at sequence: UInt64) throws -> EventRecord? {
        var found: EventRecord?
        try read(from: sequence, limit: 1) { view in
            if view.sequence == sequence { found = view.copy() }
        }
        return found
    }

    /// The sequence of the event with this client id, if it is in the log.
    public func sequence(forEventID id: String) throws -> UInt64? {
        if isClosed { throw EventLogError.closed }
        guard !id.isEmpty, id.utf8.count <= Self.maxEventIDBytes else { return nil }
        return try storage.lookupEventID(id)
    }

    /// A value of the meta database.
    public func meta(_ key: String) throws -> [UInt8]? {
        if isClosed { throw EventLogError.closed }
        return try storage.meta(key)
    }

    /// A stored projection checkpoint.
    public struct Snapshot: Sendable, Equatable {
        /// The last sequence folded into the snapshot.
        public var sequence: UInt64
        /// The projection's snapshot format version.
        public var version: UInt32
        public var bytes: [UInt8]

        public init(sequence: UInt64, version: UInt32, bytes: [UInt8]) {
            self.sequence = sequence
            self.version = version
            self.bytes = bytes
        }

        /// The stored form: sequence and version (little endian), then the bytes.
        var encoded: [UInt8] {
            var value: [UInt8] = []
            value.reserveCapacity(12 + bytes.count)
            RecordCodec.appendLE(sequence, to: &value)
            RecordCodec.appendLE(version, to: &value)
            value.append(contentsOf: bytes)
            return value
        }
    }

    /// The checkpoint stored under `name`, if any.
    public func snapshot(named name: String) throws -> Snapshot? {
        if isClosed { throw EventLogError.closed }
        guard let raw = try storage.snapshot(name), raw.count >= 12 else { return nil }
        return raw.withUnsafeBytes { buffer in
            Snapshot(
                sequence: UInt64(littleEndian: buffer.loadUnaligned(as: UInt64.self)),
                version: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
                bytes: Array(buffer[12...]))
        }
    }

    // MARK: LMDB

    /// The LMDB map size in bytes (0 for another storage).
    public var mapSize: Int { lmdb?.mapSize ?? 0 }
    var env: OpaquePointer { lmdb!.env }
    var eventsDB: UInt32 { lmdb!.eventsDB }
}
