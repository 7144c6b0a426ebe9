import APIContract
import EventLog
import Projections

extension LogReplay {
    /// What a read endpoint would have answered at a point of the log.
    public struct PointInTimeAnswer: Sendable {
        /// The last event folded.
        public var sequence: UInt64
        /// Its recorded time.
        public var recordedAt: Int64
        /// The default `as_of` (the time asked for, or the recorded time of the sequence).
        public var now: Int64
        /// The JSON text of the answer (the error envelope when the endpoint answers an error).
        public var body: [UInt8]
        /// The error the endpoint would have answered, if any.
        public var error: APIError?
    }

    /// The answer of `GET path` (with its query) from the log folded up to the last event recorded
    /// at or before the time (or up to the sequence), with `as_of` defaulting to that time (or to the
    /// recorded time of the sequence). Uses the server's read code (`answerRead`), so with a time
    /// after the last event it equals the live answer with the same `as_of`.
    public static func answer(
        _ log: EventLog, at point: Point, path: String, useCheckpoint: Bool = true
    ) throws -> PointInTimeAnswer {
        let head = try log.readHead()
        guard head > 0 else { throw ReplayError("the log is empty: there is no state to answer from") }
        let target: UInt64
        let recordedAt: Int64
        let now: Int64
        switch point {
        case .sequence(let sequence):
            guard sequence >= 1 else { throw ReplayError("sequences start at 1") }
            guard sequence <= head else { throw ReplayError("event \(sequence) is past the head of the log (\(head))") }
            target = sequence
            recordedAt = try record(log, at: sequence).recordedAt
            now = recordedAt
        case .time(let time):
            (target, recordedAt) = try lastSequence(log, recordedAtOrBefore: time)
            now = time
        }
        guard path.hasPrefix("/") else {
            throw ReplayError("the path \(path) must start with /, e.g. /api/v1/metrics/summary")
        }
        let projection = try projection(log, through: target, useCheckpoint: useCheckpoint)
        do {
            let object = try answerRead(path, projection: projection, now: now)
            return PointInTimeAnswer(
                sequence: target, recordedAt: recordedAt, now: now, body: object.serializedBytes, error: nil)
        } catch {
            return PointInTimeAnswer(
                sequence: target, recordedAt: recordedAt, now: now, body: error.envelope, error: error)
        }
    }
}

extension APIError {
    /// The HTTP status code.
    public var statusCode: Int { status.code }
}
