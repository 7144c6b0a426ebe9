import Utilities

/// An agent's budget was set or changed.
public struct BudgetSet: Sendable, Equatable {
    public static let type: UInt16 = 2
    public static let version: UInt16 = 1

    public var agentID: Int64
    /// The budget in nano-dollars (exact).
    public var totalBudgetNanos: Int64
    public var warningThresholdPercent: Double
    public var criticalThresholdPercent: Double
    public var period: BudgetPeriodKind

    public init(
        agentID: Int64, totalBudgetNanos: Int64, warningThresholdPercent: Double, criticalThresholdPercent: Double,
        period: BudgetPeriodKind
    ) {
        self.agentID = agentID
        self.totalBudgetNanos = totalBudgetNanos
        self.warningThresholdPercent = warningThresholdPercent
        self.criticalThresholdPercent = criticalThresholdPercent
        self.period = period
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(agentID)
        w.varint(totalBudgetNanos)
        w.double(warningThresholdPercent)
        w.double(criticalThresholdPercent)
        w.string(period.rawValue)
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
    }
}

extension BudgetSet: InitDecodedEventKind {
    static let name = "BudgetSet"
    func violation() -> String? { Limits.budgetViolation(self)?.message }
    var domainEvent: DomainEvent { .budgetSet(self) }

    func exportFields() -> JSONObject {
        [
            "agent_id": .int(agentID), "total_budget_nanos": .int(totalBudgetNanos),
            "warning_threshold_percent": .double(warningThresholdPercent),
            "critical_threshold_percent": .double(criticalThresholdPercent), "period": .string(period.rawValue),
        ]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            agentID: try f.int("agent_id"), totalBudgetNanos: try f.int("total_budget_nanos"),
            warningThresholdPercent: try f.double("warning_threshold_percent"),
            criticalThresholdPercent: try f.double("critical_threshold_percent"),
            period: try f.enumeration("period", BudgetPeriodKind.self))
    }
}
