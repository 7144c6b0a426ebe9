import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections

/// Limits on what a request may carry.
public struct RequestLimits: Sendable {
    public var maxBodyBytes = 32 << 20
    public var maxBatch = 10_000
    public var maxSmallBodyBytes = 64 << 10
    /// API keys; empty means no authentication (the service then binds to loopback only).
    public var apiKeys = APIKeys()
    /// The one browser origin allowed to call the API cross-origin (CORS); nil: CORS off.
    public var corsOrigin: String?

    public init() {}
}

/// Builds the router of the whole API over a `FleetService`.
public func buildRouter(
    service: FleetService, limits: RequestLimits = RequestLimits(), metrics: ServiceMetrics = ServiceMetrics()
) -> Router<BasicRequestContext> {
    let api = API(service: service, limits: limits)
    // The routes are collected first, so the error middleware (405 `Allow`) and the OpenAPI
    // document get the finished table; then the middlewares and the routes are registered.
    typealias Handler = @Sendable (Request, BasicRequestContext) async throws -> Response
    var table = RouteTable()
    var handlers: [(RouteTable.Route, Handler)] = []
    // HEAD answers every GET route with the GET's headers and no body (RFC 9110 §9.3.2).
    let router = Router(options: .autoGenerateHeadEndpoints)
    let v1 = "/api/v1"
    // Middlewares wrap only the routes added after them: add them first.
    if let origin = limits.corsOrigin {
        router.middlewares.add(
            CORSMiddleware(
                allowOrigin: .custom(origin), allowHeaders: [.accept, .authorization, .contentType, .ifNoneMatch],
                allowMethods: [.get, .post, .put, .head, .options], exposedHeaders: ["ETag"], maxAge: .seconds(600)))
    }
    router.middlewares.add(RequestLoggingMiddleware())
    router.middlewares.add(MetricsMiddleware(metrics: metrics))

    func route(_ method: HTTPRequest.Method, _ path: String, _ summary: String, _ handler: @escaping Handler) {
        table.add(method, path, summary)
        handlers.append((RouteTable.Route(method: method, path: path, summary: summary), handler))
    }

    /// A GET answered from the projection by a shared `ReadEndpoint` (also used by `replay at`).
    func read(_ endpoint: ReadEndpoint) {
        route(.get, endpoint.path, endpoint.summary) { r, c in
            if endpoint.windowed { return try api.getWindowed(r, c, endpoint) }
            return try api.get(r) { p, q throws(APIError) in
                try endpoint.answer(p, ReadArguments(pathParameter: { c.parameters.get($0) }, query: q, now: api.now))
            }
        }
    }

    route(.get, "/healthz", "Liveness: the log head and projection position") { _, _ in api.health() }
    route(.get, "/metrics", "Prometheus exposition of the service's own metrics") { _, _ in
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4"
        let bytes = metrics.exposition(service: service)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
    read(.agents)
    route(.post, "\(v1)/agents", "Register an agent") { r, _ in try await api.registerAgent(r) }
    read(.agent)
    route(.put, "\(v1)/agents/{id}/budget", "Set an agent's budget") { r, c in try await api.setBudget(r, c) }
    read(.agentBudget)
    route(.post, "\(v1)/metrics", "Record one metric or a batch") { r, _ in try await api.recordMetrics(r) }
    read(.timeSeries)
    read(.byAgent)
    read(.byRole)
    read(.percentiles)
    read(.trends)
    read(.outliers)
    read(.costRecommendations)
    read(.insights)
    read(.summary)
    read(.alerts)
    read(.alert)
    read(.alertHistory)
    route(.put, "\(v1)/metrics/alerts/{id}/acknowledge", "Acknowledge an alert") { r, c in
        try await api.transition(r, c, acknowledge: true)
    }
    route(.put, "\(v1)/metrics/alerts/{id}/resolve", "Resolve an alert") { r, c in
        try await api.transition(r, c, acknowledge: false)
    }
    route(.get, "\(v1)/metrics/reports/weekly", "Weekly report (`week=2025-W46`; `format=markdown` for people)") {
        r, _ in try api.weeklyReport(r)
    }
    route(.get, "\(v1)/admin/rules", "The rules document in force") { r, _ in
        try api.get(r) { p, _ throws(APIError) in
            ["success": true, "data": .object(["version": .int(p.ingestion.rulesVersion), "rules": p.rules.document])]
        }
    }
    route(.put, "\(v1)/admin/rules", "Replace the rules document (validated; appended as RulesChanged)") { r, _ in
        try await api.putRules(r)
    }
    route(.post, "\(v1)/admin/rebuild", "Rebuild the projections from the log beside the live ones and switch") {
        _, _ in
        let outcome = try await service.rebuildProjection()
        return api.json(
            .object([
                "success": true,
                "data": .object([
                    "events": .int(Int64(outcome.events)), "identical": .bool(outcome.identical),
                    "seconds": .double(outcome.seconds),
                ]),
            ]), status: .ok)
    }
    route(.post, "\(v1)/admin/evaluate", "Run the alert evaluation of §4 at an instant") { r, _ in
        try await api.evaluate(r)
    }
    route(.post, "\(v1)/admin/retention", "Archive and remove metric events older than the retention (monthly job)") {
        r, _ in try await api.retention(r)
    }
    table.add(.get, "/openapi.json", "This document")
    let document = OpenAPIDocument.build(table)
    let routes = table
    router.middlewares.add(ErrorEnvelopeMiddleware(routes: routes))
    router.middlewares.add(APIKeyMiddleware(keys: limits.apiKeys))
    for (route, handler) in handlers {
        router.on(RouterPath(route.path), method: route.method) { request, context in
            try await handler(request, context)
        }
    }
    router.get("/openapi.json") { _, _ in
        if let problem = OpenAPISpec.problem { throw APIError(.serviceUnavailable, "unavailable", problem) }
        return api.json(document, status: .ok)
    }
    addDashboardRoutes(to: router)
    return router
}
