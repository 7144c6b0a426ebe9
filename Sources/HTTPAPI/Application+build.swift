import APIContract
import EventLog
import FleetServices
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// What `serve` runs with.
public struct ServiceConfiguration: Sendable {
    public var dataDirectory = "./data"
    /// The PostgreSQL URL of the log (`--store`); nil keeps it in LMDB in `dataDirectory`.
    public var store: String?
    /// How this node takes part in a cluster over the PostgreSQL log (used with `store` only);
    /// nil: it takes the writer's lock at start or fails.
    public var cluster: ClusterMembership.Settings?
    public var host = "127.0.0.1"
    public var port = 8080
    public var durability = Durability.durable
    public var logLevel = Logger.Level.info
    /// Run the hourly evaluation (§5); off for tests and conformance runs.
    public var scheduler = true
    public var limits = RequestLimits()
    /// Where every alert transition is POSTed (`--webhook`); none by default.
    public var webhooks: [WebhookTarget] = []
    /// Where every alert transition is mailed (`--email`); none by default.
    public var emails: [EmailTarget] = []
    /// The dashboard's base URL for links in emails (`--public-url`; default http://HOST:PORT).
    public var publicURL: String?

    public init() {}
}

/// Closes the event log when the service group shuts down (after the HTTP server drained), so
/// queued appends finish and LMDB is closed cleanly.
struct EventLogService: Service {
    let service: FleetService
    let logger: Logger
    /// Checkpoint when this many events were appended since the last checkpoint.
    var checkpointEvery: UInt64 = 100_000

    /// Whether this node writes checkpoints: always on LMDB; in a cluster while it leads.
    private var writes: Bool { service.membership.map { $0.role == .leader } ?? true }

    func run() async throws {
        if service.membership == nil {
            do {
                try await service.resumeRetention()
            } catch {
                logger.error("an interrupted retention run could not be finished", metadata: ["error": "\(error)"])
            }
        }
        var last = service.read { $0.sequence }
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(10)) }
            } catch {
                break
            }
            let head = service.log.head
            if head >= last + checkpointEvery && writes {
                do {
                    last = try await service.checkpoint()
                    logger.info("projection checkpoint written", metadata: ["sequence": "\(last)"])
                } catch {
                    logger.error("projection checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
        if writes {
            do {
                let sequence = try await service.checkpoint()
                logger.info("projection checkpoint written at shutdown", metadata: ["sequence": "\(sequence)"])
            } catch {
                logger.error("projection checkpoint failed at shutdown", metadata: ["error": "\(error)"])
            }
        }
        service.shutdown()
    }
}

/// The composition root: opens the data directory, folds the projections, builds the router and
/// the application with its services.
public func buildApplication(_ configuration: ServiceConfiguration) throws -> some ApplicationProtocol {
    var logger = Logger(label: "metrics-service")
    logger.logLevel = configuration.logLevel
    let service = try FleetService(
        store: LogStore(dataDirectory: configuration.dataDirectory, store: configuration.store),
        durability: configuration.durability, logger: logger, cluster: configuration.cluster)
    return buildApplication(service: service, configuration: configuration, logger: logger)
}

/// Builds the application over an opened service (tests use this with a temporary directory).
/// The notification outbox of the configured webhooks and emails.
func outbox(_ service: FleetService, _ configuration: ServiceConfiguration, _ logger: Logger) -> NotificationOutbox {
    NotificationOutbox(
        service: service, targets: configuration.webhooks, emails: configuration.emails,
        dashboardURL: configuration.publicURL ?? "http://\(configuration.host):\(configuration.port)", logger: logger)
}

public func buildApplication(
    service: FleetService, configuration: ServiceConfiguration, logger: Logger
) -> some ApplicationProtocol {
    let router = buildRouter(service: service, limits: configuration.limits)
    var services: [any Service] = [EventLogService(service: service, logger: logger)]
    if let membership = service.membership {
        // A node of a cluster: the tailer always; the scheduler and the webhook outbox only while
        // this node leads (ClusterNode starts and stops them).
        var leaderJobs = service.backgroundServices(scheduler: configuration.scheduler, logger: logger)
        services.append(leaderJobs.removeFirst())
        if !configuration.webhooks.isEmpty || !configuration.emails.isEmpty {
            leaderJobs.append(outbox(service, configuration, logger))
        }
        services.append(ClusterNode(service: service, membership: membership, leaderJobs: leaderJobs, logger: logger))
    } else {
        services += service.backgroundServices(scheduler: configuration.scheduler, logger: logger)
    }
    if service.membership == nil && (!configuration.webhooks.isEmpty || !configuration.emails.isEmpty) {
        // After EventLogService: a service group stops services in reverse order, so the outbox
        // stops (and writes its checkpoints) before the log closes.
        services.append(outbox(service, configuration, logger))
    }
    let http = HTTP1Channel.Configuration(
        idleTimeout: .seconds(60),
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 64 * 1024, maxHeaderFieldCount: 100))
    return Application(
        router: router,
        server: .serviceHTTP1(configuration: http),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "metrics-service"),
        services: services,
        onServerRunning: { channel in
            logger.info("listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        },
        logger: logger
    )
}

/// One line per request at info: method, path, status, duration. Hummingbird's
/// `LogRequestsMiddleware` (2.28) logs a request when it arrives, with its full URI (query
/// included), and neither its status nor its duration: this line is written after the answer,
/// with the path only (queries may name agents or carry tokens a proxy added).
struct RequestLoggingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        context.logger.info(
            "\(request.method) \(request.uri.path) \(response.status.code) \(String(format: "%.2f", ms)) ms")
        return response
    }
}
