import CLMDB

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
        var attempts = 0
        while true {
            attempts += 1
            if isClosed { throw EventLogError.closed }
            let (used, size) = mapUsage()
            if used > size / 4 * 3 { try growMap() }
            let rc = try writeImported(records)
            if rc == MDB_MAP_FULL && attempts < 64 {
                try growMap()
                continue
            }
            try EventLogError.check(rc, "import")
            publishHead(records[records.count - 1].sequence)
            return
        }
    }

    /// One write transaction for `records`; returns `MDB_MAP_FULL` (after aborting) when the map
    /// filled up, 0 after a commit, and throws on anything else.
    private func writeImported(_ records: [EventRecord]) throws -> Int32 {
        var txnPointer: OpaquePointer?
        try EventLogError.check(mdb_txn_begin(env, nil, 0, &txnPointer), "txn_begin(import)")
        guard let txn = txnPointer else { throw EventLogError.closed }
        var open = true
        defer { if open { mdb_txn_abort(txn) } }
        var buffer: [UInt8] = []
        for record in records {
            let event = NewEvent(
                eventID: record.clientEventID, type: record.type, schemaVersion: record.schemaVersion,
                occurredAt: record.occurredAt, payload: record.payload)
            RecordCodec.encode(event, sequence: record.sequence, recordedAt: record.recordedAt, into: &buffer)
            var key = RecordCodec.encodeKey(record.sequence)
            var rc = withUnsafeMutableBytes(of: &key) { k in
                buffer.withUnsafeMutableBytes { v in
                    var kv = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                    var vv = MDB_val(mv_size: v.count, mv_data: v.baseAddress)
                    return mdb_put(txn, eventsDB, &kv, &vv, UInt32(MDB_APPEND))
                }
            }
            if rc == MDB_MAP_FULL { return rc }
            try EventLogError.check(rc, "put(event \(record.sequence))")
            if let id = record.clientEventID {
                rc = Self.putBytes(
                    txn: txn, dbi: idsDB, key: Array(id.utf8),
                    value: withUnsafeBytes(of: record.sequence.bigEndian) { Array($0) }, flags: UInt32(MDB_NOOVERWRITE))
                if rc == MDB_MAP_FULL { return rc }
                if rc == MDB_KEYEXIST { throw EventLogImportError.duplicateEventID(id: id, sequence: record.sequence) }
                try EventLogError.check(rc, "put(event id of \(record.sequence))")
            }
        }
        open = false
        let rc = mdb_txn_commit(txn)
        if rc == MDB_MAP_FULL { return rc }
        try EventLogError.check(rc, "txn_commit(import)")
        return 0
    }
}
