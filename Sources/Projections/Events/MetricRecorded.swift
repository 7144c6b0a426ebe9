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

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        agentID = try r.varint()
        operationType = try r.string()
        timestamp = try r.varint()
        executionTimeMs = try r.double()
        tokensUsed = try r.varint()
        apiCalls = try r.varint()
        success = try r.bool()
        qualityScore = try r.optional { r throws(EventDecodingError) in try r.double() }
        costNanos = try r.varint()
        errorMessage = try r.optional { r throws(EventDecodingError) in try r.string() }
    }
}
