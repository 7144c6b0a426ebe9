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

// Reference values generated once with Python 3.11.7, NumPy 2.4.6 and SciPy 1.17.1 (decimal module, np.mean, np.std,
// np.percentile, scipy.special.betainc, scipy.stats.t.sf, scipy.stats.linregress).

let roundingCases: [RoundingCase] = [
    RoundingCase(0.125, places: 2, rounded: 0.13, fixed: "0.13"),
    RoundingCase(0.125, places: 1, rounded: 0.1, fixed: "0.1"),
    RoundingCase(0.125, places: 0, rounded: 0.0, fixed: "0"),
    RoundingCase(1.005, places: 2, rounded: 1.01, fixed: "1.01"),
    RoundingCase(2.675, places: 2, rounded: 2.68, fixed: "2.68"),
    RoundingCase(-2.675, places: 2, rounded: -2.68, fixed: "-2.68"),
    RoundingCase(1e-05, places: 4, rounded: 0.0, fixed: "0.0000"),
    RoundingCase(1e-05, places: 5, rounded: 1e-05, fixed: "0.00001"),
    RoundingCase(1e-05, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(-1e-05, places: 4, rounded: -0.0, fixed: "-0.0000"),
    RoundingCase(123456789.125, places: 2, rounded: 123456789.13, fixed: "123456789.13"),
    RoundingCase(123456789.125, places: 0, rounded: 123456789.0, fixed: "123456789"),
    RoundingCase(.leastNonzeroMagnitude, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(-.leastNonzeroMagnitude, places: 0, rounded: -0.0, fixed: "-0"),
    RoundingCase(1e+22, places: 2, rounded: 1e+22, fixed: "10000000000000000000000.00"),
    RoundingCase(1e+22, places: 0, rounded: 1e+22, fixed: "10000000000000000000000"),
    RoundingCase(1e+22, places: -2, rounded: 1e+22, fixed: "10000000000000000000000"),
    RoundingCase(1e+22, places: -22, rounded: 1e+22, fixed: "10000000000000000000000"),
    RoundingCase(1e+22, places: -23, rounded: 0.0, fixed: "0"),
    RoundingCase(0.0, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(0.0, places: 0, rounded: 0.0, fixed: "0"),
    RoundingCase(-0.0, places: 2, rounded: -0.0, fixed: "-0.00"),
    RoundingCase(-0.0, places: 0, rounded: -0.0, fixed: "-0"),
    RoundingCase(99.995, places: 2, rounded: 100.0, fixed: "100.00"),
    RoundingCase(99.995, places: 1, rounded: 100.0, fixed: "100.0"),
    RoundingCase(-99.995, places: 2, rounded: -100.0, fixed: "-100.00"),
    RoundingCase(5e-05, places: 4, rounded: 0.0001, fixed: "0.0001"),
    RoundingCase(5e-05, places: 5, rounded: 5e-05, fixed: "0.00005"),
    RoundingCase(4.999e-05, places: 4, rounded: 0.0, fixed: "0.0000"),
    RoundingCase(0.30000000000000004, places: 1, rounded: 0.3, fixed: "0.3"),
    RoundingCase(0.30000000000000004, places: 2, rounded: 0.3, fixed: "0.30"),
    RoundingCase(0.30000000000000004, places: 16, rounded: 0.3, fixed: "0.3000000000000000"),
    RoundingCase(0.30000000000000004, places: 17, rounded: 0.30000000000000004, fixed: "0.30000000000000004"),
    RoundingCase(0.30000000000000004, places: 20, rounded: 0.30000000000000004, fixed: "0.30000000000000004000"),
    RoundingCase(14.5, places: 2, rounded: 14.5, fixed: "14.50"),
    RoundingCase(58.25, places: 1, rounded: 58.3, fixed: "58.3"),
    RoundingCase(-0.05, places: 1, rounded: -0.1, fixed: "-0.1"),
    RoundingCase(-0.004, places: 2, rounded: -0.0, fixed: "-0.00"),
    RoundingCase(0.004, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(0.5, places: 0, rounded: 1.0, fixed: "1"),
    RoundingCase(1.5, places: 0, rounded: 2.0, fixed: "2"),
    RoundingCase(2.5, places: 0, rounded: 3.0, fixed: "3"),
    RoundingCase(-0.5, places: 0, rounded: -1.0, fixed: "-1"),
    RoundingCase(-2.5, places: 0, rounded: -3.0, fixed: "-3"),
    RoundingCase(9.995, places: 2, rounded: 10.0, fixed: "10.00"),
    RoundingCase(999.9995, places: 3, rounded: 1000.0, fixed: "1000.000"),
    RoundingCase(9.9999, places: 3, rounded: 10.0, fixed: "10.000"),
    RoundingCase(-9.9999, places: 3, rounded: -10.0, fixed: "-10.000"),
    RoundingCase(1234.5, places: -2, rounded: 1200.0, fixed: "1200"),
    RoundingCase(1250.0, places: -2, rounded: 1300.0, fixed: "1300"),
    RoundingCase(-1250.0, places: -2, rounded: -1300.0, fixed: "-1300"),
    RoundingCase(1234.5, places: -1, rounded: 1230.0, fixed: "1230"),
    RoundingCase(5e+20, places: 2, rounded: 5e+20, fixed: "500000000000000000000.00"),
    RoundingCase(5e+20, places: -21, rounded: 1e+21, fixed: "1000000000000000000000"),
    RoundingCase(
        1.7976931348623157e+308, places: 2, rounded: 1.7976931348623157e+308,
        fixed: "17976931348623157" + String(repeating: "0", count: 292) + ".00"),
    RoundingCase(
        1.7976931348623157e+308, places: -308, rounded: .infinity, fixed: "2" + String(repeating: "0", count: 308)),
    RoundingCase(2.2250738585072014e-308, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(1e+16, places: 2, rounded: 1e+16, fixed: "10000000000000000.00"),
    RoundingCase(1000000000000000.5, places: 0, rounded: 1000000000000001.0, fixed: "1000000000000001"),
    RoundingCase(0.3, places: 0, rounded: 0.0, fixed: "0"),
    RoundingCase(0.45, places: 1, rounded: 0.5, fixed: "0.5"),
    RoundingCase(0.55, places: 1, rounded: 0.6, fixed: "0.6"),
    RoundingCase(1.45, places: 1, rounded: 1.5, fixed: "1.5"),
    RoundingCase(2.345, places: 2, rounded: 2.35, fixed: "2.35"),
    RoundingCase(1.0000000000000002, places: 15, rounded: 1.0, fixed: "1.000000000000000"),
    RoundingCase(1.0000000000000002, places: 16, rounded: 1.0000000000000002, fixed: "1.0000000000000002"),
    RoundingCase(4.35, places: 1, rounded: 4.4, fixed: "4.4"),
    RoundingCase(4.45, places: 1, rounded: 4.5, fixed: "4.5"),
    RoundingCase(8.875, places: 2, rounded: 8.88, fixed: "8.88"),
    RoundingCase(0.285, places: 2, rounded: 0.29, fixed: "0.29"),
    RoundingCase(1.115, places: 2, rounded: 1.12, fixed: "1.12"),
    RoundingCase(-1.115, places: 2, rounded: -1.12, fixed: "-1.12"),
    RoundingCase(1e-07, places: 6, rounded: 0.0, fixed: "0.000000"),
    RoundingCase(5e-07, places: 6, rounded: 1e-06, fixed: "0.000001"),
    RoundingCase(5e-07, places: 6, rounded: 1e-06, fixed: "0.000001"),
    RoundingCase(123.456, places: 10, rounded: 123.456, fixed: "123.4560000000"),
    RoundingCase(6.02214076e+23, places: 2, rounded: 6.02214076e+23, fixed: "602214076000000000000000.00"),
    RoundingCase(0.994999, places: 2, rounded: 0.99, fixed: "0.99"),
    RoundingCase(0.995, places: 2, rounded: 1.0, fixed: "1.00"),
    RoundingCase(27.14225, places: 4, rounded: 27.1423, fixed: "27.1423"),
    RoundingCase(-3509.125, places: 2, rounded: -3509.13, fixed: "-3509.13"),
    RoundingCase(-0.778955, places: 5, rounded: -0.77896, fixed: "-0.77896"),
    RoundingCase(6008365.5, places: 0, rounded: 6008366.0, fixed: "6008366"),
    RoundingCase(-0.000235, places: 5, rounded: -0.00024, fixed: "-0.00024"),
    RoundingCase(-348.75, places: 1, rounded: -348.8, fixed: "-348.8"),
    RoundingCase(-67209.685, places: 2, rounded: -67209.69, fixed: "-67209.69"),
    RoundingCase(432.6245, places: 3, rounded: 432.625, fixed: "432.625"),
    RoundingCase(0.0009135, places: 6, rounded: 0.000914, fixed: "0.000914"),
    RoundingCase(-4.85455, places: 4, rounded: -4.8546, fixed: "-4.8546"),
    RoundingCase(-875.25, places: 1, rounded: -875.3, fixed: "-875.3"),
    RoundingCase(0.0105, places: 3, rounded: 0.011, fixed: "0.011"),
    RoundingCase(857971.5, places: 0, rounded: 857972.0, fixed: "857972"),
    RoundingCase(-60.623295, places: 5, rounded: -60.6233, fixed: "-60.62330"),
    RoundingCase(44447.2695, places: 3, rounded: 44447.27, fixed: "44447.270"),
    RoundingCase(72.5, places: 0, rounded: 73.0, fixed: "73"),
    RoundingCase(0.000105, places: 5, rounded: 0.00011, fixed: "0.00011"),
    RoundingCase(-7363.795, places: 2, rounded: -7363.8, fixed: "-7363.80"),
    RoundingCase(0.00055, places: 4, rounded: 0.0006, fixed: "0.0006"),
    RoundingCase(4068.5, places: 0, rounded: 4069.0, fixed: "4069"),
    RoundingCase(7646.935, places: 2, rounded: 7646.94, fixed: "7646.94"),
    RoundingCase(-9.55, places: 1, rounded: -9.6, fixed: "-9.6"),
    RoundingCase(0.0012935, places: 6, rounded: 0.001294, fixed: "0.001294"),
    RoundingCase(81.5185, places: 3, rounded: 81.519, fixed: "81.519"),
    RoundingCase(3.05, places: 1, rounded: 3.1, fixed: "3.1"),
    RoundingCase(4602.215, places: 2, rounded: 4602.22, fixed: "4602.22"),
    RoundingCase(-36.5, places: 0, rounded: -37.0, fixed: "-37"),
    RoundingCase(-3114.5405, places: 3, rounded: -3114.541, fixed: "-3114.541"),
    RoundingCase(0.00085, places: 4, rounded: 0.0009, fixed: "0.0009"),
    RoundingCase(45050448.5, places: 0, rounded: 45050449.0, fixed: "45050449"),
    RoundingCase(4.85e-05, places: 6, rounded: 4.9e-05, fixed: "0.000049"),
    RoundingCase(-0.0895, places: 3, rounded: -0.09, fixed: "-0.090"),
    RoundingCase(-27.385, places: 2, rounded: -27.39, fixed: "-27.39"),
    RoundingCase(125276.55, places: 1, rounded: 125276.6, fixed: "125276.6"),
    RoundingCase(-46263.175, places: 2, rounded: -46263.18, fixed: "-46263.18"),
    RoundingCase(9611084.5, places: 0, rounded: 9611085.0, fixed: "9611085"),
    RoundingCase(0.391635, places: 5, rounded: 0.39164, fixed: "0.39164"),
    RoundingCase(0.8685, places: 3, rounded: 0.869, fixed: "0.869"),
    RoundingCase(-674.145, places: 2, rounded: -674.15, fixed: "-674.15"),
    RoundingCase(64.277675, places: 5, rounded: 64.27768, fixed: "64.27768"),
    RoundingCase(775657.55, places: 1, rounded: 775657.6, fixed: "775657.6"),
    RoundingCase(0.15, places: 1, rounded: 0.2, fixed: "0.2"),
    RoundingCase(3.235, places: 2, rounded: 3.24, fixed: "3.24"),
    RoundingCase(0.086335, places: 5, rounded: 0.08634, fixed: "0.08634"),
    RoundingCase(-0.0095, places: 3, rounded: -0.01, fixed: "-0.010"),
    RoundingCase(-0.000565, places: 5, rounded: -0.00057, fixed: "-0.00057"),
    RoundingCase(-8.5, places: 0, rounded: -9.0, fixed: "-9"),
    RoundingCase(-4.7699755, places: 6, rounded: -4.769976, fixed: "-4.769976"),
    RoundingCase(-38216518.5, places: 0, rounded: -38216519.0, fixed: "-38216519"),
    RoundingCase(-0.0498585, places: 6, rounded: -0.049859, fixed: "-0.049859"),
    RoundingCase(0.006335, places: 5, rounded: 0.00634, fixed: "0.00634"),
    RoundingCase(-156104.5, places: 0, rounded: -156105.0, fixed: "-156105"),
    RoundingCase(98.47245, places: 4, rounded: 98.4725, fixed: "98.4725"),
    RoundingCase(-8.175835, places: 5, rounded: -8.17584, fixed: "-8.17584"),
    RoundingCase(95.45, places: 1, rounded: 95.5, fixed: "95.5"),
    RoundingCase(-72.08655, places: 4, rounded: -72.0866, fixed: "-72.0866"),
    RoundingCase(0.075, places: 2, rounded: 0.08, fixed: "0.08"),
    RoundingCase(11762.805, places: 2, rounded: 11762.81, fixed: "11762.81"),
    RoundingCase(726775.05, places: 1, rounded: 726775.1, fixed: "726775.1"),
    RoundingCase(-0.0371345, places: 6, rounded: -0.037135, fixed: "-0.037135"),
    RoundingCase(6202.90785, places: 4, rounded: 6202.9079, fixed: "6202.9079"),
    RoundingCase(0.3397195, places: 6, rounded: 0.33972, fixed: "0.339720"),
    RoundingCase(0.013275, places: 5, rounded: 0.01328, fixed: "0.01328"),
    RoundingCase(0.00095, places: 4, rounded: 0.001, fixed: "0.0010"),
    RoundingCase(-857.5, places: 0, rounded: -858.0, fixed: "-858"),
    RoundingCase(14.24385, places: 4, rounded: 14.2439, fixed: "14.2439"),
    RoundingCase(0.0529575, places: 6, rounded: 0.052958, fixed: "0.052958"),
    RoundingCase(-9.24805, places: 4, rounded: -9.2481, fixed: "-9.2481"),
    RoundingCase(0.15, places: 1, rounded: 0.2, fixed: "0.2"),
    RoundingCase(-45.5, places: 0, rounded: -46.0, fixed: "-46"),
    RoundingCase(429.293285, places: 5, rounded: 429.29329, fixed: "429.29329"),
    RoundingCase(-0.06605, places: 4, rounded: -0.0661, fixed: "-0.0661"),
    RoundingCase(-0.0891575, places: 6, rounded: -0.089158, fixed: "-0.089158"),
    RoundingCase(95240.7035, places: 3, rounded: 95240.704, fixed: "95240.704"),
    RoundingCase(0.5360495, places: 6, rounded: 0.53605, fixed: "0.536050"),
    RoundingCase(0.0001005, places: 6, rounded: 0.000101, fixed: "0.000101"),
    RoundingCase(518.1495, places: 3, rounded: 518.15, fixed: "518.150"),
    RoundingCase(7781.43205, places: 4, rounded: 7781.4321, fixed: "7781.4321"),
    RoundingCase(212364.5, places: 0, rounded: 212365.0, fixed: "212365"),
    RoundingCase(3635.335, places: 2, rounded: 3635.34, fixed: "3635.34"),
    RoundingCase(16.30585, places: 4, rounded: 16.3059, fixed: "16.3059"),
    RoundingCase(6030659.35, places: 1, rounded: 6030659.4, fixed: "6030659.4"),
    RoundingCase(0.0072885, places: 6, rounded: 0.007289, fixed: "0.007289"),
    RoundingCase(-784.35, places: 1, rounded: -784.4, fixed: "-784.4"),
    RoundingCase(-0.105, places: 2, rounded: -0.11, fixed: "-0.11"),
    RoundingCase(9.5e-05, places: 5, rounded: 0.0001, fixed: "0.00010"),
    RoundingCase(50.291555, places: 5, rounded: 50.29156, fixed: "50.29156"),
    RoundingCase(0.000105, places: 5, rounded: 0.00011, fixed: "0.00011"),
    RoundingCase(-0.041735, places: 5, rounded: -0.04174, fixed: "-0.04174"),
    RoundingCase(80.868995, places: 5, rounded: 80.869, fixed: "80.86900"),
    RoundingCase(8061.135, places: 2, rounded: 8061.14, fixed: "8061.14"),
    RoundingCase(-0.0825, places: 3, rounded: -0.083, fixed: "-0.083"),
    RoundingCase(6.55, places: 1, rounded: 6.6, fixed: "6.6"),
    RoundingCase(6155.485, places: 2, rounded: 6155.49, fixed: "6155.49"),
    RoundingCase(-627.1335, places: 3, rounded: -627.134, fixed: "-627.134"),
    RoundingCase(66905.35, places: 1, rounded: 66905.4, fixed: "66905.4"),
    RoundingCase(0.00815, places: 4, rounded: 0.0082, fixed: "0.0082"),
    RoundingCase(731.45, places: 1, rounded: 731.5, fixed: "731.5"),
    RoundingCase(7.5e-06, places: 6, rounded: 8e-06, fixed: "0.000008"),
    RoundingCase(-44.2754685, places: 6, rounded: -44.275469, fixed: "-44.275469"),
    RoundingCase(31911.945, places: 2, rounded: 31911.95, fixed: "31911.95"),
    RoundingCase(2.5e-06, places: 6, rounded: 3e-06, fixed: "0.000003"),
    RoundingCase(92.4645, places: 3, rounded: 92.465, fixed: "92.465"),
    RoundingCase(-0.005, places: 2, rounded: -0.01, fixed: "-0.01"),
    RoundingCase(0.00065, places: 4, rounded: 0.0007, fixed: "0.0007"),
    RoundingCase(8.5e-06, places: 6, rounded: 9e-06, fixed: "0.000009"),
    RoundingCase(-5.5e-05, places: 5, rounded: -6e-05, fixed: "-0.00006"),
    RoundingCase(0.0005, places: 3, rounded: 0.001, fixed: "0.001"),
    RoundingCase(29532294.5, places: 0, rounded: 29532295.0, fixed: "29532295"),
    RoundingCase(-93.215, places: 2, rounded: -93.22, fixed: "-93.22"),
    RoundingCase(-0.0003465, places: 6, rounded: -0.000347, fixed: "-0.000347"),
    RoundingCase(3662838.35, places: 1, rounded: 3662838.4, fixed: "3662838.4"),
    RoundingCase(0.0095, places: 3, rounded: 0.01, fixed: "0.010"),
    RoundingCase(-0.0135, places: 3, rounded: -0.014, fixed: "-0.014"),
    RoundingCase(0.0965, places: 3, rounded: 0.097, fixed: "0.097"),
    RoundingCase(7807959.5, places: 0, rounded: 7807960.0, fixed: "7807960"),
    RoundingCase(-553.665, places: 2, rounded: -553.67, fixed: "-553.67"),
    RoundingCase(0.865, places: 2, rounded: 0.87, fixed: "0.87"),
    RoundingCase(-0.00015, places: 4, rounded: -0.0002, fixed: "-0.0002"),
    RoundingCase(83.095, places: 2, rounded: 83.1, fixed: "83.10"),
    RoundingCase(-3.145791087606944e-06, places: 2, rounded: -0.0, fixed: "-0.00"),
    RoundingCase(-1831941.483197206, places: -2, rounded: -1831900.0, fixed: "-1831900"),
    RoundingCase(-8.641656582422658e-08, places: 3, rounded: -0.0, fixed: "-0.000"),
    RoundingCase(-2345267.046154136, places: 2, rounded: -2345267.05, fixed: "-2345267.05"),
    RoundingCase(-6.189121728580958e-09, places: 5, rounded: -0.0, fixed: "-0.00000"),
    RoundingCase(958032800993.5297, places: 10, rounded: 958032800993.5297, fixed: "958032800993.5297000000"),
    RoundingCase(1486.7340769091797, places: 4, rounded: 1486.7341, fixed: "1486.7341"),
    RoundingCase(0.003946362546512721, places: -1, rounded: 0.0, fixed: "0"),
    RoundingCase(-39650.334235168724, places: 5, rounded: -39650.33424, fixed: "-39650.33424"),
    RoundingCase(94.00060852712056, places: 0, rounded: 94.0, fixed: "94"),
    RoundingCase(-9.263422436908025e-05, places: 2, rounded: -0.0, fixed: "-0.00"),
    RoundingCase(4.0652076608097754e-08, places: 8, rounded: 4e-08, fixed: "0.00000004"),
    RoundingCase(2.7969129748746743e-08, places: 2, rounded: 0.0, fixed: "0.00"),
    RoundingCase(-8176294.60065314, places: 5, rounded: -8176294.60065, fixed: "-8176294.60065"),
    RoundingCase(3677817512.389654, places: 8, rounded: 3677817512.389654, fixed: "3677817512.38965400"),
    RoundingCase(745705054911.0804, places: 2, rounded: 745705054911.08, fixed: "745705054911.08"),
    RoundingCase(2381441.1885645017, places: 1, rounded: 2381441.2, fixed: "2381441.2"),
    RoundingCase(-4.421340587632705, places: 4, rounded: -4.4213, fixed: "-4.4213"),
    RoundingCase(-1076882.1352650137, places: 8, rounded: -1076882.13526501, fixed: "-1076882.13526501"),
    RoundingCase(-524985.9507137972, places: 4, rounded: -524985.9507, fixed: "-524985.9507"),
    RoundingCase(0.7223562930649141, places: 2, rounded: 0.72, fixed: "0.72"),
    RoundingCase(-7.472018301720571e-05, places: 1, rounded: -0.0, fixed: "-0.0"),
    RoundingCase(-5.957596980545854e-09, places: 4, rounded: -0.0, fixed: "-0.0000"),
    RoundingCase(0.09998231740841144, places: 9, rounded: 0.099982317, fixed: "0.099982317"),
    RoundingCase(-3684699.729748051, places: 3, rounded: -3684699.73, fixed: "-3684699.730"),
    RoundingCase(-6.251280990979202, places: 9, rounded: -6.251280991, fixed: "-6.251280991"),
    RoundingCase(-0.0048096366491770515, places: 8, rounded: -0.00480964, fixed: "-0.00480964"),
    RoundingCase(21171.331349360844, places: 3, rounded: 21171.331, fixed: "21171.331"),
    RoundingCase(-755043230410.3428, places: 8, rounded: -755043230410.3428, fixed: "-755043230410.34280000"),
    RoundingCase(7156168.171517903, places: -2, rounded: 7156200.0, fixed: "7156200"),
    RoundingCase(3.4183112734267906e-05, places: 9, rounded: 3.4183e-05, fixed: "0.000034183"),
    RoundingCase(9.454583555301608e-05, places: 1, rounded: 0.0, fixed: "0.0"),
    RoundingCase(-74306664.17507832, places: 1, rounded: -74306664.2, fixed: "-74306664.2"),
    RoundingCase(-0.37179164686176036, places: -1, rounded: -0.0, fixed: "-0"),
    RoundingCase(-6.731160070001776e-08, places: 10, rounded: -6.73e-08, fixed: "-0.0000000673"),
    RoundingCase(5662514344.893543, places: 4, rounded: 5662514344.8935, fixed: "5662514344.8935"),
    RoundingCase(0.08740363086569691, places: 3, rounded: 0.087, fixed: "0.087"),
    RoundingCase(-75229803265.37292, places: 2, rounded: -75229803265.37, fixed: "-75229803265.37"),
    RoundingCase(-0.0009886332476088102, places: 9, rounded: -0.000988633, fixed: "-0.000988633"),
    RoundingCase(-51775611.95551741, places: 1, rounded: -51775612.0, fixed: "-51775612.0"),
    RoundingCase(-0.30943154953533725, places: -2, rounded: -0.0, fixed: "-0"),
    RoundingCase(-84880852.59537892, places: 2, rounded: -84880852.6, fixed: "-84880852.60"),
    RoundingCase(64156971.99240622, places: 10, rounded: 64156971.99240622, fixed: "64156971.9924062200"),
    RoundingCase(938813036292.8444, places: 8, rounded: 938813036292.8444, fixed: "938813036292.84440000"),
    RoundingCase(-6323.468769839824, places: -2, rounded: -6300.0, fixed: "-6300"),
    RoundingCase(0.026513778743567952, places: 2, rounded: 0.03, fixed: "0.03"),
    RoundingCase(0.0005802576617349664, places: 9, rounded: 0.000580258, fixed: "0.000580258"),
    RoundingCase(393773693.84996784, places: -1, rounded: 393773690.0, fixed: "393773690"),
    RoundingCase(-1.5428442212467018e-07, places: -3, rounded: -0.0, fixed: "-0"),
    RoundingCase(668.3822378681527, places: -1, rounded: 670.0, fixed: "670"),
    RoundingCase(-7078210.430052083, places: 2, rounded: -7078210.43, fixed: "-7078210.43"),
    RoundingCase(-4.793843348380982, places: 9, rounded: -4.793843348, fixed: "-4.793843348"),
    RoundingCase(3.5027100493890175e-06, places: -2, rounded: 0.0, fixed: "0"),
    RoundingCase(587888632.3673991, places: -3, rounded: 587889000.0, fixed: "587889000"),
    RoundingCase(8388867899.517776, places: 6, rounded: 8388867899.517776, fixed: "8388867899.517776"),
    RoundingCase(-7.213834814647106e-07, places: 7, rounded: -7e-07, fixed: "-0.0000007"),
    RoundingCase(-36.96916848121574, places: -1, rounded: -40.0, fixed: "-40"),
    RoundingCase(-153968.139723768, places: 2, rounded: -153968.14, fixed: "-153968.14"),
    RoundingCase(2.5230022548488494e-08, places: 6, rounded: 0.0, fixed: "0.000000"),
    RoundingCase(-7.846767777948397e-06, places: 5, rounded: -1e-05, fixed: "-0.00001"),
    RoundingCase(-6.8296423654906295e-09, places: 2, rounded: -0.0, fixed: "-0.00"),
    RoundingCase(1.5259095296626102e-07, places: 5, rounded: 0.0, fixed: "0.00000"),
    RoundingCase(9.436372238122171e-06, places: 1, rounded: 0.0, fixed: "0.0"),
    RoundingCase(8.859195252839898e-06, places: 7, rounded: 8.9e-06, fixed: "0.0000089"),
    RoundingCase(3.388459498699725e-08, places: 6, rounded: 0.0, fixed: "0.000000"),
    RoundingCase(52961.16415436991, places: 2, rounded: 52961.16, fixed: "52961.16"),
    RoundingCase(-6502666.753253427, places: -1, rounded: -6502670.0, fixed: "-6502670"),
    RoundingCase(-99.41964902714335, places: -3, rounded: -0.0, fixed: "-0"),
    RoundingCase(20091307697.71106, places: 4, rounded: 20091307697.7111, fixed: "20091307697.7111"),
    RoundingCase(-63917.988410361024, places: 6, rounded: -63917.98841, fixed: "-63917.988410"),
    RoundingCase(9.486190774068201e-09, places: 10, rounded: 9.5e-09, fixed: "0.0000000095"),
    RoundingCase(-647367965892.9696, places: 4, rounded: -647367965892.9696, fixed: "-647367965892.9696"),
    RoundingCase(-94899.78200812185, places: 6, rounded: -94899.782008, fixed: "-94899.782008"),
    RoundingCase(-9.641519786668112e-05, places: 6, rounded: -9.6e-05, fixed: "-0.000096"),
    RoundingCase(499.7878421004298, places: -2, rounded: 500.0, fixed: "500"),
    RoundingCase(-988382309.5772737, places: -1, rounded: -988382310.0, fixed: "-988382310"),
    RoundingCase(8.579235163680855e-05, places: -1, rounded: 0.0, fixed: "0"),
    RoundingCase(3221288028.104632, places: 5, rounded: 3221288028.10463, fixed: "3221288028.10463"),
    RoundingCase(-6.045891827991778, places: 8, rounded: -6.04589183, fixed: "-6.04589183"),
    RoundingCase(-0.4444342943652184, places: -2, rounded: -0.0, fixed: "-0"),
]

let significantCases: [SignificantCase] = [
    SignificantCase(0.0012345, digits: 3, expected: 0.00123),
    SignificantCase(99.96, digits: 3, expected: 100.0),
    SignificantCase(123456.0, digits: 2, expected: 120000.0),
    SignificantCase(-2.675, digits: 3, expected: -2.68),
    SignificantCase(1.005, digits: 3, expected: 1.01),
    SignificantCase(0.0, digits: 3, expected: 0.0),
    SignificantCase(-0.0, digits: 2, expected: 0.0),
    SignificantCase(1e+22, digits: 1, expected: 1e+22),
    SignificantCase(9.995, digits: 3, expected: 10.0),
    SignificantCase(-0.05, digits: 1, expected: -0.05),
    SignificantCase(12345.6789, digits: 0, expected: 0.0),
    SignificantCase(56789.0, digits: 0, expected: 100000.0),
    SignificantCase(0.15, digits: 1, expected: 0.2),
    SignificantCase(0.25, digits: 1, expected: 0.3),
    SignificantCase(-0.25, digits: 1, expected: -0.3),
    SignificantCase(1e-05, digits: 1, expected: 1e-05),
    SignificantCase(2.5e-05, digits: 1, expected: 3e-05),
    SignificantCase(1.7976931348623157e+308, digits: 1, expected: .infinity),
    SignificantCase(0.30000000000000004, digits: 17, expected: 0.30000000000000004),
    SignificantCase(0.30000000000000004, digits: 16, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 3, expected: 0.3),
    SignificantCase(8.5, digits: 1, expected: 9.0),
    SignificantCase(9.5, digits: 1, expected: 10.0),
    SignificantCase(-9.5, digits: 1, expected: -10.0),
    SignificantCase(.leastNonzeroMagnitude, digits: 1, expected: .leastNonzeroMagnitude),
    SignificantCase(123.456, digits: 5, expected: 123.46),
    SignificantCase(123.456, digits: 20, expected: 123.456),
    SignificantCase(0.000123456, digits: 2, expected: 0.00012),
    SignificantCase(-987654.321, digits: 4, expected: -987700.0),
    SignificantCase(0.30000000000000004, digits: 1, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 2, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 3, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 4, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 5, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 6, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 7, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 8, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 9, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 10, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 11, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 12, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 13, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 14, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 15, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 16, expected: 0.3),
    SignificantCase(0.30000000000000004, digits: 17, expected: 0.30000000000000004),
    SignificantCase(-4265230.933305149, digits: 5, expected: -4265200.0),
    SignificantCase(-4.941919082001758e-10, digits: 4, expected: -4.942e-10),
    SignificantCase(-97834253571041.23, digits: 3, expected: -97800000000000.0),
    SignificantCase(8.99998402098448, digits: 4, expected: 9.0),
    SignificantCase(7237278.448605929, digits: 6, expected: 7237280.0),
    SignificantCase(-0.5372439511521923, digits: 8, expected: -0.53724395),
    SignificantCase(2.337791456146827e-08, digits: 7, expected: 2.337791e-08),
    SignificantCase(-83784886.5226093, digits: 2, expected: -84000000.0),
    SignificantCase(4935278371228.235, digits: 3, expected: 4940000000000.0),
    SignificantCase(-8.347438398303726, digits: 6, expected: -8.34744),
    SignificantCase(-0.0038179199085771475, digits: 2, expected: -0.0038),
    SignificantCase(-9198241.943216441, digits: 1, expected: -9000000.0),
    SignificantCase(-4.111145345861194e-11, digits: 3, expected: -4.11e-11),
    SignificantCase(-2.8509352588957702e-08, digits: 8, expected: -2.8509353e-08),
    SignificantCase(-2.0171827627859274e-06, digits: 6, expected: -2.01718e-06),
    SignificantCase(-8032608883.045327, digits: 5, expected: -8032600000.0),
    SignificantCase(-4.841448615577559, digits: 3, expected: -4.84),
    SignificantCase(385373283099047.75, digits: 8, expected: 385373280000000.0),
    SignificantCase(-643756351144.9347, digits: 8, expected: -643756350000.0),
    SignificantCase(285.54510541485655, digits: 6, expected: 285.545),
    SignificantCase(492.4949160659231, digits: 6, expected: 492.495),
    SignificantCase(-672305392135829.2, digits: 1, expected: -700000000000000.0),
    SignificantCase(-707834261910164.5, digits: 8, expected: -707834260000000.0),
    SignificantCase(-0.0008246899206663953, digits: 6, expected: -0.00082469),
    SignificantCase(881362.1034751742, digits: 6, expected: 881362.0),
    SignificantCase(-9.416991444424625e-07, digits: 4, expected: -9.417e-07),
    SignificantCase(-6.123089747771175, digits: 6, expected: -6.12309),
    SignificantCase(-69.1412895318158, digits: 6, expected: -69.1413),
    SignificantCase(5.193618681967491, digits: 3, expected: 5.19),
    SignificantCase(43971.37930487427, digits: 1, expected: 40000.0),
    SignificantCase(-51380048445.52977, digits: 2, expected: -51000000000.0),
    SignificantCase(3.473787499275849e-11, digits: 2, expected: 3.5e-11),
    SignificantCase(-0.0004757382334815221, digits: 1, expected: -0.0005),
    SignificantCase(1443614.8451021702, digits: 1, expected: 1000000.0),
    SignificantCase(-846.5806279132961, digits: 3, expected: -847.0),
    SignificantCase(3310123754465.2686, digits: 4, expected: 3310000000000.0),
    SignificantCase(2315228.7483002753, digits: 6, expected: 2315230.0),
    SignificantCase(-17498989937972.32, digits: 8, expected: -17498990000000.0),
    SignificantCase(4.4667026237501513e-10, digits: 5, expected: 4.4667e-10),
    SignificantCase(502694773266362.7, digits: 7, expected: 502694800000000.0),
    SignificantCase(67.09980547336944, digits: 8, expected: 67.099805),
    SignificantCase(48636993076.27063, digits: 8, expected: 48636993000.0),
    SignificantCase(5.822743622664743e-08, digits: 1, expected: 6e-08),
    SignificantCase(-3519.0043682609808, digits: 6, expected: -3519.0),
    SignificantCase(-969077.5181777509, digits: 2, expected: -970000.0),
    SignificantCase(2578546.980778058, digits: 6, expected: 2578550.0),
    SignificantCase(-0.16204440060931824, digits: 2, expected: -0.16),
    SignificantCase(-5.962570908548828e-10, digits: 6, expected: -5.96257e-10),
    SignificantCase(949.5156840993463, digits: 3, expected: 950.0),
    SignificantCase(-0.43483184260053265, digits: 7, expected: -0.4348318),
    SignificantCase(-29.204909854626916, digits: 3, expected: -29.2),
    SignificantCase(-0.49463174941258625, digits: 6, expected: -0.494632),
    SignificantCase(9769.050804615264, digits: 7, expected: 9769.051),
    SignificantCase(-0.002727990403664673, digits: 2, expected: -0.0027),
    SignificantCase(7.985841412106415, digits: 3, expected: 7.99),
    SignificantCase(5.11235251574111e-10, digits: 1, expected: 5e-10),
    SignificantCase(394062987785.1176, digits: 4, expected: 394100000000.0),
    SignificantCase(61836.01098059417, digits: 3, expected: 61800.0),
    SignificantCase(-4558704504.842712, digits: 7, expected: -4558705000.0),
    SignificantCase(-0.009659189238640975, digits: 6, expected: -0.00965919),
    SignificantCase(-4.107424403707694e-06, digits: 4, expected: -4.107e-06),
    SignificantCase(6.133341905671017e-10, digits: 5, expected: 6.1333e-10),
    SignificantCase(8648.323870789074, digits: 2, expected: 8600.0),
    SignificantCase(-44.87400997063151, digits: 2, expected: -45.0),
    SignificantCase(1481617.1663753553, digits: 2, expected: 1500000.0),
    SignificantCase(0.0022033400999626673, digits: 5, expected: 0.0022033),
    SignificantCase(524.7954969033897, digits: 7, expected: 524.7955),
    SignificantCase(1.6124099007878814e-11, digits: 1, expected: 2e-11),
    SignificantCase(652.7747794026789, digits: 6, expected: 652.775),
    SignificantCase(0.5258548538099572, digits: 8, expected: 0.52585485),
    SignificantCase(80036.27613471098, digits: 6, expected: 80036.3),
    SignificantCase(312381470235392.44, digits: 7, expected: 312381500000000.0),
    SignificantCase(-12183.280678650155, digits: 7, expected: -12183.28),
    SignificantCase(6.129388615237388e-05, digits: 5, expected: 6.1294e-05),
    SignificantCase(941228264614268.2, digits: 4, expected: 941200000000000.0),
    SignificantCase(813121.245969117, digits: 1, expected: 800000.0),
    SignificantCase(-860937.6471372754, digits: 6, expected: -860938.0),
    SignificantCase(11712426482.276417, digits: 6, expected: 11712400000.0),
    SignificantCase(-0.45854894722499395, digits: 8, expected: -0.45854895),
    SignificantCase(0.0023966154894132763, digits: 2, expected: 0.0024),
]

let betaCases: [BetaCase] = [
    BetaCase(a: 0.5, b: 0.5, x: 1e-06, expected: 0.0006366198784709245),
    BetaCase(a: 0.5, b: 0.5, x: 0.01, expected: 0.06376856085851985),
    BetaCase(a: 0.5, b: 0.5, x: 0.3, expected: 0.36901011956554536),
    BetaCase(a: 0.5, b: 0.5, x: 0.5, expected: 0.5000000000000001),
    BetaCase(a: 0.5, b: 0.5, x: 0.9, expected: 0.7951672353008665),
    BetaCase(a: 0.5, b: 0.5, x: 0.999, expected: 0.9798649583666235),
    BetaCase(a: 0.5, b: 1.0, x: 1e-06, expected: 0.001),
    BetaCase(a: 0.5, b: 1.0, x: 0.01, expected: 0.1),
    BetaCase(a: 0.5, b: 1.0, x: 0.3, expected: 0.5477225575051661),
    BetaCase(a: 0.5, b: 1.0, x: 0.5, expected: 0.7071067811865476),
    BetaCase(a: 0.5, b: 1.0, x: 0.9, expected: 0.9486832980505138),
    BetaCase(a: 0.5, b: 1.0, x: 0.999, expected: 0.999499874937461),
    BetaCase(a: 0.5, b: 2.5, x: 1e-06, expected: 0.0016976518774873145),
    BetaCase(a: 0.5, b: 2.5, x: 0.01, expected: 0.1689177210279435),
    BetaCase(a: 0.5, b: 2.5, x: 0.3, expected: 0.7968893362799453),
    BetaCase(a: 0.5, b: 2.5, x: 0.5, expected: 0.9244131815783876),
    BetaCase(a: 0.5, b: 2.5, x: 0.9, expected: 0.9988855624584926),
    BetaCase(a: 0.5, b: 2.5, x: 0.999, expected: 0.9999999892592646),
    BetaCase(a: 0.5, b: 5.0, x: 1e-06, expected: 0.002460934218752953),
    BetaCase(a: 0.5, b: 5.0, x: 0.01, expected: 0.24284189089843747),
    BetaCase(a: 0.5, b: 5.0, x: 0.3, expected: 0.9347377538310915),
    BetaCase(a: 0.5, b: 5.0, x: 0.5, expected: 0.9898804402645663),
    BetaCase(a: 0.5, b: 5.0, x: 0.9, expected: 0.9999974294103009),
    BetaCase(a: 0.5, b: 5.0, x: 0.999, expected: 0.9999999999999998),
    BetaCase(a: 0.5, b: 10.0, x: 1e-06, expected: 0.003523930468241314),
    BetaCase(a: 0.5, b: 10.0, x: 0.01, expected: 0.3420718248432154),
    BetaCase(a: 0.5, b: 10.0, x: 0.3, expected: 0.9916774951375363),
    BetaCase(a: 0.5, b: 10.0, x: 0.5, expected: 0.9997665525652514),
    BetaCase(a: 0.5, b: 10.0, x: 0.9, expected: 0.9999999999815198),
    BetaCase(a: 0.5, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 0.5, b: 50.0, x: 1e-06, expected: 0.007958793744835393),
    BetaCase(a: 0.5, b: 50.0, x: 0.01, expected: 0.6826956021258024),
    BetaCase(a: 0.5, b: 50.0, x: 0.3, expected: 0.9999999974428065),
    BetaCase(a: 0.5, b: 50.0, x: 0.5, expected: 0.9999999999999999),
    BetaCase(a: 0.5, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 0.5, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 0.5, b: 200.0, x: 1e-06, expected: 0.01594666298287266),
    BetaCase(a: 0.5, b: 200.0, x: 0.01, expected: 0.9549058928629202),
    BetaCase(a: 0.5, b: 200.0, x: 0.3, expected: 1.0),
    BetaCase(a: 0.5, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 0.5, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 0.5, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 1.0, b: 0.5, x: 1e-06, expected: 5.000001250000625e-07),
    BetaCase(a: 1.0, b: 0.5, x: 0.01, expected: 0.005012562893380045),
    BetaCase(a: 1.0, b: 0.5, x: 0.3, expected: 0.16333997346592444),
    BetaCase(a: 1.0, b: 0.5, x: 0.5, expected: 0.2928932188134525),
    BetaCase(a: 1.0, b: 0.5, x: 0.9, expected: 0.6837722339831621),
    BetaCase(a: 1.0, b: 0.5, x: 0.999, expected: 0.9683772233983162),
    BetaCase(a: 1.0, b: 1.0, x: 1e-06, expected: 1e-06),
    BetaCase(a: 1.0, b: 1.0, x: 0.01, expected: 0.01),
    BetaCase(a: 1.0, b: 1.0, x: 0.3, expected: 0.3),
    BetaCase(a: 1.0, b: 1.0, x: 0.5, expected: 0.5),
    BetaCase(a: 1.0, b: 1.0, x: 0.9, expected: 0.9),
    BetaCase(a: 1.0, b: 1.0, x: 0.999, expected: 0.999),
    BetaCase(a: 1.0, b: 2.5, x: 1e-06, expected: 2.4999981250003126e-06),
    BetaCase(a: 1.0, b: 2.5, x: 0.01, expected: 0.024812812891801785),
    BetaCase(a: 1.0, b: 2.5, x: 0.3, expected: 0.590036586998303),
    BetaCase(a: 1.0, b: 2.5, x: 0.5, expected: 0.8232233047033631),
    BetaCase(a: 1.0, b: 2.5, x: 0.9, expected: 0.9968377223398316),
    BetaCase(a: 1.0, b: 2.5, x: 0.999, expected: 0.9999999683772234),
    BetaCase(a: 1.0, b: 5.0, x: 1e-06, expected: 4.99999000001e-06),
    BetaCase(a: 1.0, b: 5.0, x: 0.01, expected: 0.049009950100000005),
    BetaCase(a: 1.0, b: 5.0, x: 0.3, expected: 0.83193),
    BetaCase(a: 1.0, b: 5.0, x: 0.5, expected: 0.96875),
    BetaCase(a: 1.0, b: 5.0, x: 0.9, expected: 0.99999),
    BetaCase(a: 1.0, b: 5.0, x: 0.999, expected: 0.999999999999999),
    BetaCase(a: 1.0, b: 10.0, x: 1e-06, expected: 9.99995500012e-06),
    BetaCase(a: 1.0, b: 10.0, x: 0.01, expected: 0.09561792499119552),
    BetaCase(a: 1.0, b: 10.0, x: 0.3, expected: 0.9717524751),
    BetaCase(a: 1.0, b: 10.0, x: 0.5, expected: 0.9990234375),
    BetaCase(a: 1.0, b: 10.0, x: 0.9, expected: 0.9999999999),
    BetaCase(a: 1.0, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 1.0, b: 50.0, x: 1e-06, expected: 4.999877501959977e-05),
    BetaCase(a: 1.0, b: 50.0, x: 0.01, expected: 0.39499393286246337),
    BetaCase(a: 1.0, b: 50.0, x: 0.3, expected: 0.9999999820153496),
    BetaCase(a: 1.0, b: 50.0, x: 0.5, expected: 0.9999999999999991),
    BetaCase(a: 1.0, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 1.0, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 1.0, b: 200.0, x: 1e-06, expected: 0.00019998010131333532),
    BetaCase(a: 1.0, b: 200.0, x: 0.01, expected: 0.8660203251420381),
    BetaCase(a: 1.0, b: 200.0, x: 0.3, expected: 1.0),
    BetaCase(a: 1.0, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 1.0, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 1.0, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 2.5, b: 0.5, x: 1e-06, expected: 3.3953066652368976e-16),
    BetaCase(a: 2.5, b: 0.5, x: 0.01, expected: 3.4075027649461746e-06),
    BetaCase(a: 2.5, b: 0.5, x: 0.3, expected: 0.018927124071945658),
    BetaCase(a: 2.5, b: 0.5, x: 0.5, expected: 0.07558681842161241),
    BetaCase(a: 2.5, b: 0.5, x: 0.9, expected: 0.48958974456442755),
    BetaCase(a: 2.5, b: 0.5, x: 0.999, expected: 0.9463423453081866),
    BetaCase(a: 2.5, b: 1.0, x: 1e-06, expected: 9.999999999999999e-16),
    BetaCase(a: 2.5, b: 1.0, x: 0.01, expected: 1e-05),
    BetaCase(a: 2.5, b: 1.0, x: 0.3, expected: 0.049295030175464945),
    BetaCase(a: 2.5, b: 1.0, x: 0.5, expected: 0.1767766952966369),
    BetaCase(a: 2.5, b: 1.0, x: 0.9, expected: 0.7684334714209162),
    BetaCase(a: 2.5, b: 1.0, x: 0.999, expected: 0.9975018746874609),
    BetaCase(a: 2.5, b: 2.5, x: 1e-06, expected: 5.4324829036808594e-15),
    BetaCase(a: 2.5, b: 2.5, x: 0.01, expected: 5.3743968195449395e-05),
    BetaCase(a: 2.5, b: 2.5, x: 0.3, expected: 0.1869669619088736),
    BetaCase(a: 2.5, b: 2.5, x: 0.5, expected: 0.49999999999999983),
    BetaCase(a: 2.5, b: 2.5, x: 0.9, expected: 0.9846252795574588),
    BetaCase(a: 2.5, b: 2.5, x: 0.999, expected: 0.999999828393648),
    BetaCase(a: 2.5, b: 5.0, x: 1e-06, expected: 2.3460870468828205e-14),
    BetaCase(a: 2.5, b: 5.0, x: 0.01, expected: 0.0002279840274648437),
    BetaCase(a: 2.5, b: 5.0, x: 0.3, expected: 0.4589966166928934),
    BetaCase(a: 2.5, b: 5.0, x: 0.5, expected: 0.8358050491002611),
    BetaCase(a: 2.5, b: 5.0, x: 0.9, expected: 0.9998970394472375),
    BetaCase(a: 2.5, b: 5.0, x: 0.999, expected: 0.9999999999999882),
    BetaCase(a: 2.5, b: 10.0, x: 1e-06, expected: 1.134701720357319e-13),
    BetaCase(a: 2.5, b: 10.0, x: 0.01, expected: 0.0010639900732998529),
    BetaCase(a: 2.5, b: 10.0, x: 0.3, expected: 0.8226601191925298),
    BetaCase(a: 2.5, b: 10.0, x: 0.5, expected: 0.9888162481447345),
    BetaCase(a: 2.5, b: 10.0, x: 0.9, expected: 0.9999999975410538),
    BetaCase(a: 2.5, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 2.5, b: 50.0, x: 1e-06, expected: 5.519585721603159e-12),
    BetaCase(a: 2.5, b: 50.0, x: 0.01, expected: 0.039064249767961835),
    BetaCase(a: 2.5, b: 50.0, x: 0.3, expected: 0.999999127200985),
    BetaCase(a: 2.5, b: 50.0, x: 0.5, expected: 0.9999999999999107),
    BetaCase(a: 2.5, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 2.5, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 2.5, b: 200.0, x: 1e-06, expected: 1.7178888132029085e-10),
    BetaCase(a: 2.5, b: 200.0, x: 0.01, expected: 0.4556372320815952),
    BetaCase(a: 2.5, b: 200.0, x: 0.3, expected: 1.0),
    BetaCase(a: 2.5, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 2.5, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 2.5, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 5.0, b: 0.5, x: 1e-06, expected: 2.460938525391282e-31),
    BetaCase(a: 5.0, b: 0.5, x: 0.01, expected: 2.4712578086395438e-11),
    BetaCase(a: 5.0, b: 0.5, x: 0.3, expected: 0.0006913033857629756),
    BetaCase(a: 5.0, b: 0.5, x: 0.5, expected: 0.010119559735433718),
    BetaCase(a: 5.0, b: 0.5, x: 0.9, expected: 0.3166429150200122),
    BetaCase(a: 5.0, b: 0.5, x: 0.999, expected: 0.9222819921009667),
    BetaCase(a: 5.0, b: 1.0, x: 1e-06, expected: 9.999999999999997e-31),
    BetaCase(a: 5.0, b: 1.0, x: 0.01, expected: 1.0000000000000002e-10),
    BetaCase(a: 5.0, b: 1.0, x: 0.3, expected: 0.0024299999999999994),
    BetaCase(a: 5.0, b: 1.0, x: 0.5, expected: 0.03125),
    BetaCase(a: 5.0, b: 1.0, x: 0.9, expected: 0.5904900000000001),
    BetaCase(a: 5.0, b: 1.0, x: 0.999, expected: 0.995009990004999),
    BetaCase(a: 5.0, b: 2.5, x: 1e-06, expected: 1.173045408691721e-29),
    BetaCase(a: 5.0, b: 2.5, x: 0.01, expected: 1.1584152559365125e-09),
    BetaCase(a: 5.0, b: 2.5, x: 0.3, expected: 0.018536379336863053),
    BetaCase(a: 5.0, b: 2.5, x: 0.5, expected: 0.16419495089973887),
    BetaCase(a: 5.0, b: 2.5, x: 0.9, expected: 0.9446661813914902),
    BetaCase(a: 5.0, b: 2.5, x: 0.999, expected: 0.9999992602172572),
    BetaCase(a: 5.0, b: 5.0, x: 1e-06, expected: 1.2599958000053993e-28),
    BetaCase(a: 5.0, b: 5.0, x: 0.01, expected: 1.218536857e-08),
    BetaCase(a: 5.0, b: 5.0, x: 0.3, expected: 0.09880865999999996),
    BetaCase(a: 5.0, b: 5.0, x: 0.5, expected: 0.5),
    BetaCase(a: 5.0, b: 5.0, x: 0.9, expected: 0.99910908),
    BetaCase(a: 5.0, b: 5.0, x: 0.999, expected: 0.9999999999998744),
    BetaCase(a: 5.0, b: 10.0, x: 1e-06, expected: 2.001984985051479e-27),
    BetaCase(a: 5.0, b: 10.0, x: 0.01, expected: 1.856894283863541e-07),
    BetaCase(a: 5.0, b: 10.0, x: 0.3, expected: 0.4157988137806496),
    BetaCase(a: 5.0, b: 10.0, x: 0.5, expected: 0.91021728515625),
    BetaCase(a: 5.0, b: 10.0, x: 0.9, expected: 0.99999993159585),
    BetaCase(a: 5.0, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 5.0, b: 50.0, x: 1e-06, expected: 3.162380866831485e-24),
    BetaCase(a: 5.0, b: 50.0, x: 0.01, expected: 0.00021038263382405003),
    BetaCase(a: 5.0, b: 50.0, x: 0.3, expected: 0.9999442595884321),
    BetaCase(a: 5.0, b: 50.0, x: 0.5, expected: 0.9999999999809852),
    BetaCase(a: 5.0, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 5.0, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 5.0, b: 200.0, x: 1e-06, expected: 2.801885356384486e-21),
    BetaCase(a: 5.0, b: 200.0, x: 0.01, expected: 0.05540973034281645),
    BetaCase(a: 5.0, b: 200.0, x: 0.3, expected: 1.0),
    BetaCase(a: 5.0, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 5.0, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 5.0, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 10.0, b: 0.5, x: 1e-06, expected: 1.761971320915771e-61),
    BetaCase(a: 10.0, b: 0.5, x: 0.01, expected: 1.770034965528571e-21),
    BetaCase(a: 10.0, b: 0.5, x: 0.3, expected: 1.2205229279531696e-06),
    BetaCase(a: 10.0, b: 0.5, x: 0.5, expected: 0.00023344743474862207),
    BetaCase(a: 10.0, b: 0.5, x: 0.9, expected: 0.15164090963470994),
    BetaCase(a: 10.0, b: 0.5, x: 0.999, expected: 0.8888967091248604),
    BetaCase(a: 10.0, b: 1.0, x: 1e-06, expected: 9.999999999999996e-61),
    BetaCase(a: 10.0, b: 1.0, x: 0.01, expected: 1.0000000000000002e-20),
    BetaCase(a: 10.0, b: 1.0, x: 0.3, expected: 5.9048999999999975e-06),
    BetaCase(a: 10.0, b: 1.0, x: 0.5, expected: 0.0009765625),
    BetaCase(a: 10.0, b: 1.0, x: 0.9, expected: 0.34867844010000004),
    BetaCase(a: 10.0, b: 1.0, x: 0.999, expected: 0.9900448802097482),
    BetaCase(a: 10.0, b: 2.5, x: 1e-06, expected: 2.83676866890614e-59),
    BetaCase(a: 10.0, b: 2.5, x: 0.01, expected: 2.798178061362328e-19),
    BetaCase(a: 10.0, b: 2.5, x: 0.3, expected: 0.00010393749588227046),
    BetaCase(a: 10.0, b: 2.5, x: 0.5, expected: 0.011183751855265586),
    BetaCase(a: 10.0, b: 2.5, x: 0.9, expected: 0.8121862743088557),
    BetaCase(a: 10.0, b: 2.5, x: 0.999, expected: 0.9999964347308206),
    BetaCase(a: 10.0, b: 5.0, x: 1e-06, expected: 1.0009963600050043e-57),
    BetaCase(a: 10.0, b: 5.0, x: 0.01, expected: 9.650974271500005e-18),
    BetaCase(a: 10.0, b: 5.0, x: 0.3, expected: 0.0016656630493499984),
    BetaCase(a: 10.0, b: 5.0, x: 0.5, expected: 0.08978271484375),
    BetaCase(a: 10.0, b: 5.0, x: 0.9, expected: 0.99076978754415),
    BetaCase(a: 10.0, b: 5.0, x: 0.999, expected: 0.9999999999980129),
    BetaCase(a: 10.0, b: 10.0, x: 1e-06, expected: 9.237724418277126e-56),
    BetaCase(a: 10.0, b: 10.0, x: 0.01, expected: 8.509104732905513e-16),
    BetaCase(a: 10.0, b: 10.0, x: 0.3, expected: 0.032553356881300934),
    BetaCase(a: 10.0, b: 10.0, x: 0.5, expected: 0.5),
    BetaCase(a: 10.0, b: 10.0, x: 0.9, expected: 0.9999960701176729),
    BetaCase(a: 10.0, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 10.0, b: 50.0, x: 1e-06, expected: 6.282555764888028e-50),
    BetaCase(a: 10.0, b: 50.0, x: 0.01, expected: 4.019555174225147e-10),
    BetaCase(a: 10.0, b: 50.0, x: 0.3, expected: 0.9927943681007908),
    BetaCase(a: 10.0, b: 50.0, x: 0.5, expected: 0.9999999736758395),
    BetaCase(a: 10.0, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 10.0, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 10.0, b: 200.0, x: 1e-06, expected: 3.520976083911218e-44),
    BetaCase(a: 10.0, b: 200.0, x: 0.01, expected: 5.8077898312484586e-05),
    BetaCase(a: 10.0, b: 200.0, x: 0.3, expected: 1.0),
    BetaCase(a: 10.0, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 10.0, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 10.0, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 50.0, b: 0.5, x: 1e-06, expected: 7.958927640153899e-302),
    BetaCase(a: 50.0, b: 0.5, x: 0.01, expected: 7.998227417904836e-102),
    BetaCase(a: 50.0, b: 0.5, x: 0.3, expected: 6.800825885173791e-28),
    BetaCase(a: 50.0, b: 0.5, x: 0.5, expected: 9.90168898459413e-17),
    BetaCase(a: 50.0, b: 0.5, x: 0.9, expected: 0.001204149832559813),
    BetaCase(a: 50.0, b: 0.5, x: 0.999, expected: 0.7523690199653766),
    BetaCase(a: 50.0, b: 1.0, x: 1e-06, expected: 9.999999999999977e-301),
    BetaCase(a: 50.0, b: 1.0, x: 0.01, expected: 1.000000000000001e-100),
    BetaCase(a: 50.0, b: 1.0, x: 0.3, expected: 7.178979876918513e-27),
    BetaCase(a: 50.0, b: 1.0, x: 0.5, expected: 8.881784197001252e-16),
    BetaCase(a: 50.0, b: 1.0, x: 0.9, expected: 0.005153775207320118),
    BetaCase(a: 50.0, b: 1.0, x: 0.999, expected: 0.9512056281970314),
    BetaCase(a: 50.0, b: 2.5, x: 1e-06, expected: 2.759885396469427e-298),
    BetaCase(a: 50.0, b: 2.5, x: 0.01, expected: 2.7194025240711492e-98),
    BetaCase(a: 50.0, b: 2.5, x: 0.3, expected: 1.1750700500269197e-24),
    BetaCase(a: 50.0, b: 2.5, x: 0.5, expected: 8.923890603183404e-14),
    BetaCase(a: 50.0, b: 2.5, x: 0.9, expected: 0.05784501211279453),
    BetaCase(a: 50.0, b: 2.5, x: 0.999, expected: 0.9998314459482234),
    BetaCase(a: 50.0, b: 5.0, x: 1e-06, expected: 3.1624975980182378e-295),
    BetaCase(a: 50.0, b: 5.0, x: 0.01, expected: 3.0403026202825035e-95),
    BetaCase(a: 50.0, b: 5.0, x: 0.3, expected: 5.638968983830043e-22),
    BetaCase(a: 50.0, b: 5.0, x: 0.5, expected: 1.9014845253906287e-11),
    BetaCase(a: 50.0, b: 5.0, x: 0.9, expected: 0.361447139727378),
    BetaCase(a: 50.0, b: 5.0, x: 0.999, expected: 0.9999999969640053),
    BetaCase(a: 50.0, b: 10.0, x: 1e-06, expected: 1.2565560387864983e-290),
    BetaCase(a: 50.0, b: 10.0, x: 0.01, expected: 1.149945086264383e-90),
    BetaCase(a: 50.0, b: 10.0, x: 0.3, expected: 3.9347901150756164e-18),
    BetaCase(a: 50.0, b: 10.0, x: 0.5, expected: 2.6324160511126404e-08),
    BetaCase(a: 50.0, b: 10.0, x: 0.9, expected: 0.9334105544171287),
    BetaCase(a: 50.0, b: 10.0, x: 0.999, expected: 1.0),
    BetaCase(a: 50.0, b: 50.0, x: 1e-06, expected: 5.0443248959292936e-272),
    BetaCase(a: 50.0, b: 50.0, x: 0.01, expected: 3.1130219337164244e-72),
    BetaCase(a: 50.0, b: 50.0, x: 0.3, expected: 1.5547799761443088e-05),
    BetaCase(a: 50.0, b: 50.0, x: 0.5, expected: 0.5000000000000007),
    BetaCase(a: 50.0, b: 50.0, x: 0.9, expected: 1.0),
    BetaCase(a: 50.0, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 50.0, b: 200.0, x: 1e-06, expected: 1.078023280805595e-247),
    BetaCase(a: 50.0, b: 200.0, x: 0.01, expected: 1.5190169709696572e-48),
    BetaCase(a: 50.0, b: 200.0, x: 0.3, expected: 0.9998492682376107),
    BetaCase(a: 50.0, b: 200.0, x: 0.5, expected: 1.0),
    BetaCase(a: 50.0, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 50.0, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 200.0, b: 0.5, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 0.5, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 0.5, x: 0.3, expected: 1.264383372125771e-106),
    BetaCase(a: 200.0, b: 0.5, x: 0.5, expected: 3.50010248932063e-62),
    BetaCase(a: 200.0, b: 0.5, x: 0.9, expected: 8.707774398967449e-11),
    BetaCase(a: 200.0, b: 0.5, x: 0.999, expected: 0.5272441070252349),
    BetaCase(a: 200.0, b: 1.0, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 1.0, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 1.0, x: 0.3, expected: 2.656139888758728e-105),
    BetaCase(a: 200.0, b: 1.0, x: 0.5, expected: 6.223015277861142e-61),
    BetaCase(a: 200.0, b: 1.0, x: 0.9, expected: 7.055079108655357e-10),
    BetaCase(a: 200.0, b: 1.0, x: 0.999, expected: 0.8186488294786356),
    BetaCase(a: 200.0, b: 2.5, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 2.5, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 2.5, x: 0.3, expected: 3.3516067185955882e-102),
    BetaCase(a: 200.0, b: 2.5, x: 0.5, expected: 4.760576881620929e-58),
    BetaCase(a: 200.0, b: 2.5, x: 0.9, expected: 5.120303834070291e-08),
    BetaCase(a: 200.0, b: 2.5, x: 0.999, expected: 0.9952826791969064),
    BetaCase(a: 200.0, b: 5.0, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 5.0, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 5.0, x: 0.3, expected: 4.5062705969356367e-98),
    BetaCase(a: 200.0, b: 5.0, x: 0.5, expected: 2.77989350053625e-54),
    BetaCase(a: 200.0, b: 5.0, x: 0.9, expected: 5.957241776097054e-06),
    BetaCase(a: 200.0, b: 5.0, x: 0.999, expected: 0.999997625108485),
    BetaCase(a: 200.0, b: 10.0, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 10.0, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 10.0, x: 0.3, expected: 1.924158530317569e-91),
    BetaCase(a: 200.0, b: 10.0, x: 0.5, expected: 2.2398990155843943e-48),
    BetaCase(a: 200.0, b: 10.0, x: 0.9, expected: 0.0019952082927795897),
    BetaCase(a: 200.0, b: 10.0, x: 0.999, expected: 0.9999999999999706),
    BetaCase(a: 200.0, b: 50.0, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 50.0, x: 0.01, expected: 0.0),
    BetaCase(a: 200.0, b: 50.0, x: 0.3, expected: 2.0534455517783702e-60),
    BetaCase(a: 200.0, b: 50.0, x: 0.5, expected: 3.9302918090574406e-23),
    BetaCase(a: 200.0, b: 50.0, x: 0.9, expected: 0.9999985270370879),
    BetaCase(a: 200.0, b: 50.0, x: 0.999, expected: 1.0),
    BetaCase(a: 200.0, b: 200.0, x: 1e-06, expected: 0.0),
    BetaCase(a: 200.0, b: 200.0, x: 0.01, expected: 7.036800068501253e-283),
    BetaCase(a: 200.0, b: 200.0, x: 0.3, expected: 3.53107885335702e-17),
    BetaCase(a: 200.0, b: 200.0, x: 0.5, expected: 0.49999999999999944),
    BetaCase(a: 200.0, b: 200.0, x: 0.9, expected: 1.0),
    BetaCase(a: 200.0, b: 200.0, x: 0.999, expected: 1.0),
    BetaCase(a: 3.0, b: 4.0, x: 0.0001, expected: 1.9995500359990003e-11),
    BetaCase(a: 10.0, b: 0.5, x: 0.001, expected: 1.762771966750129e-31),
    BetaCase(a: 20.0, b: 3.0, x: 1e-10, expected: 2.3099999995600015e-198),
    BetaCase(a: 0.5, b: 500.0, x: 0.2, expected: 1.0),
    BetaCase(a: 7.5, b: 2.0, x: 1e-35, expected: 2.687936011143123e-262),
    BetaCase(a: 2.0, b: 3.0, x: 1e-150, expected: 5.999999999999999e-300),
    BetaCase(a: 1.5, b: 0.5, x: 1e-200, expected: 4.244131815783875e-301),
    BetaCase(a: 30.0, b: 30.0, x: 0.01, expected: 4.460320858382859e-44),
    BetaCase(a: 500.0, b: 0.5, x: 0.5, expected: 1.0887202471751264e-152),
    BetaCase(a: 500.0, b: 0.5, x: 0.25, expected: 2.7174454574157437e-303),
]

let studentCases: [StudentCase] = [
    StudentCase(t: 0.0, degreesOfFreedom: 1.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 1.0, expected: 0.968195497487647),
    StudentCase(t: -0.5, degreesOfFreedom: 1.0, expected: 0.7048327646991335),
    StudentCase(t: 1.0, degreesOfFreedom: 1.0, expected: 0.5000000000000001),
    StudentCase(t: 2.0, degreesOfFreedom: 1.0, expected: 0.2951672353008665),
    StudentCase(t: -3.0, degreesOfFreedom: 1.0, expected: 0.20483276469913345),
    StudentCase(t: 63.6567, degreesOfFreedom: 1.0, expected: 0.01000000646532115),
    StudentCase(t: 636.619, degreesOfFreedom: 1.0, expected: 0.0010000003907648224),
    StudentCase(t: 6366.2, degreesOfFreedom: 1.0, expected: 9.999996342112996e-05),
    StudentCase(t: 636620.0, degreesOfFreedom: 1.0, expected: 9.999996424351383e-07),
    StudentCase(t: 63662000.0, degreesOfFreedom: 1.0, expected: 9.999996424359606e-09),
    StudentCase(t: 6366200000.0, degreesOfFreedom: 1.0, expected: 9.999996424359608e-11),
    StudentCase(t: 636620000000.0, degreesOfFreedom: 1.0, expected: 9.999996424359608e-13),
    StudentCase(t: 0.0, degreesOfFreedom: 2.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 2.0, expected: 0.9646667373331214),
    StudentCase(t: -0.5, degreesOfFreedom: 2.0, expected: 0.6666666666666667),
    StudentCase(t: 1.0, degreesOfFreedom: 2.0, expected: 0.4226497308103742),
    StudentCase(t: 2.0, degreesOfFreedom: 2.0, expected: 0.18350341907227397),
    StudentCase(t: -3.0, degreesOfFreedom: 2.0, expected: 0.09546596626670913),
    StudentCase(t: 9.92484, degreesOfFreedom: 2.0, expected: 0.010000006353885895),
    StudentCase(t: 31.5991, degreesOfFreedom: 2.0, expected: 0.000999997129322585),
    StudentCase(t: 99.9925, degreesOfFreedom: 2.0, expected: 9.999999968751249e-05),
    StudentCase(t: 999.999, degreesOfFreedom: 2.0, expected: 1.0000004999995e-06),
    StudentCase(t: 10000.0, degreesOfFreedom: 2.0, expected: 9.999999850000001e-09),
    StudentCase(t: 100000.0, degreesOfFreedom: 2.0, expected: 9.999999998500001e-11),
    StudentCase(t: 1000000.0, degreesOfFreedom: 2.0, expected: 9.999999999985001e-13),
    StudentCase(t: 0.0, degreesOfFreedom: 3.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 3.0, expected: 0.9632651445913865),
    StudentCase(t: -0.5, degreesOfFreedom: 3.0, expected: 0.651447964848151),
    StudentCase(t: 1.0, degreesOfFreedom: 3.0, expected: 0.3910022189557705),
    StudentCase(t: 2.0, degreesOfFreedom: 3.0, expected: 0.13932596855884305),
    StudentCase(t: -3.0, degreesOfFreedom: 3.0, expected: 0.0576688856224373),
    StudentCase(t: 5.84091, degreesOfFreedom: 3.0, expected: 0.00999999668501723),
    StudentCase(t: 12.924, degreesOfFreedom: 3.0, expected: 0.0009999951110900328),
    StudentCase(t: 28.0001, degreesOfFreedom: 3.0, expected: 0.00010000032056430109),
    StudentCase(t: 130.155, degreesOfFreedom: 3.0, expected: 9.999905409194673e-07),
    StudentCase(t: 604.165, degreesOfFreedom: 3.0, expected: 9.999994826875772e-09),
    StudentCase(t: 2804.29, degreesOfFreedom: 3.0, expected: 1.0000040923123962e-10),
    StudentCase(t: 13016.4, degreesOfFreedom: 3.0, expected: 9.999955747922374e-13),
    StudentCase(t: 0.0, degreesOfFreedom: 5.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 5.0, expected: 0.9620582999708157),
    StudentCase(t: -0.5, degreesOfFreedom: 5.0, expected: 0.6382988716409291),
    StudentCase(t: 1.0, degreesOfFreedom: 5.0, expected: 0.3632174676491229),
    StudentCase(t: 2.0, degreesOfFreedom: 5.0, expected: 0.10193947882985835),
    StudentCase(t: -3.0, degreesOfFreedom: 5.0, expected: 0.030099247897462586),
    StudentCase(t: 4.03214, degreesOfFreedom: 5.0, expected: 0.010000029473426318),
    StudentCase(t: 6.86883, degreesOfFreedom: 5.0, expected: 0.0009999977462694686),
    StudentCase(t: 11.1777, degreesOfFreedom: 5.0, expected: 0.0001000004355879304),
    StudentCase(t: 28.4785, degreesOfFreedom: 5.0, expected: 9.999953653512722e-07),
    StudentCase(t: 71.6935, degreesOfFreedom: 5.0, expected: 1.0000001930100893e-08),
    StudentCase(t: 180.149, degreesOfFreedom: 5.0, expected: 1.0000027986574517e-10),
    StudentCase(t: 452.539, degreesOfFreedom: 5.0, expected: 1.0000024785590708e-12),
    StudentCase(t: 0.0, degreesOfFreedom: 10.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 10.0, expected: 0.9611069870474014),
    StudentCase(t: -0.5, degreesOfFreedom: 10.0, expected: 0.627893605742973),
    StudentCase(t: 1.0, degreesOfFreedom: 10.0, expected: 0.34089313230206),
    StudentCase(t: 2.0, degreesOfFreedom: 10.0, expected: 0.07338803477074037),
    StudentCase(t: -3.0, degreesOfFreedom: 10.0, expected: 0.01334365502256957),
    StudentCase(t: 3.16927, degreesOfFreedom: 10.0, expected: 0.010000045403535569),
    StudentCase(t: 4.58689, degreesOfFreedom: 10.0, expected: 0.0010000059156842287),
    StudentCase(t: 6.21105, degreesOfFreedom: 10.0, expected: 0.00010000011634397142),
    StudentCase(t: 10.5165, degreesOfFreedom: 10.0, expected: 9.999911768521703e-07),
    StudentCase(t: 17.0764, degreesOfFreedom: 10.0, expected: 1.0000164384566815e-08),
    StudentCase(t: 27.3187, degreesOfFreedom: 10.0, expected: 1.000008994876215e-10),
    StudentCase(t: 43.4569, degreesOfFreedom: 10.0, expected: 1.0000010336893784e-12),
    StudentCase(t: 0.0, degreesOfFreedom: 28.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 28.0, expected: 0.9604773662171175),
    StudentCase(t: -0.5, degreesOfFreedom: 28.0, expected: 0.6209820437190605),
    StudentCase(t: 1.0, degreesOfFreedom: 28.0, expected: 0.32587470687166104),
    StudentCase(t: 2.0, degreesOfFreedom: 28.0, expected: 0.05528523764195693),
    StudentCase(t: -3.0, degreesOfFreedom: 28.0, expected: 0.005617399079709114),
    StudentCase(t: 2.76326, degreesOfFreedom: 28.0, expected: 0.010000058839165705),
    StudentCase(t: 3.67391, degreesOfFreedom: 28.0, expected: 0.0009999905215097521),
    StudentCase(t: 4.53047, degreesOfFreedom: 28.0, expected: 0.0001000010891995102),
    StudentCase(t: 6.22541, degreesOfFreedom: 28.0, expected: 1.000009204872139e-06),
    StudentCase(t: 8.01337, degreesOfFreedom: 28.0, expected: 1.0000119537729733e-08),
    StudentCase(t: 9.98269, degreesOfFreedom: 28.0, expected: 9.999930747916098e-11),
    StudentCase(t: 12.2039, degreesOfFreedom: 28.0, expected: 1.0000539326156078e-12),
    StudentCase(t: 0.0, degreesOfFreedom: 100.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 100.0, expected: 0.9602221217419742),
    StudentCase(t: -0.5, degreesOfFreedom: 100.0, expected: 0.6181735658308866),
    StudentCase(t: 1.0, degreesOfFreedom: 100.0, expected: 0.31972415578412333),
    StudentCase(t: 2.0, degreesOfFreedom: 100.0, expected: 0.04821217873113365),
    StudentCase(t: -3.0, degreesOfFreedom: 100.0, expected: 0.0034079153433294465),
    StudentCase(t: 2.62589, degreesOfFreedom: 100.0, expected: 0.010000014310251847),
    StudentCase(t: 3.39049, degreesOfFreedom: 100.0, expected: 0.0010000042857829803),
    StudentCase(t: 4.05334, degreesOfFreedom: 100.0, expected: 9.999878935381418e-05),
    StudentCase(t: 5.21373, degreesOfFreedom: 100.0, expected: 9.99989718849595e-07),
    StudentCase(t: 6.25289, degreesOfFreedom: 100.0, expected: 1.0000019905567083e-08),
    StudentCase(t: 7.22719, degreesOfFreedom: 100.0, expected: 9.999857735207352e-11),
    StudentCase(t: 8.16553, degreesOfFreedom: 100.0, expected: 9.999941677887229e-13),
    StudentCase(t: 0.0, degreesOfFreedom: 1000.0, expected: 1.0),
    StudentCase(t: 0.05, degreesOfFreedom: 1000.0, expected: 0.9601323730719518),
    StudentCase(t: -0.5, degreesOfFreedom: 1000.0, expected: 0.6171850808338747),
    StudentCase(t: 1.0, degreesOfFreedom: 1000.0, expected: 0.31755241808467255),
    StudentCase(t: 2.0, degreesOfFreedom: 1000.0, expected: 0.04577034649325166),
    StudentCase(t: -3.0, degreesOfFreedom: 1000.0, expected: 0.0027667090442381925),
    StudentCase(t: 2.58075, degreesOfFreedom: 1000.0, expected: 0.010000135158106403),
    StudentCase(t: 3.30028, degreesOfFreedom: 1000.0, expected: 0.001000009335069964),
    StudentCase(t: 3.90634, degreesOfFreedom: 1000.0, expected: 0.00010000152229531772),
    StudentCase(t: 4.92229, degreesOfFreedom: 1000.0, expected: 9.99997621849325e-07),
    StudentCase(t: 5.77957, degreesOfFreedom: 1000.0, expected: 9.999885208569222e-09),
    StudentCase(t: 6.53682, degreesOfFreedom: 1000.0, expected: 1.0000053199329406e-10),
    StudentCase(t: 7.22395, degreesOfFreedom: 1000.0, expected: 1.0000320731077477e-12),
    StudentCase(t: 2.5, degreesOfFreedom: 7.5, expected: 0.03882025827362553),
    StudentCase(t: 100000000.0, degreesOfFreedom: 1.0, expected: 6.366197723675814e-09),
    StudentCase(t: -40.0, degreesOfFreedom: 4.0, expected: 2.3340163226012678e-06),
    StudentCase(t: 12.0, degreesOfFreedom: 30.0, expected: 5.580185415199261e-13),
    StudentCase(t: 0.001, degreesOfFreedom: 1000.0, expected: 0.9992023150184528),
    StudentCase(t: 3.3, degreesOfFreedom: 0.5, expected: 0.3507012138387585),
    StudentCase(t: 15.0, degreesOfFreedom: 200.0, expected: 1.4164499278714078e-34),
]

let regressionCases: [RegressionCase] = [
    RegressionCase(
        x: [12.857, 49.928, 60.15, 2.869, 14.793],
        y: [20.4402, 105.5533, 119.7394, 13.2069, 11.1128],
        slope: 2.0958442339731294, intercept: -4.923362352784018, rValue: 0.9822097429713884,
        rSquared: 0.9647359791879209,
        pValue: 0.002840827468496328, standardError: 0.2313449648123791, interceptStandardError: 8.34331055329383
    ),
    RegressionCase(
        x: [36.899, 51.139, 66.284, 27.531, 13.797, 78.804, 67.036],
        y: [-26.4369, -36.2557, -44.3417, -21.8827, -14.2011, -53.9779, -48.9369],
        slope: -0.6240475305429654, intercept: -4.7038441135546805, rValue: -0.9956992766538012,
        rSquared: 0.991417049528903,
        pValue: 2.3243754223748342e-06, standardError: 0.02596705981590919, interceptStandardError: 1.388778643870008
    ),
    RegressionCase(
        x: [
            35.327, 59.16, 23.53, 80.22, 86.733, 12.876, 46.707, 27.714, 8.312, 89.594, 42.995, 14.769, 67.336, 20.222,
            90.143, 21.715, 3.307, 20.077, 34.575, 46.891, 90.613, 69.736, 33.932, 1.688, 15.982, 99.644, 45.972,
            69.104, 5.467, 3.405,
        ],
        y: [
            20.8797, -23.6816, 13.4551, 16.0665, -31.0177, 7.5844, -2.6731, 17.0162, -8.3656, 4.1149, 9.0068, -16.7868,
            15.3387, -1.0882, 14.3568, -9.351, 21.8894, 13.1079, -1.8318, 14.9837, 29.7258, 39.3103, -29.7749, 17.747,
            10.1005, 3.105, -17.8347, 28.599, -24.9614, 11.5092,
        ],
        slope: 0.08162180452658234, intercept: 1.2351461266214439, rValue: 0.13863681674923098,
        rSquared: 0.01922016695835985,
        pValue: 0.46501198980845826, standardError: 0.11018801566510895, interceptStandardError: 5.733623502520821
    ),
    RegressionCase(
        x: [
            31.432, 74.651, 4.001, 6.744, 40.404, 24.509, 84.522, 74.181, 54.579, 66.148, 69.228, 78.105, 92.75, 14.974,
            62.613, 14.362, 44.313, 78.628, 89.47, 75.923, 3.541, 35.941, 16.306, 99.88, 14.402, 24.431, 35.722, 6.089,
            87.038, 63.636,
        ],
        y: [
            46.2252, 109.0812, 8.6492, 15.255, 58.9641, 35.4693, 127.9754, 109.6108, 81.3274, 98.5223, 104.2259,
            119.3471, 139.1691, 24.2988, 93.0797, 22.1986, 62.193, 115.0421, 135.7968, 112.7042, 6.4713, 54.9962,
            27.1036, 151.4437, 23.637, 36.4232, 52.1864, 7.6704, 129.5809, 93.1943,
        ],
        slope: 1.4805846854736657, intercept: 0.9189845311385341, rValue: 0.9991223524544319,
        rSquared: 0.9982454751740781,
        pValue: 3.918080655038783e-40, standardError: 0.011730467509097937, interceptStandardError: 0.6769436200673475
    ),
    RegressionCase(
        x: [80.463, 76.042, 26.726, 78.974, 24.917, 13.79, 39.039, 49.784, 28.582, 60.578, 60.25, 23.982],
        y: [7.5664, 18.3144, 21.2944, -8.1808, 3.8527, 4.5817, 5.5961, 5.419, 2.0205, 1.7413, -15.025, -1.654],
        slope: -0.05506174904836008, intercept: 6.377788129696322, rValue: -0.13331891404826626,
        rSquared: 0.01777393284300901,
        pValue: 0.6795624115286271, standardError: 0.12943864652706982, interceptStandardError: 6.758257983134552
    ),
    RegressionCase(
        x: [54.911, 2.87],
        y: [160.0575, 14.7952],
        slope: 2.7913049326492576, intercept: 6.784154843296619, rValue: 1.0, rSquared: 1.0,
        pValue: 0.0, standardError: 0.0, interceptStandardError: 0.0
    ),
]

let percentileLevels: [Double] = [
    0.0, 1.0, 2.5, 5.0, 10.0, 25.0, 33.3, 50.0, 66.7, 75.0, 90.0, 95.0, 97.5, 99.0, 99.9, 100.0,
]

let sampleCases: [SampleCase] = [
    SampleCase(
        seed: 1, count: 1, kind: .uniform, mean: 13.312315034456176,
        standardDeviation: 0.0,
        percentiles: [
            13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176,
            13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176,
            13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176, 13.312315034456176,
            13.312315034456176,
        ]
    ),
    SampleCase(
        seed: 2, count: 2, kind: .uniform, mean: 34.0339418071904,
        standardDeviation: 15.795994967574515,
        percentiles: [
            18.237946839615887, 18.55386673896738, 19.027746587994613, 19.81754633637334, 21.39714583313079,
            26.135944323403145, 28.758079488020513, 34.0339418071904, 39.30980412636029, 41.93193929097766,
            46.67073778125001, 48.250337278007464, 49.04013702638619, 49.514016875413425, 49.79834478482977,
            49.82993677476492,
        ]
    ),
    SampleCase(
        seed: 3, count: 7, kind: .uniform, mean: -28.93164119832144,
        standardDeviation: 51.84284494023234,
        percentiles: [
            -85.42665264564293, -84.9396493822185, -84.20914448708186, -82.99163632852078, -80.55662001139864,
            -75.1403799361695, -72.97950649037949, -56.71217824370303, 22.604235562597278, 24.91969982742721,
            32.37015897474992, 36.21443084666518, 38.13656678262282, 39.2898483441974, 39.98181728114216,
            40.05870271858046,
        ]
    ),
    SampleCase(
        seed: 4, count: 8, kind: .uniform, mean: 25.636803156829558,
        standardDeviation: 42.10093266447065,
        percentiles: [
            -21.08390216536067, -20.567647565355788, -19.793265665348468, -18.50262916533627, -15.921356165311868,
            -11.116316962113984, -7.403227936273024, 7.849260713411198, 53.79062893068422, 73.48791472573083,
            80.17775458267856, 82.15687086253594, 83.14642900246464, 83.74016388642185, 84.09640481679618,
            84.13598714239333,
        ]
    ),
    SampleCase(
        seed: 5, count: 9, kind: .integers, mean: 20.555555555555557,
        standardDeviation: 12.15740388141327,
        percentiles: [
            9.0, 9.0, 9.0, 9.0, 9.0, 11.0, 12.328, 15.0, 22.032000000000004, 30.0, 37.6, 40.8, 42.4, 43.36,
            43.93600000000001, 44.0,
        ]
    ),
    SampleCase(
        seed: 6, count: 100, kind: .uniform, mean: -3.235842934381312,
        standardDeviation: 58.37054986312972,
        percentiles: [
            -98.42356150869804, -97.69025064435237, -95.38625160589567, -89.04205113325001, -79.02057211047106,
            -55.693406620440996, -37.29088041155003, -6.710651893882442, 27.992312753278995, 48.89753595740393,
            77.79203507319271, 86.44359921358276, 95.10542501558896, 97.60065852063967, 99.04971985619183,
            99.21072667125316,
        ]
    ),
    SampleCase(
        seed: 7, count: 128, kind: .uniform, mean: 6.458581793446644,
        standardDeviation: 58.238250447512485,
        percentiles: [
            -97.11797282194176, -96.19627252720382, -91.480171664263, -87.8622230968859, -78.8491973453307,
            -34.732253283036826, -27.10396190924113, 7.819176737023234, 31.965163208425274, 59.027158492229844,
            88.5818938912292, 92.03395641424926, 95.5619392417998, 96.81602477529982, 99.52493181153942,
            99.89312791551498,
        ]
    ),
    SampleCase(
        seed: 8, count: 129, kind: .offset, mean: 1000000.5027637001,
        standardDeviation: 0.29330317580550647,
        percentiles: [
            1000000.002115574, 1000000.0027841937, 1000000.0075532084, 1000000.0236332442, 1000000.0630738775,
            1000000.2591133767, 1000000.3544130306, 1000000.5084687275, 1000000.6775523106, 1000000.7401263317,
            1000000.90909066, 1000000.9376141073, 1000000.9538354502, 1000000.979472341, 1000000.9932843423,
            1000000.9949505719,
        ]
    ),
    SampleCase(
        seed: 9, count: 1000, kind: .integers, mean: 24.241,
        standardDeviation: 14.608385229038834,
        percentiles: [
            0.0, 0.0, 0.0, 1.9500000000000028, 4.0, 11.0, 15.0, 24.0, 33.0, 37.0, 44.0, 47.0, 48.0, 49.0, 49.0, 49.0,
        ]
    ),
    SampleCase(
        seed: 10, count: 5000, kind: .uniform, mean: -0.558662467640962,
        standardDeviation: 57.68130109896711,
        percentiles: [
            -99.94314859578144, -97.63280213835431, -94.91722913689321, -90.04871834500807, -80.23778078393404,
            -50.828746575003, -33.7714837263222, -0.5671809109479824, 33.01340662318, 50.39707418770054,
            79.21128335367088, 88.75719221161889, 93.83821053894768, 97.71652470612239, 99.75965918727898,
            99.95896216788239,
        ]
    ),
    SampleCase(
        seed: 11, count: 12345, kind: .offset, mean: 1000000.4924758696,
        standardDeviation: 0.2878400472910351,
        percentiles: [
            1000000.0004510718, 1000000.0104896451, 1000000.0254247907, 1000000.0476544623, 1000000.098669963,
            1000000.2438100892, 1000000.3206535103, 1000000.4899944222, 1000000.6550114077, 1000000.7399146854,
            1000000.8965925175, 1000000.9494535931, 1000000.9723242136, 1000000.9885824076, 1000000.9987667206,
            1000000.9999800024,
        ]
    ),
    SampleCase(
        seed: 12, count: 100000, kind: .uniform, mean: -0.12248433176886532,
        standardDeviation: 57.82868515050419,
        percentiles: [
            -99.99914789500886, -97.96044120270068, -95.07240820061047, -90.3384526145298, -80.33148186389484,
            -50.06635316299685, -33.70799443039046, -0.1923805368849969, 33.50465716757062, 50.05914252426436,
            80.013390451458, 89.80149328286574, 94.91163584758463, 98.00900338747505, 99.79231208394903,
            99.9981226639523,
        ]
    ),
]
