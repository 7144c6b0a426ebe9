import EventLog
import Foundation
import Logging
import PostgresLog
import Synchronization
import TestSupport
import Testing

@Suite("PostgreSQL log", .enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipNotice)), .serialized)
struct PostgresLogTests {
    @Test("append and read back every envelope field; reopening keeps them")
    func roundTrip() async throws {
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            let writer = try makeWriter(log)
            let outcomes = try await writer.append([sampleEvent(1, id: "a"), sampleEvent(2), sampleEvent(3, id: "c")])
            #expect(outcomes == [.appended(1), .appended(2), .appended(3)])
            #expect(log.head == 3)
            let records = try allRecords(log)
            #expect(records.map(\.sequence) == [1, 2, 3])
            #expect(records.map(\.clientEventID) == ["a", nil, "c"])
            #expect(records[1].payload == sampleEvent(2).payload)
            #expect(records[1].occurredAt == 2_000)
            #expect(try log.sequence(forEventID: "c") == 3)
            writer.shutdown()
            log.close()

            let reopened = try TestPostgres.openLog(url)
            defer { reopened.close() }
            #expect(reopened.head == 3)
            #expect(try allRecords(reopened) == records)
        }
    }

    @Test("concurrent appenders get a gapless, ordered log; ids are stored once, also within a batch")
    func concurrentAndIdempotent() async throws {
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            defer { log.close() }
            let writer = try makeWriter(log)
            defer { writer.shutdown() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        for i in 0..<10 {
                            _ = try await writer.append([
                                sampleEvent(task * 100 + i, id: "t\(task)-\(i)"), sampleEvent(task * 100 + i),
                            ])
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(log.head == 320)
            #expect(try allRecords(log).map(\.sequence) == Array(1...320))
            let again = try await writer.append([
                sampleEvent(1, id: "t3-4"), sampleEvent(2, id: "new"), sampleEvent(3, id: "new"),
            ])
            let stored = try log.sequence(forEventID: "t3-4")
            #expect(again == [.duplicate(stored!), .appended(321), .duplicate(321)])
            #expect(log.head == 321)
        }
    }

    @Test("a second writer is refused while the first holds the lock; readers are not")
    func writerLock() async throws {
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            let writer = try makeWriter(log)
            _ = try await writer.append([sampleEvent(1)])
            #expect(throws: EventLogError.writerLockHeld(location: url.description)) {
                _ = try TestPostgres.openLog(url)
            }
            let reader = try TestPostgres.openLog(url, readOnly: true)
            #expect(try reader.readHead() == 1)
            reader.close()
            writer.shutdown()
            log.close()
            // Closing the first releases the lock.
            let second = try TestPostgres.openLog(url)
            second.close()
        }
    }

    @Test("snapshots, meta values, retention removals and gaps behave as in LMDB")
    func snapshotsMetaRetention() async throws {
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            defer { log.close() }
            let writer = try makeWriter(log)
            defer { writer.shutdown() }
            _ = try await writer.append((1...6).map { sampleEvent($0, id: "e\($0)") })
            try await writer.writeSnapshot(name: "p", EventLog.Snapshot(sequence: 4, version: 7, bytes: [1, 2, 3]))
            try await writer.writeSnapshot(name: "p", EventLog.Snapshot(sequence: 5, version: 7, bytes: [9]))
            try await writer.setMeta("k", [5, 6])
            #expect(try log.snapshot(named: "p") == EventLog.Snapshot(sequence: 5, version: 7, bytes: [9]))
            #expect(try log.meta("k") == [5, 6])
            #expect(try log.meta("format_version") == Array("\(EventLog.formatVersion)".utf8))
            try await writer.removeEvents([2, 3], horizon: 5)
            #expect(try allRecords(log).map(\.sequence) == [1, 4, 5, 6])
            #expect(try log.sequence(forEventID: "e2") == nil)
            #expect(log.retentionHorizon == 5)
            // The id of a removed event can be used again.
            #expect(try await writer.append([sampleEvent(7, id: "e2")]) == [.appended(7)])
        }
    }

    @Test("a damaged record is reported with its sequence, never handed out")
    func damagedRecord() async throws {
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            defer { log.close() }
            let writer = try makeWriter(log)
            defer { writer.shutdown() }
            _ = try await writer.append((1...5).map { sampleEvent($0) })
            try url.execute(
                "UPDATE events SET record = set_byte(record, 30, get_byte(record, 30) # 1) WHERE sequence = 3")
            var seen: [UInt64] = []
            #expect(throws: EventLogError.corruptRecord(sequence: 3, reason: "checksum mismatch")) {
                try log.forEach { seen.append($0.sequence) }
            }
            #expect(seen == [1, 2])
        }
    }

    @Test("records imported from an LMDB log read back identical; a repeated id or a gap is refused")
    func importFromLMDB() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let lmdb = try EventLog(directory: dir.path)
        let lmdbWriter = try makeWriter(lmdb)
        _ = try await lmdbWriter.append((1...50).map { sampleEvent($0, id: $0 % 3 == 0 ? "id\($0)" : nil, size: $0) })
        lmdbWriter.shutdown()
        let records = try allRecords(lmdb)
        lmdb.close()
        try await TestPostgres.withDatabase { url in
            let log = try TestPostgres.openLog(url)
            defer { log.close() }
            try log.importRecords(Array(records[0..<20]))
            try log.importRecords(Array(records[20...]))
            #expect(try allRecords(log) == records)
            #expect(try log.sequence(forEventID: "id27") == 27)
            var repeated = records[0]
            repeated.sequence = 51
            repeated.clientEventID = "id3"
            #expect(throws: EventLogImportError.duplicateEventID(id: "id3", sequence: 51)) {
                try log.importRecords([repeated])
            }
            repeated.clientEventID = nil
            repeated.sequence = 53
            #expect(throws: EventLogImportError.notContiguous(expected: 51, found: 53)) {
                try log.importRecords([repeated])
            }
            #expect(log.head == 50)
        }
    }

    @Test(
        "a lost session fails the group with unavailable, nothing stored, and stops writing until the lock is taken again"
    )
    func lostSession() async throws {
        try await TestPostgres.withDatabase { url in
            let storage = try PostgresStorage(url: url, logger: TestPostgres.logger)
            let log = try EventLog(storage: storage, directory: NSTemporaryDirectory())
            defer { log.close() }
            let writer = try makeWriter(log)
            defer { writer.shutdown() }
            _ = try await writer.append([sampleEvent(1, id: "one")])
            // Another session kills the writer's connection, as a restarted server or a network cut would.
            try url.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = \(UInt32(truncatingIfNeeded: PostgresStorage.writerLockKey))"
            )
            await #expect {
                _ = try await writer.append([sampleEvent(2, id: "two")])
            } throws: { error in
                (error as? EventLogError)?.isStorageUnavailable == true
            }
            #expect(try log.readHead() == 1)
            // The node stopped writing: no group goes through until it takes the lock again.
            #expect(!storage.isWriter)
            await #expect(throws: EventLogError.writerLockHeld(location: url.description)) {
                _ = try await writer.append([sampleEvent(2, id: "two")])
            }
            #expect(try storage.tryBecomeWriter())
            let outcome = try await writer.append([sampleEvent(2, id: "two")])
            #expect(outcome == [.appended(2)])
            #expect(try allRecords(log).map(\.clientEventID) == ["one", "two"])
        }
    }

    @Test("a schema newer than this build is refused, naming both versions")
    func newerSchema() async throws {
        try await TestPostgres.withDatabase { url in
            try TestPostgres.openLog(url).close()
            try url.execute("INSERT INTO metrics_schema (version) VALUES (\(PostgresStorage.schemaVersion + 1))")
            #expect {
                _ = try TestPostgres.openLog(url)
            } throws: { error in
                let text = "\(error)"
                return text.contains("schema version \(PostgresStorage.schemaVersion + 1)")
                    && text.contains("up to \(PostgresStorage.schemaVersion)")
            }
        }
    }

}

@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("an unreachable database is a clear error naming the URL without its password")
    func unreachable() throws {
        let url = try PostgresURL("postgres://someone:secret@127.0.0.1:1/metrics")
        #expect(url.description == "postgres://someone@127.0.0.1:1/metrics")
        #expect {
            _ = try PostgresStorage(url: url, logger: TestPostgres.logger)
        } throws: { error in
            let text = "\(error)"
            return text.contains("postgres://someone@127.0.0.1:1/metrics") && !text.contains("secret")
        }
    }

    @Test("TCP and socket forms, percent-decoding, redaction; bad URLs refused with a reason")
    func parsing() throws {
        let tcp = try PostgresURL("postgresql://u%40x:p%3Aw@db.example:6543/metrics")
        #expect(tcp.username == "u@x" && tcp.password == "p:w" && tcp.host == "db.example" && tcp.port == 6543)
        #expect(tcp.description == "postgres://u@x@db.example:6543/metrics")
        let socket = try PostgresURL("postgres://postgres@/metrics?host=/tmp/pg")
        #expect(socket.socketDirectory == "/tmp/pg" && socket.host == nil && socket.database == "metrics")
        #expect(socket.description == "postgres://postgres@/metrics?host=/tmp/pg")
        #expect(PostgresURL.redact("postgres://a:secret@h/db") == "postgres://a:***@h/db")
        #expect(PostgresURL.redact("postgres://a@h/db?password=secret&x=1") == "postgres://a@h/db?password=***&x=1")
        for bad in [
            "postgres://h", "postgres://u@h:99999/db", "postgres://u@/db", "mysql://u@h/db",
            "postgres://u@h/db?sslmode=require",
        ] {
            #expect(throws: PostgresURL.ParseError.self) { _ = try PostgresURL(bad) }
        }
    }
}
