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

extension EventRecord {
    /// The domain event the record holds (`DomainEvent.decode` of its type, version and payload).
    package func domainEvent() throws(EventDecodingError) -> DomainEvent {
        try DomainEvent.decode(type: type, version: schemaVersion, payload: payload)
    }
}

extension EventRecordView {
    /// The domain event the record holds (`DomainEvent.decode` of its type, version and payload).
    package func domainEvent() throws(EventDecodingError) -> DomainEvent {
        try DomainEvent.decode(type: type, version: schemaVersion, payload: payload)
    }
}
