import APIContract
import FleetServices
import Hummingbird
import Projections
import Utilities

/// Role and fleet budgets, and the pre-flight allowance of an agent (agent budgets are under
/// `/agents`, through the same `putBudget`).
struct BudgetController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        let v1 = ReadEndpoint.v1
        routes.on(.put, "\(v1)/roles/{role}/budget", "Set a role's budget (its agents' spend)") { r, c in
            let role = c.parameters.get("role")?.removingPercentEncoding ?? ""
            guard !role.isEmpty, role.unicodeScalars.count <= 64 else {
                throw APIError.invalidParameter("role", "role must be 1 to 64 characters")
            }
            return try await api.putBudget(r, scope: .role(role))
        }
        routes.on(.put, "\(v1)/fleet/budget", "Set the fleet's budget (every agent's spend)") { r, _ in
            try await api.putBudget(r, scope: .fleet)
        }
        routes.read(.roleBudget, api)
        routes.read(.fleetBudget, api)
        routes.read(.allowance, api)
    }
}

extension API {
    /// `PUT …/budget` of any scope: the contract's fields (left-out ones take the rules' budget
    /// defaults), plus `thresholds` (utilization percentages that each alert once per period),
    /// `hard` (the allowance says no once it is used up) and `forecast_alert` (default: on for
    /// role and fleet budgets, off for agent budgets). Answers the budget's status.
    func putBudget(_ request: Request, scope: BudgetScope) async throws -> Response {
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
        func flag(_ key: String, _ fallback: Bool) throws(APIError) -> Bool {
            guard let raw = object[key], !raw.isNull else { return fallback }
            guard let v = raw.boolValue else { throw APIError.validation(key, "\(key) must be true or false") }
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
        var thresholds: [Double]?
        if let raw = object["thresholds"], !raw.isNull {
            guard let list = raw.arrayValue,
                case let numbers = list.compactMap({ $0.boolValue == nil ? $0.doubleValue : nil }),
                numbers.count == list.count
            else { throw APIError.validation("thresholds", "thresholds must be a list of percentages") }
            thresholds = numbers
        }
        let isAgent: Bool
        if case .agent = scope { isAgent = true } else { isAgent = false }
        let budget = BudgetSet(
            scope: scope, totalBudgetNanos: nanos, warningThresholdPercent: warning, criticalThresholdPercent: critical,
            period: period, thresholds: thresholds, hard: try flag("hard", false),
            forecastAlert: try flag("forecast_alert", !isAgent))
        if let violation = Limits.budgetViolation(budget) {
            throw APIError.validation(violation.field, violation.message)
        }
        let at = try await write { state, context in
            let events = try Ingestion.setBudget(budget, state: state, now: context.recordedAt)
            return (events.map { ($0, nil) }, context.recordedAt)
        }
        let status = service.read { $0.budgetStatus(scope, asOf: at) }
        return json(object: ["success": true, "data": status?.contractData ?? .null], status: .ok)
    }
}
