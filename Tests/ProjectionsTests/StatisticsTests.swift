import Foundation
import Projections
import TestSupport
import Testing
import Utilities

// MARK: - Rounding

@Suite("Rounding")
struct RoundingTests {
    @Test("halfAwayFromZero matches Python Decimal.quantize(ROUND_HALF_UP)", arguments: roundingCases)
    func halfAwayFromZero(_ testCase: RoundingCase) {
        let rounded = Rounding.halfAwayFromZero(testCase.x, places: testCase.places)
        #expect(rounded.bitPattern == testCase.rounded.bitPattern, "got \(rounded), expected \(testCase.rounded)")
    }

    @Test("fixed matches Python format(Decimal.quantize(ROUND_HALF_UP), 'f')", arguments: roundingCases)
    func fixed(_ testCase: RoundingCase) {
        #expect(Rounding.fixed(testCase.x, places: testCase.places) == testCase.fixed)
    }

    @Test("significant matches the Python sig helper", arguments: significantCases)
    func significant(_ testCase: SignificantCase) {
        let rounded = Rounding.significant(testCase.x, digits: testCase.digits)
        #expect(rounded.bitPattern == testCase.expected.bitPattern, "got \(rounded), expected \(testCase.expected)")
    }

    @Test func documentedExamples() {
        #expect(Rounding.halfAwayFromZero(1.005, places: 2) == 1.01)
        #expect(Rounding.halfAwayFromZero(2.675, places: 2) == 2.68)
        #expect(Rounding.halfAwayFromZero(-2.675, places: 2) == -2.68)
        #expect(Rounding.fixed(14.5, places: 2) == "14.50")
        #expect(Rounding.fixed(58.25, places: 1) == "58.3")
        #expect(Rounding.fixed(-0.05, places: 1) == "-0.1")
        #expect(Rounding.fixed(0.0, places: 2) == "0.00")
        #expect(Rounding.fixed(1e22, places: 0) == "10000000000000000000000")
        #expect(Rounding.significant(0.0012345, digits: 3) == 0.00123)
        #expect(Rounding.significant(99.96, digits: 3) == 100)
    }

    @Test func optionalAndNonFiniteValues() {
        #expect(Rounding.optional(nil, places: 2) == nil)
        #expect(Rounding.optional(1.005, places: 2) == 1.01)
        #expect(Rounding.halfAwayFromZero(.infinity, places: 2) == .infinity)
        #expect(Rounding.halfAwayFromZero(-.infinity, places: 2) == -.infinity)
        #expect(Rounding.halfAwayFromZero(.nan, places: 2).isNaN)
        #expect(Rounding.significant(.nan, digits: 3).isNaN)
        #expect(Rounding.significant(-.infinity, digits: 3) == -.infinity)
        #expect(Rounding.fixed(.nan, places: 2) == "nan")
        #expect(Rounding.fixed(.infinity, places: 2) == "inf")
        #expect(Rounding.fixed(-.infinity, places: 2) == "-inf")
    }

    @Test func extremePlaces() {
        #expect(Rounding.halfAwayFromZero(.leastNonzeroMagnitude, places: 330) == .leastNonzeroMagnitude)
        #expect(Rounding.halfAwayFromZero(1.5, places: .max) == 1.5)
        #expect(Rounding.halfAwayFromZero(-1.5, places: .min).bitPattern == (-0.0).bitPattern)
        #expect(Rounding.significant(123.0, digits: .max) == 123)
        #expect(Rounding.significant(123.0, digits: .min) == 0)
        #expect(Rounding.fixed(123.0, places: .min) == "0")

        // 5e-324 has the shortest representation "5e-324": digit 5 in the 324th decimal place.
        let tiny = Rounding.fixed(.leastNonzeroMagnitude, places: 330)
        #expect(tiny == "0." + String(repeating: "0", count: 323) + "5" + String(repeating: "0", count: 6))
    }
}

// MARK: - Distributions

@Suite("Regularized incomplete beta and Student t")
struct DistributionTests {
    @Test("regularizedIncompleteBeta matches scipy.special.betainc", arguments: betaCases)
    func incompleteBeta(_ testCase: BetaCase) {
        let value = Statistics.regularizedIncompleteBeta(a: testCase.a, b: testCase.b, x: testCase.x)
        #expect(
            relativeError(value, testCase.expected) <= 1e-10,
            "I_\(testCase.x)(\(testCase.a), \(testCase.b)) = \(value), SciPy \(testCase.expected)"
        )
    }

    @Test("studentTTwoSidedPValue matches 2 * scipy.stats.t.sf(|t|, df)", arguments: studentCases)
    func studentT(_ testCase: StudentCase) {
        let value = Statistics.studentTTwoSidedPValue(t: testCase.t, degreesOfFreedom: testCase.degreesOfFreedom)
        #expect(
            relativeError(value, testCase.expected) <= 1e-10,
            "p(t = \(testCase.t), df = \(testCase.degreesOfFreedom)) = \(value), SciPy \(testCase.expected)"
        )
    }

    @Test func incompleteBetaEdgeCases() {
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: 3, x: 0) == 0)
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: 3, x: -0.5) == 0)
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: 3, x: 1) == 1)
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: 3, x: 7) == 1)
        #expect(Statistics.regularizedIncompleteBeta(a: 0, b: 3, x: 0.5).isNaN)
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: -1, x: 0.5).isNaN)
        #expect(Statistics.regularizedIncompleteBeta(a: 2, b: 3, x: .nan).isNaN)
        // I_x(1, 1) = x and I_x(a, 1) = x^a.
        #expect(relativeError(Statistics.regularizedIncompleteBeta(a: 1, b: 1, x: 0.375), 0.375) <= 1e-14)
        #expect(relativeError(Statistics.regularizedIncompleteBeta(a: 3, b: 1, x: 0.5), 0.125) <= 1e-14)
        // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a).
        let left = Statistics.regularizedIncompleteBeta(a: 4.5, b: 2.25, x: 0.75)
        let right = 1 - Statistics.regularizedIncompleteBeta(a: 2.25, b: 4.5, x: 0.25)
        #expect(abs(left - right) <= 1e-14)
    }

    @Test func studentTEdgeCases() {
        #expect(Statistics.studentTTwoSidedPValue(t: 0, degreesOfFreedom: 5) == 1)
        #expect(Statistics.studentTTwoSidedPValue(t: .infinity, degreesOfFreedom: 5) == 0)
        #expect(Statistics.studentTTwoSidedPValue(t: -.infinity, degreesOfFreedom: 5) == 0)
        #expect(Statistics.studentTTwoSidedPValue(t: .nan, degreesOfFreedom: 5).isNaN)
        #expect(Statistics.studentTTwoSidedPValue(t: 1, degreesOfFreedom: 0).isNaN)
        #expect(Statistics.studentTTwoSidedPValue(t: 1, degreesOfFreedom: -3).isNaN)
        // Symmetric in t.
        #expect(
            Statistics.studentTTwoSidedPValue(t: -2.5, degreesOfFreedom: 9)
                == Statistics.studentTTwoSidedPValue(t: 2.5, degreesOfFreedom: 9))
        // Cauchy (df = 1): p = 1 - 2 atan(|t|) / π; t = 1 gives 0.5.
        #expect(relativeError(Statistics.studentTTwoSidedPValue(t: 1, degreesOfFreedom: 1), 0.5) <= 1e-14)
        // df → ∞ is the normal distribution: 2 * (1 - Φ(1.959963984540054)) = 0.05.
        #expect(
            relativeError(Statistics.studentTTwoSidedPValue(t: 1.959963984540054, degreesOfFreedom: .infinity), 0.05)
                <= 1e-12)
        // t² overflows: the Cauchy tail 2 / (π |t|) is still resolved.
        let huge = Statistics.studentTTwoSidedPValue(t: 1e200, degreesOfFreedom: 1)
        #expect(relativeError(huge, 2 / (Double.pi * 1e200)) <= 1e-10)
    }
}

// MARK: - Regression

@Suite("Linear regression")
struct LinearRegressionTests {
    @Test("linearRegression matches scipy.stats.linregress", arguments: regressionCases)
    func matchesSciPy(_ testCase: RegressionCase) throws {
        let fit = try #require(Statistics.linearRegression(x: testCase.x, y: testCase.y))
        #expect(relativeError(fit.slope, testCase.slope) <= 1e-10)
        #expect(relativeError(fit.intercept, testCase.intercept) <= 1e-10)
        #expect(relativeError(fit.rValue, testCase.rValue) <= 1e-10)
        #expect(relativeError(fit.rSquared, testCase.rSquared) <= 1e-10)
        #expect(relativeError(fit.pValue, testCase.pValue) <= 1e-10, "p = \(fit.pValue), SciPy \(testCase.pValue)")
        #expect(relativeError(fit.standardError, testCase.standardError) <= 1e-10)
        #expect(relativeError(fit.interceptStandardError, testCase.interceptStandardError) <= 1e-10)
    }

    @Test func degenerateInputs() throws {
        #expect(Statistics.linearRegression(x: [], y: []) == nil)
        #expect(Statistics.linearRegression(x: [1], y: [2]) == nil)
        #expect(Statistics.linearRegression(x: [1, 2, 3], y: [1, 2]) == nil)
        #expect(Statistics.linearRegression(x: [4, 4, 4], y: [1, 2, 3]) == nil)

        let rising = try #require(Statistics.linearRegression(x: [1, 3], y: [2, 6]))
        #expect(rising.slope == 2)
        #expect(rising.intercept == 0)
        #expect(rising.pValue == 0)
        #expect(rising.standardError == 0)
        let flatPair = try #require(Statistics.linearRegression(x: [1, 3], y: [5, 5]))
        #expect(flatPair.pValue == 1)

        // Constant y: SciPy reports slope 0 and NaN for r and p.
        let flat = try #require(Statistics.linearRegression(x: [1, 2, 3, 4], y: [5, 5, 5, 5]))
        #expect(flat.slope == 0)
        #expect(flat.intercept == 5)
        #expect(flat.rValue.isNaN)
        #expect(flat.pValue.isNaN)

        // A perfect line: r is clamped to 1 and the p-value is (numerically) zero.
        let line = try #require(Statistics.linearRegression(x: [0, 1, 2, 3, 4, 5], y: [1, 3, 5, 7, 9, 11]))
        #expect(line.slope == 2)
        #expect(line.intercept == 1)
        #expect(line.rValue == 1)
        #expect(line.rSquared == 1)
        #expect(line.pValue < 1e-15)
        #expect(line.standardError == 0)
    }
}

// MARK: - Descriptive statistics

@Suite("Descriptive statistics")
struct DescriptiveStatisticsTests {
    @Test("mean, std and percentile match NumPy", arguments: sampleCases)
    func matchesNumPy(_ testCase: SampleCase) throws {
        let values = testCase.values()
        let mean = try #require(Statistics.mean(values))
        let standardDeviation = try #require(Statistics.populationStandardDeviation(values))
        #expect(relativeError(mean, testCase.mean) <= 1e-12)
        #expect(relativeError(standardDeviation, testCase.standardDeviation) <= 1e-12)
        // Pairwise summation and NumPy's interpolation order are reproduced exactly.
        #expect(mean == testCase.mean)
        #expect(standardDeviation == testCase.standardDeviation)

        let sorted = values.sorted()
        for (level, expected) in zip(percentileLevels, testCase.percentiles) {
            let value = try #require(Statistics.percentile(sorted: sorted, level))
            #expect(relativeError(value, expected) <= 1e-12, "percentile \(level): \(value) vs NumPy \(expected)")
            #expect(value == expected, "percentile \(level): \(value) vs NumPy \(expected)")
        }
    }

    @Test("percentiles by selection equal the percentiles of the sorted sample, bit for bit", arguments: sampleCases)
    func selectionMatchesNumPy(_ testCase: SampleCase) throws {
        var values = testCase.values()
        let selected = Statistics.percentiles(selecting: &values, percentileLevels)
        for (level, (value, expected)) in zip(percentileLevels, zip(selected, testCase.percentiles)) {
            #expect(value == expected, "percentile \(level)")
        }
    }

    @Test(
        "selection over random samples: sorted, reversed, many ties, all equal, every size up to 3,000, and samples of up to 60,000 (the histogram path)"
    )
    func selectionMatchesSort() {
        var rng = SplitMix64(state: 99)
        let levels: [Double] = [0, 0.1, 1, 25, 33.3, 50, 75, 90, 95, 99, 99.9, 100, -1, 101]
        for trial in 0..<400 {
            let n =
                trial < 40
                ? trial
                : trial % 4 == 0 ? Int.random(in: 4_097...60_000, using: &rng) : Int.random(in: 1...3_000, using: &rng)
            var values: [Double]
            switch trial % 5 {
            case 0 where trial % 8 == 0: values = (0..<n).map { _ in Double.random(in: 1e-300...1e300, using: &rng) }
            case 0: values = (0..<n).map { _ in Double.random(in: -1e6...1e6, using: &rng) }
            case 1: values = (0..<n).map { _ in Double(Int.random(in: 0..<7, using: &rng)) }
            case 2: values = (0..<n).map { Double($0) }
            case 3: values = (0..<n).map { Double(n - $0) }
            default: values = Array(repeating: 42.5, count: n)
            }
            let sorted = values.sorted()
            let selected = Statistics.percentiles(selecting: &values, levels)
            for (level, value) in zip(levels, selected) {
                let expected = Statistics.percentile(sorted: sorted, level)
                #expect(value?.bitPattern == expected?.bitPattern, "n = \(n), trial \(trial), level \(level)")
            }
            #expect(values.sorted() == sorted, "selection only reorders")
        }
    }

    @Test func emptyAndInvalidInputs() {
        #expect(Statistics.mean([]) == nil)
        #expect(Statistics.populationStandardDeviation([]) == nil)
        #expect(Statistics.percentile(sorted: [], 50) == nil)
        #expect(Statistics.percentile(sorted: [1, 2], -1) == nil)
        #expect(Statistics.percentile(sorted: [1, 2], 100.5) == nil)
        #expect(Statistics.percentile(sorted: [1, 2], .nan) == nil)
    }

    @Test func smallExamples() {
        #expect(Statistics.mean([1, 2, 3, 4]) == 2.5)
        #expect(Statistics.populationStandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]) == 2)
        #expect(Statistics.percentile(sorted: [1, 2, 3, 4], 50) == 2.5)
        #expect(Statistics.percentile(sorted: [1, 2, 3, 4], 0) == 1)
        #expect(Statistics.percentile(sorted: [1, 2, 3, 4], 100) == 4)
        #expect(Statistics.percentile(sorted: [10], 37) == 10)
        // NumPy sums from +0.0, so an all-negative-zero sample has mean +0.0.
        #expect(Statistics.mean([-0.0, -0.0])?.sign == .plus)
    }
}

// MARK: - Helpers and reference tables

/// `|value - expected| / |expected|`, with exact agreement (including two zeros or two infinities) giving 0.
func relativeError(_ value: Double, _ expected: Double) -> Double {
    if value == expected { return 0 }
    if value.isNaN || expected.isNaN { return .infinity }
    return abs(value - expected) / abs(expected)
}

struct RoundingCase: Sendable, CustomTestStringConvertible {
    var x: Double
    var places: Int
    var rounded: Double
    var fixed: String

    init(_ x: Double, places: Int, rounded: Double, fixed: String) {
        self.x = x
        self.places = places
        self.rounded = rounded
        self.fixed = fixed
    }

    var testDescription: String { "\(x) to \(places) places" }
}

struct SignificantCase: Sendable, CustomTestStringConvertible {
    var x: Double
    var digits: Int
    var expected: Double

    init(_ x: Double, digits: Int, expected: Double) {
        self.x = x
        self.digits = digits
        self.expected = expected
    }

    var testDescription: String { "\(x) to \(digits) significant digits" }
}

struct BetaCase: Sendable, CustomTestStringConvertible {
    var a: Double
    var b: Double
    var x: Double
    var expected: Double

    var testDescription: String { "I_\(x)(\(a), \(b))" }
}

struct StudentCase: Sendable, CustomTestStringConvertible {
    var t: Double
    var degreesOfFreedom: Double
    var expected: Double

    var testDescription: String { "t = \(t), df = \(degreesOfFreedom)" }
}

struct RegressionCase: Sendable, CustomTestStringConvertible {
    var x: [Double]
    var y: [Double]
    var slope: Double
    var intercept: Double
    var rValue: Double
    var rSquared: Double
    var pValue: Double
    var standardError: Double
    var interceptStandardError: Double

    var testDescription: String { "n = \(x.count), slope ≈ \(slope)" }
}

/// A deterministic sample: SplitMix64 outputs mapped to doubles with exact operations only, so that the
/// Python generator and this test produce bit-identical arrays.
struct SampleCase: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable {
        /// Uniform in [-100, 100).
        case uniform
        /// Integers 0 ..< 50 (many ties).
        case integers
        /// 1e6 + uniform [0, 1): large offset, small spread.
        case offset
    }

    var seed: UInt64
    var count: Int
    var kind: Kind
    var mean: Double
    var standardDeviation: Double
    var percentiles: [Double]

    var testDescription: String { "\(kind) sample of \(count) (seed \(seed))" }

    func values() -> [Double] {
        var generator = SplitMix64(state: seed)
        return (0..<count).map { _ in
            let z = generator.next()
            switch kind {
            case .uniform: return Double(z >> 11) * 0x1p-53 * 200 - 100
            case .integers: return Double(z % 50)
            case .offset: return 1e6 + Double(z >> 11) * 0x1p-53
            }
        }
    }
}

// Reference values generated once with Python 3.11.7, NumPy 2.4.6 and SciPy 1.17.1 (decimal module, np.mean,
// np.std, np.percentile, scipy.special.betainc, scipy.stats.t.sf, scipy.stats.linregress), kept in
// `Fixtures/scipy-reference.json`; `Fixtures/check_scipy_reference.py` recomputes them from their inputs.

/// The fixture's tables.
enum SciPyReference {
    static let root: JSONObject = {
        guard
            let url = Bundle.module.url(
                forResource: "scipy-reference", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url), let value = try? JSONParser.parse(Array(data)),
            let object = value.objectValue
        else { fatalError("Fixtures/scipy-reference.json is missing from the test bundle or is not a JSON object") }
        return object
    }()

    static func table(_ name: String) -> [JSONObject] {
        guard let items = root[name]?.arrayValue else { fatalError("scipy-reference.json has no table \(name)") }
        return items.map { item in
            guard let object = item.objectValue else { fatalError("a row of \(name) is not an object") }
            return object
        }
    }
}

/// A fixture number: a JSON number, or "inf", "-inf", "nan".
func fixtureNumber(_ value: JSONValue) -> Double? {
    switch value.stringValue {
    case "inf": .infinity
    case "-inf": -.infinity
    case "nan": .nan
    default: value.doubleValue
    }
}

extension JSONObject {
    /// A number of a fixture row (integers as doubles; "inf", "-inf" and "nan" for what JSON cannot spell).
    func number(_ key: String) -> Double {
        guard let value = self[key].flatMap(fixtureNumber) else {
            fatalError("fixture row without number \(key): \(self)")
        }
        return value
    }

    func integer(_ key: String) -> Int {
        guard let value = self[key]?.int64Value else { fatalError("fixture row without integer \(key): \(self)") }
        return Int(value)
    }

    func numbers(_ key: String) -> [Double] {
        guard let values = self[key]?.arrayValue else { fatalError("fixture row without array \(key): \(self)") }
        return values.map { value in
            guard let x = fixtureNumber(value) else { fatalError("fixture array \(key) holds a non-number") }
            return x
        }
    }
}

let roundingCases: [RoundingCase] = SciPyReference.table("rounding").map {
    RoundingCase(
        $0.number("x"), places: $0.integer("places"), rounded: $0.number("rounded"),
        fixed: $0["fixed"]?.stringValue ?? "")
}

let significantCases: [SignificantCase] = SciPyReference.table("significant").map {
    SignificantCase($0.number("x"), digits: $0.integer("digits"), expected: $0.number("expected"))
}

let betaCases: [BetaCase] = SciPyReference.table("betainc").map {
    BetaCase(a: $0.number("a"), b: $0.number("b"), x: $0.number("x"), expected: $0.number("expected"))
}

let studentCases: [StudentCase] = SciPyReference.table("student_t_two_sided").map {
    StudentCase(t: $0.number("t"), degreesOfFreedom: $0.number("df"), expected: $0.number("expected"))
}

let regressionCases: [RegressionCase] = SciPyReference.table("linregress").map {
    RegressionCase(
        x: $0.numbers("x"), y: $0.numbers("y"), slope: $0.number("slope"), intercept: $0.number("intercept"),
        rValue: $0.number("r_value"), rSquared: $0.number("r_squared"), pValue: $0.number("p_value"),
        standardError: $0.number("stderr"), interceptStandardError: $0.number("intercept_stderr"))
}

let percentileLevels: [Double] = {
    guard let levels = SciPyReference.root["percentile_levels"]?.arrayValue else {
        fatalError("scipy-reference.json has no percentile_levels")
    }
    return levels.compactMap(fixtureNumber)
}()

let sampleCases: [SampleCase] = SciPyReference.table("samples").map { row in
    let kind: SampleCase.Kind
    switch row["kind"]?.stringValue {
    case "uniform": kind = .uniform
    case "integers": kind = .integers
    case "offset": kind = .offset
    default: fatalError("unknown sample kind in \(row)")
    }
    return SampleCase(
        seed: UInt64(row.integer("seed")), count: row.integer("count"), kind: kind, mean: row.number("mean"),
        standardDeviation: row.number("std"), percentiles: row.numbers("percentiles"))
}
