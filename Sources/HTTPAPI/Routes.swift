import APIContract
import EventLog
import FleetServices
import Hummingbird
import OTLPTraces
import Projections

/// Limits on what a request may carry.
public struct RequestLimits: Sendable {
    public var maxBodyBytes = 32 << 20
    public var maxBatch = 10_000
    public var maxSmallBodyBytes = 64 << 10
    /// The rules document and the price table (a table of 2,000 models with a few dated prices each).
    public var maxRulesBodyBytes = 1 << 20
    /// API keys; empty means no authentication (the service then binds to loopback only).
    public var apiKeys = APIKeys()
    /// The one browser origin allowed to call the API cross-origin (CORS); nil: CORS off.
    public var corsOrigin: String?
    /// How OTLP spans become metrics (`--otlp-role-attribute`, `--otlp-quality-attribute`).
    public var spanMapping = GenAIMapping()
    /// The agents (and roles) with spend series of their own on `/metrics`, by lifetime cost; the
    /// rest are summed as `other` (`--prometheus-agents`).
    public var prometheusAgents = 100

    public init() {}
}

/// Builds the router of the whole API over a `FleetService`.
public func buildRouter(
    service: FleetService, limits: RequestLimits = RequestLimits(), metrics: ServiceMetrics = ServiceMetrics()
) -> Router<BasicRequestContext> {
    let api = API(service: service, limits: limits)
    // The routes are collected first, so the error middleware (405 `Allow`) and the OpenAPI
    // document get the finished table; then the middlewares and the routes are registered.
    var routes = RouteCollection()
    let controllers: [any APIController] = [
        ServiceController(api: api, metrics: metrics), AgentController(api: api),
        MetricController(api: api, metrics: metrics),
        AlertController(api: api), ReportController(api: api), AdminController(api: api), BudgetController(api: api),
        TraceController(api: api, metrics: metrics),
    ]
    for controller in controllers { controller.addRoutes(to: &routes) }
    routes.list(.get, "/openapi.json", "This document")
    let document = OpenAPIDocument.build(routes.table)

    // HEAD answers every GET route with the GET's headers and no body (RFC 9110 §9.3.2).
    let router = Router(options: .autoGenerateHeadEndpoints)
    // Middlewares wrap only the routes added after them: add them first.
    if let origin = limits.corsOrigin {
        router.middlewares.add(
            CORSMiddleware(
                allowOrigin: .custom(origin), allowHeaders: [.accept, .authorization, .contentType, .ifNoneMatch],
                allowMethods: [.get, .post, .put, .head, .options], exposedHeaders: ["ETag"], maxAge: .seconds(600)))
    }
    router.middlewares.add(RequestLoggingMiddleware())
    router.middlewares.add(MetricsMiddleware(metrics: metrics))
    router.middlewares.add(ErrorEnvelopeMiddleware(routes: routes.table))
    router.middlewares.add(APIKeyMiddleware(keys: limits.apiKeys))
    if let membership = service.membership {
        router.middlewares.add(
            ClusterMiddleware(
                service: service, membership: membership, forwarder: LeaderForwarder(),
                maxBodyBytes: limits.maxBodyBytes))
    }
    for (route, handler) in routes.handlers {
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
