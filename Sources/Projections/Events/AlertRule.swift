/// The rule that raised an alert (contract §4).
public enum AlertRule: String, Sendable, CaseIterable {
    case budgetWarning = "budget_warning"
    case budgetCritical = "budget_critical"
    case performanceDegradation = "performance_degradation"
    case outlier = "outlier"
    /// A budget threshold other than the warning and critical ones (severity by its level).
    case budgetThreshold = "budget_threshold"
    /// A budget forecast to run out with at least a quarter of its period left.
    case budgetForecast = "budget_forecast"

    /// An alert about a budget's utilization.
    public var isBudgetLevel: Bool { self == .budgetWarning || self == .budgetCritical || self == .budgetThreshold }

    /// The alert `type` of the contract.
    public var alertType: String {
        switch self {
        case .budgetWarning, .budgetCritical, .budgetThreshold: return "budget_overrun"
        case .budgetForecast: return "budget_forecast"
        case .performanceDegradation: return "performance_degradation"
        case .outlier: return "outlier"
        }
    }

    public var severity: String {
        switch self {
        case .budgetWarning, .performanceDegradation, .budgetForecast, .budgetThreshold: return "warning"
        case .budgetCritical: return "critical"
        case .outlier: return "info"
        }
    }

    public var metric: String {
        switch self {
        case .budgetWarning, .budgetCritical, .budgetThreshold, .budgetForecast: return "budget_utilization"
        case .performanceDegradation, .outlier: return "execution_time"
        }
    }
}
