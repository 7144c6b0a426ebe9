import Synchronization

/// The long maintenance jobs of a service. One runs at a time: a rebuild reading the log while
/// retention deletes from it would miss the deleted metrics (and then switch that state in).
public enum MaintenanceJob: String, Sendable {
    case retention = "a retention run"
    case rebuild = "a projection rebuild"
}

/// A maintenance job was asked for while another one runs (HTTP 409).
public struct MaintenanceBusy: Error, Sendable, Equatable, CustomStringConvertible {
    /// The job that is running.
    public let running: MaintenanceJob

    public var description: String { "\(running.rawValue) is already in progress" }
}

/// Which maintenance job runs, if any, and who waits for it to end.
final class MaintenanceGate: Sendable {
    private let running = Watched<MaintenanceJob?>(nil)
    /// How many tasks wait in `runWhenFree` for the running job to end.
    private let waiters = Watched(0)

    /// Returns once at least `count` tasks wait in `runWhenFree` (for tests: no polling).
    func waitForWaiters(atLeast count: Int) async {
        await waiters.wait { $0 >= count }
    }

    /// Runs `body` as `job`, or throws `MaintenanceBusy` when another job runs.
    func run<T>(_ job: MaintenanceJob, _ body: () async throws -> T) async throws -> T {
        let busy: MaintenanceJob? = running.update { current in
            if let current { return current }
            current = job
            return nil
        }
        if let busy { throw MaintenanceBusy(running: busy) }
        defer { running.update { $0 = nil } }
        return try await body()
    }

    /// Runs `body` as `job` once no other job runs: for the jobs the service starts itself (the
    /// monthly retention, finishing an interrupted one). Waits for the running job's end, not on a
    /// timer; throws `CancellationError` when cancelled while waiting.
    func runWhenFree<T>(_ job: MaintenanceJob, _ body: () async throws -> T) async throws -> T {
        while true {
            do {
                return try await run(job, body)
            } catch is MaintenanceBusy {
                waiters.update { $0 += 1 }
                await running.wait { $0 == nil }
                waiters.update { $0 -= 1 }
                try Task.checkCancellation()
            }
        }
    }
}
