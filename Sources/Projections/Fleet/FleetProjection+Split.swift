/// A fold split by agent, so a long fold (a rebuild) uses every core: each part holds the metrics
/// and spend of the agents with `agentID mod count == index` and folds, over the same run of
/// events, only the metrics of its agents (part 0 also folds every other event). Every agent's
/// metrics are still folded in log order, by one part, so joining the parts gives exactly the
/// projection a fold in one piece gives (tested byte for byte).
public struct FoldPart: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition(count >= 1 && index >= 0 && index < count)
        self.index = index
        self.count = count
    }

    /// The part that folds the metrics of `agentID`.
    @inline(__always)
    public static func index(ofAgent agentID: Int64, count: Int) -> Int {
        Int(UInt64(bitPattern: agentID) % UInt64(count))
    }

    /// The part that folds a stored `MetricRecorded` payload: its agent's, or part 0 when not even
    /// the agent can be read (the event will be counted as undecodable there).
    @inline(__always)
    public static func index(ofMetricPayload payload: UnsafeRawBufferPointer, count: Int) -> Int {
        var reader = BinaryReader(payload, type: MetricRecorded.type)
        guard let agentID = try? reader.varint() else { return 0 }
        return index(ofAgent: agentID, count: count)
    }
}

extension FleetProjection {
    /// Splits this projection into `count` parts: it keeps the agents of part 0 (and everything
    /// that is not a metric); the others are returned, for parts 1…count-1. Fold each part's events
    /// with `apply(…, part:)`, then `join` the others back into this one.
    public mutating func split(into count: Int) -> [FleetProjection] {
        precondition(count >= 1)
        var others = (1..<count).map { _ in
            var part = FleetProjection()
            part.sequence = sequence
            part.metrics.operationTable = metrics.operationTable
            part.metrics.retainedFrom = metrics.retainedFrom
            part.ingestion.lastMetricID = ingestion.lastMetricID
            return part
        }
        guard count > 1 else { return others }
        // Moved, not copied: a column shared with another value would be copied on its next append.
        for index in 1..<count {
            let owns = { (agentID: Int64) in FoldPart.index(ofAgent: agentID, count: count) == index }
            let series = metrics.series.extract(where: owns)
            let seriesCount = series.values.reduce(0) { $0 + $1.count }
            metrics.count -= seriesCount
            others[index - 1].metrics.count = seriesCount
            others[index - 1].metrics.series = series
            others[index - 1].ingestion.spend = ingestion.spend.extract(where: owns)
        }
        return others
    }

    /// Folds one stored event as `part` of a split fold: part 0 folds every event but the other
    /// parts' metrics; the other parts fold their agents' metrics and the retention markers (which
    /// trim their agents' columns). Undecodable events are skipped and counted (by one part).
    public mutating func apply(
        type: UInt16, schemaVersion: UInt16, payload: UnsafeRawBufferPointer, sequence: UInt64, part: FoldPart
    ) {
        defer { self.sequence = sequence }
        if type == MetricRecorded.type {
            guard FoldPart.index(ofMetricPayload: payload, count: part.count) == part.index else { return }
            try? apply(type: type, schemaVersion: schemaVersion, payload: payload, sequence: sequence, policy: .skip)
            return
        }
        if part.index == 0 {
            try? apply(type: type, schemaVersion: schemaVersion, payload: payload, sequence: sequence, policy: .skip)
        } else if type == RetentionApplied.type,
            case .retentionApplied(let marker)? = try? DomainEvent.decode(
                type: type, version: schemaVersion, payload: payload)
        {
            metrics.apply(marker)
        }
    }

    /// Joins the other parts of a split fold (from `split`, folded over the same events) back into
    /// this one, part 0. Operation types first met during the fold get the indices a fold in one
    /// piece gives them: in the order of the first metric that has them. Leaves `others` empty.
    public mutating func join(_ others: inout [FleetProjection]) {
        defer { others = [] }
        guard !others.isEmpty else { return }
        // Every part's table is the table at the split plus the names it met, each with the id of
        // its first metric: ordered by that id (names from a snapshot have 0, in index order), the
        // union is the table a fold in one piece builds.
        var names: [(firstUse: Int64, position: Int, name: String)] = []
        for table in [metrics.operationTable] + others.map(\.metrics.operationTable) {
            for i in 0..<table.count { names.append((table.firstUses[i], names.count, table.names[i])) }
        }
        names.sort { ($0.firstUse, $0.position) < ($1.firstUse, $1.position) }
        var joined = OperationTable()
        for (firstUse, _, name) in names { _ = joined.intern(name, firstUse: firstUse) }
        metrics.remapOperations(to: joined)
        for index in others.indices {
            var part = FleetProjection()
            swap(&part, &others[index])
            part.metrics.remapOperations(to: joined)
            metrics.series.absorb(&part.metrics.series)
            ingestion.spend.absorb(&part.ingestion.spend)
            metrics.count += part.metrics.count
            metrics.retainedFrom = max(metrics.retainedFrom, part.metrics.retainedFrom)
            ingestion.lastMetricID = max(ingestion.lastMetricID, part.ingestion.lastMetricID)
            skippedEvents += part.skippedEvents
            sequence = max(sequence, part.sequence)
        }
        metrics.operationTable = joined
        ingestion.recomputeScopeSpend()
    }
}

extension MetricStore {
    /// Rewrites the operation indices of every series for `table`, which holds every name of this
    /// store's table (at the same or other indices).
    mutating func remapOperations(to table: OperationTable) {
        let old = operationTable
        operationTable = table
        let map = old.names.map { table.index(of: $0)! }
        guard map.enumerated().contains(where: { Int32($0.offset) != $0.element }) else { return }
        series.updateAll { _, s in s.remapOperations(map) }
    }
}

extension AgentMetricSeries {
    mutating func remapOperations(_ map: [Int32]) {
        for b in blocks.indices { blocks[b].remapOperations(map) }
        if !dayOperationKeys.isEmpty {
            // Renumbered operations change the keys' order within a day.
            var rows = dayOperationKeys.indices.map { k in
                let key = dayOperationKeys[k]
                return (
                    key: Self.dayOperationKey(day: key >> 32, operation: map[Int(Int32(truncatingIfNeeded: key))]),
                    sum: dayOperationSums[k], count: dayOperationCounts[k]
                )
            }
            rows.sort { $0.key < $1.key }
            dayOperationKeys = rows.map(\.key)
            dayOperationSums = rows.map(\.sum)
            dayOperationCounts = rows.map(\.count)
        }
        guard !retiredByOperation.isEmpty else { return }
        var remapped: [Int32: HourlyRollup] = [:]
        for (op, rollup) in retiredByOperation { remapped[map[Int(op)]] = rollup }
        retiredByOperation = remapped
    }
}
