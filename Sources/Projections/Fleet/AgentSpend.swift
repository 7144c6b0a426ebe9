import Utilities

/// One agent's exact spend: nano-dollars per UTC day (days ascending) and in total. Every budget
/// period (day, ISO week, calendar month, total) is a range of whole days, so its usage is a sum
/// of day entries; folding a metric costs one append (or, for late data, one insert) instead of a
/// hash update per period kind.
public struct AgentSpend: Sendable, Equatable {
    /// Day indices (days since the epoch), ascending, each with spend.
    public internal(set) var days: [Int64] = []
    public internal(set) var nanos: [Int64] = []
    public internal(set) var total: Int64 = 0
    /// Lifetime counters of the agent's metrics (never lowered by retention; `/metrics` exposes
    /// them as Prometheus counters). Input and output tokens count the metrics that split them.
    public internal(set) var counters = Counters()

    public struct Counters: Sendable, Equatable {
        public var operations: Int64 = 0
        public var failures: Int64 = 0
        public var tokens: Int64 = 0
        public var inputTokens: Int64 = 0
        public var outputTokens: Int64 = 0

        public init() {}

        @inline(__always)
        mutating func add(success: Bool, tokens t: Int64, input: Int64, output: Int64) {
            operations &+= 1
            if !success { failures &+= 1 }
            tokens = AgentSpend.saturatingSum(tokens, t)
            inputTokens = AgentSpend.saturatingSum(inputTokens, input)
            outputTokens = AgentSpend.saturatingSum(outputTokens, output)
        }
    }

    public init() {}

    /// Adds `cost` to the day containing `timestamp` (µs).
    @inline(__always)
    mutating func add(timestamp: Int64, _ cost: Int64) {
        // Ingestion and import keep an agent's spend within `Limits.maximumAgentSpendNanos`; the
        // saturating sums only make a fold of a log written otherwise unable to trap.
        total = Self.saturatingSum(total, cost)
        let day = UTCTime.floorDivide(timestamp, UTCTime.microsecondsPerDay)
        if let last = days.last, last == day {
            nanos[nanos.count - 1] = Self.saturatingSum(nanos[nanos.count - 1], cost)
        } else if days.isEmpty || days[days.count - 1] < day {
            days.append(day)
            nanos.append(cost)
        } else {
            let i = lowerBound(day)
            if i < days.count && days[i] == day {
                nanos[i] = Self.saturatingSum(nanos[i], cost)
            } else {
                days.insert(day, at: i)
                nanos.insert(cost, at: i)
            }
        }
    }

    /// Spend of the days in `[firstDay, endDay)`.
    func sum(fromDay firstDay: Int64, toDay endDay: Int64) -> Int64 {
        var i = lowerBound(firstDay)
        var out: Int64 = 0
        while i < days.count && days[i] < endDay {
            out = Self.saturatingSum(out, nanos[i])
            i += 1
        }
        return out
    }

    /// Spend in a budget period.
    func used(_ key: PeriodKey) -> Int64 {
        guard key.kind != .total, let granularity = key.kind.granularity else { return total }
        let day = UTCTime.microsecondsPerDay
        let first = UTCTime.floorDivide(key.start, day)
        let end = UTCTime.floorDivide(granularity.next(key.start), day)
        return sum(fromDay: first, toDay: end)
    }

    private func lowerBound(_ day: Int64) -> Int { days.lowerBound(day) }

    @inline(__always)
    static func saturatingSum(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? Int64.min : Int64.max) : sum
    }
}
