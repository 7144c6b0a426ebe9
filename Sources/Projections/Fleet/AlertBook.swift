/// One step of an alert's lifecycle, with its log position.
public struct AlertTransition: Sendable, Equatable {
    public var status: AlertStatus
    public var at: Int64
    public var by: String?
    public var note: String?
    public var reason: String?
    /// The log sequence of the event that made this transition.
    public var position: UInt64

    public init(status: AlertStatus, at: Int64, by: String?, note: String?, reason: String?, position: UInt64) {
        self.status = status
        self.at = at
        self.by = by
        self.note = note
        self.reason = reason
        self.position = position
    }
}

/// An alert with its current state and full history.
public struct AlertRecord: Sendable, Equatable {
    public var raised: AlertRaised
    public var status: AlertStatus
    public var acknowledgedAt: Int64?
    public var resolvedAt: Int64?
    public var history: [AlertTransition]
}

/// The alert state machine: raised → acknowledged → resolved (or raised → resolved), folded
/// from the log.
public struct AlertBook: Sendable {
    public private(set) var alerts: [AlertRecord] = []

    public init() {}

    public func alert(_ id: Int64) -> AlertRecord? {
        guard id >= 1, id <= alerts.count else { return nil }
        return alerts[Int(id - 1)]
    }

    /// The lifecycle step an alert event makes, nil for other events.
    public static func transition(for event: DomainEvent, sequence: UInt64) -> (alertID: Int64, AlertTransition)? {
        switch event {
        case .alertRaised(let e):
            return (
                e.alertID,
                AlertTransition(status: .active, at: e.detectedAt, by: nil, note: nil, reason: nil, position: sequence)
            )
        case .alertAcknowledged(let e):
            return (
                e.alertID,
                AlertTransition(
                    status: .acknowledged, at: e.at, by: e.by, note: e.note, reason: ResolutionReason.manual.rawValue,
                    position: sequence)
            )
        case .alertResolved(let e):
            return (
                e.alertID,
                AlertTransition(
                    status: .resolved, at: e.at, by: e.by, note: e.note, reason: e.reason.rawValue, position: sequence)
            )
        default:
            return nil
        }
    }

    mutating func apply(_ event: DomainEvent, sequence: UInt64) {
        guard let (alertID, transition) = Self.transition(for: event, sequence: sequence) else { return }
        if case .alertRaised(let e) = event {
            alerts.append(
                AlertRecord(raised: e, status: .active, acknowledgedAt: nil, resolvedAt: nil, history: [transition]))
            return
        }
        guard alertID >= 1, alertID <= alerts.count else { return }
        let i = Int(alertID - 1)
        alerts[i].status = transition.status
        switch transition.status {
        case .acknowledged: alerts[i].acknowledgedAt = transition.at
        case .resolved: alerts[i].resolvedAt = transition.at
        case .active: break
        }
        alerts[i].history.append(transition)
    }
}
