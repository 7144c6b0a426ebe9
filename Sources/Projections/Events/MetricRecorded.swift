import Utilities

/// One operation an agent performed. Its metric id is its log sequence.
public struct MetricRecorded: Sendable, Equatable {
    public static let type: UInt16 = 3
    public static let version: UInt16 = 1

    public var agentID: Int64
    public var operationType: String
    /// When the operation happened (µs since the epoch).
    public var timestamp: Int64
    public var executionTimeMs: Double
    public var tokensUsed: Int64
    public var apiCalls: Int64
    public var success: Bool
    /// 0–100, nil when not scored.
    public var qualityScore: Double?
    /// Cost in nano-dollars (exact).
    public var costNanos: Int64
    public var errorMessage: String?

    public init(
        agentID: Int64, operationType: String, timestamp: Int64, executionTimeMs: Double, tokensUsed: Int64,
        apiCalls: Int64 = 1, success: Bool, qualityScore: Double?, costNanos: Int64, errorMessage: String? = nil
    ) {
        self.agentID = agentID
        self.operationType = operationType
        self.timestamp = timestamp
        self.executionTimeMs = executionTimeMs
        self.tokensUsed = tokensUsed
        self.apiCalls = apiCalls
        self.success = success
        self.qualityScore = qualityScore
        self.costNanos = costNanos
        self.errorMessage = errorMessage
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(agentID)
        w.string(operationType)
        w.varint(timestamp)
        w.double(executionTimeMs)
        w.varint(tokensUsed)
        w.varint(apiCalls)
        w.bool(success)
        w.optional(qualityScore) { $0.double($1) }
        w.varint(costNanos)
        w.optional(errorMessage) { $0.string($1) }
    }

    static func decode(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) -> MetricRecorded {
        // Every field into a local first, then the value is built in place and moved out. Swift
        // 6.3 copies a struct this large at the end of an initializer (assigning the fields of
        // `self`, or calling the public init), retaining and releasing its strings: a third of the
        // time of a decode. The test "MetricRecorded.decode sets every stored property" fails
        // when a property is added here but not below.
        let agentID = try r.varint()
        let operationType = try r.string()
        let timestamp = try r.varint()
        let executionTimeMs = try r.double()
        let tokensUsed = try r.varint()
        let apiCalls = try r.varint()
        let success = try r.bool()
        let qualityScore = try r.bool() ? try r.double() : nil
        let costNanos = try r.varint()
        let errorMessage = try r.bool() ? try r.string() : nil
        return withUnsafeTemporaryAllocation(of: MetricRecorded.self, capacity: 1) { buffer in
            let raw = UnsafeMutableRawPointer(buffer.baseAddress!)
            func set<T>(_ field: WritableKeyPath<MetricRecorded, T>, _ value: consuming T) {
                raw.advanced(by: MemoryLayout<MetricRecorded>.offset(of: field)!).initializeMemory(
                    as: T.self, to: value)
            }
            set(\.agentID, agentID)
            set(\.operationType, operationType)
            set(\.timestamp, timestamp)
            set(\.executionTimeMs, executionTimeMs)
            set(\.tokensUsed, tokensUsed)
            set(\.apiCalls, apiCalls)
            set(\.success, success)
            set(\.qualityScore, qualityScore)
            set(\.costNanos, costNanos)
            set(\.errorMessage, errorMessage)
            return buffer.baseAddress!.move()
        }
    }
}

extension MetricRecorded: EventKind {
    static let name = "MetricRecorded"
    var domainEvent: DomainEvent { .metricRecorded(self) }
    func occurredAt(now: Int64) -> Int64 { timestamp }

    func violation() -> String? {
        if let violation = Limits.metricViolation(
            agentID: agentID, timestamp: timestamp, executionTimeMs: executionTimeMs, tokensUsed: tokensUsed,
            apiCalls: apiCalls, quality: qualityScore, costNanos: costNanos)
        {
            return violation.message
        }
        guard Limits.isOperationType(operationType.utf8) else {
            return "operation type is not 1-64 characters of a-z, 0-9, _, . and -"
        }
        return nil
    }

    func exportFields() -> JSONObject {
        [
            "agent_id": .int(agentID), "operation_type": .string(operationType),
            "timestamp": EventFields.time(timestamp), "execution_time_ms": .double(executionTimeMs),
            "tokens_used": .int(tokensUsed), "api_calls": .int(apiCalls), "success": .bool(success),
            "quality_score": .optional(qualityScore), "cost_nanos": .int(costNanos),
            "error_message": .optional(errorMessage),
        ]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            agentID: try f.int("agent_id"), operationType: try f.string("operation_type"),
            timestamp: try f.time("timestamp"), executionTimeMs: try f.double("execution_time_ms"),
            tokensUsed: try f.int("tokens_used"), apiCalls: try f.int("api_calls"), success: try f.bool("success"),
            qualityScore: try f.optionalDouble("quality_score"), costNanos: try f.int("cost_nanos"),
            errorMessage: try f.optionalString("error_message"))
    }
}
