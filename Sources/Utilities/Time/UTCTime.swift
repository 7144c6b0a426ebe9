/// UTC calendar arithmetic on instants expressed as `Int64` microseconds since the Unix epoch.
///
/// Uses the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil` / `civil_from_days`),
/// floor division throughout (so instants before 1970 work), and no Foundation. Functions that
/// return instants saturate at `Int64.min` / `Int64.max` instead of trapping when the exact result
/// (roughly beyond ±292,000 years) is not representable.
public enum UTCTime {
    /// 1,000,000.
    public static let microsecondsPerSecond: Int64 = 1_000_000
    /// 60,000,000.
    public static let microsecondsPerMinute: Int64 = 60 * microsecondsPerSecond
    /// 3,600,000,000.
    public static let microsecondsPerHour: Int64 = 60 * microsecondsPerMinute
    /// 86,400,000,000.
    public static let microsecondsPerDay: Int64 = 24 * microsecondsPerHour
    /// 604,800,000,000.
    public static let microsecondsPerWeek: Int64 = 7 * microsecondsPerDay

    // MARK: - Civil calendar

    /// Whether `year` is a Gregorian leap year.
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in `month` (1–12) of `year`; 0 for an invalid month.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Days since 1970-01-01 of the civil date `year-month-day` (month 1–12, day 1–31; not range-checked).
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        // Keep the arithmetic far from overflow; such years are outside Int64 microseconds anyway.
        let y = Int64(clamping: year).clamped(to: -10_000_000...10_000_000) - (month <= 2 ? 1 : 0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400  // [0, 399]
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1  // [0, 365]
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear  // [0, 146096]
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of `days` since 1970-01-01.
    public static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days.clamped(to: -4_000_000_000...4_000_000_000) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097  // [0, 146096]
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365  // [0, 399]
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)  // [0, 365]
        let mp = (5 * dayOfYear + 2) / 153  // [0, 11], March-based
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    /// The instant for a UTC civil date and time, or `nil` if any field is out of range
    /// (year 1–9999, month 1–12, valid day, hour 0–23, minute 0–59, second 0–59, microsecond 0–999999).
    public static func instant(
        year: Int,
        month: Int,
        day: Int,
        hour: Int = 0,
        minute: Int = 0,
        second: Int = 0,
        microsecond: Int = 0
    ) -> Int64? {
        guard (1...9999).contains(year), (1...12).contains(month),
            (1...daysInMonth(year: year, month: month)).contains(day),
            (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
            (0...999_999).contains(microsecond)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let timeOfDay =
            Int64(hour) * microsecondsPerHour + Int64(minute) * microsecondsPerMinute
            + Int64(second) * microsecondsPerSecond + Int64(microsecond)
        return days * microsecondsPerDay + timeOfDay
    }

    // MARK: - Decomposition

    /// `floor(us / 86_400_000_000)`: days since 1970-01-01 (negative before 1970).
    public static func dayIndex(_ us: Int64) -> Int64 {
        floorDivide(us, microsecondsPerDay)
    }

    /// Microseconds elapsed since the start of the UTC day, in `0..<86_400_000_000`.
    public static func timeOfDay(_ us: Int64) -> Int64 {
        floorModulo(us, microsecondsPerDay)
    }

    /// The UTC calendar date containing `us`.
    public static func yearMonthDay(_ us: Int64) -> (year: Int, month: Int, day: Int) {
        civilFromDays(dayIndex(us))
    }

    /// The UTC hour (0–23) containing `us`.
    public static func hourOfDay(_ us: Int64) -> Int {
        Int(timeOfDay(us) / microsecondsPerHour)
    }

    /// ISO weekday of `us`: 1 = Monday … 7 = Sunday.
    public static func isoWeekday(_ us: Int64) -> Int {
        weekdayIndex(dayIndex(us)) + 1
    }

    /// ISO 8601 week-numbering year and week (1–53) containing `us`.
    public static func isoWeek(_ us: Int64) -> (year: Int, week: Int) {
        let days = dayIndex(us)
        let thursday = days - Int64(weekdayIndex(days)) + 3
        let year = civilFromDays(thursday).year
        let week = (thursday - daysFromCivil(year: year, month: 1, day: 1)) / 7 + 1
        return (year, Int(week))
    }

    /// Number of ISO weeks (52 or 53) in ISO week-numbering `year`.
    public static func isoWeeksInYear(_ year: Int) -> Int {
        Int((isoWeek1Monday(year + 1) - isoWeek1Monday(year)) / 7)
    }

    /// Start (Monday 00:00 UTC) of ISO `week` of `year`, e.g. `2025-W46`; `nil` unless
    /// year is 1–9999 and week is 1–52/53 as that year allows.
    public static func isoWeekStart(year: Int, week: Int) -> Int64? {
        guard (1...9999).contains(year), (1...isoWeeksInYear(year)).contains(week) else { return nil }
        return (isoWeek1Monday(year) + Int64(week - 1) * 7) * microsecondsPerDay
    }

    // MARK: - Floors and steps

    /// Start of the UTC hour containing `us`.
    public static func hourFloor(_ us: Int64) -> Int64 {
        let (start, overflow) = us.subtractingReportingOverflow(floorModulo(us, microsecondsPerHour))
        return overflow ? .min : start
    }

    /// Start (00:00 UTC) of the day containing `us`.
    public static func dayFloor(_ us: Int64) -> Int64 {
        instant(days: dayIndex(us))
    }

    /// Start (Monday 00:00 UTC) of the ISO week containing `us`.
    public static func isoWeekFloor(_ us: Int64) -> Int64 {
        let days = dayIndex(us)
        return instant(days: days - Int64(weekdayIndex(days)))
    }

    /// Start (1st, 00:00 UTC) of the month containing `us`.
    public static func monthFloor(_ us: Int64) -> Int64 {
        let date = yearMonthDay(us)
        return instant(days: daysFromCivil(year: date.year, month: date.month, day: 1))
    }

    /// Start of the month after the one containing `us`.
    public static func nextMonth(_ us: Int64) -> Int64 {
        let date = yearMonthDay(us)
        let (year, month) = date.month == 12 ? (date.year + 1, 1) : (date.year, date.month + 1)
        return instant(days: daysFromCivil(year: year, month: month, day: 1))
    }

    /// `us` moved by `months` calendar months (negative moves back), keeping the time of day;
    /// the day of month is clamped to the target month's length (Jan 31 + 1 month → Feb 28/29).
    public static func addingMonths(_ us: Int64, _ months: Int) -> Int64 {
        let date = yearMonthDay(us)
        let monthIndex = Int64(date.year) * 12 + Int64(date.month - 1)
        let target = monthIndex.addingReportingOverflow(Int64(clamping: months))
        if target.overflow { return months < 0 ? .min : .max }
        let year = Int(clamping: floorDivide(target.partialValue, 12))
        let month = Int(floorModulo(target.partialValue, 12)) + 1
        let day = min(date.day, daysInMonth(year: year, month: month))
        return instant(days: daysFromCivil(year: year, month: month, day: day), plus: timeOfDay(us))
    }

    // MARK: - Helpers

    /// Floor division (rounds toward negative infinity); `divisor` must be positive.
    public static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let (q, r) = value.quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? q - 1 : q
    }

    /// Modulo with a result in `0..<divisor`; `divisor` must be positive.
    static func floorModulo(_ value: Int64, _ divisor: Int64) -> Int64 {
        let r = value % divisor
        return r < 0 ? r + divisor : r
    }

    /// Monday = 0 … Sunday = 6 for a day index (1970-01-01 was a Thursday).
    static func weekdayIndex(_ days: Int64) -> Int {
        Int(floorModulo(days + 3, 7))
    }

    /// Day index of the Monday starting ISO week 1 of `year` (the week containing January 4th).
    static func isoWeek1Monday(_ year: Int) -> Int64 {
        let january4 = daysFromCivil(year: year, month: 1, day: 4)
        return january4 - Int64(weekdayIndex(january4))
    }

    /// `days * microsecondsPerDay + timeOfDay`, saturating at the `Int64` bounds.
    static func instant(days: Int64, plus timeOfDay: Int64 = 0) -> Int64 {
        let (product, overflow) = days.multipliedReportingOverflow(by: microsecondsPerDay)
        if overflow { return days < 0 ? .min : .max }
        let (sum, overflow2) = product.addingReportingOverflow(timeOfDay)
        if overflow2 { return timeOfDay < 0 ? .min : .max }
        return sum
    }
}

extension Comparable {
    fileprivate func clamped(to range: ClosedRange<Self>) -> Self {
        min(max(self, range.lowerBound), range.upperBound)
    }
}
