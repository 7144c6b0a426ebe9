import EventLog
import Foundation
import Logging
import PostgresLog

/// Where a service's log is kept: LMDB in its data directory (the default), or the PostgreSQL
/// database of `store` (`--store postgres://…`, or `METRICS_STORE`), shared by several nodes. The
/// data directory holds the service's local files either way (retention archives, reports).
public struct LogStore: Sendable, CustomStringConvertible {
    public var dataDirectory: String
    /// A PostgreSQL URL (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, or `…?host=/socket/dir`);
    /// nil for LMDB.
    public var postgres: PostgresURL?

    public init(dataDirectory: String, store: String? = nil) throws {
        self.dataDirectory = dataDirectory
        if let store, !store.isEmpty {
            guard PostgresURL.isPostgres(store) else {
                throw ReplayError(
                    "--store takes a PostgreSQL URL (postgres://USER@HOST:PORT/DB or postgres://USER@/DB?host=/socket/dir), "
                        + "got \(PostgresURL.redact(store)); the LMDB log is chosen with --data-dir")
            }
            do {
                postgres = try PostgresURL(store)
            } catch {
                throw ReplayError("--store: \(error)")
            }
        } else {
            postgres = nil
        }
    }

    /// The log's place for messages: the directory, or the URL without its password.
    public var description: String { postgres?.description ?? dataDirectory }

    /// Opens the log. Writable opens of PostgreSQL create or migrate its schema and take the
    /// writer's lock; read-only opens need an existing log.
    /// A node of a cluster opens it with `takeWriterLock: false` and takes the lock when it is free.
    public func open(
        readOnly: Bool = false, takeWriterLock: Bool = true, durability: Durability = .durable,
        logger: Logger = Logger(label: "metrics-service")
    ) throws -> EventLog {
        let options = EventLog.Options(durability: durability, readOnly: readOnly)
        guard let postgres else { return try EventLog(directory: dataDirectory, options: options) }
        if !readOnly {
            try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        }
        let storage = try PostgresStorage(
            url: postgres, readOnly: readOnly, takeWriterLock: takeWriterLock, logger: logger)
        return try EventLog(storage: storage, directory: dataDirectory, options: options)
    }
}
