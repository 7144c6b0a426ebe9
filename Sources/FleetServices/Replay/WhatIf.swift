import APIContract
import EventLog
import Projections
import Utilities

extension LogReplay {
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
