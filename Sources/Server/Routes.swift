import EventLog
import Hummingbird
import Projections

/// Limits on what a request may carry.
public struct RequestLimits: Sendable {
    public var maxBodyBytes = 32 << 20
    public var maxBatch = 10_000
    public var maxSmallBodyBytes = 64 << 10

    public init() {}
}

/// Builds the router of the whole API over a `FleetService`.
public func buildRouter(service: FleetService, limits: RequestLimits = RequestLimits()) -> Router<BasicRequestContext> {
    let api = API(service: service, limits: limits)
    let table = RouteTableBox()
    let router = Router()
    let v1 = "/api/v1"
    // Middlewares wrap only the routes added after them: add them first.
    router.middlewares.add(RequestLoggingMiddleware())
    router.middlewares.add(ErrorEnvelopeMiddleware(routes: table))

    func route(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String,
        _ handler: @escaping @Sendable (Request, BasicRequestContext) async throws -> Response
    ) {
        table.table.add(method, path, summary)
        router.on(RouterPath(path), method: method) { request, context in try await handler(request, context) }
    }

    route(.get, "/healthz", "Liveness: the log head and projection position") { _, _ in api.health() }
    route(.get, "\(v1)/agents", "List agents") { r, _ in try api.get(r) { p, _ in p.agentList() } }
    route(.post, "\(v1)/agents", "Register an agent") { r, _ in try await api.registerAgent(r) }
    route(.get, "\(v1)/agents/{id}", "One agent") { r, c in
        let id = try api.pathID(c, "id")
        return try api.get(r) { p, _ throws(APIError) in try api.query { () throws(QueryError) in try p.agent(id) } }
    }
    route(.put, "\(v1)/agents/{id}/budget", "Set an agent's budget") { r, c in try await api.setBudget(r, c) }
    route(.get, "\(v1)/agents/{id}/budget", "An agent's budget status") { r, c in
        let id = try api.pathID(c, "id")
        return try api.get(r) { p, q throws(APIError) in
            let asOf = try q.asOf(now: api.now())
            return try api.query { () throws(QueryError) in try p.budget(agentID: id, asOf: asOf) }
        }
    }
    route(.post, "\(v1)/metrics", "Record one metric or a batch") { r, _ in try await api.recordMetrics(r) }
    route(.get, "\(v1)/metrics/aggregate/timeseries", "Time series") { r, _ in
        try api.get(r) { p, q throws(APIError) in
            let asOf = try q.asOf(now: api.now())
            let window = try q.window(asOf: asOf)
            let granularity = try q.oneOf("granularity", Granularity.self) ?? .day
            let agentID = try q.int("agent_id", min: 1)
            return try api.query { () throws(QueryError) in
                try p.timeSeries(
                    window: window, granularity: granularity, agentID: agentID, role: q.string("role"),
                    operation: q.string("operation_type"))
            }
        }
    }
    route(.get, "\(v1)/metrics/aggregate/by-agent/{agent_id}", "Per-agent summary") { r, c in
        let id = try api.pathID(c, "agent_id")
        return try api.get(r) { p, q throws(APIError) in
            let asOf = try q.asOf(now: api.now())
            let window = try q.window(asOf: asOf)
            return try api.query { () throws(QueryError) in try p.byAgent(id, window: window, asOf: asOf) }
        }
    }
    route(.get, "\(v1)/metrics/aggregate/by-role/{role}", "Per-role summary") { r, c in
        let role = c.parameters.get("role")?.removingPercentEncoding ?? ""
        return try api.get(r) { p, q throws(APIError) in
            let window = try q.window(asOf: try q.asOf(now: api.now()))
            return try api.query { () throws(QueryError) in try p.byRole(role, window: window) }
        }
    }
    route(.get, "\(v1)/metrics/percentiles/{metric}", "Percentiles of a metric") { r, c in
        let metric = try api.pathEnum(c, "metric", StatisticMetric.self)
        return try api.get(r) { p, q throws(APIError) in
            let window = try q.window(asOf: try q.asOf(now: api.now()))
            let agentID = try q.int("agent_id", min: 1)
            return p.percentiles(metric, window: window, agentID: agentID, operation: q.string("operation_type"))
        }
    }
    route(.get, "\(v1)/metrics/trends/{metric}", "Trend of a metric with its significance") { r, c in
        let metric = try api.pathEnum(c, "metric", TrendMetric.self)
        return try api.get(r) { p, q throws(APIError) in
            let asOf = try q.asOf(now: api.now())
            let lookback = try q.int("lookback_days", min: 1, max: 365) ?? 30
            let agentID = try q.int("agent_id", min: 1)
            return p.trends(metric, asOf: asOf, lookbackDays: lookback, agentID: agentID)
        }
    }
    route(.get, "\(v1)/metrics/outliers/{metric}", "Outliers of a metric") { r, c in
        let metric = try api.pathEnum(c, "metric", StatisticMetric.self)
        return try api.get(r) { p, q throws(APIError) in
            let window = try q.window(asOf: try q.asOf(now: api.now()))
            let z = try q.double("z_threshold", above: 0, max: 100) ?? 3.0
            let limit = try q.int("limit", min: 1, max: 10_000) ?? 100
            let agentID = try q.int("agent_id", min: 1)
            return p.outliers(
                metric, window: window, agentID: agentID, operation: q.string("operation_type"), zThreshold: z,
                limit: Int(limit))
        }
    }
    route(.get, "\(v1)/metrics/recommendations/cost", "Cost recommendations") { r, _ in
        try api.get(r) { p, q throws(APIError) in p.costRecommendations(asOf: try q.asOf(now: api.now())) }
    }
    route(.get, "\(v1)/metrics/insights/performance", "Performance insights") { r, _ in
        try api.get(r) { p, q throws(APIError) in p.insights(window: try q.window(asOf: try q.asOf(now: api.now()))) }
    }
    route(.get, "\(v1)/metrics/summary", "Summary dashboard") { r, _ in
        try api.get(r) { p, q throws(APIError) in p.summary(asOf: try q.asOf(now: api.now())) }
    }
    route(.get, "\(v1)/metrics/alerts", "List alerts") { r, _ in
        try api.get(r) { p, q throws(APIError) in
            _ = try q.asOf(now: api.now())
            let from = try q.time("start_date")
            let through = try q.time("end_date")
            if let from, let through, from > through {
                throw .invalidParameter("start_date", "start_date must not be after end_date")
            }
            let filter = FleetProjection.AlertFilter(
                status: try q.oneOf("status", AlertStatus.self), severity: try api.validSeverity(q.string("severity")),
                agentID: try q.int("agent_id", min: 1), type: try api.validType(q.string("type")), detectedFrom: from,
                detectedThrough: through, limit: Int(try q.int("limit", min: 1, max: 1_000) ?? 50))
            return p.alertList(filter)
        }
    }
    route(.get, "\(v1)/metrics/alerts/{id}", "One alert") { r, c in
        let id = try api.pathID(c, "id")
        return try api.get(r) { p, _ throws(APIError) in try api.query { () throws(QueryError) in try p.alert(id: id) } }
    }
    route(.get, "\(v1)/metrics/alerts/{id}/history", "An alert's transitions from the log") { r, c in
        let id = try api.pathID(c, "id")
        return try api.get(r) { p, _ throws(APIError) in
            try api.query { () throws(QueryError) in try p.alertHistory(id: id) }
        }
    }
    route(.put, "\(v1)/metrics/alerts/{id}/acknowledge", "Acknowledge an alert") { r, c in
        try await api.transition(r, c, acknowledge: true)
    }
    route(.put, "\(v1)/metrics/alerts/{id}/resolve", "Resolve an alert") { r, c in
        try await api.transition(r, c, acknowledge: false)
    }
    route(.post, "\(v1)/admin/evaluate", "Run the alert evaluation of §4 at an instant") { r, _ in
        try await api.evaluate(r)
    }
    table.table.add(.get, "/openapi.json", "This document")
    let document = OpenAPIDocument.build(table.table)
    router.get("/openapi.json") { _, _ in api.json(document, status: .ok) }
    return router
}
