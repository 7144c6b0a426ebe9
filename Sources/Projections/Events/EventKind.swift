import Utilities

/// One kind of event, declared once beside its fields: its type tag, schema version and name, its
/// binary codec, the bounds a stored value keeps, its JSON form in exports, and when it happened.
/// `DomainEvent`'s type, version, name, payload encoding, decoding, export and import all come
/// from the conformances listed in `DomainEvent.kinds`.
///
/// Adding an event type: a file with the struct and its conformance, a case of `DomainEvent` with
/// its line in `DomainEvent.payload` and in `DomainEvent.kinds`, then the folds that care.
protocol EventKind: Sendable, Equatable {
    /// The type tag stored in the record envelope (never reused).
    static var type: UInt16 { get }
    /// The schema version this build writes; `decode` reads every version from 1 to this one.
    static var version: UInt16 { get }
    /// The name in exports, audits and error messages.
    static var name: String { get }

    func encode(into w: inout BinaryWriter)
    static func decode(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) -> Self

    /// What makes a decoded value one no door accepts (the bounds of `Limits`), nil when valid.
    func violation() -> String?

    /// The payload's fields in a log export (times as ISO-8601 text).
    func exportFields() -> JSONObject
    /// The event of an export's payload (the inverse of `exportFields`).
    init(exportFields: EventFields) throws(EventFieldError)

    /// The value as a `DomainEvent`.
    var domainEvent: DomainEvent { get }

    /// When the fact happened (µs); `now` (the writer's clock) when it has no time of its own.
    func occurredAt(now: Int64) -> Int64
}

extension EventKind {
    func violation() -> String? { nil }
    func occurredAt(now: Int64) -> Int64 { now }

    /// Decodes a payload of this kind: the version checked, every byte read, the bounds kept.
    static func decodeEvent(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) -> DomainEvent {
        guard version >= 1, version <= Self.version else { throw .unsupportedVersion(type: type, version: version) }
        let event = try decode(from: &r, version: version)
        try r.finish()
        if let violation = event.violation() { throw .malformed(type: type, reason: violation) }
        return event.domainEvent
    }

    static func importEvent(_ fields: EventFields) throws(EventFieldError) -> DomainEvent {
        try Self(exportFields: fields).domainEvent
    }
}

/// An event kind whose binary decoder is an initializer (every kind but `MetricRecorded`, which
/// builds its value in place for speed).
protocol InitDecodedEventKind: EventKind {
    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError)
}

extension InitDecodedEventKind {
    static func decode(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) -> Self {
        try Self(from: &r, version: version)
    }
}

/// A field of an exported event's payload that cannot be read back.
public struct EventFieldError: Error, Sendable, Equatable {
    /// The field's name (empty for the payload as a whole).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Typed readers of an exported payload's fields, each failing with the field's name.
struct EventFields {
    let object: JSONObject

    /// A time in an export: ISO-8601 text, or the microseconds for a year ISO-8601 cannot spell.
    static func time(_ us: Int64) -> JSONValue {
        let text = UTCTime.formatISO8601(us)
        return UTCTime.parseISO8601(text) == us ? .string(text) : .int(us)
    }

    static func parseTime(_ value: JSONValue) -> Int64? {
        if let text = value.stringValue { return UTCTime.parseISO8601(text) }
        if case .int(let us) = value { return us }
        return nil
    }

    private func fail(_ k: String, _ message: String) -> EventFieldError { EventFieldError(field: k, message: message) }

    func int(_ k: String) throws(EventFieldError) -> Int64 {
        guard case .int(let v)? = object[k] else { throw fail(k, "must be an integer") }
        return v
    }

    func optionalInt(_ k: String) throws(EventFieldError) -> Int64? {
        guard let raw = object[k], !raw.isNull else { return nil }
        guard case .int(let v) = raw else { throw fail(k, "must be an integer or null") }
        return v
    }

    func double(_ k: String) throws(EventFieldError) -> Double {
        guard let raw = object[k], raw.boolValue == nil, let v = raw.doubleValue else {
            throw fail(k, "must be a number")
        }
        return v
    }

    func optionalDouble(_ k: String) throws(EventFieldError) -> Double? {
        guard let raw = object[k], !raw.isNull else { return nil }
        guard let v = raw.doubleValue else { throw fail(k, "must be a number or null") }
        return v
    }

    func string(_ k: String) throws(EventFieldError) -> String {
        guard let v = object[k]?.stringValue else { throw fail(k, "must be a string") }
        return v
    }

    func optionalString(_ k: String) throws(EventFieldError) -> String? {
        guard let raw = object[k], !raw.isNull else { return nil }
        guard let v = raw.stringValue else { throw fail(k, "must be a string or null") }
        return v
    }

    func bool(_ k: String) throws(EventFieldError) -> Bool {
        guard let v = object[k]?.boolValue else { throw fail(k, "must be true or false") }
        return v
    }

    func time(_ k: String) throws(EventFieldError) -> Int64 {
        guard let raw = object[k], let v = Self.parseTime(raw) else { throw fail(k, "must be an ISO-8601 UTC time") }
        return v
    }

    func optionalTime(_ k: String) throws(EventFieldError) -> Int64? {
        guard let raw = object[k], !raw.isNull else { return nil }
        guard let v = Self.parseTime(raw) else { throw fail(k, "must be an ISO-8601 UTC time or null") }
        return v
    }

    func enumeration<T: RawRepresentable>(_ k: String, _ type: T.Type) throws(EventFieldError) -> T
    where T.RawValue == String {
        let raw = try string(k)
        guard let v = T(rawValue: raw) else { throw fail(k, "has an unknown value \(raw)") }
        return v
    }
}
