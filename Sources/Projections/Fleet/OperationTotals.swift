import Utilities

/// The §3 bucket fields of a set of metrics: counts and sums, mergeable
/// (hourly rollups are merged into day/week/month buckets).
public struct OperationTotals: Sendable, Equatable {
    var operations = 0
    var successes = 0
    var executionSum = 0.0
    var tokens: Int64 = 0
    /// 128-bit: totals merged across agents (roles, the fleet) have no bound.
    public internal(set) var costNanos: Int128 = 0
    var qualitySum = 0.0
    var qualityCount = 0

    public init() {}

    public var operationCount: Int { operations }
    public var successCount: Int { successes }
    public var tokenCount: Int64 { tokens }

    mutating func merge(_ other: OperationTotals) {
        operations += other.operations
        successes += other.successes
        executionSum += other.executionSum
        tokens += other.tokens
        costNanos += other.costNanos
        qualitySum += other.qualitySum
        qualityCount += other.qualityCount
    }

    @inline(__always)
    mutating func add(_ s: MetricBlock, _ i: Int) {
        add(
            success: s.successes[i], executionTime: s.executionTimes[i], tokens: s.tokens[i], costNanos: s.costs[i],
            quality: s.qualities[i])
    }

    /// Adds one metric (`quality` NaN when not scored).
    @inline(__always)
    mutating func add(success: Bool, executionTime: Double, tokens: Int64, costNanos: Int64, quality: Double) {
        operations += 1
        if success { successes += 1 }
        executionSum += executionTime
        self.tokens += tokens
        self.costNanos += Int128(costNanos)
        if !quality.isNaN {
            qualitySum += quality
            qualityCount += 1
        }
    }

    /// Successes ÷ operations × 100; nil without operations.
    public var successRate: Double? { operations == 0 ? nil : Double(successes) / Double(operations) * 100 }
    /// The mean execution time (ms); nil without operations.
    public var meanExecution: Double? { operations == 0 ? nil : executionSum / Double(operations) }
    /// The mean quality of the scored operations; nil when none was scored.
    public var meanQuality: Double? { qualityCount == 0 ? nil : qualitySum / Double(qualityCount) }
}
