import Utilities

/// Output helpers applying the contract's rounding (§1).
enum Format {
    static func r2(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.halfAwayFromZero(x, places: 2))
    }

    static func r4(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.halfAwayFromZero(x, places: 4))
    }

    static func significant(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .double(Rounding.significant(x, digits: 6))
    }

    static func usd(_ nanos: Int64) -> JSONValue { r4(Money.usd(nanos)) }
    static func usd(_ nanos: Int128) -> JSONValue { r4(Money.usd(nanos)) }

    static func time(_ us: Int64?) -> JSONValue {
        guard let us else { return .null }
        return .string(UTCTime.formatISO8601(us))
    }

    static func string(_ s: String?) -> JSONValue {
        guard let s else { return .null }
        return .string(s)
    }
}
