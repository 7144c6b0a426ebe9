import ArgumentParser
import FleetServices
import Foundation

/// Options every subcommand shares.
public struct DataDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "The data directory (LMDB environment).")
    public var dataDirectory: String = "./data"

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Keep the log in PostgreSQL instead of LMDB (also METRICS_STORE).",
            discussion:
                "postgres://USER[:PASSWORD]@HOST[:PORT]/DB, or postgres://USER@/DB?host=/socket/dir for a Unix socket. "
                + "The data directory then holds only local files (retention archives, reports).",
            valueName: "URL"))
    public var store: String?

    public init() {}

    /// `--store`, else `METRICS_STORE` (nil or empty: LMDB in `--data-dir`).
    public var storeURL: String? {
        store ?? ProcessInfo.processInfo.environment["METRICS_STORE"]
    }

    /// The log's place: `--store`, else `METRICS_STORE`, else LMDB in `--data-dir`.
    public func logStore() throws -> LogStore {
        try LogStore(dataDirectory: dataDirectory, store: storeURL)
    }
}
