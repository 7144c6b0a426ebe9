import APIContract
import CoreMetrics
import FleetServices
import Hummingbird
import Prometheus
import Synchronization

/// The service's own metrics in Prometheus exposition: requests by route and status, request
/// durations, events appended, the log head, projection lag. Uses its own registry (no global
/// bootstrap), so several applications can live in one process (tests).
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    private let head: CoreMetrics.Gauge
    private let projected: CoreMetrics.Gauge
    private let lag: CoreMetrics.Gauge
    private let groupCommits: CoreMetrics.Gauge
    private let metricsStored: CoreMetrics.Gauge
    private let alertsActive: CoreMetrics.Gauge
    /// OTLP spans by what became of them, and the stored ones that came without a cost.
    private let spansStored: CoreMetrics.Counter
    private let spansDuplicate: CoreMetrics.Counter
    private let spansIgnored: CoreMetrics.Counter
    private let spansRejected: CoreMetrics.Counter
    private let spansUnpriced: CoreMetrics.Counter
    /// Metrics (from either door) that named a model the price table had no price for.
    private let unknownModels: CoreMetrics.Counter

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .seconds(1),
        ]
        self.factory = factory
        head = CoreMetrics.Gauge(label: "event_log_head_sequence", factory: factory)
        projected = CoreMetrics.Gauge(label: "projection_sequence", factory: factory)
        lag = CoreMetrics.Gauge(label: "projection_lag_events", factory: factory)
        groupCommits = CoreMetrics.Gauge(label: "event_log_group_commits", factory: factory)
        metricsStored = CoreMetrics.Gauge(label: "metrics_stored", factory: factory)
        alertsActive = CoreMetrics.Gauge(label: "alerts_active", factory: factory)
        func spans(_ outcome: String) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: "otlp_spans_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        spansStored = spans("stored")
        spansDuplicate = spans("duplicate")
        spansIgnored = spans("ignored")
        spansRejected = spans("rejected")
        spansUnpriced = CoreMetrics.Counter(label: "otlp_spans_unpriced_total", factory: factory)
        unknownModels = CoreMetrics.Counter(label: "metrics_unknown_model_total", factory: factory)
    }

    /// Counts what one OTLP request's spans became.
    func recordSpans(stored: Int, duplicate: Int, ignored: Int, rejected: Int, unpriced: Int) {
        spansStored.increment(by: stored)
        spansDuplicate.increment(by: duplicate)
        spansIgnored.increment(by: ignored)
        spansRejected.increment(by: rejected)
        spansUnpriced.increment(by: unpriced)
    }

    /// Counts stored metrics whose model had no price (stored with cost 0).
    func recordUnknownModels(_ count: Int) {
        if count > 0 { unknownModels.increment(by: count) }
    }

    /// The counter and timer of one (route, method, status), made once: making them per request
    /// costs a registry lookup under its lock and the label strings every time.
    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }
    private let requestHandles = Mutex<[RequestKey: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestKey(route: route, method: method, status: status)
        let handles =
            requestHandles.withLock { $0[key] }
            ?? requestHandles.withLock { cache in
                if let made = cache[key] { return made }
                let made = (
                    CoreMetrics.Counter(
                        label: "http_requests_total",
                        dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory
                    ),
                    CoreMetrics.Timer(
                        label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                        factory: factory)
                )
                // Methods are client-chosen tokens: keep the cache bounded.
                if cache.count < 1_000 { cache[key] = made }
                return made
            }
        handles.0.increment()
        handles.1.recordInterval(duration)
    }

    /// The exposition text, with the log and projection gauges read now.
    func exposition(service: FleetService, topAgents: Int) -> [UInt8] {
        let logHead = service.log.head
        let now = service.clock()
        let (sequence, stored, active, spend) = service.read {
            ($0.sequence, $0.metrics.count, $0.activeAlertCount, SpendSeries($0, topAgents: topAgents, asOf: now))
        }
        head.record(Int64(logHead))
        projected.record(Int64(sequence))
        lag.record(Int64(logHead &- min(sequence, logHead)))
        groupCommits.record(Int64(service.writer.groupCommits))
        metricsStored.record(Int64(stored))
        alertsActive.record(Int64(active))
        return registry.emitToBuffer() + Array(spend.text.utf8)
    }
}

extension CoreMetrics.Timer {
    func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Counts every request by its route template and status, and times it.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.recordRequest(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code,
            duration: ContinuousClock.now - start)
        return response
    }
}
