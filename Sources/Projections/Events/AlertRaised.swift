import Utilities

/// An alert was raised (contract §4). Ids are 1, 2, 3, … in raising order.
public struct AlertRaised: Sendable, Equatable {
    public static let type: UInt16 = 4
    /// Version 2 adds the budget's scope, the threshold and the severity of a budget alert; an
    /// alert without them is still written as version 1.
    public static let version: UInt16 = 2

    public var alertID: Int64
    public var agentID: Int64
    public var rule: AlertRule
    public var currentValue: Double
    public var expectedValue: Double
    public var thresholdValue: Double?
    public var deviationPercent: Double?
    public var message: String
    /// The event time that caused it (µs).
    public var detectedAt: Int64
    /// Budget alerts: the period (µs; nil for a `total` budget).
    public var periodStart: Int64?
    public var periodEnd: Int64?
    /// The metric (log sequence) that caused it, for budget and outlier alerts.
    public var causeMetricID: Int64?
    /// The rules version in force when it was raised.
    public var rulesVersion: Int64
    /// Budget alerts since thresholds: the budget's scope (an agent's own budget is `.agent`),
    /// nil for the alerts of the contract's warning/critical pair on an agent budget.
    public var budgetScope: BudgetScope?
    /// Budget alerts since thresholds: the utilization percentage that fired.
    public var thresholdPercent: Double?
    /// A severity other than the rule's (a threshold below the warning level is `info`).
    public var severityOverride: String?

    /// The alert's severity.
    public var severity: String { severityOverride ?? rule.severity }

    /// The schema version of this value's payload.
    var schemaVersion: UInt16 { budgetScope == nil && thresholdPercent == nil && severityOverride == nil ? 1 : 2 }

    public init(
        alertID: Int64, agentID: Int64, rule: AlertRule, currentValue: Double, expectedValue: Double,
        thresholdValue: Double?, deviationPercent: Double?, message: String, detectedAt: Int64,
        periodStart: Int64? = nil, periodEnd: Int64? = nil, causeMetricID: Int64? = nil, rulesVersion: Int64 = 0
    ) {
        self.alertID = alertID
        self.agentID = agentID
        self.rule = rule
        self.currentValue = currentValue
        self.expectedValue = expectedValue
        self.thresholdValue = thresholdValue
        self.deviationPercent = deviationPercent
        self.message = message
        self.detectedAt = detectedAt
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.causeMetricID = causeMetricID
        self.rulesVersion = rulesVersion
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(alertID)
        w.varint(agentID)
        w.string(rule.rawValue)
        w.double(currentValue)
        w.double(expectedValue)
        w.optional(thresholdValue) { $0.double($1) }
        w.optional(deviationPercent) { $0.double($1) }
        w.string(message)
        w.varint(detectedAt)
        w.optional(periodStart) { $0.varint($1) }
        w.optional(periodEnd) { $0.varint($1) }
        w.optional(causeMetricID) { $0.varint($1) }
        w.varint(rulesVersion)
        guard schemaVersion >= 2 else { return }
        switch budgetScope {
        case nil: w.uvarint(0)
        case .agent(let id)?:
            w.uvarint(1)
            w.varint(id)
        case .role(let role)?:
            w.uvarint(2)
            w.string(role)
        case .fleet?: w.uvarint(3)
        }
        w.optional(thresholdPercent) { $0.double($1) }
        w.optional(severityOverride) { $0.string($1) }
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        alertID = try r.varint()
        agentID = try r.varint()
        let raw = try r.string()
        guard let rule = AlertRule(rawValue: raw) else {
            throw .malformed(type: Self.type, reason: "unknown alert rule \(raw)")
        }
        self.rule = rule
        currentValue = try r.double()
        expectedValue = try r.double()
        thresholdValue = try r.optional { r throws(EventDecodingError) in try r.double() }
        deviationPercent = try r.optional { r throws(EventDecodingError) in try r.double() }
        message = try r.string()
        detectedAt = try r.varint()
        periodStart = try r.optional { r throws(EventDecodingError) in try r.varint() }
        periodEnd = try r.optional { r throws(EventDecodingError) in try r.varint() }
        causeMetricID = try r.optional { r throws(EventDecodingError) in try r.varint() }
        rulesVersion = try r.varint()
        budgetScope = nil
        thresholdPercent = nil
        severityOverride = nil
        guard version >= 2 else { return }
        switch try r.uvarint() {
        case 0: break
        case 1: budgetScope = .agent(try r.varint())
        case 2: budgetScope = .role(try r.string())
        case 3: budgetScope = .fleet
        case let other: throw .malformed(type: Self.type, reason: "unknown budget scope \(other)")
        }
        thresholdPercent = try r.optional { r throws(EventDecodingError) in try r.double() }
        severityOverride = try r.optional { r throws(EventDecodingError) in try r.string() }
        if let severityOverride, !["info", "warning", "critical"].contains(severityOverride) {
            throw .malformed(type: Self.type, reason: "unknown severity \(severityOverride)")
        }
    }
}

extension AlertRaised: InitDecodedEventKind {
    static let name = "AlertRaised"
    var domainEvent: DomainEvent { .alertRaised(self) }
    func occurredAt(now: Int64) -> Int64 { detectedAt }

    func exportFields() -> JSONObject {
        var fields: JSONObject = [
            "alert_id": .int(alertID), "agent_id": .int(agentID), "rule": .string(rule.rawValue),
            "current_value": .double(currentValue), "expected_value": .double(expectedValue),
            "threshold_value": .optional(thresholdValue), "deviation_percent": .optional(deviationPercent),
            "message": .string(message), "detected_at": EventFields.time(detectedAt),
            "period_start": periodStart.map(EventFields.time) ?? .null,
            "period_end": periodEnd.map(EventFields.time) ?? .null,
            "cause_metric_id": .optional(causeMetricID), "rules_version": .int(rulesVersion),
        ]
        for (key, value) in budgetExportFields { fields[key] = value }
        return fields
    }

    private var budgetExportFields: JSONObject {
        guard schemaVersion >= 2 else { return [:] }
        var fields: JSONObject = [
            "threshold_percent": .optional(thresholdPercent), "severity": .optional(severityOverride),
        ]
        switch budgetScope {
        case nil: fields["budget_scope"] = .null
        case .agent(let id)?:
            fields["budget_scope"] = "agent"
            fields["budget_agent_id"] = .int(id)
        case .role(let role)?:
            fields["budget_scope"] = "role"
            fields["budget_role"] = .string(role)
        case .fleet?: fields["budget_scope"] = "fleet"
        }
        return fields
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            alertID: try f.int("alert_id"), agentID: try f.int("agent_id"),
            rule: try f.enumeration("rule", AlertRule.self), currentValue: try f.double("current_value"),
            expectedValue: try f.double("expected_value"), thresholdValue: try f.optionalDouble("threshold_value"),
            deviationPercent: try f.optionalDouble("deviation_percent"), message: try f.string("message"),
            detectedAt: try f.time("detected_at"), periodStart: try f.optionalTime("period_start"),
            periodEnd: try f.optionalTime("period_end"), causeMetricID: try f.optionalInt("cause_metric_id"),
            rulesVersion: try f.int("rules_version"))
        thresholdPercent = try f.optionalDouble("threshold_percent")
        severityOverride = try f.optionalString("severity")
        switch try f.optionalString("budget_scope") {
        case nil: break
        case "agent": budgetScope = .agent(try f.int("budget_agent_id"))
        case "role": budgetScope = .role(try f.string("budget_role"))
        case "fleet": budgetScope = .fleet
        default: throw EventFieldError(field: "budget_scope", message: "must be agent, role, fleet or null")
        }
    }
}
