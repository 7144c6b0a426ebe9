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
    public func weeklyReport(weekStart: Int64, asOf: Int64) -> JSONObject {
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
        var totalsObject = JSONObject()
        total.fields(into: &totalsObject)
        var roles: [String: (agents: Int, totals: OperationTotals)] = [:]
        for (id, t) in perAgent {
            guard let role = agents[id]?.role else { continue }
            roles[role, default: (0, OperationTotals())].agents += 1
            roles[role, default: (0, OperationTotals())].totals.merge(t)
        }
        let roleRows: [JSONValue] = roles.keys.sorted().map { role in
            let r = roles[role]!
            return .object([
                "role": .string(role), "agents": .int(Int64(r.agents)),
                "total_operations": .int(Int64(r.totals.operations)),
                "success_rate": Format.r2(r.totals.successRate), "total_cost_usd": Format.usd(r.totals.costNanos),
                "avg_quality_score": Format.r2(r.totals.meanQuality),
            ])
        }
        let top = perAgent.filter { $0.totals.operations > 0 }
            .sorted {
                $0.totals.costNanos != $1.totals.costNanos ? $0.totals.costNanos > $1.totals.costNanos : $0.id < $1.id
            }
            .prefix(5)
        let topRows: [JSONValue] = top.map { entry in
            .object([
                "agent_id": .int(entry.id), "agent_name": .string(agents[entry.id]?.name ?? ""),
                "total_operations": .int(Int64(entry.totals.operations)),
                "success_rate": Format.r2(entry.totals.successRate),
                "total_cost_usd": Format.usd(entry.totals.costNanos),
                "avg_quality_score": Format.r2(entry.totals.meanQuality),
            ])
        }
        let alerts = alertBook.alerts.filter { $0.raised.detectedAt >= weekStart && $0.raised.detectedAt < weekEnd }
            .sorted { $0.raised.alertID < $1.raised.alertID }
        let recommendations = recommendations(asOf: min(asOf, weekEnd - 1))
        return [
            "success": true,
            "data": .object([
                "week": .string("\(year)-W\(week < 10 ? "0" : "")\(week)"),
                "period": .object(["start": Format.time(weekStart), "end": Format.time(weekEnd)]),
                "totals": .object(totalsObject),
                "by_role": .array(roleRows),
                "top_agents": .array(topRows),
                "alerts": .object(["count": .int(Int64(alerts.count)), "data": .array(alerts.map(alertJSON))]),
                "recommendations": .object([
                    "count": .int(Int64(recommendations.count)),
                    "total_potential_savings": Format.r4(recommendations.reduce(0) { $0 + $1.savings }),
                    "data": .array(recommendations.map(\.json)),
                ]),
            ]),
        ]
    }

    /// The report as Markdown, for people.
    public static func weeklyReportMarkdown(_ report: JSONObject) -> String {
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
        return out
    }
}

extension String {
    fileprivate func replacingPipes() -> String {
        String(map { $0 == "|" ? "/" : $0 }).split(separator: "\n").joined(separator: " ")
    }
}
