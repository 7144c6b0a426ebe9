/// Decimal rounding of `Double` values that matches Python's `decimal` module.
///
/// Every function works on the *shortest round-trip decimal representation* of its input (Swift's
/// `Double.description`, which produces the same digits as Python's `repr`), and rounds that decimal string
/// with digit arithmetic using "round half up" semantics, i.e. ties go away from zero. This is what
///
/// ```python
/// Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
/// ```
///
/// does, and it differs from the naive `(x * 100).rounded() / 100`: `1.005` is stored as
/// `1.00499999999999989...`, but its shortest representation is `"1.005"`, so it rounds to `1.01` here.
public enum Rounding {
    /// The largest `places` accepted by ``fixed(_:places:)`` (the text contains that many digits).
    private static let maximumFixedPlaces = 1 << 20

    /// Rounds `x` to `places` decimal places, with ties going away from zero, applied to the shortest decimal
    /// representation of `x`.
    ///
    /// Equivalent to Python's
    /// `float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))`
    /// (evaluated with enough decimal precision that `quantize` never fails).
    ///
    /// - Parameters:
    ///   - x: The value to round. Non-finite values (NaN, ±infinity) are returned unchanged.
    ///   - places: Number of digits to keep after the decimal point. Negative values round to tens, hundreds,
    ///     and so on (`places: -2` rounds `1250` to `1300`).
    /// - Returns: The nearest `Double` to the rounded decimal value. The sign of the input is kept, so
    ///   `-0.004` rounds to `-0.0` at two places.
    public static func halfAwayFromZero(_ x: Double, places: Int) -> Double {
        guard x.isFinite else { return x }
        // A shortest representation has digits only between 10^-324 and 10^308, so very large or very
        // small `places` values are clamped to keep the exponent arithmetic far away from overflow.
        if places >= ShortestDecimal.exponentLimit { return x }
        let exponent = -max(places, -ShortestDecimal.exponentLimit)
        let decimal = ShortestDecimal(x)
        // Nothing to drop: the decimal already is `x`'s exact round-trip value.
        if exponent <= decimal.exponent { return x }
        return decimal.rounded(toExponent: exponent).doubleValue
    }

    /// Rounds an optional value with ``halfAwayFromZero(_:places:)``; `nil` stays `nil`.
    ///
    /// - Parameters:
    ///   - x: The value to round, or `nil`.
    ///   - places: Number of digits to keep after the decimal point.
    /// - Returns: The rounded value, or `nil` when `x` is `nil`.
    public static func optional(_ x: Double?, places: Int) -> Double? {
        x.map { halfAwayFromZero($0, places: places) }
    }

    /// Rounds `x` to `digits` significant digits, with ties going away from zero, applied to the shortest decimal
    /// representation of `x`.
    ///
    /// Equivalent to the Python helper
    ///
    /// ```python
    /// def sig(x, digits):
    ///     if x == 0:
    ///         return 0.0
    ///     d = Decimal(repr(x))
    ///     q = Decimal(1).scaleb(d.adjusted() - digits + 1)
    ///     return float(d.quantize(q, rounding=ROUND_HALF_UP))
    /// ```
    ///
    /// For example `significant(0.0012345, digits: 3) == 0.00123` and `significant(99.96, digits: 3) == 100`.
    ///
    /// - Parameters:
    ///   - x: The value to round. Zero (of either sign) gives `0.0`; non-finite values are returned unchanged.
    ///   - digits: Number of significant digits to keep. Values `<= 0` round to a power of ten above the leading
    ///     digit, exactly as the Python expression does.
    /// - Returns: The nearest `Double` to the rounded decimal value.
    public static func significant(_ x: Double, digits: Int) -> Double {
        guard x.isFinite else { return x }
        if x == 0 { return 0 }
        // The shortest representation has at most 17 significant digits.
        if digits >= ShortestDecimal.exponentLimit { return x }
        let decimal = ShortestDecimal(x)
        let exponent = decimal.adjustedExponent - max(digits, -ShortestDecimal.exponentLimit) + 1
        return decimal.rounded(toExponent: exponent).doubleValue
    }

    /// Formats `x` in plain (never exponential) notation with exactly `places` digits after the decimal point,
    /// rounding half away from zero on the shortest decimal representation of `x`.
    ///
    /// Equivalent to Python's
    /// `format(Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")`,
    /// which is the same text as `str(...)` whenever `str` does not switch to exponent notation:
    ///
    /// ```swift
    /// Rounding.fixed(14.5, places: 2)   // "14.50"
    /// Rounding.fixed(58.25, places: 1)  // "58.3"
    /// Rounding.fixed(-0.05, places: 1)  // "-0.1"
    /// Rounding.fixed(1e22, places: 0)   // "10000000000000000000000"
    /// ```
    ///
    /// Like Python's `Decimal`, a negative input keeps its sign even when it rounds to zero
    /// (`fixed(-0.004, places: 2) == "-0.00"`).
    ///
    /// - Parameters:
    ///   - x: The value to format. Non-finite values produce `"nan"`, `"inf"` or `"-inf"`.
    ///   - places: Number of digits after the decimal point, at most 2²⁰ (1 048 576). A negative value
    ///     rounds to tens, hundreds, … and prints an integer without a decimal point.
    /// - Returns: The formatted text.
    public static func fixed(_ x: Double, places: Int) -> String {
        precondition(places <= maximumFixedPlaces, "Rounding.fixed: \(places) places is more than supported")
        guard x.isFinite else { return x.description }
        let exponent = -max(places, -ShortestDecimal.exponentLimit)
        return ShortestDecimal(x).rounded(toExponent: exponent).plainText(fractionDigits: max(places, 0))
    }
}
