import Utilities

/// The stored metrics of one agent: a block of columns per UTC day with data (days ascending, each
/// sorted by (timestamp, id)), windows found by binary search, with hourly and daily rollups.
public struct AgentMetricSeries: Sendable {
    public let agentID: Int64
    /// One block per day with data, days ascending.
    public internal(set) var blocks: [MetricBlock] = []
    /// The metrics in the blocks.
    public internal(set) var count = 0

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

    /// Late metrics (of a day before the last one) waiting to be merged into their blocks, while
    /// the store folds a batch (`MetricStore.deferringLateMetrics`); empty outside one.
    var pendingLate: [LateMetric] = []

    /// A late metric waiting for its merge.
    struct LateMetric {
        var id: Int64
        var operation: Int32
        var metric: StoredMetric
    }

    init(agentID: Int64) {
        self.agentID = agentID
    }

    /// The index of the first block whose day is ≥ `day`.
    func blockIndex(day: Int64) -> Int {
        var lo = 0
        var hi = blocks.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blocks[mid].day < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Stores a metric in its day's block: appended when it is the latest (the usual case), else
    /// inserted at its place in its day, or (with `deferLate`, for a day before the last one)
    /// kept for `mergeLate`, which merges every late metric of a batch once per block. Returns
    /// whether it was deferred. The rollups take the metric at once, so they always sum in log
    /// order.
    mutating func insert(id: Int64, operation: Int32, metric e: StoredMetric, deferLate: Bool = false) -> Bool {
        addToRollup(e, operation: operation)
        let day = UTCTime.dayIndex(e.timestamp)
        let last = blocks.count - 1
        if last >= 0 && blocks[last].day == day {
            blocks[last].insert(id: id, operation: operation, metric: e)
        } else if last < 0 || blocks[last].day < day {
            // A new day: the one before is over, and keeps exactly its size.
            if last >= 0 { blocks[last].trim() }
            var block = MetricBlock(agentID: agentID, day: day)
            // Room for as many as the day before held: most days then never grow their columns.
            if last >= 0 { block.reserve(blocks[last].count) }
            block.insert(id: id, operation: operation, metric: e)
            blocks.append(block)
        } else if deferLate {
            pendingLate.append(LateMetric(id: id, operation: operation, metric: e))
            return true
        } else {
            let b = blockIndex(day: day)
            if b == blocks.count || blocks[b].day != day {
                blocks.insert(MetricBlock(agentID: agentID, day: day), at: b)
            }
            blocks[b].merge([LateMetric(id: id, operation: operation, metric: e)][...])
        }
        count += 1
        return false
    }

    /// Merges the deferred late metrics: sorted by (timestamp, id), each day's into its block in
    /// one pass. The result is the order of `insert`.
    mutating func mergeLate() {
        guard !pendingLate.isEmpty else { return }
        var late = pendingLate
        pendingLate = []
        late.sort { ($0.metric.timestamp, $0.id) < ($1.metric.timestamp, $1.id) }
        var start = 0
        while start < late.count {
            let day = UTCTime.dayIndex(late[start].metric.timestamp)
            var end = start + 1
            while end < late.count && UTCTime.dayIndex(late[end].metric.timestamp) == day { end += 1 }
            let b = blockIndex(day: day)
            if b == blocks.count || blocks[b].day != day {
                blocks.insert(MetricBlock(agentID: agentID, day: day), at: b)
            }
            blocks[b].merge(late[start..<end])
            count += end - start
            start = end
        }
    }

    /// Visits the stored metrics of `[start, end]` in time order, a block and the range of
    /// indices inside it at a time.
    public func forEachSlice(from start: Int64, through end: Int64, _ body: (MetricBlock, Range<Int>) -> Void) {
        guard start <= end else { return }
        let firstDay = UTCTime.dayIndex(start)
        let lastDay = UTCTime.dayIndex(end)
        var b = blockIndex(day: firstDay)
        while b < blocks.count && blocks[b].day <= lastDay {
            let block = blocks[b]
            let range =
                block.day == firstDay || block.day == lastDay
                ? block.range(from: start, through: end) : 0..<block.count
            if !range.isEmpty { body(block, range) }
            b += 1
        }
    }

    /// The number of stored metrics in `[start, end]`.
    public func count(from start: Int64, through end: Int64) -> Int {
        var n = 0
        forEachSlice(from: start, through: end) { _, range in n += range.count }
        return n
    }

    /// Whether a stored metric lies in `[start, end]`.
    public func hasMetric(from start: Int64, through end: Int64) -> Bool {
        guard start <= end else { return false }
        var b = blockIndex(day: UTCTime.dayIndex(start))
        let lastDay = UTCTime.dayIndex(end)
        while b < blocks.count && blocks[b].day <= lastDay {
            if !blocks[b].range(from: start, through: end).isEmpty { return true }
            b += 1
        }
        return false
    }

    /// Splits metrics sorted by (timestamp, id) into a block per day (a snapshot's columns).
    mutating func restoreBlocks(from flat: MetricBlock) {
        blocks = []
        var start = 0
        while start < flat.count {
            let day = UTCTime.dayIndex(flat.timestamps[start])
            let (next, overflow) = (day + 1).multipliedReportingOverflow(by: UTCTime.microsecondsPerDay)
            let end = overflow ? flat.count : flat.lowerBound(next)
            var block = MetricBlock(agentID: agentID, day: day)
            block.reserve(MetricBlock.sealedRoom(end - start))
            block.append(contentsOf: flat, start..<end)
            blocks.append(block)
            start = end
        }
        count = flat.count
    }

    /// One compact column of every block, concatenated (time order): for checks and snapshots.
    public func column<N, W>(_ path: KeyPath<MetricBlock, CompactColumn<N, W>>) -> [W] {
        var out: [W] = []
        out.reserveCapacity(count)
        for block in blocks { out.append(contentsOf: block[keyPath: path].all) }
        return out
    }

    /// One column of every block, concatenated (time order): for checks and snapshots, not reads.
    public func column<T>(_ path: KeyPath<MetricBlock, [T]>) -> [T] {
        var out: [T] = []
        out.reserveCapacity(count)
        for block in blocks { out.append(contentsOf: block[keyPath: path]) }
        return out
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
            forEachSlice(from: from, through: through) { block, range in
                for i in range { body(block.day, block.operations[i], block.executionTimes[i], 1) }
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
            count(from: max(start, dayStart(d)), through: min(end, dayEnd(d)))
                == count(from: dayStart(d), through: dayEnd(d))
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
                rawPieces(from: hourStarts[h], through: hourStarts[h] + hour - 1, body)
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
        let inside = count(from: from, through: through)
        guard inside > 0 else { return }
        // The part holds every metric of the hour when it holds as many (it lies inside the hour).
        if hourStart >= retiredBefore
            && inside == count(from: hourStart, through: hourStart + UTCTime.microsecondsPerHour - 1)
        {
            let h = hourLowerBound(hourStart)
            if h < hourStarts.count && hourStarts[h] == hourStart {
                body(hourStart, hourTotals[h])
                return
            }
        }
        rawPieces(from: from, through: through, body)
    }

    private func rawPieces(from start: Int64, through end: Int64, _ body: (Int64, OperationTotals) -> Void) {
        forEachSlice(from: start, through: end) { block, range in
            for i in range {
                var one = OperationTotals()
                one.add(block, i)
                body(block.timestamps[i], one)
            }
        }
    }

    /// The totals of `[start, end]`.
    public func totals(from start: Int64, through end: Int64) -> OperationTotals {
        var out = OperationTotals()
        forEachPiece(from: start, through: end) { _, piece in out.merge(piece) }
        return out
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
