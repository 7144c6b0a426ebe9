import Utilities

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

    /// Hourly rollups: the start of every hour with data (ascending) and its totals, folded in
    /// log order. Windows are answered from them, with the partial hours at the edges from the
    /// raw columns.
    public internal(set) var hourStarts: [Int64] = []
    public internal(set) var hourTotals: [OperationTotals] = []

    /// Daily rollups per operation type, for the reads that break a window down by operation
    /// (insights): keys `day << 32 | operation` ascending (`day` = `UTCTime.dayIndex`), each with
    /// the sum and count of its execution times, folded in log order as the hourly rollups are.
    /// A day before `retiredBefore` is never read from them (retention removed raw metrics of it).
    public internal(set) var dayOperationKeys: [Int64] = []
    public internal(set) var dayOperationSums: [Double] = []
    public internal(set) var dayOperationCounts: [Int] = []

    /// Totals per operation type of the metrics retention removed (hourly).
    public internal(set) var retiredByOperation: [Int32: HourlyRollup] = [:]
    /// Hours before this instant lost their raw metrics to retention: they are answered from the
    /// rollups, at hour resolution.
    public internal(set) var retiredBefore: Int64 = .min

    /// Late metrics (before the last one in the columns) waiting to be merged into the columns,
    /// while the store folds a batch (`MetricStore.deferringLateMetrics`); empty outside one.
    var pendingLate: [LateMetric] = []

    /// A late metric waiting for its merge.
    struct LateMetric {
        var id: Int64
        var operation: Int32
        var metric: StoredMetric
    }

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

    /// Stores a metric: appended when it is the latest, else inserted in place, or (with
    /// `deferLate`) kept for `mergeLate`, which inserts every late metric of a batch in one pass.
    /// Returns whether it was deferred. The hourly rollup takes the metric at once, so rollups
    /// always sum in log order.
    mutating func insert(id: Int64, operation: Int32, metric e: StoredMetric, deferLate: Bool = false) -> Bool {
        addToRollup(e, operation: operation)
        var index = timestamps.count
        if let last = timestamps.last, last > e.timestamp || (last == e.timestamp && ids[index - 1] > id) {
            if deferLate {
                pendingLate.append(LateMetric(id: id, operation: operation, metric: e))
                return true
            }
            index = lowerBound(e.timestamp)
            while index < timestamps.count && timestamps[index] == e.timestamp && ids[index] < id { index += 1 }
        }
        if index == timestamps.count {
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
        return false
    }

    /// Inserts the deferred late metrics in one pass from the back: every column grows once, and
    /// each stored metric after the earliest late one moves once (inserting them one at a time
    /// moves everything after each of them). The result is the order of `insert`: (timestamp, id).
    mutating func mergeLate() {
        guard !pendingLate.isEmpty else { return }
        var late = pendingLate
        pendingLate = []
        late.sort { ($0.metric.timestamp, $0.id) < ($1.metric.timestamp, $1.id) }
        let oldCount = timestamps.count
        // Grown by appending, so the columns keep their geometric growth: a `reserveCapacity` to the
        // exact count here reallocated (and copied) every column on every batch.
        func grow<T>(_ column: inout [T], _ filler: T) {
            column.append(contentsOf: repeatElement(filler, count: late.count))
        }
        grow(&timestamps, 0)
        grow(&ids, 0)
        grow(&operations, 0)
        grow(&executionTimes, 0)
        grow(&tokens, 0)
        grow(&successes, false)
        grow(&qualities, 0)
        grow(&costs, 0)
        // Where each late metric goes among the stored ones (ascending, as the late ones are).
        let positions = late.map { l -> Int in
            var lo = 0
            var hi = oldCount
            while lo < hi {
                let mid = (lo + hi) / 2
                if (timestamps[mid], ids[mid]) < (l.metric.timestamp, l.id) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        // From the back: the stored metrics after the j-th late one move right by j + 1, a block
        // copy per column, then the late one takes its place.
        var end = oldCount
        for j in stride(from: late.count - 1, through: 0, by: -1) {
            let start = positions[j]
            Self.shift(&timestamps, start, end, by: j + 1)
            Self.shift(&ids, start, end, by: j + 1)
            Self.shift(&operations, start, end, by: j + 1)
            Self.shift(&executionTimes, start, end, by: j + 1)
            Self.shift(&tokens, start, end, by: j + 1)
            Self.shift(&successes, start, end, by: j + 1)
            Self.shift(&qualities, start, end, by: j + 1)
            Self.shift(&costs, start, end, by: j + 1)
            let l = late[j]
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

    /// Moves `column[start..<end]` right by `offset` (the destination may overlap the source).
    /// The columns hold plain values (integers, doubles, booleans), so a byte copy moves them.
    private static func shift<T>(_ column: inout [T], _ start: Int, _ end: Int, by offset: Int) {
        guard end > start else { return }
        column.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            let stride = MemoryLayout<T>.stride
            (base + (start + offset) * stride).copyMemory(
                from: base + start * stride, byteCount: (end - start) * stride)
        }
    }

    /// Folds a metric into its hour's rollup and its (day, operation) rollup.
    mutating func addToRollup(_ e: StoredMetric, operation: Int32) {
        addToDayOperation(e.timestamp, operation: operation, executionTime: e.executionTimeMs)
        let hour = UTCTime.hourFloor(e.timestamp)
        var h = hourStarts.count
        if let last = hourStarts.last, last >= hour {
            h = hourLowerBound(hour)
        }
        if h == hourStarts.count {
            hourStarts.append(hour)
            hourTotals.append(OperationTotals())
        } else if hourStarts[h] != hour {
            hourStarts.insert(hour, at: h)
            hourTotals.insert(OperationTotals(), at: h)
        }
        hourTotals[h].add(
            success: e.success, executionTime: e.executionTimeMs, tokens: e.tokensUsed, costNanos: e.costNanos,
            quality: e.quality)
    }

    /// The key of a (day, operation) rollup: ordered as (day, operation).
    @inline(__always)
    static func dayOperationKey(day: Int64, operation: Int32) -> Int64 { day << 32 | Int64(operation) }

    mutating func addToDayOperation(_ timestamp: Int64, operation: Int32, executionTime: Double) {
        let key = Self.dayOperationKey(day: UTCTime.dayIndex(timestamp), operation: operation)
        // The usual metric is of the last day, whose keys are the last few: a short walk back, a
        // binary search for an older day.
        var k = dayOperationKeys.count
        var steps = 0
        while k > 0 && dayOperationKeys[k - 1] > key && steps < 8 {
            k -= 1
            steps += 1
        }
        if k > 0 && dayOperationKeys[k - 1] > key {
            k = dayOperationKeys.lowerBound(key)
        } else if k > 0 && dayOperationKeys[k - 1] == key {
            k -= 1
        }
        if k < dayOperationKeys.count && dayOperationKeys[k] == key {
            dayOperationSums[k] += executionTime
            dayOperationCounts[k] += 1
        } else {
            dayOperationKeys.insert(key, at: k)
            dayOperationSums.insert(executionTime, at: k)
            dayOperationCounts.insert(1, at: k)
        }
    }

    /// Visits the execution-time sum and count per (day, operation) of the metrics of
    /// `[start, end]` that are stored raw, in time order: whole days from the daily rollups (also
    /// an edge day whose metrics all lie in the window), the rest metric by metric (a count of 1).
    public func forEachDayOperation(
        from start: Int64, through end: Int64,
        _ body: (_ day: Int64, _ operation: Int32, _ sum: Double, _ count: Int) -> Void
    ) {
        guard start <= end else { return }
        let length = UTCTime.microsecondsPerDay
        func dayStart(_ d: Int64) -> Int64 {
            let (product, overflow) = d.multipliedReportingOverflow(by: length)
            return overflow ? .min : product  // only the day of Int64.min overflows
        }
        func dayEnd(_ d: Int64) -> Int64 { dayStart(d).addingSaturating(length - 1) }
        func raw(from: Int64, through: Int64) {
            for i in range(from: from, through: through) {
                body(UTCTime.dayIndex(timestamps[i]), operations[i], executionTimes[i], 1)
            }
        }
        let firstDay = UTCTime.dayIndex(start)
        let lastDay = UTCTime.dayIndex(end)
        // The first day without retired metrics.
        var firstClean = Int64.min
        if retiredBefore != .min {
            let d = UTCTime.dayIndex(retiredBefore)
            firstClean = dayStart(d) == retiredBefore ? d : d + 1
        }
        /// Whether every raw metric of day `d` lies in the window.
        func whole(_ d: Int64) -> Bool {
            range(from: max(start, dayStart(d)), through: min(end, dayEnd(d)))
                == range(from: dayStart(d), through: dayEnd(d))
        }
        var from = max(firstDay, firstClean)
        if from == firstDay && !whole(firstDay) { from += 1 }
        var through = lastDay
        if through >= from && !whole(lastDay) { through -= 1 }
        guard from <= through else {
            raw(from: start, through: end)
            return
        }
        if dayStart(from) > start { raw(from: start, through: dayStart(from) - 1) }
        var k = dayOperationKeys.lowerBound(Self.dayOperationKey(day: from, operation: 0))
        let stop = Self.dayOperationKey(day: through, operation: Int32.max)
        while k < dayOperationKeys.count && dayOperationKeys[k] <= stop {
            let key = dayOperationKeys[k]
            body(key >> 32, Int32(truncatingIfNeeded: key), dayOperationSums[k], dayOperationCounts[k])
            k += 1
        }
        if dayEnd(through) < end { raw(from: dayEnd(through) + 1, through: end) }
    }

    /// First rollup index whose hour is ≥ `t`.
    func hourLowerBound(_ t: Int64) -> Int { hourStarts.lowerBound(t) }

    /// Visits the totals of `[start, end]` in pieces: whole hours from the rollups, the partial
    /// hours at the edges from the raw columns (each piece with the instant it starts at). With
    /// `rawOnly`, hours before `retiredBefore` count only the metrics still stored raw (the reads
    /// that have never counted what retention removed), else their rollups.
    public func forEachPiece(
        from start: Int64, through end: Int64, rawOnly: Bool = false, _ body: (Int64, OperationTotals) -> Void
    ) {
        guard start <= end else { return }
        let hour = UTCTime.microsecondsPerHour
        var firstFull = UTCTime.hourFloor(start)
        if firstFull < start { firstFull += hour }
        let endFull = UTCTime.hourFloor(end == Int64.max ? end : end + 1)  // hours before this are whole
        if firstFull >= endFull {
            // No whole hour: one or two partial hours.
            let startHour = UTCTime.hourFloor(start)
            if firstFull > end || firstFull == startHour {
                edgeHour(startHour, from: start, through: end, rawOnly: rawOnly, body)
            } else {
                edgeHour(startHour, from: start, through: firstFull - 1, rawOnly: rawOnly, body)
                edgeHour(firstFull, from: firstFull, through: end, rawOnly: rawOnly, body)
            }
            return
        }
        if firstFull > start {
            edgeHour(firstFull - hour, from: start, through: firstFull - 1, rawOnly: rawOnly, body)
        }
        var h = hourLowerBound(firstFull)
        while h < hourStarts.count && hourStarts[h] < endFull {
            if rawOnly && hourStarts[h] < retiredBefore {
                rawPieces(range(from: hourStarts[h], through: hourStarts[h] + hour - 1), body)
            } else {
                body(hourStarts[h], hourTotals[h])
            }
            h += 1
        }
        if endFull <= end { edgeHour(endFull, from: endFull, through: end, rawOnly: rawOnly, body) }
    }

    /// The part `[from, through]` of the hour starting at `hourStart`: its rollup when the part
    /// leaves out no metric of the hour (the usual case for windows ending now), else the raw
    /// metrics.
    private func edgeHour(
        _ hourStart: Int64, from: Int64, through: Int64, rawOnly: Bool, _ body: (Int64, OperationTotals) -> Void
    ) {
        if hourStart < retiredBefore && !rawOnly {
            let h = hourLowerBound(hourStart)
            if h < hourStarts.count && hourStarts[h] == hourStart { body(hourStart, hourTotals[h]) }
            return
        }
        let inside = range(from: from, through: through)
        guard !inside.isEmpty else { return }
        let whole = range(from: hourStart, through: hourStart + UTCTime.microsecondsPerHour - 1)
        if whole == inside && hourStart >= retiredBefore {
            let h = hourLowerBound(hourStart)
            if h < hourStarts.count && hourStarts[h] == hourStart {
                body(hourStart, hourTotals[h])
                return
            }
        }
        rawPieces(inside, body)
    }

    private func rawPieces(_ indices: Range<Int>, _ body: (Int64, OperationTotals) -> Void) {
        for i in indices {
            var one = OperationTotals()
            one.add(self, i)
            body(timestamps[i], one)
        }
    }

    /// The totals of `[start, end]`.
    public func totals(from start: Int64, through end: Int64) -> OperationTotals {
        var out = OperationTotals()
        forEachPiece(from: start, through: end) { _, piece in out.merge(piece) }
        return out
    }

    /// First index whose timestamp is ≥ `t`.
    public func lowerBound(_ t: Int64) -> Int { timestamps.lowerBound(t) }

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
    public internal(set) var series = AgentTable<AgentMetricSeries>()
    public internal(set) var operationTable = OperationTable()
    public internal(set) var count = 0
    /// Metrics before this instant were removed by retention (`Int64.min` when none were).
    public internal(set) var retainedFrom: Int64 = .min
    /// While true (a batch of events is being folded), late metrics wait in their series and are
    /// merged once at the end of the batch (`mergeLateMetrics`), each series in one pass.
    var deferringLateMetrics = false
    /// The agents with late metrics waiting.
    var agentsWithLateMetrics: [Int64] = []

    public init() {}

    /// Merges every waiting late metric into its series' columns.
    mutating func mergeLateMetrics() {
        for agentID in agentsWithLateMetrics {
            _ = series.update(agentID) { $0.mergeLate() }
        }
        agentsWithLateMetrics = []
    }

    /// The interned operation types, by index.
    public var operationNames: [String] { operationTable.names }

    mutating func insert(id: Int64, metric: MetricRecorded) {
        insert(
            id: id, agentID: metric.agentID, operation: operationTable.intern(metric.operationType, firstUse: id),
            StoredMetric(metric))
    }

    /// Folds a metric read in place from its payload; fails (changing nothing) when its operation
    /// type is not UTF-8.
    @inline(__always)
    mutating func insert(id: Int64, _ payload: MetricPayload) throws(EventDecodingError) {
        let op: Int32
        if let known = operationTable.index(utf8: payload.operationUTF8) {
            op = known
        } else {
            let reader = BinaryReader(payload.operationUTF8, type: MetricRecorded.type)
            op = operationTable.intern(try reader.validString(payload.operationUTF8), firstUse: id)
        }
        insert(id: id, agentID: payload.agentID, operation: op, payload.stored)
    }

    @inline(__always)
    private mutating func insert(id: Int64, agentID: Int64, operation: Int32, _ metric: StoredMetric) {
        let deferLate = deferringLateMetrics
        let deferred = series.update(agentID, default: { AgentMetricSeries(agentID: agentID) }) {
            $0.insert(id: id, operation: operation, metric: metric, deferLate: deferLate)
                && $0.pendingLate.count == 1
        }
        if deferred { agentsWithLateMetrics.append(agentID) }
        count += 1
    }

    /// The interned index of an operation type, nil when no metric has it.
    public func operation(named name: String) -> Int32? { operationTable.index(of: name) }
}
