import EventLog
import Logging
import Projections
import ServiceLifecycle

/// Tails the log: whenever the head moves, folds whatever the live projection has not folded yet.
///
/// Appends through this process are already folded by the writer's commit hook before their
/// callers resume (read-your-writes); the tailer is what keeps the projection at the head
/// regardless, e.g. after a fold that failed on a transient read error was logged and skipped.
struct ProjectionTailer: Service {
    let service: FleetService
    let logger: Logger

    func run() async throws {
        for await head in service.log.headUpdates().cancelOnGracefulShutdown() {
            // Every head of this process's log is published by the writer right before its
            // commit hook folds that commit: wait for the hook, and fold only what it left behind.
            // (Taking the projection's lock while the hook folded made this task spin on the
            // lock: 15% of the server's samples under a stream of late metrics.)
            await service.waitForCommitHook(head)
            if Task.isCancelled { break }
            do {
                let folded = try service.catchUp(to: head)
                if folded > 0 {
                    logger.notice(
                        "projection tailer folded events the commit hook had not", metadata: ["events": "\(folded)"])
                }
            } catch {
                logger.error("projection tailer could not fold", metadata: ["error": "\(error)"])
            }
        }
    }
}

extension FleetService {
    /// When the live projection is behind `head`, folds the log into it up to the log's head (in
    /// place, under the projection lock); returns how many events that took (0 when it was not behind).
    @discardableResult
    func catchUp(to head: UInt64) throws -> UInt64 {
        guard projectionSequence < head else { return 0 }
        return try swapProjection { projection in
            guard projection.sequence < head else { return 0 }
            let before = projection.sequence
            try Self.fold(log: log, into: &projection, from: before + 1)
            return projection.sequence - before
        }
    }
}

extension FleetService {
    /// The services that keep a serving node current: the projection tailer, and the evaluation
    /// scheduler (evaluations, weekly reports, monthly retention) when `scheduler` is on.
    package func backgroundServices(scheduler: Bool, logger: Logger) -> [any Service] {
        var services: [any Service] = [ProjectionTailer(service: self, logger: logger)]
        if scheduler { services.append(EvaluationScheduler(service: self, logger: logger)) }
        return services
    }
}
