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
    private struct State {
        var running: MaintenanceJob?
        var nextWaiterID = 0
        /// Tasks waiting (`runWhenFree`) for the running job to end; all are woken when it does.
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// How many tasks wait in `runWhenFree` for the running job to end.
    var waiting: Int { state.withLock { $0.waiters.count } }

    /// Runs `body` as `job`, or throws `MaintenanceBusy` when another job runs.
    func run<T>(_ job: MaintenanceJob, _ body: () async throws -> T) async throws -> T {
        let busy: MaintenanceJob? = state.withLock { state in
            if let current = state.running { return current }
            state.running = job
            return nil
        }
        if let busy { throw MaintenanceBusy(running: busy) }
        defer { finish() }
        return try await body()
    }

    private func finish() {
        let woken = state.withLock { state in
            state.running = nil
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Runs `body` as `job` once no other job runs: for the jobs the service starts itself (the
    /// monthly retention, finishing an interrupted one). Waits for the running job's end, not on a
    /// timer; throws `CancellationError` when cancelled while waiting.
    func runWhenFree<T>(_ job: MaintenanceJob, _ body: () async throws -> T) async throws -> T {
        while true {
            do {
                return try await run(job, body)
            } catch is MaintenanceBusy {
                try await waitForEnd()
            }
        }
    }

    /// Returns when no job runs (at once when none does).
    private func waitForEnd() async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.running == nil || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
        try Task.checkCancellation()
    }
}
