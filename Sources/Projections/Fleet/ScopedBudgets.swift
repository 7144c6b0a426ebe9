import Utilities

/// One period of a budget of any scope (`start` is `Int64.min` for a `total` budget).
public struct ScopedPeriodKey: Hashable, Sendable {
    public var scope: BudgetScope
    public var kind: BudgetPeriodKind
    public var start: Int64

    public init(scope: BudgetScope, kind: BudgetPeriodKind, containing timestamp: Int64) {
        self.scope = scope
        self.kind = kind
        self.start = kind.granularity?.floor(timestamp) ?? Int64.min
    }

    /// The period as `[start, end)`; nil for a `total` budget.
    public var bounds: (start: Int64, end: Int64)? {
        guard let granularity = kind.granularity else { return nil }
        return (start, granularity.next(start))
    }
}

/// A budget alert that fired for a period: a threshold (by its bit pattern) or the forecast.
public struct ScopedFiredKey: Hashable, Sendable {
    public enum Level: Hashable, Sendable {
        case threshold(UInt64)
        case forecast
    }

    public var period: ScopedPeriodKey
    public var level: Level

    public static func threshold(_ period: ScopedPeriodKey, _ percent: Double) -> ScopedFiredKey {
        ScopedFiredKey(period: period, level: .threshold(percent.bitPattern))
    }
}

/// The projected end of a budget period at the spend rate so far.
///
/// The rate is the period's spend over its elapsed time; while the period is younger than a day it
/// is the spend of the previous period and of this one over their combined time (so a new day,
/// week or month is not projected from its first minutes alone). Projected spend = used + rate ×
/// the time left. `exhaustedAt` is when the spend reaches the budget at that rate, when that falls
/// before the period ends (already reached: `asOf`); nil otherwise or with a zero rate.
public struct BudgetForecast: Sendable, Equatable {
    public var projectedNanos: Int128
    /// Projected ÷ budget × 100; nil for a zero budget.
    public var projectedUtilizationPercent: Double?
    public var exhaustedAt: Int64?
    /// Nano-dollars per µs.
    public var rate: Double

    public static func make(
        usedNanos: Int128, budgetNanos: Int64, previousNanos: Int128, start: Int64, end: Int64, previousStart: Int64,
        asOf: Int64
    ) -> BudgetForecast {
        let now = min(max(asOf, start), end)
        // The rate as the exact fraction spent / µs, so projections and the exhaustion instant are
        // integers computed without rounding until the one at the end.
        let spent: Int128
        let span: Int128
        if now - start >= UTCTime.microsecondsPerDay {
            spent = usedNanos
            span = Int128(now - start)
        } else {
            spent = usedNanos + previousNanos
            span = Int128(now - start) + Int128(start - previousStart)
        }
        let left = Int128(end - now)
        let projected = span > 0 && spent > 0 ? usedNanos + (spent * left + span / 2) / span : usedNanos
        var exhaustedAt: Int64?
        if budgetNanos > 0 || usedNanos > 0 {
            if usedNanos >= Int128(budgetNanos) {
                exhaustedAt = now
            } else if spent > 0 && span > 0 {
                let needed = Int128(budgetNanos) - usedNanos
                let after = (needed * span + spent - 1) / spent  // ceiling
                if after < left { exhaustedAt = now + Int64(after) }
            }
        }
        return BudgetForecast(
            projectedNanos: projected,
            projectedUtilizationPercent: budgetNanos == 0 ? nil : Double(projected) / Double(budgetNanos) * 100,
            exhaustedAt: exhaustedAt, rate: span > 0 ? Double(spent) / Double(span) : 0)
    }
}

extension IngestionState {
    /// The budget of a scope, if one is set.
    public func budget(of scope: BudgetScope) -> BudgetSet? {
        switch scope {
        case .agent(let id): budgets[id]
        case .role(let role): roleBudgets[role]
        case .fleet: fleetBudget
        }
    }

    /// The agents a scope's budget counts.
    public func agentIDs(in scope: BudgetScope) -> [Int64] {
        switch scope {
        case .agent(let id): [id]
        case .role(let role): agentIDsByRole[role] ?? []
        case .fleet: Array(spend.keys)
        }
    }

    /// Nano-dollars a scope spent in a period (exact; a role's and the fleet's saturate at
    /// `Int64.max` nano-dollars, about $9.2 billion in one period).
    public func used(_ key: ScopedPeriodKey) -> Int128 {
        let period = PeriodKey(agentID: 0, kind: key.kind, start: key.start)
        switch key.scope {
        case .agent(let id): return Int128(spend[id]?.used(period) ?? 0)
        case .role(let role): return Int128(roleSpend(role)?.used(period) ?? 0)
        case .fleet: return Int128(fleetSpend.used(period))
        }
    }

    /// Whether a utilization threshold is reached (a zero budget by any spend).
    public static func reached(_ used: Int128, budget: Int64, percent: Double) -> Bool {
        if budget == 0 { return used > 0 }
        return Double(used) / Double(budget) * 100.0 >= percent
    }

    /// The forecast of a budget's period containing `asOf` (nil for a `total` budget).
    public func forecast(_ budget: BudgetSet, asOf: Int64) -> BudgetForecast? {
        let key = ScopedPeriodKey(scope: budget.scope, kind: budget.period, containing: asOf)
        guard let granularity = budget.period.granularity, let (start, end) = key.bounds else { return nil }
        let previousStart = granularity.floor(start - 1)
        let previous = ScopedPeriodKey(scope: budget.scope, kind: budget.period, containing: previousStart)
        return BudgetForecast.make(
            usedNanos: used(key), budgetNanos: budget.totalBudgetNanos, previousNanos: used(previous), start: start,
            end: end, previousStart: previousStart, asOf: asOf)
    }

    /// Whether a scope's budget alert is on the thresholds path (role and fleet budgets, and agent
    /// budgets that list thresholds); the others keep the contract's warning/critical pair.
    static func usesThresholds(_ budget: BudgetSet) -> Bool {
        if case .agent = budget.scope { return budget.thresholds != nil }
        return true
    }
}

extension PeriodKey {
    init(agentID: Int64, kind: BudgetPeriodKind, start: Int64) {
        self.agentID = agentID
        self.kind = kind
        self.start = start
    }
}

extension Ingestion {
    /// The alerts a threshold budget raises for one metric: each threshold of `budget` its
    /// period's spend (`used`, this metric included) reaches for the first time in the period.
    static func thresholdAlerts(
        budget: BudgetSet, key: ScopedPeriodKey, used: Int128, state: IngestionState,
        firedNow: inout Set<ScopedFiredKey>, nextAlertID: inout Int64, agent: Agent, metric: MetricRecorded,
        metricID: Int64
    ) -> [AlertRaised] {
        var out: [AlertRaised] = []
        for threshold in budget.alertThresholds {
            let fired = ScopedFiredKey.threshold(key, threshold)
            guard !state.scopedFired.contains(fired), !firedNow.contains(fired),
                IngestionState.reached(used, budget: budget.totalBudgetNanos, percent: threshold)
            else { continue }
            // An agent budget given thresholds mid-period: its warning or critical alert of the
            // contract's pair in this period counts as that threshold's.
            if case .agent(let id) = key.scope,
                threshold == budget.warningThresholdPercent || threshold == budget.criticalThresholdPercent,
                state.fired.contains(
                    IngestionState.FiredKey(
                        period: PeriodKey(agentID: id, kind: key.kind, start: key.start),
                        critical: threshold == budget.criticalThresholdPercent))
            {
                continue
            }
            firedNow.insert(fired)
            out.append(
                thresholdAlert(
                    id: nextAlertID, budget: budget, key: key, threshold: threshold, used: used, agent: agent,
                    detectedAt: metric.timestamp, causeMetricID: metricID, rulesVersion: state.rulesVersion))
            nextAlertID += 1
        }
        return out
    }

    static func thresholdAlert(
        id: Int64, budget: BudgetSet, key: ScopedPeriodKey, threshold: Double, used: Int128, agent: Agent,
        detectedAt: Int64, causeMetricID: Int64?, rulesVersion: Int64
    ) -> AlertRaised {
        let total = Money.usd(budget.totalBudgetNanos)
        let usedUSD = Money.usd(used)
        let who: String
        switch key.scope {
        case .agent: who = agent.name
        case .role(let role): who = "role \(role)"
        case .fleet: who = "the fleet"
        }
        let rule: AlertRule =
            threshold == budget.criticalThresholdPercent
            ? .budgetCritical : threshold == budget.warningThresholdPercent ? .budgetWarning : .budgetThreshold
        var (message, deviation) = budgetMessage(who: who, usedNanos: used, budgetNanos: budget.totalBudgetNanos)
        if budget.totalBudgetNanos != 0 { message += ", threshold \(Rounding.fixed(threshold, places: 1))%" }
        let bounds = key.bounds
        var raised = AlertRaised(
            alertID: id, agentID: agent.id, rule: rule, currentValue: usedUSD, expectedValue: total,
            thresholdValue: total * threshold / 100, deviationPercent: deviation, message: message,
            detectedAt: detectedAt, periodStart: bounds?.start, periodEnd: bounds?.end, causeMetricID: causeMetricID,
            rulesVersion: rulesVersion)
        raised.budgetScope = key.scope
        raised.thresholdPercent = threshold
        let severity = budget.severity(atThreshold: threshold)
        if severity != rule.severity { raised.severityOverride = severity }
        return raised
    }

    /// `PUT /roles/{role}/budget`, `PUT /fleet/budget` and an agent budget with thresholds: the
    /// change, plus the resolution of every open alert of the scope whose threshold the new budget
    /// no longer reaches in its period (reason `budget_changed`).
    static func resolutionsOnBudgetChange(_ budget: BudgetSet, state: IngestionState, now: Int64) -> [DomainEvent] {
        var events: [DomainEvent] = []
        for alert in state.alerts where alert.status.isOpen && alert.budgetPeriod?.scope == budget.scope {
            guard let period = alert.budgetPeriod, let threshold = alert.thresholdPercent else { continue }
            if !IngestionState.reached(state.used(period), budget: budget.totalBudgetNanos, percent: threshold) {
                events.append(
                    .alertResolved(
                        AlertResolved(alertID: alert.id, at: now, by: nil, note: nil, reason: .budgetChanged)))
            }
        }
        return events
    }
}
