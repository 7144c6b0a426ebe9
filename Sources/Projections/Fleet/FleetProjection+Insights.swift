import Utilities

/// The advisory reads of §3: cost recommendations, performance insights and the summary.
extension FleetProjection {
    // MARK: §3 Recommendations

    /// One cost recommendation (§3), unrounded.
    public struct Recommendation: Sendable, Equatable {
        /// `pause_agent`, `review_agent`, `reduce_budget` or `increase_capacity`.
        public var type: String
        /// `high`, `medium` or `low`.
        public var priority: String
        public var agentID: Int64
        public var agentName: String
        public var agentRole: String
        /// USD.
        public var currentBudget: Double
        public var recommendedBudget: Double
        public var reason: String
        public var savings: Double
    }

    /// The recommendations at `asOf`, agents with a budget in id order, first matching rule.
    public func recommendations(asOf: Int64) -> [Recommendation] {
        let rules = self.rules
        var out: [Recommendation] = []
        let window = TimeWindow(start: asOf - rules.recommendationWindowDays * UTCTime.microsecondsPerDay, end: asOf)
        for id in ingestion.budgets.keys.sorted() {
            guard let agent = agents[id], let (budget, used, _) = budgetUsage(agentID: id, asOf: asOf) else { continue }
            let acc = totals(agentID: id, in: window)
            let n = Int64(acc.operations)
            let cost = Money.usd(acc.costNanos)
            let quality = acc.meanQuality
            let total = Money.usd(budget.totalBudgetNanos)
            let util = Self.utilization(used: used, budget: budget.totalBudgetNanos)
            func item(_ type: String, _ priority: String, _ recommended: Double, _ reason: String, _ savings: Double)
                -> Recommendation
            {
                Recommendation(
                    type: type, priority: priority, agentID: id, agentName: agent.name, agentRole: agent.role,
                    currentBudget: total, recommendedBudget: recommended, reason: reason, savings: savings)
            }
            if n < rules.pauseMaxTasks {
                let savings = max(0, Money.usd(budget.totalBudgetNanos - used))
                out.append(item("pause_agent", "medium", 0, "Rarely used (only \(n) tasks in 30 days)", savings))
            } else if cost >= rules.reviewMinCostUSD, let q = quality, q < rules.reviewMaxQuality {
                out.append(
                    item(
                        "review_agent", "high", total,
                        "High cost ($\(Rounding.fixed(cost, places: 2))) but low quality (\(Rounding.fixed(q, places: 1)))",
                        0))
            } else if let u = util, u < rules.reduceMaxUtilizationPercent, n < rules.reduceMaxTasks {
                out.append(
                    item(
                        "reduce_budget", "medium", total / 2,
                        "Low utilization (\(Rounding.fixed(u, places: 1))%) and minimal activity (\(n) tasks)",
                        total / 2))
            } else if let q = quality, q >= rules.increaseMinQuality, let u = util,
                u >= rules.increaseMinUtilizationPercent
            {
                out.append(
                    item(
                        "increase_capacity", "low", total * 1.5,
                        "High quality score (\(Rounding.fixed(q, places: 1))) near budget limit (\(Rounding.fixed(u, places: 1))% used)",
                        0))
            }
        }
        return out
    }

    /// `GET /metrics/recommendations/cost`.
    public func costRecommendations(asOf: Int64) -> CostRecommendations {
        CostRecommendations(items: recommendations(asOf: asOf))
    }

    /// Whether a stored metric (of any agent) has its timestamp in `[from, through]`: a binary
    /// search per agent, for deciding whether a moved window still holds the same metrics.
    public func hasMetric(from: Int64, through: Int64) -> Bool {
        guard from <= through else { return false }
        for (_, series) in metrics.series where series.hasMetric(from: from, through: through) { return true }
        return false
    }

    // MARK: §3 Insights

    /// `GET /metrics/insights/performance`.
    public func insights(window: TimeWindow) -> PerformanceInsights {
        struct Stat {
            var sum = 0.0
            var count = 0
            var mean: Double { sum / Double(count) }

            @inline(__always)
            mutating func add(_ x: Double, count n: Int) {
                sum += x
                count += n
            }
        }
        // Agents ascending; each agent's hours (for its totals and the hours of the day) and its
        // (day, operation) sums (for the operations' means and daily trends) in time order: whole
        // hours and days from the rollups, the window's partial edges from the raw columns. Like
        // every read before retention was introduced, only metrics still stored raw count. Sums go
        // into flat arrays indexed by operation, day and hour of day.
        let operationCount = metrics.operationNames.count
        let originDay = UTCTime.dayIndex(window.start)
        let dayCount = window.end >= window.start ? Int(UTCTime.dayIndex(window.end) - originDay + 1) : 0
        // Days per operation in flat arrays when they stay small, else sparse (a window of decades).
        let denseDays = operationCount * dayCount <= 1 << 22
        var opDayDense = [[Stat]](repeating: [], count: denseDays ? operationCount : 0)
        var opDaySparse: [Int32: [Int64: Stat]] = [:]
        var opAll = [Stat](repeating: Stat(), count: operationCount)
        // Per operation: (agent, its stat) in agent order.
        var opAgents = [[(id: Int64, stat: Stat)]](repeating: [], count: operationCount)
        var perHour = [Stat](repeating: Stat(), count: 24)
        var perAgent: [(id: Int64, totals: OperationTotals)] = []
        var current = [Stat](repeating: Stat(), count: operationCount)
        var touched: [Int] = []
        for id in metrics.series.keys.sorted() {
            let s = metrics.series[id]!
            var totals = OperationTotals()
            s.forEachPiece(from: window.start, through: window.end, rawOnly: true) { t, piece in
                totals.merge(piece)
                perHour[UTCTime.hourOfDay(t)].add(piece.executionSum, count: piece.operations)
            }
            guard totals.operations > 0 else { continue }
            s.forEachDayOperation(from: window.start, through: window.end) { day, operation, sum, count in
                let op = Int(operation)
                if current[op].count == 0 { touched.append(op) }
                current[op].add(sum, count: count)
                let d = day - originDay
                if denseDays {
                    if opDayDense[op].isEmpty { opDayDense[op] = [Stat](repeating: Stat(), count: dayCount) }
                    opDayDense[op][Int(d)].add(sum, count: count)
                } else {
                    opDaySparse[operation, default: [:]][d, default: Stat()].add(sum, count: count)
                }
                opAll[op].add(sum, count: count)
            }
            for op in touched {
                opAgents[op].append((id, current[op]))
                current[op] = Stat()
            }
            touched.removeAll(keepingCapacity: true)
            perAgent.append((id, totals))
        }
        let ops = (0..<operationCount).filter { opAll[$0].count > 0 }
            .map { (name: metrics.operationNames[$0], id: $0) }.sorted { $0.name < $1.name }
        var fastest: [PerformanceInsights.Fastest] = []
        for (op, opID) in ops {
            var best: (Double, Int64)?
            for (id, stat) in opAgents[opID] where stat.count >= 3 && agents[id] != nil {
                if best == nil || stat.mean < best!.0 { best = (stat.mean, id) }
            }
            if let best {
                fastest.append(.init(operation: op, agentName: agentName(best.1), meanTimeMs: best.0))
            }
        }
        var efficiency: [(Double, Int64)] = []
        var quality: [(Double, Int64)] = []
        for (id, acc) in perAgent where agents[id] != nil {
            if acc.operations >= 1 { efficiency.append((Money.usd(acc.costNanos) / Double(acc.operations), id)) }
            if let q = acc.meanQuality { quality.append((q, id)) }
        }
        efficiency.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        quality.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
        let hours = perHour.indices.filter { perHour[$0].count > 0 }.map { (perHour[$0].mean, $0, perHour[$0].count) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var degrading: [PerformanceInsights.Degrading] = []
        for (op, opID) in ops {
            let days: [Int64]
            let means: [Double]
            if denseDays {
                let byDay = opDayDense[opID]
                let present = byDay.indices.filter { byDay[$0].count > 0 }
                days = present.map { Int64($0) }
                means = present.map { byDay[$0].mean }
            } else {
                let byDay = opDaySparse[Int32(opID)] ?? [:]
                days = byDay.keys.sorted()
                means = days.map { byDay[$0]!.mean }
            }
            let all = opAll[opID]
            let fit = TrendFit.fit(
                days: days, means: means, allValuesMean: all.count == 0 ? nil : all.mean, metric: .executionTime)
            if fit.label == .degrading {
                degrading.append(.init(operation: op, slope: fit.slope))
            }
        }
        return PerformanceInsights(
            fastest: fastest,
            mostCostEfficient: efficiency.prefix(5).map { .init(agentName: agentName($0.1), value: $0.0) },
            highestQuality: quality.prefix(5).map { .init(agentName: agentName($0.1), value: $0.0) },
            peakHours: hours.prefix(5).map { .init(hour: $0.1, meanTimeMs: $0.0, operations: $0.2) },
            degrading: degrading)
    }

    // MARK: §3 Summary

    /// The number of alerts with status active.
    public var activeAlertCount: Int { alertBook.alerts.reduce(0) { $0 + ($1.status == .active ? 1 : 0) } }

    /// `GET /metrics/summary`.
    public func summary(asOf: Int64) -> FleetSummary {
        var last24h = OperationTotals()
        var last30d = OperationTotals()
        for id in metrics.series.keys.sorted() {
            last24h.merge(totals(agentID: id, in: TimeWindow(start: asOf - UTCTime.microsecondsPerDay, end: asOf)))
            last30d.merge(totals(agentID: id, in: TimeWindow(start: asOf - 30 * UTCTime.microsecondsPerDay, end: asOf)))
        }
        return FleetSummary(
            last24h: last24h, last30d: last30d, activeAlerts: activeAlertCount,
            pendingRecommendations: recommendations(asOf: asOf).count)
    }
}
