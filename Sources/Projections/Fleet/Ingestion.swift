import Utilities

/// Why a write was refused (maps to the contract's error envelope).
public enum IngestionError: Error, Sendable, Equatable {
    case notFound(String)
    case conflict(String)
    case validation(field: String, message: String)
}

/// Pure decisions of the write side: given the state that includes every event appended
/// before, what events does a request append? Shared by ingestion (inside the single writer)
/// and replay.
public enum Ingestion {
    // MARK: Agents

    /// What registering an agent did.
    public enum AgentOutcome: Sendable, Equatable {
        case created(Agent)
        case unchanged(Agent)
    }

    /// `POST /agents`: names are unique; a repeat with identical fields changes nothing.
    public static func registerAgent(
        id: Int64?, name: String, role: String, state: IngestionState
    ) throws(IngestionError) -> (events: [DomainEvent], outcome: AgentOutcome) {
        if let existingID = state.agentIDsByName[name], let existing = state.agents[existingID] {
            if existing.role == role && (id == nil || id == existingID) { return ([], .unchanged(existing)) }
            throw .conflict("an agent named \(name) already exists with other fields")
        }
        guard let assigned = id ?? state.nextAgentID else {
            throw .conflict("every agent id up to \(Limits.maximumAgentID) above the largest is taken; name a free id")
        }
        if let taken = state.agents[assigned] {
            throw .conflict("agent id \(assigned) is taken by \(taken.name)")
        }
        let agent = Agent(id: assigned, name: name, role: role)
        return ([.agentRegistered(AgentRegistered(agentID: assigned, name: name, role: role))], .created(agent))
    }

    // MARK: Budgets

    /// `PUT /agents/{id}/budget`: the change, plus the resolution of every open budget alert whose
    /// level the new budget no longer reaches (reason `budget_changed`, at the server time).
    public static func setBudget(
        _ budget: BudgetSet, state: IngestionState, now: Int64
    ) throws(IngestionError) -> [DomainEvent] {
        guard case .agent = budget.scope else {
            return [.budgetSet(budget)] + resolutionsOnBudgetChange(budget, state: state, now: now)
        }
        guard state.agents[budget.agentID] != nil else { throw .notFound("agent \(budget.agentID) is not registered") }
        var events: [DomainEvent] = [.budgetSet(budget)] + resolutionsOnBudgetChange(budget, state: state, now: now)
        for alert in state.alerts where alert.agentID == budget.agentID && alert.status.isOpen {
            guard alert.rule == .budgetWarning || alert.rule == .budgetCritical, alert.budgetPeriod == nil,
                let period = alert.period
            else {
                continue
            }
            let used = state.used(period)
            if !IngestionState.levelReached(usedNanos: used, budget: budget, critical: alert.rule == .budgetCritical) {
                events.append(
                    .alertResolved(
                        AlertResolved(alertID: alert.id, at: now, by: nil, note: nil, reason: .budgetChanged)))
            }
        }
        return events
    }

    // MARK: Metrics

    /// A metric that passed validation (everything but the agent's existence, which is checked
    /// against the writer state).
    public struct MetricSubmission: Sendable {
        public var eventID: String?
        public var metric: MetricRecorded

        public init(eventID: String?, metric: MetricRecorded) {
            self.eventID = eventID
            self.metric = metric
        }
    }

    /// The outcome of one item of `POST /metrics`.
    public enum MetricOutcome: Sendable, Equatable {
        case created(id: Int64)
        case duplicate(id: Int64)
        case rejected(field: String, message: String)
    }

    /// An event to append with its client id.
    public struct PendingEvent: Sendable {
        public var eventID: String?
        public var event: DomainEvent
    }

    /// `POST /metrics`: appends the accepted metrics in request order, each followed by the
    /// budget alerts it raises (§4: when the period's used amount first reaches the warning,
    /// then the critical threshold; each (agent, period, level) fires once, ever).
    public static func recordMetrics(
        _ items: [Result<MetricSubmission, IngestionError>], state: IngestionState, nextSequence: UInt64,
        existingSequence: (String) throws -> UInt64?
    ) throws -> (events: [PendingEvent], outcomes: [MetricOutcome]) {
        var events: [PendingEvent] = []
        var outcomes: [MetricOutcome] = []
        outcomes.reserveCapacity(items.count)
        events.reserveCapacity(items.count)
        var sequence = nextSequence
        var seenInRequest: [String: Int64] = [:]
        var usageDelta: [PeriodKey: Int64] = [:]
        var spendDelta: [Int64: Int64] = [:]
        var firedNow: Set<IngestionState.FiredKey> = []
        var scopedBase: [ScopedPeriodKey: Int128] = [:]
        var scopedDelta: [ScopedPeriodKey: Int128] = [:]
        var scopedFiredNow: Set<ScopedFiredKey> = []
        var alertID = state.nextAlertID
        for item in items {
            let submission: MetricSubmission
            switch item {
            case .failure(.validation(let field, let message)):
                outcomes.append(.rejected(field: field, message: message))
                continue
            case .failure(let other):
                outcomes.append(.rejected(field: "", message: "\(other)"))
                continue
            case .success(let s):
                submission = s
            }
            if let id = submission.eventID {
                if let earlier = seenInRequest[id] {
                    outcomes.append(.duplicate(id: earlier))
                    continue
                }
                if let existing = try existingSequence(id) {
                    outcomes.append(.duplicate(id: Int64(existing)))
                    continue
                }
            }
            var metric = submission.metric
            if metric.usage?.pricedByTable == true {
                do throws(IngestionError) {
                    try price(&metric, rules: state.rules)
                } catch {
                    if case .validation(let field, let message) = error {
                        outcomes.append(.rejected(field: field, message: message))
                    }
                    continue
                }
            }
            guard let agent = state.agents[metric.agentID] else {
                outcomes.append(.rejected(field: "agent_id", message: "agent \(metric.agentID) is not registered"))
                continue
            }
            // Each agent's all-time spend is bounded, so no sum over it can overflow; reaching the
            // bound stops only this agent's costed metrics, never another's.
            let spent = (state.spend[metric.agentID]?.total ?? 0) + spendDelta[metric.agentID, default: 0]
            guard metric.costNanos <= Limits.maximumAgentSpendNanos - spent else {
                outcomes.append(
                    .rejected(
                        field: "cost_usd",
                        message: "cost_usd would take agent \(metric.agentID)'s all-time spend over "
                            + "$\(Limits.maximumAgentSpendNanos / Money.nanosPerDollar)"))
                continue
            }
            spendDelta[metric.agentID, default: 0] += metric.costNanos
            let metricID = Int64(sequence)
            sequence += 1
            if let id = submission.eventID { seenInRequest[id] = metricID }
            events.append(PendingEvent(eventID: submission.eventID, event: .metricRecorded(metric)))
            outcomes.append(.created(id: metricID))
            if let budget = state.budgets[metric.agentID], !IngestionState.usesThresholds(budget) {
                let key = PeriodKey(agentID: metric.agentID, kind: budget.period, containing: metric.timestamp)
                usageDelta[key, default: 0] += metric.costNanos
                let used = state.used(key) + usageDelta[key, default: 0]
                for critical in [false, true] {
                    let fired = IngestionState.FiredKey(period: key, critical: critical)
                    guard !state.fired.contains(fired), !firedNow.contains(fired),
                        IngestionState.levelReached(usedNanos: used, budget: budget, critical: critical)
                    else { continue }
                    firedNow.insert(fired)
                    let raised = budgetAlert(
                        id: alertID, agent: agent, budget: budget, critical: critical, used: used, metric: metric,
                        metricID: metricID, rulesVersion: state.rulesVersion)
                    alertID += 1
                    sequence += 1
                    events.append(PendingEvent(eventID: nil, event: .alertRaised(raised)))
                }
            }
            // Budgets on the thresholds path: the agent's own (when it lists thresholds), its
            // role's and the fleet's, each over everything appended before and this request's
            // metrics up to this one.
            for budget in [state.budgets[metric.agentID], state.roleBudgets[agent.role], state.fleetBudget] {
                guard let budget, IngestionState.usesThresholds(budget) else { continue }
                let key = ScopedPeriodKey(scope: budget.scope, kind: budget.period, containing: metric.timestamp)
                scopedDelta[key, default: 0] += Int128(metric.costNanos)
                let base: Int128
                if let known = scopedBase[key] {
                    base = known
                } else {
                    base = state.used(key)
                    scopedBase[key] = base
                }
                let raised = thresholdAlerts(
                    budget: budget, key: key, used: base + scopedDelta[key]!, state: state,
                    firedNow: &scopedFiredNow, nextAlertID: &alertID, agent: agent, metric: metric,
                    metricID: metricID)
                for alert in raised {
                    sequence += 1
                    events.append(PendingEvent(eventID: nil, event: .alertRaised(alert)))
                }
            }
        }
        return (events, outcomes)
    }

    /// The metric each `created` outcome appended, by the item's index (the events hold the
    /// created metrics in item order, with budget alerts between them).
    public static func createdMetrics(events: [PendingEvent], outcomes: [MetricOutcome]) -> [Int: MetricRecorded] {
        var metrics = events.lazy.compactMap { pending -> MetricRecorded? in
            if case .metricRecorded(let m) = pending.event { return m }
            return nil
        }.makeIterator()
        var out: [Int: MetricRecorded] = [:]
        for (index, outcome) in outcomes.enumerated() {
            if case .created = outcome { out[index] = metrics.next() }
        }
        return out
    }

    /// Prices a metric that names a model and leaves its cost out, by the price of the model in
    /// force at the metric's timestamp (`PriceTable`): the cost and `pricing` (`table`, or
    /// `unknownModel` with cost 0 when the table has no price for it then) are decided here, in
    /// the writer, so replay and what-if price as the live service did.
    public static func price(_ metric: inout MetricRecorded, rules: Rules) throws(IngestionError) {
        guard var usage = metric.usage, usage.pricedByTable, let model = usage.model else { return }
        guard let price = rules.prices.price(of: model, at: metric.timestamp) else {
            usage.pricing = .unknownModel
            metric.usage = usage
            metric.costNanos = 0
            return
        }
        guard
            let nanos = price.costNanos(
                inputTokens: usage.inputTokens, cachedInputTokens: usage.cachedInputTokens,
                outputTokens: usage.outputTokens),
            nanos <= Limits.maximumMetricCostNanos
        else {
            throw .validation(
                field: "cost_usd",
                message: "the tokens at the price of \(model) cost more than $\(Int(Money.maximumUSD))")
        }
        usage.pricing = .table
        metric.usage = usage
        metric.costNanos = nanos
    }

    /// A budget alert's message and deviation: `Budget alert: WHO at U% utilization ($used/$budget)`,
    /// or `… spent $used with no budget` for a zero budget (deviation nil).
    static func budgetMessage(who: String, usedNanos: Int128, budgetNanos: Int64) -> (String, Double?) {
        let total = Money.usd(budgetNanos)
        let usedUSD = Money.usd(usedNanos)
        guard budgetNanos != 0 else {
            return ("Budget alert: \(who) spent $\(Rounding.fixed(usedUSD, places: 2)) with no budget", nil)
        }
        let utilization = Double(usedNanos) / Double(budgetNanos) * 100
        return (
            "Budget alert: \(who) at \(Rounding.fixed(utilization, places: 1))% utilization "
                + "($\(Rounding.fixed(usedUSD, places: 2))/$\(Rounding.fixed(total, places: 2)))",
            (usedUSD - total) / total * 100
        )
    }

    static func budgetAlert(
        id: Int64, agent: Agent, budget: BudgetSet, critical: Bool, used: Int64, metric: MetricRecorded,
        metricID: Int64, rulesVersion: Int64
    ) -> AlertRaised {
        let total = Money.usd(budget.totalBudgetNanos)
        let usedUSD = Money.usd(used)
        let percent = critical ? budget.criticalThresholdPercent : budget.warningThresholdPercent
        let bounds = budget.period.bounds(containing: metric.timestamp)
        let (message, deviation) = budgetMessage(
            who: agent.name, usedNanos: Int128(used), budgetNanos: budget.totalBudgetNanos)
        return AlertRaised(
            alertID: id, agentID: agent.id, rule: critical ? .budgetCritical : .budgetWarning, currentValue: usedUSD,
            expectedValue: total, thresholdValue: total * percent / 100, deviationPercent: deviation, message: message,
            detectedAt: metric.timestamp, periodStart: bounds?.start, periodEnd: bounds?.end, causeMetricID: metricID,
            rulesVersion: rulesVersion)
    }

    // MARK: Alert transitions

    /// `PUT /metrics/alerts/{id}/acknowledge`: active → acknowledged; a repeat appends nothing;
    /// a resolved alert cannot be acknowledged.
    public static func acknowledge(
        alertID: Int64, by: String?, note: String?, now: Int64, state: IngestionState
    ) throws(IngestionError) -> [DomainEvent] {
        guard let alert = state.alert(alertID) else { throw .notFound("alert \(alertID) does not exist") }
        switch alert.status {
        case .active: return [.alertAcknowledged(AlertAcknowledged(alertID: alertID, at: now, by: by, note: note))]
        case .acknowledged: return []
        case .resolved: throw .conflict("alert \(alertID) is already resolved")
        }
    }

    /// `PUT /metrics/alerts/{id}/resolve`: active or acknowledged → resolved; a repeat appends nothing.
    public static func resolve(
        alertID: Int64, by: String?, note: String?, now: Int64, state: IngestionState
    ) throws(IngestionError) -> [DomainEvent] {
        guard let alert = state.alert(alertID) else { throw .notFound("alert \(alertID) does not exist") }
        if alert.status == .resolved { return [] }
        return [.alertResolved(AlertResolved(alertID: alertID, at: now, by: by, note: note, reason: .manual))]
    }
}
