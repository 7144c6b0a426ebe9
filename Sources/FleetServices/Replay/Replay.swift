import EventLog
import Foundation
import Logging
import Projections
import Utilities

/// Tools over the event log of a data directory, for `metrics-service replay …`: they open the
/// log read-only (safe beside a running service, whose writer they never block) or work on a
/// copy, and they fold the log with the same projection code as the service.
public enum LogReplay {}

/// A replay request that cannot be carried out, in a sentence a person can act on.
public struct ReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

extension LogReplay {
    /// Opens the log of `directory` for reading only. A missing directory, or one without a log,
    /// is refused naming the path.
    public static func openReadOnly(_ directory: String) throws -> EventLog {
        try EventLog(directory: directory, options: .init(readOnly: true))
    }

    /// Opens the log `store` keeps for reading only (a PostgreSQL log without taking the writer's
    /// lock, so beside a running service).
    public static func openReadOnly(_ store: LogStore) throws -> EventLog {
        try store.open(readOnly: true)
    }

    /// Calls `body` for each record from `from` through `through` (inclusive), in bounded read
    /// transactions, with checksums verified.
    static func forEachRecord(
        _ log: EventLog, from: UInt64 = 1, through: UInt64, batchSize: Int = 4096,
        _ body: (EventRecordView) throws -> Void
    ) throws {
        var next = max(from, 1)
        while next <= through {
            let limit = Int(min(UInt64(batchSize), through - next + 1))
            let after = try log.read(from: next, limit: limit, body)
            if after == next { return }
            next = after
        }
    }

    /// Folds the records `from…through` into `projection`, as the service does (events this
    /// build cannot decode are skipped and counted). `progress` gets the position after each batch.
    /// Runs of at least `splitMinimum` events are folded on every core (`SplitFold`), `chunk`
    /// events at a time: on an error `projection` is left empty (sequence 0), discard it.
    public static func fold(
        _ log: EventLog, into projection: inout FleetProjection, through: UInt64,
        chunk: UInt64 = 262_144, splitMinimum: UInt64 = SplitFold.defaultMinimumEvents,
        progress: ((UInt64) -> Void)? = nil
    ) throws {
        var next = projection.sequence + 1
        let batch: UInt64 = 16_384
        // Long runs are folded on every core, a chunk at a time (so progress keeps moving).
        while through >= next && through - next + 1 >= splitMinimum {
            let end = min(through, next + max(chunk, 1) - 1)
            try SplitFold.fold(log: log, &projection, through: end, minimumEvents: 1)
            next = end + 1
            progress?(end)
        }
        while next <= through {
            let end = min(through, next + batch - 1)
            try projection.foldingBatch { (projection: inout FleetProjection) throws(any Error) in
                try forEachRecord(log, from: next, through: end) { record in
                    try projection.apply(
                        type: record.type, schemaVersion: record.schemaVersion, payload: record.payload,
                        sequence: record.sequence)
                }
            }
            next = end + 1
            progress?(end)
        }
    }

    /// The projection checkpoint of the log's snapshot database, or why it cannot be used.
    public enum Checkpoint {
        case none
        case unusable(reason: String)
        case usable(FleetProjection)
    }

    /// Reads the checkpoint the service wrote (the same checks as at service start).
    public static func checkpoint(_ log: EventLog, head: UInt64) -> Checkpoint {
        let snapshot: EventLog.Snapshot
        do {
            guard let stored = try log.snapshot(named: FleetService.snapshotName) else { return .none }
            snapshot = stored
        } catch {
            return .unusable(reason: "it cannot be read: \(error)")
        }
        guard snapshot.version == FleetProjection.snapshotVersion else {
            return .unusable(
                reason: "it has projection version \(snapshot.version), this build \(FleetProjection.snapshotVersion)")
        }
        guard snapshot.sequence <= head else {
            return .unusable(reason: "it is at sequence \(snapshot.sequence), ahead of the log's head \(head)")
        }
        do {
            return .usable(try FleetProjection(snapshot: snapshot.bytes))
        } catch {
            return .unusable(reason: "it is damaged: \(error)")
        }
    }

    /// The projection at `sequence`: from the checkpoint when it is at or before it (and
    /// `useCheckpoint`), otherwise from the first event.
    public static func projection(
        _ log: EventLog, through sequence: UInt64, useCheckpoint: Bool = true
    ) throws -> FleetProjection {
        var projection = try rebuildBase(log)
        guard sequence >= projection.sequence else {
            throw ReplayError(
                "retention removed metric events before sequence \(log.retentionHorizon): the state at event "
                    + "\(sequence) predates the retention snapshot (event \(projection.sequence)); the removed events "
                    + "are in \(log.directory)/archive")
        }
        if useCheckpoint, case .usable(let restored) = checkpoint(log, head: sequence), restored.sequence <= sequence,
            restored.sequence > projection.sequence
        {
            projection = restored
        }
        try fold(log, into: &projection, through: sequence)
        return projection
    }

    /// What a fold from the first event starts with: an empty projection or, once retention
    /// removed events, the retention snapshot.
    public static func rebuildBase(_ log: EventLog) throws -> FleetProjection {
        try FleetService.rebuildBase(
            log: log, logger: Logger(label: "replay", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// The record at `sequence`, which must exist.
    static func record(_ log: EventLog, at sequence: UInt64) throws -> EventRecord {
        guard let record = try log.record(at: sequence) else {
            if sequence < log.retentionHorizon {
                throw ReplayError("event \(sequence) was removed by retention (see \(log.directory)/archive)")
            }
            throw ReplayError("the log has no event \(sequence)")
        }
        return record
    }

    /// `us` as ISO-8601 text.
    static func iso(_ us: Int64) -> String { UTCTime.formatISO8601(us) }

    /// Parses `text` as a point of the log: a sequence (digits) or an ISO-8601 time.
    public enum Point: Sendable, Equatable {
        case sequence(UInt64)
        case time(Int64)

        public init(parsing text: String) throws {
            if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
                guard let value = UInt64(text) else { throw ReplayError("the sequence \(text) is too large") }
                self = .sequence(value)
            } else if let time = UTCTime.parseISO8601(text) {
                self = .time(time)
            } else {
                throw ReplayError(
                    "\(text) is neither a log sequence (digits) nor an ISO-8601 UTC time such as 2025-11-17T14:30:00Z")
            }
        }
    }

    /// The last sequence recorded at or before `time` (the log is read as a prefix: it stops at the
    /// first event recorded after `time`), with that event's recorded time. Throws when `time` is
    /// before the first event.
    public static func lastSequence(_ log: EventLog, recordedAtOrBefore time: Int64) throws -> (
        sequence: UInt64, recordedAt: Int64
    ) {
        let head = try log.readHead()
        guard head > 0 else { throw ReplayError("the log is empty") }
        let first = try record(log, at: 1)
        guard first.recordedAt <= time else {
            throw ReplayError(
                "\(iso(time)) is before the first event of the log (recorded at \(iso(first.recordedAt)))")
        }
        var found = (sequence: UInt64(1), recordedAt: first.recordedAt)
        struct Stop: Error {}
        do {
            try forEachRecord(log, from: 2, through: head) { record in
                if record.recordedAt > time { throw Stop() }
                found = (record.sequence, record.recordedAt)
            }
        } catch is Stop {}
        return found
    }
}
