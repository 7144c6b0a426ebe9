/// Width of a time bucket used to aggregate instants (UTC; weeks start Monday).
public enum Granularity: String, Sendable, CaseIterable {
    /// One UTC hour.
    case hour
    /// One UTC day.
    case day
    /// One ISO week, Monday 00:00 UTC to the next Monday.
    case week
    /// One calendar month, starting on the 1st at 00:00 UTC.
    case month

    /// Start of the bucket containing `us`.
    public func floor(_ us: Int64) -> Int64 {
        switch self {
        case .hour: UTCTime.hourFloor(us)
        case .day: UTCTime.dayFloor(us)
        case .week: UTCTime.isoWeekFloor(us)
        case .month: UTCTime.monthFloor(us)
        }
    }

    /// Start of the bucket after the one starting at `start` (`start` should be a bucket start).
    public func next(_ start: Int64) -> Int64 {
        switch self {
        case .hour: start.addingSaturating(UTCTime.microsecondsPerHour)
        case .day: start.addingSaturating(UTCTime.microsecondsPerDay)
        case .week: start.addingSaturating(UTCTime.microsecondsPerWeek)
        case .month: UTCTime.nextMonth(start)
        }
    }

    /// Starts of every bucket from the one containing `start` through the one containing `end`
    /// (inclusive), in ascending order; empty when `end < start`, `nil` when there would be
    /// more than `limit` buckets.
    public func bucketStarts(from start: Int64, to end: Int64, limit: Int) -> [Int64]? {
        guard start <= end else { return [] }
        let last = floor(end)
        var current = floor(start)
        var starts: [Int64] = []
        while current <= last {
            guard starts.count < limit else { return nil }
            starts.append(current)
            let following = next(current)
            guard following > current else { break }  // saturated at Int64.max
            current = following
        }
        return starts
    }
}

extension Int64 {
    /// `self + other`, clamped to `Int64`'s range instead of trapping.
    public func addingSaturating(_ other: Int64) -> Int64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other < 0 ? .min : .max) : sum
    }
}
