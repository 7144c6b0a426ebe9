import ArgumentParser
import FleetCommands

/// The log tools alone, without the HTTP server: `metrics-replay verify|rebuild|alert|at|export|
/// import|what-if` and `metrics-replay seed-demo`, the same commands as `metrics-service replay …`
/// and `metrics-service seed-demo`, in a binary that links neither Hummingbird nor NIO's HTTP
/// modules (for the machine that holds a copy of the log, a backup host, a CI job).
@main
struct MetricsReplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics-replay",
        abstract: "The event log tools of metrics-service, without its HTTP server.",
        discussion: "Each subcommand is the one of `metrics-service replay` (and `metrics-service seed-demo`).",
        subcommands: Replay.configuration.subcommands + [SeedDemo.self]
    )
}
