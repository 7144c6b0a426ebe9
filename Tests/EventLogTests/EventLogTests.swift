import EventLog
import Foundation
import Testing

@Suite("Event log")
struct EventLogTests {
    @Test("append and read back every envelope field")
    func roundTrip() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try EventWriter(
            log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() }, clock: { 1_700_000_000_000_000 }
        )
        let outcomes = try await writer.append([
            NewEvent(eventID: "client-1", type: 3, schemaVersion: 2, occurredAt: 123, payload: [1, 2, 3]),
            NewEvent(eventID: nil, type: 4, schemaVersion: 1, occurredAt: -5, payload: []),
        ])
        #expect(outcomes == [.appended(1), .appended(2)])
        #expect(log.head == 2)
        let records = try allRecords(log)
        #expect(
            records == [
                EventRecord(
                    sequence: 1, clientEventID: "client-1", type: 3, schemaVersion: 2,
                    recordedAt: 1_700_000_000_000_000,
                    occurredAt: 123, payload: [1, 2, 3]),
                EventRecord(
                    sequence: 2, clientEventID: nil, type: 4, schemaVersion: 1, recordedAt: 1_700_000_000_000_000,
                    occurredAt: -5, payload: []),
            ])
        #expect(records[1].eventID == "seq-2")
        #expect(try log.sequence(forEventID: "client-1") == 1)
        #expect(try log.record(at: 2)?.type == 4)
        #expect(try log.record(at: 3) == nil)
        writer.shutdown()
    }

    @Test("64 concurrent appenders get a gapless, ordered log and share commits")
    func concurrentAppends() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        let perTask = 40
        let assigned = try await withThrowingTaskGroup(of: (Int, [UInt64]).self) { group in
            for task in 0..<64 {
                group.addTask {
                    var seqs: [UInt64] = []
                    for i in 0..<perTask {
                        let outcome = try await writer.append([sampleEvent(task * 1000 + i)])
                        seqs.append(outcome[0].sequence)
                    }
                    return (task, seqs)
                }
            }
            var all: [Int: [UInt64]] = [:]
            for try await (task, seqs) in group { all[task] = seqs }
            return all
        }
        let total = 64 * perTask
        #expect(log.head == UInt64(total))
        let records = try allRecords(log)
        #expect(records.map(\.sequence) == Array(1...UInt64(total)))
        for (task, seqs) in assigned {
            #expect(seqs == seqs.sorted(), "task \(task) saw its appends reordered")
            for (i, seq) in seqs.enumerated() {
                #expect(records[Int(seq) - 1].occurredAt == Int64(task * 1000 + i) * 1_000)
            }
        }
        #expect(writer.groupCommits < total, "no group commit happened")
        writer.shutdown()
    }

    @Test("an event id already in the log is not stored again")
    func idempotency() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        #expect(try await writer.append([sampleEvent(1, id: "a")]) == [.appended(1)])
        #expect(try await writer.append([sampleEvent(2, id: "a")]) == [.duplicate(1)])
        let mixed = try await writer.append([
            sampleEvent(3, id: "b"), sampleEvent(4, id: "b"), sampleEvent(5), sampleEvent(6, id: "a"),
        ])
        #expect(mixed == [.appended(2), .duplicate(2), .appended(3), .duplicate(1)])
        #expect(log.head == 3)
        await #expect(throws: EventLogError.self) {
            _ = try await writer.append([sampleEvent(7, id: String(repeating: "x", count: 300))])
        }
        writer.shutdown()
    }

    @Test("batches appended concurrently are atomic and contiguous")
    func atomicBatches() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        let batches = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for b in 0..<32 {
                group.addTask {
                    try await writer.append((0..<25).map { sampleEvent(b * 100 + $0) }).map(\.sequence)
                }
            }
            var all: [[UInt64]] = []
            for try await seqs in group { all.append(seqs) }
            return all
        }
        for seqs in batches {
            #expect(seqs == Array(seqs[0]...seqs[0] + 24))
        }
        #expect(log.head == 800)
        writer.shutdown()
    }

    @Test("a failing decision appends nothing and does not disturb its group")
    func failingDecision() async throws {
        struct Refused: Error {}
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        async let good = writer.append([sampleEvent(1)])
        async let bad: Int = writer.perform { _, _ in throw Refused() }
        let goodResult = try await good
        let badResult: Result<Int, any Error>
        do { badResult = .success(try await bad) } catch { badResult = .failure(error) }
        #expect(goodResult == [.appended(1)])
        #expect(throws: Refused.self) { try badResult.get() }
        #expect(log.head == 1)
        writer.shutdown()
    }

    @Test("reopening keeps every event; a second writer is refused")
    func reopenAndLock() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        do {
            let log = try EventLog(directory: dir.path)
            #expect(throws: EventLogError.directoryLocked(path: dir.path)) {
                _ = try EventLog(directory: dir.path)
            }
            let reader = try EventLog(directory: dir.path, options: .init(readOnly: true))
            let writer = try makeWriter(log)
            _ = try await writer.append((0..<100).map { sampleEvent($0) })
            #expect(try reader.readHead() == 100)
            writer.shutdown()
            log.close()
            reader.close()
        }
        let reopened = try EventLog(directory: dir.path)
        #expect(reopened.head == 100)
        let records = try allRecords(reopened)
        #expect(records.count == 100)
        #expect(
            records[57]
                == EventRecord(
                    sequence: 58, clientEventID: nil, type: 42, schemaVersion: 1, recordedAt: records[57].recordedAt,
                    occurredAt: 57_000, payload: sampleEvent(57).payload))
        let writer = try makeWriter(reopened)
        #expect(try await writer.append([sampleEvent(1)]) == [.appended(101)])
        writer.shutdown()
    }

    @Test("the map grows from a tiny initial size")
    func mapGrowth() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path, options: .init(initialMapSize: 64 * 1024))
        let writer = try makeWriter(log)
        let initial = log.mapSize
        for round in 0..<10 {
            _ = try await writer.append((0..<1_000).map { sampleEvent(round * 1_000 + $0, size: 200) })
        }
        #expect(log.head == 10_000)
        #expect(log.mapSize > initial)
        let records = try allRecords(log)
        #expect(records.count == 10_000)
        #expect(records[9_999].payload == sampleEvent(9_999, size: 200).payload)
        writer.shutdown()
    }

    /// A log of `count` events whose event `damaged` has one payload bit flipped in the data file.
    static func logWithDamagedRecord(in dir: TemporaryDirectory, at damaged: Int, of count: Int) async throws
        -> EventLog
    {
        let marker: [UInt8] = Array("MARKER-PAYLOAD-0123456789".utf8)
        do {
            let log = try EventLog(directory: dir.path)
            let writer = try makeWriter(log)
            _ = try await writer.append(
                (1...count).map {
                    $0 == damaged
                        ? NewEvent(type: 1, schemaVersion: 1, occurredAt: 0, payload: marker) : sampleEvent($0)
                })
            writer.shutdown()
            log.close()
        }
        let file = dir.path + "/data.mdb"
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let index = try #require(bytes.firstRange(of: marker)?.lowerBound)
        bytes[index + 3] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return try EventLog(directory: dir.path)
    }

    @Test("a damaged record is reported with its sequence and never handed out")
    func checksum() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try await Self.logWithDamagedRecord(in: dir, at: 2, of: 3)
        var seen: [UInt64] = []
        #expect(throws: EventLogError.corruptRecord(sequence: 2, reason: "checksum mismatch")) {
            try log.forEach { seen.append($0.sequence) }
        }
        #expect(seen == [1])
    }

    @Test("a damaged record fails passes over the log, whatever their number and batch size")
    func checksumInPasses() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try await Self.logWithDamagedRecord(in: dir, at: 11, of: 30)
        for passes in 1...3 {
            for batchSize in 1...6 {
                var accumulators = [Int](repeating: 0, count: passes)
                #expect(throws: EventLogError.corruptRecord(sequence: 11, reason: "checksum mismatch")) {
                    try log.concurrentPasses(through: 30, accumulators: &accumulators, batchSize: batchSize) {
                        count, _, _ in count += 1
                    }
                }
            }
        }
    }

    @Test("subscribers wake when the head moves")
    func headUpdates() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        var iterator = log.headUpdates().makeAsyncIterator()
        #expect(await iterator.next() == 0)
        _ = try await writer.append([sampleEvent(1), sampleEvent(2)])
        #expect(await iterator.next() == 2)
        writer.shutdown()
        log.close()
        #expect(await iterator.next() == nil)
    }

    @Test("snapshots and meta values are stored beside the log")
    func snapshots() async throws {
        let dir = TemporaryDirectory()
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try makeWriter(log)
        #expect(try log.snapshot(named: "projections") == nil)
        let snapshot = EventLog.Snapshot(sequence: 7, version: 3, bytes: [9, 8, 7])
        try await writer.writeSnapshot(name: "projections", snapshot)
        #expect(try log.snapshot(named: "projections") == snapshot)
        #expect(try log.meta("format_version") == Array("1".utf8))
        writer.shutdown()
    }
}

@Suite("Writer limits")
struct WriterLimitTests {
    @Test("a full writer queue refuses at once with writerBusy, nothing stored; groups take at most their limit")
    func boundedQueue() async throws {
        let dir = TemporaryDirectory("writer-limits")
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        defer { log.close() }
        let writer = try EventWriter(
            log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() },
            limits: .init(maximumQueuedRequests: 2, maximumRequestsPerGroup: 1))
        defer { writer.shutdown() }
        // A request that holds the writer thread until released.
        let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
        let release = DispatchSemaphore(value: 0)
        let holding = Task {
            try await writer.perform { _, _ in
                enteredSignal.yield()
                release.wait()
                return AppendDecision(events: [sampleEvent(1)], result: ())
            }
        }
        for await _ in entered { break }
        let groupsBefore = writer.groupCommits
        let queued = (2...3).map { i in Task { try await writer.append([sampleEvent(i)]) } }
        await writer.waitUntilQueued(atLeast: 2)
        await #expect(throws: EventLogError.writerBusy(queued: 2)) { _ = try await writer.append([sampleEvent(4)]) }
        // The service's own jobs are exempt: a meta value and an unbounded decision still queue.
        let meta = Task { try await writer.setMeta("checkpoint", [1]) }
        let own = Task {
            try await writer.perform(bounded: false) { _, _ in AppendDecision(events: [], result: ()) }
        }
        await writer.waitUntilQueued(atLeast: 4)
        release.signal()
        try await holding.value
        for task in queued { _ = try await task.value }
        try await meta.value
        try await own.value
        #expect(try log.meta("checkpoint") == [1])
        #expect(log.head == 3, "the refused request stored nothing")
        #expect(writer.groupCommits - groupsBefore >= 3, "one request per group")
        // Once the queue drained, writes are taken again.
        _ = try await writer.append([sampleEvent(5)])
        #expect(log.head == 4)
    }
}
