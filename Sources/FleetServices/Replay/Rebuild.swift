import APIContract
import EventLog
import Projections
import Utilities

extension LogReplay {
    /// The GET paths (with queries) whose answers describe a projection completely enough to
    /// compare two of them: the summary, the agent list, every agent (its record, budget and
    /// by-agent summary), every role, the time series, every percentile, trend and outlier
    /// metric, the recommendations, the insights, the alert list, and every alert with its history,
    /// all with `as_of` = `asOf`. `projections` give the ids, roles and alerts to ask about.
    public static func auditPaths(_ projections: [FleetProjection], asOf: Int64) -> [String] {
        let at = "as_of=" + iso(asOf)
        let v1 = ReadEndpoint.v1
        var agentIDs = Set<Int64>()
        var roles = Set<String>()
        var alertCount: Int64 = 0
        for p in projections {
            for (id, agent) in p.agents {
                agentIDs.insert(id)
                roles.insert(agent.role)
            }
            agentIDs.formUnion(p.metrics.series.keys)
            alertCount = max(alertCount, Int64(p.alertBook.alerts.count))
        }
        var paths = [
            "\(v1)/metrics/summary?\(at)",
            "\(v1)/agents",
            "\(v1)/metrics/aggregate/timeseries?\(at)",
            "\(v1)/metrics/aggregate/timeseries?\(at)&granularity=hour&start_date=\(iso(asOf - UTCTime.microsecondsPerDay))",
            "\(v1)/metrics/recommendations/cost?\(at)",
            "\(v1)/metrics/insights/performance?\(at)",
            "\(v1)/metrics/alerts?\(at)&limit=1000",
        ]
        for metric in StatisticMetric.allCases {
            paths.append("\(v1)/metrics/percentiles/\(metric.rawValue)?\(at)")
            paths.append("\(v1)/metrics/outliers/\(metric.rawValue)?\(at)&limit=10000")
        }
        for metric in TrendMetric.allCases {
            paths.append("\(v1)/metrics/trends/\(metric.rawValue)?\(at)")
        }
        for id in agentIDs.sorted() {
            paths.append("\(v1)/agents/\(id)")
            paths.append("\(v1)/agents/\(id)/budget?\(at)")
            paths.append("\(v1)/metrics/aggregate/by-agent/\(id)?\(at)")
        }
        for role in roles.sorted() {
            paths.append("\(v1)/metrics/aggregate/by-role/\(percentEncoded(role))?\(at)")
        }
        if alertCount > 0 {
            for id in 1...alertCount {
                paths.append("\(v1)/metrics/alerts/\(id)")
                paths.append("\(v1)/metrics/alerts/\(id)/history")
            }
        }
        return paths
    }

    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// The JSON text a GET would answer from `projection` (the error envelope for an error).
    public static func answerBytes(_ path: String, projection: borrowing FleetProjection, now: Int64) -> [UInt8] {
        do {
            return try answerRead(path, projection: projection, now: now).serializedBytes
        } catch {
            return error.envelope
        }
    }

    /// One query whose answers differ.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        /// Where in the JSON the answers first differ (`data.last_24h.total_cost_usd`) and how.
        public var detail: String

        public var description: String { "\(path): \(detail)" }
    }

    /// Compares the answers of `paths` from two projections; the first difference of each
    /// query that differs.
    public static func compare(
        _ left: FleetProjection, _ right: FleetProjection, paths: [String], now: Int64, leftName: String,
        rightName: String
    ) -> [Difference] {
        var out: [Difference] = []
        for path in paths {
            let a = answerBytes(path, projection: left, now: now)
            let b = answerBytes(path, projection: right, now: now)
            guard a != b else { continue }
            let detail: String
            if let x = try? JSONParser.parse(a), let y = try? JSONParser.parse(b),
                let first = firstDifference(x, y, at: "", leftName: leftName, rightName: rightName)
            {
                detail = first
            } else {
                detail = "the JSON texts differ (\(a.count) and \(b.count) bytes)"
            }
            out.append(Difference(path: path, detail: detail))
        }
        return out
    }

    /// The first place where two JSON values differ, as `path: left … right`, or nil when equal.
    static func firstDifference(_ a: JSONValue, _ b: JSONValue, at path: String, leftName: String, rightName: String)
        -> String?
    {
        func show(_ v: JSONValue) -> String {
            let text = v.jsonString
            return text.count > 120 ? String(text.prefix(117)) + "..." : text
        }
        let location = path.isEmpty ? "(root)" : path
        switch (a, b) {
        case (.object(let x), .object(let y)):
            for key in x.keys {
                guard let other = y[key] else { return "\(location): \(key) only in the \(leftName)" }
                let sub = path.isEmpty ? key : path + "." + key
                if let d = firstDifference(x[key]!, other, at: sub, leftName: leftName, rightName: rightName) {
                    return d
                }
            }
            for key in y.keys where x[key] == nil { return "\(location): \(key) only in the \(rightName)" }
            if x.keys != y.keys { return "\(location): keys in another order" }
            return nil
        case (.array(let x), .array(let y)):
            for (i, (u, v)) in zip(x, y).enumerated() {
                if let d = firstDifference(u, v, at: "\(path)[\(i)]", leftName: leftName, rightName: rightName) {
                    return d
                }
            }
            if x.count != y.count {
                return "\(location): \(x.count) elements in the \(leftName), \(y.count) in the \(rightName)"
            }
            return nil
        default:
            if a.serialized() == b.serialized() { return nil }
            return "\(location): \(leftName) \(show(a)), \(rightName) \(show(b))"
        }
    }

    /// The outcome of `replay rebuild --verify`.
    public struct RebuildComparison: Sendable {
        /// Where the checkpoint was (nil when there is none or it cannot be used; see `note`).
        public var checkpointSequence: UInt64?
        public var note: String?
        /// The time of the comparison (`as_of`): the last event's recorded time.
        public var asOf: Int64
        public var queriesCompared: Int
        public var differences: [Difference]
        /// Whether the two states have identical checkpoint bytes.
        public var stateBytesEqual: Bool

        public var matches: Bool { checkpointSequence == nil || (differences.isEmpty && stateBytesEqual) }
    }

    /// Compares `rebuilt` (the log folded from its first event through `rebuilt.sequence`) with the
    /// checkpoint of the snapshot database folded forward to the same event.
    public static func compareWithCheckpoint(
        _ log: EventLog, rebuilt: FleetProjection, checkpoint stored: Checkpoint
    ) throws -> RebuildComparison {
        let head = rebuilt.sequence
        let asOf = head == 0 ? 0 : try record(log, at: head).recordedAt
        var checkpointed: FleetProjection
        switch stored {
        case .none:
            return RebuildComparison(
                checkpointSequence: nil, note: "there is no projection checkpoint to compare with", asOf: asOf,
                queriesCompared: 0, differences: [], stateBytesEqual: true)
        case .unusable(let reason):
            return RebuildComparison(
                checkpointSequence: nil, note: "the projection checkpoint cannot be used: \(reason)", asOf: asOf,
                queriesCompared: 0, differences: [], stateBytesEqual: true)
        case .usable(let projection):
            checkpointed = projection
        }
        guard checkpointed.sequence <= head else {
            return RebuildComparison(
                checkpointSequence: nil,
                note:
                    "the projection checkpoint (event \(checkpointed.sequence)) is ahead of the rebuild (event \(head))",
                asOf: asOf, queriesCompared: 0, differences: [], stateBytesEqual: true)
        }
        let checkpointSequence = checkpointed.sequence
        try fold(log, into: &checkpointed, through: head)
        let paths = auditPaths([rebuilt, checkpointed], asOf: asOf)
        let differences = compare(
            rebuilt, checkpointed, paths: paths, now: asOf, leftName: "rebuild", rightName: "checkpoint")
        return RebuildComparison(
            checkpointSequence: checkpointSequence, note: nil, asOf: asOf, queriesCompared: paths.count,
            differences: differences, stateBytesEqual: rebuilt.snapshotBytes() == checkpointed.snapshotBytes())
    }
}
