/// Every read model of the service, folded from the log: agents, budgets and exact period
/// usage, the stored metrics per agent, and the alert state machine. `apply` is the only way in;
/// folding the same events (in one go or in chunks) gives the same state.
public struct FleetProjection: Sendable {
    public internal(set) var ingestion = IngestionState()
    public internal(set) var metrics = MetricStore()
    public private(set) var alertBook = AlertBook()
    /// The last sequence folded.
    public internal(set) var sequence: UInt64 = 0
    /// Events skipped because this build could not decode them.
    public internal(set) var skippedEvents = 0
    /// Every event other than metrics, in log order (agents, budgets, alerts, rules): small, and
    /// replayed to restore a snapshot.
    var controlEvents: [(sequence: UInt64, event: DomainEvent)] = []

    public init() {}

    public mutating func apply(_ event: DomainEvent, sequence: UInt64) {
        ingestion.apply(event, sequence: sequence)
        switch event {
        case .metricRecorded(let e):
            metrics.insert(id: Int64(sequence), metric: e)
        case .alertRaised, .alertAcknowledged, .alertResolved:
            alertBook.apply(event, sequence: sequence)
            controlEvents.append((sequence, event))
        case .retentionApplied(let e):
            metrics.apply(e)
            controlEvents.append((sequence, event))
        default:
            controlEvents.append((sequence, event))
        }
        self.sequence = sequence
    }

    /// Decodes and folds one stored event. One this build cannot decode (an unknown type, a newer
    /// schema version, a malformed payload) is skipped and counted, or fails, as `policy` says.
    public mutating func apply(
        type: UInt16, schemaVersion: UInt16, payload: UnsafeRawBufferPointer, sequence: UInt64,
        policy: UnknownEventPolicy = .skip
    ) throws(EventDecodingError) {
        do {
            if type == MetricRecorded.type && schemaVersion >= 1 && schemaVersion <= MetricRecorded.version {
                // The hot path of every rebuild: the metric goes from its payload straight into
                // the columns, without a `MetricRecorded` (its strings) or a `DomainEvent`.
                let metric = try MetricPayload(payload, version: schemaVersion)
                try metrics.insert(id: Int64(sequence), metric)
                ingestion.applyMetric(
                    agentID: metric.agentID, timestamp: metric.stored.timestamp, costNanos: metric.stored.costNanos,
                    success: metric.stored.success, tokens: metric.stored.tokensUsed, inputTokens: metric.inputTokens,
                    outputTokens: metric.outputTokens, sequence: sequence)
                self.sequence = sequence
                return
            }
            apply(try DomainEvent.decode(type: type, version: schemaVersion, payload: payload), sequence: sequence)
        } catch {
            guard policy == .skip else { throw error }
            skip(sequence: sequence)
        }
    }

    /// Folds a batch of events (`body` applies them): the late metrics of the batch (those before
    /// their agent's latest) are merged into their agents' columns once, at the end of the batch
    /// (or at a retention marker), each agent's columns in one pass, instead of one insertion
    /// each. The state after the batch is the state of folding its events one by one.
    public mutating func foldingBatch<E: Error>(_ body: (inout FleetProjection) throws(E) -> Void) throws(E) {
        let outer = metrics.deferringLateMetrics
        metrics.deferringLateMetrics = true
        defer {
            if !outer {
                metrics.mergeLateMetrics()
                metrics.deferringLateMetrics = false
            }
        }
        try body(&self)
    }

    /// Starts deferring late metrics as `foldingBatch` does, for a fold driven from outside (the
    /// parts of a split fold); `mergeLateMetrics` must follow before the projection is read.
    public mutating func deferLateMetrics() { metrics.deferringLateMetrics = true }

    /// Merges the deferred late metrics and stops deferring.
    public mutating func mergeLateMetrics() {
        metrics.mergeLateMetrics()
        metrics.deferringLateMetrics = false
    }

    /// Counts an event that could not be decoded (when the caller chose to skip such events).
    public mutating func skip(sequence: UInt64) {
        skippedEvents += 1
        self.sequence = sequence
    }

    public var agents: [Int64: Agent] { ingestion.agents }
    public var rules: Rules { ingestion.rules }
}
