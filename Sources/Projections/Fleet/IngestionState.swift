/// A registered agent.
public struct Agent: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: String
}

/// One budget period of one agent (`start` is `Int64.min` for a `total` budget).
public struct PeriodKey: Hashable, Sendable {
    public var agentID: Int64
    public var kind: BudgetPeriodKind
    public var start: Int64

    public init(agentID: Int64, kind: BudgetPeriodKind, containing timestamp: Int64) {
        self.agentID = agentID
        self.kind = kind
        self.start = kind.granularity?.floor(timestamp) ?? Int64.min
    }

    /// One combined word: these keys are hashed four times per folded metric.
    public func hash(into hasher: inout Hasher) {
        let kindBits: UInt64
        switch kind {
        case .daily: kindBits = 1
        case .weekly: kindBits = 2
        case .monthly: kindBits = 3
        case .total: kindBits = 4
        }
        hasher.combine(
            (UInt64(bitPattern: agentID) &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(bitPattern: start) ^ (kindBits << 60))
    }
}

/// An alert's lifecycle status.
public enum AlertStatus: String, Sendable {
    case active, acknowledged, resolved

    /// Active or acknowledged.
    public var isOpen: Bool { self != .resolved }
}

/// What the writer needs to know of an alert to decide transitions.
public struct AlertSummary: Sendable, Equatable {
    public var id: Int64
    public var agentID: Int64
    public var rule: AlertRule
    public var status: AlertStatus
    public var period: PeriodKey?
    public var periodEnd: Int64?
    public var causeMetricID: Int64?
    /// Alerts of a budget on the thresholds path (and forecasts): the budget's period.
    public var budgetPeriod: ScopedPeriodKey?
    public var thresholdPercent: Double?
}

/// The state ingestion decisions depend on: agents, budgets, exact period usage, which budget
/// alerts fired, and every alert's status. A pure fold of the log, kept by the single writer
/// (so decisions are serialized with appends) and by the read projection.
public struct IngestionState: Sendable {
    public private(set) var agents: [Int64: Agent] = [:]
    public private(set) var agentIDsByName: [String: Int64] = [:]
    public private(set) var budgets: [Int64: BudgetSet] = [:]
    /// Role and fleet budgets.
    public private(set) var roleBudgets: [String: BudgetSet] = [:]
    public private(set) var fleetBudget: BudgetSet?
    /// The agents of each role, ascending by id (a role's spend is theirs).
    public private(set) var agentIDsByRole: [String: [Int64]] = [:]
    /// Threshold and forecast alerts that fired (every scope's budgets on the thresholds path).
    public private(set) var scopedFired: Set<ScopedFiredKey> = []
    /// Exact spend per role (by the index of the role in `roleNames`) and of the whole fleet,
    /// folded with every metric beside the agent's own (where the agent was when it spent), so a
    /// role or fleet budget is read in O(log days), whatever the fleet's size. Derived: rebuilt
    /// from the agents' spend after a snapshot restore or a split fold (`recomputeScopeSpend`).
    public private(set) var roleNames: [String] = []
    private var roleIndexByName: [String: Int32] = [:]
    private var agentRoleIndex = AgentTable<Int32>()
    public internal(set) var roleSpend: [AgentSpend] = []
    public internal(set) var fleetSpend = AgentSpend()
    /// Exact spend per agent (per day and in total), from which every period's usage is summed.
    public internal(set) var spend = AgentTable<AgentSpend>()
    /// Budget alerts that fired: (period, critical?).
    public private(set) var fired: Set<FiredKey> = []
    public private(set) var alerts: [AlertSummary] = []
    /// The open performance-degradation alert of each agent.
    public private(set) var openDegradation: [Int64: Int64] = [:]
    /// Metrics that already raised an outlier alert.
    public private(set) var outlierMetrics: Set<Int64> = []
    public private(set) var rules = Rules.defaults
    public private(set) var rulesVersion: Int64 = 0
    /// The last metric id (log sequence of a MetricRecorded).
    public internal(set) var lastMetricID: Int64 = 0

    /// A budget level that fired for a period.
    public struct FiredKey: Hashable, Sendable {
        public var period: PeriodKey
        public var critical: Bool
    }

    public init() {}

    /// The last evaluation appended, and the latest instant any evaluation ran at (the scheduler
    /// resumes after it).
    public private(set) var lastEvaluation: EvaluationPerformed?
    public private(set) var latestEvaluationAsOf: Int64?

    /// The largest agent id registered (0 when none is).
    public private(set) var largestAgentID: Int64 = 0

    /// The next agent id to assign when a registration names none: one above the largest, or nil
    /// when that would pass `Limits.maximumAgentID` (then a registration must name a free id).
    public var nextAgentID: Int64? { largestAgentID < Limits.maximumAgentID ? largestAgentID + 1 : nil }

    /// The next alert id.
    public var nextAlertID: Int64 { Int64(alerts.count) + 1 }

    public func alert(_ id: Int64) -> AlertSummary? {
        guard id >= 1, id <= alerts.count else { return nil }
        return alerts[Int(id - 1)]
    }

    /// Nano-dollars used in a period.
    public func used(_ key: PeriodKey) -> Int64 { spend[key.agentID]?.used(key) ?? 0 }

    /// Folds one event.
    public mutating func apply(_ event: DomainEvent, sequence: UInt64) {
        switch event {
        case .agentRegistered(let e):
            if let previous = agents[e.agentID], previous.role != e.role {
                agentIDsByRole[previous.role]?.removeAll { $0 == e.agentID }
            }
            if agents[e.agentID]?.role != e.role {
                var ids = agentIDsByRole[e.role, default: []]
                ids.insert(e.agentID, at: ids.lowerBound(e.agentID))
                agentIDsByRole[e.role] = ids
            }
            agents[e.agentID] = Agent(id: e.agentID, name: e.name, role: e.role)
            largestAgentID = max(largestAgentID, e.agentID)
            agentRoleIndex.set(e.agentID, roleIndex(e.role))
            agentIDsByName[e.name] = e.agentID
        case .budgetSet(let e):
            switch e.scope {
            case .agent(let id): budgets[id] = e
            case .role(let role): roleBudgets[role] = e
            case .fleet: fleetBudget = e
            }
        case .metricRecorded(let e):
            applyMetric(
                agentID: e.agentID, timestamp: e.timestamp, costNanos: e.costNanos, success: e.success,
                tokens: e.tokensUsed, inputTokens: e.usage?.inputTokens ?? 0, outputTokens: e.usage?.outputTokens ?? 0,
                sequence: sequence)
        case .alertRaised(let e):
            var period: PeriodKey?
            var budgetPeriod: ScopedPeriodKey?
            if let scope = e.budgetScope, e.rule.isBudgetLevel || e.rule == .budgetForecast,
                let budget = budget(of: scope)
            {
                let key = ScopedPeriodKey(scope: scope, kind: budget.period, containing: e.periodStart ?? 0)
                if e.rule == .budgetForecast {
                    scopedFired.insert(ScopedFiredKey(period: key, level: .forecast))
                } else if let threshold = e.thresholdPercent {
                    scopedFired.insert(.threshold(key, threshold))
                }
                budgetPeriod = key
            } else if e.rule == .budgetWarning || e.rule == .budgetCritical, let budget = budgets[e.agentID] {
                let key = PeriodKey(agentID: e.agentID, kind: budget.period, containing: e.periodStart ?? 0)
                fired.insert(FiredKey(period: key, critical: e.rule == .budgetCritical))
                period = key
            }
            alerts.append(
                AlertSummary(
                    id: e.alertID, agentID: e.agentID, rule: e.rule, status: .active, period: period,
                    periodEnd: e.periodEnd, causeMetricID: e.causeMetricID, budgetPeriod: budgetPeriod,
                    thresholdPercent: e.thresholdPercent))
            if e.rule == .performanceDegradation { openDegradation[e.agentID] = e.alertID }
            if e.rule == .outlier, let metric = e.causeMetricID { outlierMetrics.insert(metric) }
        case .alertAcknowledged(let e):
            guard e.alertID >= 1, e.alertID <= alerts.count else { return }
            alerts[Int(e.alertID - 1)].status = .acknowledged
        case .alertResolved(let e):
            guard e.alertID >= 1, e.alertID <= alerts.count else { return }
            let index = Int(e.alertID - 1)
            alerts[index].status = .resolved
            if alerts[index].rule == .performanceDegradation, openDegradation[alerts[index].agentID] == e.alertID {
                openDegradation[alerts[index].agentID] = nil
            }
        case .rulesChanged(let e):
            if let parsed = try? Rules(document: e.document) {
                rules = parsed
            }
            rulesVersion = e.version
        case .retentionApplied:
            // Budget usage is kept per period, so removing old metrics changes no decision.
            break
        case .evaluationPerformed(let e):
            lastEvaluation = e
            latestEvaluationAsOf = max(latestEvaluationAsOf ?? e.asOf, e.asOf)
        }
    }

    /// Folds a metric: its cost into the agent's spend, and the agent's lifetime counters.
    @inline(__always)
    mutating func applyMetric(
        agentID: Int64, timestamp: Int64, costNanos: Int64, success: Bool, tokens: Int64, inputTokens: Int64,
        outputTokens: Int64, sequence: UInt64
    ) {
        spend.update(agentID, default: AgentSpend.init) {
            $0.add(timestamp: timestamp, costNanos)
            $0.counters.add(success: success, tokens: tokens, input: inputTokens, output: outputTokens)
        }
        if let role = agentRoleIndex[agentID] { roleSpend[Int(role)].add(timestamp: timestamp, costNanos) }
        fleetSpend.add(timestamp: timestamp, costNanos)
        lastMetricID = Int64(sequence)
    }

    /// The index of a role in `roleNames` (added when new).
    private mutating func roleIndex(_ role: String) -> Int32 {
        if let index = roleIndexByName[role] { return index }
        let index = Int32(roleNames.count)
        roleNames.append(role)
        roleIndexByName[role] = index
        roleSpend.append(AgentSpend())
        return index
    }

    /// The spend of a role (nil for a role no agent has).
    public func roleSpend(_ role: String) -> AgentSpend? {
        roleIndexByName[role].map { roleSpend[Int($0)] }
    }

    /// Rebuilds the role and fleet spend from the agents' (after a snapshot restore, or the join
    /// of a split fold, whose parts each folded only their agents' metrics).
    public mutating func recomputeScopeSpend() {
        var byRole = Array(repeating: [Int64: Int64](), count: roleNames.count)
        var fleet: [Int64: Int64] = [:]
        var roleTotals = Array(repeating: Int64(0), count: roleNames.count)
        var fleetTotal: Int64 = 0
        for (id, agentSpend) in zip(spend.keys, spend.values) {
            let role = agentRoleIndex[id].map(Int.init)
            for (day, nanos) in zip(agentSpend.days, agentSpend.nanos) {
                fleet[day] = AgentSpend.saturatingSum(fleet[day, default: 0], nanos)
                if let role { byRole[role][day] = AgentSpend.saturatingSum(byRole[role][day, default: 0], nanos) }
            }
            fleetTotal = AgentSpend.saturatingSum(fleetTotal, agentSpend.total)
            if let role { roleTotals[role] = AgentSpend.saturatingSum(roleTotals[role], agentSpend.total) }
        }
        func folded(_ days: [Int64: Int64], total: Int64) -> AgentSpend {
            var s = AgentSpend()
            s.days = days.keys.sorted()
            s.nanos = s.days.map { days[$0]! }
            s.total = total
            return s
        }
        roleSpend = roleNames.indices.map { folded(byRole[$0], total: roleTotals[$0]) }
        fleetSpend = folded(fleet, total: fleetTotal)
    }

    /// Utilization reached for a level (unrounded). A zero budget is reached by any cost.
    public static func levelReached(usedNanos: Int64, budget: BudgetSet, critical: Bool) -> Bool {
        let percent = critical ? budget.criticalThresholdPercent : budget.warningThresholdPercent
        if budget.totalBudgetNanos == 0 { return usedNanos > 0 }
        return Double(usedNanos) / Double(budget.totalBudgetNanos) * 100.0 >= percent
    }
}
