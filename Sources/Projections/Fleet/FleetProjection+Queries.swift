import Utilities

/// The read endpoints of §2–§3, answered from the projection as typed read models
/// (`ReadModels.swift`); `APIContract` renders them.
extension FleetProjection {
    // MARK: Helpers

    /// Agent ids in ascending order (deterministic iteration, so float sums never depend on
    /// dictionary order).
    var sortedAgentIDs: [Int64] { agents.keys.sorted() }

    /// Visits every metric of the given agents (all when nil) in the window, optionally of one
    /// operation type, agent by agent in id order, each agent's metrics in time order.
    func forEachMetric(
        in window: TimeWindow, agents filter: [Int64]?, operation: String?,
        _ body: (_ block: MetricBlock, _ index: Int) -> Void
    ) {
        var op: Int32? = nil
        if let operation {
            guard let known = metrics.operation(named: operation) else { return }
            op = known
        }
        let ids = filter ?? metrics.series.keys.sorted()
        for id in ids {
            metrics.series[id]?.forEachSlice(from: window.start, through: window.end) { block, range in
                for i in range {
                    if let op, block.operations[i] != op { continue }
                    body(block, i)
                }
            }
        }
    }

    /// The values of a statistic metric (quality: scored only) in the window, in visit order.
    func values(_ metric: StatisticMetric, in window: TimeWindow, agentID: Int64?, operation: String?) -> [Double] {
        guard operation == nil else {
            var values: [Double] = []
            forEachMetric(in: window, agents: agentID.map { [$0] }, operation: operation) { s, i in
                if let v = s.value(metric, at: i) { values.append(v) }
            }
            return values
        }
        // Without an operation filter, each block's part of the window is a slice of its column:
        // copied in one go (the order and values of the visit above).
        let ids = agentID.map { [$0] } ?? metrics.series.keys.sorted()
        // Sized once: grown by doubling, the copies and page faults of the larger arrays cost as
        // much as the copy itself (millions of values for a fleet-wide window).
        var count = 0
        for id in ids { count += metrics.series[id]?.count(from: window.start, through: window.end) ?? 0 }
        var values: [Double] = []
        values.reserveCapacity(count)
        for id in ids {
            metrics.series[id]?.forEachSlice(from: window.start, through: window.end) { b, range in
                switch metric {
                case .executionTime: values.append(contentsOf: b.executionTimes[range])
                case .qualityScore: values.append(contentsOf: b.qualities[range].lazy.filter { !$0.isNaN })
                case .tokens: for i in range { values.append(Double(b.tokens[i])) }
                case .cost: for i in range { values.append(Money.usd(b.costs[i])) }
                }
            }
        }
        return values
    }

    /// The totals of one agent's metrics in a window, from the hourly rollups.
    func totals(agentID: Int64, in window: TimeWindow) -> OperationTotals {
        metrics.series[agentID]?.totals(from: window.start, through: window.end) ?? OperationTotals()
    }

    /// The name of an agent, nil when it is not registered.
    func agentName(_ id: Int64) -> String? { agents[id]?.name }

    // MARK: Agents and budgets

    /// `GET /agents`.
    public func agentList() -> AgentList {
        AgentList(agents: sortedAgentIDs.compactMap { agents[$0] })
    }

    /// `GET /agents/{id}`.
    public func agent(_ id: Int64) throws(QueryError) -> Agent {
        guard let agent = agents[id] else { throw .notFound("agent \(id) is not registered") }
        return agent
    }

    /// The budget, the used nano-dollars and the period at `asOf`, nil without a budget.
    public func budgetUsage(agentID: Int64, asOf: Int64) -> (budget: BudgetSet, used: Int64, bounds: (Int64, Int64)?)? {
        guard let budget = ingestion.budgets[agentID] else { return nil }
        let key = PeriodKey(agentID: agentID, kind: budget.period, containing: asOf)
        return (budget, ingestion.used(key), budget.period.bounds(containing: asOf))
    }

    public static func utilization(used: Int64, budget: Int64) -> Double? {
        budget == 0 ? nil : Double(used) / Double(budget) * 100
    }

    /// The budget status of §2, nil without a budget.
    public func budgetStatus(agentID: Int64, asOf: Int64) -> BudgetStatus? {
        budgetStatus(.agent(agentID), asOf: asOf)
    }

    /// The status of the budget of any scope at `asOf` (the period containing it), with its
    /// forecast; nil without a budget.
    public func budgetStatus(_ scope: BudgetScope, asOf: Int64) -> BudgetStatus? {
        guard let budget = ingestion.budget(of: scope) else { return nil }
        let key = ScopedPeriodKey(scope: scope, kind: budget.period, containing: asOf)
        let used = ingestion.used(key)
        let level: BudgetStatus.Level
        if IngestionState.reached(used, budget: budget.totalBudgetNanos, percent: budget.criticalThresholdPercent) {
            level = .critical
        } else if IngestionState.reached(used, budget: budget.totalBudgetNanos, percent: budget.warningThresholdPercent)
        {
            level = .warning
        } else {
            level = .ok
        }
        var agentID: Int64 = 0
        if case .agent(let id) = scope { agentID = id }
        return BudgetStatus(
            agentID: agentID, budget: budget, usedNanos: used, periodStart: key.bounds?.start,
            periodEnd: key.bounds?.end, level: level, forecast: ingestion.forecast(budget, asOf: asOf))
    }

    /// `GET /agents/{id}/budget`.
    public func budget(agentID: Int64, asOf: Int64) throws(QueryError) -> BudgetStatus {
        guard agents[agentID] != nil else { throw .notFound("agent \(agentID) is not registered") }
        guard let status = budgetStatus(agentID: agentID, asOf: asOf) else {
            throw .notFound("agent \(agentID) has no budget")
        }
        return status
    }

    // MARK: §3 Time series

    /// `GET /metrics/aggregate/timeseries`.
    public func timeSeries(
        window: TimeWindow, granularity: Granularity, agentID: Int64?, role: String?, operation: String?
    ) throws(QueryError) -> TimeSeries {
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
        return TimeSeries(
            window: window, granularity: granularity,
            buckets: zip(starts, buckets).map { TimeSeries.Bucket(start: $0, totals: $1) })
    }

    // MARK: §3 Agent and role

    /// `GET /metrics/aggregate/by-agent/{id}`.
    public func byAgent(_ id: Int64, window: TimeWindow, asOf: Int64) throws(QueryError) -> AgentSummary {
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
        return AgentSummary(
            agent: agent, window: window, totals: acc, executionTime: Distribution(sorted: executions),
            quality: Distribution(sorted: qualities), budget: budgetStatus(agentID: id, asOf: asOf))
    }

    /// `GET /metrics/aggregate/by-role/{role}`.
    public func byRole(_ role: String, window: TimeWindow) throws(QueryError) -> RoleSummary {
        let ids = sortedAgentIDs.filter { agents[$0]?.role == role }
        guard !ids.isEmpty else { throw .notFound("no agent has the role \(role)") }
        var members: [RoleSummary.Member] = []
        var totalTasks = 0
        var totalCost: Int128 = 0
        for id in ids {
            let acc = totals(agentID: id, in: window)
            totalTasks += acc.operations
            totalCost += acc.costNanos
            members.append(RoleSummary.Member(agentID: id, agentName: agents[id]!.name, totals: acc))
        }
        members.sort {
            $0.totals.operations != $1.totals.operations
                ? $0.totals.operations > $1.totals.operations : $0.agentName < $1.agentName
        }
        return RoleSummary(
            role: role, window: window, members: members, totalTasks: totalTasks, totalCostNanos: totalCost)
    }

    // MARK: §3 Alerts

    /// An alert with its agent's name.
    public func alertView(_ record: AlertRecord) -> AlertView {
        AlertView(record: record, agentName: agentName(record.raised.agentID))
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
    public func alertList(_ filter: AlertFilter) -> AlertList {
        var selected = alertBook.alerts.filter { a in
            (filter.status == nil || a.status == filter.status)
                && (filter.severity == nil || a.raised.severity == filter.severity)
                && (filter.agentID == nil || a.raised.agentID == filter.agentID)
                && (filter.type == nil || a.raised.rule.alertType == filter.type)
                && (filter.detectedFrom == nil || a.raised.detectedAt >= filter.detectedFrom!)
                && (filter.detectedThrough == nil || a.raised.detectedAt <= filter.detectedThrough!)
        }
        selected.sort {
            $0.raised.detectedAt != $1.raised.detectedAt
                ? $0.raised.detectedAt > $1.raised.detectedAt : $0.raised.alertID > $1.raised.alertID
        }
        return AlertList(count: selected.count, alerts: selected.prefix(filter.limit).map(alertView))
    }

    /// `GET /metrics/alerts/{id}`.
    public func alert(id: Int64) throws(QueryError) -> AlertView {
        guard let record = alertBook.alert(id) else { throw .notFound("alert \(id) does not exist") }
        return alertView(record)
    }

    /// `GET /metrics/alerts/{id}/history`.
    public func alertHistory(id: Int64) throws(QueryError) -> AlertHistory {
        guard let record = alertBook.alert(id) else { throw .notFound("alert \(id) does not exist") }
        return AlertHistory(transitions: record.history)
    }
}
