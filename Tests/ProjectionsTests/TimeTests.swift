import Projections
import Testing
import Utilities

// Expected values in `calendarTable` and `offsetTable` (bottom of file) were generated once with Python 3's
// `datetime` (seeded random instants: 60 in 1970–2100, 25 in 1600–1969, 15 elsewhere in 0001–9998, plus
// edge instants). Per row: `us`, canonical text (Python rule: `Z` / `.mmm` / `.uuuuuu`), day/hour/ISO-week/
// month floors, next month, y/m/d, hour, `us // 86_400_000_000`, `isocalendar()`, `isoweekday()`, and
// `us` shifted by N months with the day clamped to the month length. Offset rows are local time + random
// offset (±23:59) with 0–9 fraction digits, and the expected UTC microseconds.

struct CalendarRow: Sendable, CustomStringConvertible {
    var us: Int64
    var iso: String
    var dayFloor: Int64
    var hourFloor: Int64
    var weekFloor: Int64
    var monthFloor: Int64
    var nextMonth: Int64?
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var dayIndex: Int64
    var isoYear: Int
    var isoWeek: Int
    var isoWeekday: Int
    var monthsAdded: Int
    var addedMonths: Int64?

    init(
        _ us: Int64, _ iso: String, _ dayFloor: Int64, _ hourFloor: Int64, _ weekFloor: Int64,
        _ monthFloor: Int64, _ nextMonth: Int64?, _ year: Int, _ month: Int, _ day: Int, _ hour: Int,
        _ dayIndex: Int64, _ isoYear: Int, _ isoWeek: Int, _ isoWeekday: Int, _ monthsAdded: Int,
        _ addedMonths: Int64?
    ) {
        self.us = us
        self.iso = iso
        self.dayFloor = dayFloor
        self.hourFloor = hourFloor
        self.weekFloor = weekFloor
        self.monthFloor = monthFloor
        self.nextMonth = nextMonth
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.dayIndex = dayIndex
        self.isoYear = isoYear
        self.isoWeek = isoWeek
        self.isoWeekday = isoWeekday
        self.monthsAdded = monthsAdded
        self.addedMonths = addedMonths
    }

    var description: String { iso }
}

/// Microseconds for a UTC time given as `YYYY-MM-DDTHH:MM:SSZ`; fails the test if invalid.
private func utc(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
    try #require(UTCTime.parseISO8601(text), "not parseable: \(text)", sourceLocation: sourceLocation)
}

@Suite("UTCTime")
struct TimeTests {
    @Test("Python datetime table: decomposition, floors, ISO weeks, formatting", arguments: calendarTable)
    func pythonTable(row: CalendarRow) {
        #expect(UTCTime.formatISO8601(row.us) == row.iso)
        #expect(UTCTime.parseISO8601(row.iso) == row.us)
        #expect(UTCTime.dayFloor(row.us) == row.dayFloor)
        #expect(UTCTime.hourFloor(row.us) == row.hourFloor)
        #expect(UTCTime.isoWeekFloor(row.us) == row.weekFloor)
        #expect(UTCTime.monthFloor(row.us) == row.monthFloor)
        if let nextMonth = row.nextMonth {
            #expect(UTCTime.nextMonth(row.us) == nextMonth)
        }
        let date = UTCTime.yearMonthDay(row.us)
        #expect(date.year == row.year && date.month == row.month && date.day == row.day)
        #expect(UTCTime.hourOfDay(row.us) == row.hour)
        #expect(UTCTime.dayIndex(row.us) == row.dayIndex)
        let week = UTCTime.isoWeek(row.us)
        #expect(week.year == row.isoYear && week.week == row.isoWeek)
        #expect(UTCTime.isoWeekday(row.us) == row.isoWeekday)
        #expect(UTCTime.isoWeekStart(year: row.isoYear, week: row.isoWeek) == row.weekFloor)
        if let added = row.addedMonths {
            #expect(UTCTime.addingMonths(row.us, row.monthsAdded) == added)
        }
    }

    @Test("Python datetime table: parsing with offsets and fractions", arguments: offsetTable)
    func pythonOffsets(text: String, expected: Int64) {
        #expect(UTCTime.parseISO8601(text) == expected)
    }

    @Test func formattingMillisecondsAndMicroseconds() {
        #expect(UTCTime.formatISO8601(0) == "1970-01-01T00:00:00Z")
        #expect(UTCTime.formatISO8601(1_763_389_800_000_000) == "2025-11-17T14:30:00Z")
        #expect(UTCTime.formatISO8601(1_763_389_800_120_000) == "2025-11-17T14:30:00.120Z")
        #expect(UTCTime.formatISO8601(1_763_389_800_000_123) == "2025-11-17T14:30:00.000123Z")
        #expect(UTCTime.formatISO8601(1_763_389_800_100_001) == "2025-11-17T14:30:00.100001Z")
        #expect(UTCTime.formatISO8601(-1) == "1969-12-31T23:59:59.999999Z")
        #expect(UTCTime.formatISO8601(-1_000) == "1969-12-31T23:59:59.999Z")
        #expect(UTCTime.formatISO8601(-86_400_000_000) == "1969-12-31T00:00:00Z")
        #expect(UTCTime.formatISO8601(-62_135_596_800_000_000) == "0001-01-01T00:00:00Z")
        #expect(UTCTime.formatISO8601(253_402_300_799_999_999) == "9999-12-31T23:59:59.999999Z")
    }

    @Test func formattingExtremesDoesNotTrap() {
        #expect(UTCTime.formatISO8601(.max) == "+294247-01-10T04:00:54.775807Z")
        #expect(UTCTime.formatISO8601(.min) == "-290308-12-21T19:59:05.224192Z")
        #expect(UTCTime.formatISO8601(-62_135_596_800_000_001) == "0000-12-31T23:59:59.999999Z")
        #expect(UTCTime.formatISO8601(-62_167_219_200_000_001) == "-0001-12-31T23:59:59.999999Z")
        #expect(UTCTime.formatISO8601(253_402_300_800_000_000) == "+10000-01-01T00:00:00Z")
    }

    @Test func parsingOffsetsAndVariants() throws {
        let reference = try utc("2025-11-17T14:30:00Z")
        #expect(reference == 1_763_389_800_000_000)
        #expect(UTCTime.parseISO8601("2025-11-17T16:30:00+02:00") == reference)
        #expect(UTCTime.parseISO8601("2025-11-17T09:00:00-05:30") == reference)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00+00:00") == reference)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00-00:00") == reference)
        #expect(UTCTime.parseISO8601("2025-11-17t14:30:00z") == reference)
        #expect(UTCTime.parseISO8601("2025-11-18T14:29:00+23:59") == reference)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00.5Z") == reference + 500_000)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00.123Z") == reference + 123_000)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00.123456Z") == reference + 123_456)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00.1234569Z") == reference + 123_456)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00.999999999Z") == reference + 999_999)
        #expect(UTCTime.parseISO8601("1969-12-31T23:59:59.999999Z") == -1)
        #expect(UTCTime.parseISO8601("0001-01-01T00:00:00Z") == -62_135_596_800_000_000)
        #expect(UTCTime.parseISO8601("0001-01-01T00:00:00+01:00") == -62_135_600_400_000_000)
        #expect(UTCTime.parseISO8601("9999-12-31T23:59:59.999999Z") == 253_402_300_799_999_999)
        #expect(UTCTime.parseISO8601("2025-11-17T14:30:00Z"[...]) == reference)
    }

    @Test(
        "Rejects malformed or out-of-range timestamps",
        arguments: [
            "2025-13-01T00:00:00Z", "2025-00-01T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-32T00:00:00Z",
            "2025-04-31T00:00:00Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "10000-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "-001-01-01T00:00:00Z", "+2025-11-17T14:30:00Z",
            "2025-11-17T14:30:00", "2025-11-17T24:00:00Z", "2025-11-17T14:60:00Z", "2025-11-17T14:30:60Z",
            "2025-11-17T14:30:00Zjunk", "2025-11-17T14:30:00Z ", " 2025-11-17T14:30:00Z",
            "2025-11-17 14:30:00Z", "2025-11-17_14:30:00Z", "2025-11-17T14:30Z", "2025-11-17T14:30:00.Z",
            "2025-11-17T14:30:00.1234567890Z", "2025-11-17T14:30:00,5Z", "2025-11-17T14:30:00+0200",
            "2025-11-17T14:30:00+02", "2025-11-17T14:30:00+24:00", "2025-11-17T14:30:00+02:60",
            "2025-11-17T14:30:00+02:00:00", "2025-11-17T14:30:00+2:00", "2025-11-17T14:30:00UTC",
            "2025-1-17T14:30:00Z", "2025-11-7T14:30:00Z", "2025-11-17T4:30:00Z", "2025/11/17T14:30:00Z",
            "2025-11-17", "2025-W46", "", "Z", "2025-11-17T14:30:00.5", "２０２５-11-17T14:30:00Z",
            "2025-11-17T14:30:0aZ", "2025-11-17T14:30:00.12a4Z", "2025-11-17T14:30:00+02:00Z",
        ])
    func rejects(text: String) {
        #expect(UTCTime.parseISO8601(text) == nil)
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func leapYears() throws {
        for valid in ["2000-02-29T00:00:00Z", "2024-02-29T12:00:00Z", "1600-02-29T00:00:00Z", "0004-02-29T00:00:00Z"] {
            let us = try utc(valid)
            #expect(UTCTime.formatISO8601(us) == valid)
        }
        #expect(UTCTime.parseISO8601("1900-02-29T00:00:00Z") == nil)
        #expect(UTCTime.isLeapYear(2000) && UTCTime.isLeapYear(2024) && !UTCTime.isLeapYear(1900))
        #expect(UTCTime.daysInMonth(year: 2024, month: 2) == 29)
        #expect(UTCTime.daysInMonth(year: 2025, month: 2) == 28)
        #expect(UTCTime.daysInMonth(year: 2025, month: 13) == 0)
        #expect(UTCTime.nextMonth(try utc("2024-02-10T05:00:00Z")) == (try utc("2024-03-01T00:00:00Z")))
    }

    @Test func isoWeekEdgeCases() throws {
        func week(_ text: String) throws -> (Int, Int) {
            let w = UTCTime.isoWeek(try utc(text))
            return (w.year, w.week)
        }
        #expect(try week("2020-12-31T12:00:00Z") == (2020, 53))
        #expect(try week("2021-01-03T23:59:59.999999Z") == (2020, 53))
        #expect(try week("2021-01-04T00:00:00Z") == (2021, 1))
        #expect(try week("2024-12-30T00:00:00Z") == (2025, 1))
        #expect(try week("2024-12-29T23:59:59Z") == (2024, 52))
        #expect(try week("2025-11-17T14:30:00Z") == (2025, 47))
        #expect(try week("1970-01-01T00:00:00Z") == (1970, 1))
        #expect(try week("1969-12-29T00:00:00Z") == (1970, 1))
        #expect(try week("1969-12-28T23:59:59Z") == (1969, 52))

        #expect(UTCTime.isoWeekStart(year: 2025, week: 46) == (try utc("2025-11-10T00:00:00Z")))
        #expect(UTCTime.isoWeekStart(year: 2020, week: 53) == (try utc("2020-12-28T00:00:00Z")))
        #expect(UTCTime.isoWeekStart(year: 2025, week: 1) == (try utc("2024-12-30T00:00:00Z")))
        #expect(UTCTime.isoWeekStart(year: 1970, week: 1) == (try utc("1969-12-29T00:00:00Z")))
        #expect(UTCTime.isoWeekStart(year: 2021, week: 53) == nil)
        #expect(UTCTime.isoWeekStart(year: 2025, week: 0) == nil)
        #expect(UTCTime.isoWeekStart(year: 0, week: 1) == nil)
        #expect(UTCTime.isoWeekStart(year: 10000, week: 1) == nil)
        #expect(UTCTime.isoWeeksInYear(2020) == 53)
        #expect(UTCTime.isoWeeksInYear(2021) == 52)
        #expect(UTCTime.isoWeeksInYear(2015) == 53)
        #expect(UTCTime.isoWeeksInYear(2026) == 53)
        #expect(UTCTime.isoWeekFloor(0) == -3 * UTCTime.microsecondsPerDay)  // Thursday → Monday
        #expect(UTCTime.isoWeekday(0) == 4)
    }

    @Test func civilConversionsAreConsistentDayByDay() {
        // Walk every day 1600-01-01 … 2400-12-31 and check it against a hand-rolled successor.
        var (year, month, day) = (1600, 1, 1)
        var index = UTCTime.daysFromCivil(year: 1600, month: 1, day: 1)
        #expect(index == -135_140)
        var weekday = UTCTime.isoWeekday(index * UTCTime.microsecondsPerDay)
        var mismatches = 0
        while year <= 2400 {
            let civil = UTCTime.civilFromDays(index)
            if civil != (year, month, day) || UTCTime.daysFromCivil(year: year, month: month, day: day) != index {
                mismatches += 1
            }
            let w = UTCTime.isoWeekday(index * UTCTime.microsecondsPerDay)
            if w != weekday { mismatches += 1 }
            weekday = weekday % 7 + 1
            index += 1
            day += 1
            if day > UTCTime.daysInMonth(year: year, month: month) {
                day = 1
                month += 1
                if month > 12 {
                    month = 1
                    year += 1
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func constantsAndDecomposition() throws {
        #expect(UTCTime.microsecondsPerHour == 3_600_000_000)
        #expect(UTCTime.microsecondsPerDay == 86_400_000_000)
        #expect(UTCTime.microsecondsPerWeek == 604_800_000_000)
        #expect(UTCTime.dayIndex(-1) == -1)
        #expect(UTCTime.dayIndex(0) == 0)
        #expect(UTCTime.dayIndex(86_399_999_999) == 0)
        #expect(UTCTime.hourOfDay(-1) == 23)
        #expect(UTCTime.dayFloor(-1) == -86_400_000_000)
        #expect(UTCTime.hourFloor(-1) == -3_600_000_000)
        #expect(UTCTime.monthFloor(-1) == (try utc("1969-12-01T00:00:00Z")))
        #expect(UTCTime.nextMonth(-1) == 0)
        #expect(UTCTime.instant(year: 2025, month: 11, day: 17, hour: 14, minute: 30) == 1_763_389_800_000_000)
        #expect(UTCTime.instant(year: 2025, month: 2, day: 29) == nil)
        #expect(UTCTime.instant(year: 2025, month: 1, day: 1, microsecond: 1_000_000) == nil)
    }

    @Test func addingMonthsClampsDayOfMonth() throws {
        #expect(UTCTime.addingMonths(try utc("2024-01-31T10:15:00Z"), 1) == (try utc("2024-02-29T10:15:00Z")))
        #expect(UTCTime.addingMonths(try utc("2023-03-31T00:00:00Z"), -1) == (try utc("2023-02-28T00:00:00Z")))
        #expect(UTCTime.addingMonths(try utc("2025-11-17T14:30:00Z"), 2) == (try utc("2026-01-17T14:30:00Z")))
        #expect(UTCTime.addingMonths(try utc("1970-01-15T00:00:00Z"), -1) == (try utc("1969-12-15T00:00:00Z")))
        #expect(UTCTime.addingMonths(try utc("2025-11-17T14:30:00Z"), 0) == (try utc("2025-11-17T14:30:00Z")))
        #expect(UTCTime.addingMonths(try utc("2025-11-17T14:30:00Z"), -24) == (try utc("2023-11-17T14:30:00Z")))
    }

    @Test func extremeInstantsSaturateInsteadOfTrapping() {
        #expect(UTCTime.dayFloor(.min) == .min)
        #expect(UTCTime.hourFloor(.min) == .min)
        #expect(UTCTime.isoWeekFloor(.min) == .min)
        #expect(UTCTime.monthFloor(.min) == .min)
        #expect(UTCTime.nextMonth(.max) == .max)
        #expect(UTCTime.addingMonths(0, .max) == .max)
        #expect(UTCTime.addingMonths(0, .min) == .min)
        #expect(UTCTime.addingMonths(.max, 1) == .max)
        #expect(Granularity.week.next(.max - 1) == .max)
        #expect(Granularity.hour.bucketStarts(from: .max - 10, to: .max, limit: 5) == [UTCTime.hourFloor(.max)])
        #expect(UTCTime.isoWeek(.max).week >= 1)
        #expect(UTCTime.dayFloor(.max) <= .max)
    }

    @Test func granularityFloorAndNext() throws {
        let t = try utc("2025-11-17T14:30:15.5Z")  // a Monday
        #expect(Granularity.hour.floor(t) == (try utc("2025-11-17T14:00:00Z")))
        #expect(Granularity.day.floor(t) == (try utc("2025-11-17T00:00:00Z")))
        #expect(Granularity.week.floor(t) == (try utc("2025-11-17T00:00:00Z")))
        #expect(Granularity.month.floor(t) == (try utc("2025-11-01T00:00:00Z")))
        #expect(Granularity.hour.next(try utc("2025-11-17T23:00:00Z")) == (try utc("2025-11-18T00:00:00Z")))
        #expect(Granularity.day.next(try utc("2025-12-31T00:00:00Z")) == (try utc("2026-01-01T00:00:00Z")))
        #expect(Granularity.week.next(try utc("2025-12-29T00:00:00Z")) == (try utc("2026-01-05T00:00:00Z")))
        #expect(Granularity.month.next(try utc("2025-12-01T00:00:00Z")) == (try utc("2026-01-01T00:00:00Z")))
        #expect(Granularity.allCases.map(\.rawValue) == ["hour", "day", "week", "month"])
        #expect(Granularity(rawValue: "week") == .week)
        for granularity in Granularity.allCases {
            for us in [t, -1, 0, -123_456_789_012_345] {
                let start = granularity.floor(us)
                #expect(start <= us && us < granularity.next(start))
                #expect(granularity.floor(start) == start)
            }
        }
    }

    @Test func bucketStarts() throws {
        let start = try utc("2025-11-30T22:10:00Z")
        let end = try utc("2025-12-01T01:00:00Z")
        #expect(
            Granularity.hour.bucketStarts(from: start, to: end, limit: 10) == [
                try utc("2025-11-30T22:00:00Z"), try utc("2025-11-30T23:00:00Z"),
                try utc("2025-12-01T00:00:00Z"), try utc("2025-12-01T01:00:00Z"),
            ])
        #expect(Granularity.hour.bucketStarts(from: start, to: end, limit: 4)?.count == 4)
        #expect(Granularity.hour.bucketStarts(from: start, to: end, limit: 3) == nil)
        #expect(
            Granularity.day.bucketStarts(from: start, to: end, limit: 10) == [
                try utc("2025-11-30T00:00:00Z"), try utc("2025-12-01T00:00:00Z"),
            ])
        #expect(
            Granularity.month.bucketStarts(
                from: try utc("2024-11-15T00:00:00Z"), to: try utc("2025-02-01T00:00:00Z"), limit: 10)
                == [
                    try utc("2024-11-01T00:00:00Z"), try utc("2024-12-01T00:00:00Z"),
                    try utc("2025-01-01T00:00:00Z"), try utc("2025-02-01T00:00:00Z"),
                ])
        #expect(
            Granularity.week.bucketStarts(
                from: try utc("1969-12-31T00:00:00Z"), to: try utc("1970-01-05T00:00:00Z"), limit: 10)
                == [try utc("1969-12-29T00:00:00Z"), try utc("1970-01-05T00:00:00Z")])
        #expect(Granularity.day.bucketStarts(from: end, to: start, limit: 10) == [])
        #expect(Granularity.day.bucketStarts(from: start, to: start, limit: 1) == [try utc("2025-11-30T00:00:00Z")])
        #expect(Granularity.day.bucketStarts(from: start, to: start, limit: 0) == nil)
        let year = Granularity.hour.bucketStarts(
            from: try utc("2024-01-01T00:00:00Z"), to: try utc("2024-12-31T23:59:59Z"), limit: 10_000)
        #expect(year?.count == 366 * 24)
    }

    @Test func budgetPeriodBounds() throws {
        let t = try utc("2025-11-19T08:00:00Z")  // Wednesday
        let daily = try #require(BudgetPeriodKind.daily.bounds(containing: t))
        #expect(daily.start == (try utc("2025-11-19T00:00:00Z")))
        #expect(daily.end == (try utc("2025-11-20T00:00:00Z")))
        let weekly = try #require(BudgetPeriodKind.weekly.bounds(containing: t))
        #expect(weekly.start == (try utc("2025-11-17T00:00:00Z")))
        #expect(weekly.end == (try utc("2025-11-24T00:00:00Z")))
        let monthly = try #require(BudgetPeriodKind.monthly.bounds(containing: try utc("2025-12-31T23:59:59.999999Z")))
        #expect(monthly.start == (try utc("2025-12-01T00:00:00Z")))
        #expect(monthly.end == (try utc("2026-01-01T00:00:00Z")))
        let boundary = try #require(BudgetPeriodKind.monthly.bounds(containing: try utc("2026-01-01T00:00:00Z")))
        #expect(boundary.start == (try utc("2026-01-01T00:00:00Z")))
        #expect(BudgetPeriodKind.total.bounds(containing: t) == nil)
        #expect(BudgetPeriodKind.allCases.map(\.rawValue) == ["daily", "weekly", "monthly", "total"])
        #expect(BudgetPeriodKind.weekly.granularity == .week)
        #expect(BudgetPeriodKind.total.granularity == nil)
    }

    @Test func timestampWrapper() throws {
        let a = try #require(Timestamp(iso8601: "2025-11-17T16:30:00.250+02:00"))
        #expect(a.microseconds == 1_763_389_800_250_000)
        #expect(a.iso8601 == "2025-11-17T14:30:00.250Z")
        #expect(a.description == a.iso8601)
        #expect(Timestamp.epoch < a)
        #expect(Timestamp(microseconds: -5) < .epoch)
        #expect(a.floor(to: .day) == Timestamp(iso8601: "2025-11-17T00:00:00Z"))
        #expect(Set([a, a, .epoch]).count == 2)
        let text: Substring = "x2025-11-17T14:30:00.250Z".dropFirst()
        #expect(Timestamp(iso8601: text) == a)
    }
}
// Generated once with Python 3 datetime (see TimeTests.swift header).
let calendarTable: [CalendarRow] = [
    CalendarRow(
        3822619084000000, "2091-02-18T06:38:04Z", 3822595200000000, 3822616800000000, 3822076800000000,
        3821126400000000, 3823545600000000, 2091, 2, 18, 6, 44243, 2091, 7, 7, 13, 3856660684000000),
    CalendarRow(
        344464298537000, "1980-11-30T20:31:38.537Z", 344390400000000, 344462400000000, 343872000000000, 341884800000000,
        344476800000000, 1980, 11, 30, 20, 3986, 1980, 48, 7, 6, 360102698537000),
    CalendarRow(
        1125506792225000, "2005-08-31T16:46:32.225Z", 1125446400000000, 1125504000000000, 1125273600000000,
        1122854400000000, 1125532800000000, 2005, 8, 31, 16, 13026, 2005, 35, 3, 1, 1128098792225000),
    CalendarRow(
        1570236428364000, "2019-10-05T00:47:08.364Z", 1570233600000000, 1570233600000000, 1569801600000000,
        1569888000000000, 1572566400000000, 2019, 10, 5, 0, 18174, 2019, 40, 6, 1, 1572914828364000),
    CalendarRow(
        1967616437461000, "2032-05-08T08:07:17.461Z", 1967587200000000, 1967616000000000, 1967155200000000,
        1966982400000000, 1969660800000000, 2032, 5, 8, 8, 22773, 2032, 19, 6, 120, 2283149237461000),
    CalendarRow(
        3954824362000000, "2095-04-28T10:19:22Z", 3954787200000000, 3954823200000000, 3954528000000000,
        3952454400000000, 3955046400000000, 2095, 4, 28, 10, 45773, 2095, 17, 4, 13, 3989038762000000),
    CalendarRow(
        2688267751031000, "2055-03-10T05:02:31.031Z", 2688249600000000, 2688267600000000, 2688076800000000,
        2687472000000000, 2690150400000000, 2055, 3, 10, 5, 31114, 2055, 10, 3, -25, 2622776551031000),
    CalendarRow(
        2646019498000000, "2053-11-06T05:24:58Z", 2646000000000000, 2646018000000000, 2645740800000000,
        2645568000000000, 2648160000000000, 2053, 11, 6, 5, 30625, 2053, 45, 4, -1, 2643341098000000),
    CalendarRow(
        2830977797000000, "2059-09-16T22:43:17Z", 2830896000000000, 2830975200000000, 2830809600000000,
        2829600000000000, 2832192000000000, 2059, 9, 16, 22, 32765, 2059, 38, 2, 1, 2833569797000000),
    CalendarRow(
        152735810592056, "1974-11-03T18:36:50.592056Z", 152668800000000, 152733600000000, 152150400000000,
        152496000000000, 155088000000000, 1974, 11, 3, 18, 1767, 1974, 44, 7, 6, 168374210592056),
    CalendarRow(
        3943374998818011, "2094-12-16T21:56:38.818011Z", 3943296000000000, 3943371600000000, 3943036800000000,
        3942000000000000, 3944678400000000, 2094, 12, 16, 21, 45640, 2094, 50, 4, 1, 3946053398818011),
    CalendarRow(
        3281085389000000, "2073-12-21T12:36:29Z", 3281040000000000, 3281083200000000, 3280780800000000,
        3279312000000000, 3281990400000000, 2073, 12, 21, 12, 37975, 2073, 51, 4, 6, 3296810189000000),
    CalendarRow(
        425325930000000, "1983-06-24T18:05:30Z", 425260800000000, 425325600000000, 424915200000000, 423273600000000,
        425865600000000, 1983, 6, 24, 18, 4922, 1983, 25, 5, 6, 441137130000000),
    CalendarRow(
        1470697191000000, "2016-08-08T22:59:51Z", 1470614400000000, 1470693600000000, 1470614400000000,
        1470009600000000, 1472688000000000, 2016, 8, 8, 22, 17021, 2016, 32, 1, 1, 1473375591000000),
    CalendarRow(
        362533129000000, "1981-06-27T23:38:49Z", 362448000000000, 362530800000000, 362016000000000, 360201600000000,
        362793600000000, 1981, 6, 27, 23, 4195, 1981, 26, 6, 13, 396661129000000),
    CalendarRow(
        102758914767000, "1973-04-04T08:08:34.767Z", 102729600000000, 102758400000000, 102556800000000, 102470400000000,
        105062400000000, 1973, 4, 4, 8, 1189, 1973, 14, 3, 6, 118570114767000),
    CalendarRow(
        2044092024967000, "2034-10-10T11:20:24.967Z", 2044051200000000, 2044090800000000, 2043964800000000,
        2043273600000000, 2045952000000000, 2034, 10, 10, 11, 23658, 2034, 41, 2, -1, 2041500024967000),
    CalendarRow(
        1018943110767974, "2002-04-16T07:45:10.767974Z", 1018915200000000, 1018940400000000, 1018828800000000,
        1017619200000000, 1020211200000000, 2002, 4, 16, 7, 11793, 2002, 16, 2, 13, 1053071110767974),
    CalendarRow(
        1323275991713572, "2011-12-07T16:39:51.713572Z", 1323216000000000, 1323273600000000, 1323043200000000,
        1322697600000000, 1325376000000000, 2011, 12, 7, 16, 15315, 2011, 49, 3, 6, 1339087191713572),
    CalendarRow(
        162369902150000, "1975-02-23T06:45:02.150Z", 162345600000000, 162367200000000, 161827200000000, 160444800000000,
        162864000000000, 1975, 2, 23, 6, 1879, 1975, 8, 7, -1, 159691502150000),
    CalendarRow(
        1656211283000000, "2022-06-26T02:41:23Z", 1656201600000000, 1656208800000000, 1655683200000000,
        1654041600000000, 1656633600000000, 2022, 6, 26, 2, 19169, 2022, 25, 7, -1, 1653532883000000),
    CalendarRow(
        2822384036000000, "2059-06-09T11:33:56Z", 2822342400000000, 2822382000000000, 2822342400000000,
        2821651200000000, 2824243200000000, 2059, 6, 9, 11, 32666, 2059, 24, 1, -1, 2819705636000000),
    CalendarRow(
        3975303032581000, "2095-12-21T10:50:32.581Z", 3975264000000000, 3975300000000000, 3975091200000000,
        3973536000000000, 3976214400000000, 2095, 12, 21, 10, 46010, 2095, 51, 3, -1, 3972711032581000),
    CalendarRow(
        3374620350000000, "2076-12-08T02:32:30Z", 3374611200000000, 3374618400000000, 3374524800000000,
        3374006400000000, 3376684800000000, 2076, 12, 8, 2, 39058, 2076, 50, 2, 6, 3390345150000000),
    CalendarRow(
        3267505060000000, "2073-07-17T08:17:40Z", 3267475200000000, 3267504000000000, 3267475200000000,
        3266092800000000, 3268771200000000, 2073, 7, 17, 8, 37818, 2073, 29, 1, 120, 3583037860000000),
    CalendarRow(
        3328496814534528, "2075-06-23T06:26:54.534528Z", 3328473600000000, 3328495200000000, 3327955200000000,
        3326572800000000, 3329164800000000, 2075, 6, 23, 6, 38524, 2075, 25, 7, 13, 3362711214534528),
    CalendarRow(
        3482937515754000, "2080-05-14T18:38:35.754Z", 3482870400000000, 3482935200000000, 3482784000000000,
        3481747200000000, 3484425600000000, 2080, 5, 14, 18, 40311, 2080, 20, 2, 1, 3485615915754000),
    CalendarRow(
        3493289840518805, "2080-09-11T14:17:20.518805Z", 3493238400000000, 3493288800000000, 3493065600000000,
        3492374400000000, 3494966400000000, 2080, 9, 11, 14, 40431, 2080, 37, 3, -1, 3490611440518805),
    CalendarRow(
        476590597157793, "1985-02-07T02:16:37.157793Z", 476582400000000, 476589600000000, 476323200000000,
        476064000000000, 478483200000000, 1985, 2, 7, 2, 5516, 1985, 6, 4, -1, 473912197157793),
    CalendarRow(
        3017196090000000, "2065-08-11T06:01:30Z", 3017174400000000, 3017196000000000, 3017088000000000,
        3016310400000000, 3018988800000000, 2065, 8, 11, 6, 34921, 2065, 33, 2, -1, 3014517690000000),
    CalendarRow(
        1962984585903479, "2032-03-15T17:29:45.903479Z", 1962921600000000, 1962982800000000, 1962921600000000,
        1961712000000000, 1964390400000000, 2032, 3, 15, 17, 22719, 2032, 12, 1, 6, 1978882185903479),
    CalendarRow(
        313587579483973, "1979-12-09T11:39:39.483973Z", 313545600000000, 313585200000000, 313027200000000,
        312854400000000, 315532800000000, 1979, 12, 9, 11, 3629, 1979, 49, 7, 120, 629206779483973),
    CalendarRow(
        2320202948306000, "2043-07-11T04:49:08.306Z", 2320185600000000, 2320200000000000, 2319753600000000,
        2319321600000000, 2322000000000000, 2043, 7, 11, 4, 26854, 2043, 28, 6, 6, 2336100548306000),
    CalendarRow(
        1616673328103000, "2021-03-25T11:55:28.103Z", 1616630400000000, 1616670000000000, 1616371200000000,
        1614556800000000, 1617235200000000, 2021, 3, 25, 11, 18711, 2021, 12, 4, 6, 1632570928103000),
    CalendarRow(
        3892203781544000, "2093-05-03T15:43:01.544Z", 3892147200000000, 3892201200000000, 3891628800000000,
        3891974400000000, 3894652800000000, 2093, 5, 3, 15, 45048, 2093, 18, 7, 1, 3894882181544000),
    CalendarRow(
        1824223507521000, "2027-10-22T16:45:07.521Z", 1824163200000000, 1824220800000000, 1823817600000000,
        1822348800000000, 1825027200000000, 2027, 10, 22, 16, 21113, 2027, 42, 5, 1, 1826901907521000),
    CalendarRow(
        1117170597000000, "2005-05-27T05:09:57Z", 1117152000000000, 1117170000000000, 1116806400000000,
        1114905600000000, 1117584000000000, 2005, 5, 27, 5, 12930, 2005, 21, 5, 1, 1119848997000000),
    CalendarRow(
        2682749773926000, "2055-01-05T08:16:13.926Z", 2682720000000000, 2682748800000000, 2682633600000000,
        2682374400000000, 2685052800000000, 2055, 1, 5, 8, 31050, 2055, 1, 2, 120, 2998368973926000),
    CalendarRow(
        3698755371982000, "2087-03-17T16:02:51.982Z", 3698697600000000, 3698755200000000, 3698697600000000,
        3697315200000000, 3699993600000000, 2087, 3, 17, 16, 42809, 2087, 12, 1, 120, 4014374571982000),
    CalendarRow(
        3868480875370270, "2092-08-02T02:01:15.370270Z", 3868473600000000, 3868480800000000, 3868041600000000,
        3868387200000000, 3871065600000000, 2092, 8, 2, 2, 44774, 2092, 31, 6, 120, 4183927275370270),
    CalendarRow(
        535735209208000, "1986-12-23T15:20:09.208Z", 535680000000000, 535734000000000, 535593600000000, 533779200000000,
        536457600000000, 1986, 12, 23, 15, 6200, 1986, 52, 2, -25, 470071209208000),
    CalendarRow(
        137122510000000, "1974-05-07T01:35:10Z", 137116800000000, 137120400000000, 137030400000000, 136598400000000,
        139276800000000, 1974, 5, 7, 1, 1587, 1974, 19, 2, 6, 153020110000000),
    CalendarRow(
        1967588856000000, "2032-05-08T00:27:36Z", 1967587200000000, 1967587200000000, 1967155200000000,
        1966982400000000, 1969660800000000, 2032, 5, 8, 0, 22773, 2032, 19, 6, 120, 2283121656000000),
    CalendarRow(
        2831093680432000, "2059-09-18T06:54:40.432Z", 2831068800000000, 2831090400000000, 2830809600000000,
        2829600000000000, 2832192000000000, 2059, 9, 18, 6, 32767, 2059, 38, 4, 6, 2846818480432000),
    CalendarRow(
        1162610631000000, "2006-11-04T03:23:51Z", 1162598400000000, 1162609200000000, 1162166400000000,
        1162339200000000, 1164931200000000, 2006, 11, 4, 3, 13456, 2006, 44, 6, -1, 1159932231000000),
    CalendarRow(
        3548538052594, "1970-02-11T01:42:18.052594Z", 3542400000000, 3546000000000, 3369600000000, 2678400000000,
        5097600000000, 1970, 2, 11, 1, 41, 1970, 7, 3, 6, 19186938052594),
    CalendarRow(
        3625625530726000, "2084-11-21T06:12:10.726Z", 3625603200000000, 3625624800000000, 3625516800000000,
        3623875200000000, 3626467200000000, 2084, 11, 21, 6, 41963, 2084, 47, 2, -25, 3559788730726000),
    CalendarRow(
        499801028479000, "1985-11-02T17:37:08.479Z", 499737600000000, 499798800000000, 499305600000000, 499651200000000,
        502243200000000, 1985, 11, 2, 17, 5784, 1985, 44, 6, 1, 502393028479000),
    CalendarRow(
        1574613478000000, "2019-11-24T16:37:58Z", 1574553600000000, 1574611200000000, 1574035200000000,
        1572566400000000, 1575158400000000, 2019, 11, 24, 16, 18224, 2019, 47, 7, 1, 1577205478000000),
    CalendarRow(
        2806339098517000, "2058-12-05T18:38:18.517Z", 2806272000000000, 2806336800000000, 2806012800000000,
        2805926400000000, 2808604800000000, 2058, 12, 5, 18, 32480, 2058, 49, 4, 13, 2840553498517000),
    CalendarRow(
        2680206304440000, "2054-12-06T21:45:04.440Z", 2680128000000000, 2680203600000000, 2679609600000000,
        2679696000000000, 2682374400000000, 2054, 12, 6, 21, 31020, 2054, 49, 7, 120, 2995825504440000),
    CalendarRow(
        4009000816635000, "2097-01-14T11:20:16.635Z", 4008960000000000, 4008999600000000, 4008960000000000,
        4007836800000000, 4010515200000000, 2097, 1, 14, 11, 46400, 2097, 3, 1, -25, 3943164016635000),
    CalendarRow(
        1184494496000000, "2007-07-15T10:14:56Z", 1184457600000000, 1184493600000000, 1183939200000000,
        1183248000000000, 1185926400000000, 2007, 7, 15, 10, 13709, 2007, 28, 7, -25, 1118830496000000),
    CalendarRow(
        3241029985000000, "2072-09-13T22:06:25Z", 3240950400000000, 3241029600000000, 3240864000000000,
        3239913600000000, 3242505600000000, 2072, 9, 13, 22, 37511, 2072, 37, 2, 120, 3556562785000000),
    CalendarRow(
        155485401144464, "1974-12-05T14:23:21.144464Z", 155433600000000, 155484000000000, 155174400000000,
        155088000000000, 157766400000000, 1974, 12, 5, 14, 1799, 1974, 49, 4, 13, 189699801144464),
    CalendarRow(
        492663572000000, "1985-08-12T02:59:32Z", 492652800000000, 492660000000000, 492652800000000, 491702400000000,
        494380800000000, 1985, 8, 12, 2, 5702, 1985, 33, 1, -1, 489985172000000),
    CalendarRow(
        2119300205587000, "2037-02-26T22:30:05.587Z", 2119219200000000, 2119298400000000, 2118960000000000,
        2117059200000000, 2119478400000000, 2037, 2, 26, 22, 24528, 2037, 9, 4, 120, 2434833005587000),
    CalendarRow(
        1318870125487170, "2011-10-17T16:48:45.487170Z", 1318809600000000, 1318867200000000, 1318809600000000,
        1317427200000000, 1320105600000000, 2011, 10, 17, 16, 15264, 2011, 42, 1, 13, 1353170925487170),
    CalendarRow(
        980284276755000, "2001-01-23T21:11:16.755Z", 980208000000000, 980283600000000, 980121600000000, 978307200000000,
        980985600000000, 2001, 1, 23, 21, 11345, 2001, 4, 2, 1, 982962676755000),
    CalendarRow(
        148035044354000, "1974-09-10T08:50:44.354Z", 148003200000000, 148032000000000, 147916800000000, 147225600000000,
        149817600000000, 1974, 9, 10, 8, 1713, 1974, 37, 2, 13, 182163044354000),
    CalendarRow(
        -2564224058395987, "1888-09-28T11:32:21.604013Z", -2564265600000000, -2564226000000000, -2564611200000000,
        -2566598400000000, -2564006400000000, 1888, 9, 28, 11, -29679, 1888, 39, 5, 13, -2530096058395987),
    CalendarRow(
        -4924468843822267, "1813-12-13T19:59:16.177733Z", -4924540800000000, -4924472400000000, -4924540800000000,
        -4925577600000000, -4922899200000000, 1813, 12, 13, 19, -56997, 1813, 50, 1, 6, -4908744043822267),
    CalendarRow(
        -2274371625499144, "1897-12-05T06:06:14.500856Z", -2274393600000000, -2274372000000000, -2274912000000000,
        -2274739200000000, -2272060800000000, 1897, 12, 5, 6, -26324, 1897, 48, 7, 6, -2258646825499144),
    CalendarRow(
        -6035242019842770, "1778-10-01T15:53:00.157230Z", -6035299200000000, -6035245200000000, -6035558400000000,
        -6035299200000000, -6032620800000000, 1778, 10, 1, 15, -69853, 1778, 40, 4, -25, -6100906019842770),
    CalendarRow(
        -6344213422742000, "1768-12-16T14:29:37.258Z", -6344265600000000, -6344215200000000, -6344611200000000,
        -6345561600000000, -6342883200000000, 1768, 12, 16, 14, -73429, 1768, 50, 5, 6, -6328488622742000),
    CalendarRow(
        -5340125060582035, "1800-10-11T23:55:39.417965Z", -5340211200000000, -5340128400000000, -5340643200000000,
        -5341075200000000, -5338396800000000, 1800, 10, 11, 23, -61808, 1800, 41, 6, -25, -5405789060582035),
    CalendarRow(
        -6811216784000000, "1754-02-28T11:20:16Z", -6811257600000000, -6811218000000000, -6811516800000000,
        -6813590400000000, -6811171200000000, 1754, 2, 28, 11, -78834, 1754, 9, 4, 120, -6495683984000000),
    CalendarRow(
        -7385727497000000, "1735-12-16T01:01:43Z", -7385731200000000, -7385727600000000, -7386076800000000,
        -7387027200000000, -7384348800000000, 1735, 12, 16, 1, -85483, 1735, 50, 5, -1, -7388319497000000),
    CalendarRow(
        -8319844421000000, "1706-05-10T12:06:19Z", -8319888000000000, -8319844800000000, -8319888000000000,
        -8320665600000000, -8317987200000000, 1706, 5, 10, 12, -96295, 1706, 19, 1, 13, -8285630021000000),
    CalendarRow(
        -5997389135684217, "1779-12-13T18:34:24.315783Z", -5997456000000000, -5997391200000000, -5997456000000000,
        -5998492800000000, -5995814400000000, 1779, 12, 13, 18, -69415, 1779, 50, 1, 6, -5981577935684217),
    CalendarRow(
        -529316693000000, "1953-03-24T15:35:07Z", -529372800000000, -529318800000000, -529459200000000,
        -531360000000000, -528681600000000, 1953, 3, 24, 15, -6127, 1953, 13, 2, 120, -213783893000000),
    CalendarRow(
        -2290273848000000, "1897-06-04T04:49:12Z", -2290291200000000, -2290276800000000, -2290636800000000,
        -2290550400000000, -2287958400000000, 1897, 6, 4, 4, -26508, 1897, 22, 5, 13, -2256145848000000),
    CalendarRow(
        -4161268066615348, "1838-02-19T04:12:13.384652Z", -4161283200000000, -4161268800000000, -4161283200000000,
        -4162838400000000, -4160419200000000, 1838, 2, 19, 4, -48163, 1838, 8, 1, 120, -3845735266615348),
    CalendarRow(
        -4711814960141089, "1820-09-09T02:30:39.858911Z", -4711824000000000, -4711816800000000, -4712256000000000,
        -4712515200000000, -4709923200000000, 1820, 9, 9, 2, -54535, 1820, 36, 6, -25, -4777651760141089),
    CalendarRow(
        -7750372537000000, "1724-05-26T14:44:23Z", -7750425600000000, -7750375200000000, -7750771200000000,
        -7752585600000000, -7749907200000000, 1724, 5, 26, 14, -89704, 1724, 21, 5, 1, -7747694137000000),
    CalendarRow(
        -6594083237000000, "1761-01-15T14:12:43Z", -6594134400000000, -6594084000000000, -6594393600000000,
        -6595344000000000, -6592665600000000, 1761, 1, 15, 14, -76321, 1761, 3, 4, -25, -6659920037000000),
    CalendarRow(
        -4374918062000000, "1831-05-14T08:58:58Z", -4374950400000000, -4374921600000000, -4375382400000000,
        -4376073600000000, -4373395200000000, 1831, 5, 14, 8, -50636, 1831, 19, 6, 1, -4372239662000000),
    CalendarRow(
        -1625772118119000, "1918-06-26T04:38:01.881Z", -1625788800000000, -1625774400000000, -1625961600000000,
        -1627948800000000, -1625356800000000, 1918, 6, 26, 4, -18817, 1918, 26, 3, -25, -1691522518119000),
    CalendarRow(
        -11424231512057000, "1607-12-25T02:21:27.943Z", -11424240000000000, -11424232800000000, -11424326400000000,
        -11426313600000000, -11423635200000000, 1607, 12, 25, 2, -132225, 1607, 52, 2, 6, -11408420312057000),
    CalendarRow(
        -9623402625868685, "1665-01-17T00:36:14.131315Z", -9623404800000000, -9623404800000000, -9623836800000000,
        -9624787200000000, -9622108800000000, 1665, 1, 17, 0, -111382, 1665, 3, 6, -25, -9689239425868685),
    CalendarRow(
        -2025850595146000, "1905-10-21T15:43:24.854Z", -2025907200000000, -2025853200000000, -2026339200000000,
        -2027635200000000, -2024956800000000, 1905, 10, 21, 15, -23448, 1905, 42, 6, 6, -2010125795146000),
    CalendarRow(
        -649781895291784, "1949-05-30T09:01:44.708216Z", -649814400000000, -649782000000000, -649814400000000,
        -652320000000000, -649641600000000, 1949, 5, 30, 9, -7521, 1949, 22, 1, -1, -652373895291784),
    CalendarRow(
        -8723605777234000, "1693-07-23T08:10:22.766Z", -8723635200000000, -8723606400000000, -8723894400000000,
        -8725536000000000, -8722857600000000, 1693, 7, 23, 8, -100968, 1693, 30, 4, 13, -8689391377234000),
    CalendarRow(
        -7973754523119015, "1717-04-28T04:11:16.880985Z", -7973769600000000, -7973755200000000, -7973942400000000,
        -7976102400000000, -7973510400000000, 1717, 4, 28, 4, -92289, 1717, 17, 3, 6, -7957943323119015),
    CalendarRow(
        -11612591251838333, "1602-01-05T00:12:28.161667Z", -11612592000000000, -11612592000000000, -11613024000000000,
        -11612937600000000, -11610259200000000, 1602, 1, 5, 0, -134405, 1602, 1, 6, 1, -11609912851838333),
    CalendarRow(
        -56517424423755998, "0179-01-13T03:26:16.244002Z", -56517436800000000, -56517426000000000, -56517609600000000,
        -56518473600000000, -56515795200000000, 179, 1, 13, 3, -654137, 179, 2, 3, 6, -56501786023755998),
    CalendarRow(
        -27695019822454000, "1092-05-18T18:56:17.546Z", -27695088000000000, -27695023200000000, -27695260800000000,
        -27696556800000000, -27693878400000000, 1092, 5, 18, 18, -320545, 1092, 20, 3, -25, -27760770222454000),
    CalendarRow(
        -47616001355516000, "0461-02-08T20:57:24.484Z", -47616076800000000, -47616004800000000, -47616163200000000,
        -47616681600000000, -47614262400000000, 461, 2, 8, 20, -551112, 461, 6, 2, -1, -47618679755516000),
    CalendarRow(
        -49526364220056089, "0400-07-28T04:36:19.943911Z", -49526380800000000, -49526366400000000, -49526726400000000,
        -49528713600000000, -49526035200000000, 400, 7, 28, 4, -573222, 400, 30, 5, -1, -49528956220056089),
    CalendarRow(
        -18909838702867192, "1370-10-09T03:01:37.132808Z", -18909849600000000, -18909838800000000, -18909936000000000,
        -18910540800000000, -18907862400000000, 1370, 10, 9, 3, -218864, 1370, 41, 2, 1, -18907160302867192),
    CalendarRow(
        -37250370271054298, "0789-08-01T10:55:28.945702Z", -37250409600000000, -37250373600000000, -37250496000000000,
        -37250409600000000, -37247731200000000, 789, 8, 1, 10, -431139, 789, 31, 2, 1, -37247691871054298),
    CalendarRow(
        -60912305766261000, "0039-10-07T11:03:53.739Z", -60912345600000000, -60912306000000000, -60912691200000000,
        -60912864000000000, -60910185600000000, 39, 10, 7, 11, -705004, 39, 40, 5, 120, -60596686566261000),
    CalendarRow(
        -48337915468683000, "0438-03-26T09:15:31.317Z", -48337948800000000, -48337916400000000, -48338294400000000,
        -48340108800000000, -48337430400000000, 438, 3, 26, 9, -559467, 438, 12, 5, 1, -48335237068683000),
    CalendarRow(
        241755117319736039, "9630-11-30T15:15:19.736039Z", 241755062400000000, 241755116400000000, 241754630400000000,
        241752556800000000, 241755148800000000, 9630, 11, 30, 15, 2798091, 9630, 48, 6, 1, 241757709319736039),
    CalendarRow(
        144323556123579000, "6543-06-07T12:42:03.579Z", 144323510400000000, 144323553600000000, 144323164800000000,
        144322992000000000, 144325584000000000, 6543, 6, 7, 12, 1670411, 6543, 23, 5, -1, 144320877723579000),
    CalendarRow(
        93153679719883560, "4921-12-03T14:08:39.883560Z", 93153628800000000, 93153679200000000, 93153456000000000,
        93153456000000000, 93156134400000000, 4921, 12, 3, 14, 1078167, 4921, 49, 3, 6, 93169404519883560),
    CalendarRow(
        52308334208043000, "3627-08-02T12:50:08.043Z", 52308288000000000, 52308331200000000, 52308288000000000,
        52308201600000000, 52310880000000000, 3627, 8, 2, 12, 605420, 3627, 31, 1, 13, 52342635008043000),
    CalendarRow(
        181604253423361194, "7724-10-23T01:57:03.361194Z", 181604246400000000, 181604250000000000, 181604246400000000,
        181602345600000000, 181605024000000000, 7724, 10, 23, 1, 2101901, 7724, 43, 1, 6, 181619978223361194),
    CalendarRow(
        30440220875000000, "2934-08-12T08:54:35Z", 30440188800000000, 30440217600000000, 30439929600000000,
        30439238400000000, 30441916800000000, 2934, 8, 12, 8, 352317, 2934, 32, 4, -25, 30374470475000000),
    CalendarRow(
        252383672852037000, "9967-09-21T07:47:32.037Z", 252383644800000000, 252383670000000000, 252383385600000000,
        252381916800000000, 252384508800000000, 9967, 9, 21, 7, 2921107, 9967, 38, 4, -1, 252380994452037000),
    CalendarRow(
        0, "1970-01-01T00:00:00Z", 0, 0, -259200000000, 0, 2678400000000, 1970, 1, 1, 0, 0, 1970, 1, 4, -25,
        -65836800000000),
    CalendarRow(
        -1, "1969-12-31T23:59:59.999999Z", -86400000000, -3600000000, -259200000000, -2678400000000, 0, 1969, 12, 31,
        23, -1, 1970, 1, 3, 6, 15638399999999),
    CalendarRow(
        -1000, "1969-12-31T23:59:59.999Z", -86400000000, -3600000000, -259200000000, -2678400000000, 0, 1969, 12, 31,
        23, -1, 1970, 1, 3, -25, -65836800001000),
    CalendarRow(
        -3600000000, "1969-12-31T23:00:00Z", -86400000000, -3600000000, -259200000000, -2678400000000, 0, 1969, 12, 31,
        23, -1, 1970, 1, 3, 6, 15634800000000),
    CalendarRow(
        -62135596800000000, "0001-01-01T00:00:00Z", -62135596800000000, -62135596800000000, -62135596800000000,
        -62135596800000000, -62132918400000000, 1, 1, 1, 0, -719162, 1, 1, 1, -25, nil),
    CalendarRow(
        253402300799999999, "9999-12-31T23:59:59.999999Z", 253402214400000000, 253402297200000000, 253401868800000000,
        253399622400000000, nil, 9999, 12, 31, 23, 2932896, 9999, 52, 5, -25, 253336550399999999),
]
let offsetTable: [(String, Int64)] = [
    ("1951-12-25T06:19:42.000000660+21:51", -568740678000000),
    ("1952-11-29T08:29:32.0000000+02:42", -539287948000000),
    ("0949-05-12T13:50:55.992499-22:42", -32208146824007501),
    ("2066-07-28T11:03:57.395-08:40", 3047571837395000),
    ("2003-11-03T10:17:13.00000+04:32", 1067838313000000),
    ("2028-03-30T20:10:00.8867-13:46", 1838109360886700),
    ("2065-02-12T14:43:17.2430001-07:30", 3001702397243000),
    ("2003-02-08T20:35:52.78699-08:13", 1044766132786990),
    ("1984-10-14T22:30:13.00-02:43", 466650793000000),
    ("4749-05-29T10:07:11.8970644-08:04", 87709630271897064),
    ("1995-05-17T00:46:07.91800-17:20", 800733967918000),
    ("2093-05-18T11:53:18.177-12:01", 3893529258177000),
    ("2052-09-05T12:01:31.902-15:46", 2609207251902000),
    ("2071-06-14T00:34:40+22:21", 3201387220000000),
    ("2065-11-21T08:07:30-09:35", 3026050950000000),
    ("9936-11-26T18:03:37.83+03:46", 251411177857830000),
    ("1995-12-30T06:06:54.1128-03:42", 820316934112800),
    ("2005-10-09T14:37:13.7660009-13:12", 1128916153766000),
    ("4150-04-09T07:09:12.000000050-02:09", 68802686292000000),
    ("2038-05-17T02:33:57.000000-15:58", 2157733917000000),
    ("2029-06-08T10:30:10.958-02:59", 1875619750958000),
    ("5339-08-25T09:34:15.14400016+00:17", 106335796635144000),
    ("2009-09-19T02:12:09.094000537+12:25", 1253281629094000),
    ("2091-05-05T11:21:39.37-22:10", 3829282299370000),
    ("1989-04-07T05:54:18-21:56", 608010618000000),
    ("2089-10-29T21:48:48.4428778-07:18", 3781487208442877),
    ("2056-08-20T16:24:30.9780002-04:53", 2734031850978000),
    ("2544-12-11T05:15:30.0000+06:23", 18143477550000000),
    ("7247-05-24T02:41:49.000000+14:51", 166538375449000000),
    ("2064-05-19T04:19:56.949000+05:07", 2978377976949000),
]
