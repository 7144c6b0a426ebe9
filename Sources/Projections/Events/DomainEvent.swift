import Utilities

/// Every fact the service records. The log stores each as a type tag, a schema version and a
/// compact binary payload; `decode` upcasts older versions and refuses newer ones. What each kind
/// of event is (tag, version, name, codec, bounds, export form) is declared once, in its own file,
/// as an `EventKind`; this enum lists the kinds.
public enum DomainEvent: Sendable, Equatable {
    case agentRegistered(AgentRegistered)
    case budgetSet(BudgetSet)
    case metricRecorded(MetricRecorded)
    case alertRaised(AlertRaised)
    case alertAcknowledged(AlertAcknowledged)
    case alertResolved(AlertResolved)
    case rulesChanged(RulesChanged)
    case retentionApplied(RetentionApplied)
    case evaluationPerformed(EvaluationPerformed)

    /// Every kind of event this build knows (the registry).
    static let kinds: [any EventKind.Type] = [
        AgentRegistered.self, BudgetSet.self, MetricRecorded.self, AlertRaised.self, AlertAcknowledged.self,
        AlertResolved.self, RulesChanged.self, RetentionApplied.self, EvaluationPerformed.self,
    ]

    /// The event's value as its kind.
    var payload: any EventKind {
        switch self {
        case .agentRegistered(let e): e
        case .budgetSet(let e): e
        case .metricRecorded(let e): e
        case .alertRaised(let e): e
        case .alertAcknowledged(let e): e
        case .alertResolved(let e): e
        case .rulesChanged(let e): e
        case .retentionApplied(let e): e
        case .evaluationPerformed(let e): e
        }
    }

    /// The kinds by type tag.
    private static let kindByType: [UInt16: any EventKind.Type] = Dictionary(
        uniqueKeysWithValues: kinds.map { ($0.type, $0) })
    /// The kinds by name.
    private static let kindByName: [String: any EventKind.Type] = Dictionary(
        uniqueKeysWithValues: kinds.map { ($0.name, $0) })

    /// The type tag stored in the envelope.
    public var type: UInt16 { Swift.type(of: payload).type }

    /// The schema version this build writes for the event's type.
    public var schemaVersion: UInt16 {
        if case .metricRecorded(let m) = self { return m.schemaVersion }
        if case .budgetSet(let b) = self { return b.schemaVersion }
        if case .alertRaised(let a) = self { return a.schemaVersion }
        return Swift.type(of: payload).version
    }

    /// The name used in exports and audits.
    public var name: String { Swift.type(of: payload).name }

    /// The name of a type tag, or `type N` for one this build does not know.
    public static func name(ofType type: UInt16) -> String { kindByType[type]?.name ?? "type \(type)" }

    /// The type tag of a name, nil for a name this build does not know.
    public static func type(named name: String) -> UInt16? { kindByName[name]?.type }

    /// Every type tag this build knows, ascending.
    public static var knownTypes: [UInt16] { kinds.map { $0.type }.sorted() }

    /// The payload bytes.
    public func encodedPayload() -> [UInt8] {
        var w = BinaryWriter()
        payload.encode(into: &w)
        return w.bytes
    }

    /// When the fact happened (µs): a metric's timestamp, an alert's detection or transition
    /// time, an evaluation's or a retention run's `as_of`; `now` for the others.
    public func occurredAt(now: Int64) -> Int64 { payload.occurredAt(now: now) }

    /// The payload's fields in a log export (`replay export`).
    public var exportFields: JSONObject { payload.exportFields() }

    /// The event of an exported payload of the given type (the inverse of `exportFields`).
    public static func imported(type: UInt16, fields: JSONValue) throws(EventFieldError) -> DomainEvent {
        guard let kind = kindByType[type] else {
            throw EventFieldError(field: "", message: "event type \(type) has no JSON form; give payload_base64")
        }
        guard let object = fields.objectValue else {
            throw EventFieldError(field: "", message: "must be a JSON object")
        }
        return try kind.importEvent(EventFields(object: object))
    }

    /// Decodes a payload of the given type and schema version (strings past 15 bytes through
    /// `cache`, nil for the shared one: give each thread that decodes in bulk beside others its own).
    public static func decode(
        type: UInt16, version: UInt16, payload: UnsafeRawBufferPointer, cache: StringCache? = nil
    ) throws(EventDecodingError) -> DomainEvent {
        var r = BinaryReader(payload, type: type, cache: cache)
        // Metrics are nearly every event of a log: decoded without the registry's lookup, and the
        // value moved into the result (not copied through `domainEvent`).
        if type == MetricRecorded.type {
            guard version >= 1, version <= MetricRecorded.version else {
                throw .unsupportedVersion(type: type, version: version)
            }
            let e = try MetricRecorded.decode(from: &r, version: version)
            try r.finish()
            if let violation = e.violation() { throw .malformed(type: type, reason: violation) }
            return .metricRecorded(e)
        }
        guard let kind = kindByType[type] else { throw .unknownType(type) }
        return try kind.decodeEvent(from: &r, version: version)
    }

    /// Decodes a payload held in an array.
    public static func decode(type: UInt16, version: UInt16, payload: [UInt8]) throws(EventDecodingError) -> DomainEvent
    {
        let result = payload.withUnsafeBytes { buffer in
            Result { () throws(EventDecodingError) -> DomainEvent in
                try decode(type: type, version: version, payload: buffer)
            }
        }
        return try result.get()
    }
}

/// What a reader does with an event it cannot decode.
public enum UnknownEventPolicy: Sendable, Equatable {
    /// Stop with the decoding error.
    case fail
    /// Skip it and count it (`DecodeStatistics.skipped`).
    case skip
}
