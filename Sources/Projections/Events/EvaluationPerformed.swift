import Utilities

/// The evaluation of §4 ran at `asOf` under the rules of version `rulesVersion`: appended first by
/// every evaluation, also one that raises and resolves nothing, so replay and what-if read from
/// the log when evaluations ran instead of inferring it, and the scheduler resumes from the log.
public struct EvaluationPerformed: Sendable, Equatable {
    public static let type: UInt16 = 9
    public static let version: UInt16 = 1

    /// The instant evaluated (µs).
    public var asOf: Int64
    /// The version of the rules document in force (0: the defaults).
    public var rulesVersion: Int64

    public init(asOf: Int64, rulesVersion: Int64) {
        self.asOf = asOf
        self.rulesVersion = rulesVersion
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(asOf)
        w.varint(rulesVersion)
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        asOf = try r.varint()
        rulesVersion = try r.varint()
    }
}

extension EvaluationPerformed: InitDecodedEventKind {
    static let name = "EvaluationPerformed"
    var domainEvent: DomainEvent { .evaluationPerformed(self) }
    func occurredAt(now: Int64) -> Int64 { asOf }

    func exportFields() -> JSONObject {
        ["as_of": EventFields.time(asOf), "rules_version": .int(rulesVersion)]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(asOf: try f.time("as_of"), rulesVersion: try f.int("rules_version"))
    }
}
