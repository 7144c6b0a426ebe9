import Foundation
import Synchronization
import TestSupport
import Testing

@testable import EventLog

/// A writer state that remembers every sequence it folded, so a test sees whether it matches the log.
private struct SequencesState: AppendState {
    var sequences: [UInt64] = []
    mutating func apply(_ event: AppendedEvent) { sequences.append(event.sequence) }

    static func rebuild(_ log: EventLog) throws -> SequencesState {
        var state = SequencesState()
        try log.forEach { state.sequences.append($0.sequence) }
        return state
    }
}

@Suite("Disk full")
struct DiskFullTests {
    @Test("a failed commit leaves the log and the writer state as they were; the next append works")
    func failedCommit() async throws {
        let dir = TemporaryDirectory("diskfull")
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let writer = try EventWriter(log: log, initialState: SequencesState(), rebuild: SequencesState.rebuild)
        defer { writer.shutdown() }
        _ = try await writer.append((1...5).map { sampleEvent($0, id: "a\($0)") })

        for failures in [1, 3] {
            writer.injectedCommitFailures.store(failures, ordering: .relaxed)
            for attempt in 0..<failures {
                do {
                    _ = try await writer.append((0..<4).map { sampleEvent($0, id: "f\(failures)-\($0)") })
                    Issue.record("attempt \(attempt) of \(failures) was stored")
                } catch let error as EventLogError {
                    #expect(error.isStorageUnavailable)
                    if case .storageFull = error {} else { Issue.record("not storageFull: \(error)") }
                    #expect("\(error)".contains("nothing of this write was stored"))
                }
                #expect(writer.currentState.sequences == Array(1...log.head), "state back to the log")
                #expect(try allRecords(log).count == Int(log.head))
            }
            // The ids of the failed groups are free: storing them now appends them once.
            let outcomes = try await writer.append((0..<4).map { sampleEvent($0, id: "f\(failures)-\($0)") })
            #expect(outcomes.allSatisfy { if case .appended = $0 { true } else { false } })
            #expect(writer.currentState.sequences == Array(1...log.head))
        }
        let records = try allRecords(log)
        #expect(records.map(\.sequence) == Array(1...UInt64(records.count)))
        for record in records where record.clientEventID != nil {
            #expect(try log.sequence(forEventID: record.clientEventID!) == record.sequence)
        }
    }

    @Test("when the state cannot be rebuilt after a failed commit, it is rebuilt before the next group")
    func rebuildFailsOnce() async throws {
        let dir = TemporaryDirectory("diskfull")
        defer { dir.cleanup() }
        let log = try EventLog(directory: dir.path)
        let rebuilds = Atomic<Int>(0)
        let writer = try EventWriter(
            log: log, initialState: SequencesState(),
            rebuild: { log in
                if rebuilds.add(1, ordering: .relaxed).newValue == 1 {
                    throw EventLogError.storageFailed(operation: "read", code: EIO, message: "I/O error")
                }
                return try SequencesState.rebuild(log)
            })
        defer { writer.shutdown() }
        _ = try await writer.append([sampleEvent(1), sampleEvent(2)])
        writer.injectedCommitFailures.store(1, ordering: .relaxed)
        await #expect(throws: EventLogError.self) { _ = try await writer.append([sampleEvent(3)]) }
        _ = try await writer.append([sampleEvent(4)])
        #expect(rebuilds.load(ordering: .relaxed) == 2)
        #expect(writer.currentState.sequences == [1, 2, 3])
        #expect(log.head == 3)
    }

    @Test("a file size limit (EFBIG, as a full disk) stops a writer process cleanly with every acknowledged event kept")
    func fileSizeLimit() async throws {
        let executable = try #require(serviceExecutable(), "build the metrics-service executable first (swift build)")
        let dir = TemporaryDirectory("diskfull")
        defer { dir.cleanup() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // SIGXFSZ ignored: writes past the limit fail with EFBIG instead of killing the process.
        process.arguments = [
            "-c", "trap '' XFSZ; ulimit -f 2048; exec \"$0\" stress-append --data-dir \"$1\" --tasks 4 --batch 10",
            executable.path, dir.path,
        ]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading
        let stderr = err.fileHandleForReading
        let reader = Task { await onOwnThread { stdout.readDataToEndOfFile() } }
        let errorReader = Task { await onOwnThread { stderr.readDataToEndOfFile() } }
        // The writer must stop by itself at the file size limit; no deadline (a busy machine may be slow).
        await onOwnThread { process.waitUntilExit() }
        let errors = String(decoding: await errorReader.value, as: UTF8.self)
        #expect(process.terminationReason == .exit, "ended by a signal: \(process.terminationStatus)")
        #expect(process.terminationStatus != 0)
        #expect(errors.contains("nothing of this write was stored"), "stderr: \(errors.prefix(500))")

        let text = String(decoding: await reader.value, as: UTF8.self)
        var acknowledged: [UInt64: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let seq = UInt64(parts[0]) { acknowledged[seq] = String(parts[1]) }
        }
        #expect(acknowledged.count > 100)
        let log = try EventLog(directory: dir.path)
        let records = try allRecords(log)
        #expect(records.map(\.sequence) == Array(1...UInt64(records.count)), "gapless")
        for (seq, tag) in acknowledged {
            let payload = try #require(
                records.first { $0.sequence == seq }.map { String(decoding: $0.payload, as: UTF8.self) })
            #expect(payload.hasPrefix(tag + "-"))
        }
        // Without the limit (space returned), the same log takes appends again.
        let writer = try makeWriter(log)
        defer { writer.shutdown() }
        let outcomes = try await writer.append([sampleEvent(1, id: "after-limit")])
        #expect(outcomes == [.appended(UInt64(records.count) + 1)])
    }
}
