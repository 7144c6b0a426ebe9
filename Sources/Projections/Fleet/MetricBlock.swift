import Utilities

/// The stored metrics of one agent and one UTC day, as columns sorted by (timestamp, id). An
/// agent's series is a list of these, one per day with data: a metric that arrives late moves
/// only the metrics after it in its own day, and a day that is over keeps about its size. Ids,
/// operations, tokens and costs are `CompactColumn`s: 39 bytes a metric while they fit.
public struct MetricBlock: Sendable {
    public let agentID: Int64
    /// The UTC day (`UTCTime.dayIndex`) of every metric of the block.
    public let day: Int64
    public internal(set) var timestamps: [Int64] = []
    /// Metric ids (log sequences), in 32 bits below 2³².
    public internal(set) var ids = CompactColumn<UInt32, Int64>()
    /// Interned operation types, in 16 bits below 2¹⁶.
    public internal(set) var operations = CompactColumn<UInt16, Int32>()
    public internal(set) var executionTimes: [Double] = []
    /// Tokens, in 32 bits below 2³².
    public internal(set) var tokens = CompactColumn<UInt32, Int64>()
    public internal(set) var successes: [Bool] = []
    /// Quality score, NaN when not scored.
    public internal(set) var qualities: [Double] = []
    /// Nano-dollars, in 32 bits below $4.29.
    public internal(set) var costs = CompactColumn<UInt32, Int64>()

    public var count: Int { timestamps.count }

    init(agentID: Int64, day: Int64) {
        self.agentID = agentID
        self.day = day
    }

    /// The value of a statistic metric at `i` (nil for an unscored quality).
    @inline(__always)
    public func value(_ metric: StatisticMetric, at i: Int) -> Double? {
        switch metric {
        case .executionTime: return executionTimes[i]
        case .cost: return Money.usd(costs[i])
        case .tokens: return Double(tokens[i])
        case .qualityScore: return qualities[i].isNaN ? nil : qualities[i]
        }
    }

    /// First index whose timestamp is ≥ `t`.
    func lowerBound(_ t: Int64) -> Int { timestamps.lowerBound(t) }

    /// The indices with `start ≤ timestamp ≤ end`.
    public func range(from start: Int64, through end: Int64) -> Range<Int> {
        guard start <= end else { return 0..<0 }
        let lo = lowerBound(start)
        let hi = end == Int64.max ? count : lowerBound(end + 1)
        return lo..<max(lo, hi)
    }

    /// Where a metric goes: the first index whose (timestamp, id) sorts after it.
    func position(timestamp: Int64, id: Int64, from lo: Int = 0, below: Int? = nil) -> Int {
        var lo = lo
        var hi = below ?? count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (timestamps[mid], ids[mid]) < (timestamp, id) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Stores a metric of the block's day at its place (appended when it sorts last).
    mutating func insert(id: Int64, operation: Int32, metric e: StoredMetric) {
        // The usual metric sorts last: no search.
        let index =
            count == 0 || (timestamps[count - 1], ids[count - 1]) < (e.timestamp, id)
            ? count : position(timestamp: e.timestamp, id: id)
        if index == count {
            timestamps.append(e.timestamp)
            ids.append(id)
            operations.append(operation)
            executionTimes.append(e.executionTimeMs)
            tokens.append(e.tokensUsed)
            successes.append(e.success)
            qualities.append(e.quality)
            costs.append(e.costNanos)
        } else {
            timestamps.insert(e.timestamp, at: index)
            ids.insert(id, at: index)
            operations.insert(operation, at: index)
            executionTimes.insert(e.executionTimeMs, at: index)
            tokens.insert(e.tokensUsed, at: index)
            successes.insert(e.success, at: index)
            qualities.insert(e.quality, at: index)
            costs.insert(e.costNanos, at: index)
        }
    }

    /// Merges metrics of the block's day, sorted by (timestamp, id), in place: each column grows
    /// once, and each stored metric after the earliest late one moves once, a block copy per
    /// column, from the back. A column without room grows to the merged size and an eighth more:
    /// late data then reallocates a block once in many batches (a fresh allocation per merge
    /// fragmented the heap: at 10 million metrics the server's memory doubled over 20 late
    /// batches, and the merges were slower than the moves), and a day keeps at most an eighth of
    /// spare room.
    mutating func merge(_ late: ArraySlice<AgentMetricSeries.LateMetric>) {
        let oldCount = count
        let needed = oldCount + late.count
        if timestamps.capacity < needed { reserve(needed + needed / 8) }
        // Where each late metric goes among the stored ones (ascending, as the late ones are).
        var positions: [Int] = []
        positions.reserveCapacity(late.count)
        var from = 0
        for l in late {
            from = position(timestamp: l.metric.timestamp, id: l.id, from: from, below: oldCount)
            positions.append(from)
        }
        func grow<T>(_ column: inout [T], _ filler: T) {
            column.append(contentsOf: repeatElement(filler, count: late.count))
        }
        grow(&timestamps, 0)
        ids.grow(by: late.count)
        operations.grow(by: late.count)
        grow(&executionTimes, 0)
        tokens.grow(by: late.count)
        grow(&successes, false)
        grow(&qualities, 0)
        costs.grow(by: late.count)
        // From the back: the stored metrics after the j-th late one move right by j + 1, then the
        // late one takes its place.
        var end = oldCount
        for j in stride(from: late.count - 1, through: 0, by: -1) {
            let start = positions[j]
            ColumnShift.shift(&timestamps, start, end, by: j + 1)
            ids.shift(start, end, by: j + 1)
            operations.shift(start, end, by: j + 1)
            ColumnShift.shift(&executionTimes, start, end, by: j + 1)
            tokens.shift(start, end, by: j + 1)
            ColumnShift.shift(&successes, start, end, by: j + 1)
            ColumnShift.shift(&qualities, start, end, by: j + 1)
            costs.shift(start, end, by: j + 1)
            let l = late[late.startIndex + j]
            let at = start + j
            timestamps[at] = l.metric.timestamp
            ids[at] = l.id
            operations[at] = l.operation
            executionTimes[at] = l.metric.executionTimeMs
            tokens[at] = l.metric.tokensUsed
            successes[at] = l.metric.success
            qualities[at] = l.metric.quality
            costs[at] = l.metric.costNanos
            end = start
        }
    }

    /// The block with only the metrics at `kept` (ascending), in columns of exactly that size.
    func keeping(_ kept: [Int]) -> MetricBlock {
        var out = MetricBlock(agentID: agentID, day: day)
        out.reserve(kept.count)
        for i in kept { out.append(contentsOf: self, i..<(i + 1)) }
        return out
    }

    /// The room a day that is over keeps for `n` metrics: a thirty-second more (and two), so the
    /// few metrics that arrive late for a day mostly fit without a new allocation.
    static func sealedRoom(_ n: Int) -> Int { n + n / 32 + 2 }

    /// Columns of about the block's size (for a day that is over): copied to `sealedRoom` when
    /// their spare room is more than a sixteenth of it.
    mutating func trim() {
        guard timestamps.capacity > count + count / 16 + 4 else { return }
        var out = MetricBlock(agentID: agentID, day: day)
        out.reserve(Self.sealedRoom(count))
        out.append(contentsOf: self, 0..<count)
        self = out
    }

    mutating func remapOperations(_ map: [Int32]) {
        for i in 0..<count { operations[i] = map[Int(operations[i])] }
    }

    mutating func reserve(_ n: Int) {
        timestamps.reserveCapacity(n)
        ids.reserveCapacity(n)
        operations.reserveCapacity(n)
        executionTimes.reserveCapacity(n)
        tokens.reserveCapacity(n)
        successes.reserveCapacity(n)
        qualities.reserveCapacity(n)
        costs.reserveCapacity(n)
    }

    /// Appends `other`'s metrics at `range`.
    mutating func append(contentsOf other: MetricBlock, _ range: Range<Int>) {
        guard !range.isEmpty else { return }
        timestamps.append(contentsOf: other.timestamps[range])
        ids.append(contentsOf: other.ids, range)
        operations.append(contentsOf: other.operations, range)
        executionTimes.append(contentsOf: other.executionTimes[range])
        tokens.append(contentsOf: other.tokens, range)
        successes.append(contentsOf: other.successes[range])
        qualities.append(contentsOf: other.qualities[range])
        costs.append(contentsOf: other.costs, range)
    }
}
