import Synchronization

/// A record of what happened, appended from any task, that a test awaits a condition on.
///
/// Tests synchronize on these events instead of sleeping or polling against a deadline: a wait
/// returns as soon as the condition holds, however busy the machine is. There is no timeout; a
/// condition that never becomes true is a defect, and CI's overall time limit ends the run.
public final class Observed<Element: Sendable>: Sendable {
    private struct State {
        var elements: [Element] = []
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private struct Waiter {
        var condition: @Sendable ([Element]) -> Bool
        var continuation: CheckedContinuation<Void, any Error>
    }

    private let state = Mutex(State())

    public init() {}

    /// Everything appended so far, in order.
    public var all: [Element] { state.withLock { $0.elements } }

    public func append(_ element: Element) {
        let ready = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.elements.append(element)
            let elements = state.elements
            let due = state.waiters.filter { $0.value.condition(elements) }
            for id in due.keys { state.waiters.removeValue(forKey: id) }
            return due.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

    /// Returns once `condition` holds for the elements appended so far (at once when it already
    /// does). Throws `CancellationError` when the task is cancelled.
    public func wait(until condition: @escaping @Sendable ([Element]) -> Bool) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let now = state.withLock { state -> Bool? in
                    if condition(state.elements) { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return nil
                }
                switch now {
                case true?: continuation.resume()
                case false?: continuation.resume(throwing: CancellationError())
                case nil: break
                }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume(throwing: CancellationError())
        }
    }
}

extension Observed where Element: Equatable {
    /// Returns once `element` has been appended.
    public func wait(for element: Element) async throws {
        try await wait { $0.contains(element) }
    }
}
