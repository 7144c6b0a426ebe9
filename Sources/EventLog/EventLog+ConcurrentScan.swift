import Dispatch
import Synchronization

extension EventLog {
    /// Visits the events of `from…through` split into `partitions` contiguous sequence ranges, each
    /// scanned on its own thread in its own short read transactions (bounded batches, checksums
    /// verified unless `verify` is false, as `forEach`). Within a partition, `body` sees events in
    /// sequence order and folds them into that partition's accumulator (from `initial`); the
    /// accumulators come back in partition order, so work that does not depend on order
    /// (verifying, decoding, counting) uses every core, and order-dependent folds merge the
    /// partitions in order. The first error of any partition is thrown.
    public func concurrentScan<Accumulator: Sendable>(
        from: UInt64 = 1, through: UInt64, partitions: Int, batchSize: Int = 4096, verify: Bool = true,
        initial: @Sendable () -> Accumulator,
        _ body: @Sendable (inout Accumulator, EventRecordView) throws -> Void
    ) throws -> [Accumulator] {
        let first = max(from, 1)
        guard through >= first else { return [] }
        let total = through - first + 1
        let count = Int(min(UInt64(max(partitions, 1)), total))
        let results = Mutex<[Int: Result<Accumulator, any Error>]>([:])
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let start = first + total * UInt64(index) / UInt64(count)
            let end = first + total * UInt64(index + 1) / UInt64(count) - 1
            var accumulator = initial()
            let outcome = Result { () throws -> Accumulator in
                var next = start
                while next <= end {
                    var passedEnd = false
                    let limit = Int(min(UInt64(batchSize), end - next + 1))
                    let after = try read(from: next, limit: limit, verify: verify) { record in
                        // Retention gaps can make a batch run past the partition's end.
                        guard record.sequence <= end else {
                            passedEnd = true
                            return
                        }
                        try body(&accumulator, record)
                    }
                    if after == next || passedEnd { break }
                    next = after
                }
                return accumulator
            }
            results.withLock { $0[index] = outcome }
        }
        return try results.withLock { stored in try (0..<count).map { try stored[$0]!.get() } }
    }
}

extension EventLog {
    /// Visits every event of `from…through` once per accumulator, each pass on its own thread in
    /// its own short read transactions, in sequence order: for folds split by key (each pass keeps
    /// the events of its keys), where every pass must see its events in order. The accumulators are
    /// moved into their threads and back (never copied, so their storage stays uniquely referenced
    /// while it grows). Every pass verifies the checksums of what it reads (unless `verify` is
    /// false), so no damaged record reaches `body`. When a pass fails, the others stop at their next
    /// batch; the error of the failing pass (the lowest-numbered, when several fail) is thrown, and
    /// `accumulators` is left empty.
    public func concurrentPasses<Accumulator: Sendable>(
        from: UInt64 = 1, through: UInt64, accumulators: inout [Accumulator], batchSize: Int = 4096,
        verify: Bool = true,
        _ body: @Sendable (inout Accumulator, Int, EventRecordView) throws -> Void
    ) throws {
        let count = accumulators.count
        let first = max(from, 1)
        guard through >= first, count > 0 else { return }
        var moved = [Accumulator?](repeating: nil, count: count)
        for index in moved.indices.reversed() { moved[index] = accumulators.popLast() }
        let slots = Mutex<[Accumulator?]>(moved)
        let failures = Mutex<[Int: any Error]>([:])
        let failed = Atomic<Bool>(false)
        DispatchQueue.concurrentPerform(iterations: count) { pass in
            var accumulator = slots.withLock { $0[pass].take()! }
            do {
                var next = first
                while next <= through && !failed.load(ordering: .relaxed) {
                    let limit = Int(min(UInt64(batchSize), through - next + 1))
                    var passedEnd = false
                    let after = try read(from: next, limit: limit, verify: verify) { record in
                        guard record.sequence <= through else {
                            passedEnd = true
                            return
                        }
                        try body(&accumulator, pass, record)
                    }
                    if after == next || passedEnd { break }
                    next = after
                }
            } catch {
                failures.withLock { $0[pass] = error }
                failed.store(true, ordering: .relaxed)
            }
            slots.withLock { $0[pass] = accumulator }
        }
        if let (_, error) = failures.withLock({ $0.min { $0.key < $1.key } }) { throw error }
        accumulators = slots.withLock { slots in
            var back: [Accumulator] = []
            back.reserveCapacity(count)
            for index in slots.indices { back.append(slots[index].take()!) }
            return back
        }
    }
}
