import Projections
import Utilities

/// What a read endpoint answers from besides the projection: the path parameters (as the
/// request path spells them), the query, and the server clock (the default `as_of`).
public struct ReadArguments {
    public let pathParameter: (String) -> String?
    public let query: QueryParameters
    public let now: () -> Int64

    public init(pathParameter: @escaping (String) -> String?, query: QueryParameters, now: @escaping () -> Int64) {
        self.pathParameter = pathParameter
        self.query = query
        self.now = now
    }

    /// A positive integer path parameter (400 `invalid_parameter` otherwise).
    public func id(_ name: String) throws(APIError) -> Int64 {
        try PathParameter.id(pathParameter(name), name)
    }

    /// A path parameter that names one of a fixed set of values.
    public func oneOf<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(APIError) -> T
    where T.RawValue == String {
        let text = pathParameter(name) ?? ""
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidParameter(name, "\(name) must be one of \(allowed)")
        }
        return value
    }

    /// `as_of`, defaulting to the clock.
    public func asOf() throws(APIError) -> Int64 { try query.asOf(now: now()) }
}

/// Path parameter readers shared by the read endpoints and the write handlers.
public enum PathParameter {
    public static func id(_ text: String?, _ name: String) throws(APIError) -> Int64 {
        guard let text, let id = Int64(text), id >= 1 else {
            throw .invalidParameter(name, "\(name) must be a positive integer")
        }
        return id
    }
}

/// A GET endpoint answered from the projection alone. The router serves each of these, and
/// `answerRead` answers the same paths from any projection (`replay at`), so both share the
/// parameter parsing and the queries.
public struct ReadEndpoint: Sendable {
    /// The path template, e.g. `/api/v1/agents/{id}`.
    public let path: String
    public let summary: String
    /// Whether the answer depends on nothing but the query (apart from `as_of`, `start_date`,
    /// `end_date`), the metrics inside the window, and the UTC day of the window's start: then an
    /// answer stays valid while the log does not move and no metric enters or leaves the window
    /// (`WindowedAnswerCache`).
    public let windowed: Bool
    /// The typed read model the endpoint answers (the projection's query with the parsed parameters).
    public let read: @Sendable (borrowing FleetProjection, ReadArguments) throws(APIError) -> any ContractResponse

    public init(
        _ path: String, _ summary: String, windowed: Bool = false,
        _ read: @escaping @Sendable (borrowing FleetProjection, ReadArguments) throws(APIError) -> any ContractResponse
    ) {
        self.path = path
        self.summary = summary
        self.windowed = windowed
        self.read = read
    }

    /// The response body: the read model rendered into the contract's JSON.
    public func answer(_ projection: borrowing FleetProjection, _ arguments: ReadArguments) throws(APIError)
        -> JSONObject
    {
        try read(projection, arguments).contractJSON
    }

    /// Whether `path` (a request path without its query) matches the template; its parameters if so.
    public func match(_ path: String) -> [String: String]? {
        let template = self.path.split(separator: "/", omittingEmptySubsequences: true)
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard template.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (t, p) in zip(template, parts) {
            if t.hasPrefix("{") && t.hasSuffix("}") {
                parameters[String(t.dropFirst().dropLast())] = String(p)
            } else if t != p {
                return nil
            }
        }
        return parameters
    }
}

private func answering<T>(_ body: () throws(QueryError) -> T) throws(APIError) -> T {
    do { return try body() } catch { throw APIError(error) }
}

private func validSeverity(_ s: String?) throws(APIError) -> String? {
    guard let s else { return nil }
    guard ["info", "warning", "critical"].contains(s) else {
        throw .invalidParameter("severity", "severity must be info, warning or critical")
    }
    return s
}

private func validType(_ s: String?) throws(APIError) -> String? {
    guard let s else { return nil }
    guard ["budget_overrun", "budget_forecast", "performance_degradation", "outlier"].contains(s) else {
        throw .invalidParameter(
            "type", "type must be budget_overrun, budget_forecast, performance_degradation or outlier")
    }
    return s
}

extension ReadEndpoint {
    public static let v1 = "/api/v1"

    public static let agents = ReadEndpoint("\(v1)/agents", "List agents") { p, _ in p.agentList() }

    public static let agent = ReadEndpoint("\(v1)/agents/{id}", "One agent") { p, a throws(APIError) in
        let id = try a.id("id")
        return try answering { () throws(QueryError) in try p.agent(id) }
    }

    public static let agentBudget = ReadEndpoint("\(v1)/agents/{id}/budget", "An agent's budget status") {
        p, a throws(APIError) in
        let id = try a.id("id")
        let asOf = try a.asOf()
        return try answering { () throws(QueryError) in try p.budget(agentID: id, asOf: asOf) }
    }

    public static let roleBudget = ReadEndpoint("\(v1)/roles/{role}/budget", "A role's budget status and forecast") {
        p, a throws(APIError) in
        let role = a.pathParameter("role")?.removingPercentEncoding ?? ""
        let asOf = try a.asOf()
        guard let status = p.budgetStatus(.role(role), asOf: asOf) else {
            throw .notFound("role \(role) has no budget")
        }
        return status
    }

    public static let fleetBudget = ReadEndpoint("\(v1)/fleet/budget", "The fleet's budget status and forecast") {
        p, a throws(APIError) in
        let asOf = try a.asOf()
        guard let status = p.budgetStatus(.fleet, asOf: asOf) else {
            throw .notFound("the fleet has no budget")
        }
        return status
    }

    public static let allowance = ReadEndpoint(
        "\(v1)/agents/{id}/allowance", "Whether an agent may start more work, by the budgets that cover it"
    ) { p, a throws(APIError) in
        let id = try a.id("id")
        let asOf = try a.asOf()
        return try answering { () throws(QueryError) in try p.allowance(agentID: id, asOf: asOf) }
    }

    public static let timeSeries = ReadEndpoint("\(v1)/metrics/aggregate/timeseries", "Time series") {
        p, a throws(APIError) in
        let q = a.query
        let asOf = try a.asOf()
        let window = try q.window(asOf: asOf)
        let granularity = try q.oneOf("granularity", Granularity.self) ?? .day
        let agentID = try q.int("agent_id", min: 1)
        return try answering { () throws(QueryError) in
            try p.timeSeries(
                window: window, granularity: granularity, agentID: agentID, role: q.string("role"),
                operation: q.string("operation_type"))
        }
    }

    public static let byAgent = ReadEndpoint("\(v1)/metrics/aggregate/by-agent/{agent_id}", "Per-agent summary") {
        p, a throws(APIError) in
        let id = try a.id("agent_id")
        let asOf = try a.asOf()
        let window = try a.query.window(asOf: asOf)
        return try answering { () throws(QueryError) in try p.byAgent(id, window: window, asOf: asOf) }
    }

    public static let byRole = ReadEndpoint("\(v1)/metrics/aggregate/by-role/{role}", "Per-role summary") {
        p, a throws(APIError) in
        let role = a.pathParameter("role")?.removingPercentEncoding ?? ""
        let window = try a.query.window(asOf: try a.asOf())
        return try answering { () throws(QueryError) in try p.byRole(role, window: window) }
    }

    public static let percentiles = ReadEndpoint(
        "\(v1)/metrics/percentiles/{metric}", "Percentiles of a metric", windowed: true
    ) {
        p, a throws(APIError) in
        let metric = try a.oneOf("metric", StatisticMetric.self)
        let q = a.query
        let window = try q.window(asOf: try a.asOf())
        let agentID = try q.int("agent_id", min: 1)
        return p.percentiles(metric, window: window, agentID: agentID, operation: q.string("operation_type"))
    }

    public static let trends = ReadEndpoint("\(v1)/metrics/trends/{metric}", "Trend of a metric with its significance")
    {
        p, a throws(APIError) in
        let metric = try a.oneOf("metric", TrendMetric.self)
        let q = a.query
        let asOf = try a.asOf()
        let lookback = try q.int("lookback_days", min: 1, max: 365) ?? 30
        let agentID = try q.int("agent_id", min: 1)
        return p.trends(metric, asOf: asOf, lookbackDays: lookback, agentID: agentID)
    }

    public static let outliers = ReadEndpoint("\(v1)/metrics/outliers/{metric}", "Outliers of a metric", windowed: true)
    {
        p, a throws(APIError) in
        let metric = try a.oneOf("metric", StatisticMetric.self)
        let q = a.query
        let window = try q.window(asOf: try a.asOf())
        let z = try q.double("z_threshold", above: 0, max: 100) ?? 3.0
        let limit = try q.int("limit", min: 1, max: 10_000) ?? 100
        let agentID = try q.int("agent_id", min: 1)
        return p.outliers(
            metric, window: window, agentID: agentID, operation: q.string("operation_type"), zThreshold: z,
            limit: Int(limit))
    }

    public static let costRecommendations = ReadEndpoint("\(v1)/metrics/recommendations/cost", "Cost recommendations") {
        p, a throws(APIError) in
        p.costRecommendations(asOf: try a.asOf())
    }

    public static let insights = ReadEndpoint(
        "\(v1)/metrics/insights/performance", "Performance insights", windowed: true
    ) {
        p, a throws(APIError) in
        p.insights(window: try a.query.window(asOf: try a.asOf()))
    }

    public static let summary = ReadEndpoint("\(v1)/metrics/summary", "Summary dashboard") { p, a throws(APIError) in
        p.summary(asOf: try a.asOf())
    }

    public static let alerts = ReadEndpoint("\(v1)/metrics/alerts", "List alerts") { p, a throws(APIError) in
        let q = a.query
        _ = try a.asOf()
        let from = try q.time("start_date")
        let through = try q.time("end_date")
        if let from, let through, from > through {
            throw .invalidParameter("start_date", "start_date must not be after end_date")
        }
        let filter = FleetProjection.AlertFilter(
            status: try q.oneOf("status", AlertStatus.self), severity: try validSeverity(q.string("severity")),
            agentID: try q.int("agent_id", min: 1), type: try validType(q.string("type")), detectedFrom: from,
            detectedThrough: through, limit: Int(try q.int("limit", min: 1, max: 1_000) ?? 50))
        return p.alertList(filter)
    }

    public static let alert = ReadEndpoint("\(v1)/metrics/alerts/{id}", "One alert") { p, a throws(APIError) in
        let id = try a.id("id")
        return try answering { () throws(QueryError) in try p.alert(id: id) }
    }

    public static let alertHistory = ReadEndpoint(
        "\(v1)/metrics/alerts/{id}/history", "An alert's transitions from the log"
    ) {
        p, a throws(APIError) in
        let id = try a.id("id")
        return try answering { () throws(QueryError) in try p.alertHistory(id: id) }
    }

    /// Every read endpoint, in the order the router lists them.
    public static let all: [ReadEndpoint] = [
        agents, agent, agentBudget, allowance, roleBudget, fleetBudget, timeSeries, byAgent, byRole, percentiles,
        trends, outliers, costRecommendations, insights, summary, alerts, alert, alertHistory,
    ]
}

/// Answers `GET pathAndQuery` (e.g. `/api/v1/metrics/summary?as_of=…`) from `projection` exactly
/// as the server's route does, with the server clock reading `now` (the default `as_of`). An
/// answer the route would give as an error is thrown as that error.
public func answerRead(_ pathAndQuery: String, projection: borrowing FleetProjection, now: Int64) throws(APIError)
    -> JSONObject
{
    // Split as the router splits a request target: the path, then the query after `?`.
    let target = pathAndQuery.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
    let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
    let path = String(parts[0])
    let query = QueryParameters(query: parts.count > 1 ? String(parts[1]) : nil)
    for endpoint in ReadEndpoint.all {
        guard let parameters = endpoint.match(path) else { continue }
        let arguments = ReadArguments(pathParameter: { parameters[$0] }, query: query, now: { now })
        return try endpoint.answer(projection, arguments)
    }
    throw .notFound("no read endpoint for GET \(path)")
}

extension APIError {
    /// The error envelope of the contract as JSON text.
    public var envelope: [UInt8] { body.serialized() }
}
