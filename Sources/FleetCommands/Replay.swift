import APIContract
import ArgumentParser
import EventLog
import FleetServices
import Foundation
import Projections
import Utilities

/// `metrics-service replay …`: tools over the event log of a data directory. They open it
/// read-only (safe beside a running service) or, for `import`, a new empty one.
public struct Replay: ParsableCommand {
    public static let configuration = CommandConfiguration(
        abstract: "Verify, rebuild, audit, query at a past point, export/import and what-if over the event log.",
        discussion: """
            Every subcommand but import opens the data directory read-only: it can run beside a running \
            service (LMDB readers never block the writer) or against a copy of the directory.
            """,
        subcommands: [
            ReplayVerify.self, ReplayRebuild.self, ReplayAlert.self, ReplayAt.self, ReplayExport.self,
            ReplayImport.self,
            ReplayWhatIf.self,
        ]
    )

    public init() {}
}

/// Output formats of the subcommands that print a report.
enum ReplayFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Runs a replay subcommand: every error is printed as one sentence to standard error and the
/// process exits with status 1 (usage errors: status 64).
func runReplay(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as Rules.Invalid {
        printError(error.field.isEmpty ? error.message : "field \(error.field): \(error.message)")
        throw ExitCode(1)
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
}

func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

func writeOut(bytes: [UInt8]) {
    FileHandle.standardOutput.write(Data(bytes))
}

func writeErr(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether standard error is a terminal.
var stderrIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

/// Parses an ISO-8601 option value.
func parseTime(_ text: String?, option: String) throws -> Int64? {
    guard let text else { return nil }
    guard let us = UTCTime.parseISO8601(text) else {
        throw ValidationError("\(option) must be an ISO-8601 UTC time such as 2025-11-17T14:30:00Z")
    }
    return us
}

/// A progress line: rewritten in place on a terminal (position/total, events/s, ETA), plain lines
/// at most every few seconds otherwise.
final class ProgressLine {
    let label: String
    let total: UInt64
    let terminal: Bool
    let start = Date()
    var lastPrint = Date.distantPast
    var printedInPlace = false
    var lastPosition: UInt64?

    init(label: String, total: UInt64, terminal: Bool = stderrIsTerminal) {
        self.label = label
        self.total = total
        self.terminal = terminal
    }

    func update(_ position: UInt64, force: Bool = false) {
        let now = Date()
        let interval = terminal ? 0.1 : 5.0
        guard force || now.timeIntervalSince(lastPrint) >= interval else { return }
        if !terminal && position == lastPosition { return }
        lastPrint = now
        lastPosition = position
        let elapsed = max(now.timeIntervalSince(start), 1e-6)
        let rate = Double(position) / elapsed
        let percent = total == 0 ? 100 : Double(position) / Double(total) * 100
        var line =
            "\(label) \(position)/\(total) events (\(String(format: "%.1f", percent))%), \(Self.grouped(Int(rate))) events/s"
        if position < total && rate > 0 {
            line += ", ETA \(Self.duration(Double(total - position) / rate))"
        } else {
            line += ", \(String(format: "%.2f", elapsed)) s"
        }
        if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            printedInPlace = true
        } else {
            writeErr(line)
        }
    }

    /// Prints the final position and ends the line.
    func finish(_ position: UInt64) {
        update(position, force: true)
        if printedInPlace { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}

// MARK: verify

struct ReplayVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record: checksum, gapless sequences, that each event decodes, the event id index.",
        discussion: "Exits with status 1 when anything is damaged, naming the sequences.")

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "text or json.")
    var format = ReplayFormat.text

    func run() throws {
        try runReplay {
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            let progress =
                stderrIsTerminal && format == .text ? ProgressLine(label: "verify", total: try log.readHead()) : nil
            let report = try LogReplay.verify(log) { position, _ in progress?.update(position) }
            progress?.finish(report.head)
            switch format {
            case .json:
                writeOut(
                    JSONValue.object([
                        "head": .int(Int64(report.head)), "records_checked": .int(Int64(report.recordsChecked)),
                        "event_ids_checked": .int(Int64(report.eventIDsChecked)),
                        "archived_events_checked": .int(Int64(report.archivedEventsChecked)),
                        "clean": .bool(report.isClean),
                        "damaged_sequences": .array(report.damagedSequences.map { .int(Int64($0)) }),
                        "problems": .array(
                            report.problems.map {
                                .object([
                                    "kind": .string($0.kind.rawValue), "sequence": .int(Int64($0.sequence)),
                                    "through": .int(Int64($0.through)), "message": .string($0.message),
                                ])
                            }),
                        "checkpoint": .string(report.checkpoint),
                    ]).jsonString)
            case .text:
                writeOut(
                    "checked events 1–\(report.head) of \(try data.logStore()): \(report.recordsChecked) records, "
                        + "\(report.eventIDsChecked) event ids"
                        + (report.archivedEventsChecked > 0
                            ? ", \(report.archivedEventsChecked) events removed by retention found in their archives"
                            : ""))
                writeOut(report.checkpoint)
                if report.isClean {
                    writeOut(
                        "ok: every checksum holds, the sequences are gapless (with the retention archives) and every "
                            + "event decodes")
                } else {
                    writeOut("DAMAGED: \(report.problems.count) problem(s)")
                    for problem in report.problems { writeOut("  \(problem)") }
                    writeOut("damaged sequences: \(report.damagedSequences.map(String.init).joined(separator: ", "))")
                }
            }
            if !report.isClean { throw ExitCode(1) }
        }
    }
}

// MARK: rebuild

struct ReplayRebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every projection from the first event, with progress.",
        discussion: """
            With --verify, compares the result with the checkpointed state (the snapshot of the log's snapshot \
            database folded forward to the same event): the JSON answers of every query (summary, agents, each \
            agent, roles, statistics, recommendations, alerts and their histories) at the last event's recorded \
            time, and the state bytes. Exits with status 1 when they differ, printing the first differences.
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Flag(help: "Compare the rebuilt state with the checkpointed state.")
    var verify = false

    @Option(help: "How many differences to print.")
    var maxDifferences = 10

    func run() throws {
        try runReplay {
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            // The checkpoint first: it can only be at or before the head read after it.
            let checkpoint = verify ? LogReplay.checkpoint(log, head: UInt64.max) : .none
            let head = try log.readHead()
            let progress = ProgressLine(label: "rebuild", total: head)
            var projection = try LogReplay.rebuildBase(log)
            let started = Date()
            try LogReplay.fold(log, into: &projection, through: head) { progress.update($0) }
            progress.finish(head)
            let seconds = Date().timeIntervalSince(started)
            writeOut(
                "rebuilt events 1–\(head) in \(String(format: "%.3f", seconds)) s: \(projection.agents.count) agents, "
                    + "\(projection.metrics.count) metrics, \(projection.alertBook.alerts.count) alerts, "
                    + "\(projection.skippedEvents) events skipped (undecodable)")
            guard verify else { return }
            let comparison = try LogReplay.compareWithCheckpoint(log, rebuilt: projection, checkpoint: checkpoint)
            if let note = comparison.note {
                writeOut("verify: \(note)")
                return
            }
            let at = UTCTime.formatISO8601(comparison.asOf)
            writeOut(
                "verify: checkpoint at event \(comparison.checkpointSequence!) folded forward to event \(head); "
                    + "\(comparison.queriesCompared) queries compared as of \(at)")
            if comparison.differences.isEmpty && comparison.stateBytesEqual {
                writeOut("verify: every answer is identical and the states are byte-identical")
                return
            }
            if !comparison.stateBytesEqual { writeOut("verify: the state bytes differ") }
            writeOut("verify: \(comparison.differences.count) queries answer differently; the first:")
            for difference in comparison.differences.prefix(maxDifferences) { writeOut("  \(difference)") }
            throw ExitCode(1)
        }
    }
}

// MARK: alert

struct ReplayAlert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "The audit trail of one alert: every transition with its log position, time, actor, note, "
            + "reason and cause, and the rules in force.")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The alert id.")
    var id: Int64

    @Option(help: "text or json.")
    var format = ReplayFormat.text

    func run() throws {
        try runReplay {
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            let audit = try LogReplay.auditAlert(log, id: id)
            writeOut(format == .json ? audit.json.jsonString : audit.text)
        }
    }
}

// MARK: at

struct ReplayAt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "at",
        abstract: "The JSON a read endpoint would have answered at a past point of the log.",
        discussion: """
            Folds the log up to the last event recorded at or before TIME (or up to event SEQ) and answers \
            GET PATH from it with the server's own code; as_of defaults to TIME (or to the recorded time of SEQ) \
            unless PATH gives one. Example: replay at 2025-11-17T12:00:00Z '/api/v1/metrics/summary'. \
            Exits with status 1 when the endpoint would have answered an error (its envelope is printed).
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "An ISO-8601 UTC time or a log sequence.")
    var point: String

    @Argument(help: "The GET path with its query, e.g. /api/v1/metrics/summary?as_of=2025-11-17T12:00:00Z")
    var path: String

    @Flag(help: "Fold from the first event even when a checkpoint could be used.")
    var noCheckpoint = false

    func run() throws {
        try runReplay {
            let point = try LogReplay.Point(parsing: self.point)
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            let answer = try LogReplay.answer(log, at: point, path: path, useCheckpoint: !noCheckpoint)
            if stderrIsTerminal {
                writeErr(
                    "answered from events 1–\(answer.sequence) (the last recorded at \(UTCTime.formatISO8601(answer.recordedAt))), "
                        + "default as_of \(UTCTime.formatISO8601(answer.now))")
            }
            writeOut(bytes: answer.body + [UInt8(ascii: "\n")])
            if let error = answer.error {
                printError("the endpoint would have answered \(error.statusCode) \(error.code): \(error.message)")
                throw ExitCode(1)
            }
        }
    }
}

// MARK: export / import

struct ReplayExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the log as JSON lines (one record per line) to standard output.",
        discussion: """
            Each line: sequence, event_id, type, type_id, schema_version, recorded_at, occurred_at and the payload \
            as JSON fields (payload_base64 when the JSON form would not reproduce the stored bytes). \
            Example: metrics-service replay export --data-dir ./data > log.jsonl
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The first sequence to export.")
    var from: UInt64 = 1

    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        try runReplay {
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil) else {
                    throw ReplayError("cannot create \(output)")
                }
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
            } else {
                handle = FileHandle.standardOutput
            }
            let count = try LogReplay.export(log, from: from) { handle.write(Data($0)) }
            if output != nil { try handle.close() }
            writeErr("exported \(count) events")
        }
    }
}

struct ReplayImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an export into an empty data directory, keeping sequences, ids and times.",
        discussion:
            "Example: metrics-service replay import log.jsonl --data-dir ./restored  (FILE - reads standard input)")

    @OptionGroup var data: DataDirectoryOptions

    @Argument(help: "The export file (JSON lines), or - for standard input.")
    var file: String

    func run() throws {
        try runReplay {
            let handle: FileHandle
            if file == "-" {
                handle = FileHandle.standardInput
            } else {
                guard let opened = FileHandle(forReadingAtPath: file) else {
                    throw ReplayError("cannot read \(file)")
                }
                handle = opened
            }
            let store = try data.logStore()
            let count = try LogReplay.importLog(into: store, lines: FileLines(handle: handle))
            writeOut("imported \(count) events into \(store)")
        }
    }
}

// MARK: what-if

struct ReplayWhatIf: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "what-if",
        abstract: "Re-derive alerts and recommendations over the history under other rules, writing nothing.",
        discussion: """
            Folds the log's agents, budgets and metrics, takes each budget decision again, evaluates at every \
            recorded evaluation instant and every hour boundary, and prints how the alerts (by rule, agent and \
            period, metric or instant) and the recommendations (at --to or the last recorded time) differ from \
            what was recorded. The rules file is a rules document, e.g. {"evaluator": {"outlier_z_threshold": 2.5}}.
            """)

    @OptionGroup var data: DataDirectoryOptions

    @Option(help: "The rules document (JSON) to replay under.")
    var rules: String

    @Option(help: "Compare alerts detected from this time (ISO-8601).")
    var from: String?

    @Option(help: "Compare alerts detected up to this time (ISO-8601); recommendations are taken then.")
    var to: String?

    @Flag(help: "Evaluate only at the instants the log recorded, not at every hour boundary.")
    var noHourly = false

    @Option(help: "table or json.")
    var format = WhatIfFormat.table

    enum WhatIfFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    func run() throws {
        try runReplay {
            let fromTime = try parseTime(from, option: "--from")
            let toTime = try parseTime(to, option: "--to")
            if let fromTime, let toTime, fromTime > toTime { throw ValidationError("--from must not be after --to") }
            guard let bytes = FileManager.default.contents(atPath: rules) else {
                throw ReplayError("cannot read the rules file \(rules)")
            }
            let parsed: Rules
            let text = String(decoding: bytes, as: UTF8.self)
            do {
                parsed = try Rules(document: text)
            } catch let error as Rules.Invalid {
                let field = error.field.isEmpty ? "" : "field \(error.field): "
                throw ReplayError("the rules file \(rules) is malformed: \(field)\(error.message)")
            }
            let log = try LogReplay.openReadOnly(try data.logStore())
            defer { log.close() }
            let report = try LogReplay.whatIf(
                log, options: .init(rules: parsed, from: fromTime, to: toTime, hourly: !noHourly))
            writeOut(format == .json ? report.json.jsonString : report.table)
        }
    }
}
