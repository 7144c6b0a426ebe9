/// `GET /agents/{id}/allowance`: may the agent start more work, by the budgets that cover it (its
/// own, its role's, the fleet's)? Answered from the projection.
public struct Allowance: Sendable, Equatable {
    public var agentID: Int64
    /// False once a `hard` budget that covers the agent is used up (the service still records
    /// every metric: the history stays complete).
    public var allowed: Bool
    /// The budget that decides: the used-up hard budget with the least left when not allowed,
    /// else the one with the least left (nil when no budget covers the agent).
    public var deciding: BudgetStatus?
    /// Every budget that covers the agent, agent, role, fleet.
    public var budgets: [BudgetStatus]

    /// Nano-dollars left in the deciding budget (negative once over it).
    public var remainingNanos: Int128? {
        deciding.map { Int128($0.budget.totalBudgetNanos) - $0.usedNanos }
    }
}

extension FleetProjection {
    public func allowance(agentID: Int64, asOf: Int64) throws(QueryError) -> Allowance {
        guard let agent = agents[agentID] else { throw .notFound("agent \(agentID) is not registered") }
        let budgets = [BudgetScope.agent(agentID), .role(agent.role), .fleet].compactMap {
            budgetStatus($0, asOf: asOf)
        }
        func left(_ s: BudgetStatus) -> Int128 { Int128(s.budget.totalBudgetNanos) - s.usedNanos }
        let blocking = budgets.filter { $0.budget.hard && $0.exhausted }
        let deciding = (blocking.isEmpty ? budgets : blocking).min { left($0) < left($1) }
        return Allowance(agentID: agentID, allowed: blocking.isEmpty, deciding: deciding, budgets: budgets)
    }
}
