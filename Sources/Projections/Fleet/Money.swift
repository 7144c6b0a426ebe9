import Utilities

/// Exact money: USD amounts are held as integer nano-dollars.
public enum Money {
    /// Nano-dollars per dollar.
    public static let nanosPerDollar: Int64 = 1_000_000_000
    /// The largest USD amount accepted (keeps nano-dollars exact in a Double round trip).
    public static let maximumUSD: Double = 1_000_000_000

    /// The nano-dollars of a USD amount (at most 9 decimals are kept, half away from zero);
    /// nil when the amount is not finite, negative or too large.
    public static func nanos(fromUSD usd: Double) -> Int64? {
        guard usd.isFinite, usd >= 0, usd <= maximumUSD else { return nil }
        let scaled = Rounding.halfAwayFromZero(usd, places: 9) * 1e9
        return Int64(scaled.rounded(.toNearestOrAwayFromZero))
    }

    /// The USD value of nano-dollars.
    public static func usd(_ nanos: Int64) -> Double {
        Double(nanos) / 1e9
    }

    /// The USD value of a 128-bit sum of nano-dollars.
    public static func usd(_ nanos: Int128) -> Double {
        Double(nanos) / 1e9
    }
}
