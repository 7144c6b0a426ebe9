import APIContract
import Projections
import Utilities

/// What `replay what-if` takes and answers: its options, the identity of "the same alert" in two
/// histories, and the report (JSON and tables).
extension LogReplay {
    /// What `replay what-if` re-derives under.
    public struct WhatIfOptions: Sendable {
        /// The rules to replay the history under.
        public var rules: Rules
        /// Only alerts detected at or after / at or before these count in the comparison; the
        /// hourly evaluations run between them (default: the first and last recorded times).
        public var from: Int64?
        public var to: Int64?
        /// Also evaluate at every hour boundary (as the service's scheduler does), not only at the
        /// evaluation instants the log recorded.
        public var hourly: Bool

        public init(rules: Rules, from: Int64? = nil, to: Int64? = nil, hourly: Bool = true) {
            self.rules = rules
            self.from = from
            self.to = to
            self.hourly = hourly
        }
    }

    /// What identifies "the same alert" across two histories: the rule, the agent, and the
    /// budget period (budget alerts), the metric (outliers) or the evaluation instant (degradation).
    public struct AlertKey: Hashable, Comparable, Sendable {
        public var rule: AlertRule
        public var agentID: Int64
        public var first: Int64
        public var second: Int64
        /// Budget alerts on the thresholds path: the scope (`role:NAME`, `fleet`; empty otherwise)
        /// and the threshold, so the same threshold of the same budget period is the same alert
        /// whichever agent's metric crossed it.
        public var scope: String = ""
        public var threshold: Double = 0

        init(_ e: AlertRaised) {
            rule = e.rule
            agentID = e.agentID
            switch e.budgetScope {
            case .role(let role)?:
                scope = "role:\(role)"
                agentID = 0
            case .fleet?:
                scope = "fleet"
                agentID = 0
            case .agent?, nil: break
            }
            threshold = e.thresholdPercent ?? 0
            switch e.rule {
            case .budgetWarning, .budgetCritical, .budgetThreshold, .budgetForecast:
                first = e.periodStart ?? Int64.min
                second = e.periodEnd ?? Int64.max
            case .outlier:
                first = e.causeMetricID ?? e.detectedAt
                second = 0
            case .performanceDegradation:
                first = e.detectedAt
                second = 0
            }
        }

        public static func < (a: AlertKey, b: AlertKey) -> Bool {
            if (a.agentID, a.rule.rawValue, a.first, a.second) != (b.agentID, b.rule.rawValue, b.first, b.second) {
                return (a.agentID, a.rule.rawValue, a.first, a.second) < (b.agentID, b.rule.rawValue, b.first, b.second)
            }
            return (a.scope, a.threshold) < (b.scope, b.threshold)
        }
    }

    /// One alert of either history.
    public struct WhatIfAlert: Sendable {
        public var key: AlertKey
        public var id: Int64
        public var detectedAt: Int64
        public var status: AlertStatus
        public var message: String
    }

    /// The difference between the recorded history and the history under other rules.
    public struct WhatIfReport: Sendable {
        public enum Change: String, Sendable {
            case raised = "newly raised"
            case notRaised = "not raised"
            case outcome = "other outcome"
        }

        public struct AlertChange: Sendable {
            public var change: Change
            public var recorded: WhatIfAlert?
            public var whatIf: WhatIfAlert?
        }

        public struct RecommendationChange: Sendable {
            public var agentID: Int64
            public var agentName: String?
            public var recorded: JSONValue?
            public var whatIf: JSONValue?
        }

        public struct RuleChange: Sendable {
            public var field: String
            public var inForce: JSONValue
            public var whatIf: JSONValue
        }

        public var ruleChanges: [RuleChange]
        public var head: UInt64
        public var firstRecordedAt: Int64?
        public var lastRecordedAt: Int64?
        public var from: Int64?
        public var to: Int64?
        public var recordedEvaluations: Int
        public var inferredEvaluationInstants: Int
        public var hourlyEvaluations: Int
        public var recordedAlerts: Int
        public var whatIfAlerts: Int
        public var unchangedAlerts: Int
        public var alertChanges: [AlertChange]
        public var recommendationsAsOf: Int64?
        public var recordedRecommendations: Int
        public var whatIfRecommendations: Int
        public var recommendationChanges: [RecommendationChange]
        /// The cost of the metrics the writer priced from the table, recorded and re-priced.
        public var costs: PricingComparison
        /// When each hard budget's period was used up (the allowance turned false), recorded and re-derived.
        public var hardLimits: HardLimitComparison
        var agentNames: [Int64: String]

        public var json: JSONValue {
            func alert(_ a: WhatIfAlert?) -> JSONValue {
                guard let a else { return .null }
                return .object([
                    "id": .int(a.id), "detected_at": .string(iso(a.detectedAt)), "status": .string(a.status.rawValue),
                    "message": .string(a.message),
                ])
            }
            return .object([
                "rules_changes": .array(
                    ruleChanges.map {
                        .object(["field": .string($0.field), "in_force": $0.inForce, "what_if": $0.whatIf])
                    }),
                "events": .object([
                    "head": .int(Int64(head)), "first_recorded_at": firstRecordedAt.map { .string(iso($0)) } ?? .null,
                    "last_recorded_at": lastRecordedAt.map { .string(iso($0)) } ?? .null,
                ]),
                "window": .object([
                    "from": from.map { .string(iso($0)) } ?? .null, "to": to.map { .string(iso($0)) } ?? .null,
                ]),
                "evaluations": .object([
                    "recorded": .int(Int64(recordedEvaluations)),
                    "recorded_inferred_instants": .int(Int64(inferredEvaluationInstants)),
                    "hourly": .int(Int64(hourlyEvaluations)),
                ]),
                "alerts": .object([
                    "recorded": .int(Int64(recordedAlerts)), "what_if": .int(Int64(whatIfAlerts)),
                    "unchanged": .int(Int64(unchangedAlerts)),
                    "changes": .array(
                        alertChanges.map { c in
                            let key = (c.recorded ?? c.whatIf)!.key
                            return .object([
                                "change": .string(c.change.rawValue), "rule": .string(key.rule.rawValue),
                                "agent_id": .int(key.agentID), "agent_name": .optional(agentNames[key.agentID]),
                                "recorded": alert(c.recorded), "what_if": alert(c.whatIf),
                            ])
                        }),
                ]),
                "costs": costs.json,
                "hard_limits": hardLimits.json,
                "recommendations": .object([
                    "as_of": recommendationsAsOf.map { .string(iso($0)) } ?? .null,
                    "recorded": .int(Int64(recordedRecommendations)), "what_if": .int(Int64(whatIfRecommendations)),
                    "changes": .array(
                        recommendationChanges.map { c in
                            .object([
                                "agent_id": .int(c.agentID), "agent_name": .optional(c.agentName),
                                "recorded": c.recorded ?? .null, "what_if": c.whatIf ?? .null,
                            ])
                        }),
                ]),
            ])
        }

        /// The report as tables for a terminal.
        public var table: String {
            var lines: [String] = []
            if ruleChanges.isEmpty {
                lines.append("the what-if rules equal the rules in force")
            } else {
                lines.append("rules changed:")
                for c in ruleChanges { lines.append("  \(c.field): \(c.inForce.jsonString) → \(c.whatIf.jsonString)") }
            }
            if let first = firstRecordedAt, let last = lastRecordedAt {
                lines.append("history: events 1–\(head), recorded \(iso(first)) – \(iso(last))")
            } else {
                lines.append("history: the log is empty")
            }
            if from != nil || to != nil {
                lines.append("window: \(from.map(iso) ?? "start") – \(to.map(iso) ?? "end")")
            }
            lines.append(
                "evaluations replayed: \(recordedEvaluations) recorded (\(inferredEvaluationInstants) with an inferred instant), "
                    + "\(hourlyEvaluations) at hour boundaries")
            lines.append(
                "alerts: \(recordedAlerts) recorded, \(whatIfAlerts) under the what-if rules; \(unchangedAlerts) the same, "
                    + "\(alertChanges.filter { $0.change == .raised }.count) newly raised, "
                    + "\(alertChanges.filter { $0.change == .notRaised }.count) not raised, "
                    + "\(alertChanges.filter { $0.change == .outcome }.count) with another outcome")
            if !alertChanges.isEmpty {
                lines.append("")
                let rows = alertChanges.map { c -> [String] in
                    let a = (c.whatIf ?? c.recorded)!
                    let agent = agentNames[a.key.agentID].map { "\(a.key.agentID) (\($0))" } ?? "\(a.key.agentID)"
                    let status = "\(c.recorded?.status.rawValue ?? "-") → \(c.whatIf?.status.rawValue ?? "-")"
                    let message = a.message.count > 90 ? String(a.message.prefix(87)) + "..." : a.message
                    return [
                        c.change.rawValue, c.recorded.map { "\($0.id)" } ?? "-", c.whatIf.map { "\($0.id)" } ?? "-",
                        a.key.rule.rawValue, agent, iso(a.detectedAt), status, message,
                    ]
                }
                lines.append(
                    contentsOf: LogReplay.table(
                        header: ["change", "recorded", "what-if", "rule", "agent", "detected_at", "status", "message"],
                        rows: rows))
            }
            lines.append("")
            lines.append(contentsOf: costs.lines)
            lines.append("")
            lines.append(contentsOf: hardLimits.lines)
            lines.append("")
            lines.append(
                "recommendations at \(recommendationsAsOf.map(iso) ?? "-"): \(recordedRecommendations) recorded, "
                    + "\(whatIfRecommendations) under the what-if rules, \(recommendationChanges.count) changed")
            if !recommendationChanges.isEmpty {
                func show(_ v: JSONValue?) -> String {
                    guard let v else { return "(none)" }
                    let type = v["type"]?.stringValue ?? "?"
                    let priority = v["priority"]?.stringValue ?? "?"
                    let budget = v["recommended_budget"]?.doubleValue.map { "$" + Rounding.fixed($0, places: 2) } ?? "?"
                    return "\(type) \(priority) \(budget)"
                }
                lines.append("")
                lines.append(
                    contentsOf: LogReplay.table(
                        header: ["agent", "recorded", "what-if"],
                        rows: recommendationChanges.map { c in
                            [
                                c.agentName.map { "\(c.agentID) (\($0))" } ?? "\(c.agentID)", show(c.recorded),
                                show(c.whatIf),
                            ]
                        }))
            }
            return lines.joined(separator: "\n")
        }
    }
}
