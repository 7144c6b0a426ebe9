/// An event about to be appended: everything of the envelope except what the log assigns
/// (the sequence and `recorded_at`).
public struct NewEvent: Sendable, Equatable {
    /// The client-supplied id (idempotency key), or nil for an event that needs none.
    public var eventID: String?
    /// The payload's type tag (see the domain's event catalogue).
    public var type: UInt16
    /// The payload's schema version.
    public var schemaVersion: UInt16
    /// When the fact happened (event time), microseconds since the epoch.
    public var occurredAt: Int64
    /// The encoded payload.
    public var payload: [UInt8]

    public init(eventID: String? = nil, type: UInt16, schemaVersion: UInt16, occurredAt: Int64, payload: [UInt8]) {
        self.eventID = eventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.occurredAt = occurredAt
        self.payload = payload
    }
}

/// A stored event with its full envelope, as an owned value.
public struct EventRecord: Sendable, Equatable {
    /// Position in the log: gapless, starting at 1.
    public var sequence: UInt64
    /// The client-supplied id, if any.
    public var clientEventID: String?
    public var type: UInt16
    public var schemaVersion: UInt16
    /// Server clock at append, microseconds since the epoch.
    public var recordedAt: Int64
    /// Event time, microseconds since the epoch.
    public var occurredAt: Int64
    public var payload: [UInt8]

    /// The event id: the client's, or one derived from the sequence for events that came without.
    public var eventID: String { clientEventID ?? "seq-\(sequence)" }

    public init(
        sequence: UInt64, clientEventID: String?, type: UInt16, schemaVersion: UInt16, recordedAt: Int64,
        occurredAt: Int64, payload: [UInt8]
    ) {
        self.sequence = sequence
        self.clientEventID = clientEventID
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.occurredAt = occurredAt
        self.payload = payload
    }
}

/// A borrowed view of a stored event, valid only inside the read callback that hands it out
/// (its bytes live in LMDB's memory map for the duration of the read transaction).
public struct EventRecordView {
    public let sequence: UInt64
    public let type: UInt16
    public let schemaVersion: UInt16
    public let recordedAt: Int64
    public let occurredAt: Int64
    /// The client-supplied id's UTF-8 bytes (empty when the event has none).
    public let clientEventIDBytes: UnsafeRawBufferPointer
    public let payload: UnsafeRawBufferPointer

    init(
        sequence: UInt64, type: UInt16, schemaVersion: UInt16, recordedAt: Int64, occurredAt: Int64,
        clientEventIDBytes: UnsafeRawBufferPointer, payload: UnsafeRawBufferPointer
    ) {
        self.sequence = sequence
        self.type = type
        self.schemaVersion = schemaVersion
        self.recordedAt = recordedAt
        self.occurredAt = occurredAt
        self.clientEventIDBytes = clientEventIDBytes
        self.payload = payload
    }

    /// The client-supplied id, if any.
    public var clientEventID: String? {
        clientEventIDBytes.isEmpty ? nil : String(decoding: clientEventIDBytes, as: UTF8.self)
    }

    /// An owned copy of the record.
    public func copy() -> EventRecord {
        EventRecord(
            sequence: sequence, clientEventID: clientEventID, type: type, schemaVersion: schemaVersion,
            recordedAt: recordedAt, occurredAt: occurredAt, payload: Array(payload))
    }
}
