extension UTCTime {
    /// Parses a strict RFC 3339 / ISO 8601 timestamp into microseconds since the epoch.
    ///
    /// Format: `YYYY-MM-DDTHH:MM:SS[.f…]` followed by a required offset `Z`, `z`, `+HH:MM` or `-HH:MM`.
    /// The separator is `T` or `t`; the fraction has 1–9 digits (truncated to microseconds);
    /// year 1–9999, valid month/day (leap years included), hour 0–23, minute 0–59, second 0–59
    /// (no leap second), offset hours 0–23 and minutes 0–59. Returns `nil` for anything else.
    public static func parseISO8601(_ text: some StringProtocol) -> Int64? {
        let utf8 = text.utf8
        // The longest valid form is 35 bytes; don't copy arbitrarily long garbage.
        guard utf8.count <= 35 else { return nil }
        if let result = utf8.withContiguousStorageIfAvailable(parseISO8601UTF8) {
            return result
        }
        return Array(utf8).withUnsafeBufferPointer(parseISO8601UTF8)
    }

    /// Formats `us` canonically in UTC: `2025-11-17T14:30:00Z`, with `.mmm` when the sub-second part
    /// is a whole number of milliseconds and `.uuuuuu` otherwise (`…:00.120Z`, `…:00.000123Z`).
    /// Years outside 0–9999 (beyond what ``parseISO8601(_:)`` accepts) are written with a sign.
    public static func formatISO8601(_ us: Int64) -> String {
        let days = dayIndex(us)
        let date = civilFromDays(days)
        let time = timeOfDay(us)
        let seconds = Int(time / microsecondsPerSecond)
        let fraction = Int(time % microsecondsPerSecond)

        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        func appendDigits(_ value: Int, width: Int) {
            var divisor = decimalPower(width - 1)
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }

        if date.year < 0 {
            bytes.append(UInt8(ascii: "-"))
        } else if date.year > 9999 {
            bytes.append(UInt8(ascii: "+"))
        }
        let yearMagnitude = abs(date.year)
        var yearWidth = 4
        while yearWidth < 18 && yearMagnitude >= decimalPower(yearWidth) { yearWidth += 1 }
        appendDigits(yearMagnitude, width: yearWidth)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(date.month, width: 2)
        bytes.append(UInt8(ascii: "-"))
        appendDigits(date.day, width: 2)
        bytes.append(UInt8(ascii: "T"))
        appendDigits(seconds / 3600, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(seconds / 60 % 60, width: 2)
        bytes.append(UInt8(ascii: ":"))
        appendDigits(seconds % 60, width: 2)
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            if fraction % 1000 == 0 {
                appendDigits(fraction / 1000, width: 3)
            } else {
                appendDigits(fraction, width: 6)
            }
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func parseISO8601UTF8(_ s: UnsafeBufferPointer<UInt8>) -> Int64? {
        // Fixed-width prefix: YYYY-MM-DDTHH:MM:SS (19 bytes) plus at least one offset byte.
        guard s.count >= 20,
            s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
            s[10] == UInt8(ascii: "T") || s[10] == UInt8(ascii: "t"),
            s[13] == UInt8(ascii: ":"), s[16] == UInt8(ascii: ":"),
            let year = digits(s, 0, 4), let month = digits(s, 5, 2), let day = digits(s, 8, 2),
            let hour = digits(s, 11, 2), let minute = digits(s, 14, 2), let second = digits(s, 17, 2)
        else { return nil }

        var i = 19
        var microsecond = 0
        if s[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < s.count, i - fractionStart < 10, let digit = digitValue(s[i]) {
                if i - fractionStart < 6 {
                    microsecond = microsecond * 10 + digit
                }
                i += 1
            }
            let fractionDigits = i - fractionStart
            guard (1...9).contains(fractionDigits) else { return nil }
            for _ in fractionDigits..<max(fractionDigits, 6) { microsecond *= 10 }
        }

        guard i < s.count else { return nil }
        var offsetMicroseconds: Int64 = 0
        switch s[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard s.count - i >= 6, s[i + 3] == UInt8(ascii: ":"),
                let offsetHours = digits(s, i + 1, 2), let offsetMinutes = digits(s, i + 4, 2),
                offsetHours <= 23, offsetMinutes <= 59
            else { return nil }
            offsetMicroseconds =
                Int64(offsetHours) * microsecondsPerHour + Int64(offsetMinutes) * microsecondsPerMinute
            if s[i] == UInt8(ascii: "-") { offsetMicroseconds = -offsetMicroseconds }
            i += 6
        default:
            return nil
        }
        guard i == s.count,
            let local = instant(
                year: year, month: month, day: day,
                hour: hour, minute: minute, second: second, microsecond: microsecond)
        else { return nil }
        return local - offsetMicroseconds
    }

    /// 10^exponent.
    private static func decimalPower(_ exponent: Int) -> Int {
        var result = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    private static func digitValue(_ byte: UInt8) -> Int? {
        let value = byte &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    /// The decimal value of `count` ASCII digits at `start`, or `nil` if any is not a digit.
    private static func digits(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for i in start..<(start + count) {
            guard let digit = digitValue(s[i]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
