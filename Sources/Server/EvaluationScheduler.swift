import Foundation
import Logging
import Projections
import ServiceLifecycle

/// Runs the evaluation of §4 at every hour boundary (with `as_of` = the boundary), through the
/// same decision as `POST /admin/evaluate`. Evaluations are idempotent, so a restart that
/// evaluates a boundary again appends nothing.
struct EvaluationScheduler: Service {
    let service: FleetService
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let now = service.clock()
            let next = UTCTime.hourFloor(now) + UTCTime.microsecondsPerHour
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .microseconds(next - now)) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            do {
                let events = try await service.evaluate(asOf: next)
                logger.info("scheduled evaluation", metadata: ["as_of": "\(UTCTime.formatISO8601(next))", "events": "\(events.count)"])
            } catch {
                logger.error("scheduled evaluation failed", metadata: ["error": "\(error)"])
            }
            if next == UTCTime.isoWeekFloor(next) {
                writeWeeklyReport(weekStart: next - 7 * UTCTime.microsecondsPerDay, asOf: next)
            }
        }
    }
}

extension EvaluationScheduler {
    /// The weekly job: writes the report of the week that just ended under `DATA/reports/`.
    func writeWeeklyReport(weekStart: Int64, asOf: Int64) {
        let report = service.read { $0.weeklyReport(weekStart: weekStart, asOf: asOf) }
        let name = report["data"]?["week"]?.stringValue ?? UTCTime.formatISO8601(weekStart)
        let directory = service.log.directory + "/reports"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(JSONValue.object(report).serialized()).write(to: URL(fileURLWithPath: "\(directory)/\(name).json"))
            try Data(FleetProjection.weeklyReportMarkdown(report).utf8).write(to: URL(fileURLWithPath: "\(directory)/\(name).md"))
            logger.info("weekly report written", metadata: ["week": "\(name)", "directory": "\(directory)"])
        } catch {
            logger.error("weekly report could not be written", metadata: ["error": "\(error)"])
        }
    }
}

extension FleetService {
    /// Evaluates §4 at `asOf` inside the writer; returns the appended events.
    func evaluate(asOf: Int64) async throws -> [DomainEvent] {
        try await write { state, _ in
            let events = self.withProjection { Evaluation.evaluate(asOf: asOf, state: state, projection: $0) }
            return (events.map { ($0, nil) }, events)
        }
    }
}
