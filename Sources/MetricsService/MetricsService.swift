import ArgumentParser
import FleetCommands

/// The service's executable: `serve`, `replay …` and maintenance tools.
@main
struct MetricsService: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics-service",
        abstract: "Metrics aggregation for fleets of AI agents, event-sourced on LMDB.",
        subcommands: [Serve.self, SeedDemo.self, StressAppend.self, Replay.self]
    )
}
