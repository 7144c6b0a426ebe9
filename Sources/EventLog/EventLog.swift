import CLMDB
import Foundation
import Synchronization

/// The append-only event log: one LMDB environment in a directory, holding
/// - `events`: records keyed by a gapless big-endian 64-bit sequence starting at 1,
/// - `event_ids`: client event id → sequence (idempotency index; events without a client id cost nothing),
/// - `meta`: format version, creation time,
/// - `snapshots`: projection checkpoints (name → sequence, version, bytes).
///
/// Reads run in short read transactions (never across an `await`); all writes go through the
/// single `EventWriter` of the process. A second process opening the same directory for writing
/// is refused (`EventLogError.directoryLocked`).
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

    public let directory: String
    public let options: Options
    let env: OpaquePointer
    let eventsDB: MDB_dbi
    let idsDB: MDB_dbi
    let metaDB: MDB_dbi
    let snapshotsDB: MDB_dbi
    let resizeLock = ReadWriteLock()
    private let lockFD: Int32
    private let cachedHead = Atomic<UInt64>(0)
    /// Sequences below this one may be missing: retention removed them (0 while it never ran).
    let horizon = Atomic<UInt64>(0)
    private let state = Mutex<LogState>(LogState())
    /// Number of stale reader slots cleared at open.
    public let staleReadersCleared: Int32

    private struct LogState {
        var closed = false
        var nextSubscriberID = 0
        var subscribers: [Int: AsyncStream<UInt64>.Continuation] = [:]
    }

    /// Opens (creating when needed) the log in `directory`.
    public init(directory: String, options: Options = Options()) throws {
        self.directory = directory
        self.options = options
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) {
            if options.readOnly {
                throw EventLogError.directoryUnavailable(path: directory, reason: "it does not exist")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw EventLogError.directoryUnavailable(path: directory, reason: "\(error)")
            }
        } else if !isDir.boolValue {
            throw EventLogError.directoryUnavailable(path: directory, reason: "it is not a directory")
        }
        if options.readOnly {
            guard FileManager.default.fileExists(atPath: directory + "/data.mdb") else {
                throw EventLogError.directoryUnavailable(path: directory, reason: "it holds no event log")
            }
            lockFD = -1
        } else {
            lockFD = open(directory + "/writer.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
            guard lockFD >= 0 else {
                throw EventLogError.directoryUnavailable(path: directory, reason: String(cString: strerror(errno)))
            }
            if flock(lockFD, LOCK_EX | LOCK_NB) != 0 {
                Foundation.close(lockFD)
                throw EventLogError.directoryLocked(path: directory)
            }
        }
        var envPointer: OpaquePointer?
        let rc = mdb_env_create(&envPointer)
        guard rc == 0, let env = envPointer else {
            if lockFD >= 0 { Foundation.close(lockFD) }
            throw EventLogError.lmdbError(rc, "env_create")
        }
        self.env = env
        do {
            try EventLogError.check(mdb_env_set_maxdbs(env, 8), "env_set_maxdbs")
            try EventLogError.check(mdb_env_set_maxreaders(env, options.maxReaders), "env_set_maxreaders")
            try EventLogError.check(mdb_env_set_mapsize(env, options.initialMapSize), "env_set_mapsize")
            var flags = UInt32(MDB_NOTLS)
            if options.durability == .relaxed { flags |= UInt32(MDB_NOMETASYNC) }
            if options.readOnly { flags |= UInt32(MDB_RDONLY) }
            try EventLogError.check(mdb_env_open(env, directory, flags, 0o644), "env_open")
            var dead: Int32 = 0
            try EventLogError.check(mdb_reader_check(env, &dead), "reader_check")
            staleReadersCleared = dead
            let dbs = try Self.openDatabases(env: env, readOnly: options.readOnly)
            (eventsDB, idsDB, metaDB, snapshotsDB) = dbs
        } catch {
            mdb_env_close(env)
            if lockFD >= 0 { Foundation.close(lockFD) }
            throw error
        }
        do {
            try checkFormat()
            cachedHead.store(try readHead(), ordering: .releasing)
            horizon.store(try readRetentionHorizon(), ordering: .releasing)
        } catch {
            mdb_env_close(env)
            if lockFD >= 0 { Foundation.close(lockFD) }
            throw error
        }
    }

    deinit {
        close()
    }

    private static func openDatabases(
        env: OpaquePointer, readOnly: Bool
    ) throws -> (MDB_dbi, MDB_dbi, MDB_dbi, MDB_dbi) {
        var txn: OpaquePointer?
        try EventLogError.check(mdb_txn_begin(env, nil, readOnly ? UInt32(MDB_RDONLY) : 0, &txn), "txn_begin")
        let create = readOnly ? 0 : UInt32(MDB_CREATE)
        var handles: [MDB_dbi] = []
        for name in ["events", "event_ids", "meta", "snapshots"] {
            var dbi: MDB_dbi = 0
            let rc = mdb_dbi_open(txn, name, create, &dbi)
            if rc != 0 {
                mdb_txn_abort(txn)
                throw EventLogError.lmdbError(rc, "dbi_open(\(name))")
            }
            handles.append(dbi)
        }
        if !readOnly {
            var key = MDB_val(mv_size: 14, mv_data: nil)
            var value = MDB_val()
            let existing = "format_version".withCString { ptr -> Int32 in
                key = MDB_val(mv_size: 14, mv_data: UnsafeMutableRawPointer(mutating: ptr))
                return mdb_get(txn, handles[2], &key, &value)
            }
            if existing == MDB_NOTFOUND {
                let now = Int64(Date().timeIntervalSince1970 * 1_000_000)
                for (k, v) in [("format_version", "\(formatVersion)"), ("created_at", "\(now)")] {
                    let rc = putBytes(txn: txn!, dbi: handles[2], key: Array(k.utf8), value: Array(v.utf8), flags: 0)
                    if rc != 0 {
                        mdb_txn_abort(txn)
                        throw EventLogError.lmdbError(rc, "put(meta)")
                    }
                }
            }
        }
        try EventLogError.check(mdb_txn_commit(txn), "txn_commit")
        return (handles[0], handles[1], handles[2], handles[3])
    }

    private func checkFormat() throws {
        guard let raw = try meta("format_version") else { return }
        let text = String(decoding: raw, as: UTF8.self)
        guard let version = Int(text), version <= Self.formatVersion else {
            throw EventLogError.unsupportedFormat(found: text)
        }
    }

    /// Closes the environment; later calls fail with `closed`. Subscribers' streams finish.
    public func close() {
        let subscribers = state.withLock { state -> [AsyncStream<UInt64>.Continuation]? in
            if state.closed { return nil }
            state.closed = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        guard let subscribers else { return }
        for subscriber in subscribers { subscriber.finish() }
        resizeLock.withWriteLock {
            mdb_env_close(env)
        }
        if lockFD >= 0 {
            flock(lockFD, LOCK_UN)
            Foundation.close(lockFD)
        }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    // MARK: Reading

    /// The sequence of the last event (0 for an empty log).
    public var head: UInt64 {
        if options.readOnly { return (try? readHead()) ?? cachedHead.load(ordering: .acquiring) }
        return cachedHead.load(ordering: .acquiring)
    }

    func publishHead(_ sequence: UInt64) {
        cachedHead.store(sequence, ordering: .releasing)
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(sequence) }
    }

    /// The head read from LMDB (for a read-only process beside a writer).
    public func readHead() throws -> UInt64 {
        try withReadTransaction { txn throws in
            var cursor: OpaquePointer?
            try EventLogError.check(mdb_cursor_open(txn, eventsDB, &cursor), "cursor_open")
            defer { mdb_cursor_close(cursor) }
            var key = MDB_val()
            var value = MDB_val()
            let rc = mdb_cursor_get(cursor, &key, &value, MDB_LAST)
            if rc == MDB_NOTFOUND { return 0 }
            try EventLogError.check(rc, "cursor_get(last)")
            guard let seq = RecordCodec.decodeKey(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size)) else {
                throw EventLogError.corruptRecord(sequence: 0, reason: "a key of \(key.mv_size) bytes")
            }
            return seq
        }
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

    /// Runs `body` inside a short read-only transaction.
    func withReadTransaction<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        while true {
            var resized = false
            let result: R? = try resizeLock.withReadLock { () throws -> R? in
                if isClosed { throw EventLogError.closed }
                var txn: OpaquePointer?
                let rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
                if rc == MDB_MAP_RESIZED {
                    resized = true
                    return nil
                }
                try EventLogError.check(rc, "txn_begin(read)")
                defer { mdb_txn_abort(txn) }
                return try body(txn!)
            }
            if let result { return result }
            if resized {
                // Another process grew the map: adopt its size, then retry.
                try resizeLock.withWriteLock { () throws in
                    try EventLogError.check(mdb_env_set_mapsize(env, 0), "env_set_mapsize(adopt)")
                }
            }
        }
    }

    /// Calls `body` for each event from `sequence` on, at most `limit` of them, inside one short
    /// read transaction; returns the sequence after the last one visited. Checksums are verified
    /// unless `verify` is false; a damaged record throws `corruptRecord` and is never handed out.
    @discardableResult
    public func read(
        from sequence: UInt64, limit: Int, verify: Bool = true, _ body: (EventRecordView) throws -> Void
    ) throws -> UInt64 {
        var next = max(sequence, 1)
        try withReadTransaction { txn throws in
            var cursor: OpaquePointer?
            try EventLogError.check(mdb_cursor_open(txn, eventsDB, &cursor), "cursor_open")
            defer { mdb_cursor_close(cursor) }
            var keyValue = RecordCodec.encodeKey(next)
            var key = withUnsafeMutableBytes(of: &keyValue) { MDB_val(mv_size: 8, mv_data: $0.baseAddress) }
            var value = MDB_val()
            var rc = mdb_cursor_get(cursor, &key, &value, MDB_SET_RANGE)
            var count = 0
            while rc == 0 && count < limit {
                guard let seq = RecordCodec.decodeKey(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size))
                else { throw EventLogError.corruptRecord(sequence: next, reason: "a key of \(key.mv_size) bytes") }
                guard seq == next || seq <= horizon.load(ordering: .acquiring) else {
                    throw EventLogError.gap(expected: next, found: seq)
                }
                let view = try RecordCodec.decode(
                    sequence: seq, record: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size),
                    verify: verify)
                try body(view)
                next = seq + 1
                count += 1
                rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            if rc != 0 && rc != MDB_NOTFOUND { throw EventLogError.lmdbError(rc, "cursor_get") }
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
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= Self.maxEventIDBytes else { return nil }
        return try withReadTransaction { txn throws in
            try Self.lookupID(txn: txn, dbi: idsDB, bytes: bytes)
        }
    }

    static func lookupID(txn: OpaquePointer, dbi: MDB_dbi, bytes: [UInt8]) throws -> UInt64? {
        var value = MDB_val()
        let rc = bytes.withUnsafeBytes { raw -> Int32 in
            var key = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(txn, dbi, &key, &value)
        }
        if rc == MDB_NOTFOUND { return nil }
        try EventLogError.check(rc, "get(event_ids)")
        guard value.mv_size == 8 else { return nil }
        return UInt64(bigEndian: UnsafeRawPointer(value.mv_data!).loadUnaligned(as: UInt64.self))
    }

    /// A value of the meta database.
    public func meta(_ key: String) throws -> [UInt8]? {
        try withReadTransaction { txn throws in try get(txn: txn, dbi: metaDB, key: Array(key.utf8)) }
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
    }

    /// The checkpoint stored under `name`, if any.
    public func snapshot(named name: String) throws -> Snapshot? {
        let raw = try withReadTransaction { txn throws in
            try get(txn: txn, dbi: snapshotsDB, key: Array(name.utf8))
        }
        guard let raw, raw.count >= 12 else { return nil }
        return raw.withUnsafeBytes { buffer in
            Snapshot(
                sequence: UInt64(littleEndian: buffer.loadUnaligned(as: UInt64.self)),
                version: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
                bytes: Array(buffer[12...]))
        }
    }

    private func get(txn: OpaquePointer, dbi: MDB_dbi, key: [UInt8]) throws -> [UInt8]? {
        var value = MDB_val()
        let rc = key.withUnsafeBytes { raw -> Int32 in
            var k = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(txn, dbi, &k, &value)
        }
        if rc == MDB_NOTFOUND { return nil }
        try EventLogError.check(rc, "get")
        return Array(UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
    }

    static func putBytes(txn: OpaquePointer, dbi: MDB_dbi, key: [UInt8], value: [UInt8], flags: UInt32) -> Int32 {
        key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                var vv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                return mdb_put(txn, dbi, &kv, &vv, flags)
            }
        }
    }

    // MARK: Map size

    /// Current map size in bytes.
    public var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_mapsize
    }

    /// Whether the used part of the map exceeds `fraction` of it.
    func mapUsage() -> (used: Int, size: Int) {
        var info = MDB_envinfo()
        var stat = MDB_stat()
        mdb_env_info(env, &info)
        mdb_env_stat(env, &stat)
        return ((info.me_last_pgno + 1) * Int(stat.ms_psize), info.me_mapsize)
    }

    /// Doubles the map (at least to `minimum` bytes). Must be called with no transaction open in this process.
    func growMap(minimum: Int = 0) throws {
        try resizeLock.withWriteLock { () throws in
            let current = mapSize
            let target = max(current * 2, minimum)
            try EventLogError.check(mdb_env_set_mapsize(env, target), "env_set_mapsize(grow)")
        }
    }
}
