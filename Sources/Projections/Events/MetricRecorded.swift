import Utilities

/// The model and token split of an operation, and how its cost was decided.
public struct ModelUsage: Sendable, Equatable {
    /// How the metric's cost came about.
    public enum Pricing: UInt8, Sendable {
        /// The client gave the cost.
        case given = 0
        /// The writer priced the tokens by the rules' price table (in a request: "price it").
        case table = 1
        /// The client left the cost out and the table has no price for the model then: cost 0.
        case unknownModel = 2

        public var name: String {
            switch self {
            case .given: "given"
            case .table: "table"
            case .unknownModel: "unknown_model"
            }
        }

        public init?(name: String) {
            switch name {
            case "given": self = .given
            case "table": self = .table
            case "unknown_model": self = .unknownModel
            default: return nil
            }
        }
    }

    public var model: String?
    /// Every input token, the cached ones included.
    public var inputTokens: Int64
    public var outputTokens: Int64
    /// Input tokens read from the provider's cache (at most `inputTokens`).
    public var cachedInputTokens: Int64
    public var pricing: Pricing

    public init(
        model: String?, inputTokens: Int64, outputTokens: Int64, cachedInputTokens: Int64 = 0,
        pricing: Pricing = .given
    ) {
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.pricing = pricing
    }

    /// Whether the writer decides the cost (from the price table in force).
    public var pricedByTable: Bool { pricing != .given }
}

/// One operation an agent performed. Its metric id is its log sequence.
public struct MetricRecorded: Sendable, Equatable {
    public static let type: UInt16 = 3
    /// Version 2 adds `usage`; a metric without it is still written as version 1 (the same bytes).
    public static let version: UInt16 = 2

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
    /// The model and token split, when the metric named them.
    public var usage: ModelUsage?

    public init(
        agentID: Int64, operationType: String, timestamp: Int64, executionTimeMs: Double, tokensUsed: Int64,
        apiCalls: Int64 = 1, success: Bool, qualityScore: Double?, costNanos: Int64, errorMessage: String? = nil,
        usage: ModelUsage? = nil
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
        self.usage = usage
    }

    /// The schema version of this value's payload.
    var schemaVersion: UInt16 { usage == nil ? 1 : 2 }

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
        guard let usage else { return }
        w.optional(usage.model) { $0.string($1) }
        w.varint(usage.inputTokens)
        w.varint(usage.outputTokens)
        w.varint(usage.cachedInputTokens)
        w.varint(Int64(usage.pricing.rawValue))
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
        var usage: ModelUsage?
        if version >= 2 {
            let model = try r.bool() ? try r.string() : nil
            let input = try r.varint()
            let output = try r.varint()
            let cached = try r.varint()
            let raw = try r.varint()
            guard let pricing = UInt8(exactly: raw).flatMap(ModelUsage.Pricing.init(rawValue:)) else {
                throw .malformed(type: type, reason: "unknown pricing \(raw)")
            }
            usage = ModelUsage(
                model: model, inputTokens: input, outputTokens: output, cachedInputTokens: cached, pricing: pricing)
        }
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
            set(\.usage, usage)
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
        if let usage {
            for count in [usage.inputTokens, usage.outputTokens, usage.cachedInputTokens]
            where !(0...Limits.maximumTokens).contains(count) {
                return "a token count \(count) is outside 0...\(Limits.maximumTokens)"
            }
            if usage.cachedInputTokens > usage.inputTokens { return "more cached input tokens than input tokens" }
            if let model = usage.model, !PriceTable.isModelName(model) {
                return "the model name is not 1-256 bytes of text"
            }
            if usage.pricedByTable && usage.model == nil { return "a metric priced by the table names no model" }
        }
        return nil
    }

    func exportFields() -> JSONObject {
        var fields: JSONObject = [
            "agent_id": .int(agentID), "operation_type": .string(operationType),
            "timestamp": EventFields.time(timestamp), "execution_time_ms": .double(executionTimeMs),
            "tokens_used": .int(tokensUsed), "api_calls": .int(apiCalls), "success": .bool(success),
            "quality_score": .optional(qualityScore), "cost_nanos": .int(costNanos),
            "error_message": .optional(errorMessage),
        ]
        if let usage {
            fields["model"] = .optional(usage.model)
            fields["input_tokens"] = .int(usage.inputTokens)
            fields["output_tokens"] = .int(usage.outputTokens)
            fields["cached_input_tokens"] = .int(usage.cachedInputTokens)
            fields["pricing"] = .string(usage.pricing.name)
        }
        return fields
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(
            agentID: try f.int("agent_id"), operationType: try f.string("operation_type"),
            timestamp: try f.time("timestamp"), executionTimeMs: try f.double("execution_time_ms"),
            tokensUsed: try f.int("tokens_used"), apiCalls: try f.int("api_calls"), success: try f.bool("success"),
            qualityScore: try f.optionalDouble("quality_score"), costNanos: try f.int("cost_nanos"),
            errorMessage: try f.optionalString("error_message"))
        if let name = try f.optionalString("pricing") {
            guard let pricing = ModelUsage.Pricing(name: name) else {
                throw EventFieldError(field: "pricing", message: "must be given, table or unknown_model")
            }
            usage = ModelUsage(
                model: try f.optionalString("model"), inputTokens: try f.int("input_tokens"),
                outputTokens: try f.int("output_tokens"), cachedInputTokens: try f.int("cached_input_tokens"),
                pricing: pricing)
        }
    }
}
