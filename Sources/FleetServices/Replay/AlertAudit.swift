import APIContract
import EventLog
import Projections
import Utilities

extension LogReplay {
    /// The audit trail of one alert, read from the log.
    public struct AlertAudit: Sendable {
        /// One transition of the alert.
        public struct Step: Sendable {
            public var status: AlertStatus
            /// The log position of the event that made it.
            public var position: UInt64
            /// When the service recorded that event.
            public var recordedAt: Int64
            /// The transition's own time (event time for the raise and automatic resolutions).
            public var at: Int64
            /// Who made it: the person named in the request, or the part of the system.
            public var actor: String
            public var note: String?
            public var reason: String?
            /// What caused it, in words.
            public var cause: String
        }

        /// The metric behind a budget or outlier alert.
        public struct CauseMetric: Sendable {
            public var id: Int64
            public var timestamp: Int64
            public var recordedAt: Int64
            public var costNanos: Int64
            public var executionTimeMs: Double
            public var operationType: String
        }

        public var raised: AlertRaised
        public var agentName: String?
        public var status: AlertStatus
        public var steps: [Step]
        public var causeMetric: CauseMetric?
        /// The budget in force when a budget alert was raised.
        public var budget: BudgetSet?
        /// The rules document of `raised.rulesVersion` (nil: the defaults, version 0).
        public var rulesDocument: String?

        /// The trail as JSON.
        public var json: JSONValue {
            let e = raised
            var cause: JSONValue = .null
            if let m = causeMetric {
                cause = .object([
                    "kind": "metric", "metric_id": .int(m.id), "timestamp": .string(iso(m.timestamp)),
                    "recorded_at": .string(iso(m.recordedAt)), "cost_usd": .double(Money.usd(m.costNanos)),
                    "execution_time_ms": .double(m.executionTimeMs), "operation_type": .string(m.operationType),
                ])
            } else if e.rule == .performanceDegradation, let first = steps.first {
                cause = .object([
                    "kind": "evaluation", "as_of": .string(iso(e.detectedAt)), "position": .int(Int64(first.position)),
                    "recorded_at": .string(iso(first.recordedAt)),
                ])
            }
            var budgetJSON: JSONValue = .null
            if let b = budget {
                budgetJSON = .object([
                    "total_budget_usd": .double(Money.usd(b.totalBudgetNanos)),
                    "warning_threshold_percent": .double(b.warningThresholdPercent),
                    "critical_threshold_percent": .double(b.criticalThresholdPercent),
                    "period": .string(b.period.rawValue),
                ])
            }
            return .object([
                "id": .int(e.alertID), "agent_id": .int(e.agentID), "agent_name": .optional(agentName),
                "rule": .string(e.rule.rawValue), "type": .string(e.rule.alertType),
                "severity": .string(e.severity),
                "status": .string(status.rawValue), "message": .string(e.message),
                "current_value": .double(e.currentValue), "expected_value": .double(e.expectedValue),
                "threshold_value": .optional(e.thresholdValue), "deviation_percent": .optional(e.deviationPercent),
                "detected_at": .string(iso(e.detectedAt)),
                "period_start": e.periodStart.map { .string(iso($0)) } ?? .null,
                "period_end": e.periodEnd.map { .string(iso($0)) } ?? .null,
                "cause": cause, "budget": budgetJSON, "rules_version": .int(e.rulesVersion),
                "rules": rulesDocument.flatMap { try? JSONParser.parse($0) } ?? Rules.defaults.document,
                "transitions": .array(
                    steps.map { s in
                        .object([
                            "status": .string(s.status.rawValue), "position": .int(Int64(s.position)),
                            "recorded_at": .string(iso(s.recordedAt)), "at": .string(iso(s.at)),
                            "actor": .string(s.actor),
                            "note": .optional(s.note), "reason": .optional(s.reason), "cause": .string(s.cause),
                        ])
                    }),
            ])
        }

        /// The trail as text for a terminal.
        public var text: String {
            let e = raised
            var lines: [String] = []
            let agent = agentName.map { "\(e.agentID) (\($0))" } ?? "\(e.agentID)"
            lines.append(
                "alert \(e.alertID): \(e.rule.rawValue) (\(e.severity)), agent \(agent), now \(status.rawValue)")
            lines.append("message: \(e.message)")
            var values = "values: current \(e.currentValue), expected \(e.expectedValue)"
            if let t = e.thresholdValue { values += ", threshold \(t)" }
            if let d = e.deviationPercent { values += ", deviation \(Rounding.fixed(d, places: 2))%" }
            lines.append(values)
            if let start = e.periodStart, let end = e.periodEnd { lines.append("period: \(iso(start)) – \(iso(end))") }
            if let b = budget {
                lines.append(
                    "budget in force: $\(Rounding.fixed(Money.usd(b.totalBudgetNanos), places: 2)) \(b.period.rawValue), "
                        + "warning at \(b.warningThresholdPercent)%, critical at \(b.criticalThresholdPercent)%")
            }
            if let m = causeMetric {
                lines.append(
                    "caused by: metric \(m.id) (\(m.operationType)) at \(iso(m.timestamp)), cost $\(Rounding.fixed(Money.usd(m.costNanos), places: 6)), "
                        + "execution \(m.executionTimeMs) ms, recorded \(iso(m.recordedAt))")
            } else if e.rule == .performanceDegradation {
                lines.append("caused by: the evaluation as of \(iso(e.detectedAt))")
            }
            if let doc = rulesDocument {
                lines.append("rules version \(e.rulesVersion) in force: \(doc)")
            } else {
                lines.append("rules version \(e.rulesVersion) in force: the defaults")
            }
            lines.append("")
            let header = ["position", "recorded_at", "at", "status", "actor", "reason", "note", "cause"]
            let rows = steps.map { s in
                [
                    "\(s.position)", iso(s.recordedAt), iso(s.at), s.status.rawValue, s.actor, s.reason ?? "-",
                    s.note ?? "-",
                    s.cause,
                ]
            }
            lines.append(contentsOf: LogReplay.table(header: header, rows: rows))
            return lines.joined(separator: "\n")
        }
    }

    /// Reads the audit trail of alert `id` from the log: each transition with its log position,
    /// recorded time, time, actor, note and reason, the event that caused it, and the rules in
    /// force when it was raised. An unknown id is refused, naming the ids that exist.
    public static func auditAlert(_ log: EventLog, id: Int64) throws -> AlertAudit {
        let head = try log.readHead()
        var agentNames: [Int64: String] = [:]
        var budgets: [BudgetScope: (BudgetSet, UInt64)] = [:]
        var rulesDocuments: [Int64: String] = [:]
        var alertsSeen: Int64 = 0
        var audit: AlertAudit?
        try forEachRecord(log, through: head) { record in
            switch record.type {
            case AgentRegistered.type, BudgetSet.type, AlertRaised.type, AlertAcknowledged.type, AlertResolved.type,
                RulesChanged.type:
                break
            default:
                return
            }
            guard
                let event = try? record.domainEvent()
            else { return }
            switch event {
            case .agentRegistered(let e):
                agentNames[e.agentID] = e.name
            case .budgetSet(let e):
                budgets[e.scope] = (e, record.sequence)
            case .rulesChanged(let e):
                rulesDocuments[e.version] = e.document
            case .alertRaised(let e):
                alertsSeen += 1
                guard e.alertID == id else { return }
                let actor = e.rule.metric == "budget_utilization" ? "system (ingestion)" : "system (evaluation)"
                let cause: String
                switch e.rule {
                case .budgetWarning, .budgetCritical, .budgetThreshold:
                    cause =
                        "metric \(e.causeMetricID.map(String.init) ?? "?") brought the period's spend of "
                        + "\((e.budgetScope ?? .agent(e.agentID)).description) to the threshold"
                case .budgetForecast:
                    cause =
                        "the evaluation as of \(iso(e.detectedAt)) projected \((e.budgetScope ?? .agent(e.agentID)).description)'s "
                        + "spend past the budget with a quarter of the period left"
                case .outlier:
                    cause =
                        "the evaluation found metric \(e.causeMetricID.map(String.init) ?? "?") beyond the z threshold"
                case .performanceDegradation:
                    cause = "the evaluation as of \(iso(e.detectedAt)) found a significant rising trend"
                }
                let isBudget = e.rule.isBudgetLevel || e.rule == .budgetForecast
                audit = AlertAudit(
                    raised: e, agentName: agentNames[e.agentID], status: .active,
                    steps: [
                        .init(
                            status: .active, position: record.sequence, recordedAt: record.recordedAt, at: e.detectedAt,
                            actor: actor, note: nil, reason: nil, cause: cause)
                    ], causeMetric: nil, budget: isBudget ? budgets[e.budgetScope ?? .agent(e.agentID)]?.0 : nil,
                    rulesDocument: e.rulesVersion == 0 ? nil : rulesDocuments[e.rulesVersion])
            case .alertAcknowledged(let e):
                guard e.alertID == id, audit != nil else { return }
                audit!.status = .acknowledged
                audit!.steps.append(
                    .init(
                        status: .acknowledged, position: record.sequence, recordedAt: record.recordedAt, at: e.at,
                        actor: e.by ?? "(not named)", note: e.note, reason: nil, cause: "PUT …/alerts/\(id)/acknowledge"
                    ))
            case .alertResolved(let e):
                guard e.alertID == id, audit != nil else { return }
                audit!.status = .resolved
                let actor: String
                let cause: String
                switch e.reason {
                case .manual:
                    actor = e.by ?? "(not named)"
                    cause = "PUT …/alerts/\(id)/resolve"
                case .budgetChanged:
                    actor = "system (budget change)"
                    let scope = audit!.raised.budgetScope ?? .agent(audit!.raised.agentID)
                    cause =
                        "the budget set at event \(budgets[scope].map { String($0.1) } ?? "?") no longer reaches the level"
                case .periodEnded:
                    actor = "system (evaluation)"
                    cause = "the budget period ended at \(iso(e.at))"
                case .recovered:
                    actor = "system (evaluation)"
                    cause = "the evaluation as of \(iso(e.at)) no longer found a degrading trend"
                }
                audit!.steps.append(
                    .init(
                        status: .resolved, position: record.sequence, recordedAt: record.recordedAt, at: e.at,
                        actor: actor,
                        note: e.note, reason: e.reason.rawValue, cause: cause))
            case .metricRecorded, .retentionApplied, .evaluationPerformed:
                break
            }
        }
        guard var found = audit else {
            let known = alertsSeen == 0 ? "the log has no alerts" : "the log has alerts 1–\(alertsSeen)"
            throw ReplayError("alert \(id) does not exist: \(known)")
        }
        if let metricID = found.raised.causeMetricID, metricID >= 1, let record = try log.record(at: UInt64(metricID)),
            case .metricRecorded(let m)? = try? record.domainEvent()
        {
            found.causeMetric = .init(
                id: metricID, timestamp: m.timestamp, recordedAt: record.recordedAt, costNanos: m.costNanos,
                executionTimeMs: m.executionTimeMs, operationType: m.operationType)
        }
        return found
    }

    /// Rows aligned in columns, with a header and a rule under it.
    static func table(header: [String], rows: [[String]]) -> [String] {
        var widths = header.map(\.count)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                if i == cells.count - 1 {
                    out += cell
                } else {
                    out += cell + String(repeating: " ", count: widths[i] - cell.count + 2)
                }
            }
            return out
        }
        return [line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)
    }
}
