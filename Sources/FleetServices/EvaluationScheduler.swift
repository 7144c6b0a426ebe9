import APIContract
import Foundation
import Logging
import Projections
import ServiceLifecycle
import Utilities

/// Runs the evaluation of §4 at every boundary of the evaluation interval of the rules in force
/// (hourly by default; `as_of` = the boundary), through the same decision as
/// `POST /admin/evaluate`. Evaluations are idempotent, so a restart that evaluates a boundary
/// again appends nothing. Weekly reports and monthly retention run on their boundaries.
struct EvaluationScheduler: Service {
    let service: FleetService
    let logger: Logger

    /// The meta key where builds before `EvaluationPerformed` kept the last boundary evaluated:
    /// read once, for a log those builds wrote, never written.
    static let legacyCheckpointKey = "evaluator.as_of"
    /// How far back a restart catches up.
    static let catchUpLimit = 7 * UTCTime.microsecondsPerDay

    func run() async throws {
        await catchUp()
        while !Task.isShuttingDownGracefully {
            let now = service.clock()
            let interval = self.interval
            let next = Self.floor(now, interval) + interval
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .microseconds(next - now)) }
            } catch {
                return
            }
            if Task.isShuttingDownGracefully { return }
            do {
                let events = try await service.evaluate(asOf: next)
                logger.info(
                    "scheduled evaluation",
                    metadata: ["as_of": "\(UTCTime.formatISO8601(next))", "events": "\(events.count)"])
            } catch {
                logger.error("scheduled evaluation failed", metadata: ["error": "\(error)"])
            }
            if next == UTCTime.isoWeekFloor(next) {
                writeWeeklyReport(weekStart: next - 7 * UTCTime.microsecondsPerDay, asOf: next)
            }
            if next == UTCTime.monthFloor(next) {
                await runRetention(asOf: next)
            }
        }
    }

    /// After downtime, evaluates every missed boundary since the latest evaluation the log
    /// records (`EvaluationPerformed`; at most the last 7 days), oldest first. A log that never
    /// recorded an evaluation starts at the next boundary.
    func catchUp() async {
        let recorded = service.read { $0.ingestion.latestEvaluationAsOf }
        let legacy = (try? service.log.meta(Self.legacyCheckpointKey)).flatMap {
            Int64(String(decoding: $0, as: UTF8.self))
        }
        guard let last = [recorded, legacy].compactMap({ $0 }).max() else { return }
        let now = service.clock()
        let interval = self.interval
        // From the boundary at or before the latest evaluation (a manual one may lie between
        // boundaries, or a little ahead of the clock): evaluating a boundary again is idempotent.
        var boundary = Self.floor(max(last, now - Self.catchUpLimit), interval)
        if boundary == last { boundary += interval }
        var evaluated = 0
        while boundary <= now && !Task.isShuttingDownGracefully {
            do {
                _ = try await service.evaluate(asOf: boundary)
                evaluated += 1
            } catch {
                logger.error("catch-up evaluation failed", metadata: ["error": "\(error)"])
                return
            }
            boundary += interval
        }
        if evaluated > 0 { logger.info("evaluator caught up", metadata: ["boundaries": "\(evaluated)"]) }
    }

    /// The evaluation interval of the rules in force (µs).
    var interval: Int64 { service.read { $0.rules.evaluationIntervalMinutes } * UTCTime.microsecondsPerMinute }

    /// The boundary at or before `t` (boundaries are multiples of `interval` since the epoch,
    /// which divides a day, so day, week and month starts are boundaries).
    static func floor(_ t: Int64, _ interval: Int64) -> Int64 {
        let r = t % interval
        return r < 0 ? t - r - interval : t - r
    }

}

extension EvaluationScheduler {
    /// The monthly job: archives and removes metric events older than the retention.
    func runRetention(asOf: Int64) async {
        do {
            let report = try await service.applyRetention(asOf: asOf, waitForOtherJobs: true)
            logger.info(
                "monthly retention",
                metadata: ["removed": "\(report.removedEvents)", "archive": "\(report.archive ?? "-")"])
        } catch {
            logger.error("monthly retention failed", metadata: ["error": "\(error)"])
        }
    }

    /// The weekly job: writes the report of the week that just ended under `DATA/reports/`.
    func writeWeeklyReport(weekStart: Int64, asOf: Int64) {
        let report = service.read { $0.weeklyReport(weekStart: weekStart, asOf: asOf) }
        let name = report.week
        let directory = service.log.directory + "/reports"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(report.contractJSON.serializedBytes).write(to: URL(fileURLWithPath: "\(directory)/\(name).json"))
            try Data(report.markdown.utf8).write(
                to: URL(fileURLWithPath: "\(directory)/\(name).md"))
            logger.info("weekly report written", metadata: ["week": "\(name)", "directory": "\(directory)"])
        } catch {
            logger.error("weekly report could not be written", metadata: ["error": "\(error)"])
        }
    }
}

extension FleetService {
    /// Evaluates §4 at `asOf` inside the writer; returns the appended events. The decision reads
    /// the projection's metrics, so it runs in a group of its own: the projection then holds every
    /// request queued before it (in a shared group, the metrics of earlier requests of the same
    /// group would not be folded yet, and replay would decide otherwise).
    package func evaluate(asOf: Int64) async throws -> [DomainEvent] {
        try await write(exclusive: true, ownJob: true) { state, _ in
            let events = self.withProjection { Evaluation.evaluate(asOf: asOf, state: state, projection: $0) }
            return (events.map { ($0, nil) }, events)
        }
    }
}
