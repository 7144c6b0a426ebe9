import EventLog
import Projections

/// The single writer's decision state: the ingestion fold of everything appended so far
/// (including events earlier in the same group commit).
package struct WriterState: AppendState {
    package var ingestion = IngestionState()

    package mutating func apply(_ appended: AppendedEvent) {
        let event = appended.event
        guard
            let decoded = try? DomainEvent.decode(
                type: event.type, version: event.schemaVersion, payload: event.payload)
        else { return }
        ingestion.apply(decoded, sequence: appended.sequence)
    }
}

extension NewEvent {
    /// The log form of a domain event.
    init(_ event: DomainEvent, eventID: String? = nil, occurredAt: Int64) {
        self.init(
            eventID: eventID, type: event.type, schemaVersion: event.schemaVersion, occurredAt: occurredAt,
            payload: event.encodedPayload())
    }
}

extension DomainEvent {
    /// The event time of a domain event (`now` for those that happen at the server clock).
    func occurredAt(now: Int64) -> Int64 {
        switch self {
        case .metricRecorded(let e): return e.timestamp
        case .alertRaised(let e): return e.detectedAt
        case .alertAcknowledged(let e): return e.at
        case .alertResolved(let e): return e.at
        case .retentionApplied(let e): return e.asOf
        case .evaluationPerformed(let e): return e.asOf
        case .agentRegistered, .budgetSet, .rulesChanged: return now
        }
    }
}
