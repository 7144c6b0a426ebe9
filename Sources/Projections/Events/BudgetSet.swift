import Utilities

/// What a budget covers: one agent's spend, a role's (the sum of its agents'), or the fleet's.
public enum BudgetScope: Hashable, Sendable {
    case agent(Int64)
    case role(String)
    case fleet

    /// `agent`, `role` or `fleet`.
    public var kind: String {
        switch self {
        case .agent: "agent"
        case .role: "role"
        case .fleet: "fleet"
        }
    }

    /// How a person names it: `agent 7`, `role developer`, `the fleet`.
    public var description: String {
        switch self {
        case .agent(let id): "agent \(id)"
        case .role(let role): "role \(role)"
        case .fleet: "the fleet"
        }
    }
}

/// A budget was set or changed: an agent's (version 1), or a role's or the fleet's, or one with
/// thresholds or a hard limit (version 2; a plain agent budget is still written as version 1).
public struct BudgetSet: Sendable, Equatable {
    public static let type: UInt16 = 2
    public static let version: UInt16 = 2

    /// The agent of an agent budget; 0 for a role or fleet budget.
    public var agentID: Int64
    /// The budget in nano-dollars (exact).
    public var totalBudgetNanos: Int64
    public var warningThresholdPercent: Double
    public var criticalThresholdPercent: Double
    public var period: BudgetPeriodKind
    /// The role of a role budget.
    public var role: String?
    /// Whether this is the fleet's budget.
    public var isFleet: Bool
    /// Utilization percentages that each raise an alert once per period, ascending; nil: the
    /// warning and critical thresholds.
    public var thresholds: [Double]?
    /// A hard budget: once used up, the allowance of the agents it covers says no (metrics are
    /// still recorded).
    public var hard: Bool
    /// Whether a forecast to run out with a quarter of the period left raises `budget_forecast`
    /// (the default of role and fleet budgets; agent budgets ask for it, so their alerts stay the
    /// contract's).
    public var forecastAlert: Bool

    public init(
        agentID: Int64, totalBudgetNanos: Int64, warningThresholdPercent: Double, criticalThresholdPercent: Double,
        period: BudgetPeriodKind, thresholds: [Double]? = nil, hard: Bool = false, forecastAlert: Bool = false
    ) {
        self.agentID = agentID
        self.totalBudgetNanos = totalBudgetNanos
        self.warningThresholdPercent = warningThresholdPercent
        self.criticalThresholdPercent = criticalThresholdPercent
        self.period = period
        self.role = nil
        self.isFleet = false
        self.thresholds = thresholds
        self.hard = hard
        self.forecastAlert = forecastAlert
    }

    /// A budget of any scope.
    public init(
        scope: BudgetScope, totalBudgetNanos: Int64, warningThresholdPercent: Double,
        criticalThresholdPercent: Double, period: BudgetPeriodKind, thresholds: [Double]? = nil, hard: Bool = false,
        forecastAlert: Bool = false
    ) {
        self.init(
            agentID: 0, totalBudgetNanos: totalBudgetNanos, warningThresholdPercent: warningThresholdPercent,
            criticalThresholdPercent: criticalThresholdPercent, period: period, thresholds: thresholds, hard: hard,
            forecastAlert: forecastAlert)
        switch scope {
        case .agent(let id): agentID = id
        case .role(let name): role = name
        case .fleet: isFleet = true
        }
    }

    public var scope: BudgetScope {
        if isFleet { return .fleet }
        if let role { return .role(role) }
        return .agent(agentID)
    }

    /// The thresholds that raise alerts: the listed ones, else warning and critical.
    public var alertThresholds: [Double] { thresholds ?? [warningThresholdPercent, criticalThresholdPercent] }

    /// The severity of an alert at `threshold`: info below warning, warning below critical, else critical.
    public func severity(atThreshold threshold: Double) -> String {
        threshold >= criticalThresholdPercent ? "critical" : threshold >= warningThresholdPercent ? "warning" : "info"
    }

    /// The schema version of this value's payload.
    var schemaVersion: UInt16 { role == nil && !isFleet && thresholds == nil && !hard && !forecastAlert ? 1 : 2 }

    func encode(into w: inout BinaryWriter) {
        w.varint(agentID)
        w.varint(totalBudgetNanos)
        w.double(warningThresholdPercent)
        w.double(criticalThresholdPercent)
        w.string(period.rawValue)
        guard schemaVersion >= 2 else { return }
        w.uvarint(isFleet ? 2 : role != nil ? 1 : 0)
        if let role { w.string(role) }
        w.optional(thresholds) { w, list in
            w.uvarint(UInt64(list.count))
            for t in list { w.double(t) }
        }
        w.bool(hard)
        w.bool(forecastAlert)
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        agentID = try r.varint()
        totalBudgetNanos = try r.varint()
        warningThresholdPercent = try r.double()
        criticalThresholdPercent = try r.double()
        let raw = try r.string()
        guard let period = BudgetPeriodKind(rawValue: raw) else {
            throw .malformed(type: Self.type, reason: "unknown budget period \(raw)")
        }
        self.period = period
        role = nil
        isFleet = false
        thresholds = nil
        hard = false
        forecastAlert = false
        guard version >= 2 else { return }
        switch try r.uvarint() {
        case 0: break
        case 1: role = try r.string()
        case 2: isFleet = true
        case let other: throw .malformed(type: Self.type, reason: "unknown budget scope \(other)")
        }
        thresholds = try r.optional { r throws(EventDecodingError) -> [Double] in
            let count = try r.uvarint()
            guard count <= UInt64(Limits.maximumBudgetThresholds) else {
                throw .malformed(type: Self.type, reason: "\(count) thresholds")
            }
            var list: [Double] = []
            for _ in 0..<count { list.append(try r.double()) }
            return list
        }
        hard = try r.bool()
        forecastAlert = try r.bool()
    }
}

extension BudgetSet: InitDecodedEventKind {
    static let name = "BudgetSet"
    func violation() -> String? { Limits.budgetViolation(self)?.message }
    var domainEvent: DomainEvent { .budgetSet(self) }

    func exportFields() -> JSONObject {
        var fields: JSONObject = [
            "agent_id": .int(agentID), "total_budget_nanos": .int(totalBudgetNanos),
            "warning_threshold_percent": .double(warningThresholdPercent),
            "critical_threshold_percent": .double(criticalThresholdPercent), "period": .string(period.rawValue),
        ]
        if schemaVersion >= 2 {
            fields["scope"] = .string(scope.kind)
            fields["role"] = .optional(role)
            fields["thresholds"] = thresholds.map { .array($0.map { .double($0) }) } ?? .null
            fields["hard"] = .bool(hard)
            fields["forecast_alert"] = .bool(forecastAlert)
        }
        return fields
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            agentID: try f.int("agent_id"), totalBudgetNanos: try f.int("total_budget_nanos"),
            warningThresholdPercent: try f.double("warning_threshold_percent"),
            criticalThresholdPercent: try f.double("critical_threshold_percent"),
            period: try f.enumeration("period", BudgetPeriodKind.self))
        guard let scopeName = try f.optionalString("scope") else { return }
        switch scopeName {
        case "agent": break
        case "role": role = try f.string("role")
        case "fleet": isFleet = true
        default: throw EventFieldError(field: "scope", message: "must be agent, role or fleet")
        }
        if let raw = f.object["thresholds"], !raw.isNull {
            guard let list = raw.arrayValue?.compactMap(\.doubleValue), list.count == raw.arrayValue?.count else {
                throw EventFieldError(field: "thresholds", message: "must be a list of numbers or null")
            }
            thresholds = list
        }
        hard = try f.bool("hard")
        forecastAlert = try f.bool("forecast_alert")
    }
}
