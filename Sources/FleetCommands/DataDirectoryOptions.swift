import ArgumentParser

/// Options every subcommand shares.
public struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (LMDB environment).")
    public var dataDirectory: String = "./data"

    public init() {}
}
