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
