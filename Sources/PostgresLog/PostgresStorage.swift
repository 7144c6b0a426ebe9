import EventLog
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The log kept in PostgreSQL, for several nodes: the same records (the bytes `EventLog` encodes,
/// with their checksums), gapless sequences, client-id index, meta values and snapshots as the
/// LMDB storage, in four tables the storage creates and migrates itself.
///
/// The `LogStorage` calls are synchronous (the log's readers and its writer thread call them), so
/// each waits for postgres-nio's future on the calling thread; the connections run on NIO's own
/// event loops, never on the tasks of Swift concurrency, so a waiting caller cannot starve them.
///
/// Writing needs the writer's lock: a session-level advisory lock held by the writer's own
/// connection. Only the node holding it appends (each group in one transaction, with a NOTIFY so
/// followers wake); when that connection is lost, the lock is gone with it, and the next group
/// first takes it again (or fails with `writerLockHeld` when another node took it).
public final class PostgresStorage: LogStorage, @unchecked Sendable {
    /// The schema this build creates and reads; a database with a newer one is refused.
    public static let schemaVersion = 2
    /// The advisory lock key of the writer (one decider at a time).
    public static let writerLockKey: Int64 = 0x6D65_7472_6963_7301
    /// The advisory lock key that serializes schema migrations of nodes starting together.
    static let migrationLockKey: Int64 = 0x6D65_7472_6963_7302
    /// The channel NOTIFY wakes followers on, with the new head as payload.
    public static let notifyChannel = "metrics_log"
    /// Idle read connections kept open; more are opened while more readers run at once.
    static let maximumIdleReadConnections = 8

    public let url: PostgresURL
    public let isReadOnly: Bool
    public var location: String { url.description }
    let logger: Logger
    private let closed = Atomic<Bool>(false)
    private let idleReaders = Mutex<[PostgresConnection]>([])
    /// The writer's connection, holding the advisory lock (writer thread only, and `close`).
    private let writerConnection = Mutex<PostgresConnection?>(nil)
    private let connectionCount = Atomic<Int>(0)

    /// Connects, creates or migrates the schema (unless `readOnly`), and — unless `readOnly` or
    /// `takeWriterLock` is false — takes the writer's lock (`writerLockHeld` when another node has it).
    public init(url: PostgresURL, readOnly: Bool = false, takeWriterLock: Bool = true, logger: Logger) throws {
        self.url = url
        self.isReadOnly = readOnly
        self.logger = logger
        try withReader { connection in
            if readOnly {
                try self.checkSchema(connection)
            } else {
                try self.migrate(connection)
            }
        }
        if !readOnly && takeWriterLock {
            guard try tryBecomeWriter() else { throw EventLogError.writerLockHeld(location: location) }
        }
    }

    deinit {
        close()
    }

    // MARK: Connections

    private func connect() throws -> PostgresConnection {
        if closed.load(ordering: .acquiring) { throw EventLogError.closed }
        let id = connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: url.configuration, id: id,
                logger: logger
            ).wait()
        } catch {
            throw EventLogError.unavailable(
                operation: "connecting to \(location)", message: Self.describe(error))
        }
    }

    /// Runs `body` with a read connection from the idle set (or a new one).
    func withReader<R>(_ body: (PostgresConnection) throws -> R) throws -> R {
        let connection = try idleReaders.withLock { $0.popLast() } ?? connect()
        defer {
            if connection.isClosed || closed.load(ordering: .acquiring) {
                try? connection.close().wait()
            } else {
                let kept = idleReaders.withLock { idle -> Bool in
                    guard idle.count < Self.maximumIdleReadConnections else { return false }
                    idle.append(connection)
                    return true
                }
                if !kept { try? connection.close().wait() }
            }
        }
        return try body(connection)
    }

    /// Takes the writer's lock when this node does not hold it: true when it holds it now.
    /// The lock lives as long as the connection that took it (the writer's); this node then
    /// writes until a statement on that connection fails (`isWriter` turns false, for good, until
    /// the lock is taken again here — after the caller brought its state up to the log's head).
    public func tryBecomeWriter() throws -> Bool {
        if isWriter { return true }
        let connection = try connect()
        let held: Bool
        do {
            let rows = try Self.run(
                connection, "SELECT pg_try_advisory_lock(\(Self.writerLockKey))", "take the writer's lock")
            held = try rows.first?.decode(Bool.self) ?? false
        } catch {
            try? connection.close().wait()
            throw error
        }
        guard held else {
            try? connection.close().wait()
            return false
        }
        writerConnection.withLock { $0 = connection }
        return true
    }

    /// Whether this node holds the writer's lock (as far as it knows: a session lost without a
    /// word is found by the next statement on it).
    public var isWriter: Bool {
        writerConnection.withLock { $0 != nil }
    }

    /// Checks the writer's session with a round trip; when it is gone, so is the lock: `isWriter`
    /// turns false. For the node's leadership loop, which runs it between groups.
    public func checkWriterSession() {
        guard let connection = writerConnection.withLock({ $0 }) else { return }
        do {
            try Self.run(connection, "SELECT 1", "check the writer's session")
        } catch {
            forgetWriter(connection)
        }
    }

    /// The writer's connection; `writerLockHeld` when this node does not hold the lock.
    func writer() throws -> PostgresConnection {
        guard let connection = writerConnection.withLock({ $0 }) else {
            throw EventLogError.writerLockHeld(location: location)
        }
        return connection
    }

    /// Runs one statement and waits for its rows; errors become `EventLogError.unavailable`
    /// naming `operation` (server errors with their SQLSTATE).
    @discardableResult
    static func run(_ connection: PostgresConnection, _ query: PostgresQuery, _ operation: String) throws
        -> [PostgresRow]
    {
        do {
            return try wait(for: send(query, on: connection), on: connection).rows
        } catch {
            throw translate(error, operation)
        }
    }

    /// Sends a query. A connection that is already closed fails at once: postgres-nio hands a
    /// query to a closed channel without a promise to fail, so its answer would never come.
    static func send(_ query: PostgresQuery, on connection: PostgresConnection) -> EventLoopFuture<PostgresQueryResult>
    {
        guard !connection.isClosed else {
            return connection.eventLoop.makeFailedFuture(
                EventLogError.unavailable(operation: "send a query", message: "the connection is closed"))
        }
        return connection.query(query, logger: Logger(label: "postgres-log"))
    }

    /// How long a statement may take before its connection is given up (closed, so its
    /// transaction rolls back): a safety net for a connection that died without a word (the
    /// race above, a silent network), far above any statement this storage sends.
    static let statementTimeout = TimeAmount.seconds(60)

    /// Waits for `future`; after `statementTimeout` the connection is closed and the wait fails.
    static func wait<Value: Sendable>(
        for future: EventLoopFuture<Value>, on connection: PostgresConnection
    ) throws -> Value {
        let promise = connection.eventLoop.makePromise(of: Value.self)
        future.cascade(to: promise)
        let timer = connection.eventLoop.scheduleTask(in: statementTimeout) {
            promise.fail(
                EventLogError.unavailable(
                    operation: "wait for the database",
                    message: "no answer within \(statementTimeout.nanoseconds / 1_000_000_000) s"))
            _ = connection.close() as EventLoopFuture<Void>
        }
        defer { timer.cancel() }
        return try promise.futureResult.wait()
    }

    static func translate(_ error: any Error, _ operation: String) -> any Error {
        if error is EventLogError || error is EventLogImportError { return error }
        return EventLogError.unavailable(operation: operation, message: describe(error))
    }

    /// A PostgreSQL error in words (postgres-nio's own description hides the server's message).
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            return "\(info[.sqlState] ?? "?"): \(info[.message] ?? "")"
        }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }

    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let connections = idleReaders.withLock { idle in
            defer { idle = [] }
            return idle
        }
        for connection in connections { try? connection.close().wait() }
        if let connection = writerConnection.withLock({ $0.take() }) { try? connection.close().wait() }
    }

    /// After a failed statement of a group: the session may be gone, and the lock with it, so this
    /// node stops writing at once (`isWriter` is false until `tryBecomeWriter` takes it again).
    func forgetWriter(_ connection: PostgresConnection) {
        let forgotten = writerConnection.withLock { current -> Bool in
            guard current === connection else { return false }
            current = nil
            return true
        }
        if forgotten { try? connection.close().wait() }
    }

    /// Gives the writer's lock up (closes its session).
    public func resignWriter() {
        if let connection = writerConnection.withLock({ $0.take() }) { try? connection.close().wait() }
    }

    /// Records this node as the leader, at `address` (on the writer's connection: only the lock's
    /// holder does this).
    public func announceLeader(address: String) throws {
        let connection = try writer()
        do {
            try Self.run(connection, "BEGIN", "announce the leader")
            try Self.run(connection, "UPDATE nodes SET role = 'follower' WHERE role = 'leader'", "announce the leader")
            try Self.run(
                connection,
                """
                INSERT INTO nodes (address, role) VALUES (\(address), 'leader')
                ON CONFLICT (address) DO UPDATE SET role = 'leader', announced_at = now()
                """, "announce the leader")
            try Self.run(connection, "COMMIT", "announce the leader")
        } catch {
            forgetWriter(connection)
            throw error
        }
    }

    /// The address the current leader announced (nil when none did).
    public func leaderAddress() throws -> String? {
        try withReader { connection in
            let rows = try Self.run(
                connection, "SELECT address FROM nodes WHERE role = 'leader' ORDER BY announced_at DESC LIMIT 1",
                "find the leader")
            return try rows.first?.decode(String.self)
        }
    }

    /// LISTENs for commits on a connection of its own and calls `body` with each new head, until
    /// the connection fails (thrown) or the task is cancelled (returns).
    public func listen(_ body: @Sendable (UInt64) -> Void) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: url.configuration,
                id: connectionCount.wrappingAdd(1, ordering: .relaxed).newValue, logger: logger)
        } catch {
            throw EventLogError.unavailable(operation: "connecting to \(location)", message: Self.describe(error))
        }
        do {
            try await connection.listen(on: Self.notifyChannel) { notifications in
                for try await notification in notifications {
                    if let head = UInt64(notification.payload) { body(head) }
                }
            }
        } catch {
            try? await connection.close()
            if Task.isCancelled { return }
            throw EventLogError.unavailable(operation: "listening for commits", message: Self.describe(error))
        }
        try? await connection.close()
    }

    /// Runs one statement on a connection of its own (for setup and tests).
    public static func execute(_ url: PostgresURL, _ sql: String, logger: Logger) throws {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(), configuration: url.configuration, id: 0, logger: logger
            ).wait()
        } catch {
            throw EventLogError.unavailable(operation: "connecting to \(url)", message: describe(error))
        }
        defer { _ = try? connection.close().wait() }
        try run(connection, PostgresQuery(unsafeSQL: sql), "run a statement")
    }

    // MARK: Reading

    public func readHead() throws -> UInt64 {
        try withReader { connection in
            let rows = try Self.run(connection, "SELECT max(sequence) FROM events", "read the head")
            return UInt64(try rows.first?.decode(Int64?.self) ?? 0)
        }
    }

    public func readRecords(
        from sequence: UInt64, limit: Int, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let rows = try withReader { connection in
            try Self.run(
                connection,
                """
                SELECT sequence, record FROM events WHERE sequence >= \(Int64(clamping: sequence))
                ORDER BY sequence LIMIT \(Int64(limit))
                """, "read events from \(sequence)")
        }
        for row in rows {
            let (stored, record) = try row.decode((Int64, ByteBuffer).self)
            try record.withUnsafeReadableBytes { bytes in try body(UInt64(stored), bytes) }
        }
    }

    public func lookupEventID(_ id: String) throws -> UInt64? {
        try withReader { connection in try Self.lookup(id, on: connection) }
    }

    static func lookup(_ id: String, on connection: PostgresConnection) throws -> UInt64? {
        let rows = try run(connection, "SELECT sequence FROM events WHERE event_id = \(id)", "look up an event id")
        return try rows.first.map { UInt64(try $0.decode(Int64.self)) }
    }

    public func meta(_ key: String) throws -> [UInt8]? {
        try withReader { connection in
            let rows = try Self.run(connection, "SELECT value FROM meta WHERE key = \(key)", "read meta \(key)")
            return try rows.first.map { Array(buffer: try $0.decode(ByteBuffer.self)) }
        }
    }

    public func snapshot(_ name: String) throws -> [UInt8]? {
        try withReader { connection in
            let rows = try Self.run(
                connection, "SELECT value FROM snapshots WHERE name = \(name)", "read snapshot \(name)")
            return try rows.first.map { Array(buffer: try $0.decode(ByteBuffer.self)) }
        }
    }

    /// Removes every event, id and snapshot, and the retention horizon: for an import that failed
    /// into a log that was empty before it (the caller holds the writer's lock).
    public func removeEverything() throws {
        let connection = try writer()
        do {
            try Self.run(connection, "BEGIN", "empty the log")
            try Self.run(connection, "TRUNCATE events, snapshots", "empty the log")
            try Self.run(
                connection, "DELETE FROM meta WHERE key NOT IN ('format_version', 'created_at')", "empty the log")
            try Self.run(connection, "COMMIT", "empty the log")
        } catch {
            forgetWriter(connection)
            throw error
        }
    }

    // MARK: Writing

    public func beginGroup() throws -> any StorageGroup {
        guard !isReadOnly else { throw EventLogError.readOnly }
        if closed.load(ordering: .acquiring) { throw EventLogError.closed }
        return PostgresGroup(storage: self, connection: try writer())
    }
}
