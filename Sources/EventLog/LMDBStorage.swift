import CLMDB
import Foundation
import Synchronization

/// The embedded storage of an event log: one LMDB environment in a directory, holding
/// - `events`: records keyed by a gapless big-endian 64-bit sequence starting at 1,
/// - `event_ids`: client event id → sequence (idempotency index; events without a client id cost nothing),
/// - `meta`: format version, creation time,
/// - `snapshots`: projection checkpoints (name → sequence, version, bytes).
///
/// Reads run in short read transactions (never across an `await`); writes in one write
/// transaction per group. A second process opening the same directory for writing is refused
/// (`EventLogError.directoryLocked`).
final class LMDBStorage: LogStorage, @unchecked Sendable {
    let directory: String
    let options: EventLog.Options
    let env: OpaquePointer
    let eventsDB: MDB_dbi
    let idsDB: MDB_dbi
    let metaDB: MDB_dbi
    let snapshotsDB: MDB_dbi
    let resizeLock = ReadWriteLock()
    private let lockFD: Int32
    private let closed = Atomic<Bool>(false)
    /// Number of stale reader slots cleared at open.
    let staleReadersCleared: Int32

    var location: String { directory }
    var isReadOnly: Bool { options.readOnly }

    init(directory: String, options: EventLog.Options) throws {
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
        if !options.readOnly { Self.reserveLockFile(directory: directory) }
    }

    deinit {
        close()
    }

    /// Allocates the blocks of LMDB's lock file. LMDB sizes it with `ftruncate` (a sparse file)
    /// and writes reader slots through a shared mapping; on a full file system, the first touch
    /// of a page that has no block yet would kill the process with SIGBUS instead of failing.
    private static func reserveLockFile(directory: String) {
        let fd = open(directory + "/lock.mdb", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { Foundation.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return }
        _ = posix_fallocate(fd, 0, info.st_size)
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
                for (k, v) in [("format_version", "\(EventLog.formatVersion)"), ("created_at", "\(now)")] {
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

    func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        resizeLock.withWriteLock {
            mdb_env_close(env)
        }
        if lockFD >= 0 {
            flock(lockFD, LOCK_UN)
            Foundation.close(lockFD)
        }
    }

    var isClosed: Bool { closed.load(ordering: .acquiring) }

    // MARK: Reading

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

    func readHead() throws -> UInt64 {
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

    func readRecords(
        from sequence: UInt64, limit: Int, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try withReadTransaction { txn throws in
            var cursor: OpaquePointer?
            try EventLogError.check(mdb_cursor_open(txn, eventsDB, &cursor), "cursor_open")
            defer { mdb_cursor_close(cursor) }
            var keyValue = RecordCodec.encodeKey(sequence)
            var key = withUnsafeMutableBytes(of: &keyValue) { MDB_val(mv_size: 8, mv_data: $0.baseAddress) }
            var value = MDB_val()
            var rc = mdb_cursor_get(cursor, &key, &value, MDB_SET_RANGE)
            var count = 0
            while rc == 0 && count < limit {
                guard let seq = RecordCodec.decodeKey(UnsafeRawBufferPointer(start: key.mv_data, count: key.mv_size))
                else { throw EventLogError.corruptRecord(sequence: sequence, reason: "a key of \(key.mv_size) bytes") }
                try body(seq, UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size))
                count += 1
                rc = mdb_cursor_get(cursor, &key, &value, MDB_NEXT)
            }
            if rc != 0 && rc != MDB_NOTFOUND { throw EventLogError.lmdbError(rc, "cursor_get") }
        }
    }

    func lookupEventID(_ id: String) throws -> UInt64? {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= EventLog.maxEventIDBytes else { return nil }
        return try withReadTransaction { txn throws in
            try Self.lookupID(txn: txn, dbi: idsDB, bytes: bytes)
        }
    }

    static func lookupID(txn: OpaquePointer, dbi: MDB_dbi, bytes: [UInt8]) throws -> UInt64? {
        guard let value = try get(txn: txn, dbi: dbi, key: bytes), value.count == 8 else { return nil }
        return value.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    func meta(_ key: String) throws -> [UInt8]? {
        try withReadTransaction { txn throws in try Self.get(txn: txn, dbi: metaDB, key: Array(key.utf8)) }
    }

    func snapshot(_ name: String) throws -> [UInt8]? {
        try withReadTransaction { txn throws in try Self.get(txn: txn, dbi: snapshotsDB, key: Array(name.utf8)) }
    }

    private static func get(txn: OpaquePointer, dbi: MDB_dbi, key: [UInt8]) throws -> [UInt8]? {
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

    // MARK: Writing

    func beginGroup() throws -> any StorageGroup {
        guard !options.readOnly else { throw EventLogError.readOnly }
        if isClosed { throw EventLogError.closed }
        var txnPointer: OpaquePointer?
        try EventLogError.check(mdb_txn_begin(env, nil, 0, &txnPointer), "txn_begin(write)")
        guard let txn = txnPointer else { throw EventLogError.closed }
        return LMDBGroup(storage: self, txn: txn)
    }

    func makeRoom(force: Bool) throws {
        if !force {
            let (used, size) = mapUsage()
            guard used > size / 4 * 3 else { return }
        }
        do {
            try growMap()
        } catch let error as EventLogError where !error.isStorageUnavailable {
            throw EventLogError.storageFull(
                operation: "growing the map beyond \(mapSize) bytes", code: MDB_MAP_FULL, message: "\(error)")
        }
    }

    /// LMDB reports a short write as `EIO`; on a file system with no space left that is a full disk.
    func classifyCommitFailure(_ error: any Error) -> any Error {
        guard case .storageFailed(let operation, let code, _)? = error as? EventLogError, code == EIO else {
            return error
        }
        var fs = statvfs()
        guard statvfs(directory, &fs) == 0, UInt64(fs.f_bavail) * UInt64(fs.f_frsize) < 1 << 20 else {
            return error
        }
        return EventLogError.storageFull(
            operation: operation, code: ENOSPC, message: "No space left on device, a short write")
    }

    // MARK: Map size

    var sizeInBytes: Int? { mapSize }

    /// Current map size in bytes.
    var mapSize: Int {
        var info = MDB_envinfo()
        mdb_env_info(env, &info)
        return info.me_mapsize
    }

    /// The used part of the map and its size, in bytes.
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

/// One LMDB write transaction.
private final class LMDBGroup: StorageGroup {
    let storage: LMDBStorage
    let txn: OpaquePointer
    private var open = true

    init(storage: LMDBStorage, txn: OpaquePointer) {
        self.storage = storage
        self.txn = txn
    }

    deinit {
        abort()
    }

    func lookupEventID(_ id: String) throws -> UInt64? {
        let bytes = Array(id.utf8)
        guard !bytes.isEmpty, bytes.count <= EventLog.maxEventIDBytes else { return nil }
        return try LMDBStorage.lookupID(txn: txn, dbi: storage.idsDB, bytes: bytes)
    }

    func append(sequence: UInt64, eventID: String?, record: [UInt8]) throws {
        try putRecord(sequence: sequence, record: record)
        if let eventID, try !index(eventID, at: sequence) {
            throw EventLogError.lmdbError(MDB_KEYEXIST, "put(event id of \(sequence))")
        }
    }

    func importRecord(sequence: UInt64, eventID: String?, record: [UInt8]) throws {
        try putRecord(sequence: sequence, record: record)
        if let eventID, try !index(eventID, at: sequence) {
            throw EventLogImportError.duplicateEventID(id: eventID, sequence: sequence)
        }
    }

    /// Indexes a client id; false when the index holds it already.
    private func index(_ eventID: String, at sequence: UInt64) throws -> Bool {
        let rc = LMDBStorage.putBytes(
            txn: txn, dbi: storage.idsDB, key: Array(eventID.utf8),
            value: withUnsafeBytes(of: sequence.bigEndian) { Array($0) }, flags: UInt32(MDB_NOOVERWRITE))
        if rc == MDB_KEYEXIST { return false }
        try EventLogError.check(rc, "put(event id of \(sequence))")
        return true
    }

    private func putRecord(sequence: UInt64, record: [UInt8]) throws {
        var key = RecordCodec.encodeKey(sequence)
        let rc = withUnsafeMutableBytes(of: &key) { k in
            record.withUnsafeBytes { v in
                var kv = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                var vv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                return mdb_put(txn, storage.eventsDB, &kv, &vv, UInt32(MDB_APPEND))
            }
        }
        try EventLogError.check(rc, "put(event \(sequence))")
    }

    func putMeta(_ key: String, _ value: [UInt8]) throws {
        try EventLogError.check(
            LMDBStorage.putBytes(txn: txn, dbi: storage.metaDB, key: Array(key.utf8), value: value, flags: 0),
            "put(meta \(key))")
    }

    func putSnapshot(_ name: String, _ value: [UInt8]) throws {
        try EventLogError.check(
            LMDBStorage.putBytes(txn: txn, dbi: storage.snapshotsDB, key: Array(name.utf8), value: value, flags: 0),
            "put(snapshot)")
    }

    func removeEvent(_ sequence: UInt64) throws {
        let storage = self.storage
        var keyValue = RecordCodec.encodeKey(sequence)
        let rc = withUnsafeMutableBytes(of: &keyValue) { k -> Int32 in
            var key = MDB_val(mv_size: 8, mv_data: k.baseAddress)
            var value = MDB_val()
            var rc = mdb_get(txn, storage.eventsDB, &key, &value)
            if rc == MDB_NOTFOUND { return 0 }
            guard rc == 0 else { return rc }
            if let view = try? RecordCodec.decode(
                sequence: sequence, record: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size),
                verify: false), view.clientEventIDBytes.count > 0
            {
                var idKey = MDB_val(
                    mv_size: view.clientEventIDBytes.count,
                    mv_data: UnsafeMutableRawPointer(mutating: view.clientEventIDBytes.baseAddress))
                // Only when the index still points at this event.
                var indexed = MDB_val()
                rc = mdb_get(txn, storage.idsDB, &idKey, &indexed)
                if rc == 0, indexed.mv_size == 8,
                    UInt64(bigEndian: UnsafeRawPointer(indexed.mv_data!).loadUnaligned(as: UInt64.self)) == sequence
                {
                    rc = mdb_del(txn, storage.idsDB, &idKey, nil)
                }
                guard rc == 0 || rc == MDB_NOTFOUND else { return rc }
            }
            return mdb_del(txn, storage.eventsDB, &key, nil)
        }
        try EventLogError.check(rc, "del(event \(sequence))")
    }

    func commit() throws {
        guard open else { throw EventLogError.closed }
        open = false
        try EventLogError.check(mdb_txn_commit(txn), "txn_commit")
    }

    func abort() {
        guard open else { return }
        open = false
        mdb_txn_abort(txn)
    }
}
