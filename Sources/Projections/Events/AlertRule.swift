/// The rule that raised an alert (contract §4).
public enum AlertRule: String, Sendable, CaseIterable {
    case budgetWarning = "budget_warning"
    case budgetCritical = "budget_critical"
    case performanceDegradation = "performance_degradation"
    case outlier = "outlier"

    /// The alert `type` of the contract.
    public var alertType: String {
        switch self {
        case .budgetWarning, .budgetCritical: return "budget_overrun"
        case .performanceDegradation: return "performance_degradation"
        case .outlier: return "outlier"
        }
    }

    public var severity: String {
        switch self {
        case .budgetWarning, .performanceDegradation: return "warning"
        case .budgetCritical: return "critical"
        case .outlier: return "info"
        }
    }

    public var metric: String {
        switch self {
        case .budgetWarning, .budgetCritical: return "budget_utilization"
        case .performanceDegradation, .outlier: return "execution_time"
        }
    }
}
