import Utilities

/// The retention job removed old metric events from the log.
///
/// Every `MetricRecorded` with a sequence ≤ `throughSequence` and a timestamp before
/// `metricCutoff` was written to the archive file `archive` (compressed JSON lines,
/// `archivedEvents` of them, CRC-32C `archiveChecksum` of the file) and then deleted from the
/// log. Folding the marker drops those metrics' raw values from the projection, keeps their hourly
/// rollups (per agent and per operation type) and drops rollups of hours before `rollupCutoff`.
/// Agent, budget, rules and alert events are never removed.
public struct RetentionApplied: Sendable, Equatable {
    public static let type: UInt16 = 8
    public static let version: UInt16 = 1

    /// When the job ran (µs).
    public var asOf: Int64
    /// Metrics with a timestamp before this instant (µs) were removed.
    public var metricCutoff: Int64
    /// Rollup hours before this instant (µs) are dropped.
    public var rollupCutoff: Int64
    /// The head of the log when the job chose what to remove; later events are kept.
    public var throughSequence: UInt64
    /// The archive file, relative to the data directory.
    public var archive: String
    public var archivedEvents: Int64
    /// CRC-32C of the archive file's bytes.
    public var archiveChecksum: UInt32

    public init(
        asOf: Int64, metricCutoff: Int64, rollupCutoff: Int64, throughSequence: UInt64, archive: String,
        archivedEvents: Int64, archiveChecksum: UInt32
    ) {
        self.asOf = asOf
        self.metricCutoff = metricCutoff
        self.rollupCutoff = rollupCutoff
        self.throughSequence = throughSequence
        self.archive = archive
        self.archivedEvents = archivedEvents
        self.archiveChecksum = archiveChecksum
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(asOf)
        w.varint(metricCutoff)
        w.varint(rollupCutoff)
        w.uvarint(throughSequence)
        w.string(archive)
        w.varint(archivedEvents)
        w.uvarint(UInt64(archiveChecksum))
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        asOf = try r.varint()
        metricCutoff = try r.varint()
        rollupCutoff = try r.varint()
        throughSequence = try r.uvarint()
        archive = try r.string()
        archivedEvents = try r.varint()
        let checksum = try r.uvarint()
        guard checksum <= UInt64(UInt32.max) else {
            throw .malformed(type: Self.type, reason: "archive checksum out of range")
        }
        archiveChecksum = UInt32(checksum)
    }
}

extension RetentionApplied: InitDecodedEventKind {
    static let name = "RetentionApplied"
    var domainEvent: DomainEvent { .retentionApplied(self) }
    func occurredAt(now: Int64) -> Int64 { asOf }

    func exportFields() -> JSONObject {
        [
            "as_of": EventFields.time(asOf), "metric_cutoff": EventFields.time(metricCutoff),
            "rollup_cutoff": EventFields.time(rollupCutoff), "through_sequence": .int(Int64(throughSequence)),
            "archive": .string(archive), "archived_events": .int(archivedEvents),
            "archive_checksum": .int(Int64(archiveChecksum)),
        ]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        let through = try f.int("through_sequence")
        let checksum = try f.int("archive_checksum")
        guard through >= 0 else { throw EventFieldError(field: "through_sequence", message: "must not be negative") }
        guard checksum >= 0, checksum <= Int64(UInt32.max) else {
            throw EventFieldError(field: "archive_checksum", message: "must be a 32-bit unsigned integer")
        }
        self.init(
            asOf: try f.time("as_of"), metricCutoff: try f.time("metric_cutoff"),
            rollupCutoff: try f.time("rollup_cutoff"), throughSequence: UInt64(through),
            archive: try f.string("archive"), archivedEvents: try f.int("archived_events"),
            archiveChecksum: UInt32(checksum))
    }
}
