import Synchronization

/// A value that tasks wait on until it satisfies a condition: no polling, no timer. Changes go
/// through `update`, which wakes every waiter whose condition then holds; a cancelled waiter
/// returns at once.
final class Watched<Value: Sendable>: Sendable {
    private struct Waiter {
        var condition: @Sendable (Value) -> Bool
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var value: Value
        var nextID = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state: Mutex<State>

    init(_ value: Value) {
        state = Mutex(State(value: value))
    }

    var value: Value { state.withLock { $0.value } }

    /// Changes the value under the lock and wakes the waiters whose condition holds afterwards.
    @discardableResult
    func update<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        let (result, ready) = try state.withLock { state -> (R, [CheckedContinuation<Void, Never>]) in
            let result = try body(&state.value)
            let value = state.value
            let due = state.waiters.filter { $0.value.condition(value) }
            for id in due.keys { state.waiters.removeValue(forKey: id) }
            return (result, due.values.map(\.continuation))
        }
        for continuation in ready { continuation.resume() }
        return result
    }

    /// Returns once `condition` holds for the value (at once when it does), or when the task is
    /// cancelled.
    func wait(until condition: @escaping @Sendable (Value) -> Bool) async {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if condition(state.value) || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }
}
