/// The bounds every stored value keeps, checked at every door (the API, `replay import`) and again
/// when a stored event is read: within them, no sum, id or counter the service computes can
/// overflow, so no client's number can crash a fold, a rebuild or a read.
public enum Limits {
    /// The largest agent id (2^53 − 1): ids stay exact in JavaScript clients, and the next id
    /// assigned after the largest one cannot overflow.
    public static let maximumAgentID: Int64 = 9_007_199_254_740_991
    /// The most tokens one metric may count: token sums over any set of metrics stay far inside
    /// Int64 (overflowing would take 9.2 billion metrics at the maximum).
    public static let maximumTokens: Int64 = 1_000_000_000
    /// The longest execution time one metric may report (about 31.7 years), so sums, variances
    /// and regressions over execution times stay finite.
    public static let maximumExecutionTimeMs = 1e12
    /// The largest cost of one metric, in nano-dollars ($1e9, `Money.maximumUSD`).
    public static let maximumMetricCostNanos: Int64 = 1_000_000_000 * 1_000_000_000
    /// The all-time spend one agent's metrics may reach (about $2.3e9). A bound per agent, not per
    /// fleet: a writer that reaches it stops only that agent's costed metrics. Sums across agents
    /// (roles, the fleet, windows) are 128-bit and have no bound.
    public static let maximumAgentSpendNanos: Int64 = Int64.max / 4
    /// Metric timestamps: from 1970-01-01T00:00:00Z up to (not including) 9999-01-01T00:00:00Z, in µs.
    public static let timestamps: Range<Int64> = 0..<253_370_764_800_000_000
    /// The bytes an operation type may use: a-z, 0-9, `_`, `.` and `-`, 1 to 64 of them.
    public static func isOperationType(_ bytes: some Collection<UInt8>) -> Bool {
        (1...64).contains(bytes.count) && bytes.allSatisfy(isOperationByte)
    }

    @inline(__always)
    static func isOperationByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2E || b == 0x2D
    }

    /// Why a metric's values are outside the bounds (the field and a sentence), or nil.
    public static func metricViolation(
        agentID: Int64, timestamp: Int64, executionTimeMs: Double, tokensUsed: Int64, apiCalls: Int64,
        quality: Double?, costNanos: Int64
    ) -> (field: String, message: String)? {
        if agentID < 1 {
            return ("agent_id", "agent_id \(agentID) is not positive")
        }
        if !timestamps.contains(timestamp) {
            return ("timestamp", "timestamp \(timestamp) µs is outside 1970-01-01 to before 9999-01-01")
        }
        if !(executionTimeMs >= 0 && executionTimeMs <= maximumExecutionTimeMs) {
            return ("execution_time_ms", "execution_time_ms \(executionTimeMs) is outside 0...1e12")
        }
        if !(0...maximumTokens).contains(tokensUsed) {
            return ("tokens_used", "tokens_used \(tokensUsed) is outside 0...\(maximumTokens)")
        }
        if apiCalls < 0 { return ("api_calls", "api_calls \(apiCalls) is negative") }
        if let quality, !(quality >= 0 && quality <= 100) {
            return ("quality_score", "quality_score \(quality) is outside 0...100")
        }
        if !(0...maximumMetricCostNanos).contains(costNanos) {
            return ("cost_usd", "cost_nanos \(costNanos) is outside 0...\(maximumMetricCostNanos)")
        }
        return nil
    }

    /// Why an agent registration is outside the bounds a stored event must keep, or nil. Ids
    /// only need to be positive here: builds before `maximumAgentID` accepted any positive id, and
    /// their logs must still fold (the next id assigned stays safe, see `IngestionState.nextAgentID`);
    /// new ids are held to `maximumAgentID` at the doors (the API, `LogValidator`).
    public static func agentViolation(_ e: AgentRegistered) -> (field: String, message: String)? {
        if e.agentID < 1 {
            return ("id", "id \(e.agentID) is not positive")
        }
        if e.name.isEmpty || e.name.unicodeScalars.count > 128 {
            return ("name", "name must be a string of 1 to 128 characters")
        }
        if e.role.isEmpty || e.role.unicodeScalars.count > 64 {
            return ("role", "role must be a string of 1 to 64 characters")
        }
        return nil
    }

    /// The most thresholds one budget may list.
    public static let maximumBudgetThresholds = 20

    /// Why a budget is outside the bounds, or nil.
    public static func budgetViolation(_ e: BudgetSet) -> (field: String, message: String)? {
        switch e.scope {
        case .agent(let id) where id < 1:
            return ("agent_id", "agent_id \(id) is not positive")
        case .role(let role) where role.isEmpty || role.unicodeScalars.count > 64:
            return ("role", "role must be a string of 1 to 64 characters")
        default:
            if e.scope.kind != "agent" && e.agentID != 0 {
                return ("agent_id", "a role or fleet budget names no agent")
            }
        }
        if let thresholds = e.thresholds {
            if thresholds.isEmpty || thresholds.count > maximumBudgetThresholds {
                return ("thresholds", "thresholds must list 1 to \(maximumBudgetThresholds) percentages")
            }
            for (a, b) in zip(thresholds, thresholds.dropFirst()) where !(a < b) {
                return ("thresholds", "thresholds must be ascending, each once")
            }
            if !thresholds.allSatisfy({ $0.isFinite && $0 > 0 && $0 <= 1_000_000 }) {
                return ("thresholds", "each threshold must be a percentage above 0 and at most 1000000")
            }
        }
        if !(0...maximumMetricCostNanos).contains(e.totalBudgetNanos) {
            return (
                "total_budget_usd", "total_budget_nanos \(e.totalBudgetNanos) is outside 0...\(maximumMetricCostNanos)"
            )
        }
        let w = e.warningThresholdPercent
        let c = e.criticalThresholdPercent
        if !(w.isFinite && c.isFinite && w > 0 && w < c && c <= 1_000_000) {
            return ("warning_threshold_percent", "thresholds must satisfy 0 < warning < critical")
        }
        return nil
    }
}
