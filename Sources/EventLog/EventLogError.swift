import CLMDB
import Foundation

/// Errors raised by the event log, each naming what went wrong in a sentence a person can act on.
public enum EventLogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An LMDB call failed; `code` is the LMDB or errno code.
    case lmdb(operation: String, code: Int32, message: String)
    /// Another process holds the writer lock of the data directory.
    case directoryLocked(path: String)
    /// Another node holds the writer's lock of the shared log at `location` (a database URL
    /// without its password): this one may read it, not write it.
    case writerLockHeld(location: String)
    /// The data directory could not be created or opened.
    case directoryUnavailable(path: String, reason: String)
    /// A stored record failed its checksum or could not be parsed.
    case corruptRecord(sequence: UInt64, reason: String)
    /// The sequence numbers of the log are not gapless.
    case gap(expected: UInt64, found: UInt64)
    /// The log was written by a newer, unknown format.
    case unsupportedFormat(found: String)
    /// An event id is longer than the index allows.
    case eventIDTooLong(length: Int)
    /// The log has been closed.
    case closed
    /// The writer's queue holds `queued` requests, its limit: this one was refused before anything
    /// was decided or stored. Retrying after the queue drains succeeds.
    case writerBusy(queued: Int)
    /// The log was opened read-only.
    case readOnly
    /// The storage holding the log has no room for this write (`ENOSPC`, `EDQUOT`, `EFBIG`, or a
    /// map that could not grow). Nothing of the write was stored and the log is as before; writes
    /// succeed again once space is freed, without a restart.
    case storageFull(operation: String, code: Int32, message: String)
    /// Writing or syncing the log failed (`EIO`, or LMDB's fatal `MDB_PANIC`, after which only
    /// a restart helps). Nothing of the write was stored.
    case storageFailed(operation: String, code: Int32, message: String)
    /// The database that keeps the log cannot be reached, or this node no longer holds the
    /// writer's lock in it. Nothing of the write was stored; writes succeed again once it is back.
    case unavailable(operation: String, message: String)

    public var description: String {
        switch self {
        case .lmdb(let operation, let code, let message):
            return "LMDB \(operation) failed (\(code)): \(message)"
        case .directoryLocked(let path):
            return "the data directory \(path) is already opened for writing by another process"
        case .writerLockHeld(let location):
            return "another node holds the writer's lock of the log in \(location): this node cannot write it"
        case .directoryUnavailable(let path, let reason):
            return "the data directory \(path) cannot be used: \(reason)"
        case .corruptRecord(let sequence, let reason):
            return "event \(sequence) is damaged: \(reason)"
        case .gap(let expected, let found):
            return "the log has a gap: expected sequence \(expected), found \(found)"
        case .unsupportedFormat(let found):
            return "the log has format version \(found), which this build does not know"
        case .eventIDTooLong(let length):
            return "an event id of \(length) bytes is longer than the limit of \(EventLog.maxEventIDBytes) bytes"
        case .closed:
            return "the event log is closed"
        case .writerBusy(let queued):
            return "the event log's writer has \(queued) requests queued, its limit; nothing of this write was stored"
        case .readOnly:
            return "the event log was opened read-only"
        case .storageFull(let operation, _, let message):
            return
                "the storage of the event log is full (\(message) in \(operation)): nothing of this write was stored; writes succeed again once space is freed"
        case .unavailable(let operation, let message):
            return
                "the event log's database is unavailable (\(message) in \(operation)): nothing of this write was stored"
        case .storageFailed(let operation, let code, let message):
            let advice =
                code == MDB_PANIC
                ? "the log needs a restart of the service" : "a short write usually means the disk is full"
            return
                "writing the event log failed (\(message) in \(operation)): nothing of this write was stored; \(advice)"
        }
    }

    /// Whether the write failed for lack of space or a storage error, with the log unchanged:
    /// the service is unavailable for writes (503) rather than broken.
    public var isStorageUnavailable: Bool {
        switch self {
        case .storageFull, .storageFailed, .unavailable: return true
        default: return false
        }
    }

    /// Whether this is LMDB's "map full" condition, which the writer handles by growing the map.
    var isMapFull: Bool {
        if case .lmdb(_, let code, _) = self { return code == MDB_MAP_FULL }
        return false
    }

    static func check(_ rc: Int32, _ operation: String) throws(EventLogError) {
        if rc != 0 { throw lmdbError(rc, operation) }
    }

    static func lmdbError(_ rc: Int32, _ operation: String) -> EventLogError {
        let message = mdb_strerror(rc).map { String(cString: $0) } ?? "unknown error"
        switch rc {
        case ENOSPC, EDQUOT, EFBIG: return .storageFull(operation: operation, code: rc, message: message)
        case EIO, MDB_PANIC: return .storageFailed(operation: operation, code: rc, message: message)
        default: return .lmdb(operation: operation, code: rc, message: message)
        }
    }
}
