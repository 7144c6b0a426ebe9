import Projections
import Utilities

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
