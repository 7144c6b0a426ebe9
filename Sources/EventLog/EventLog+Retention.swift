import CLMDB

extension EventLog {
    /// The meta key holding the retention horizon (8 bytes, big endian).
    static let retentionHorizonKey = "retention.horizon"

    /// Sequences below this one may be missing because retention removed them (0 when it never
    /// ran). Reads skip such gaps; a gap at or above it is damage.
    public var retentionHorizon: UInt64 { horizon.load(ordering: .acquiring) }

    func readRetentionHorizon() throws -> UInt64 {
        guard let raw = try meta(Self.retentionHorizonKey) else { return 0 }
        guard raw.count == 8 else {
            throw EventLogError.corruptRecord(sequence: 0, reason: "the retention horizon has \(raw.count) bytes")
        }
        return raw.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
    }

    /// Raises the in-memory horizon (never lowers it).
    func raiseHorizon(to value: UInt64) {
        var current = horizon.load(ordering: .acquiring)
        while current < value {
            let (exchanged, original) = horizon.compareExchange(
                expected: current, desired: value, ordering: .acquiringAndReleasing)
            if exchanged { return }
            current = original
        }
    }
}

extension EventWriter {
    /// Deletes the events at `sequences` (and their client ids from the idempotency index) in
    /// one write transaction, and records `horizon` (the sequence of the retention marker that
    /// archived them) so reads accept the gaps. Every sequence must be below `horizon`; the head
    /// is never removed. Sequences that are already gone are skipped, so a resumed removal is
    /// idempotent.
    public func removeEvents(_ sequences: [UInt64], horizon: UInt64) async throws {
        guard !sequences.isEmpty else { return }
        guard let highest = sequences.max(), highest < horizon, horizon <= log.head else {
            throw EventLogError.corruptRecord(
                sequence: sequences.max() ?? 0,
                reason: "only events below the retention horizon \(horizon) can be removed")
        }
        let log = self.log
        // Raise the horizon first: it only relaxes the gap check, for sequences below the marker.
        log.raiseHorizon(to: horizon)
        try await maintenance { txn in
            let stored = max(horizon, log.retentionHorizon)
            try EventLogError.check(
                EventLog.putBytes(
                    txn: txn, dbi: log.metaDB, key: Array(EventLog.retentionHorizonKey.utf8),
                    value: withUnsafeBytes(of: stored.bigEndian) { Array($0) }, flags: 0),
                "put(meta retention.horizon)")
            for sequence in sequences {
                var keyValue = RecordCodec.encodeKey(sequence)
                let rc = withUnsafeMutableBytes(of: &keyValue) { k -> Int32 in
                    var key = MDB_val(mv_size: 8, mv_data: k.baseAddress)
                    var value = MDB_val()
                    var rc = mdb_get(txn, log.eventsDB, &key, &value)
                    if rc == MDB_NOTFOUND { return 0 }
                    guard rc == 0 else { return rc }
                    if let view = try? RecordCodec.decode(
                        sequence: sequence, record: UnsafeRawBufferPointer(start: value.mv_data, count: value.mv_size),
                        verify: false), view.clientEventIDBytes.count > 0
                    {
                        var idKey = MDB_val(
                            mv_size: view.clientEventIDBytes.count,
                            mv_data: UnsafeMutableRawPointer(mutating: view.clientEventIDBytes.baseAddress))
                        // Only when the index still points at this event.
                        var indexed = MDB_val()
                        rc = mdb_get(txn, log.idsDB, &idKey, &indexed)
                        if rc == 0, indexed.mv_size == 8,
                            UInt64(bigEndian: UnsafeRawPointer(indexed.mv_data!).loadUnaligned(as: UInt64.self))
                                == sequence
                        {
                            rc = mdb_del(txn, log.idsDB, &idKey, nil)
                        }
                        guard rc == 0 || rc == MDB_NOTFOUND else { return rc }
                    }
                    return mdb_del(txn, log.eventsDB, &key, nil)
                }
                try EventLogError.check(rc, "del(event \(sequence))")
            }
        }
    }
}
