import Utilities

/// Every threshold of the contract's §3–§4, as one document (defaults are the contract's values).
public struct Rules: Sendable, Equatable {
    public var pauseMaxTasks: Int64 = 5
    public var reviewMinCostUSD: Double = 10
    public var reviewMaxQuality: Double = 60
    public var reduceMaxUtilizationPercent: Double = 25
    public var reduceMaxTasks: Int64 = 20
    public var increaseMinQuality: Double = 85
    public var increaseMinUtilizationPercent: Double = 80
    public var recommendationWindowDays: Int64 = 30
    public var degradationLookbackDays: Int64 = 7
    public var outlierZThreshold: Double = 3
    public var outlierMinimumSample: Int64 = 10
    public var outlierWindowDays: Int64 = 7
    /// How often the scheduler evaluates (minutes; divides a day, so boundaries fall on the hour grid).
    public var evaluationIntervalMinutes: Int64 = 60
    /// What a budget gets when its request leaves a field out.
    public var budgetWarningPercent: Double = 80
    public var budgetCriticalPercent: Double = 100
    public var budgetPeriod: BudgetPeriodKind = .monthly
    /// Metric events older than this many days are archived and removed from the log.
    public var retentionMetricsDays: Int64 = 90
    /// Hourly rollups older than this many days are dropped.
    public var retentionRollupDays: Int64 = 730
    /// Model prices: what a metric that names a model and leaves its cost out costs (empty: none).
    public var prices = PriceTable()

    public static let defaults = Rules()

    public init() {}

    /// The rules as a JSON document.
    public var document: JSONValue {
        .object([
            "recommendations": .object([
                "pause_max_tasks": .int(pauseMaxTasks),
                "review_min_cost_usd": .double(reviewMinCostUSD),
                "review_max_quality": .double(reviewMaxQuality),
                "reduce_max_utilization_percent": .double(reduceMaxUtilizationPercent),
                "reduce_max_tasks": .int(reduceMaxTasks),
                "increase_min_quality": .double(increaseMinQuality),
                "increase_min_utilization_percent": .double(increaseMinUtilizationPercent),
                "window_days": .int(recommendationWindowDays),
            ]),
            "evaluator": .object([
                "degradation_lookback_days": .int(degradationLookbackDays),
                "outlier_z_threshold": .double(outlierZThreshold),
                "outlier_minimum_sample": .int(outlierMinimumSample),
                "outlier_window_days": .int(outlierWindowDays),
                "evaluation_interval_minutes": .int(evaluationIntervalMinutes),
            ]),
            "budgets": .object([
                "warning_threshold_percent": .double(budgetWarningPercent),
                "critical_threshold_percent": .double(budgetCriticalPercent),
                "period": .string(budgetPeriod.rawValue),
            ]),
            "retention": .object([
                "metrics_days": .int(retentionMetricsDays),
                "rollup_days": .int(retentionRollupDays),
            ]),
            "prices": prices.document,
        ])
    }

    /// A rules document that does not hold up, naming the field.
    public struct Invalid: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// Parses and validates a document; fields it omits keep their defaults.
    public init(document text: String) throws(Invalid) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch { throw Invalid(field: "", message: "not JSON: \(error)") }
        try self.init(json: value)
    }

    public init(json: JSONValue) throws(Invalid) {
        guard let root = json.objectValue else { throw Invalid(field: "", message: "the rules must be an object") }
        for key in root.keys where !["recommendations", "evaluator", "budgets", "retention", "prices"].contains(key) {
            throw Invalid(field: key, message: "unknown section \(key)")
        }
        if let section = root["recommendations"] {
            guard let s = section.objectValue else {
                throw Invalid(field: "recommendations", message: "must be an object")
            }
            for (key, value) in s {
                let field = "recommendations.\(key)"
                switch key {
                case "pause_max_tasks": pauseMaxTasks = try Self.count(value, field)
                case "review_min_cost_usd": reviewMinCostUSD = try Self.number(value, field, max: Money.maximumUSD)
                case "review_max_quality": reviewMaxQuality = try Self.number(value, field, max: 100)
                case "reduce_max_utilization_percent":
                    reduceMaxUtilizationPercent = try Self.number(value, field, max: 1e6)
                case "reduce_max_tasks": reduceMaxTasks = try Self.count(value, field)
                case "increase_min_quality": increaseMinQuality = try Self.number(value, field, max: 100)
                case "increase_min_utilization_percent":
                    increaseMinUtilizationPercent = try Self.number(value, field, max: 1e6)
                case "window_days": recommendationWindowDays = try Self.days(value, field)
                default: throw Invalid(field: field, message: "unknown rule \(key)")
                }
            }
        }
        if let section = root["evaluator"] {
            guard let s = section.objectValue else { throw Invalid(field: "evaluator", message: "must be an object") }
            for (key, value) in s {
                let field = "evaluator.\(key)"
                switch key {
                case "degradation_lookback_days": degradationLookbackDays = try Self.days(value, field)
                case "outlier_z_threshold":
                    outlierZThreshold = try Self.number(value, field, max: 100)
                    if outlierZThreshold <= 0 { throw Invalid(field: field, message: "must be positive") }
                case "outlier_minimum_sample":
                    outlierMinimumSample = try Self.count(value, field)
                    if outlierMinimumSample < 3 { throw Invalid(field: field, message: "must be at least 3") }
                case "outlier_window_days": outlierWindowDays = try Self.days(value, field)
                case "evaluation_interval_minutes":
                    guard let minutes = value.int64Value, minutes >= 1, minutes <= 1_440, 1_440 % minutes == 0 else {
                        throw Invalid(
                            field: field, message: "must be a whole number of minutes that divides a day (1 to 1440)")
                    }
                    evaluationIntervalMinutes = minutes
                default: throw Invalid(field: field, message: "unknown rule \(key)")
                }
            }
        }
        if let section = root["budgets"] {
            guard let s = section.objectValue else { throw Invalid(field: "budgets", message: "must be an object") }
            for (key, value) in s {
                let field = "budgets.\(key)"
                switch key {
                case "warning_threshold_percent":
                    budgetWarningPercent = try Self.number(value, field, max: 1e6)
                    if budgetWarningPercent <= 0 { throw Invalid(field: field, message: "must be positive") }
                case "critical_threshold_percent": budgetCriticalPercent = try Self.number(value, field, max: 1e6)
                case "period":
                    guard let text = value.stringValue, let period = BudgetPeriodKind(rawValue: text) else {
                        throw Invalid(field: field, message: "must be daily, weekly, monthly or total")
                    }
                    budgetPeriod = period
                default: throw Invalid(field: field, message: "unknown rule \(key)")
                }
            }
            if budgetCriticalPercent <= budgetWarningPercent {
                throw Invalid(
                    field: "budgets.critical_threshold_percent",
                    message: "must be above budgets.warning_threshold_percent")
            }
        }
        if let section = root["retention"] {
            guard let s = section.objectValue else { throw Invalid(field: "retention", message: "must be an object") }
            for (key, value) in s {
                let field = "retention.\(key)"
                switch key {
                case "metrics_days": retentionMetricsDays = try Self.days(value, field, max: 3_650)
                case "rollup_days": retentionRollupDays = try Self.days(value, field, max: 36_500)
                default: throw Invalid(field: field, message: "unknown rule \(key)")
                }
            }
            if retentionRollupDays < retentionMetricsDays {
                throw Invalid(
                    field: "retention.rollup_days",
                    message: "must be at least retention.metrics_days (\(retentionMetricsDays))")
            }
        }
        if let section = root["prices"] {
            prices = try PriceTable(json: section)
        }
    }

    private static func number(_ value: JSONValue, _ field: String, max: Double) throws(Invalid) -> Double {
        guard let d = value.doubleValue, d.isFinite, d >= 0, d <= max else {
            throw Invalid(field: field, message: "must be a number between 0 and \(max)")
        }
        return d
    }

    private static func count(_ value: JSONValue, _ field: String) throws(Invalid) -> Int64 {
        guard let i = value.int64Value, i >= 0, i <= 1_000_000_000 else {
            throw Invalid(field: field, message: "must be a non-negative integer")
        }
        return i
    }

    private static func days(_ value: JSONValue, _ field: String, max: Int64 = 365) throws(Invalid) -> Int64 {
        guard let i = value.int64Value, i >= 1, i <= max else {
            throw Invalid(field: field, message: "must be an integer from 1 to \(max)")
        }
        return i
    }
}
