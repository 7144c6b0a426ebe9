import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/agents`: registration, the agent list and records, budgets.
struct AgentController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        routes.read(.agents, api)
        routes.on(.post, "\(ReadEndpoint.v1)/agents", "Register an agent") { r, _ in try await api.registerAgent(r) }
        routes.read(.agent, api)
        routes.on(.put, "\(ReadEndpoint.v1)/agents/{id}/budget", "Set an agent's budget") { r, c in
            try await api.setBudget(r, c)
        }
        routes.read(.agentBudget, api)
    }
}

extension API {
    func registerAgent(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
        var requestedID: Int64?
        if let raw = object["id"], !raw.isNull {
            guard let v = raw.int64Value, (1...Limits.maximumAgentID).contains(v) else {
                throw APIError.validation("id", "id must be an integer from 1 to \(Limits.maximumAgentID)")
            }
            requestedID = v
        }
        let id = requestedID
        guard let name = object["name"]?.stringValue, !name.isEmpty, name.unicodeScalars.count <= 128 else {
            throw APIError.validation("name", "name must be a string of 1 to 128 characters")
        }
        guard let role = object["role"]?.stringValue, !role.isEmpty, role.unicodeScalars.count <= 64 else {
            throw APIError.validation("role", "role must be a string of 1 to 64 characters")
        }
        let outcome = try await write { state, _ in
            let (events, outcome) = try Ingestion.registerAgent(id: id, name: name, role: role, state: state)
            return (events.map { ($0, nil) }, outcome)
        }
        switch outcome {
        case .created(let agent):
            return json(object: agent.contractJSON, status: .created)
        case .unchanged(let agent):
            return json(object: agent.contractJSON, status: .ok)
        }
    }

    func setBudget(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let agentID = try pathID(context, "id")
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
        guard let totalValue = object["total_budget_usd"], let total = totalValue.doubleValue, total.isFinite,
            case .some = totalValue.boolValue == nil ? true : nil
        else { throw APIError.validation("total_budget_usd", "total_budget_usd is required and must be a number") }
        guard let nanos = Money.nanos(fromUSD: total) else {
            throw APIError.validation(
                "total_budget_usd", "total_budget_usd must be between 0 and \(Int(Money.maximumUSD))")
        }
        func percent(_ key: String, _ fallback: Double) throws(APIError) -> Double {
            guard let raw = object[key], !raw.isNull else { return fallback }
            guard let v = raw.doubleValue, v.isFinite, raw.boolValue == nil else {
                throw APIError.validation(key, "\(key) must be a number")
            }
            return v
        }
        // Left-out fields take the budget defaults of the rules in force.
        let defaults = service.read { $0.rules }
        let warning = try percent("warning_threshold_percent", defaults.budgetWarningPercent)
        let critical = try percent("critical_threshold_percent", defaults.budgetCriticalPercent)
        guard warning > 0 else {
            throw APIError.validation("warning_threshold_percent", "warning_threshold_percent must be positive")
        }
        guard critical > warning, critical <= 1_000_000 else {
            throw APIError.validation(
                "critical_threshold_percent", "critical_threshold_percent must be above the warning threshold")
        }
        var period = defaults.budgetPeriod
        if let raw = object["period"], !raw.isNull {
            guard let s = raw.stringValue, let p = BudgetPeriodKind(rawValue: s) else {
                throw APIError.validation("period", "period must be daily, weekly, monthly or total")
            }
            period = p
        }
        let budget = BudgetSet(
            agentID: agentID, totalBudgetNanos: nanos, warningThresholdPercent: warning,
            criticalThresholdPercent: critical,
            period: period)
        let at = try await write { state, context in
            let events = try Ingestion.setBudget(budget, state: state, now: context.recordedAt)
            return (events.map { ($0, nil) }, context.recordedAt)
        }
        let status = service.read { $0.budgetStatus(agentID: agentID, asOf: at) }
        return json(object: ["success": true, "data": status?.contractData ?? .null], status: .ok)
    }
}
