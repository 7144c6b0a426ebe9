import Utilities

/// Hourly totals in hour order: what is left of metrics that retention removed from the log.
public struct HourlyRollup: Sendable, Equatable {
    public internal(set) var hourStarts: [Int64] = []
    public internal(set) var totals: [OperationTotals] = []

    public init() {}

    var isEmpty: Bool { hourStarts.isEmpty }

    /// Adds one metric to the hour starting at `hour`.
    mutating func add(hour: Int64, _ block: MetricBlock, _ index: Int) {
        var h = hourStarts.count
        if let last = hourStarts.last, last >= hour { h = Self.lowerBound(hourStarts, hour) }
        if h == hourStarts.count || hourStarts[h] != hour {
            hourStarts.insert(hour, at: h)
            totals.insert(OperationTotals(), at: h)
        }
        totals[h].add(block, index)
    }

    /// Drops the hours before `cutoff`.
    mutating func drop(before cutoff: Int64) {
        let h = Self.lowerBound(hourStarts, cutoff)
        hourStarts.removeFirst(h)
        totals.removeFirst(h)
    }

    /// Visits the hours that start in `[start, end]`.
    func forEach(from start: Int64, through end: Int64, _ body: (Int64, OperationTotals) -> Void) {
        var h = Self.lowerBound(hourStarts, start)
        while h < hourStarts.count && hourStarts[h] <= end {
            body(hourStarts[h], totals[h])
            h += 1
        }
    }

    static func lowerBound(_ values: [Int64], _ t: Int64) -> Int { values.lowerBound(t) }
}

extension AgentMetricSeries {
    /// Removes the metrics with a timestamp before `cutoff` and an id ≤ `lastID` (those the
    /// retention job archived), keeping their totals in `retiredByOperation`; returns how many.
    /// The agent's hourly rollups keep counting them.
    mutating func retire(before cutoff: Int64, throughID lastID: Int64) -> Int {
        retiredBefore = max(retiredBefore, cutoff)
        // The blocks that may hold metrics before the cutoff, and what each keeps.
        let lastDay = UTCTime.dayIndex(cutoff)
        var removed: [(block: Int, index: Int)] = []
        var keptByBlock: [(block: Int, kept: [Int])] = []
        var b = 0
        while b < blocks.count && blocks[b].day <= lastDay {
            let block = blocks[b]
            let end = block.lowerBound(cutoff)
            var kept: [Int] = []
            var removedHere = 0
            for i in 0..<end {
                if block.ids[i] <= lastID {
                    removed.append((b, i))
                    removedHere += 1
                } else {
                    kept.append(i)
                }
            }
            if removedHere > 0 { keptByBlock.append((b, kept + Array(end..<block.count))) }
            b += 1
        }
        guard !removed.isEmpty else { return 0 }
        // In id (log) order, as a fold of the removed metrics would add them.
        removed.sort { blocks[$0.block].ids[$0.index] < blocks[$1.block].ids[$1.index] }
        for (b, i) in removed {
            let block = blocks[b]
            retiredByOperation[block.operations[i], default: HourlyRollup()].add(
                hour: UTCTime.hourFloor(block.timestamps[i]), block, i)
        }
        for (b, kept) in keptByBlock { blocks[b] = blocks[b].keeping(kept) }
        blocks.removeAll { $0.count == 0 }
        count -= removed.count
        // The daily rollups of days with retired metrics are never read again.
        let firstKept = dayOperationKeys.lowerBound(
            Self.dayOperationKey(day: UTCTime.dayIndex(retiredBefore), operation: 0))
        dayOperationKeys.removeFirst(firstKept)
        dayOperationSums.removeFirst(firstKept)
        dayOperationCounts.removeFirst(firstKept)
        return removed.count
    }

    /// Drops hourly rollups (of the agent and of retired operations) before `cutoff`.
    mutating func dropRollups(before cutoff: Int64) {
        let h = hourLowerBound(cutoff)
        hourStarts.removeFirst(h)
        hourTotals.removeFirst(h)
        for op in Array(retiredByOperation.keys) {
            retiredByOperation[op]!.drop(before: cutoff)
            if retiredByOperation[op]!.isEmpty { retiredByOperation[op] = nil }
        }
    }
}

extension MetricStore {
    /// Folds a `RetentionApplied` marker: the archived metrics leave the raw columns, their
    /// hourly totals stay; rollups before the rollup cutoff go.
    mutating func apply(_ retention: RetentionApplied) {
        mergeLateMetrics()
        let lastID = Int64(clamping: retention.throughSequence)
        var retired = 0
        series.updateAll { _, s in
            retired += s.retire(before: retention.metricCutoff, throughID: lastID)
            s.dropRollups(before: retention.rollupCutoff)
        }
        count -= retired
        retainedFrom = max(retainedFrom, retention.metricCutoff)
    }
}

extension FleetProjection {
    /// The last `RetentionApplied` marker folded, with its sequence.
    public var lastRetention: (UInt64, RetentionApplied)? {
        for (sequence, event) in controlEvents.reversed() {
            if case .retentionApplied(let marker) = event { return (sequence, marker) }
        }
        return nil
    }
}
