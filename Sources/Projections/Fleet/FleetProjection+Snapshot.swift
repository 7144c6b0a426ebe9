/// Checkpoints: the projection's state as bytes, so a restart folds only what came after.
///
/// Layout (all through `BinaryWriter`): version-independent header fields, the control events
/// (agents, budgets, alerts, rules — replayed on restore), the exact spend per agent and day, the
/// metric columns of every agent written as raw little-endian arrays, and the hourly rollups
/// (kept as they are: after retention they hold hours whose raw metrics are gone).
extension FleetProjection {
    /// Bumped whenever the layout or the meaning of the state changes; a snapshot of another
    /// version is discarded and the projection rebuilt from the log.
    public static let snapshotVersion: UInt32 = 5

    /// The snapshot bytes.
    public func snapshotBytes() -> [UInt8] {
        var w = BinaryWriter(capacity: 64 + metrics.count * 48)
        w.uvarint(sequence)
        w.uvarint(UInt64(skippedEvents))
        w.varint(ingestion.lastMetricID)
        w.uvarint(UInt64(controlEvents.count))
        for (seq, event) in controlEvents {
            w.uvarint(seq)
            w.uvarint(UInt64(event.type))
            w.uvarint(UInt64(event.schemaVersion))
            let payload = event.encodedPayload()
            w.uvarint(UInt64(payload.count))
            w.raw(payload)
        }
        w.uvarint(UInt64(ingestion.spend.count))
        for agentID in ingestion.spend.keys.sorted() {
            let spend = ingestion.spend[agentID]!
            w.varint(agentID)
            w.varint(spend.total)
            for counter in [
                spend.counters.operations, spend.counters.failures, spend.counters.tokens, spend.counters.inputTokens,
                spend.counters.outputTokens,
            ] {
                w.varint(counter)
            }
            w.uvarint(UInt64(spend.days.count))
            w.array(spend.days)
            w.array(spend.nanos)
        }
        w.varint(metrics.retainedFrom)
        w.uvarint(UInt64(metrics.operationNames.count))
        for name in metrics.operationNames { w.string(name) }
        w.uvarint(UInt64(metrics.series.count))
        for id in metrics.series.keys.sorted() {
            let s = metrics.series[id]!
            w.varint(id)
            w.uvarint(UInt64(s.count))
            w.array(s.column(\.timestamps))
            w.array(s.column(\.ids))
            w.array(s.column(\.operations))
            w.array(s.column(\.executionTimes).map(\.bitPattern))
            w.array(s.column(\.tokens))
            w.array(s.column(\.successes).map { $0 ? UInt8(1) : 0 })
            w.array(s.column(\.qualities).map(\.bitPattern))
            w.array(s.column(\.costs))
            w.rollup(hourStarts: s.hourStarts, totals: s.hourTotals)
            w.uvarint(UInt64(s.dayOperationKeys.count))
            w.array(s.dayOperationKeys)
            w.array(s.dayOperationSums.map(\.bitPattern))
            w.array(s.dayOperationCounts.map { Int64($0) })
            w.varint(s.retiredBefore)
            w.uvarint(UInt64(s.retiredByOperation.count))
            for op in s.retiredByOperation.keys.sorted() {
                let rollup = s.retiredByOperation[op]!
                w.uvarint(UInt64(op))
                w.rollup(hourStarts: rollup.hourStarts, totals: rollup.totals)
            }
        }
        return w.bytes
    }

    /// Restores a projection from `snapshotBytes()`.
    public init(snapshot bytes: [UInt8]) throws(EventDecodingError) {
        self.init()
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(EventDecodingError) -> FleetProjection in
                var r = BinaryReader(buffer, type: 0)
                var p = FleetProjection()
                let sequence = try r.uvarint()
                p.skippedEvents = Int(try r.uvarint())
                let lastMetricID = try r.varint()
                let controlCount = try r.uvarint()
                for _ in 0..<controlCount {
                    let seq = try r.uvarint()
                    let type = UInt16(truncatingIfNeeded: try r.uvarint())
                    let version = UInt16(truncatingIfNeeded: try r.uvarint())
                    let length = Int(try r.uvarint())
                    let payload = try r.raw(length)
                    let event = try DomainEvent.decode(type: type, version: version, payload: payload)
                    p.apply(event, sequence: seq)
                }
                var spendByAgent = AgentTable<AgentSpend>()
                for _ in 0..<(try r.uvarint()) {
                    let agentID = try r.varint()
                    var spend = AgentSpend()
                    spend.total = try r.varint()
                    spend.counters.operations = try r.varint()
                    spend.counters.failures = try r.varint()
                    spend.counters.tokens = try r.varint()
                    spend.counters.inputTokens = try r.varint()
                    spend.counters.outputTokens = try r.varint()
                    let n = Int(try r.uvarint())
                    spend.days = try r.array(Int64.self, count: n)
                    spend.nanos = try r.array(Int64.self, count: n)
                    spendByAgent.set(agentID, spend)
                }
                p.ingestion.spend = spendByAgent
                p.ingestion.recomputeScopeSpend()
                p.ingestion.lastMetricID = lastMetricID
                var store = MetricStore()
                store.retainedFrom = try r.varint()
                let opCount = try r.uvarint()
                for index in 0..<opCount {
                    let name = try r.string()
                    guard store.operationTable.intern(name) == Int32(index) else {
                        throw .malformed(type: 0, reason: "operation type \(name) listed twice")
                    }
                }
                for _ in 0..<(try r.uvarint()) {
                    let id = try r.varint()
                    let n = Int(try r.uvarint())
                    var s = AgentMetricSeries(agentID: id)
                    var flat = MetricBlock(agentID: id, day: 0)
                    flat.timestamps = try r.array(Int64.self, count: n)
                    flat.ids = CompactColumn(try r.array(Int64.self, count: n))
                    flat.operations = CompactColumn(try r.array(Int32.self, count: n))
                    flat.executionTimes = try r.array(UInt64.self, count: n).map(Double.init(bitPattern:))
                    flat.tokens = CompactColumn(try r.array(Int64.self, count: n))
                    flat.successes = try r.array(UInt8.self, count: n).map { $0 != 0 }
                    flat.qualities = try r.array(UInt64.self, count: n).map(Double.init(bitPattern:))
                    flat.costs = CompactColumn(try r.array(Int64.self, count: n))
                    guard flat.operations.all.allSatisfy({ $0 >= 0 && UInt64($0) < opCount }),
                        zip(flat.timestamps.indices, flat.timestamps.indices.dropFirst()).allSatisfy({
                            (flat.timestamps[$0], flat.ids[$0]) < (flat.timestamps[$1], flat.ids[$1])
                        })
                    else { throw .malformed(type: 0, reason: "metrics of agent \(id) out of order") }
                    s.restoreBlocks(from: flat)
                    (s.hourStarts, s.hourTotals) = try r.rollup()
                    let days = Int(try r.uvarint())
                    s.dayOperationKeys = try r.array(Int64.self, count: days)
                    s.dayOperationSums = try r.array(UInt64.self, count: days).map(Double.init(bitPattern:))
                    s.dayOperationCounts = try r.array(Int64.self, count: days).map { Int($0) }
                    guard zip(s.dayOperationKeys, s.dayOperationKeys.dropFirst()).allSatisfy({ $0 < $1 }),
                        s.dayOperationKeys.allSatisfy({ UInt64(UInt32(truncatingIfNeeded: $0)) < opCount })
                    else { throw .malformed(type: 0, reason: "daily operation rollups out of order") }
                    s.retiredBefore = try r.varint()
                    for _ in 0..<(try r.uvarint()) {
                        let op = try r.uvarint()
                        guard op < opCount else { throw .malformed(type: 0, reason: "unknown operation \(op)") }
                        var rollup = HourlyRollup()
                        (rollup.hourStarts, rollup.totals) = try r.rollup()
                        s.retiredByOperation[Int32(op)] = rollup
                    }
                    store.series.set(id, s)
                    store.count += n
                }
                try r.finish()
                p.metrics = store
                p.sequence = sequence
                return p
            }
        }
        self = try result.get()
    }
}

extension BinaryWriter {
    mutating func raw(_ bytes: [UInt8]) {
        append(contentsOf: bytes)
    }

    /// A fixed-width integer array, little endian, without a length prefix.
    mutating func array<T: FixedWidthInteger>(_ values: [T]) {
        for v in values { withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) } }
    }
}

extension BinaryReader {
    mutating func raw(_ count: Int) throws(EventDecodingError) -> [UInt8] {
        try array(UInt8.self, count: count)
    }

    mutating func rollup() throws(EventDecodingError) -> ([Int64], [OperationTotals]) {
        let n = Int(try uvarint())
        let hours = try array(Int64.self, count: n)
        var totals: [OperationTotals] = []
        totals.reserveCapacity(n)
        for _ in 0..<n {
            var t = OperationTotals()
            t.operations = Int(try varint())
            t.successes = Int(try varint())
            t.executionSum = Double(bitPattern: UInt64(bitPattern: try varint()))
            t.tokens = try varint()
            t.costNanos = Int128(try varint())
            t.qualitySum = Double(bitPattern: UInt64(bitPattern: try varint()))
            t.qualityCount = Int(try varint())
            totals.append(t)
        }
        return (hours, totals)
    }
}

extension BinaryWriter {
    mutating func rollup(hourStarts: [Int64], totals: [OperationTotals]) {
        uvarint(UInt64(hourStarts.count))
        array(hourStarts)
        for t in totals {
            varint(Int64(t.operations))
            varint(Int64(t.successes))
            varint(Int64(bitPattern: t.executionSum.bitPattern))
            varint(t.tokens)
            // Rollups hold one agent's metrics: within `Limits.maximumAgentSpendNanos`.
            varint(Int64(clamping: t.costNanos))
            varint(Int64(bitPattern: t.qualitySum.bitPattern))
            varint(Int64(t.qualityCount))
        }
    }
}
