import Utilities

/// The read endpoints of §2–§3, answered from the projection. Each returns the whole JSON body.
extension FleetProjection {
    typealias F = Format

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

    func agentName(_ id: Int64) -> JSONValue { F.string(agents[id]?.name) }

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
