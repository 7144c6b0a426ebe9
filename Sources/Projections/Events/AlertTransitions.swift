import Utilities

/// Someone acknowledged an active alert.
public struct AlertAcknowledged: Sendable, Equatable {
    public static let type: UInt16 = 5
    public static let version: UInt16 = 1

    public var alertID: Int64
    /// When (µs).
    public var at: Int64
    public var by: String?
    public var note: String?

    public init(alertID: Int64, at: Int64, by: String?, note: String?) {
        self.alertID = alertID
        self.at = at
        self.by = by
        self.note = note
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(alertID)
        w.varint(at)
        w.optional(by) { $0.string($1) }
        w.optional(note) { $0.string($1) }
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        alertID = try r.varint()
        at = try r.varint()
        by = try r.optional { r throws(EventDecodingError) in try r.string() }
        note = try r.optional { r throws(EventDecodingError) in try r.string() }
    }
}

/// Why an alert was resolved.
public enum ResolutionReason: String, Sendable, CaseIterable {
    case manual
    case budgetChanged = "budget_changed"
    case periodEnded = "period_ended"
    case recovered
}

/// An open alert was resolved, by a person or by the system.
public struct AlertResolved: Sendable, Equatable {
    public static let type: UInt16 = 6
    public static let version: UInt16 = 1

    public var alertID: Int64
    /// When (µs): the server time of a manual or budget-change resolution, the event time otherwise.
    public var at: Int64
    public var by: String?
    public var note: String?
    public var reason: ResolutionReason

    public init(alertID: Int64, at: Int64, by: String?, note: String?, reason: ResolutionReason) {
        self.alertID = alertID
        self.at = at
        self.by = by
        self.note = note
        self.reason = reason
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(alertID)
        w.varint(at)
        w.optional(by) { $0.string($1) }
        w.optional(note) { $0.string($1) }
        w.string(reason.rawValue)
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        alertID = try r.varint()
        at = try r.varint()
        by = try r.optional { r throws(EventDecodingError) in try r.string() }
        note = try r.optional { r throws(EventDecodingError) in try r.string() }
        let raw = try r.string()
        guard let reason = ResolutionReason(rawValue: raw) else {
            throw .malformed(type: Self.type, reason: "unknown resolution reason \(raw)")
        }
        self.reason = reason
    }
}

/// The rules document changed; `document` is the whole new document (JSON text).
public struct RulesChanged: Sendable, Equatable {
    public static let type: UInt16 = 7
    public static let version: UInt16 = 1

    public var version: Int64
    public var document: String

    public init(version: Int64, document: String) {
        self.version = version
        self.document = document
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(version)
        w.string(document)
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        self.version = try r.varint()
        document = try r.string()
    }
}

extension AlertAcknowledged: InitDecodedEventKind {
    static let name = "AlertAcknowledged"
    var domainEvent: DomainEvent { .alertAcknowledged(self) }
    func occurredAt(now: Int64) -> Int64 { at }

    func exportFields() -> JSONObject {
        ["alert_id": .int(alertID), "at": EventFields.time(at), "by": .optional(by), "note": .optional(note)]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            alertID: try f.int("alert_id"), at: try f.time("at"), by: try f.optionalString("by"),
            note: try f.optionalString("note"))
    }
}

extension AlertResolved: InitDecodedEventKind {
    static let name = "AlertResolved"
    var domainEvent: DomainEvent { .alertResolved(self) }
    func occurredAt(now: Int64) -> Int64 { at }

    func exportFields() -> JSONObject {
        [
            "alert_id": .int(alertID), "at": EventFields.time(at), "by": .optional(by), "note": .optional(note),
            "reason": .string(reason.rawValue),
        ]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            alertID: try f.int("alert_id"), at: try f.time("at"), by: try f.optionalString("by"),
            note: try f.optionalString("note"), reason: try f.enumeration("reason", ResolutionReason.self))
    }
}

extension RulesChanged: InitDecodedEventKind {
    static let name = "RulesChanged"
    var domainEvent: DomainEvent { .rulesChanged(self) }

    func exportFields() -> JSONObject { ["version": .int(version), "document": .string(document)] }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(version: try f.int("version"), document: try f.string("document"))
    }
}
