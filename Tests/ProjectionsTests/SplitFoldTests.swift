import Projections
import Testing

/// Folding stored payloads (the rebuild path: metrics read in place into the columns) and folding
/// split by agent (`split` / `apply(…, part:)` / `join`) give exactly the state of folding the
/// decoded events one by one.
@Suite("Split fold")
struct SplitFoldTests {
    typealias R = GeneratedFleet

    /// A stored event: type, schema version, payload bytes.
    struct Stored {
        var sequence: UInt64
        var type: UInt16
        var version: UInt16
        var payload: [UInt8]
    }

    /// The generated log, plus what makes a split fold hard: operation types first met in
    /// different agents (so in different parts) in an order the parts cannot see, a retention
    /// marker in the middle, late metrics after it, and payloads no build can decode (bad UTF-8
    /// in the operation type and in the error message, truncated, trailing bytes, a newer schema
    /// version, an unknown type).
    static func storedLog() throws -> (stored: [Stored], live: FleetProjection) {
        var (events, live) = try R.generateLog()
        var stored = events.map {
            Stored(sequence: $0.0, type: $0.1.type, version: $0.1.schemaVersion, payload: $0.1.encodedPayload())
        }
        func append(_ event: DomainEvent) {
            let sequence = UInt64(stored.count + 1)
            stored.append(
                Stored(
                    sequence: sequence, type: event.type, version: event.schemaVersion, payload: event.encodedPayload())
            )
            live.apply(event, sequence: sequence)
            events.append((sequence, event))
        }
        func appendRaw(type: UInt16, version: UInt16, _ payload: [UInt8]) {
            let sequence = UInt64(stored.count + 1)
            stored.append(Stored(sequence: sequence, type: type, version: version, payload: payload))
            payload.withUnsafeBytes { bytes in
                try? live.apply(type: type, schemaVersion: version, payload: bytes, sequence: sequence, policy: .skip)
            }
        }
        func metric(agent: Int64, op: String, day: Int64, error: String? = nil) -> DomainEvent {
            .metricRecorded(
                MetricRecorded(
                    agentID: agent, operationType: op, timestamp: R.start + day * R.day + agent * 1_000,
                    executionTimeMs: 120.5 + Double(agent),
                    tokensUsed: 300 + agent, apiCalls: 2, success: error == nil,
                    qualityScore: agent % 2 == 0 ? nil : 71.25,
                    costNanos: 1_234_567 * agent, errorMessage: error))
        }
        // New operation types, met first by agents of different parts, in a crossing order.
        for (agent, op) in [
            (5, "zeta_rollout"), (2, "alpha_triage"), (3, "mid_refactor"), (4, "zeta_rollout"), (1, "alpha_triage"),
            (6, "long_operation_type_name_with_more_than_sixteen_bytes"),
        ] {
            append(
                metric(
                    agent: Int64(agent), op: op, day: 30, error: agent == 3 ? "upstream timeout (504) — retried" : nil))
        }
        // Agents with extreme ids (each part gets some; the largest id `Limits` allows), sharing
        // one operation type, interned once.
        for (agent, op) in [
            (Int64(3) << 41, "cafe.latte"), (Int64(1) << 40, "cafe.latte"), (Limits.maximumAgentID, "cafe.latte"),
            (Limits.maximumAgentID - 1, "cafe.latte"),
            (Int64(3) << 41, "cafe.latte"),
        ] {
            append(
                .metricRecorded(
                    MetricRecorded(
                        agentID: agent, operationType: op, timestamp: R.start + 29 * R.day, executionTimeMs: 99,
                        tokensUsed: 5, success: true, qualityScore: 50, costNanos: 10_000)))
        }
        let marker = RetentionApplied(
            asOf: R.end, metricCutoff: R.start + 5 * R.day, rollupCutoff: R.start - 10 * R.day,
            throughSequence: UInt64(stored.count), archive: "archive/test.jsonl.gz", archivedEvents: 1,
            archiveChecksum: 7)
        append(.retentionApplied(marker))
        // Late metrics (before the cutoff, after the marker: kept) and one more new operation type.
        for agent in 1...6 {
            append(metric(agent: Int64(agent), op: agent == 4 ? "post_retention_op" : "testing", day: 2))
        }

        let good = metric(agent: 3, op: "testing", day: 31).encodedPayload()
        var badOperation = metric(agent: 3, op: "tésting", day: 31).encodedPayload()
        if let at = badOperation.firstIndex(of: 0xC3) { badOperation[at] = 0xFF }
        var badError = metric(agent: 4, op: "testing", day: 31, error: "déjà").encodedPayload()
        if let at = badError.lastIndex(of: 0xC3) { badError[at] = 0xC0 }
        appendRaw(type: MetricRecorded.type, version: 1, badOperation)
        appendRaw(type: MetricRecorded.type, version: 1, badError)
        appendRaw(type: MetricRecorded.type, version: 1, Array(good.dropLast(3)))
        appendRaw(type: MetricRecorded.type, version: 1, good + [0])
        appendRaw(type: MetricRecorded.type, version: 1, [])
        appendRaw(type: MetricRecorded.type, version: MetricRecorded.version + 1, good)
        appendRaw(type: 999, version: 1, good)
        append(metric(agent: 2, op: "testing", day: 32))
        return (stored, live)
    }

    static func fold(_ stored: some Sequence<Stored>, into projection: inout FleetProjection) {
        for event in stored {
            event.payload.withUnsafeBytes { payload in
                try? projection.apply(
                    type: event.type, schemaVersion: event.version, payload: payload, sequence: event.sequence,
                    policy: .skip)
            }
        }
    }

    static func splitFold(_ stored: ArraySlice<Stored>, from base: FleetProjection, parts: Int) -> FleetProjection {
        var part0 = base
        var others = part0.split(into: parts)
        #expect(others.count == parts - 1)
        for event in stored {
            event.payload.withUnsafeBytes { payload in
                part0.apply(
                    type: event.type, schemaVersion: event.version, payload: payload, sequence: event.sequence,
                    part: FoldPart(index: 0, count: parts))
                for index in others.indices {
                    others[index].apply(
                        type: event.type, schemaVersion: event.version, payload: payload, sequence: event.sequence,
                        part: FoldPart(index: index + 1, count: parts))
                }
            }
        }
        part0.join(&others)
        return part0
    }

    @Test("folding stored payloads gives the state of folding the decoded events, undecodable ones counted")
    func payloadFoldMatchesDecodedFold() throws {
        let (stored, live) = try Self.storedLog()
        var fromPayloads = FleetProjection()
        Self.fold(stored, into: &fromPayloads)
        #expect(fromPayloads.skippedEvents == 7)
        #expect(fromPayloads.metrics.operationNames.contains("post_retention_op"))
        #expect(fromPayloads.snapshotBytes() == live.snapshotBytes())
        #expect(try R.answers(fromPayloads) == R.answers(live))
    }

    @Test("a fold split into 1–5 parts, from empty or from a restored snapshot, equals the fold in one piece")
    func splitFoldMatchesWholeFold() throws {
        let (stored, _) = try Self.storedLog()
        var whole = FleetProjection()
        Self.fold(stored, into: &whole)
        let expectedBytes = whole.snapshotBytes()
        let expectedAnswers = try R.answers(whole)
        for parts in 1...5 {
            let split = Self.splitFold(stored[...], from: FleetProjection(), parts: parts)
            #expect(split.snapshotBytes() == expectedBytes, "\(parts) parts from empty")
            // The role and fleet spend (derived, not in the snapshot) are the whole fold's too.
            #expect(split.ingestion.roleSpend == whole.ingestion.roleSpend, "\(parts) parts")
            #expect(split.ingestion.fleetSpend == whole.ingestion.fleetSpend, "\(parts) parts")
            #expect(try R.answers(split) == expectedAnswers, "\(parts) parts from empty")
            #expect(split.metrics.operationNames == whole.metrics.operationNames)
            #expect(split.skippedEvents == whole.skippedEvents)
            #expect(split.metrics.count == whole.metrics.count)
            for cut in [stored.count / 2, stored.count - 20] {
                var first = FleetProjection()
                Self.fold(stored[..<cut], into: &first)
                let restored = try FleetProjection(snapshot: first.snapshotBytes())
                let resumed = Self.splitFold(stored[cut...], from: restored, parts: parts)
                #expect(resumed.snapshotBytes() == expectedBytes, "\(parts) parts after \(cut) events")
            }
        }
    }

    @Test("a fold split again for every chunk, restored from a snapshot between some, equals the fold in one piece")
    func chunkedSplitFolds() throws {
        let (stored, _) = try Self.storedLog()
        var whole = FleetProjection()
        Self.fold(stored, into: &whole)
        #expect(whole.metrics.operationNames.filter { $0 == "cafe.latte" }.count == 1)
        for (chunk, parts) in [(97, 3), (500, 2), (stored.count / 3, 4)] {
            var projection = FleetProjection()
            var start = 0
            var round = 0
            while start < stored.count {
                let end = min(stored.count, start + chunk)
                projection = Self.splitFold(stored[start..<end], from: projection, parts: parts)
                if round % 2 == 1 { projection = try FleetProjection(snapshot: projection.snapshotBytes()) }
                start = end
                round += 1
            }
            #expect(projection.snapshotBytes() == whole.snapshotBytes(), "chunks of \(chunk), \(parts) parts")
            #expect(projection.ingestion.fleetSpend == whole.ingestion.fleetSpend, "chunks of \(chunk), \(parts) parts")
            #expect(projection.ingestion.roleSpend == whole.ingestion.roleSpend, "chunks of \(chunk), \(parts) parts")
        }
    }

    @Test("a split projection keeps each agent's metrics and spend in exactly one part")
    func splitPartitionsAgents() throws {
        let (stored, _) = try Self.storedLog()
        var whole = FleetProjection()
        Self.fold(stored, into: &whole)
        var part0 = whole
        var others = part0.split(into: 3)
        let parts = [part0] + others
        for (index, part) in parts.enumerated() {
            for agentID in part.metrics.series.keys { #expect(FoldPart.index(ofAgent: agentID, count: 3) == index) }
            for agentID in part.ingestion.spend.keys { #expect(FoldPart.index(ofAgent: agentID, count: 3) == index) }
        }
        #expect(parts.reduce(0) { $0 + $1.metrics.count } == whole.metrics.count)
        #expect(parts.reduce(0) { $0 + $1.metrics.series.count } == whole.metrics.series.count)
        part0.join(&others)
        #expect(part0.snapshotBytes() == whole.snapshotBytes())
    }
}

@Suite("Operation table")
struct OperationTableTests {
    @Test("names are found by their bytes and by name, across growth, and absent ones are not")
    func lookups() {
        var table = OperationTable()
        let names = (0..<300).map { i in
            switch i % 4 {
            case 0: return "op\(i)"
            case 1: return "a_long_operation_type_\(i)_with_a_common_prefix"
            case 2: return "é\(i)ü"
            default: return String(repeating: "x", count: i % 23) + "\(i)"
            }
        }
        for (i, name) in names.enumerated() {
            #expect(table.intern(name, firstUse: Int64(i + 1)) == Int32(i))
            #expect(table.intern(name) == Int32(i))
        }
        #expect(table.count == names.count)
        for (i, name) in names.enumerated() {
            #expect(table.index(of: name) == Int32(i))
            var copy = name
            let found = copy.withUTF8 { table.index(utf8: UnsafeRawBufferPointer($0)) }
            #expect(found == Int32(i))
        }
        for absent in ["", "op1000", "a_long_operation_type_1_with_a_common_prefiX", "op"] {
            var copy = absent
            #expect(copy.withUTF8 { table.index(utf8: UnsafeRawBufferPointer($0)) } == nil)
        }
        _ = table.intern("")
        var empty = ""
        #expect(empty.withUTF8 { table.index(utf8: UnsafeRawBufferPointer($0)) } == Int32(names.count))
    }
}

@Suite("Agent table")
struct AgentTableTests {
    @Test("values are found, updated in place, extracted and absorbed by id, across growth")
    func lookupsAndMoves() {
        var table = AgentTable<[Int]>()
        // Ids that collide in a small table (multiples of a power of two) and negative ones.
        let ids: [Int64] =
            (1...200).map { Int64($0) } + (1...60).map { Int64($0) << 32 } + [-1, -7, Int64.min, Int64.max]
        for id in ids {
            table.update(id, default: { [] }) { $0.append(Int(truncatingIfNeeded: id)) }
        }
        #expect(table.count == ids.count)
        for id in ids { table.update(id) { $0.append(1) } }
        #expect(table.update(12_345) { $0.append(1) } == nil)
        for id in ids { #expect(table[id] == [Int(truncatingIfNeeded: id), 1]) }
        #expect(table[0] == nil && table[201] == nil)

        var even = table.extract { $0 % 2 == 0 }
        #expect(even.count + table.count == ids.count)
        for id in ids {
            #expect((id % 2 == 0 ? even[id] : table[id]) == [Int(truncatingIfNeeded: id), 1])
            #expect((id % 2 == 0 ? table[id] : even[id]) == nil)
        }
        var whole = table
        whole.absorb(&even)
        #expect(even.isEmpty)
        #expect(whole.count == ids.count)
        var rebuilt = AgentTable<[Int]>()
        for id in ids.reversed() { rebuilt.set(id, [Int(truncatingIfNeeded: id), 1]) }
        #expect(whole == rebuilt, "equal whatever the order the ids were added in")
        rebuilt.set(7, [])
        #expect(whole != rebuilt)
        #expect(Set(whole.keys) == Set(ids))
    }
}
