import APIContract
import EventLog
import Projections
import Utilities

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

    /// A recorded evaluation: a run of evaluation events appended together.
    struct RecordedEvaluation {
        var position: UInt64
        var asOf: Int64
        var inferred: Bool
    }

    /// Re-derives the alerts and recommendations of the whole history under `options.rules`
    /// without writing anything: the log's agents, budgets and metrics are folded in order, each
    /// metric's budget decisions and each budget change's resolutions are taken again
    /// (`Ingestion`), the evaluation (`Evaluation.evaluate`) runs at every evaluation instant the
    /// log recorded and (with `hourly`) at every hour boundary, and people's acknowledgements and
    /// resolutions are carried over to the same alert (same rule, agent and period, metric or
    /// instant). The resulting alerts and recommendations are compared with the recorded ones.
    public static func whatIf(_ log: EventLog, options: WhatIfOptions) throws -> WhatIfReport {
        let head = try log.readHead()
        guard log.retentionHorizon == 0 else {
            throw ReplayError(
                "retention removed metric events before sequence \(log.retentionHorizon), so the log no longer holds "
                    + "the history a what-if re-derives; rebuild the whole history in a copy first (`replay export` "
                    + "takes the removed events back from \(log.directory)/archive; `replay import` it into an empty "
                    + "directory) and run the what-if there")
        }
        // Pass 1: the recorded alerts, evaluations and rules.
        var recorded: [Int64: WhatIfAlert] = [:]
        var evaluations: [UInt64: RecordedEvaluation] = [:]
        var firstRecordedAt: Int64?
        var lastRecordedAt: Int64?
        var inForceDocument: String?
        var agentNames: [Int64: String] = [:]
        var group: [(sequence: UInt64, recordedAt: Int64, event: DomainEvent)] = []
        var marked: (sequence: UInt64, recordedAt: Int64)?
        func closeGroup() {
            guard let first = group.first else { return }
            evaluations[first.sequence] = evaluationInstant(
                group.map(\.event), recordedAt: first.recordedAt, at: first.sequence)
            group.removeAll()
        }
        try forEachRecord(log, through: head) { record in
            if firstRecordedAt == nil { firstRecordedAt = record.recordedAt }
            lastRecordedAt = record.recordedAt
            guard
                [
                    AgentRegistered.type, AlertRaised.type, AlertAcknowledged.type, AlertResolved.type,
                    RulesChanged.type, EvaluationPerformed.type,
                ].contains(record.type),
                let event = try? record.domainEvent()
            else {
                closeGroup()
                marked = nil
                return
            }
            // Logs written since evaluations are events name each one's instant: no inference.
            if case .evaluationPerformed(let e) = event {
                closeGroup()
                evaluations[record.sequence] = RecordedEvaluation(
                    position: record.sequence, asOf: e.asOf, inferred: false)
                marked = (record.sequence, record.recordedAt)
                return
            }
            var isEvaluation = false
            switch event {
            case .agentRegistered(let e):
                agentNames[e.agentID] = e.name
            case .rulesChanged(let e):
                inForceDocument = e.document
            case .alertRaised(let e):
                recorded[e.alertID] = WhatIfAlert(
                    key: AlertKey(e), id: e.alertID, detectedAt: e.detectedAt, status: .active, message: e.message)
                isEvaluation = e.rule == .outlier || e.rule == .performanceDegradation
            case .alertAcknowledged(let e):
                recorded[e.alertID]?.status = .acknowledged
            case .alertResolved(let e):
                recorded[e.alertID]?.status = .resolved
                isEvaluation = e.reason == .recovered || e.reason == .periodEnded
            default:
                break
            }
            // The alerts of a marked evaluation follow its marker in the same commit.
            if isEvaluation, let m = marked, m.recordedAt == record.recordedAt, m.sequence + 1 == record.sequence {
                marked = (record.sequence, record.recordedAt)
                return
            }
            marked = nil
            if isEvaluation, let last = group.last,
                last.recordedAt != record.recordedAt || last.sequence + 1 != record.sequence
            {
                closeGroup()
            }
            if isEvaluation {
                group.append((record.sequence, record.recordedAt, event))
            } else {
                closeGroup()
            }
        }
        closeGroup()
        let recordedInstants = Set(evaluations.values.map(\.asOf))
        var hourly: [Int64] = []
        // The scheduler evaluates at each hour boundary while the service runs: between the first
        // and the last recorded events (exclusive), or within --from/--to (inclusive).
        if options.hourly, let first = options.from ?? firstRecordedAt, let last = options.to ?? lastRecordedAt,
            first <= last
        {
            let hour = UTCTime.microsecondsPerHour
            var boundary = UTCTime.hourFloor(first)
            if boundary < first || (options.from == nil && boundary == first) { boundary += hour }
            guard last < boundary || (last - boundary) / hour < 200_000 else {
                throw ReplayError("the window holds more than 200,000 hour boundaries; narrow it with --from and --to")
            }
            while boundary < last || (options.to != nil && boundary == last) {
                if !recordedInstants.contains(boundary) { hourly.append(boundary) }
                boundary += hour
            }
        }

        // Pass 2: the history again under the what-if rules.
        var costs = PricingComparison()
        var hardLimits = HardLimitComparison()
        var recordedState = IngestionState()
        var p = FleetProjection()
        p.apply(.rulesChanged(RulesChanged(version: -1, document: options.rules.document.jsonString)), sequence: 0)
        var derivedByKey: [AlertKey: Int64] = [:]
        var position: UInt64 = 0
        func applyDerived(_ event: DomainEvent) {
            p.apply(event, sequence: position)
            if case .alertRaised(let e) = event {
                let key = AlertKey(e)
                if derivedByKey[key] == nil { derivedByKey[key] = e.alertID }
            }
        }
        func evaluate(_ asOf: Int64) {
            for event in Evaluation.evaluate(asOf: asOf, state: p.ingestion, projection: p) { applyDerived(event) }
        }
        var nextHourly = 0
        try forEachRecord(log, through: head) { record in
            while nextHourly < hourly.count && hourly[nextHourly] < record.recordedAt {
                evaluate(hourly[nextHourly])
                nextHourly += 1
            }
            if let evaluation = evaluations[record.sequence] { evaluate(evaluation.asOf) }
            position = record.sequence
            guard
                let event = try? record.domainEvent()
            else {
                p.skip(sequence: record.sequence)
                return
            }
            recordedState.apply(event, sequence: record.sequence)
            switch event {
            case .agentRegistered:
                p.apply(event, sequence: record.sequence)
            case .budgetSet(let e):
                if let events = try? Ingestion.setBudget(e, state: p.ingestion, now: record.recordedAt) {
                    for event in events { applyDerived(event) }
                } else {
                    p.apply(event, sequence: record.sequence)
                }
            case .metricRecorded(let m):
                // The metric's decisions again: its price (when the writer priced it) under the
                // what-if price table, then the budget alerts its cost raises.
                let decided = try? Ingestion.recordMetrics(
                    [.success(Ingestion.MetricSubmission(eventID: nil, metric: m))], state: p.ingestion,
                    nextSequence: record.sequence, existingSequence: { _ in nil })
                let repriced = decided.flatMap { d in
                    Ingestion.createdMetrics(events: d.events, outcomes: d.outcomes)[0]
                }
                let applied = repriced ?? m
                p.apply(.metricRecorded(applied), sequence: record.sequence)
                if let usage = m.usage, usage.pricedByTable {
                    costs.add(recorded: m, whatIf: applied)
                }
                hardLimits.check(after: m, recorded: recordedState, whatIf: p.ingestion)
                for pending in decided?.events ?? [] {
                    if case .alertRaised = pending.event { applyDerived(pending.event) }
                }
            case .alertAcknowledged(let e):
                guard let key = recorded[e.alertID]?.key, let id = derivedByKey[key] else { return }
                let events = try? Ingestion.acknowledge(
                    alertID: id, by: e.by, note: e.note, now: e.at, state: p.ingestion)
                for event in events ?? [] { applyDerived(event) }
            case .alertResolved(let e):
                guard e.reason == .manual, let key = recorded[e.alertID]?.key, let id = derivedByKey[key] else {
                    return
                }
                let events = try? Ingestion.resolve(alertID: id, by: e.by, note: e.note, now: e.at, state: p.ingestion)
                for event in events ?? [] { applyDerived(event) }
            case .alertRaised, .rulesChanged, .evaluationPerformed:
                break  // re-derived (the evaluation runs at its instant above) / replaced by the what-if rules
            case .retentionApplied:
                p.apply(event, sequence: record.sequence)
            }
        }
        while nextHourly < hourly.count {
            evaluate(hourly[nextHourly])
            nextHourly += 1
        }

        // The comparison.
        func inWindow(_ t: Int64) -> Bool { t >= (options.from ?? Int64.min) && t <= (options.to ?? Int64.max) }
        let recordedByKey = Dictionary(
            recorded.values.filter { inWindow($0.detectedAt) }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        var derived: [AlertKey: WhatIfAlert] = [:]
        for record in p.alertBook.alerts where inWindow(record.raised.detectedAt) {
            let key = AlertKey(record.raised)
            if derived[key] == nil {
                derived[key] = WhatIfAlert(
                    key: key, id: record.raised.alertID, detectedAt: record.raised.detectedAt, status: record.status,
                    message: record.raised.message)
            }
        }
        var changes: [WhatIfReport.AlertChange] = []
        var unchanged = 0
        for key in Set(recordedByKey.keys).union(derived.keys).sorted(by: { a, b in
            let ta = (derived[a] ?? recordedByKey[a])!.detectedAt
            let tb = (derived[b] ?? recordedByKey[b])!.detectedAt
            return ta != tb ? ta < tb : a < b
        }) {
            switch (recordedByKey[key], derived[key]) {
            case (let r?, let d?):
                if r.status == d.status {
                    unchanged += 1
                } else {
                    changes.append(.init(change: .outcome, recorded: r, whatIf: d))
                }
            case (let r?, nil): changes.append(.init(change: .notRaised, recorded: r, whatIf: nil))
            case (nil, let d?): changes.append(.init(change: .raised, recorded: nil, whatIf: d))
            case (nil, nil): break
            }
        }

        // Recommendations: the same folded budgets and metrics under either rules.
        let inForceRules = inForceDocument.flatMap { try? Rules(document: $0) } ?? Rules.defaults
        var recordedView = p
        recordedView.apply(
            .rulesChanged(RulesChanged(version: 0, document: inForceRules.document.jsonString)), sequence: position)
        var recommendationsAsOf: Int64?
        var recommendationChanges: [WhatIfReport.RecommendationChange] = []
        var recordedCount = 0
        var whatIfCount = 0
        if let asOf = options.to ?? lastRecordedAt {
            recommendationsAsOf = asOf
            let before = Dictionary(
                recordedView.recommendations(asOf: asOf).map { ($0.agentID, $0.contractData) },
                uniquingKeysWith: { a, _ in a })
            let after = Dictionary(
                p.recommendations(asOf: asOf).map { ($0.agentID, $0.contractData) }, uniquingKeysWith: { a, _ in a })
            recordedCount = before.count
            whatIfCount = after.count
            for id in Set(before.keys).union(after.keys).sorted() where before[id] != after[id] {
                recommendationChanges.append(
                    .init(agentID: id, agentName: agentNames[id], recorded: before[id], whatIf: after[id]))
            }
        }

        return WhatIfReport(
            ruleChanges: ruleChanges(from: inForceRules, to: options.rules), head: head,
            firstRecordedAt: firstRecordedAt,
            lastRecordedAt: lastRecordedAt, from: options.from, to: options.to, recordedEvaluations: evaluations.count,
            inferredEvaluationInstants: evaluations.values.filter(\.inferred).count, hourlyEvaluations: hourly.count,
            recordedAlerts: recordedByKey.count, whatIfAlerts: derived.count, unchangedAlerts: unchanged,
            alertChanges: changes, recommendationsAsOf: recommendationsAsOf, recordedRecommendations: recordedCount,
            whatIfRecommendations: whatIfCount, recommendationChanges: recommendationChanges, costs: costs,
            hardLimits: hardLimits, agentNames: agentNames)
    }

    /// The instant of a recorded evaluation: the `as_of` its degradation alerts or recoveries carry;
    /// otherwise inferred from its outliers (each within the hour before `as_of`) and ended periods
    /// (each at or before `as_of`): the hour boundary the scheduler would have used, else the
    /// recorded time, else the nearest instant that fits.
    static func evaluationInstant(_ events: [DomainEvent], recordedAt: Int64, at position: UInt64) -> RecordedEvaluation
    {
        var lower = Int64.min
        var upper = Int64.max
        let hour = UTCTime.microsecondsPerHour
        for event in events {
            switch event {
            case .alertRaised(let e) where e.rule == .performanceDegradation:
                return RecordedEvaluation(position: position, asOf: e.detectedAt, inferred: false)
            case .alertResolved(let e) where e.reason == .recovered:
                return RecordedEvaluation(position: position, asOf: e.at, inferred: false)
            case .alertRaised(let e) where e.rule == .outlier:
                lower = max(lower, e.detectedAt)
                upper = min(upper, e.detectedAt + hour - 1)
            case .alertResolved(let e) where e.reason == .periodEnded:
                lower = max(lower, e.at)
            default:
                break
            }
        }
        guard lower > Int64.min else {
            return RecordedEvaluation(position: position, asOf: UTCTime.hourFloor(recordedAt), inferred: true)
        }
        let scheduled = UTCTime.hourFloor(recordedAt)
        if scheduled >= lower && scheduled <= upper {
            return RecordedEvaluation(position: position, asOf: scheduled, inferred: true)
        }
        // Not the scheduler's: an evaluation asked for "now", at most its recorded time.
        if recordedAt >= lower && recordedAt <= upper {
            return RecordedEvaluation(position: position, asOf: recordedAt, inferred: true)
        }
        var boundary = UTCTime.hourFloor(lower)
        if boundary < lower { boundary += hour }
        return RecordedEvaluation(position: position, asOf: boundary <= upper ? boundary : lower, inferred: true)
    }

    static func ruleChanges(from a: Rules, to b: Rules) -> [WhatIfReport.RuleChange] {
        var out: [WhatIfReport.RuleChange] = []
        let x = a.document
        let y = b.document
        for section in x.objectValue?.keys ?? [] {
            guard let left = x[section]?.objectValue, let right = y[section]?.objectValue else { continue }
            for key in Set(left.keys).union(right.keys).sorted() where left[key] != right[key] {
                out.append(
                    .init(field: "\(section).\(key)", inForce: left[key] ?? .null, whatIf: right[key] ?? .null))
            }
        }
        return out
    }
}

/// What the metrics the writer priced by the price table cost as recorded and under the what-if
/// table, per model (exact nano-dollars).
public struct PricingComparison: Sendable {
    public struct Model: Sendable {
        public var metrics: Int64 = 0
        public var recordedNanos: Int128 = 0
        public var whatIfNanos: Int128 = 0
        /// Metrics stored with cost 0 for want of a price, as recorded / under the what-if table.
        public var recordedUnknown: Int64 = 0
        public var whatIfUnknown: Int64 = 0
    }

    public private(set) var models: [String: Model] = [:]

    mutating func add(recorded: MetricRecorded, whatIf: MetricRecorded) {
        let name = recorded.usage?.model ?? ""
        models[name, default: Model()].metrics += 1
        models[name]!.recordedNanos += Int128(recorded.costNanos)
        models[name]!.whatIfNanos += Int128(whatIf.costNanos)
        if recorded.usage?.pricing == .unknownModel { models[name]!.recordedUnknown += 1 }
        if whatIf.usage?.pricing == .unknownModel { models[name]!.whatIfUnknown += 1 }
    }

    public var recordedNanos: Int128 { models.values.reduce(0) { $0 + $1.recordedNanos } }
    public var whatIfNanos: Int128 { models.values.reduce(0) { $0 + $1.whatIfNanos } }

    /// Models by the size of their difference, largest first.
    var ordered: [(String, Model)] {
        models.sorted { a, b in
            let da = (a.value.whatIfNanos - a.value.recordedNanos).magnitude
            let db = (b.value.whatIfNanos - b.value.recordedNanos).magnitude
            return da != db ? da > db : a.key < b.key
        }
    }

    var json: JSONValue {
        .object([
            "priced_metrics": .int(models.values.reduce(0) { $0 + $1.metrics }),
            "recorded_usd": .double(Money.usd(recordedNanos)), "what_if_usd": .double(Money.usd(whatIfNanos)),
            "difference_usd": .double(Money.usd(whatIfNanos - recordedNanos)),
            "by_model": .array(
                ordered.map { name, m in
                    .object([
                        "model": .string(name), "metrics": .int(m.metrics),
                        "recorded_usd": .double(Money.usd(m.recordedNanos)),
                        "what_if_usd": .double(Money.usd(m.whatIfNanos)),
                        "difference_usd": .double(Money.usd(m.whatIfNanos - m.recordedNanos)),
                        "unknown_model_recorded": .int(m.recordedUnknown),
                        "unknown_model_what_if": .int(m.whatIfUnknown),
                    ])
                }),
        ])
    }

    var lines: [String] {
        func usd(_ nanos: Int128) -> String { "$" + Rounding.fixed(Money.usd(nanos), places: 6) }
        guard !models.isEmpty else { return ["costs: no metric was priced by the price table"] }
        var out = [
            "costs of the \(models.values.reduce(0) { $0 + $1.metrics }) metrics priced by the price table: "
                + "\(usd(recordedNanos)) recorded, \(usd(whatIfNanos)) under the what-if prices "
                + "(difference \(usd(whatIfNanos - recordedNanos)))"
        ]
        out.append(
            contentsOf: LogReplay.table(
                header: ["model", "metrics", "recorded", "what-if", "difference", "unpriced (rec → what-if)"],
                rows: ordered.map { name, m in
                    [
                        name, "\(m.metrics)", usd(m.recordedNanos), usd(m.whatIfNanos),
                        usd(m.whatIfNanos - m.recordedNanos), "\(m.recordedUnknown) → \(m.whatIfUnknown)",
                    ]
                }))
        return out
    }
}

/// When each hard budget (agent, role, fleet) was used up in each period, in the recorded history
/// and under the what-if rules: the instant (the metric's timestamp) from which the allowance of
/// the agents it covers said no.
public struct HardLimitComparison: Sendable {
    public struct Change: Sendable {
        public var period: ScopedPeriodKey
        public var recorded: Int64?
        public var whatIf: Int64?
    }

    private var recorded: [ScopedPeriodKey: Int64] = [:]
    private var whatIf: [ScopedPeriodKey: Int64] = [:]

    mutating func check(
        after metric: MetricRecorded, recorded recordedState: IngestionState, whatIf state: IngestionState
    ) {
        guard let agent = state.agents[metric.agentID] else { return }
        for scope in [BudgetScope.agent(agent.id), .role(agent.role), .fleet] {
            for (history, s) in [(0, recordedState), (1, state)] {
                guard let budget = s.budget(of: scope), budget.hard else { continue }
                let key = ScopedPeriodKey(scope: scope, kind: budget.period, containing: metric.timestamp)
                guard (history == 0 ? recorded[key] : whatIf[key]) == nil else { continue }
                let used = s.used(key)
                let exhausted = budget.totalBudgetNanos == 0 ? used > 0 : used >= Int128(budget.totalBudgetNanos)
                guard exhausted else { continue }
                if history == 0 { recorded[key] = metric.timestamp } else { whatIf[key] = metric.timestamp }
            }
        }
    }

    /// The periods whose exhaustion differs, in order of the earlier instant.
    public var changes: [Change] {
        Set(recorded.keys).union(whatIf.keys).filter { recorded[$0] != whatIf[$0] }
            .map { Change(period: $0, recorded: recorded[$0], whatIf: whatIf[$0]) }
            .sorted { a, b in
                let ta = min(a.recorded ?? .max, a.whatIf ?? .max)
                let tb = min(b.recorded ?? .max, b.whatIf ?? .max)
                return ta != tb ? ta < tb : a.period.scope.description < b.period.scope.description
            }
    }

    static func name(_ scope: BudgetScope) -> String { scope.description }

    var json: JSONValue {
        func time(_ t: Int64?) -> JSONValue { t.map { .string(UTCTime.formatISO8601($0)) } ?? .null }
        return .object([
            "recorded_exhausted": .int(Int64(recorded.count)), "what_if_exhausted": .int(Int64(whatIf.count)),
            "changes": .array(
                changes.map { c in
                    .object([
                        "budget": .string(c.period.scope.description),
                        "period_start": c.period.bounds.map { .string(UTCTime.formatISO8601($0.start)) } ?? .null,
                        "recorded_exhausted_at": time(c.recorded), "what_if_exhausted_at": time(c.whatIf),
                    ])
                }),
        ])
    }

    var lines: [String] {
        guard !recorded.isEmpty || !whatIf.isEmpty else { return ["hard budgets: none was used up in either history"] }
        var out = [
            "hard budgets used up (allowance false from then on): \(recorded.count) recorded, "
                + "\(whatIf.count) under the what-if rules, \(changes.count) different"
        ]
        if !changes.isEmpty {
            out.append(
                contentsOf: LogReplay.table(
                    header: ["budget", "period from", "recorded", "what-if"],
                    rows: changes.map { c in
                        [
                            c.period.scope.description,
                            c.period.bounds.map { UTCTime.formatISO8601($0.start) } ?? "all time",
                            c.recorded.map { UTCTime.formatISO8601($0) } ?? "not used up",
                            c.whatIf.map { UTCTime.formatISO8601($0) } ?? "not used up",
                        ]
                    }))
        }
        return out
    }
}
