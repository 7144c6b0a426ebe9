extension Statistics {
    /// The result of a least-squares straight-line fit `y ≈ slope * x + intercept`, as returned by
    /// ``Statistics/linearRegression(x:y:)``; the fields mean the same as those of `scipy.stats.linregress`'s result.
    public struct LinearRegression: Sendable, Equatable {
        /// Slope of the fitted line.
        public var slope: Double
        /// Intercept of the fitted line.
        public var intercept: Double
        /// Pearson correlation coefficient, clamped to `-1...1`; NaN when all `y` values are equal (such a result is
        /// not `==` to itself, as usual for NaN).
        public var rValue: Double
        /// Coefficient of determination, `rValue * rValue`.
        public var rSquared: Double
        /// Two-sided p-value of the null hypothesis "slope is zero" (Wald test with a t distribution with `n - 2`
        /// degrees of freedom). For exactly two points it is `0` (or `1` when both `y` values are equal).
        public var pValue: Double
        /// Standard error of the estimated slope (`0` for two points).
        public var standardError: Double
        /// Standard error of the estimated intercept (`0` for two points).
        public var interceptStandardError: Double

        /// Creates a regression result from its components.
        public init(
            slope: Double,
            intercept: Double,
            rValue: Double,
            rSquared: Double,
            pValue: Double,
            standardError: Double,
            interceptStandardError: Double
        ) {
            self.slope = slope
            self.intercept = intercept
            self.rValue = rValue
            self.rSquared = rSquared
            self.pValue = pValue
            self.standardError = standardError
            self.interceptStandardError = interceptStandardError
        }
    }
}
