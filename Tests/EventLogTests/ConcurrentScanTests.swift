import EventLog
import Foundation
import Testing

@Suite("Concurrent scan")
struct ConcurrentScanTests {
    @Test("partitions cover every event once, in order within each, also across retention gaps")
    func coversEveryEventOnce() async throws {
        let directory = TemporaryDirectory("concurrent-scan")
        defer { directory.cleanup() }
        let log = try EventLog(directory: directory.path, options: .init(durability: .relaxed))
        defer { log.close() }
        let writer = try makeWriter(log)
        defer { writer.shutdown() }
        _ = try await writer.append((0..<2_500).map { sampleEvent($0, id: $0 % 3 == 0 ? "e\($0)" : nil) })
        let all = try allRecords(log).map(\.sequence)

        func scan(_ partitions: Int, from: UInt64 = 1, through: UInt64) throws -> [[UInt64]] {
            try log.concurrentScan(
                from: from, through: through, partitions: partitions, batchSize: 97, initial: { [UInt64]() }
            ) { seen, record in seen.append(record.sequence) }
        }
        for partitions in [1, 2, 3, 8] {
            let parts = try scan(partitions, through: log.head)
            #expect(parts.count == partitions)
            #expect(parts.flatMap { $0 } == all, "partitions \(partitions)")
        }
        #expect(try scan(4, from: 1_001, through: 1_010).flatMap { $0 } == Array(1_001...1_010))
        #expect(try scan(16, from: 5, through: 7).count == 3)
        #expect(try scan(2, from: 10, through: 9).isEmpty)

        // Remove every other event of 1…2,000 (as retention does below its marker).
        let removed = (1...2_000).filter { $0 % 2 == 0 }.map(UInt64.init)
        try await writer.removeEvents(removed, horizon: 2_001)
        let kept = try allRecords(log).map(\.sequence)
        #expect(kept.count == 2_500 - 1_000)
        for partitions in [2, 3, 7] {
            #expect(try scan(partitions, through: log.head).flatMap { $0 } == kept, "partitions \(partitions)")
        }
    }

    @Test("an error in any partition stops the scan and is thrown")
    func damageIsReported() async throws {
        let fixture = try await ScanFixture(events: (0..<100).map { sampleEvent($0) })
        defer { fixture.close() }
        let log = fixture.log
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            _ = try log.concurrentScan(through: 100, partitions: 2, initial: { 0 }) { _, record in
                if record.sequence == 77 { throw Stop() }
            }
        }
    }

    @Test("passes each see every event in order, accumulators come back in order, across retention gaps")
    func passesSeeEveryEvent() async throws {
        let fixture = try await ScanFixture(events: (0..<2_500).map { sampleEvent($0) })
        defer { fixture.close() }
        let (log, writer) = (fixture.log, fixture.writer)
        func passes(_ count: Int, from: UInt64 = 1, through: UInt64) throws -> [[UInt64]] {
            // Each pass keeps the sequences of its residue class and records its index first.
            var accumulators = (0..<count).map { [UInt64($0)] }
            try log.concurrentPasses(from: from, through: through, accumulators: &accumulators, batchSize: 97) {
                seen, pass, record in
                if record.sequence % UInt64(count) == UInt64(pass) { seen.append(record.sequence) }
            }
            return accumulators
        }
        let all = try allRecords(log).map(\.sequence)
        for count in [1, 2, 3] {
            let result = try passes(count, through: log.head)
            #expect(result.count == count)
            for (pass, seen) in result.enumerated() {
                #expect(seen.first == UInt64(pass))
                #expect(Array(seen.dropFirst()) == all.filter { $0 % UInt64(count) == UInt64(pass) })
            }
        }
        #expect(try passes(2, from: 1_001, through: 1_010).map { $0.dropFirst().count } == [5, 5])
        #expect(try passes(2, from: 10, through: 9) == [[0], [1]])

        let removed = (1...2_000).filter { $0 % 2 == 0 }.map(UInt64.init)
        try await writer.removeEvents(removed, horizon: 2_001)
        let kept = try allRecords(log).map(\.sequence)
        let result = try passes(2, through: log.head)
        #expect(result.flatMap { $0.dropFirst() }.sorted() == kept)
    }

    @Test("an error in any pass is thrown (the lowest-numbered failing pass's) and the accumulators are gone")
    func passErrorIsThrown() async throws {
        let fixture = try await ScanFixture(events: (0..<100).map { sampleEvent($0) })
        defer { fixture.close() }
        let log = fixture.log
        struct Stop: Error, Equatable { var pass: Int }
        var accumulators = [0, 0, 0]
        #expect(throws: Stop(pass: 1)) {
            try log.concurrentPasses(through: 100, accumulators: &accumulators, batchSize: 10) { _, pass, record in
                if pass >= 1 && record.sequence == 77 { throw Stop(pass: pass) }
            }
        }
        #expect(accumulators.isEmpty)
        var counts = [0, 0]
        #expect(throws: Stop(pass: 0)) {
            try log.concurrentPasses(through: 100, accumulators: &counts, batchSize: 10) { count, pass, record in
                count += 1
                if pass == 0 && record.sequence == 5 { throw Stop(pass: 0) }
            }
        }
    }
}

/// A relaxed-durability log in a temporary directory, holding `events`, and its writer.
struct ScanFixture {
    let directory = TemporaryDirectory("concurrent-scan")
    let log: EventLog
    let writer: EventWriter<NoAppendState>

    init(events: [NewEvent]) async throws {
        log = try EventLog(directory: directory.path, options: .init(durability: .relaxed))
        writer = try makeWriter(log)
        _ = try await writer.append(events)
    }

    func close() {
        writer.shutdown()
        log.close()
        directory.cleanup()
    }
}
