/// Where the records of an `EventLog` live: LMDB in a local directory (`LMDBStorage`, the
/// default), or a database shared by several nodes (PostgreSQL, in the `PostgresLog` module).
///
/// A storage keeps bytes only: each event's record exactly as `RecordCodec` encodes it (with its
/// checksum, which covers the sequence), the index from client event id to sequence, the meta
/// values and the snapshots. The log above it checks checksums and gaps, keeps the head and
/// wakes subscribers; the single `EventWriter` writes through `beginGroup()`, one group (one
/// transaction, one durable commit) at a time.
public protocol LogStorage: AnyObject, Sendable {
    /// Where the log is, for messages: a directory, or a database URL without its password.
    var location: String { get }
    /// Opened for reading only: `beginGroup()` throws `EventLogError.readOnly`.
    var isReadOnly: Bool { get }
    /// The last stored sequence (0 when there is none), read from the storage.
    func readHead() throws -> UInt64
    /// Calls `body` with the sequence and stored bytes of each record from `sequence` on, in
    /// order, at most `limit` of them. The bytes are valid only during the call.
    func readRecords(
        from sequence: UInt64, limit: Int, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws
    /// The sequence of the stored event with this client id.
    func lookupEventID(_ id: String) throws -> UInt64?
    /// A value of the meta table.
    func meta(_ key: String) throws -> [UInt8]?
    /// The stored bytes of a snapshot.
    func snapshot(_ name: String) throws -> [UInt8]?
    /// Starts a write group; only the log's single writer (or an import with no writer) calls it,
    /// one group at a time.
    func beginGroup() throws -> any StorageGroup
    /// Called before each group: room to make (LMDB grows its map when it is three quarters
    /// full). `StorageGroup` throws an error with `needsRoom` when it ran out of it; the writer
    /// then calls `makeRoom(force: true)` and retries the whole group.
    func makeRoom(force: Bool) throws
    /// Turns a failed commit's error into the one to report (LMDB: a short write on a full disk
    /// is `storageFull`).
    func classifyCommitFailure(_ error: any Error) -> any Error
    /// Stops serving; later calls fail with `EventLogError.closed`.
    func close()
    /// The storage's own size in bytes, when it has one to report (LMDB's map size).
    var sizeInBytes: Int? { get }
}

extension LogStorage {
    public func makeRoom(force: Bool) throws {}
    public func classifyCommitFailure(_ error: any Error) -> any Error { error }
    public var sizeInBytes: Int? { nil }
}

/// One write transaction: everything put into it is stored together by `commit()`, or nothing
/// is (`abort()`, or an error). Lookups see what was put earlier in the same group.
public protocol StorageGroup: AnyObject {
    /// The client ids the group's requests may look up, so a remote storage can fetch them in one
    /// round trip before any is asked for; storages that look up locally ignore it.
    func prefetchEventIDs(_ ids: [String]) throws
    func lookupEventID(_ id: String) throws -> UInt64?
    /// Stores one record under `sequence` (the head + 1 of the group so far) and indexes its client id.
    func append(sequence: UInt64, eventID: String?, record: [UInt8]) throws
    /// Stores a record that an import brings; a client id already stored throws
    /// `EventLogImportError.duplicateEventID`.
    func importRecord(sequence: UInt64, eventID: String?, record: [UInt8]) throws
    func putMeta(_ key: String, _ value: [UInt8]) throws
    func putSnapshot(_ name: String, _ value: [UInt8]) throws
    /// Removes the event at `sequence` and its client id from the index (when the index still
    /// points at it); an event already gone is skipped.
    func removeEvent(_ sequence: UInt64) throws
    func commit() throws
    func abort()
}

extension StorageGroup {
    public func prefetchEventIDs(_ ids: [String]) throws {}
}
