import EventLog
import Foundation
import Projections

/// Long folds (start without a checkpoint, rebuilds, replays) split by agent over the machine's
/// cores: every part reads the whole run of events and folds its agents' metrics (part 0 also
/// everything else), then the parts are joined. The result equals a fold in one piece.
public enum SplitFold {
    /// Runs shorter than this are folded on one thread (a split costs a pass over the agents and
    /// a thread per part).
    public static let defaultMinimumEvents: UInt64 = 65_536

    /// How many parts by default: one per core.
    public static var defaultParts: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// Folds the events after `projection.sequence` through `through` (undecodable ones skipped
    /// and counted). The projection is moved into the parts and back, never copied (a shared
    /// column would be copied on its next append). Unlike the fold in place, a failed fold leaves
    /// an empty projection: for callers that discard it on an error anyway.
    public static func fold(
        log: EventLog, _ projection: inout FleetProjection, through: UInt64, parts: Int = defaultParts,
        minimumEvents: UInt64 = defaultMinimumEvents
    ) throws {
        let first = projection.sequence + 1
        guard through >= first else { return }
        guard parts > 1, through - first + 1 >= minimumEvents else {
            var whole = FleetProjection()
            swap(&whole, &projection)
            try whole.foldingBatch { (whole: inout FleetProjection) throws(any Error) in
                try LogReplay.forEachRecord(log, from: first, through: through) { record in
                    try whole.apply(
                        type: record.type, schemaVersion: record.schemaVersion, payload: record.payload,
                        sequence: record.sequence)
                }
            }
            swap(&whole, &projection)
            return
        }
        var all = projection.split(into: parts)
        all.insert(FleetProjection(), at: 0)
        swap(&all[0], &projection)
        for index in all.indices { all[index].deferLateMetrics() }
        try log.concurrentPasses(from: first, through: through, accumulators: &all) { projection, pass, record in
            projection.apply(
                type: record.type, schemaVersion: record.schemaVersion, payload: record.payload,
                sequence: record.sequence, part: FoldPart(index: pass, count: parts))
        }
        for index in all.indices { all[index].mergeLateMetrics() }
        swap(&all[0], &projection)
        all.removeFirst()
        projection.join(&all)
    }
}
