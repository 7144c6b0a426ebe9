import Testing

@testable import Projections

@Suite("Binary payload coding")
struct BinaryCodingTests {
    /// Reads `bytes` (with `padding` more bytes after them) with `read`, from the start.
    static func read<T>(
        _ bytes: [UInt8], padding: Int, _ read: (inout BinaryReader) throws(EventDecodingError) -> T
    ) throws(EventDecodingError) -> (value: T, atEnd: Bool) {
        let all = bytes + [UInt8](repeating: 0x01, count: padding)
        let result = all.withUnsafeBytes { raw in
            Result { () throws(EventDecodingError) -> (T, Bool) in
                var reader = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[0..<all.count]), type: 3)
                let value = try read(&reader)
                var rest = 0
                while !reader.isAtEnd {
                    _ = try reader.bool() || true
                    rest += 1
                }
                return (value, rest == padding)
            }
        }
        return try result.get()
    }

    @Test("varints of every length round-trip, with and without bytes after them")
    func varints() throws {
        var values: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, UInt64.max, UInt64.max - 1]
        for bits in 1...64 {
            let top = bits == 64 ? UInt64.max : (UInt64(1) << bits) - 1
            values += [top, top >> 1 | UInt64(1) << (bits - 1), (top / 3) | 1]
        }
        for value in values {
            var w = BinaryWriter()
            w.uvarint(value)
            for padding in [0, 1, 7, 8, 9] {
                let (decoded, atEnd) = try Self.read(w.bytes, padding: padding) { r throws(EventDecodingError) in
                    try r.uvarint()
                }
                #expect(decoded == value, "uvarint \(value) with \(padding) bytes after it")
                #expect(atEnd, "uvarint \(value) consumed exactly its bytes")
            }
            let signed = Int64(bitPattern: value)
            var s = BinaryWriter()
            s.varint(signed)
            for padding in [0, 8] {
                let (decoded, _) = try Self.read(s.bytes, padding: padding) { r throws(EventDecodingError) in
                    try r.varint()
                }
                #expect(decoded == signed)
            }
        }
    }

    @Test("non-canonical varints keep their value; overlong and truncated ones are refused")
    func oddVarints() throws {
        // 1 written as 0x81 0x80 0x00 (three bytes).
        for padding in [0, 8] {
            let (value, atEnd) = try Self.read([0x81, 0x80, 0x00], padding: padding) { r throws(EventDecodingError) in
                try r.uvarint()
            }
            #expect(value == 1 && atEnd)
        }
        let overlong = [UInt8](repeating: 0xFF, count: 10) + [0x01]
        let truncated: [UInt8] = [0x80, 0x80, 0x80]
        for bytes in [overlong, truncated, [UInt8](repeating: 0xFF, count: 9) + [0x02]] {
            #expect(throws: EventDecodingError.self) {
                _ = try Self.read(bytes, padding: 0) { r throws(EventDecodingError) in try r.uvarint() }
            }
        }
        // Truncated with bytes after it that are all continuation bytes too.
        #expect(throws: EventDecodingError.self) {
            _ = try Self.read([UInt8](repeating: 0x80, count: 12), padding: 0) { r throws(EventDecodingError) in
                try r.uvarint()
            }
        }
    }

    @Test("strings decoded again and again (cached past 15 bytes) stay equal to what was written")
    func repeatedStrings() throws {
        var texts = [
            "code_generation", "pull_request_review", "document_summarization", "customer_support_reply",
            "upstream rate limit exceeded (429)", "Übersetzung der Dokumentation", "日本語のテキスト要約タスク",
            String(repeating: "x", count: 64), String(repeating: "y", count: 65), String(repeating: "z", count: 300),
        ]
        // Many distinct long strings that share their first and last bytes and their length.
        for k in 0..<600 { texts.append("operation_\(1000 + k)_suffix") }
        for round in 0..<3 {
            for text in texts {
                var w = BinaryWriter()
                w.string(text)
                let (decoded, atEnd) = try Self.read(w.bytes, padding: round * 4) { r throws(EventDecodingError) in
                    try r.string()
                }
                #expect(decoded == text && atEnd)
            }
        }
    }

    @Test("invalid UTF-8 is refused, also next to a cached string of the same length")
    func invalidStrings() throws {
        let valid = "abcdefghijklmnopqrst"
        var w = BinaryWriter()
        w.string(valid)
        _ = try Self.read(w.bytes, padding: 0) { r throws(EventDecodingError) in try r.string() }
        var bad = Array(valid.utf8)
        bad[10] = 0xFF
        for bytes in [bad, [0xC3] + Array(valid.utf8.dropFirst()), Array(repeating: 0x80, count: 20)] {
            var payload = BinaryWriter()
            payload.uvarint(UInt64(bytes.count))
            let encoded = payload.bytes + bytes
            #expect(throws: EventDecodingError.self) {
                _ = try Self.read(encoded, padding: 0) { r throws(EventDecodingError) in try r.string() }
            }
        }
    }
}

@Suite("MetricRecorded payload")
struct MetricRecordedPayloadTests {
    @Test("MetricRecorded.decode sets every stored property")
    func everyProperty() throws {
        // decode builds the value field by field: a new stored property must be added there too.
        let metric = MetricRecorded(
            agentID: 42, operationType: "structured_data_extraction", timestamp: 1_767_225_600_123_456,
            executionTimeMs: 1234.5, tokensUsed: 56_789, apiCalls: 3, success: false, qualityScore: 77.25,
            costNanos: 123_456_789, errorMessage: "upstream rate limit exceeded (429)")
        #expect(Mirror(reflecting: metric).children.count == 11)
        var priced = metric
        priced.usage = ModelUsage(
            model: "claude-sonnet-4-5-20250929", inputTokens: 50_000, outputTokens: 6_789, cachedInputTokens: 40_000,
            pricing: .table)
        for sample in [
            metric, priced,
            MetricRecorded(
                agentID: 1, operationType: "x", timestamp: 0, executionTimeMs: 0, tokensUsed: 0, success: true,
                qualityScore: nil, costNanos: 0),
        ] {
            let event = DomainEvent.metricRecorded(sample)
            let payload = event.encodedPayload()
            // Without usage, the bytes of version 1 (which builds before it read).
            #expect(event.schemaVersion == (sample.usage == nil ? 1 : 2))
            for _ in 0..<3 {
                let decoded = try DomainEvent.decode(
                    type: MetricRecorded.type, version: event.schemaVersion, payload: payload)
                #expect(decoded == .metricRecorded(sample))
            }
            // The fold's in-place reader takes the same payload to the same columns.
            var projection = FleetProjection()
            projection.apply(.agentRegistered(AgentRegistered(agentID: 42, name: "a", role: "r")), sequence: 1)
            try payload.withUnsafeBytes { bytes in
                try projection.apply(
                    type: MetricRecorded.type, schemaVersion: event.schemaVersion, payload: bytes, sequence: 2,
                    policy: .fail)
            }
            #expect(projection.metrics.count == 1)
        }
    }
}
