import EventLog
import Foundation

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String

    init(_ name: String = "eventlog") {
        path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func sampleEvent(_ i: Int, id: String? = nil, size: Int = 16) -> NewEvent {
    NewEvent(
        eventID: id, type: 42, schemaVersion: 1, occurredAt: Int64(i) * 1_000,
        payload: (0..<size).map { UInt8(truncatingIfNeeded: i &+ $0) })
}

func allRecords(_ log: EventLog) throws -> [EventRecord] {
    var records: [EventRecord] = []
    try log.forEach(batchSize: 100) { records.append($0.copy()) }
    return records
}

func makeWriter(_ log: EventLog) throws -> EventWriter<NoAppendState> {
    try EventWriter(log: log, initialState: NoAppendState(), rebuild: { _ in NoAppendState() })
}
