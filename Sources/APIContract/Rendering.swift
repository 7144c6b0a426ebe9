import Projections
import Utilities

/// The contract's JSON for the projection's read models: field names and order, the rounding of
/// §1, and the `{"success": true, …}` envelope. The one place the shape of an answer is written;
/// the router, `replay at`, the webhooks and the weekly report all render through it.
public protocol ContractResponse {
    /// The whole response body.
    var contractJSON: JSONObject { get }
}

/// Output helpers applying the contract's rounding (§1).
enum Format {
    static func r2(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.halfAwayFromZero(x, places: 2))
    }

    static func r4(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.halfAwayFromZero(x, places: 4))
    }

    static func significant(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.significant(x, digits: 6))
    }

    static func usd(_ nanos: Int64) -> JSONValue { r4(Money.usd(nanos)) }
    static func usd(_ nanos: Int128) -> JSONValue { r4(Money.usd(nanos)) }

    static func time(_ us: Int64?) -> JSONValue {
        guard let us else { return .null }
        return .string(UTCTime.formatISO8601(us))
    }

    static func string(_ s: String?) -> JSONValue {
        guard let s else { return .null }
        return .string(s)
    }

    /// A statistic metric's value: USD to 4 places, everything else to 2.
    static func value(_ metric: StatisticMetric, _ x: Double?) -> JSONValue { metric == .cost ? r4(x) : r2(x) }

    static func period(_ window: TimeWindow) -> JSONValue {
        .object(["start": time(window.start), "end": time(window.end)])
    }

    static func envelope(data: JSONValue) -> JSONObject { ["success": true, "data": data] }

    /// A row of an agent or a role: `leading` fields, then the operations under `countKey`, the
    /// success rate, the mean execution time (when `execution`), the cost and the mean quality.
    static func totalsRow(_ leading: JSONObject, _ t: OperationTotals, countKey: String, execution: Bool) -> JSONValue {
        var row = leading
        row.append(.int(Int64(t.operationCount)), forKey: countKey)
        row.append(r2(t.successRate), forKey: "success_rate")
        if execution { row.append(r2(t.meanExecution), forKey: "avg_execution_time_ms") }
        row.append(usd(t.costNanos), forKey: "total_cost_usd")
        row.append(r2(t.meanQuality), forKey: "avg_quality_score")
        return .object(row)
    }
}

extension OperationTotals {
    /// The §3 bucket fields.
    func fields(into object: inout JSONObject) {
        object.append(.int(Int64(operationCount)), forKey: "total_operations")
        object.append(.int(Int64(successCount)), forKey: "successful_operations")
        object.append(.int(Int64(operationCount - successCount)), forKey: "failed_operations")
        object.append(Format.r2(successRate), forKey: "success_rate")
        object.append(Format.r2(meanExecution), forKey: "avg_execution_time_ms")
        object.append(.int(tokenCount), forKey: "total_tokens")
        object.append(Format.usd(costNanos), forKey: "total_cost_usd")
        object.append(Format.r2(meanQuality), forKey: "avg_quality_score")
    }

    /// The §3 bucket fields as an object.
    public var contractFields: JSONObject {
        var object = JSONObject()
        fields(into: &object)
        return object
    }
}

// MARK: Agents and budgets

extension Agent: ContractResponse {
    /// The agent object of §2.
    public var contractData: JSONValue {
        .object(["id": .int(id), "name": .string(name), "role": .string(role)])
    }

    public var contractJSON: JSONObject { Format.envelope(data: contractData) }
}

extension AgentList: ContractResponse {
    public var contractJSON: JSONObject {
        ["success": true, "count": .int(Int64(agents.count)), "data": .array(agents.map(\.contractData))]
    }
}

extension BudgetStatus: ContractResponse {
    /// The budget status object of §2; a role's or the fleet's names its scope instead of an
    /// agent. Additive to the contract: the thresholds, `hard`, `forecast_alert` and `forecast`.
    public var contractData: JSONValue {
        var object: JSONObject = [:]
        switch budget.scope {
        case .agent: object["agent_id"] = .int(agentID)
        case .role(let role):
            object["scope"] = "role"
            object["role"] = .string(role)
        case .fleet: object["scope"] = "fleet"
        }
        object["total_budget_usd"] = Format.usd(budget.totalBudgetNanos)
        object["used_usd"] = Format.usd(usedNanos)
        object["remaining_usd"] = Format.r4(remainingUSD)
        object["utilization_percent"] = Format.r2(utilizationPercent)
        object["warning_threshold_percent"] = .double(budget.warningThresholdPercent)
        object["critical_threshold_percent"] = .double(budget.criticalThresholdPercent)
        object["period"] = .string(budget.period.rawValue)
        object["period_start"] = Format.time(periodStart)
        object["period_end"] = Format.time(periodEnd)
        object["status"] = .string(level.rawValue)
        object["thresholds"] = .array(budget.alertThresholds.map { .double($0) })
        object["hard"] = .bool(budget.hard)
        object["forecast_alert"] = .bool(budget.forecastAlert)
        object["forecast"] =
            forecast.map { f in
                .object([
                    "projected_spend_usd": Format.usd(f.projectedNanos),
                    "projected_utilization_percent": Format.r2(f.projectedUtilizationPercent),
                    "exhausted_at": Format.time(f.exhaustedAt),
                    "spend_rate_usd_per_hour": Format.r4(f.rate * Double(UTCTime.microsecondsPerHour) / 1e9),
                ])
            } ?? .null
        return .object(object)
    }

    public var contractJSON: JSONObject { Format.envelope(data: contractData) }
}

extension Allowance: ContractResponse {
    /// `{"agent_id", "allowed", "remaining_usd", "budget": {scope, role?, period, hard, …}, "resets_at", "budgets": […]}`.
    public var contractJSON: JSONObject {
        Format.envelope(
            data: .object([
                "agent_id": .int(agentID),
                "allowed": .bool(allowed),
                "remaining_usd": remainingNanos.map { Format.usd($0) } ?? .null,
                "budget": deciding?.contractData ?? .null,
                "resets_at": Format.time(deciding?.periodEnd),
                "budgets": .array(budgets.map(\.contractData)),
            ]))
    }
}

// MARK: §3 Aggregates

extension TimeSeries: ContractResponse {
    public var contractJSON: JSONObject {
        var data: [JSONValue] = []
        data.reserveCapacity(buckets.count)
        for bucket in buckets {
            var object: JSONObject = ["timestamp": Format.time(bucket.start)]
            bucket.totals.fields(into: &object)
            data.append(.object(object))
        }
        return [
            "success": true,
            "period": .object([
                "start": Format.time(window.start), "end": Format.time(window.end),
                "granularity": .string(granularity.rawValue),
            ]),
            "count": .int(Int64(data.count)),
            "data": .array(data),
        ]
    }
}

extension AgentSummary: ContractResponse {
    public var contractJSON: JSONObject {
        let n = totals.operationCount
        let tokens = totals.tokenCount
        let cost = totals.costNanos
        return Format.envelope(
            data: .object([
                "agent_id": .int(agent.id),
                "agent_name": .string(agent.name),
                "agent_role": .string(agent.role),
                "period": Format.period(window),
                "tasks": .object([
                    "total": .int(Int64(n)),
                    "successful": .int(Int64(totals.successCount)),
                    "failed": .int(Int64(n - totals.successCount)),
                    "success_rate": Format.r2(totals.successRate),
                ]),
                "performance": .object([
                    "avg_execution_time_ms": Format.r2(executionTime.mean),
                    "median_execution_time_ms": Format.r2(executionTime.median),
                    "p95_execution_time_ms": Format.r2(executionTime.p95),
                    "total_tokens": .int(tokens),
                    "avg_tokens_per_task": Format.r2(n == 0 ? nil : Double(tokens) / Double(n)),
                ]),
                "cost": .object([
                    "total_usd": Format.usd(cost),
                    "avg_per_task_usd": Format.r4(n == 0 ? nil : Money.usd(cost) / Double(n)),
                    "budget_allocated_usd": budget.map { Format.usd($0.budget.totalBudgetNanos) } ?? .null,
                    "budget_remaining_usd": budget.map { Format.r4($0.remainingUSD) } ?? .null,
                    "budget_utilization_percent": budget.map { Format.r2($0.utilizationPercent) } ?? .null,
                ]),
                "quality": .object([
                    "avg_score": Format.r2(quality.mean),
                    "median_score": Format.r2(quality.median),
                    "min_score": Format.r2(quality.min),
                    "max_score": Format.r2(quality.max),
                ]),
            ]))
    }
}

extension RoleSummary: ContractResponse {
    public var contractJSON: JSONObject {
        let agents: [JSONValue] = members.map { member in
            Format.totalsRow(
                ["agent_id": .int(member.agentID), "agent_name": .string(member.agentName)], member.totals,
                countKey: "total_tasks", execution: true)
        }
        return Format.envelope(
            data: .object([
                "role": .string(role),
                "period": Format.period(window),
                "summary": .object([
                    "total_agents": .int(Int64(members.count)),
                    "total_tasks": .int(Int64(totalTasks)),
                    "total_cost_usd": Format.usd(totalCostNanos),
                    "avg_cost_per_agent": Format.r4(Money.usd(totalCostNanos) / Double(members.count)),
                ]),
                "agents": .array(agents),
            ]))
    }
}

// MARK: §3 Statistics

extension PercentileSummary: ContractResponse {
    public var contractJSON: JSONObject {
        var data: JSONObject = [:]
        for (key, value) in [("p50", p50), ("p75", p75), ("p90", p90), ("p95", p95), ("p99", p99)] {
            data.append(Format.value(metric, value), forKey: key)
        }
        data.append(Format.value(metric, mean), forKey: "mean")
        data.append(Format.value(metric, median), forKey: "median")
        data.append(Format.value(metric, standardDeviation), forKey: "std_dev")
        data.append(.int(Int64(count)), forKey: "count")
        return [
            "success": true, "metric": .string(metric.rawValue), "agent_id": .optional(agentID),
            "data": .object(data),
        ]
    }
}

extension OutlierList: ContractResponse {
    public var contractJSON: JSONObject {
        let data: [JSONValue] = items.map { item in
            let o = item.outlier
            return .object([
                "id": .int(o.id),
                "agent_id": .int(o.agentID),
                "agent_name": Format.string(item.agentName),
                "operation_type": .string(o.operation),
                "value": Format.value(metric, o.value),
                "z_score": Format.r2(o.z),
                "deviation_from_mean": Format.value(metric, o.value - o.mean),
                "timestamp": Format.time(o.timestamp),
            ])
        }
        return [
            "success": true, "metric": .string(metric.rawValue), "z_threshold": .double(zThreshold),
            "count": .int(Int64(count)), "data": .array(data),
        ]
    }
}

extension TrendReport: ContractResponse {
    public var contractJSON: JSONObject {
        Format.envelope(
            data: .object([
                "metric": .string(metric.rawValue),
                "trend": .string(fit.label.rawValue),
                "slope": Format.r4(fit.slope),
                "r_squared": Format.r4(fit.rSquared),
                "p_value": Format.significant(fit.pValue),
                "data_points": .int(Int64(fit.dataPoints)),
                "period": .object(["start": Format.time(start), "end": Format.time(end)]),
            ]))
    }
}

// MARK: §3 Recommendations, insights, summary

extension FleetProjection.Recommendation {
    /// The recommendation object of §3.
    public var contractData: JSONValue {
        .object([
            "type": .string(type), "priority": .string(priority), "agent_id": .int(agentID),
            "agent": .string(agentName), "agent_role": .string(agentRole), "current_budget": Format.r4(currentBudget),
            "recommended_budget": Format.r4(recommendedBudget), "reason": .string(reason),
            "estimated_savings": Format.r4(savings),
        ])
    }
}

extension CostRecommendations: ContractResponse {
    public var contractJSON: JSONObject {
        [
            "success": true, "count": .int(Int64(items.count)),
            "total_potential_savings": Format.r4(totalSavings),
            "data": .array(items.map(\.contractData)),
        ]
    }
}

extension PerformanceInsights: ContractResponse {
    public var contractJSON: JSONObject {
        var fastestObject = JSONObject()
        for f in fastest {
            fastestObject.append(
                .object(["agent": Format.string(f.agentName), "avg_time_ms": Format.r2(f.meanTimeMs)]),
                forKey: f.operation)
        }
        let degradingItems: [JSONValue] = degrading.map { d in
            .object([
                "operation_type": .string(d.operation),
                "trend": .object(["metric": "execution_time", "trend": "degrading", "slope": Format.r4(d.slope)]),
            ])
        }
        return Format.envelope(
            data: .object([
                "fastest_agents_by_operation": .object(fastestObject),
                "most_cost_efficient": .array(
                    mostCostEfficient.map {
                        .object(["agent": Format.string($0.agentName), "cost_per_task_usd": Format.r4($0.value)])
                    }),
                "highest_quality": .array(
                    highestQuality.map {
                        .object(["agent": Format.string($0.agentName), "avg_quality_score": Format.r2($0.value)])
                    }),
                "peak_performance_hours": .array(
                    peakHours.map {
                        .object([
                            "hour": .int(Int64($0.hour)), "avg_time_ms": Format.r2($0.meanTimeMs),
                            "operations": .int(Int64($0.operations)),
                        ])
                    }),
                "degrading_operations": .array(degradingItems),
            ]))
    }
}

extension FleetSummary: ContractResponse {
    public var contractJSON: JSONObject {
        Format.envelope(
            data: .object([
                "last_24h": .object(last24h.contractFields),
                "last_30d_summary": .object([
                    "total_operations": .int(Int64(last30d.operationCount)),
                    "total_cost_usd": Format.usd(last30d.costNanos),
                    "avg_success_rate": Format.r2(last30d.successRate),
                ]),
                "active_alerts": .int(Int64(activeAlerts)),
                "pending_recommendations": .int(Int64(pendingRecommendations)),
            ]))
    }
}

// MARK: §4 Alerts

extension AlertView: ContractResponse {
    /// The alert object of §4.
    public var contractData: JSONValue {
        let e = record.raised
        var object: JSONObject = [
            "id": .int(e.alertID),
            "agent_id": .int(e.agentID),
            "agent_name": Format.string(agentName),
            "type": .string(e.rule.alertType),
            "severity": .string(e.severity),
            "metric": .string(e.rule.metric),
            "current_value": Format.r4(e.currentValue),
            "expected_value": Format.r4(e.expectedValue),
            "threshold_value": Format.r4(e.thresholdValue),
            "deviation_percent": Format.r2(e.deviationPercent),
            "message": .string(e.message),
            "status": .string(record.status.rawValue),
            "detected_at": Format.time(e.detectedAt),
            "acknowledged_at": Format.time(record.acknowledgedAt),
            "resolved_at": Format.time(record.resolvedAt),
            "rule": .string(e.rule.rawValue),
            "period_start": Format.time(e.periodStart),
            "period_end": Format.time(e.periodEnd),
        ]
        // Budget alerts on the thresholds path (additive): whose budget, which threshold. The
        // agent of a role or fleet alert is the one whose metric crossed it.
        if let scope = e.budgetScope {
            object["budget_scope"] = .string(scope.kind)
            if case .role(let role) = scope { object["budget_role"] = .string(role) }
            object["threshold_percent"] = Format.r2(e.thresholdPercent)
        }
        return .object(object)
    }

    public var contractJSON: JSONObject { Format.envelope(data: contractData) }
}

extension AlertList: ContractResponse {
    public var contractJSON: JSONObject {
        ["success": true, "count": .int(Int64(count)), "data": .array(alerts.map(\.contractData))]
    }
}

extension AlertTransition {
    /// One step of an alert's history as the API shows it.
    public var contractData: JSONValue {
        .object([
            "status": .string(status.rawValue), "at": Format.time(at), "by": Format.string(by),
            "note": Format.string(note), "reason": Format.string(reason), "position": .int(Int64(position)),
        ])
    }
}

extension AlertHistory: ContractResponse {
    public var contractJSON: JSONObject {
        ["success": true, "count": .int(Int64(transitions.count)), "data": .array(transitions.map(\.contractData))]
    }
}

// MARK: Weekly report

extension WeeklyReport: ContractResponse {
    public var contractJSON: JSONObject {
        let roleRows: [JSONValue] = roles.map { r in
            Format.totalsRow(
                ["role": .string(r.role), "agents": .int(Int64(r.agents))], r.totals, countKey: "total_operations",
                execution: false)
        }
        let topRows: [JSONValue] = topAgents.map { entry in
            Format.totalsRow(
                ["agent_id": .int(entry.agentID), "agent_name": .string(entry.agentName)], entry.totals,
                countKey: "total_operations", execution: false)
        }
        return Format.envelope(
            data: .object([
                "week": .string(week),
                "period": .object(["start": Format.time(start), "end": Format.time(end)]),
                "totals": .object(totals.contractFields),
                "by_role": .array(roleRows),
                "top_agents": .array(topRows),
                "alerts": .object(["count": .int(Int64(alerts.count)), "data": .array(alerts.map(\.contractData))]),
                "recommendations": .object([
                    "count": .int(Int64(recommendations.items.count)),
                    "total_potential_savings": Format.r4(recommendations.totalSavings),
                    "data": .array(recommendations.items.map(\.contractData)),
                ]),
                "budgets_forecast_over": .array(budgetsForecastOver.map(\.contractData)),
            ]))
    }

    /// The report as Markdown, for people (the numbers as the JSON rounds them).
    public var markdown: String { Self.markdown(contractJSON) }

    static func markdown(_ report: JSONObject) -> String {
        guard let data = report["data"] else { return "" }
        func text(_ v: JSONValue?) -> String {
            switch v {
            case .some(.string(let s)): return s.replacingPipes()
            case .some(.int(let i)): return String(i)
            case .some(.double(let d)): return d.description
            case .some(.bool(let b)): return String(b)
            default: return "–"
            }
        }
        func money(_ v: JSONValue?) -> String {
            guard let d = v?.doubleValue else { return "–" }
            return "$" + Rounding.fixed(d, places: 2)
        }
        func percent(_ v: JSONValue?) -> String {
            guard let d = v?.doubleValue else { return "–" }
            return Rounding.fixed(d, places: 1) + "%"
        }
        let totals = data["totals"]
        var out = "# Weekly report \(text(data["week"]))\n\n"
        out += "\(text(data["period"]?["start"])) – \(text(data["period"]?["end"]))\n\n"
        out += "## Totals\n\n"
        out += "- Operations: \(text(totals?["total_operations"])) (\(text(totals?["failed_operations"])) failed)\n"
        out += "- Success rate: \(percent(totals?["success_rate"]))\n"
        out += "- Cost: \(money(totals?["total_cost_usd"]))\n"
        out += "- Average execution time: \(text(totals?["avg_execution_time_ms"])) ms\n"
        out += "- Average quality: \(text(totals?["avg_quality_score"]))\n\n"
        out +=
            "## By role\n\n| role | agents | operations | success | cost | quality |\n|---|---:|---:|---:|---:|---:|\n"
        for row in data["by_role"]?.arrayValue ?? [] {
            out +=
                "| \(text(row["role"])) | \(text(row["agents"])) | \(text(row["total_operations"])) | "
                + "\(percent(row["success_rate"])) | \(money(row["total_cost_usd"])) | \(text(row["avg_quality_score"])) |\n"
        }
        out +=
            "\n## Top agents by cost\n\n| agent | operations | success | cost | quality |\n|---|---:|---:|---:|---:|\n"
        for row in data["top_agents"]?.arrayValue ?? [] {
            out +=
                "| \(text(row["agent_name"])) | \(text(row["total_operations"])) | \(percent(row["success_rate"])) | "
                + "\(money(row["total_cost_usd"])) | \(text(row["avg_quality_score"])) |\n"
        }
        let alerts = data["alerts"]?["data"]?.arrayValue ?? []
        out += "\n## Alerts of the week (\(alerts.count))\n\n"
        if alerts.isEmpty { out += "None.\n" }
        for alert in alerts {
            out +=
                "- #\(text(alert["id"])) \(text(alert["severity"])) · \(text(alert["message"])) · \(text(alert["status"]))\n"
        }
        let recommendations = data["recommendations"]?["data"]?.arrayValue ?? []
        out +=
            "\n## Recommendations (potential savings \(money(data["recommendations"]?["total_potential_savings"])))\n\n"
        if recommendations.isEmpty { out += "None.\n" }
        for r in recommendations {
            out += "- \(text(r["priority"])) · \(text(r["type"])) · \(text(r["agent"])): \(text(r["reason"]))\n"
        }
        let forecasts = data["budgets_forecast_over"]?.arrayValue ?? []
        out += "\n## Budgets forecast to be exceeded (\(forecasts.count))\n\n"
        if forecasts.isEmpty { out += "None.\n" }
        for b in forecasts {
            let who: String
            switch b["scope"]?.stringValue {
            case "role": who = "role \(text(b["role"]))"
            case "fleet": who = "the fleet"
            default: who = "agent \(text(b["agent_id"]))"
            }
            let f = b["forecast"]
            out +=
                "- \(who) (\(text(b["period"]))): \(money(b["used_usd"])) of \(money(b["total_budget_usd"])) used, "
                + "\(money(f?["projected_spend_usd"])) projected (\(percent(f?["projected_utilization_percent"])))"
                + (f?["exhausted_at"]?.stringValue.map { ", runs out \($0)" } ?? "") + "\n"
        }
        return out
    }
}
extension String {
    fileprivate func replacingPipes() -> String {
        String(map { $0 == "|" ? "/" : $0 }).split(separator: "\n").joined(separator: " ")
    }
}
