import Utilities

/// The weekly report (the seed guide's weekly job): the week's totals, a table per role, the
/// top agents by cost, the alerts raised that week and the recommendations at its end.
extension FleetProjection {
    /// The ISO week `YYYY-Www` → its Monday 00:00 UTC, nil when malformed.
    public static func isoWeekStart(_ text: String) -> Int64? {
        let parts = text.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), parts[1].first == "W",
            let week = Int(parts[1].dropFirst()), parts[1].count == 3
        else { return nil }
        return UTCTime.isoWeekStart(year: year, week: week)
    }

    /// The report of the ISO week starting at `weekStart`, with recommendations at `asOf` (the
    /// week's end, or earlier when the week is not over).
    public func weeklyReport(weekStart: Int64, asOf: Int64) -> WeeklyReport {
        let weekEnd = weekStart + 7 * UTCTime.microsecondsPerDay
        let window = TimeWindow(start: weekStart, end: weekEnd - 1)
        let (year, week) = UTCTime.isoWeek(weekStart)
        var total = OperationTotals()
        var perAgent: [(id: Int64, totals: OperationTotals)] = []
        for id in sortedAgentIDs {
            let t = totals(agentID: id, in: window)
            total.merge(t)
            perAgent.append((id, t))
        }
        var roles: [String: (agents: Int, totals: OperationTotals)] = [:]
        for (id, t) in perAgent {
            guard let role = agents[id]?.role else { continue }
            roles[role, default: (0, OperationTotals())].agents += 1
            roles[role, default: (0, OperationTotals())].totals.merge(t)
        }
        let roleRows = roles.keys.sorted().map { role in
            WeeklyReport.RoleRow(role: role, agents: roles[role]!.agents, totals: roles[role]!.totals)
        }
        let top = perAgent.filter { $0.totals.operations > 0 }
            .sorted {
                $0.totals.costNanos != $1.totals.costNanos ? $0.totals.costNanos > $1.totals.costNanos : $0.id < $1.id
            }
            .prefix(5)
        let alerts = alertBook.alerts.filter { $0.raised.detectedAt >= weekStart && $0.raised.detectedAt < weekEnd }
            .sorted { $0.raised.alertID < $1.raised.alertID }
        return WeeklyReport(
            week: "\(year)-W\(week < 10 ? "0" : "")\(week)", start: weekStart, end: weekEnd, totals: total,
            roles: roleRows,
            topAgents: top.map {
                WeeklyReport.AgentRow(agentID: $0.id, agentName: agents[$0.id]?.name ?? "", totals: $0.totals)
            },
            alerts: alerts.map(alertView),
            recommendations: CostRecommendations(items: recommendations(asOf: min(asOf, weekEnd - 1))),
            budgetsForecastOver: budgetsForecastOver(asOf: min(asOf, weekEnd - 1)))
    }

    /// Every budget with a period whose forecast at `asOf` passes 100 % (agents by id, roles by
    /// name, the fleet), the highest projected utilization first.
    public func budgetsForecastOver(asOf: Int64) -> [BudgetStatus] {
        var scopes: [BudgetScope] = ingestion.budgets.keys.sorted().map { .agent($0) }
        scopes += ingestion.roleBudgets.keys.sorted().map { .role($0) }
        if ingestion.fleetBudget != nil { scopes.append(.fleet) }
        let over = scopes.compactMap { scope -> BudgetStatus? in
            guard let status = budgetStatus(scope, asOf: asOf),
                let projected = status.forecast?.projectedUtilizationPercent, projected > 100
            else { return nil }
            return status
        }
        return over.enumerated().sorted { a, b in
            let pa = a.element.forecast?.projectedUtilizationPercent ?? 0
            let pb = b.element.forecast?.projectedUtilizationPercent ?? 0
            return pa != pb ? pa > pb : a.offset < b.offset
        }.map(\.element)
    }
}
