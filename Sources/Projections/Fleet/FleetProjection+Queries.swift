/// The read endpoints of §2–§3, answered from the projection. Each returns the whole JSON body.
extension FleetProjection {
    private typealias F = Format

    // MARK: Helpers

    /// Agent ids in ascending order (deterministic iteration, so float sums never depend on
    /// dictionary order).
    var sortedAgentIDs: [Int64] { agents.keys.sorted() }

    /// Visits every metric of the given agents (all when nil) in the window, optionally of one
    /// operation type, agent by agent in id order, each agent's metrics in time order.
    func forEachMetric(
        in window: TimeWindow, agents filter: [Int64]?, operation: String?,
        _ body: (_ series: AgentMetricSeries, _ index: Int) -> Void
    ) {
        var op: Int32? = nil
        if let operation {
            guard let known = metrics.operation(named: operation) else { return }
            op = known
        }
        let ids = filter ?? metrics.series.keys.sorted()
        for id in ids {
            guard let series = metrics.series[id] else { continue }
            for i in series.range(from: window.start, through: window.end) {
                if let op, series.operations[i] != op { continue }
                body(series, i)
            }
        }
    }

    /// The values of a statistic metric (quality: scored only) in the window, in visit order.
    func values(_ metric: StatisticMetric, in window: TimeWindow, agentID: Int64?, operation: String?) -> [Double] {
        var values: [Double] = []
        forEachMetric(in: window, agents: agentID.map { [$0] }, operation: operation) { s, i in
            if let v = s.value(metric, at: i) { values.append(v) }
        }
        return values
    }

    /// The totals of one agent's metrics in a window, from the hourly rollups.
    func totals(agentID: Int64, in window: TimeWindow) -> OperationTotals {
        metrics.series[agentID]?.totals(from: window.start, through: window.end) ?? OperationTotals()
    }

    private func period(_ window: TimeWindow) -> JSONValue {
        .object(["start": F.time(window.start), "end": F.time(window.end)])
    }

    private func agentName(_ id: Int64) -> JSONValue { F.string(agents[id]?.name) }

    // MARK: Agents and budgets

    public func agentJSON(_ agent: Agent) -> JSONValue {
        .object(["id": .int(agent.id), "name": .string(agent.name), "role": .string(agent.role)])
    }

    /// `GET /agents`.
    public func agentList() -> JSONObject {
        let list = sortedAgentIDs.compactMap { agents[$0] }.map(agentJSON)
        return ["success": true, "count": .int(Int64(list.count)), "data": .array(list)]
    }

    /// `GET /agents/{id}`.
    public func agent(_ id: Int64) throws(QueryError) -> JSONObject {
        guard let agent = agents[id] else { throw .notFound("agent \(id) is not registered") }
        return ["success": true, "data": agentJSON(agent)]
    }

    /// The budget, the used nano-dollars and the period at `asOf`, nil without a budget.
    public func budgetUsage(agentID: Int64, asOf: Int64) -> (budget: BudgetSet, used: Int64, bounds: (Int64, Int64)?)? {
        guard let budget = ingestion.budgets[agentID] else { return nil }
        let key = PeriodKey(agentID: agentID, kind: budget.period, containing: asOf)
        return (budget, ingestion.used(key), budget.period.bounds(containing: asOf))
    }

    static func utilization(used: Int64, budget: Int64) -> Double? {
        budget == 0 ? nil : Double(used) / Double(budget) * 100
    }

    /// The budget status object of §2, nil without a budget.
    public func budgetStatus(agentID: Int64, asOf: Int64) -> JSONValue? {
        guard let (budget, used, bounds) = budgetUsage(agentID: agentID, asOf: asOf) else { return nil }
        let status: String
        if IngestionState.levelReached(usedNanos: used, budget: budget, critical: true) {
            status = "critical"
        } else if IngestionState.levelReached(usedNanos: used, budget: budget, critical: false) {
            status = "warning"
        } else {
            status = "ok"
        }
        return .object([
            "agent_id": .int(agentID),
            "total_budget_usd": F.usd(budget.totalBudgetNanos),
            "used_usd": F.usd(used),
            "remaining_usd": F.r4(Money.usd(budget.totalBudgetNanos) - Money.usd(used)),
            "utilization_percent": F.r2(Self.utilization(used: used, budget: budget.totalBudgetNanos)),
            "warning_threshold_percent": .double(budget.warningThresholdPercent),
            "critical_threshold_percent": .double(budget.criticalThresholdPercent),
            "period": .string(budget.period.rawValue),
            "period_start": F.time(bounds?.0),
            "period_end": F.time(bounds?.1),
            "status": .string(status),
        ])
    }

    /// `GET /agents/{id}/budget`.
    public func budget(agentID: Int64, asOf: Int64) throws(QueryError) -> JSONObject {
        guard agents[agentID] != nil else { throw .notFound("agent \(agentID) is not registered") }
        guard let status = budgetStatus(agentID: agentID, asOf: asOf) else {
            throw .notFound("agent \(agentID) has no budget")
        }
        return ["success": true, "data": status]
    }

    // MARK: §3 Time series

    /// `GET /metrics/aggregate/timeseries`.
    public func timeSeries(
        window: TimeWindow, granularity: Granularity, agentID: Int64?, role: String?, operation: String?
    ) throws(QueryError) -> JSONObject {
        guard let starts = granularity.bucketStarts(from: window.start, to: window.end, limit: 10_000) else {
            throw .invalidParameter(
                field: "granularity", message: "the window holds more than 10,000 \(granularity.rawValue) buckets")
        }
        var agentFilter: [Int64]? = agentID.map { [$0] }
        if let role {
            let ofRole = sortedAgentIDs.filter { agents[$0]?.role == role }
            agentFilter = agentFilter.map { ids in ids.filter { ofRole.contains($0) } } ?? ofRole
        }
        var buckets = [OperationTotals](repeating: OperationTotals(), count: starts.count)
        func bucket(_ t: Int64) -> Int {
            var lo = 0
            var hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] <= t { lo = mid + 1 } else { hi = mid }
            }
            return lo - 1
        }
        if operation == nil {
            // Whole hours from the rollups (an hour never straddles a bucket), edges raw. Pieces
            // come in time order, so the bucket index only moves forward.
            for id in agentFilter ?? metrics.series.keys.sorted() {
                var b = 0
                metrics.series[id]?.forEachPiece(from: window.start, through: window.end) { t, piece in
                    if t < starts[b] { b = max(0, bucket(t)) }
                    while b + 1 < starts.count && starts[b + 1] <= t { b += 1 }
                    buckets[b].merge(piece)
                }
            }
        } else {
            forEachMetric(in: window, agents: agentFilter, operation: operation) { s, i in
                buckets[bucket(s.timestamps[i])].add(s, i)
            }
            // Hours whose metrics retention removed: their per-operation rollups.
            if let operation, metrics.retainedFrom > window.start, let op = metrics.operation(named: operation) {
                for id in agentFilter ?? metrics.series.keys.sorted() {
                    metrics.series[id]?.retiredByOperation[op]?.forEach(
                        from: UTCTime.hourFloor(window.start), through: window.end
                    ) { t, piece in
                        buckets[max(0, bucket(t))].merge(piece)
                    }
                }
            }
        }
        var data: [JSONValue] = []
        data.reserveCapacity(starts.count)
        for (start, bucket) in zip(starts, buckets) {
            var object: JSONObject = ["timestamp": F.time(start)]
            bucket.fields(into: &object)
            data.append(.object(object))
        }
        return [
            "success": true,
            "period": .object([
                "start": F.time(window.start), "end": F.time(window.end), "granularity": .string(granularity.rawValue),
            ]),
            "count": .int(Int64(data.count)),
            "data": .array(data),
        ]
    }

    // MARK: §3 Agent and role

    /// `GET /metrics/aggregate/by-agent/{id}`.
    public func byAgent(_ id: Int64, window: TimeWindow, asOf: Int64) throws(QueryError) -> JSONObject {
        guard let agent = agents[id] else { throw .notFound("agent \(id) is not registered") }
        var acc = OperationTotals()
        var executions: [Double] = []
        var qualities: [Double] = []
        forEachMetric(in: window, agents: [id], operation: nil) { s, i in
            acc.add(s, i)
            executions.append(s.executionTimes[i])
            if !s.qualities[i].isNaN { qualities.append(s.qualities[i]) }
        }
        executions.sort()
        qualities.sort()
        let n = acc.operations
        let usage = budgetUsage(agentID: id, asOf: asOf)
        return [
            "success": true,
            "data": .object([
                "agent_id": .int(id),
                "agent_name": .string(agent.name),
                "agent_role": .string(agent.role),
                "period": period(window),
                "tasks": .object([
                    "total": .int(Int64(n)),
                    "successful": .int(Int64(acc.successes)),
                    "failed": .int(Int64(n - acc.successes)),
                    "success_rate": F.r2(acc.successRate),
                ]),
                "performance": .object([
                    "avg_execution_time_ms": F.r2(Statistics.mean(executions)),
                    "median_execution_time_ms": F.r2(Statistics.percentile(sorted: executions, 50)),
                    "p95_execution_time_ms": F.r2(Statistics.percentile(sorted: executions, 95)),
                    "total_tokens": .int(acc.tokens),
                    "avg_tokens_per_task": F.r2(n == 0 ? nil : Double(acc.tokens) / Double(n)),
                ]),
                "cost": .object([
                    "total_usd": F.usd(acc.costNanos),
                    "avg_per_task_usd": F.r4(n == 0 ? nil : Money.usd(acc.costNanos) / Double(n)),
                    "budget_allocated_usd": usage.map { F.usd($0.budget.totalBudgetNanos) } ?? .null,
                    "budget_remaining_usd": usage.map {
                        F.r4(Money.usd($0.budget.totalBudgetNanos) - Money.usd($0.used))
                    }
                        ?? .null,
                    "budget_utilization_percent": usage.map {
                        F.r2(Self.utilization(used: $0.used, budget: $0.budget.totalBudgetNanos))
                    } ?? .null,
                ]),
                "quality": .object([
                    "avg_score": F.r2(Statistics.mean(qualities)),
                    "median_score": F.r2(Statistics.percentile(sorted: qualities, 50)),
                    "min_score": F.r2(qualities.first),
                    "max_score": F.r2(qualities.last),
                ]),
            ]),
        ]
    }

    /// `GET /metrics/aggregate/by-role/{role}`.
    public func byRole(_ role: String, window: TimeWindow) throws(QueryError) -> JSONObject {
        let ids = sortedAgentIDs.filter { agents[$0]?.role == role }
        guard !ids.isEmpty else { throw .notFound("no agent has the role \(role)") }
        var items: [(tasks: Int, name: String, value: JSONValue)] = []
        var totalTasks = 0
        var totalCost: Int128 = 0
        for id in ids {
            let acc = totals(agentID: id, in: window)
            totalTasks += acc.operations
            totalCost += acc.costNanos
            let name = agents[id]!.name
            items.append(
                (
                    acc.operations, name,
                    .object([
                        "agent_id": .int(id),
                        "agent_name": .string(name),
                        "total_tasks": .int(Int64(acc.operations)),
                        "success_rate": F.r2(acc.successRate),
                        "avg_execution_time_ms": F.r2(acc.meanExecution),
                        "total_cost_usd": F.usd(acc.costNanos),
                        "avg_quality_score": F.r2(acc.meanQuality),
                    ])
                ))
        }
        items.sort { $0.tasks != $1.tasks ? $0.tasks > $1.tasks : $0.name < $1.name }
        return [
            "success": true,
            "data": .object([
                "role": .string(role),
                "period": period(window),
                "summary": .object([
                    "total_agents": .int(Int64(ids.count)),
                    "total_tasks": .int(Int64(totalTasks)),
                    "total_cost_usd": F.usd(totalCost),
                    "avg_cost_per_agent": F.r4(Money.usd(totalCost) / Double(ids.count)),
                ]),
                "agents": .array(items.map(\.value)),
            ]),
        ]
    }

    // MARK: §3 Percentiles and outliers

    /// `GET /metrics/percentiles/{metric}`.
    public func percentiles(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?
    ) -> JSONObject {
        var values = self.values(metric, in: window, agentID: agentID, operation: operation)
        values.sort()
        let round: (Double?) -> JSONValue = metric.isUSD ? { F.r4($0) } : { F.r2($0) }
        var data: JSONObject = [:]
        for (key, q) in [("p50", 50.0), ("p75", 75.0), ("p90", 90.0), ("p95", 95.0), ("p99", 99.0)] {
            data.append(round(Statistics.percentile(sorted: values, q)), forKey: key)
        }
        data.append(round(Statistics.mean(values)), forKey: "mean")
        data.append(round(Statistics.percentile(sorted: values, 50)), forKey: "median")
        data.append(round(Statistics.populationStandardDeviation(values)), forKey: "std_dev")
        data.append(.int(Int64(values.count)), forKey: "count")
        return [
            "success": true, "metric": .string(metric.rawValue), "agent_id": .optional(agentID),
            "data": .object(data),
        ]
    }

    /// One outlier: index into the population, z-score.
    public struct Outlier: Sendable {
        public var id: Int64
        public var agentID: Int64
        public var value: Double
        public var z: Double
        public var mean: Double
        public var timestamp: Int64
        public var operation: String
    }

    /// Outliers of a population (|z| > threshold; none below 3 values or with std 0), sorted by
    /// |z| descending, then id.
    public func findOutliers(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?, zThreshold: Double
    ) -> [Outlier] {
        let values = self.values(metric, in: window, agentID: agentID, operation: operation)
        guard values.count >= 3, let mean = Statistics.mean(values),
            let std = Statistics.populationStandardDeviation(values), std > 0, !values.allSatisfy({ $0 == values[0] })
        else { return [] }
        var out: [Outlier] = []
        forEachMetric(in: window, agents: agentID.map { [$0] }, operation: operation) { s, i in
            guard let v = s.value(metric, at: i) else { return }
            let z = (v - mean) / std
            if abs(z) > zThreshold {
                out.append(
                    Outlier(
                        id: s.ids[i], agentID: s.agentID, value: v, z: z, mean: mean,
                        timestamp: s.timestamps[i], operation: metrics.operationNames[Int(s.operations[i])]))
            }
        }
        out.sort { abs($0.z) != abs($1.z) ? abs($0.z) > abs($1.z) : $0.id < $1.id }
        return out
    }

    /// `GET /metrics/outliers/{metric}`.
    public func outliers(
        _ metric: StatisticMetric, window: TimeWindow, agentID: Int64?, operation: String?, zThreshold: Double,
        limit: Int
    ) -> JSONObject {
        let found = findOutliers(metric, window: window, agentID: agentID, operation: operation, zThreshold: zThreshold)
        let round: (Double?) -> JSONValue = metric.isUSD ? { F.r4($0) } : { F.r2($0) }
        let items: [JSONValue] = found.prefix(limit).map { o in
            .object([
                "id": .int(o.id),
                "agent_id": .int(o.agentID),
                "agent_name": agentName(o.agentID),
                "operation_type": .string(o.operation),
                "value": round(o.value),
                "z_score": F.r2(o.z),
                "deviation_from_mean": round(o.value - o.mean),
                "timestamp": F.time(o.timestamp),
            ])
        }
        return [
            "success": true, "metric": .string(metric.rawValue), "z_threshold": .double(zThreshold),
            "count": .int(Int64(found.count)), "data": .array(items),
        ]
    }

    // MARK: §3 Trends

    /// The daily series of a trend metric: x = whole days since the day of `origin`.
    func dailySeries(
        _ metric: TrendMetric, window: TimeWindow, agentID: Int64?, operation: String?, origin: Int64
    ) -> (days: [Int64], means: [Double], overall: Double?) {
        var sums: [Int64: (Double, Int)] = [:]
        var total = 0.0
        var count = 0
        let originDay = UTCTime.dayIndex(origin)
        forEachMetric(in: window, agents: agentID.map { [$0] }, operation: operation) { s, i in
            let y: Double
            switch metric {
            case .executionTime: y = s.executionTimes[i]
            case .cost: y = Money.usd(s.costs[i])
            case .successRate: y = s.successes[i] ? 100 : 0
            case .qualityScore:
                y = s.qualities[i]
                if y.isNaN { return }
            }
            let day = UTCTime.dayIndex(s.timestamps[i]) - originDay
            sums[day, default: (0, 0)].0 += y
            sums[day, default: (0, 0)].1 += 1
            total += y
            count += 1
        }
        let days = sums.keys.sorted()
        return (days, days.map { sums[$0]!.0 / Double(sums[$0]!.1) }, count == 0 ? nil : total / Double(count))
    }

    /// The trend of a metric over `[asOf − lookback days, asOf]`.
    public func trendFit(_ metric: TrendMetric, asOf: Int64, lookbackDays: Int64, agentID: Int64?) -> TrendFit {
        let window = TimeWindow(start: asOf - lookbackDays * UTCTime.microsecondsPerDay, end: asOf)
        let series = dailySeries(metric, window: window, agentID: agentID, operation: nil, origin: window.start)
        return TrendFit.fit(days: series.days, means: series.means, allValuesMean: series.overall, metric: metric)
    }

    /// `GET /metrics/trends/{metric}`.
    public func trends(_ metric: TrendMetric, asOf: Int64, lookbackDays: Int64, agentID: Int64?) -> JSONObject {
        let fit = trendFit(metric, asOf: asOf, lookbackDays: lookbackDays, agentID: agentID)
        let start = asOf - lookbackDays * UTCTime.microsecondsPerDay
        return [
            "success": true,
            "data": .object([
                "metric": .string(metric.rawValue),
                "trend": .string(fit.label.rawValue),
                "slope": F.r4(fit.slope),
                "r_squared": F.r4(fit.rSquared),
                "p_value": F.significant(fit.pValue),
                "data_points": .int(Int64(fit.dataPoints)),
                "period": .object(["start": F.time(start), "end": F.time(asOf)]),
            ]),
        ]
    }

    // MARK: §3 Recommendations

    /// One cost recommendation (unrounded savings for the total).
    public struct Recommendation: Sendable {
        public var agentID: Int64
        public var json: JSONValue
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
                    agentID: id,
                    json: .object([
                        "type": .string(type), "priority": .string(priority), "agent_id": .int(id),
                        "agent": .string(agent.name), "agent_role": .string(agent.role), "current_budget": F.r4(total),
                        "recommended_budget": F.r4(recommended), "reason": .string(reason),
                        "estimated_savings": F.r4(savings),
                    ]), savings: savings)
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
    public func costRecommendations(asOf: Int64) -> JSONObject {
        let recs = recommendations(asOf: asOf)
        return [
            "success": true, "count": .int(Int64(recs.count)),
            "total_potential_savings": F.r4(recs.reduce(0) { $0 + $1.savings }),
            "data": .array(recs.map(\.json)),
        ]
    }

    /// Whether a stored metric (of any agent) has its timestamp in `[from, through]`: a binary
    /// search per agent, for deciding whether a moved window still holds the same metrics.
    public func hasMetric(from: Int64, through: Int64) -> Bool {
        guard from <= through else { return false }
        for (_, series) in metrics.series where !series.range(from: from, through: through).isEmpty { return true }
        return false
    }

    // MARK: §3 Insights

    /// `GET /metrics/insights/performance`.
    public func insights(window: TimeWindow) -> JSONObject {
        struct Stat {
            var sum = 0.0
            var count = 0
            var mean: Double { sum / Double(count) }
        }
        // One pass over the window, keyed by operation id: everything below is linear in the
        // metrics of the window plus what it ranks (operation types × days), never their product.
        // Per operation and day, the sums run in the order a filtered pass would visit them
        // (agents ascending, then time), so the trend of each operation is bit-identical to
        // `dailySeries(…, operation:)`.
        var perOpAgent: [Int32: [Int64: Stat]] = [:]
        var perOpDay: [Int32: [Int64: Stat]] = [:]
        var perOpAll: [Int32: Stat] = [:]
        var perHour: [Int: Stat] = [:]
        var perAgent: [Int64: OperationTotals] = [:]
        let originDay = UTCTime.dayIndex(window.start)
        for id in metrics.series.keys.sorted() {
            let s = metrics.series[id]!
            for i in s.range(from: window.start, through: window.end) {
                let op = s.operations[i]
                let time = s.executionTimes[i]
                perOpAgent[op, default: [:]][id, default: Stat()].sum += time
                perOpAgent[op, default: [:]][id, default: Stat()].count += 1
                let day = UTCTime.dayIndex(s.timestamps[i]) - originDay
                perOpDay[op, default: [:]][day, default: Stat()].sum += time
                perOpDay[op, default: [:]][day, default: Stat()].count += 1
                perOpAll[op, default: Stat()].sum += time
                perOpAll[op, default: Stat()].count += 1
                let hour = UTCTime.hourOfDay(s.timestamps[i])
                perHour[hour, default: Stat()].sum += time
                perHour[hour, default: Stat()].count += 1
                perAgent[id, default: OperationTotals()].add(s, i)
            }
        }
        let ops = perOpAgent.keys.map { (name: metrics.operationNames[Int($0)], id: $0) }.sorted { $0.name < $1.name }
        var fastest = JSONObject()
        for (op, opID) in ops {
            var best: (Double, Int64)?
            for (id, stat) in perOpAgent[opID]!.sorted(by: { $0.key < $1.key })
            where stat.count >= 3 && agents[id] != nil {
                if best == nil || stat.mean < best!.0 { best = (stat.mean, id) }
            }
            if let best {
                fastest.append(.object(["agent": agentName(best.1), "avg_time_ms": F.r2(best.0)]), forKey: op)
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
        let hours = perHour.map { ($0.value.mean, $0.key, $0.value.count) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var degrading: [JSONValue] = []
        for (op, opID) in ops {
            let byDay = perOpDay[opID]!
            let days = byDay.keys.sorted()
            let all = perOpAll[opID]!
            let fit = TrendFit.fit(
                days: days, means: days.map { byDay[$0]!.mean }, allValuesMean: all.count == 0 ? nil : all.mean,
                metric: .executionTime)
            if fit.label == .degrading {
                degrading.append(
                    .object([
                        "operation_type": .string(op),
                        "trend": .object([
                            "metric": "execution_time", "trend": "degrading", "slope": F.r4(fit.slope),
                        ]),
                    ]))
            }
        }
        return [
            "success": true,
            "data": .object([
                "fastest_agents_by_operation": .object(fastest),
                "most_cost_efficient": .array(
                    efficiency.prefix(5).map { .object(["agent": agentName($0.1), "cost_per_task_usd": F.r4($0.0)]) }),
                "highest_quality": .array(
                    quality.prefix(5).map { .object(["agent": agentName($0.1), "avg_quality_score": F.r2($0.0)]) }),
                "peak_performance_hours": .array(
                    hours.prefix(5).map {
                        .object(["hour": .int(Int64($0.1)), "avg_time_ms": F.r2($0.0), "operations": .int(Int64($0.2))])
                    }),
                "degrading_operations": .array(degrading),
            ]),
        ]
    }

    // MARK: §3 Summary

    /// The number of alerts with status active.
    public var activeAlertCount: Int { alertBook.alerts.reduce(0) { $0 + ($1.status == .active ? 1 : 0) } }

    /// `GET /metrics/summary`.
    public func summary(asOf: Int64) -> JSONObject {
        var last24h = OperationTotals()
        var last30d = OperationTotals()
        for id in metrics.series.keys.sorted() {
            last24h.merge(totals(agentID: id, in: TimeWindow(start: asOf - UTCTime.microsecondsPerDay, end: asOf)))
            last30d.merge(totals(agentID: id, in: TimeWindow(start: asOf - 30 * UTCTime.microsecondsPerDay, end: asOf)))
        }
        var day = JSONObject()
        last24h.fields(into: &day)
        return [
            "success": true,
            "data": .object([
                "last_24h": .object(day),
                "last_30d_summary": .object([
                    "total_operations": .int(Int64(last30d.operations)),
                    "total_cost_usd": F.usd(last30d.costNanos),
                    "avg_success_rate": F.r2(last30d.successRate),
                ]),
                "active_alerts": .int(Int64(activeAlertCount)),
                "pending_recommendations": .int(Int64(recommendations(asOf: asOf).count)),
            ]),
        ]
    }

    // MARK: §3 Alerts

    /// The alert object of §4.
    public func alertJSON(_ record: AlertRecord) -> JSONValue {
        let e = record.raised
        return .object([
            "id": .int(e.alertID),
            "agent_id": .int(e.agentID),
            "agent_name": agentName(e.agentID),
            "type": .string(e.rule.alertType),
            "severity": .string(e.rule.severity),
            "metric": .string(e.rule.metric),
            "current_value": F.r4(e.currentValue),
            "expected_value": F.r4(e.expectedValue),
            "threshold_value": F.r4(e.thresholdValue),
            "deviation_percent": F.r2(e.deviationPercent),
            "message": .string(e.message),
            "status": .string(record.status.rawValue),
            "detected_at": F.time(e.detectedAt),
            "acknowledged_at": F.time(record.acknowledgedAt),
            "resolved_at": F.time(record.resolvedAt),
            "rule": .string(e.rule.rawValue),
            "period_start": F.time(e.periodStart),
            "period_end": F.time(e.periodEnd),
        ])
    }

    /// Filters of the alert list.
    public struct AlertFilter: Sendable {
        public var status: AlertStatus?
        public var severity: String?
        public var agentID: Int64?
        public var type: String?
        public var detectedFrom: Int64?
        public var detectedThrough: Int64?
        public var limit: Int

        public init(
            status: AlertStatus? = nil, severity: String? = nil, agentID: Int64? = nil, type: String? = nil,
            detectedFrom: Int64? = nil, detectedThrough: Int64? = nil, limit: Int = 50
        ) {
            self.status = status
            self.severity = severity
            self.agentID = agentID
            self.type = type
            self.detectedFrom = detectedFrom
            self.detectedThrough = detectedThrough
            self.limit = limit
        }
    }

    /// `GET /metrics/alerts`.
    public func alertList(_ filter: AlertFilter) -> JSONObject {
        var selected = alertBook.alerts.filter { a in
            (filter.status == nil || a.status == filter.status)
                && (filter.severity == nil || a.raised.rule.severity == filter.severity)
                && (filter.agentID == nil || a.raised.agentID == filter.agentID)
                && (filter.type == nil || a.raised.rule.alertType == filter.type)
                && (filter.detectedFrom == nil || a.raised.detectedAt >= filter.detectedFrom!)
                && (filter.detectedThrough == nil || a.raised.detectedAt <= filter.detectedThrough!)
        }
        selected.sort {
            $0.raised.detectedAt != $1.raised.detectedAt
                ? $0.raised.detectedAt > $1.raised.detectedAt : $0.raised.alertID > $1.raised.alertID
        }
        return [
            "success": true, "count": .int(Int64(selected.count)),
            "data": .array(selected.prefix(filter.limit).map(alertJSON)),
        ]
    }

    /// `GET /metrics/alerts/{id}`.
    public func alert(id: Int64) throws(QueryError) -> JSONObject {
        guard let record = alertBook.alert(id) else { throw .notFound("alert \(id) does not exist") }
        return ["success": true, "data": alertJSON(record)]
    }

    /// One step of an alert's history as the API shows it.
    public static func transitionJSON(_ t: AlertTransition) -> JSONValue {
        .object([
            "status": .string(t.status.rawValue), "at": Format.time(t.at), "by": Format.string(t.by),
            "note": Format.string(t.note), "reason": Format.string(t.reason), "position": .int(Int64(t.position)),
        ])
    }

    /// `GET /metrics/alerts/{id}/history`.
    public func alertHistory(id: Int64) throws(QueryError) -> JSONObject {
        guard let record = alertBook.alert(id) else { throw .notFound("alert \(id) does not exist") }
        let items = record.history.map(Self.transitionJSON)
        return ["success": true, "count": .int(Int64(items.count)), "data": .array(items)]
    }
}
