import EventLog
import Foundation
import PostgresLog
import Projections
import Utilities

/// `replay export` / `replay import`: the log as JSON lines, one record per line:
///
///     {"sequence":1,"event_id":null,"type":"AgentRegistered","type_id":1,"schema_version":1,
///      "recorded_at":"2025-11-17T12:00:00Z","occurred_at":"2025-11-17T12:00:00Z",
///      "payload":{"agent_id":1,"name":"coder","role":"developer"}}
///
/// The payload is the decoded event with snake_case fields (times as ISO-8601, money in exact
/// nano-dollars). A record whose JSON form would not re-encode to exactly its stored bytes (an
/// older schema version, an unknown type, a non-finite number) carries `payload_base64` instead,
/// so an import always reproduces every record byte for byte.
extension LogReplay {
    // MARK: Export

    /// The export line of one record (without the newline).
    public static func exportLine(_ record: EventRecord) -> [UInt8] {
        var line = JSONObject()
        line["sequence"] = .int(Int64(record.sequence))
        line["event_id"] = .optional(record.clientEventID)
        let event = try? record.domainEvent()
        line["type"] = .string(event?.name ?? "unknown")
        line["type_id"] = .int(Int64(record.type))
        line["schema_version"] = .int(Int64(record.schemaVersion))
        line["recorded_at"] = time(record.recordedAt)
        line["occurred_at"] = time(record.occurredAt)
        if let event, record.schemaVersion == event.schemaVersion {
            let payload = JSONValue.object(event.exportFields)
            // Keep the JSON form only when it reads back to the very same bytes.
            if let reparsed = try? JSONParser.parse(payload.serialized()),
                let back = try? DomainEvent.imported(type: record.type, fields: reparsed),
                back.encodedPayload() == record.payload
            {
                line["payload"] = payload
                return JSONValue.object(line).serialized()
            }
        }
        line["payload_base64"] = .string(Data(record.payload).base64EncodedString())
        return JSONValue.object(line).serialized()
    }

    /// Writes the export lines of the records `from…head` (the head when the export starts);
    /// returns how many it wrote. Events that retention removed are taken back from their archives
    /// (in sequence order), so an export is always the whole, gapless history and imports as such.
    @discardableResult
    public static func export(_ log: EventLog, from: UInt64 = 1, write: ([UInt8]) throws -> Void) throws -> UInt64 {
        let head = try log.readHead()
        let archived = try archivedLines(log, from: from, through: head)
        var nextArchived = 0
        var count: UInt64 = 0
        var chunk: [UInt8] = []
        chunk.reserveCapacity(1 << 20)
        func emit(_ line: [UInt8]) throws {
            chunk.append(contentsOf: line)
            chunk.append(UInt8(ascii: "\n"))
            count += 1
            if chunk.count >= 1 << 20 {
                try write(chunk)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        try forEachRecord(log, from: from, through: head) { view in
            while nextArchived < archived.count && archived[nextArchived].sequence < view.sequence {
                try emit(archived[nextArchived].line)
                nextArchived += 1
            }
            try emit(exportLine(view.copy()))
        }
        while nextArchived < archived.count {
            try emit(archived[nextArchived].line)
            nextArchived += 1
        }
        if !chunk.isEmpty { try write(chunk) }
        return count
    }

    /// The archived export lines of events in `from…through` that retention removed, in sequence
    /// order (read from the archives the log's `RetentionApplied` markers name).
    static func archivedLines(_ log: EventLog, from: UInt64, through: UInt64) throws -> [(
        sequence: UInt64, line: [UInt8]
    )] {
        guard log.retentionHorizon > 0 else { return [] }
        var archives: [RetentionApplied] = []
        try forEachRecord(log, through: through) { view in
            guard view.type == RetentionApplied.type,
                case .retentionApplied(let marker) = try view.domainEvent()
            else { return }
            archives.append(marker)
        }
        var lines: [(sequence: UInt64, line: [UInt8])] = []
        for marker in archives {
            let path = log.directory + "/" + marker.archive
            guard FileManager.default.fileExists(atPath: path),
                try GzipFileReader.checksum(path: path) == marker.archiveChecksum
            else {
                throw ReplayError(
                    "the retention archive \(path) is missing or does not match its marker; the export would have gaps")
            }
            var lineNumber = 0
            try GzipFileReader.forEachLine(path: path) { line in
                lineNumber += 1
                let record = try parseExportLine(line, lineNumber: lineNumber)
                if record.sequence >= from && record.sequence <= through { lines.append((record.sequence, line)) }
            }
        }
        lines.sort { $0.sequence < $1.sequence }
        return lines
    }

    static func time(_ us: Int64) -> JSONValue {
        let text = UTCTime.formatISO8601(us)
        // Years outside 1–9999 cannot be read back as ISO-8601: keep the microseconds.
        return UTCTime.parseISO8601(text) == us ? .string(text) : .int(us)
    }

    // MARK: Import

    /// Reads one export line back into the record it describes.
    public static func parseExportLine(_ line: some Collection<UInt8>, lineNumber: Int) throws -> EventRecord {
        func fail(_ field: String, _ message: String) -> ReplayError {
            ReplayError("line \(lineNumber): \(field.isEmpty ? "" : "field \(field): ")\(message)")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(Array(line)) } catch { throw fail("", "not JSON: \(error)") }
        guard let object = value.objectValue else { throw fail("", "a record must be a JSON object") }
        guard let sequenceValue = object["sequence"]?.int64Value, sequenceValue >= 1 else {
            throw fail("sequence", "must be a positive integer")
        }
        var clientID: String?
        if let raw = object["event_id"], !raw.isNull {
            guard let s = raw.stringValue, !s.isEmpty else {
                throw fail("event_id", "must be a non-empty string or null")
            }
            clientID = s
        }
        let type: UInt16
        if let raw = object["type_id"] {
            guard let t = raw.int64Value, let t16 = UInt16(exactly: t) else {
                throw fail("type_id", "must be an integer from 0 to 65535")
            }
            type = t16
        } else if let name = object["type"]?.stringValue, let t = typeID(named: name) {
            type = t
        } else {
            throw fail("type", "must name an event type (or give type_id)")
        }
        guard let versionValue = object["schema_version"]?.int64Value, let version = UInt16(exactly: versionValue)
        else {
            throw fail("schema_version", "must be an integer from 0 to 65535")
        }
        func readTime(_ field: String) throws -> Int64 {
            guard let raw = object[field], let us = parseTime(raw) else {
                throw fail(field, "must be an ISO-8601 UTC time (or microseconds since the epoch)")
            }
            return us
        }
        let recordedAt = try readTime("recorded_at")
        let occurredAt = try readTime("occurred_at")
        let payload: [UInt8]
        if let raw = object["payload_base64"] {
            guard let text = raw.stringValue, let data = Data(base64Encoded: text) else {
                throw fail("payload_base64", "must be base64 text")
            }
            payload = Array(data)
        } else if let raw = object["payload"] {
            do {
                payload = try DomainEvent.imported(type: type, fields: raw).encodedPayload()
            } catch {
                throw fail("payload" + (error.field.isEmpty ? "" : "." + error.field), error.message)
            }
        } else {
            throw fail("payload", "is required (or payload_base64)")
        }
        return EventRecord(
            sequence: UInt64(sequenceValue), clientEventID: clientID, type: type, schemaVersion: version,
            recordedAt: recordedAt, occurredAt: occurredAt, payload: payload)
    }

    /// The name of a type id in exports, or `type N` for one this build does not know.
    static func typeName(_ type: UInt16) -> String { DomainEvent.name(ofType: type) }

    static func typeID(named name: String) -> UInt16? { DomainEvent.type(named: name) }

    static func parseTime(_ value: JSONValue) -> Int64? {
        if let text = value.stringValue { return UTCTime.parseISO8601(text) }
        if case .int(let us) = value { return us }
        return nil
    }

    /// Imports export lines into the log of `directory`, which must be empty (a missing directory
    /// is created). Records keep their sequences, ids, times and payloads. `lines` yields each line
    /// (without its newline); blank lines are skipped. Returns the number of records imported.
    public static func importLog(
        into directory: String, lines: some Sequence<[UInt8]>, progress: ((UInt64) -> Void)? = nil
    ) throws -> UInt64 {
        try importLog(into: LogStore(dataDirectory: directory), lines: lines, progress: progress)
    }

    /// Imports export lines into the log `store` keeps, which must be empty: an LMDB directory
    /// (created when missing) or a PostgreSQL database (its schema created when missing). On an
    /// error nothing half-imported stays behind.
    public static func importLog(
        into store: LogStore, lines: some Sequence<[UInt8]>, progress: ((UInt64) -> Void)? = nil
    ) throws -> UInt64 {
        let directory = store.dataDirectory
        let created = store.postgres == nil && !FileManager.default.fileExists(atPath: directory)
        let log = try store.open()
        var closed = false
        defer { if !closed { log.close() } }
        let head = try log.readHead()
        guard head == 0 else {
            throw ReplayError("the log in \(store) already holds \(head) events; import needs an empty one")
        }
        do {
            return try importRecords(into: log, lines: lines, progress: progress)
        } catch {
            // Nothing half-imported stays behind: a directory this import created goes again; a
            // database, empty before, is emptied again (this import holds its writer's lock).
            if let storage = log.storage as? PostgresStorage { try? storage.removeEverything() }
            log.close()
            closed = true
            if created { try? FileManager.default.removeItem(atPath: directory) }
            throw error
        }
    }

    /// Lines parsed at a time (over every core), then checked and written in order.
    static let importChunkLines = 20_000

    private static func importRecords(
        into log: EventLog, lines: some Sequence<[UInt8]>, progress: ((UInt64) -> Void)?
    ) throws -> UInt64 {
        var validator = LogValidator()
        var expected: UInt64 = 1
        var imported: UInt64 = 0
        var lineNumber = 0
        var seenIDs: [String: UInt64] = [:]
        var chunk: [(lineNumber: Int, line: [UInt8])] = []
        var batch: [EventRecord] = []
        // Parsing the JSON lines is most of an import's work and each line is parsed alone, so a
        // chunk is parsed on every core; the checks that depend on earlier lines (sequence, event
        // ids, the validator's registered agents) and the writes then run in line order, so the
        // first error reported is the one a line-by-line import meets.
        func flush() throws {
            let parsed = parseInParallel(chunk)
            for (index, result) in parsed.enumerated() {
                let lineNumber = chunk[index].lineNumber
                let record = try result.get()
                guard record.sequence == expected else {
                    throw ReplayError(
                        "line \(lineNumber): field sequence: \(record.sequence) does not continue the log (expected \(expected))"
                    )
                }
                if let id = record.clientEventID {
                    if let earlier = seenIDs[id] {
                        throw ReplayError(
                            "line \(lineNumber): field event_id: \(id) was already used by event \(earlier)")
                    }
                    seenIDs[id] = record.sequence
                }
                if let reason = validator.check(
                    type: record.type, version: record.schemaVersion, payload: record.payload)
                {
                    throw ReplayError(
                        "line \(lineNumber): event \(record.sequence) (\(Self.typeName(record.type))): \(reason)")
                }
                expected += 1
                batch.append(record)
            }
            chunk.removeAll(keepingCapacity: true)
            guard !batch.isEmpty else { return }
            try log.importRecords(batch)
            imported += UInt64(batch.count)
            batch.removeAll(keepingCapacity: true)
            progress?(imported)
        }
        for line in lines {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            chunk.append((lineNumber, line))
            if chunk.count >= importChunkLines { try flush() }
        }
        try flush()
        return imported
    }

    /// `parseExportLine` of every line, in order, the lines split over the cores.
    static func parseInParallel(_ chunk: [(lineNumber: Int, line: [UInt8])]) -> [Result<EventRecord, any Error>] {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, chunk.count / 1_000))
        var results = [Result<EventRecord, any Error>](
            repeating: .failure(ReplayError("not parsed")), count: chunk.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each part writes only its own slots.
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let range = (chunk.count * part / parts)..<(chunk.count * (part + 1) / parts)
                for i in range {
                    slots[i] = Result { try parseExportLine(chunk[i].line, lineNumber: chunk[i].lineNumber) }
                }
            }
        }
        return results
    }
}

/// The lines of a file (or standard input), read in chunks, without their newlines.
public struct FileLines: Sequence, IteratorProtocol {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false

    public init(handle: FileHandle) {
        self.handle = handle
    }

    public mutating func next() -> [UInt8]? {
        while true {
            if let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = Array(buffer[start..<end])
                start = end + 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            let data = handle.readData(ofLength: 1 << 20)
            if data.isEmpty { finished = true } else { buffer.append(contentsOf: data) }
        }
    }
}
