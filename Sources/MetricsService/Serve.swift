import APIContract
import ArgumentParser
import EventLog
import FleetCommands
import FleetServices
import Foundation
import HTTPAPI
import Hummingbird
import Logging
import OTLPTraces

extension Durability: ExpressibleByArgument {}

/// `metrics-service serve`: the HTTP API over the data directory.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP API over the data directory.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port and logs it).")
    var port = 8080

    @Option(help: "durable (fsync every commit) or relaxed (MDB_NOMETASYNC).")
    var durability = Durability.durable

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    @Option(
        help: "A file of API keys, one `read KEY` or `write KEY` per line (or set METRICS_API_KEYS=write:KEY,read:KEY)."
    )
    var apiKeys: String?

    @Option(help: "Allow this browser origin to call the API (CORS; off by default), e.g. https://ops.example.com.")
    var corsOrigin: String?

    @Option(
        help: ArgumentHelp(
            "With --store: the base URL other nodes forward writes to (default http://HOST:PORT).",
            valueName: "URL"))
    var advertise: String?

    @Option(
        help: ArgumentHelp(
            "With --store: seconds between a follower's tries of the writer's lock (a dead leader is replaced within about this).",
            valueName: "SECONDS"))
    var failoverInterval: Double = 1

    @Option(help: "The span attribute naming the role of an agent an OTLP span registers (else service.namespace).")
    var otlpRoleAttribute = "gen_ai.agent.role"

    @Option(help: "The span attribute holding an OTLP span's quality score (0–100).")
    var otlpQualityAttribute = "gen_ai.evaluation.score"

    @Option(
        help:
            "Agents (and roles) with spend series of their own on /metrics, the highest lifetime cost first; the rest are summed as `other`."
    )
    var prometheusAgents = 100

    @Flag(help: "Allow a non-loopback --host without API keys.")
    var insecureNoAuth = false

    @Flag(
        help:
            "Do not run the hourly evaluation (tests and conformance runs trigger it with POST /api/v1/admin/evaluate)."
    )
    var noScheduler = false

    @Option(
        name: .customLong("webhook"),
        help: ArgumentHelp(
            "POST every alert transition as JSON (Slack-compatible `text` plus the alert) to URL; repeatable.",
            discussion: "SEVERITY (info, warning, critical; default info) is the lowest alert severity sent.",
            valueName: "URL[,min=SEVERITY]"))
    var webhooks: [String] = []

    @Option(
        name: .customLong("email"),
        help: ArgumentHelp(
            "Mail every alert transition (plain text, with a link to the dashboard) through an SMTP relay; repeatable.",
            discussion:
                "Plain SMTP without authentication or TLS: a local MTA or relay. to= may be repeated; SEVERITY (info, warning, critical; default info) is the lowest alert severity sent.",
            valueName: "smtp://HOST[:PORT],from=ADDR,to=ADDR[,to=ADDR...][,min=SEVERITY]"))
    var emails: [String] = []

    @Option(help: "The dashboard's public base URL, for links in emails (default http://HOST:PORT).")
    var publicURL: String?

    func run() async throws {
        var configuration = ServiceConfiguration()
        configuration.dataDirectory = data.dataDirectory
        _ = try data.logStore()  // refuses a malformed URL before anything starts
        configuration.store = data.storeURL
        if configuration.store != nil {
            guard failoverInterval > 0, failoverInterval <= 60 else {
                throw ValidationError("--failover-interval must be more than 0 and at most 60 seconds")
            }
            guard port != 0 || advertise != nil else {
                throw ValidationError("--port 0 with --store needs --advertise (other nodes forward writes to it)")
            }
            configuration.cluster = ClusterMembership.Settings(
                advertisedAddress: advertise ?? "http://\(host):\(port)",
                lockInterval: .milliseconds(Int64(failoverInterval * 1000)))
        }
        configuration.host = host
        configuration.port = port
        configuration.durability = durability
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level \(logLevel)")
        }
        configuration.logLevel = level
        configuration.scheduler = !noScheduler
        configuration.limits.apiKeys = try loadKeys()
        configuration.limits.corsOrigin = corsOrigin
        guard (0...10_000).contains(prometheusAgents) else {
            throw ValidationError("--prometheus-agents must be from 0 to 10000")
        }
        configuration.limits.prometheusAgents = prometheusAgents
        configuration.limits.spanMapping = GenAIMapping(
            roleAttribute: otlpRoleAttribute, qualityAttribute: otlpQualityAttribute)
        configuration.webhooks = try webhooks.map { text in
            do {
                return try WebhookTarget(parsing: text)
            } catch {
                throw ValidationError("--webhook: \(error)")
            }
        }
        configuration.emails = try emails.map { text in
            do {
                return try EmailTarget(parsing: text)
            } catch {
                throw ValidationError("--email: \(error)")
            }
        }
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host != nil
            else { throw ValidationError("--public-url must be an http or https URL") }
            configuration.publicURL = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
        }
        if configuration.limits.apiKeys.isEmpty && !Self.isLoopback(host) && !insecureNoAuth {
            throw ValidationError(
                "refusing to serve on \(host) without API keys: pass --api-keys FILE, or --insecure-no-auth to accept it"
            )
        }
        let app = try buildApplication(configuration)
        try await app.runService()
    }

    private func loadKeys() throws -> APIKeys {
        do {
            if let path = apiKeys {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw ValidationError("cannot read the API keys file \(path)")
                }
                return try APIKeys(parsing: String(decoding: data, as: UTF8.self))
            }
            if let env = ProcessInfo.processInfo.environment["METRICS_API_KEYS"], !env.isEmpty {
                return try APIKeys(parsing: env)
            }
        } catch let error as APIKeys.Invalid {
            throw ValidationError(error.description)
        }
        return APIKeys()
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
