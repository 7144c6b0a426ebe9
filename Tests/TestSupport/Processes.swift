import Foundation

/// Runs blocking work (a pipe read, `waitUntilExit`) on a thread of its own and returns its result.
/// Blocking calls must stay out of Swift's cooperative pool: on a 2-core machine it has two
/// threads, and two blocked readers would starve every other test of the run.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.start()
    }
}

/// What a finished child process left.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var out: String
    public var err: String
}

/// Runs `executable` with `arguments` to its end, reading its standard output and error at the
/// same time (a child that fills one pipe while the other is read would otherwise block forever).
public func runProcess(_ executable: URL, _ arguments: [String], input: URL? = nil) async throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    if let input { process.standardInput = try FileHandle(forReadingFrom: input) }
    try process.run()
    let outHandle = out.fileHandleForReading
    let errHandle = err.fileHandleForReading
    async let outData = onOwnThread { outHandle.readDataToEndOfFile() }
    async let errData = onOwnThread { errHandle.readDataToEndOfFile() }
    let (o, e) = await (outData, errData)
    await onOwnThread { process.waitUntilExit() }
    return ProcessResult(
        status: process.terminationStatus, out: String(decoding: o, as: UTF8.self),
        err: String(decoding: e, as: UTF8.self))
}
