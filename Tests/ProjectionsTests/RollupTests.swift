import Projections
import Testing

@Suite("Hourly rollups")
struct RollupTests {
    @Test("window totals from rollups plus raw edges equal the raw totals")
    func rollupsMatchRaw() throws {
        let (_, projection) = try GeneratedFleet.generateLog()
        var rng = GeneratedFleet.Generator(state: 7)
        let hour: Int64 = 3_600_000_000
        for _ in 0..<300 {
            let start =
                GeneratedFleet.start + Int64.random(in: -GeneratedFleet.day...(40 * GeneratedFleet.day), using: &rng)
            // Some windows on exact hour boundaries, some inside one hour, some long.
            var end = start + Int64.random(in: 0...(10 * GeneratedFleet.day), using: &rng)
            if Bool.random(using: &rng) {
                end = start - start % hour + hour * Int64.random(in: 0...50, using: &rng) - 1
            }
            guard end >= start else { continue }
            for (id, series) in projection.metrics.series {
                let fromRollups = series.totals(from: start, through: end)
                var count = 0
                var cost: Int64 = 0
                var tokens: Int64 = 0
                var successes = 0
                series.forEachSlice(from: start, through: end) { block, range in
                    for i in range {
                        count += 1
                        cost += block.costs[i]
                        tokens += block.tokens[i]
                        if block.successes[i] { successes += 1 }
                    }
                }
                #expect(fromRollups.operationCount == count, "agent \(id) [\(start), \(end)]")
                #expect(fromRollups.costNanos == cost)
                #expect(fromRollups.tokenCount == tokens)
                #expect(fromRollups.successCount == successes)
            }
        }
    }
}
