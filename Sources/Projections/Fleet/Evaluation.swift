import Utilities

/// The evaluation of §4 at an instant: resolves budget alerts whose period ended, raises or
/// resolves performance-degradation alerts per agent, and raises outlier alerts, in that order
/// (which fixes alert ids), after an `EvaluationPerformed` that records when it ran.
/// Deterministic and idempotent: evaluating the same instant twice raises and resolves nothing the
/// second time unless something that changes the outcome was appended in between (a late metric);
/// an evaluation that decides nothing new at the instant of the last one appends nothing at all.
public enum Evaluation {
    public static func evaluate(asOf: Int64, state: IngestionState, projection: FleetProjection) -> [DomainEvent] {
        let performed = EvaluationPerformed(asOf: asOf, rulesVersion: state.rulesVersion)
        var events: [DomainEvent] = [.evaluationPerformed(performed)]
        let rules = state.rules
        var nextAlertID = state.nextAlertID
        // 1. Budget periods that ended.
        for alert in state.alerts
        where alert.status.isOpen && (alert.rule.isBudgetLevel || alert.rule == .budgetForecast) {
            if let end = alert.periodEnd, end <= asOf {
                events.append(
                    .alertResolved(AlertResolved(alertID: alert.id, at: end, by: nil, note: nil, reason: .periodEnded)))
            }
        }
        // 2. Performance degradation, by agent id.
        for agentID in state.agents.keys.sorted() {
            let fit = projection.trendFit(
                .executionTime, asOf: asOf, lookbackDays: rules.degradationLookbackDays, agentID: agentID)
            let open = state.openDegradation[agentID]
            if fit.label == .degrading {
                guard open == nil, let current = fit.lastDayMean, let expected = fit.overallMean else { continue }
                let name = state.agents[agentID]?.name ?? "agent \(agentID)"
                let deviation = expected == 0 ? nil : (current - expected) / expected * 100
                events.append(
                    .alertRaised(
                        AlertRaised(
                            alertID: nextAlertID, agentID: agentID, rule: .performanceDegradation,
                            currentValue: current,
                            expectedValue: expected, thresholdValue: nil, deviationPercent: deviation,
                            message:
                                "Performance degradation: \(name) execution time rising "
                                + "\(Rounding.fixed(fit.slope ?? 0, places: 2)) ms/day over \(rules.degradationLookbackDays) days "
                                + "(p=\(Rounding.significant(fit.pValue ?? 1, digits: 3)))",
                            detectedAt: asOf, rulesVersion: state.rulesVersion)))
                nextAlertID += 1
            } else if let open {
                events.append(
                    .alertResolved(AlertResolved(alertID: open, at: asOf, by: nil, note: nil, reason: .recovered)))
            }
        }
        // 3. Outliers: metrics of the last hour against the agent's last days.
        let hour = UTCTime.microsecondsPerHour
        var found: [(id: Int64, agentID: Int64, value: Double, z: Double, mean: Double, timestamp: Int64)] = []
        for agentID in projection.metrics.series.keys.sorted() {
            let series = projection.metrics.series[agentID]!
            let from = asOf - rules.outlierWindowDays * UTCTime.microsecondsPerDay
            let population = series.count(from: from, through: asOf)
            guard population >= Int(rules.outlierMinimumSample) else { continue }
            var values: [Double] = []
            values.reserveCapacity(population)
            series.forEachSlice(from: from, through: asOf) { block, range in
                values.append(contentsOf: block.executionTimes[range])
            }
            guard let mean = Statistics.mean(values),
                case let std = Statistics.populationStandardDeviation(values, mean: mean), std > 0
            else { continue }
            series.forEachSlice(from: asOf - hour + 1, through: asOf) { block, range in
                for i in range {
                    let id = block.ids[i]
                    let z = (block.executionTimes[i] - mean) / std
                    if abs(z) > rules.outlierZThreshold && !state.outlierMetrics.contains(id) {
                        found.append((id, agentID, block.executionTimes[i], z, mean, block.timestamps[i]))
                    }
                }
            }
        }
        found.sort { $0.id < $1.id }
        for o in found {
            let name = state.agents[o.agentID]?.name ?? "agent \(o.agentID)"
            events.append(
                .alertRaised(
                    AlertRaised(
                        alertID: nextAlertID, agentID: o.agentID, rule: .outlier, currentValue: o.value,
                        expectedValue: o.mean, thresholdValue: nil,
                        deviationPercent: o.mean == 0 ? nil : (o.value - o.mean) / o.mean * 100,
                        message:
                            "Outlier: \(name) took \(Rounding.fixed(o.value, places: 2)) ms "
                            + "(z=\(Rounding.fixed(o.z, places: 2)), mean \(Rounding.fixed(o.mean, places: 2)) ms)",
                        detectedAt: o.timestamp, causeMetricID: o.id, rulesVersion: state.rulesVersion)))
            nextAlertID += 1
        }
        // 4. Budgets forecast to run out (those that ask for it: role and fleet budgets by default).
        for alert in forecastAlerts(asOf: asOf, state: state, nextAlertID: &nextAlertID) {
            events.append(.alertRaised(alert))
        }
        // The same instant under the same rules again, deciding nothing new (no metric, budget or
        // agent since changed the outcome): nothing to record either.
        if events.count == 1 && state.lastEvaluation == performed { return [] }
        return events
    }

    /// `budget_forecast` (warning), once per budget and period: the forecast (`BudgetForecast`)
    /// of a budget that asks for it (`forecast_alert`) projects at least 100 % of it at the end of
    /// the period while it is not used up and at least a quarter of the period is left. Budgets in
    /// order: agents by id, roles by name, the fleet. The alert names the budget's own agent, or,
    /// for a role or the fleet, the agent that spent the most in the period (the lowest id on a tie).
    static func forecastAlerts(asOf: Int64, state: IngestionState, nextAlertID: inout Int64) -> [AlertRaised] {
        var budgets: [BudgetSet] = state.budgets.keys.sorted().compactMap { state.budgets[$0] }
        budgets += state.roleBudgets.keys.sorted().compactMap { state.roleBudgets[$0] }
        if let fleet = state.fleetBudget { budgets.append(fleet) }
        var out: [AlertRaised] = []
        for budget in budgets where budget.forecastAlert && budget.totalBudgetNanos > 0 {
            let key = ScopedPeriodKey(scope: budget.scope, kind: budget.period, containing: asOf)
            guard let (start, end) = key.bounds, (end - asOf) * 4 >= end - start,
                !state.scopedFired.contains(ScopedFiredKey(period: key, level: .forecast)),
                let forecast = state.forecast(budget, asOf: asOf),
                let projected = forecast.projectedUtilizationPercent, projected >= 100
            else { continue }
            let used = state.used(key)
            guard used < Int128(budget.totalBudgetNanos) else { continue }
            var top: (id: Int64, spent: Int64)?
            for id in state.agentIDs(in: budget.scope).sorted() {
                let spent = state.spend[id]?.used(PeriodKey(agentID: id, kind: key.kind, start: key.start)) ?? 0
                if top == nil || spent > top!.spent { top = (id, spent) }
            }
            guard let agentID = top?.id, let agent = state.agents[agentID] else { continue }
            let total = Money.usd(budget.totalBudgetNanos)
            let projectedUSD = Money.usd(forecast.projectedNanos)
            let who: String
            switch budget.scope {
            case .agent: who = agent.name
            case .role(let role): who = "role \(role)"
            case .fleet: who = "the fleet"
            }
            var message =
                "Budget forecast: \(who) projected at \(Rounding.fixed(projected, places: 1))% "
                + "($\(Rounding.fixed(projectedUSD, places: 2))/$\(Rounding.fixed(total, places: 2))) by the period's end"
            if let at = forecast.exhaustedAt { message += "; runs out at \(UTCTime.formatISO8601(at))" }
            var raised = AlertRaised(
                alertID: nextAlertID, agentID: agent.id, rule: .budgetForecast, currentValue: projectedUSD,
                expectedValue: total, thresholdValue: total, deviationPercent: (projectedUSD - total) / total * 100,
                message: message, detectedAt: asOf, periodStart: start, periodEnd: end, causeMetricID: nil,
                rulesVersion: state.rulesVersion)
            raised.budgetScope = budget.scope
            out.append(raised)
            nextAlertID += 1
        }
        return out
    }
}
