import Projections
import Utilities

/// Query-parameter readers that answer 400 `invalid_parameter` naming the parameter.
public struct QueryParameters {
    public let values: [String: String]

    public init(values: [String: String]) {
        self.values = values
    }

    /// The parameters of a request's query (the text after `?`, without it): `&`-separated
    /// `name=value` pairs, both percent-decoded (`+` is a space). A later repeat of a name wins; a
    /// pair that does not decode is kept as sent.
    public init(query: String?) {
        var values: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            values[key.removingPercentEncoding ?? key] = value.removingPercentEncoding ?? value
        }
        self.values = values
    }

    public func string(_ name: String) -> String? {
        guard let v = values[name], !v.isEmpty else { return nil }
        return v
    }

    public func time(_ name: String) throws(APIError) -> Int64? {
        guard let text = string(name) else { return nil }
        guard let us = APITime.parse(text) else {
            throw .invalidParameter(
                name, "\(name) must be an ISO-8601 UTC time such as 2025-11-17T14:30:00Z, \(APITime.rangeDescription)")
        }
        return us
    }

    public func int(_ name: String, min: Int64 = Int64.min, max: Int64 = Int64.max) throws(APIError) -> Int64? {
        guard let text = string(name) else { return nil }
        guard let v = Int64(text), v >= min, v <= max else {
            throw .invalidParameter(name, "\(name) must be an integer from \(min) to \(max)")
        }
        return v
    }

    public func double(_ name: String, above: Double, max: Double) throws(APIError) -> Double? {
        guard let text = string(name) else { return nil }
        guard let v = Double(text), v.isFinite, v > above, v <= max else {
            throw .invalidParameter(name, "\(name) must be a number greater than \(above) and at most \(max)")
        }
        return v
    }

    public func oneOf<T: RawRepresentable>(_ name: String, _ type: T.Type) throws(APIError) -> T?
    where T.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let v = T(rawValue: text) else { throw .invalidParameter(name, "\(name) has an unknown value \(text)") }
        return v
    }

    /// `as_of` (default: the server clock).
    public func asOf(now: Int64) throws(APIError) -> Int64 { try time("as_of") ?? now }

    /// The metric window (§1): `start_date`/`end_date`, defaulting to `[as_of − 30 d, as_of]`.
    public func window(asOf: Int64) throws(APIError) -> TimeWindow {
        let window = TimeWindow(asOf: asOf, start: try time("start_date"), end: try time("end_date"))
        guard window.start <= window.end else {
            throw .invalidParameter("start_date", "start_date must not be after end_date")
        }
        return window
    }
}

/// The instants the API takes (query times, metric timestamps, `as_of` in bodies): ISO-8601 with a
/// UTC offset, from 1970-01-01T00:00:00Z up to (not including) 9999-01-01T00:00:00Z. The margins
/// keep every instant the service derives from one (windows reaching back up to 100 years, the
/// ends of budget periods and report weeks) a four-digit year that RFC 3339 can write.
public enum APITime {
    public static let earliest: Int64 = 0
    public static let latest: Int64 = UTCTime.parseISO8601("9999-01-01T00:00:00Z")!
    public static let rangeDescription = "from 1970-01-01T00:00:00Z to before 9999-01-01T00:00:00Z"

    public static func parse(_ text: some StringProtocol) -> Int64? {
        guard let us = UTCTime.parseISO8601(text), contains(us) else { return nil }
        return us
    }

    public static func contains(_ us: Int64) -> Bool { us >= earliest && us < latest }

    /// How far ahead of the server clock a client's instant may be (clocks drift): 5 minutes.
    public static let maximumClockSkew: Int64 = 5 * UTCTime.microsecondsPerMinute

    /// 422 naming `field` when `us` lies further in the future than the clock skew allows: an
    /// evaluation or retention run "in 9998" would resolve every budget alert or remove every metric.
    public static func requireNotFuture(_ us: Int64, now: Int64, field: String) throws(APIError) {
        guard us <= now + maximumClockSkew else {
            throw APIError.validation(
                field, "\(field) is more than 5 minutes after the server's clock (\(UTCTime.formatISO8601(now)))")
        }
    }
}

extension String {
    var removingPercentEncoding: String? {
        guard contains("%") || contains("+") else { return self }
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let h = iterator.next(), let l = iterator.next(), let hi = hexValue(h), let lo = hexValue(l)
                else {
                    return nil
                }
                bytes.append(hi << 4 | lo)
            } else if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

private func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// Validation of one metric of `POST /metrics` (§2 Metrics table).
public enum MetricValidation {
    /// The most tokens one metric may count (`tokens_used`, `input_tokens`, `output_tokens`).
    public static let maximumTokens = Limits.maximumTokens
    /// The longest execution time one metric may report (about 31.7 years).
    public static let maximumExecutionTimeMs = Limits.maximumExecutionTimeMs

    public static func fail(_ field: String, _ message: String) -> IngestionError {
        .validation(field: field, message: message)
    }

    /// A non-negative JSON integer (`5.0` is accepted as 5), at most `maximum`.
    public static func count(_ value: JSONValue?, _ field: String, maximum: Int64 = Int64.max) throws(IngestionError)
        -> Int64?
    {
        guard let value, !value.isNull else { return nil }
        if case .bool = value { throw fail(field, "\(field) must be an integer") }
        guard let i = value.int64Value else { throw fail(field, "\(field) must be an integer") }
        guard i >= 0 else { throw fail(field, "\(field) must not be negative") }
        guard i <= maximum else { throw fail(field, "\(field) must be at most \(maximum)") }
        return i
    }

    public static func number(_ value: JSONValue?, _ field: String) throws(IngestionError) -> Double? {
        guard let value, !value.isNull else { return nil }
        switch value {
        case .int, .double: break
        default: throw fail(field, "\(field) must be a number")
        }
        guard let d = value.doubleValue, d.isFinite else { throw fail(field, "\(field) must be a finite number") }
        return d
    }

    public static func parse(
        _ value: JSONValue, now: Int64, knownAgent: (Int64) -> Bool
    ) -> Result<Ingestion.MetricSubmission, IngestionError> {
        Result { () throws(IngestionError) -> Ingestion.MetricSubmission in
            guard let m = value.objectValue else { throw fail("", "a metric must be a JSON object") }
            var eventID: String?
            if let raw = m["event_id"], !raw.isNull {
                guard let s = raw.stringValue, !s.isEmpty, s.unicodeScalars.count <= 128, s.utf8.count <= 255 else {
                    throw fail("event_id", "event_id must be a string of 1 to 128 characters")
                }
                eventID = s
            }
            guard let agentValue = m["agent_id"], !agentValue.isNull else {
                throw fail("agent_id", "agent_id is required")
            }
            guard let agentID = agentValue.int64Value else { throw fail("agent_id", "agent_id must be an integer") }
            guard (1...Limits.maximumAgentID).contains(agentID) else {
                throw fail("agent_id", "agent_id must be an integer from 1 to \(Limits.maximumAgentID)")
            }
            guard knownAgent(agentID) else { throw fail("agent_id", "agent \(agentID) is not registered") }
            guard let op = m["operation_type"]?.stringValue else {
                throw fail("operation_type", "operation_type is required")
            }
            guard Limits.isOperationType(op.utf8) else {
                throw fail("operation_type", "operation_type must be 1-64 characters of a-z, 0-9, _, . and -")
            }
            guard let tsText = m["timestamp"]?.stringValue, let ts = APITime.parse(tsText) else {
                throw fail(
                    "timestamp", "timestamp must be an ISO-8601 time with a UTC offset, \(APITime.rangeDescription)")
            }
            guard ts <= now + APITime.maximumClockSkew else {
                throw fail("timestamp", "timestamp is more than 5 minutes in the future")
            }
            guard let exec = try number(m["execution_time_ms"], "execution_time_ms") else {
                throw fail("execution_time_ms", "execution_time_ms is required")
            }
            guard exec >= 0 else { throw fail("execution_time_ms", "execution_time_ms must not be negative") }
            guard exec <= maximumExecutionTimeMs else {
                throw fail("execution_time_ms", "execution_time_ms must be at most 1e12 (about 31.7 years)")
            }
            let tokens: Int64
            // The split: validated when it makes the count (or prices the metric); beside a
            // `tokens_used` it is kept only when valid, as `tokens_used` wins (§2).
            var input: Int64?
            var output: Int64?
            if let raw = m["tokens_used"] {
                guard let t = try count(raw, "tokens_used", maximum: maximumTokens) else {
                    throw fail("tokens_used", "tokens_used must be an integer")
                }
                tokens = t
                if m["cost_usd"] == nil || m["cost_usd"]!.isNull, m["model"] != nil {
                    input = try count(m["input_tokens"], "input_tokens", maximum: maximumTokens)
                    output = try count(m["output_tokens"], "output_tokens", maximum: maximumTokens)
                } else {
                    input = try? count(m["input_tokens"], "input_tokens", maximum: maximumTokens)
                    output = try? count(m["output_tokens"], "output_tokens", maximum: maximumTokens)
                }
            } else {
                input = try count(m["input_tokens"], "input_tokens", maximum: maximumTokens)
                output = try count(m["output_tokens"], "output_tokens", maximum: maximumTokens)
                guard input != nil || output != nil else { throw fail("tokens_used", "tokens_used is required") }
                tokens = (input ?? 0) + (output ?? 0)
                guard tokens <= maximumTokens else {
                    throw fail("tokens_used", "input_tokens + output_tokens must be at most \(maximumTokens)")
                }
            }
            var model: String?
            if let raw = m["model"], !raw.isNull {
                guard let name = raw.stringValue, PriceTable.isModelName(name) else {
                    throw fail("model", "model must be a string of 1 to 256 bytes of printable text")
                }
                model = name
            }
            let apiCalls = try count(m["api_calls"], "api_calls") ?? 1
            guard let success = m["success"]?.boolValue else { throw fail("success", "success must be true or false") }
            let quality = try number(m["quality_score"], "quality_score")
            if let q = quality, !(0...100).contains(q) {
                throw fail("quality_score", "quality_score must be between 0 and 100")
            }
            // Without `cost_usd`, a metric that names a model is priced by the writer from the
            // rules' price table (`Ingestion.price`).
            var nanos: Int64 = 0
            var pricing = ModelUsage.Pricing.given
            if let cost = try number(m["cost_usd"], "cost_usd") {
                guard let n = Money.nanos(fromUSD: cost) else {
                    throw fail("cost_usd", "cost_usd must be between 0 and \(Int(Money.maximumUSD))")
                }
                nanos = n
            } else if let model {
                guard input != nil || output != nil else {
                    throw fail(
                        "input_tokens",
                        "input_tokens or output_tokens is required to price \(model) by the price table "
                            + "(or give cost_usd)")
                }
                pricing = .table
            } else {
                throw fail("cost_usd", "cost_usd is required (or a model to price by the price table)")
            }
            var usage: ModelUsage?
            if model != nil || input != nil || output != nil {
                // Cached input tokens are part of the input tokens. Strict when they price the
                // metric; otherwise kept only when valid, as the split beside `tokens_used` is.
                var cached: Int64 = 0
                if pricing == .table {
                    cached = try count(m["cached_input_tokens"], "cached_input_tokens", maximum: maximumTokens) ?? 0
                    guard cached <= input ?? 0 else {
                        throw fail("cached_input_tokens", "cached_input_tokens must be at most input_tokens")
                    }
                } else if let c = try? count(m["cached_input_tokens"], "cached_input_tokens"), c <= input ?? 0 {
                    cached = c
                }
                usage = ModelUsage(
                    model: model, inputTokens: input ?? 0, outputTokens: output ?? 0, cachedInputTokens: cached,
                    pricing: pricing)
            }
            var errorMessage: String?
            if let raw = m["error_message"], !raw.isNull {
                guard let s = raw.stringValue, s.unicodeScalars.count <= 2000 else {
                    throw fail("error_message", "error_message must be a string of at most 2,000 characters")
                }
                errorMessage = s
            }
            return Ingestion.MetricSubmission(
                eventID: eventID,
                metric: MetricRecorded(
                    agentID: agentID, operationType: op, timestamp: ts, executionTimeMs: exec, tokensUsed: tokens,
                    apiCalls: apiCalls, success: success, qualityScore: quality, costNanos: nanos,
                    errorMessage: errorMessage, usage: usage))
        }
    }
}
