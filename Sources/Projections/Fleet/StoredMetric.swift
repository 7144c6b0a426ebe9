/// The fields of a metric the projection keeps in its columns; the rest of `MetricRecorded`
/// (API calls, error message) lives only in the log.
struct StoredMetric {
    var timestamp: Int64
    var executionTimeMs: Double
    var tokensUsed: Int64
    var success: Bool
    /// NaN when not scored.
    var quality: Double
    var costNanos: Int64

    init(_ e: MetricRecorded) {
        timestamp = e.timestamp
        executionTimeMs = e.executionTimeMs
        tokensUsed = e.tokensUsed
        success = e.success
        quality = e.qualityScore ?? .nan
        costNanos = e.costNanos
    }

    init(timestamp: Int64, executionTimeMs: Double, tokensUsed: Int64, success: Bool, quality: Double, costNanos: Int64)
    {
        self.timestamp = timestamp
        self.executionTimeMs = executionTimeMs
        self.tokensUsed = tokensUsed
        self.success = success
        self.quality = quality
        self.costNanos = costNanos
    }
}

/// A stored `MetricRecorded` payload read in place, for folding: the fields the projection keeps,
/// and the operation type as the payload's UTF-8 bytes (valid while the payload is). Reading
/// accepts and rejects exactly the payloads `DomainEvent.decode` does (the error-message string
/// is checked as UTF-8 but not built; the operation type is checked by whoever builds it).
struct MetricPayload {
    var agentID: Int64
    var operationUTF8: UnsafeRawBufferPointer
    var stored: StoredMetric
    /// Input and output tokens when the metric split them (version 2 with `usage`), else 0.
    var inputTokens: Int64 = 0
    var outputTokens: Int64 = 0

    @inline(__always)
    init(_ payload: UnsafeRawBufferPointer, version: UInt16) throws(EventDecodingError) {
        var r = BinaryReader(payload, type: MetricRecorded.type)
        agentID = try r.varint()
        operationUTF8 = try r.utf8()
        let timestamp = try r.varint()
        let executionTimeMs = try r.double()
        let tokensUsed = try r.varint()
        let apiCalls = try r.varint()
        let success = try r.bool()
        let scored = try r.bool()
        let quality = scored ? try r.double() : .nan
        let costNanos = try r.varint()
        if try r.bool() { try r.skipString() }  // error message
        if version >= 2 {
            // `usage`: checked as `MetricRecorded.violation` checks it, the model without a String.
            let model: UnsafeRawBufferPointer? = try r.bool() ? try r.utf8() : nil
            inputTokens = try r.varint()
            outputTokens = try r.varint()
            let cached = try r.varint()
            let pricing = try r.varint()
            guard (0...2).contains(pricing) else {
                throw .malformed(type: MetricRecorded.type, reason: "unknown pricing \(pricing)")
            }
            for count in [inputTokens, outputTokens, cached] where !(0...Limits.maximumTokens).contains(count) {
                throw .malformed(
                    type: MetricRecorded.type, reason: "a token count \(count) is outside 0...\(Limits.maximumTokens)")
            }
            if cached > inputTokens {
                throw .malformed(type: MetricRecorded.type, reason: "more cached input tokens than input tokens")
            }
            if let model {
                let valid =
                    BinaryReader.isASCII(model)
                    ? (1...PriceTable.maximumModelNameBytes).contains(model.count)
                        && model.allSatisfy { $0 >= 0x20 && $0 != 0x7F }
                    : PriceTable.isModelName(try r.validString(model))
                guard valid else {
                    throw .malformed(type: MetricRecorded.type, reason: "the model name is not 1-256 bytes of text")
                }
            } else if pricing != 0 {
                throw .malformed(type: MetricRecorded.type, reason: "a metric priced by the table names no model")
            }
        }
        try r.finish()
        // The same bounds as `DomainEvent.decode`: a value no door accepts is never folded.
        if let violation = Limits.metricViolation(
            agentID: agentID, timestamp: timestamp, executionTimeMs: executionTimeMs, tokensUsed: tokensUsed,
            apiCalls: apiCalls, quality: scored ? quality : nil, costNanos: costNanos)
        {
            throw .malformed(type: MetricRecorded.type, reason: violation.message)
        }
        guard Limits.isOperationType(operationUTF8) else {
            throw .malformed(
                type: MetricRecorded.type, reason: "operation type is not 1-64 characters of a-z, 0-9, _, . and -")
        }
        stored = StoredMetric(
            timestamp: timestamp, executionTimeMs: executionTimeMs, tokensUsed: tokensUsed, success: success,
            quality: quality, costNanos: costNanos)
    }
}
