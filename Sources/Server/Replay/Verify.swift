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
                /// The payload does not decode into a domain event.
                case undecodable
                /// The event id index does not point at the record that carries the id.
                case index
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

        public var isClean: Bool { problems.isEmpty }

        /// The sequences named by the problems.
        public var damagedSequences: [UInt64] {
            problems.flatMap { Array($0.sequence...$0.through) }
        }
    }

    /// Checks every record from 1 to the head: checksums, gapless sequences, that every payload
    /// decodes, and that each client event id maps to its record. Problems do not stop the check;
    /// each is reported with its sequences. `progress` gets the position after each batch.
    public static func verify(_ log: EventLog, progress: ((UInt64, UInt64) -> Void)? = nil) throws -> VerifyReport {
        let head = try log.readHead()
        var report = VerifyReport(head: head, recordsChecked: 0, eventIDsChecked: 0, problems: [], checkpoint: "")
        var next: UInt64 = 1
        while next <= head {
            var ids: [(String, UInt64)] = []
            do {
                let limit = Int(min(4096, head - next + 1))
                let after = try log.read(from: next, limit: limit) { record in
                    report.recordsChecked += 1
                    do {
                        _ = try DomainEvent.decode(
                            type: record.type, version: record.schemaVersion, payload: record.payload)
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
        switch checkpoint(log, head: head) {
        case .none: report.checkpoint = "no projection checkpoint"
        case .unusable(let reason): report.checkpoint = "the projection checkpoint cannot be used: \(reason)"
        case .usable(let projection):
            report.checkpoint = "projection checkpoint at event \(projection.sequence) reads back"
        }
        return report
    }
}
