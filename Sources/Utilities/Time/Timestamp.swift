/// An instant in UTC with microsecond precision, stored as microseconds since the Unix epoch.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z (negative before).
    public var microseconds: Int64

    /// The Unix epoch, 1970-01-01T00:00:00Z.
    public static let epoch = Timestamp(microseconds: 0)

    /// Wraps microseconds since the Unix epoch.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// Parses a strict ISO 8601 timestamp with a required offset (see ``UTCTime/parseISO8601(_:)``).
    public init?(iso8601 text: some StringProtocol) {
        guard let us = UTCTime.parseISO8601(text) else { return nil }
        microseconds = us
    }

    /// Canonical UTC text such as `2025-11-17T14:30:00.250Z` (see ``UTCTime/formatISO8601(_:)``).
    public var iso8601: String { UTCTime.formatISO8601(microseconds) }

    /// Same as ``iso8601``.
    public var description: String { iso8601 }

    /// Start of the `granularity` bucket containing this instant.
    public func floor(to granularity: Granularity) -> Timestamp {
        Timestamp(microseconds: granularity.floor(microseconds))
    }

    /// Orders by instant.
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }
}
