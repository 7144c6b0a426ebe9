import EventLog
import Foundation
import Logging
import PostgresLog

/// The PostgreSQL server of these tests: `METRICS_TEST_POSTGRES_URL`, as `scripts/postgres.sh
/// start DIR` prints it (CI always sets it). Without it the suite is skipped, and says so.
public enum TestPostgres {
    public static let url: String? = ProcessInfo.processInfo.environment["METRICS_TEST_POSTGRES_URL"].flatMap {
        $0.isEmpty ? nil : $0
    }
    public static let skipNotice =
        "METRICS_TEST_POSTGRES_URL is not set: no PostgreSQL server (scripts/postgres.sh start DIR prints one)"
    public static let logger = Logger(label: "postgres-log-tests")

    /// A database of its own for one test, dropped afterwards.
    public static func withDatabase<R>(_ body: (PostgresURL) async throws -> R) async throws -> R {
        let admin = try PostgresURL(url!)
        let name = "test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try admin.execute("CREATE DATABASE \(name)")
        var scratch = admin
        scratch.database = name
        do {
            let result = try await body(scratch)
            try? admin.execute("DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? admin.execute("DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    public static func openLog(_ url: PostgresURL, readOnly: Bool = false) throws -> EventLog {
        let storage = try PostgresStorage(url: url, readOnly: readOnly, logger: logger)
        return try EventLog(storage: storage, directory: NSTemporaryDirectory())
    }
}

extension PostgresURL {
    /// Runs one statement outside any log (test setup).
    public func execute(_ sql: String) throws {
        try PostgresStorage.execute(self, sql, logger: TestPostgres.logger)
    }
}
