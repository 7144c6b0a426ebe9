import Utilities

/// Every fact the service records. The log stores each as a type tag, a schema version and a
/// compact binary payload; `decode` upcasts older versions and refuses newer ones.
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

    /// The type tag stored in the envelope.
    public var type: UInt16 {
        switch self {
        case .agentRegistered: return AgentRegistered.type
        case .budgetSet: return BudgetSet.type
        case .metricRecorded: return MetricRecorded.type
        case .alertRaised: return AlertRaised.type
        case .alertAcknowledged: return AlertAcknowledged.type
        case .alertResolved: return AlertResolved.type
        case .rulesChanged: return RulesChanged.type
        case .retentionApplied: return RetentionApplied.type
        case .evaluationPerformed: return EvaluationPerformed.type
        }
    }

    /// The schema version this build writes for the event's type.
    public var schemaVersion: UInt16 {
        switch self {
        case .agentRegistered: return AgentRegistered.version
        case .budgetSet: return BudgetSet.version
        case .metricRecorded: return MetricRecorded.version
        case .alertRaised: return AlertRaised.version
        case .alertAcknowledged: return AlertAcknowledged.version
        case .alertResolved: return AlertResolved.version
        case .rulesChanged: return RulesChanged.version
        case .retentionApplied: return RetentionApplied.version
        case .evaluationPerformed: return EvaluationPerformed.version
        }
    }

    /// The name used in exports and audits.
    public var name: String {
        switch self {
        case .agentRegistered: return "AgentRegistered"
        case .budgetSet: return "BudgetSet"
        case .metricRecorded: return "MetricRecorded"
        case .alertRaised: return "AlertRaised"
        case .alertAcknowledged: return "AlertAcknowledged"
        case .alertResolved: return "AlertResolved"
        case .rulesChanged: return "RulesChanged"
        case .retentionApplied: return "RetentionApplied"
        case .evaluationPerformed: return "EvaluationPerformed"
        }
    }

    /// The payload bytes.
    public func encodedPayload() -> [UInt8] {
        var w = BinaryWriter()
        switch self {
        case .agentRegistered(let e): e.encode(into: &w)
        case .budgetSet(let e): e.encode(into: &w)
        case .metricRecorded(let e): e.encode(into: &w)
        case .alertRaised(let e): e.encode(into: &w)
        case .alertAcknowledged(let e): e.encode(into: &w)
        case .alertResolved(let e): e.encode(into: &w)
        case .rulesChanged(let e): e.encode(into: &w)
        case .retentionApplied(let e): e.encode(into: &w)
        case .evaluationPerformed(let e): e.encode(into: &w)
        }
        return w.bytes
    }

    /// Decodes a payload of the given type and schema version (strings past 15 bytes through
    /// `cache`, nil for the shared one: give each thread that decodes in bulk beside others its own).
    public static func decode(
        type: UInt16, version: UInt16, payload: UnsafeRawBufferPointer, cache: StringCache? = nil
    ) throws(EventDecodingError) -> DomainEvent {
        var r = BinaryReader(payload, type: type, cache: cache)
        func check(_ current: UInt16) throws(EventDecodingError) {
            guard version >= 1, version <= current else { throw .unsupportedVersion(type: type, version: version) }
        }
        // Each case finishes and returns its own value (no shared `event` variable assigned in
        // the branches), so the decoded struct is moved into the result instead of copied.
        switch type {
        case AgentRegistered.type:
            try check(AgentRegistered.version)
            let e = try AgentRegistered(from: &r, version: version)
            try r.finish()
            if let violation = Limits.agentViolation(e) { throw .malformed(type: type, reason: violation.message) }
            return .agentRegistered(e)
        case BudgetSet.type:
            try check(BudgetSet.version)
            let e = try BudgetSet(from: &r, version: version)
            try r.finish()
            if let violation = Limits.budgetViolation(e) { throw .malformed(type: type, reason: violation.message) }
            return .budgetSet(e)
        case MetricRecorded.type:
            try check(MetricRecorded.version)
            let e = try MetricRecorded.decode(from: &r, version: version)
            try r.finish()
            if let violation = Limits.metricViolation(
                agentID: e.agentID, timestamp: e.timestamp, executionTimeMs: e.executionTimeMs,
                tokensUsed: e.tokensUsed,
                apiCalls: e.apiCalls, quality: e.qualityScore, costNanos: e.costNanos)
            {
                throw .malformed(type: type, reason: violation.message)
            }
            guard Limits.isOperationType(e.operationType.utf8) else {
                throw .malformed(type: type, reason: "operation type is not 1-64 characters of a-z, 0-9, _, . and -")
            }
            return .metricRecorded(e)
        case AlertRaised.type:
            try check(AlertRaised.version)
            let e = try AlertRaised(from: &r, version: version)
            try r.finish()
            return .alertRaised(e)
        case AlertAcknowledged.type:
            try check(AlertAcknowledged.version)
            let e = try AlertAcknowledged(from: &r, version: version)
            try r.finish()
            return .alertAcknowledged(e)
        case AlertResolved.type:
            try check(AlertResolved.version)
            let e = try AlertResolved(from: &r, version: version)
            try r.finish()
            return .alertResolved(e)
        case RulesChanged.type:
            try check(RulesChanged.version)
            let e = try RulesChanged(from: &r, version: version)
            try r.finish()
            return .rulesChanged(e)
        case RetentionApplied.type:
            try check(RetentionApplied.version)
            let e = try RetentionApplied(from: &r, version: version)
            try r.finish()
            return .retentionApplied(e)
        case EvaluationPerformed.type:
            try check(EvaluationPerformed.version)
            let e = try EvaluationPerformed(from: &r, version: version)
            try r.finish()
            return .evaluationPerformed(e)
        default:
            throw .unknownType(type)
        }
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
