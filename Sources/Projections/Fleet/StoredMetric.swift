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

    @inline(__always)
    init(_ payload: UnsafeRawBufferPointer) throws(EventDecodingError) {
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
