/// A finite decimal number `(-1)^isNegative × digits × 10^exponent`, built from the shortest round-trip
/// representation of a `Double`; the digit arithmetic behind ``Rounding``.
struct ShortestDecimal {
    /// Any decimal exponent beyond ±`exponentLimit` is irrelevant for a `Double`, whose shortest representation
    /// has digits only between 10^-324 and 10^308.
    static let exponentLimit = 400

    var isNegative: Bool
    /// Decimal digits (each `0...9`) without leading zeros; empty means zero.
    var digits: [UInt8]
    var exponent: Int

    init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
    }

    /// Parses `value.description`, e.g. `"-123.45"`, `"1e-05"`, `"5e+20"` or `"0.30000000000000004"`.
    ///
    /// - Precondition: `value` is finite.
    init(_ value: Double) {
        var isNegative = false
        var digits: [UInt8] = []
        var fractionDigitCount = 0
        var seenPoint = false
        var exponentText = ""
        var inExponent = false
        for character in value.description.utf8 {
            if inExponent {
                exponentText.unicodeScalars.append(Unicode.Scalar(character))
                continue
            }
            switch character {
            case UInt8(ascii: "-"):
                isNegative = true
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                // Leading zeros carry no value; only their position after the point matters.
                if !digits.isEmpty || character != UInt8(ascii: "0") {
                    digits.append(character - UInt8(ascii: "0"))
                }
                if seenPoint { fractionDigitCount += 1 }
            default:
                preconditionFailure("Unexpected character in Double description \(value.description)")
            }
        }
        var explicitExponent = 0
        if inExponent {
            guard let parsed = Int(exponentText) else {
                preconditionFailure("Unexpected exponent in Double description \(value.description)")
            }
            explicitExponent = parsed
        }
        self.init(isNegative: isNegative, digits: digits, exponent: explicitExponent - fractionDigitCount)
    }

    /// The exponent of the most significant digit, like Python's `Decimal.adjusted()`.
    var adjustedExponent: Int {
        exponent + digits.count - 1
    }

    /// Rounds to a multiple of `10^newExponent`, ties away from zero (Python's `quantize` with `ROUND_HALF_UP`).
    /// The result always has exponent `newExponent`, like `quantize`.
    func rounded(toExponent newExponent: Int) -> ShortestDecimal {
        if newExponent <= exponent {
            // Exact: pad with zeros (irrelevant for the value, needed for the plain-text output).
            let padding = digits.isEmpty ? 0 : exponent - newExponent
            return ShortestDecimal(
                isNegative: isNegative,
                digits: digits + repeatElement(0, count: padding),
                exponent: newExponent
            )
        }
        let dropCount = newExponent - exponent
        guard dropCount <= digits.count else {
            // Everything that is dropped lies below half a unit of the new last place.
            return ShortestDecimal(isNegative: isNegative, digits: [], exponent: newExponent)
        }
        var kept = Array(digits[..<(digits.count - dropCount)])
        if digits[digits.count - dropCount] >= 5 {
            var index = kept.count - 1
            while index >= 0 && kept[index] == 9 {
                kept[index] = 0
                index -= 1
            }
            if index >= 0 {
                kept[index] += 1
            } else {
                kept.insert(1, at: 0)
            }
        }
        if let firstNonZero = kept.firstIndex(where: { $0 != 0 }) {
            kept.removeFirst(firstNonZero)
        } else {
            kept.removeAll()
        }
        return ShortestDecimal(isNegative: isNegative, digits: kept, exponent: newExponent)
    }

    /// The correctly rounded `Double` nearest to this decimal (overflowing to ±infinity).
    var doubleValue: Double {
        var text = isNegative ? "-" : ""
        if digits.isEmpty {
            text += "0"
        } else {
            text += String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
            text += "e\(exponent)"
        }
        guard let value = Double(text) else {
            preconditionFailure("Cannot parse generated decimal text \(text)")
        }
        return value
    }

    /// Plain notation with `fractionDigits` digits after the point.
    ///
    /// - Precondition: `exponent == -fractionDigits` when `fractionDigits > 0`, and `exponent >= 0` otherwise.
    func plainText(fractionDigits: Int) -> String {
        var characters: [UInt8] = digits.map { $0 + UInt8(ascii: "0") }
        if fractionDigits == 0 {
            if characters.isEmpty {
                characters = [UInt8(ascii: "0")]
            } else {
                characters.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
            }
        } else {
            if characters.count <= fractionDigits {
                let padding = fractionDigits + 1 - characters.count
                characters.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: padding), at: 0)
            }
            characters.insert(UInt8(ascii: "."), at: characters.count - fractionDigits)
        }
        if isNegative { characters.insert(UInt8(ascii: "-"), at: 0) }
        return String(decoding: characters, as: UTF8.self)
    }
}
