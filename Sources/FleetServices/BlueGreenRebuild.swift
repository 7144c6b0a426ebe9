import EventLog
import Foundation
import Projections

extension FleetService {
    /// What a blue/green rebuild did.
    public struct RebuildOutcome: Sendable, Equatable {
        /// Events folded from the log into the new projection.
        public var events: UInt64
        /// Whether the new projection answers every query exactly as the old one did at the switch.
        public var identical: Bool
        public var seconds: Double
    }

    /// Builds a new projection from event 1 (after retention: from the retention snapshot) beside the live one (which keeps serving), catches
    /// it up to the head and switches to it atomically under the projection lock. Returns whether
    /// the two agreed (a difference means the live state had drifted, and the rebuilt one wins).
    /// Throws `MaintenanceBusy` while retention runs (it deletes events the fold would read).
    public func rebuildProjection() async throws -> RebuildOutcome {
        try await maintenance.run(.rebuild) { try await rebuildBesideLive() }
    }

    private func rebuildBesideLive() async throws -> RebuildOutcome {
        let started = Date()
        let log = self.log
        // The long fold runs off the lock; commits keep landing in the live projection meanwhile.
        let logger = self.logger
        var fresh = try await Task.detached(priority: .utility) {
            var rebuilt = try Self.rebuildBase(log: log, logger: logger)
            try Self.foldToHead(log: log, &rebuilt)
            return rebuilt
        }
        .value
        let identical = try swapProjection(replacing: true) { live in
            // Catch up with what was committed during the fold; `onCommit` cannot run while the
            // lock is held, so nothing is missed or applied twice. The head is published before
            // the commit hook folds, so the live projection may lack the newest commits: both are
            // brought to the same position before they are compared.
            let target = try log.readHead()
            try Self.fold(log: log, into: &fresh, through: target)
            try Self.fold(log: log, into: &live, through: target)
            let same = fresh.snapshotBytes() == live.snapshotBytes()
            live = fresh
            return same
        }
        let outcome = RebuildOutcome(
            events: fresh.sequence, identical: identical, seconds: Date().timeIntervalSince(started))
        logger.notice(
            "projection rebuilt and switched",
            metadata: ["events": "\(outcome.events)", "identical": "\(identical)", "seconds": "\(outcome.seconds)"])
        return outcome
    }
}
