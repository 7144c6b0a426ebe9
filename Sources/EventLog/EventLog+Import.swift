/// Why records could not be imported.
public enum EventLogImportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The records do not continue the log: each must have the sequence after the previous one,
    /// the first the one after the head.
    case notContiguous(expected: UInt64, found: UInt64)
    /// A client event id is already in the log (or earlier in the import).
    case duplicateEventID(id: String, sequence: UInt64)

    public var description: String {
        switch self {
        case .notContiguous(let expected, let found):
            return "record \(found) does not continue the log: the next sequence is \(expected)"
        case .duplicateEventID(let id, let sequence):
            return "event \(sequence) repeats the event id \(id), which is already in the log"
        }
    }
}

extension EventLog {
    /// Writes `records` as they are — their sequences, `recorded_at`, `occurred_at`, client ids
    /// and payloads — in one write transaction, with the envelope and checksum of every append.
    ///
    /// For imports only: the log must be opened for writing with no `EventWriter` running on it,
    /// and the records must continue it contiguously (the first at `head + 1`, so an import into
    /// an empty log starts at 1). A repeated client event id is refused. Nothing is written when
    /// any record is refused.
    public func importRecords(_ records: [EventRecord]) throws {
        guard !options.readOnly else { throw EventLogError.readOnly }
        guard !records.isEmpty else { return }
        let head = try readHead()
        for (offset, record) in records.enumerated() where record.sequence != head + 1 + UInt64(offset) {
            throw EventLogImportError.notContiguous(expected: head + 1 + UInt64(offset), found: record.sequence)
        }
        for record in records {
            if let id = record.clientEventID, id.isEmpty || id.utf8.count > Self.maxEventIDBytes {
                throw EventLogError.eventIDTooLong(length: id.utf8.count)
            }
        }
        if isClosed { throw EventLogError.closed }
        var attempts = 0
        while true {
            attempts += 1
            try storage.makeRoom(force: attempts > 1)
            do {
                try writeImported(records)
            } catch let error as EventLogError where error.isMapFull && attempts < 64 {
                continue
            }
            publishHead(records[records.count - 1].sequence)
            return
        }
    }

    /// One write group for `records`.
    private func writeImported(_ records: [EventRecord]) throws {
        let group = try storage.beginGroup()
        defer { group.abort() }
        var buffer: [UInt8] = []
        for record in records {
            let event = NewEvent(
                eventID: record.clientEventID, type: record.type, schemaVersion: record.schemaVersion,
                occurredAt: record.occurredAt, payload: record.payload)
            RecordCodec.encode(event, sequence: record.sequence, recordedAt: record.recordedAt, into: &buffer)
            try group.importRecord(sequence: record.sequence, eventID: record.clientEventID, record: buffer)
        }
        try group.commit()
    }
}
