import EventLog
import Projections

/// Writes that bypass HTTP but take the same decisions (`Ingestion`, `Evaluation`) through the
/// same single writer: for tools that fill a data directory in-process (`seed-demo`).
extension FleetService {
    /// Registers an agent (as `POST /agents`).
    @discardableResult
    public func appendAgent(id: Int64?, name: String, role: String) async throws -> Agent {
        let outcome = try await write { state, _ in
            let (events, outcome) = try Ingestion.registerAgent(id: id, name: name, role: role, state: state)
            return (events.map { ($0, nil) }, outcome)
        }
        switch outcome {
        case .created(let agent), .unchanged(let agent): return agent
        }
    }

    /// Sets an agent's budget (as `PUT /agents/{id}/budget`).
    public func appendBudget(_ budget: BudgetSet) async throws {
        try await write { state, context in
            (try Ingestion.setBudget(budget, state: state, now: context.recordedAt).map { ($0, nil) }, ())
        }
    }

    /// Records metrics in order, with the budget alerts they raise (as `POST /metrics`; the
    /// metrics are taken as valid). Returns the outcome of each.
    @discardableResult
    public func appendMetrics(_ metrics: [MetricRecorded]) async throws -> [Ingestion.MetricOutcome] {
        let items = metrics.map {
            Result<Ingestion.MetricSubmission, IngestionError>.success(.init(eventID: nil, metric: $0))
        }
        return try await write { state, context in
            let (events, outcomes) = try Ingestion.recordMetrics(
                items, state: state, nextSequence: context.nextSequence,
                existingSequence: { try context.existingSequence(forEventID: $0) })
            return (events.map { ($0.event, $0.eventID) }, outcomes)
        }
    }

    /// Runs the §4 evaluation at `asOf` (as `POST /admin/evaluate`); returns the appended events.
    @discardableResult
    public func appendEvaluation(asOf: Int64) async throws -> [DomainEvent] {
        try await evaluate(asOf: asOf)
    }

    /// Acknowledges an alert (as `PUT /metrics/alerts/{id}/acknowledge`), at the server clock.
    public func appendAcknowledgement(alertID: Int64, by: String?, note: String?) async throws {
        try await write { state, context in
            let events = try Ingestion.acknowledge(
                alertID: alertID, by: by, note: note, now: context.recordedAt, state: state)
            return (events.map { ($0, nil) }, ())
        }
    }
}
