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
        try await maintenance { group in
            let stored = max(horizon, log.retentionHorizon)
            try group.putMeta(EventLog.retentionHorizonKey, withUnsafeBytes(of: stored.bigEndian) { Array($0) })
            for sequence in sequences {
                try group.removeEvent(sequence)
            }
        }
    }
}
