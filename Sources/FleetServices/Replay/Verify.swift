import APIContract
import EventLog
import Projections

extension LogReplay {
    /// What `replay verify` found.
    public struct VerifyReport: Sendable {
        /// One damaged place of the log.
        public struct Problem: Sendable, Equatable, CustomStringConvertible {
            public enum Kind: String, Sendable {
                /// The record fails its checksum or cannot be parsed.
                case damaged
                /// Sequences are missing.
                case gap
                /// The payload does not decode into a domain event (or holds values outside `Limits`).
                case undecodable
                /// The event decodes but breaks a rule ingestion enforces (a metric of an agent
                /// that is not registered, an agent's spend over its bound): import refuses it;
                /// the folds count it and go on.
                case invalid
                /// The event id index does not point at the record that carries the id.
                case index
                /// A retention archive is missing, damaged, or does not hold the events removed.
                case archive
            }

            public var kind: Kind
            /// The first sequence concerned.
            public var sequence: UInt64
            /// The last sequence concerned (a gap spans several).
            public var through: UInt64
            public var message: String

            public var description: String {
                let where_ = through > sequence ? "events \(sequence)–\(through)" : "event \(sequence)"
                return "\(where_): \(message)"
            }
        }

        /// The head when the check started (the check covers 1…head).
        public var head: UInt64
        /// Records read and verified.
        public var recordsChecked: UInt64
        public var eventIDsChecked: UInt64
        public var problems: [Problem]
        /// The state of the projection checkpoint (informational: a bad one is rebuilt by the service).
        public var checkpoint: String
        /// Events removed by retention and found in their archives.
        public var archivedEventsChecked: UInt64 = 0

        public var isClean: Bool { problems.isEmpty }

        /// The sequences named by the problems.
        public var damagedSequences: [UInt64] {
            problems.flatMap { Array($0.sequence...$0.through) }
        }
    }

    /// Checks every record from 1 to the head: checksums, gapless sequences (a sequence that
    /// retention removed must be in the archive its marker names, whose checksum must match), that
    /// every payload decodes, and that each client event id maps to its record. Problems do not stop the check;
    /// each is reported with its sequences. `progress` gets the position after each batch.
    public static func verify(_ log: EventLog, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerifyReport {
        let head = try log.readHead()
        var report = VerifyReport(head: head, recordsChecked: 0, eventIDsChecked: 0, problems: [], checkpoint: "")
        var next: UInt64 = 1
        // Sequences missing below the retention horizon (checked against the archives at the end).
        var removed: [ClosedRange<UInt64>] = []
        var markers: [(UInt64, RetentionApplied)] = []
        var validator = LogValidator()
        while next <= head {
            var ids: [(String, UInt64)] = []
            do {
                let limit = Int(min(4096, head - next + 1))
                var expected = next
                let after = try log.read(from: next, limit: limit) { record in
                    report.recordsChecked += 1
                    if record.sequence > expected { removed.append(expected...(record.sequence - 1)) }
                    expected = record.sequence + 1
                    do {
                        let event = try record.domainEvent()
                        if case .retentionApplied(let marker) = event { markers.append((record.sequence, marker)) }
                        // After a damaged or missing record the state is unknown (it may have registered
                        // the agent of later metrics): those problems are reported, not their echoes.
                        if report.problems.isEmpty,
                            let reason = validator.check(
                                type: record.type, version: record.schemaVersion, payload: Array(record.payload))
                        {
                            report.problems.append(
                                .init(
                                    kind: .invalid, sequence: record.sequence, through: record.sequence, message: reason
                                ))
                        }
                    } catch {
                        report.problems.append(
                            .init(
                                kind: .undecodable, sequence: record.sequence, through: record.sequence,
                                message: "\(error)"))
                    }
                    if let id = record.clientEventID { ids.append((id, record.sequence)) }
                }
                next = after == next ? head + 1 : after
            } catch EventLogError.corruptRecord(let sequence, let reason) {
                report.problems.append(.init(kind: .damaged, sequence: sequence, through: sequence, message: reason))
                next = max(sequence, next) + 1
            } catch EventLogError.gap(let expected, let found) {
                let last = found > expected ? found - 1 : expected
                report.problems.append(
                    .init(
                        kind: .gap, sequence: expected, through: last,
                        message: found > expected ? "missing (the next record is \(found))" : "out of order"))
                next = found > expected ? found : expected + 1
            }
            for (id, sequence) in ids {
                report.eventIDsChecked += 1
                let indexed = try log.sequence(forEventID: id)
                if indexed != sequence {
                    let target = indexed.map { "event \($0)" } ?? "nothing"
                    report.problems.append(
                        .init(
                            kind: .index, sequence: sequence, through: sequence,
                            message: "its event id \(id) maps to \(target) in the event id index"))
                }
            }
            progress?(min(next - 1, head), head)
        }
        report.problems += checkArchives(
            log, removed: removed, markers: markers, checked: &report.archivedEventsChecked)
        switch checkpoint(log, head: head) {
        case .none: report.checkpoint = "no projection checkpoint"
        case .unusable(let reason): report.checkpoint = "the projection checkpoint cannot be used: \(reason)"
        case .usable(let projection):
            report.checkpoint = "projection checkpoint at event \(projection.sequence) reads back"
        }
        return report
    }
}

extension LogReplay {
    /// Every sequence in `removed` must be a metric event of the archive of a marker after it; every
    /// archive must exist with the checksum and event count its marker recorded.
    static func checkArchives(
        _ log: EventLog, removed: [ClosedRange<UInt64>], markers: [(UInt64, RetentionApplied)], checked: inout UInt64
    ) -> [VerifyReport.Problem] {
        var problems: [VerifyReport.Problem] = []
        var archived: [UInt64] = []
        for (sequence, marker) in markers {
            let path = log.directory + "/" + marker.archive
            func problem(_ message: String) {
                problems.append(
                    .init(
                        kind: .archive, sequence: sequence, through: sequence, message: "\(marker.archive): \(message)")
                )
            }
            do {
                let checksum = try GzipFileReader.checksum(path: path)
                guard checksum == marker.archiveChecksum else {
                    problem("checksum \(checksum) differs from the marker's \(marker.archiveChecksum)")
                    continue
                }
                var count: Int64 = 0
                var lineNumber = 0
                try GzipFileReader.forEachLine(path: path) { line in
                    lineNumber += 1
                    let record = try parseExportLine(line, lineNumber: lineNumber)
                    guard record.type == MetricRecorded.type, record.sequence < sequence else {
                        throw ReplayError("line \(lineNumber) is not a metric event before the marker")
                    }
                    archived.append(record.sequence)
                    count += 1
                }
                if count != marker.archivedEvents {
                    problem("holds \(count) events, the marker says \(marker.archivedEvents)")
                }
            } catch {
                problem("\(error)")
            }
        }
        archived.sort()
        var index = 0
        for range in removed {
            var missingFrom: UInt64?
            for sequence in range {
                while index < archived.count && archived[index] < sequence { index += 1 }
                if index < archived.count && archived[index] == sequence {
                    checked += 1
                    if let from = missingFrom {
                        problems.append(
                            .init(
                                kind: .gap, sequence: from, through: sequence - 1,
                                message: "missing from the log and from every retention archive"))
                        missingFrom = nil
                    }
                } else if missingFrom == nil {
                    missingFrom = sequence
                }
            }
            if let from = missingFrom {
                problems.append(
                    .init(
                        kind: .gap, sequence: from, through: range.upperBound,
                        message: "missing from the log and from every retention archive"))
            }
        }
        return problems
    }
}
