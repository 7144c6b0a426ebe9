import EventLog
import Logging
import NIOCore
import PostgresNIO

/// One group: what the writer puts is collected, then stored by `commit()` in one transaction
/// (one multi-row INSERT for the events) with a NOTIFY of the new head.
final class PostgresGroup: StorageGroup {
    let storage: PostgresStorage
    let connection: PostgresConnection
    private var sequences: [Int64] = []
    private var eventIDs: [String] = []
    private var records: [ByteBuffer] = []
    /// Client ids appended in this group.
    private var pending: [String: UInt64] = [:]
    /// Ids fetched before deciding: their sequence, or nil when not stored.
    private var fetched: [String: UInt64?] = [:]
    private var importedIDs: [String: UInt64] = [:]
    private var metaValues: [String: [UInt8]] = [:]
    private var snapshotValues: [String: [UInt8]] = [:]
    private var removed: [Int64] = []

    init(storage: PostgresStorage, connection: PostgresConnection) {
        self.storage = storage
        self.connection = connection
    }

    /// Runs a statement of the group; a failure forgets the writer's connection.
    private func run(_ query: PostgresQuery, _ operation: String) throws -> [PostgresRow] {
        do {
            return try PostgresStorage.run(connection, query, operation)
        } catch {
            storage.forgetWriter(connection)
            throw error
        }
    }

    func prefetchEventIDs(_ ids: [String]) throws {
        let wanted = ids.filter { fetched[$0] == nil && pending[$0] == nil }
        guard !wanted.isEmpty else { return }
        for id in wanted { fetched[id] = .some(nil) }
        let rows = try run("SELECT event_id, sequence FROM events WHERE event_id = ANY(\(wanted))", "look up event ids")
        for row in rows {
            let (id, sequence) = try row.decode((String, Int64).self)
            fetched[id] = .some(UInt64(sequence))
        }
    }

    func lookupEventID(_ id: String) throws -> UInt64? {
        if let sequence = pending[id] { return sequence }
        if let known = fetched[id] { return known }
        let found: UInt64?
        do {
            found = try PostgresStorage.lookup(id, on: connection)
        } catch {
            storage.forgetWriter(connection)
            throw error
        }
        fetched[id] = .some(found)
        return found
    }

    func append(sequence: UInt64, eventID: String?, record: [UInt8]) throws {
        sequences.append(Int64(sequence))
        eventIDs.append(eventID ?? "")
        records.append(ByteBuffer(bytes: record))
        if let eventID { pending[eventID] = sequence }
    }

    func importRecord(sequence: UInt64, eventID: String?, record: [UInt8]) throws {
        if let eventID {
            if importedIDs[eventID] != nil || pending[eventID] != nil {
                throw EventLogImportError.duplicateEventID(id: eventID, sequence: sequence)
            }
            importedIDs[eventID] = sequence
        }
        try append(sequence: sequence, eventID: eventID, record: record)
    }

    func putMeta(_ key: String, _ value: [UInt8]) throws {
        metaValues[key] = value
    }

    func putSnapshot(_ name: String, _ value: [UInt8]) throws {
        snapshotValues[name] = value
    }

    func removeEvent(_ sequence: UInt64) throws {
        removed.append(Int64(sequence))
    }

    func commit() throws {
        if !importedIDs.isEmpty {
            let ids = Array(importedIDs.keys)
            let rows = try run("SELECT event_id FROM events WHERE event_id = ANY(\(ids)) LIMIT 1", "check imported ids")
            if let row = rows.first {
                let id = try row.decode(String.self)
                throw EventLogImportError.duplicateEventID(id: id, sequence: importedIDs[id] ?? 0)
            }
        }
        if removed.isEmpty && metaValues.isEmpty && snapshotValues.isEmpty, let last = sequences.last {
            // The common group, events only: one statement (its own transaction), one round trip.
            let rows = try run(
                """
                WITH inserted AS (
                    INSERT INTO events (sequence, event_id, record)
                    SELECT s, NULLIF(i, ''), r FROM unnest(\(sequences)::bigint[], \(eventIDs)::text[], \(records)::bytea[]) AS t(s, i, r)
                    RETURNING 1)
                SELECT count(*), pg_notify(\(PostgresStorage.notifyChannel), \(String(last))) FROM inserted
                """, "commit")
            guard let stored = try rows.first?.decode(Int64.self), stored == Int64(sequences.count) else {
                throw EventLogError.unavailable(
                    operation: "commit", message: "the insert stored fewer events than sent")
            }
            return
        }
        var statements: [PostgresQuery] = ["BEGIN"]
        if !removed.isEmpty {
            statements.append("DELETE FROM events WHERE sequence = ANY(\(removed))")
        }
        if !sequences.isEmpty {
            statements.append(
                """
                INSERT INTO events (sequence, event_id, record)
                SELECT s, NULLIF(i, ''), r FROM unnest(\(sequences)::bigint[], \(eventIDs)::text[], \(records)::bytea[]) AS t(s, i, r)
                """)
        }
        for (table, key, values) in [("meta", "key", metaValues), ("snapshots", "name", snapshotValues)]
        where !values.isEmpty {
            statements.append(Self.upsert(into: table, key: key, values))
        }
        if let last = sequences.last {
            statements.append("SELECT pg_notify(\(PostgresStorage.notifyChannel), \(String(last)))")
        }
        statements.append("COMMIT")
        // Sent one after another without waiting between them; each answer is then checked, so a
        // failed statement (after which PostgreSQL turns COMMIT into a rollback) fails the group.
        let futures = statements.map { PostgresStorage.send($0, on: connection) }
        var failure: (any Error)?
        for future in futures {
            do {
                let result = try PostgresStorage.wait(for: future, on: connection)
                if failure == nil, result.metadata.command == "ROLLBACK" {
                    failure = EventLogError.unavailable(operation: "commit", message: "the transaction was rolled back")
                }
            } catch {
                if failure == nil { failure = error }
            }
        }
        if let failure {
            storage.forgetWriter(connection)
            if PostgresStorage.sqlState(failure) == "23505" {
                throw EventLogError.unavailable(
                    operation: "commit",
                    message: "the log holds these sequences or event ids already (another node wrote it): "
                        + PostgresStorage.describe(failure))
            }
            throw PostgresStorage.translate(failure, "commit")
        }
    }

    func abort() {}

    /// `INSERT … ON CONFLICT DO UPDATE` of (name, bytes) pairs into one of the storage's own
    /// key-value tables; the table and column names are these constants, never input.
    private static func upsert(into table: String, key: String, _ values: [String: [UInt8]]) -> PostgresQuery {
        var binds = PostgresBindings()
        binds.append(Array(values.keys))
        binds.append(values.values.map { ByteBuffer(bytes: $0) })
        return PostgresQuery(
            unsafeSQL: """
                INSERT INTO \(table) (\(key), value) SELECT * FROM unnest($1::text[], $2::bytea[])
                ON CONFLICT (\(key)) DO UPDATE SET value = excluded.value
                """, binds: binds)
    }
}
