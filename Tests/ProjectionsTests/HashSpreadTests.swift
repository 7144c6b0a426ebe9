import Testing

@testable import Projections

/// Agent ids and operation types come from clients: ids that differ only in their high bits, or
/// names that differ only in the middle, must not pile up in one run of slots (a lookup would
/// then walk them all, on every folded metric).
@Suite("Hash spread")
struct HashSpreadTests {
    @Test("agent ids differing only in high bits, or in steps of powers of two, spread out")
    func agentIDs() {
        for shift in [0, 8, 20, 32, 40, 48] {
            var table = AgentTable<Int>()
            for k in 1...20_000 { table.set(Int64(k) << Int64(shift), k) }
            #expect(table.count == 20_000)
            #expect(table.longestProbe < 100, "ids k << \(shift): longest probe \(table.longestProbe)")
            #expect(table[Int64(777) << Int64(shift)] == 777)
        }
        var negatives = AgentTable<Int>()
        for k in 1...20_000 { negatives.set(-Int64(k) << 44, k) }
        #expect(negatives.longestProbe < 100)
    }

    @Test("operation types differing only in the middle spread out")
    func operationNames() {
        var table = OperationTable()
        for n in 0..<5_000 { _ = table.intern("agent.ta.\(n).complete") }
        #expect(table.longestProbe < 100, "longest probe \(table.longestProbe)")
        var padded = OperationTable()
        for n in 0..<5_000 {
            _ = padded.intern("prefix-shared-by-all-" + String(n, radix: 36) + "-suffix-shared-by-all")
        }
        #expect(padded.longestProbe < 100, "longest probe \(padded.longestProbe)")
        var short = OperationTable()
        for n in 0..<2_000 { _ = short.intern(String(n)) }
        #expect(short.longestProbe < 100, "longest probe \(short.longestProbe)")
    }
}
