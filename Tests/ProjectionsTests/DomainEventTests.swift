import Projections
import Testing
import Utilities

@Suite("Domain events")
struct DomainEventTests {
    static let samples: [DomainEvent] = [
        .agentRegistered(AgentRegistered(agentID: 7, name: "coder", role: "developer")),
        .budgetSet(
            BudgetSet(
                agentID: 7, totalBudgetNanos: 30_000_000_000, warningThresholdPercent: 80,
                criticalThresholdPercent: 100,
                period: .weekly)),
        .metricRecorded(
            MetricRecorded(
                agentID: 7, operationType: "code_review", timestamp: 1_763_389_800_000_000, executionTimeMs: 245.32,
                tokensUsed: 1_200, apiCalls: 3, success: true, qualityScore: 87.5, costNanos: 12_345, errorMessage: nil)
        ),
        .metricRecorded(
            MetricRecorded(
                agentID: 1, operationType: "x", timestamp: 0, executionTimeMs: 0, tokensUsed: 0, apiCalls: 0,
                success: false, qualityScore: nil, costNanos: 0, errorMessage: "timeout – ünïcode")),
        .metricRecorded(
            MetricRecorded(
                agentID: 3, operationType: "chat", timestamp: 1_763_389_800_000_000, executionTimeMs: 812,
                tokensUsed: 1_500, success: true, qualityScore: nil, costNanos: 2_750_000,
                usage: ModelUsage(
                    model: "gpt-4o", inputTokens: 1_000, outputTokens: 500, cachedInputTokens: 200, pricing: .table))),
        .alertRaised(
            AlertRaised(
                alertID: 1, agentID: 7, rule: .budgetWarning, currentValue: 24.5, expectedValue: 30,
                thresholdValue: 24, deviationPercent: -18.33, message: "Budget alert", detectedAt: 99, periodStart: 0,
                periodEnd: 86_400_000_000, causeMetricID: 12, rulesVersion: 1)),
        .alertRaised(
            AlertRaised(
                alertID: 2, agentID: 7, rule: .outlier, currentValue: 1, expectedValue: 2, thresholdValue: nil,
                deviationPercent: nil, message: "", detectedAt: 5)),
        .alertAcknowledged(AlertAcknowledged(alertID: 1, at: 100, by: "ops", note: nil)),
        .alertResolved(AlertResolved(alertID: 1, at: 200, by: nil, note: "done", reason: .periodEnded)),
        .rulesChanged(RulesChanged(version: 3, document: #"{"outlier_z":3.0}"#)),
        .evaluationPerformed(EvaluationPerformed(asOf: 1_763_380_800_000_000, rulesVersion: 3)),
        .retentionApplied(
            RetentionApplied(
                asOf: 1_763_380_800_000_000, metricCutoff: 1_755_000_000_000_000, rollupCutoff: 1_700_000_000_000_000,
                throughSequence: 42, archive: "archive/a.jsonl.gz", archivedEvents: 40, archiveChecksum: 0xDEAD_BEEF)),
    ]

    @Test("every event type round-trips through its binary payload", arguments: samples)
    func roundTrip(event: DomainEvent) throws {
        let payload = event.encodedPayload()
        let decoded = try DomainEvent.decode(type: event.type, version: event.schemaVersion, payload: payload)
        #expect(decoded == event)
    }

    @Test("the registry: every kind of event has its own type tag and name, and the samples cover every kind")
    func registry() {
        let types = DomainEvent.knownTypes
        #expect(Set(types).count == types.count)
        #expect(Set(Self.samples.map(\.type)) == Set(types))
        let names = types.map(DomainEvent.name(ofType:))
        #expect(Set(names).count == names.count)
        for type in types {
            #expect(DomainEvent.type(named: DomainEvent.name(ofType: type)) == type)
        }
        for event in Self.samples {
            #expect(DomainEvent.name(ofType: event.type) == event.name)
        }
        #expect(DomainEvent.name(ofType: 999) == "type 999")
        #expect(DomainEvent.type(named: "NoSuchEvent") == nil)
    }

    @Test("every event type round-trips through its export form", arguments: samples)
    func exportRoundTrip(event: DomainEvent) throws {
        let fields = JSONValue.object(event.exportFields)
        let reparsed = try JSONParser.parse(fields.serialized())
        #expect(try DomainEvent.imported(type: event.type, fields: reparsed) == event)
    }

    @Test("an export payload with a field of the wrong kind names the field")
    func exportFieldErrors() throws {
        var fields = DomainEventTests.samples[0].exportFields
        fields["agent_id"] = .string("seven")
        #expect(throws: EventFieldError(field: "agent_id", message: "must be an integer")) {
            try DomainEvent.imported(type: AgentRegistered.type, fields: .object(fields))
        }
        #expect(throws: EventFieldError.self) { try DomainEvent.imported(type: 999, fields: .object([:])) }
    }

    @Test("unknown types, newer versions and damaged payloads are refused with a clear error")
    func refusals() throws {
        let event = Self.samples[2]
        let payload = event.encodedPayload()
        #expect(throws: EventDecodingError.unknownType(999)) {
            try DomainEvent.decode(type: 999, version: 1, payload: payload)
        }
        #expect(throws: EventDecodingError.unsupportedVersion(type: event.type, version: 9)) {
            try DomainEvent.decode(type: event.type, version: 9, payload: payload)
        }
        #expect(throws: EventDecodingError.self) {
            try DomainEvent.decode(type: event.type, version: 1, payload: Array(payload.dropLast(3)))
        }
        #expect(throws: EventDecodingError.self) {
            try DomainEvent.decode(type: event.type, version: 1, payload: payload + [0])
        }
    }

    @Test("a fold skips and counts what it cannot decode, or stops, as the caller chooses")
    func unknownEventPolicy() throws {
        var projection = FleetProjection()
        let payload = Self.samples[0].encodedPayload()
        try payload.withUnsafeBytes { raw in
            try projection.apply(type: 999, schemaVersion: 1, payload: raw, sequence: 1, policy: .skip)
            try projection.apply(type: AgentRegistered.type, schemaVersion: 1, payload: raw, sequence: 2)
            #expect(throws: EventDecodingError.unsupportedVersion(type: AgentRegistered.type, version: 7)) {
                try projection.apply(
                    type: AgentRegistered.type, schemaVersion: 7, payload: raw, sequence: 3, policy: .fail)
            }
        }
        #expect(projection.skippedEvents == 1)
        #expect(projection.sequence == 2)
        #expect(projection.agents[7]?.name == "coder")
    }

    @Test("random bytes never crash the decoder")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<64, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let type = UInt16.random(in: 0...8, using: &generator)
            _ = try? DomainEvent.decode(type: type, version: 1, payload: bytes)
        }
    }
}
