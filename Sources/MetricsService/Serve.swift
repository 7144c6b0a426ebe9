import ArgumentParser
import EventLog
import Hummingbird
import Logging
import Server

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

    @Flag(help: "Do not run the hourly evaluation (tests and conformance runs trigger it with POST /api/v1/admin/evaluate).")
    var noScheduler = false

    func run() async throws {
        var configuration = ServiceConfiguration()
        configuration.dataDirectory = data.dataDirectory
        configuration.host = host
        configuration.port = port
        configuration.durability = durability
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("unknown log level \(logLevel)")
        }
        configuration.logLevel = level
        configuration.scheduler = !noScheduler
        let app = try buildApplication(configuration)
        try await app.runService()
    }
}
