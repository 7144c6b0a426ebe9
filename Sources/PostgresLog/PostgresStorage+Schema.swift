import EventLog
import Foundation
import PostgresNIO

/// The log's tables, created and migrated by the service: each version's statements in order, in
/// one transaction under an advisory lock, recorded in `metrics_schema`.
extension PostgresStorage {
    /// The statements of each schema version, applied in order in one transaction.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE events (
                sequence bigint PRIMARY KEY CHECK (sequence >= 1),
                event_id text UNIQUE,
                record bytea NOT NULL
            )
            """,
            "CREATE TABLE meta (key text PRIMARY KEY, value bytea NOT NULL)",
            "CREATE TABLE snapshots (name text PRIMARY KEY, value bytea NOT NULL)",
        ],
        [
            // The nodes of a cluster: where each serves, and which one leads (written only by the
            // holder of the writer's lock, at its promotion).
            """
            CREATE TABLE nodes (
                address text PRIMARY KEY, role text NOT NULL, announced_at timestamptz NOT NULL DEFAULT now())
            """
        ],
    ]

    private func schemaVersion(_ connection: PostgresConnection) throws -> Int? {
        let exists = try Self.run(
            connection, "SELECT to_regclass('metrics_schema') IS NOT NULL", "read the schema version")
        guard try exists.first?.decode(Bool.self) == true else { return nil }
        let rows = try Self.run(connection, "SELECT max(version) FROM metrics_schema", "read the schema version")
        return try rows.first?.decode(Int?.self) ?? 0
    }

    func checkSchema(_ connection: PostgresConnection) throws {
        guard let version = try schemaVersion(connection) else {
            throw EventLogError.directoryUnavailable(path: location, reason: "it holds no event log")
        }
        try Self.checkKnown(version, location: location)
    }

    private static func checkKnown(_ version: Int, location: String) throws {
        guard version <= schemaVersion else {
            throw EventLogError.unsupportedFormat(
                found: "schema version \(version) in \(location) (this build knows versions up to \(schemaVersion))")
        }
    }

    /// Creates the schema or brings it to `schemaVersion`, in one transaction that holds the
    /// migration lock, recording each version applied.
    func migrate(_ connection: PostgresConnection) throws {
        try Self.run(connection, "BEGIN", "migrate the schema")
        var committed = false
        defer { if !committed { _ = try? Self.run(connection, "ROLLBACK", "migrate the schema") } }
        try Self.run(connection, "SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))", "migrate the schema")
        try Self.run(
            connection,
            """
            CREATE TABLE IF NOT EXISTS metrics_schema (
                version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())
            """, "migrate the schema")
        let current = try schemaVersion(connection) ?? 0
        try Self.checkKnown(current, location: location)
        for version in (current + 1)..<(Self.schemaVersion + 1) {
            for statement in Self.migrations[version - 1] {
                try Self.run(
                    connection, PostgresQuery(unsafeSQL: statement), "migrate the schema to version \(version)")
            }
            if version == 1 {
                let created = Array("\(Int64((Date.now.timeIntervalSince1970 * 1_000_000).rounded()))".utf8)
                try Self.run(
                    connection,
                    """
                    INSERT INTO meta (key, value) VALUES ('format_version', \(ByteBuffer(bytes: Array("\(EventLog.formatVersion)".utf8)))),
                    ('created_at', \(ByteBuffer(bytes: created)))
                    """, "migrate the schema to version 1")
            }
            try Self.run(
                connection, "INSERT INTO metrics_schema (version) VALUES (\(version))", "migrate the schema")
            logger.info("migrated the log's schema", metadata: ["version": "\(version)", "store": "\(location)"])
        }
        try Self.run(connection, "COMMIT", "migrate the schema")
        committed = true
    }
}
