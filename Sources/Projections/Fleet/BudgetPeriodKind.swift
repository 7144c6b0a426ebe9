import Utilities

/// The reset period of a budget.
public enum BudgetPeriodKind: String, Sendable, CaseIterable {
    /// Resets every UTC day at 00:00.
    case daily
    /// Resets every Monday at 00:00 UTC.
    case weekly
    /// Resets on the 1st of every month at 00:00 UTC.
    case monthly
    /// Never resets.
    case total

    /// The bucket granularity matching this period, or `nil` for ``total``.
    public var granularity: Granularity? {
        switch self {
        case .daily: .day
        case .weekly: .week
        case .monthly: .month
        case .total: nil
        }
    }

    /// The period containing `us` as `[start, end)` (end is the next period's start); `nil` for ``total``.
    public func bounds(containing us: Int64) -> (start: Int64, end: Int64)? {
        guard let granularity else { return nil }
        let start = granularity.floor(us)
        return (start, granularity.next(start))
    }
}
