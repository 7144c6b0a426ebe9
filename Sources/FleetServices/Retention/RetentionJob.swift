import EventLog
import Foundation
import Projections
import Synchronization
import Utilities

/// Why retention could not run.
public enum RetentionError: Error, Sendable, CustomStringConvertible {
    case archive(String)
    case archiveMissing(String)

    public var description: String {
        switch self {
        case .archive(let message): return "retention archive: \(message)"
        case .archiveMissing(let path): return "the retention archive \(path) is missing or does not match its marker"
        }
    }
}

/// What a retention run did.
public struct RetentionReport: Sendable, Equatable {
    public var asOf: Int64
    public var metricCutoff: Int64
    public var rollupCutoff: Int64
    /// The marker's sequence (nil when there was nothing to remove).
    public var markerSequence: UInt64?
    /// Metric events archived and removed from the log.
    public var removedEvents: Int
    /// The archive file, relative to the data directory.
    public var archive: String?
    public var archiveBytes: Int
}

/// The monthly retention job (contract §5, issue #5):
/// 1. scan the log for metric events older than the retention (`rules.retention.metrics_days`
///    before the day of `as_of`), writing them to `DATA/archive/…jsonl.gz` (synced, then renamed);
/// 2. append a `RetentionApplied` marker naming the archive, its size and checksum;
/// 3. write the projection checkpoint and the retention snapshot (both at or after the marker):
///    a rebuild starts from the retention snapshot, since the log alone no longer holds the past;
/// 4. delete the archived events from the log in bounded transactions, then record completion.
/// A crash anywhere is finished by `resumeRetention()` at the next start; every step is idempotent.
extension FleetService {
    /// The snapshot a rebuild starts from once retention removed events.
    static let retentionSnapshotName = "retention"
    static let retentionCompletedKey = "retention.completed"
    /// Events deleted per write transaction.
    static let retentionChunk = 10_000

    /// Runs retention at `asOf` with the rules in force; throws `MaintenanceBusy` while a
    /// projection rebuild runs (`waitForOtherJobs`: waits for it instead).
    public func applyRetention(asOf: Int64, waitForOtherJobs: Bool = false) async throws -> RetentionReport {
        if waitForOtherJobs {
            return try await maintenance.runWhenFree(.retention) {
                try await runRetention(asOf: asOf, stopAfterMarker: false)
            }
        }
        return try await applyRetention(asOf: asOf, stopAfterMarker: false)
    }

    /// `stopAfterMarker` leaves the run as a crash right after the marker would (tests).
    func applyRetention(asOf: Int64, stopAfterMarker: Bool) async throws -> RetentionReport {
        try await maintenance.run(.retention) {
            try await runRetention(asOf: asOf, stopAfterMarker: stopAfterMarker)
        }
    }

    private func runRetention(asOf: Int64, stopAfterMarker: Bool) async throws -> RetentionReport {

        let rules = read { $0.rules }
        let day = UTCTime.microsecondsPerDay
        let metricCutoff = UTCTime.dayFloor(asOf) - rules.retentionMetricsDays * day
        let rollupCutoff = UTCTime.dayFloor(asOf) - rules.retentionRollupDays * day
        var report = RetentionReport(
            asOf: asOf, metricCutoff: metricCutoff, rollupCutoff: rollupCutoff, markerSequence: nil,
            removedEvents: 0, archive: nil, archiveBytes: 0)
        let through = log.head

        // 1. The archive.
        let directory = log.directory + "/archive"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let name =
            "archive/metrics-before-\(UTCTime.formatISO8601(metricCutoff).prefix(10))-through-\(through).jsonl.gz"
        let finalPath = log.directory + "/" + name
        let temporaryPath = finalPath + ".partial"
        let writer = try GzipFileWriter(path: temporaryPath)
        var sequences: [UInt64] = []
        do {
            try Self.forEachArchivable(log: log, cutoff: metricCutoff, through: through) { record in
                try writer.write(LogReplay.exportLine(record) + [UInt8(ascii: "\n")])
                sequences.append(record.sequence)
            }
            try writer.finish()
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
        guard !sequences.isEmpty else {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            logger.info("retention: nothing to remove", metadata: ["cutoff": "\(UTCTime.formatISO8601(metricCutoff))"])
            return report
        }
        if FileManager.default.fileExists(atPath: finalPath) { try FileManager.default.removeItem(atPath: finalPath) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: finalPath)
        try Self.syncDirectory(directory)

        // 2. The marker.
        let marker = RetentionApplied(
            asOf: asOf, metricCutoff: metricCutoff, rollupCutoff: rollupCutoff, throughSequence: through,
            archive: name, archivedEvents: Int64(sequences.count), archiveChecksum: writer.checksum)
        let markerSequence = try await write(ownJob: true) { _, context in
            ([(DomainEvent.retentionApplied(marker), nil)], context.nextSequence)
        }
        report.markerSequence = markerSequence
        report.archive = name
        report.archiveBytes = writer.compressedBytes
        report.removedEvents = sequences.count

        // 3 and 4.
        if stopAfterMarker { return report }
        try await completeRetention(marker: marker, at: markerSequence, sequences: sequences)
        logger.notice(
            "retention applied",
            metadata: [
                "removed": "\(sequences.count)", "archive": "\(name)", "marker": "\(markerSequence)",
                "cutoff": "\(UTCTime.formatISO8601(metricCutoff))",
            ])
        return report
    }

    /// Finishes a run whose marker is in the log but whose removal did not complete (a crash).
    /// Does nothing when every marker completed.
    public func resumeRetention() async throws {
        try await maintenance.runWhenFree(.retention) { try await finishInterruptedRetention() }
    }

    private func finishInterruptedRetention() async throws {
        let last = read { p -> (UInt64, RetentionApplied)? in p.lastRetention }
        guard let (sequence, marker) = last else { return }
        if let raw = try log.meta(Self.retentionCompletedKey),
            let completed = UInt64(String(decoding: raw, as: UTF8.self)), completed >= sequence
        {
            return
        }
        logger.notice("resuming an interrupted retention run", metadata: ["marker": "\(sequence)"])
        var sequences: [UInt64] = []
        try Self.forEachArchivable(log: log, cutoff: marker.metricCutoff, through: marker.throughSequence) {
            sequences.append($0.sequence)
        }
        try await completeRetention(marker: marker, at: sequence, sequences: sequences)
    }

    private func completeRetention(marker: RetentionApplied, at markerSequence: UInt64, sequences: [UInt64])
        async throws
    {
        // Never delete what the archive does not hold.
        let path = log.directory + "/" + marker.archive
        guard FileManager.default.fileExists(atPath: path),
            try GzipFileReader.checksum(path: path) == marker.archiveChecksum
        else { throw RetentionError.archiveMissing(path) }
        // Both checkpoints at or after the marker before anything is deleted: from here on the
        // log alone cannot rebuild the past.
        try await checkpoint()
        try await checkpoint(named: Self.retentionSnapshotName)
        var start = 0
        while start < sequences.count {
            let end = min(start + Self.retentionChunk, sequences.count)
            try await writer.removeEvents(Array(sequences[start..<end]), horizon: markerSequence)
            start = end
        }
        try await writer.setMeta(Self.retentionCompletedKey, Array(String(markerSequence).utf8))
    }

    /// Visits the metric events with a sequence ≤ `through` and a timestamp before `cutoff`.
    static func forEachArchivable(
        log: EventLog, cutoff: Int64, through: UInt64, _ body: (EventRecord) throws -> Void
    ) throws {
        var found: [EventRecord] = []
        var next: UInt64 = 1
        while next <= through {
            found.removeAll(keepingCapacity: true)
            let after = try log.read(from: next, limit: 4096) { record in
                guard record.sequence <= through, record.type == MetricRecorded.type,
                    case .metricRecorded(let metric)? = try? record.domainEvent(),
                    metric.timestamp < cutoff
                else { return }
                found.append(record.copy())
            }
            // Outside the read transaction: the archive write does file IO.
            for record in found { try body(record) }
            if after == next { break }
            next = after
        }
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw RetentionError.archive("cannot open \(path) to sync it") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw RetentionError.archive("fsync of \(path) failed") }
    }
}
