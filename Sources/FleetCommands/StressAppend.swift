import ArgumentParser
import EventLog
import Foundation

/// Appends events in a loop and prints each acknowledged sequence: the child process of the
/// crash test (killed with SIGKILL at a random moment, then the log is checked).
public struct StressAppend: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stress-append",
        abstract: "Append events in a loop, printing each acknowledged sequence (crash testing).",
        shouldDisplay: false
    )

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Concurrent appending tasks.")
    var tasks: Int = 8

    @Option(help: "Events per append.")
    var batch: Int = 1

    public func run() async throws {
        let log = try EventLog(directory: data.dataDirectory)
        let writer = try EventWriter(log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() })
        let batch = self.batch
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var i = 0
                    while true {
                        i += 1
                        let events = (0..<batch).map { k in
                            let tag = "t\(task)-\(i)-\(k)"
                            return NewEvent(
                                eventID: tag, type: 42, schemaVersion: 1, occurredAt: Int64(i),
                                payload: Array(tag.utf8))
                        }
                        let outcomes = try await writer.append(events)
                        let line = outcomes.map { "\($0.sequence) t\(task)-\(i)" }.joined(separator: "\n")
                        FileHandle.standardOutput.write(Data((line + "\n").utf8))
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    public init() {}
}
