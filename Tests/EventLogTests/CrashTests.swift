import EventLog
import Foundation
import TestSupport
import Testing

/// The built `metrics-service` executable next to the test bundle.
func serviceExecutable() -> URL? {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<3 {
        let candidate = dir.appendingPathComponent("metrics-service")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

@Suite("Crash safety")
struct CrashTests {
    @Test("every acknowledged append survives SIGKILL", arguments: [1, 10])
    func killDuringAppends(batch: Int) async throws {
        let executable = try #require(serviceExecutable(), "build the metrics-service executable first (swift build)")
        let dir = TemporaryDirectory("crash")
        defer { dir.cleanup() }
        var acknowledged: [UInt64: String] = [:]
        for round in 0..<4 {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["stress-append", "--data-dir", dir.path, "--tasks", "8", "--batch", "\(batch)"]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            // Kill at a random point of the run, counted in acknowledgements rather than time (a busy
            // machine may be slow to start the writer): after 1 to 2,000 acknowledged lines.
            let killAfter = Int.random(in: 1...2_000)
            let (reached, reachedSignal) = AsyncStream<Void>.makeStream()
            let handle = pipe.fileHandleForReading
            // Reads everything the writer prints; signals once `killAfter` lines are complete.
            let reader = Task {
                await onOwnThread { () -> Data in
                    var data = Data()
                    var lines = 0
                    while true {
                        let chunk = handle.availableData
                        if chunk.isEmpty { break }
                        data.append(chunk)
                        lines += chunk.count { $0 == UInt8(ascii: "\n") }
                        if lines >= killAfter { reachedSignal.yield() }
                    }
                    reachedSignal.finish()
                    return data
                }
            }
            try process.run()
            for await _ in reached { break }
            kill(process.processIdentifier, SIGKILL)
            await onOwnThread { process.waitUntilExit() }
            let output = String(decoding: await reader.value, as: UTF8.self)
            var lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            if output.last != "\n" { lines.removeLast() }  // a line cut by the kill was not fully acknowledged
            var thisRound = 0
            for line in lines where !line.isEmpty {
                let parts = line.split(separator: " ")
                guard parts.count == 2, let seq = UInt64(parts[0]) else { continue }
                acknowledged[seq] = String(parts[1])
                thisRound += 1
            }
            #expect(thisRound > 0, "round \(round) acknowledged nothing")
        }
        let log = try EventLog(directory: dir.path)
        var stored: [UInt64: String] = [:]
        try log.forEach { record in
            stored[record.sequence] = String(decoding: record.payload, as: UTF8.self)
        }
        #expect(stored.count == Int(log.head), "the log is not gapless")
        for (seq, tag) in acknowledged {
            let payload = try #require(stored[seq], "acknowledged event \(seq) is missing")
            #expect(payload.hasPrefix(tag + "-"), "event \(seq) holds \(payload), expected \(tag)")
        }
    }
}
