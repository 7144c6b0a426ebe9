import Utilities

/// The typed answers of the projection's queries: the values the contract's responses carry,
/// unrounded and without any wire format. `APIContract` renders them into the contract's JSON
/// (rounding, envelope, field names); the replay tools and the weekly report read them directly.

/// `GET /agents`: every registered agent, in id order.
public struct AgentList: Sendable, Equatable {
    public var agents: [Agent]
}

/// An agent's budget in the period containing `as_of` (§2).
public struct BudgetStatus: Sendable, Equatable {
    /// The level the spend has reached.
    public enum Level: String, Sendable {
        case ok, warning, critical
    }

    /// The agent of an agent budget (0 for a role or fleet budget; see `budget.scope`).
    public var agentID: Int64
    public var budget: BudgetSet
    /// Spent in the period (exact nano-dollars; a role's or the fleet's is a sum over agents).
    public var usedNanos: Int128
    /// The period as `[start, end)`; nil for a `total` budget.
    public var periodStart: Int64?
    public var periodEnd: Int64?
    public var level: Level
    /// The projected end of the period (nil for a `total` budget).
    public var forecast: BudgetForecast?

    /// Used ÷ budget × 100; nil for a zero budget.
    public var utilizationPercent: Double? {
        budget.totalBudgetNanos == 0 ? nil : Double(usedNanos) / Double(budget.totalBudgetNanos) * 100
    }

    /// Whether the budget is used up (a zero budget by any spend).
    public var exhausted: Bool {
        budget.totalBudgetNanos == 0 ? usedNanos > 0 : usedNanos >= Int128(budget.totalBudgetNanos)
    }

    /// Budget − used, in USD (each converted first, as the contract computes it).
    public var remainingUSD: Double { Money.usd(budget.totalBudgetNanos) - Money.usd(usedNanos) }
}

/// `GET /metrics/aggregate/timeseries`: one bucket per granularity step of the window.
public struct TimeSeries: Sendable, Equatable {
    public struct Bucket: Sendable, Equatable {
        public var start: Int64
        public var totals: OperationTotals
    }

    public var window: TimeWindow
    public var granularity: Granularity
    public var buckets: [Bucket]
}

/// Order statistics of a set of values (nil when it is empty).
public struct Distribution: Sendable, Equatable {
    public var mean: Double?
    public var median: Double?
    public var p95: Double?
    public var min: Double?
    public var max: Double?

    /// The statistics of `sorted` (ascending).
    init(sorted: [Double]) {
        mean = Statistics.mean(sorted)
        median = Statistics.percentile(sorted: sorted, 50)
        p95 = Statistics.percentile(sorted: sorted, 95)
        min = sorted.first
        max = sorted.last
    }
}

/// `GET /metrics/aggregate/by-agent/{id}`: one agent's tasks, performance, cost and quality.
public struct AgentSummary: Sendable, Equatable {
    public var agent: Agent
    public var window: TimeWindow
    public var totals: OperationTotals
    public var executionTime: Distribution
    public var quality: Distribution
    /// The agent's budget at `as_of`, nil without one.
    public var budget: BudgetStatus?
}

/// `GET /metrics/aggregate/by-role/{role}`: the agents of a role, busiest first.
public struct RoleSummary: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var agentID: Int64
        public var agentName: String
        public var totals: OperationTotals
    }

    public var role: String
    public var window: TimeWindow
    /// Sorted by tasks descending, then name.
    public var members: [Member]
    public var totalTasks: Int
    public var totalCostNanos: Int128
}

/// `GET /metrics/percentiles/{metric}`.
public struct PercentileSummary: Sendable, Equatable {
    public var metric: StatisticMetric
    public var agentID: Int64?
    public var p50: Double?
    public var p75: Double?
    public var p90: Double?
    public var p95: Double?
    public var p99: Double?
    public var mean: Double?
    public var median: Double?
    public var standardDeviation: Double?
    public var count: Int
}

/// `GET /metrics/outliers/{metric}`: the most extreme outliers (up to the limit) of all found.
public struct OutlierList: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var outlier: FleetProjection.Outlier
        public var agentName: String?
    }

    public var metric: StatisticMetric
    public var zThreshold: Double
    /// How many were found (the items are the first `limit` of them).
    public var count: Int
    public var items: [Item]
}

/// `GET /metrics/trends/{metric}`.
public struct TrendReport: Sendable, Equatable {
    public var metric: TrendMetric
    public var fit: TrendFit
    public var start: Int64
    public var end: Int64
}

/// `GET /metrics/recommendations/cost`.
public struct CostRecommendations: Sendable, Equatable {
    public var items: [FleetProjection.Recommendation]
    /// The sum of the items' savings, unrounded, in their order.
    public var totalSavings: Double { items.reduce(0) { $0 + $1.savings } }
}

/// `GET /metrics/insights/performance`.
public struct PerformanceInsights: Sendable, Equatable {
    /// The fastest agent (mean execution time, at least 3 operations) of an operation type.
    public struct Fastest: Sendable, Equatable {
        public var operation: String
        public var agentName: String?
        public var meanTimeMs: Double
    }

    /// An agent and one number it is ranked by.
    public struct Ranked: Sendable, Equatable {
        public var agentName: String?
        public var value: Double
    }

    /// An hour of the day (UTC) and its mean execution time.
    public struct Hour: Sendable, Equatable {
        public var hour: Int
        public var meanTimeMs: Double
        public var operations: Int
    }

    /// An operation type whose execution time degrades significantly.
    public struct Degrading: Sendable, Equatable {
        public var operation: String
        public var slope: Double?
    }

    /// By operation name.
    public var fastest: [Fastest]
    /// Cost per task ascending, at most 5.
    public var mostCostEfficient: [Ranked]
    /// Mean quality descending, at most 5.
    public var highestQuality: [Ranked]
    /// Mean execution time ascending, at most 5.
    public var peakHours: [Hour]
    /// By operation name.
    public var degrading: [Degrading]
}

/// `GET /metrics/summary`.
public struct FleetSummary: Sendable, Equatable {
    public var last24h: OperationTotals
    public var last30d: OperationTotals
    public var activeAlerts: Int
    public var pendingRecommendations: Int
}

/// An alert with the name of its agent.
public struct AlertView: Sendable, Equatable {
    public var record: AlertRecord
    public var agentName: String?
}

/// `GET /metrics/alerts`: the newest matching alerts (up to the limit) of all that match.
public struct AlertList: Sendable, Equatable {
    /// How many alerts match.
    public var count: Int
    public var alerts: [AlertView]
}

/// `GET /metrics/alerts/{id}/history`.
public struct AlertHistory: Sendable, Equatable {
    public var transitions: [AlertTransition]
}

/// The weekly report: the week's totals, a row per role, the top agents by cost, the alerts
/// raised that week and the recommendations at its end.
public struct WeeklyReport: Sendable, Equatable {
    public struct RoleRow: Sendable, Equatable {
        public var role: String
        public var agents: Int
        public var totals: OperationTotals
    }

    public struct AgentRow: Sendable, Equatable {
        public var agentID: Int64
        public var agentName: String
        public var totals: OperationTotals
    }

    /// `YYYY-Www`.
    public var week: String
    public var start: Int64
    public var end: Int64
    public var totals: OperationTotals
    /// By role name.
    public var roles: [RoleRow]
    /// Cost descending, at most 5.
    public var topAgents: [AgentRow]
    public var alerts: [AlertView]
    public var recommendations: CostRecommendations
    /// Budgets (agent, role, fleet) whose period at the report's instant is forecast to end over
    /// the budget, most over first.
    public var budgetsForecastOver: [BudgetStatus] = []
}
