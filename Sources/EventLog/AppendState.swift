/// An event as it was appended, handed to the writer's state so it can fold it.
public struct AppendedEvent: Sendable {
    public var sequence: UInt64
    public var recordedAt: Int64
    public var event: NewEvent

    public init(sequence: UInt64, recordedAt: Int64, event: NewEvent) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.event = event
    }
}

/// The state the single writer keeps to make decisions that depend on everything appended
/// before (threshold crossings, ids, "fires once"). It is a fold of the log: the writer applies
/// every event it appends, in order, so a decision always sees the events appended before it,
/// including those earlier in the same group commit.
public protocol AppendState: Sendable {
    mutating func apply(_ event: AppendedEvent)
}

/// A writer state for callers that need none.
public struct NoAppendState: AppendState {
    public init() {}
    public mutating func apply(_ event: AppendedEvent) {}
}

/// What a writer request sees while it decides: the position its events will get and the
/// idempotency index (including events appended earlier in the same transaction).
public struct AppendContext {
    /// The sequence the first event of this request will get.
    public let nextSequence: UInt64
    /// The server time stamped on the events of this group commit (µs since the epoch).
    public let recordedAt: Int64
    let lookup: (String) throws -> UInt64?

    /// The sequence of a stored event with this client id, if any.
    public func existingSequence(forEventID id: String) throws -> UInt64? {
        try lookup(id)
    }
}

/// The outcome of a writer request's decision: events to append (atomically, contiguously,
/// in order) and the value returned to the caller once they are durable.
public struct AppendDecision<Result: Sendable>: Sendable {
    public var events: [NewEvent]
    public var result: Result

    public init(events: [NewEvent], result: Result) {
        self.events = events
        self.result = result
    }
}

/// The result of appending one event with `EventWriter.append(_:)`.
public enum AppendOutcome: Sendable, Equatable {
    /// Stored at this sequence.
    case appended(UInt64)
    /// An event with the same client id was already stored at this sequence.
    case duplicate(UInt64)

    public var sequence: UInt64 {
        switch self {
        case .appended(let s), .duplicate(let s): return s
        }
    }
}
