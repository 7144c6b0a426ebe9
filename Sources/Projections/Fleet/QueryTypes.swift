import Utilities

/// A window of metric timestamps, both bounds inclusive (§1 Time windows).
public struct TimeWindow: Sendable, Equatable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// The default window: `[as_of − 30 days, as_of]`, each bound overridable.
    public init(asOf: Int64, start: Int64?, end: Int64?) {
        self.start = start ?? asOf - 30 * UTCTime.microsecondsPerDay
        self.end = end ?? asOf
    }
}

/// A metric the statistics endpoints take (§3 Percentiles, Outliers).
public enum StatisticMetric: String, Sendable, CaseIterable {
    case executionTime = "execution_time"
    case cost
    case qualityScore = "quality_score"
    case tokens

    var isUSD: Bool { self == .cost }
}

/// A metric the trend endpoint takes (§3 Trends).
public enum TrendMetric: String, Sendable, CaseIterable {
    case executionTime = "execution_time"
    case cost
    case successRate = "success_rate"
    case qualityScore = "quality_score"

    var lowerIsBetter: Bool { self == .executionTime || self == .cost }
}

/// Trend labels (§3 Trends).
public enum TrendLabel: String, Sendable {
    case improving, degrading, stable
    case insufficientData = "insufficient_data"
}

/// A fitted trend (unrounded).
public struct TrendFit: Sendable, Equatable {
    public var label: TrendLabel
    public var slope: Double?
    public var rSquared: Double?
    public var pValue: Double?
    public var dataPoints: Int
    /// Mean of the last day's values, and of all values (for degradation alerts).
    public var lastDayMean: Double?
    public var overallMean: Double?

    /// Fits y over x (days) as §3 Trends says.
    public static func fit(days: [Int64], means: [Double], allValuesMean: Double?, metric: TrendMetric) -> TrendFit {
        let n = days.count
        let x = days.map(Double.init)
        if n < 5 || Set(days).count == 1 {
            return TrendFit(
                label: .insufficientData, slope: nil, rSquared: nil, pValue: nil, dataPoints: n,
                lastDayMean: means.last, overallMean: allValuesMean)
        }
        var slope = 0.0
        var r2 = 0.0
        var p = 1.0
        if !means.allSatisfy({ $0 == means[0] }), let fit = Statistics.linearRegression(x: x, y: means) {
            slope = fit.slope
            r2 = fit.rSquared
            p = fit.pValue
        }
        let label: TrendLabel
        if p >= 0.05 || slope == 0 || p.isNaN {
            label = .stable
        } else {
            label = (slope < 0) == metric.lowerIsBetter ? .improving : .degrading
        }
        return TrendFit(
            label: label, slope: slope, rSquared: r2, pValue: p, dataPoints: n, lastDayMean: means.last,
            overallMean: allValuesMean)
    }
}

/// A query that cannot be answered as asked.
public enum QueryError: Error, Sendable, Equatable {
    case notFound(String)
    case invalidParameter(field: String, message: String)
}
