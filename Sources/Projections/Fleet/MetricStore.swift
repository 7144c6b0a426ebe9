/// The stored metrics of one agent, as columns sorted by (timestamp, id): windows are found by
/// binary search, and late data is inserted in place.
public struct AgentMetricSeries: Sendable {
    public let agentID: Int64
    public internal(set) var timestamps: [Int64] = []
    public internal(set) var ids: [Int64] = []
    public internal(set) var operations: [Int32] = []
    public internal(set) var executionTimes: [Double] = []
    public internal(set) var tokens: [Int64] = []
    public internal(set) var successes: [Bool] = []
    /// Quality score, NaN when not scored.
    public internal(set) var qualities: [Double] = []
    public internal(set) var costs: [Int64] = []

    public var count: Int { timestamps.count }

    init(agentID: Int64) {
        self.agentID = agentID
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

    mutating func insert(id: Int64, operation: Int32, metric e: MetricRecorded) {
        var index = timestamps.count
        if let last = timestamps.last, last > e.timestamp || (last == e.timestamp && ids[index - 1] > id) {
            index = lowerBound(e.timestamp)
            while index < timestamps.count && timestamps[index] == e.timestamp && ids[index] < id { index += 1 }
        }
        timestamps.insert(e.timestamp, at: index)
        ids.insert(id, at: index)
        operations.insert(operation, at: index)
        executionTimes.insert(e.executionTimeMs, at: index)
        tokens.insert(e.tokensUsed, at: index)
        successes.insert(e.success, at: index)
        qualities.insert(e.qualityScore ?? .nan, at: index)
        costs.insert(e.costNanos, at: index)
    }

    /// First index whose timestamp is ≥ `t`.
    public func lowerBound(_ t: Int64) -> Int {
        var lo = 0
        var hi = timestamps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timestamps[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The indices with `start ≤ timestamp ≤ end`.
    public func range(from start: Int64, through end: Int64) -> Range<Int> {
        guard start <= end else { return 0..<0 }
        let lo = lowerBound(start)
        let hi = end == Int64.max ? timestamps.count : lowerBound(end + 1)
        return lo..<max(lo, hi)
    }
}

/// All stored metrics, per agent, with interned operation types.
public struct MetricStore: Sendable {
    public internal(set) var series: [Int64: AgentMetricSeries] = [:]
    public internal(set) var operationNames: [String] = []
    var operationIndex: [String: Int32] = [:]
    public internal(set) var count = 0

    public init() {}

    mutating func insert(id: Int64, metric: MetricRecorded) {
        let op: Int32
        if let known = operationIndex[metric.operationType] {
            op = known
        } else {
            op = Int32(operationNames.count)
            operationNames.append(metric.operationType)
            operationIndex[metric.operationType] = op
        }
        series[metric.agentID, default: AgentMetricSeries(agentID: metric.agentID)].insert(id: id, operation: op, metric: metric)
        count += 1
    }

    /// The interned index of an operation type, nil when no metric has it.
    public func operation(named name: String) -> Int32? { operationIndex[name] }
}
