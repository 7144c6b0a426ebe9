import Utilities

/// Turns a span that follows OpenTelemetry's GenAI semantic conventions into a metric of this
/// service, as the contract's JSON metric (so the same validation applies to both ways in).
///
/// | metric field | from the span |
/// |---|---|
/// | agent | `gen_ai.agent.id`, else `gen_ai.agent.name`, else the resource's `service.name` |
/// | role (first sight) | `roleAttribute` (`gen_ai.agent.role`), else the resource's `service.namespace`, else `unknown` |
/// | `operation_type` | `gen_ai.operation.name` (spans without it are ignored, not errors) |
/// | `timestamp` | the span's start |
/// | `execution_time_ms` | end − start |
/// | `tokens_used` | `gen_ai.usage.input_tokens` (or `prompt_tokens`) + `output_tokens` (or `completion_tokens`) |
/// | `input_tokens`, `output_tokens` | the same two, kept apart |
/// | `cached_input_tokens` | `gen_ai.usage.cache_read.input_tokens` (or `cache_read_input_tokens`), part of the input tokens |
/// | `model` | `gen_ai.response.model`, else `gen_ai.request.model` |
/// | `success` | the status is not ERROR and there is no `error.type` |
/// | `error_message` | the status message, else `error.type` |
/// | `quality_score` | `qualityAttribute` (`gen_ai.evaluation.score`), when present |
/// | `cost_usd` | `gen_ai.usage.cost`; without it the writer prices the tokens by the model's price in the rules' price table (unknown model: 0); without a model either, 0 and the span is counted as unpriced |
/// | `event_id` | trace id + span id in hex (an exporter's retry stores nothing twice) |
public struct GenAIMapping: Sendable {
    public var roleAttribute: String
    public var qualityAttribute: String

    public init(roleAttribute: String = "gen_ai.agent.role", qualityAttribute: String = "gen_ai.evaluation.score") {
        self.roleAttribute = roleAttribute
        self.qualityAttribute = qualityAttribute
    }

    /// What became of one span.
    public enum Outcome: Sendable, Equatable {
        /// Not a GenAI operation (no `gen_ai.operation.name`): counted, not an error.
        case ignored
        /// A metric of `agent` (a name; registered with `role` when unknown). `metric` is the
        /// contract's JSON metric without `agent_id`; `priced` is false when neither a cost nor a
        /// model to price came with it.
        case metric(agent: String, role: String, metric: JSONObject, priced: Bool)
        /// The span cannot be a metric: the reason, for the partial-success message.
        case rejected(String)
    }

    public func map(_ span: TraceSpan) -> Outcome {
        guard let operation = span.attributes["gen_ai.operation.name"] else { return .ignored }
        guard case .string(let operationType) = operation else {
            return .rejected("span \(Self.hex(span.spanID)): gen_ai.operation.name must be a string")
        }
        guard !span.traceID.isEmpty, !span.spanID.isEmpty else {
            return .rejected("a span of operation \(operationType) has no trace id or span id")
        }
        let id = Self.hex(span.spanID)
        let agent: String
        switch Self.string(span.attributes["gen_ai.agent.id"]) ?? Self.string(span.attributes["gen_ai.agent.name"])
            ?? Self.string(span.resource["service.name"])
        {
        case let name? where !name.isEmpty: agent = name
        default: return .rejected("span \(id): no gen_ai.agent.id, gen_ai.agent.name or service.name")
        }
        let role =
            Self.string(span.attributes[roleAttribute]) ?? Self.string(span.resource["service.namespace"]) ?? "unknown"
        guard span.endTimeUnixNano >= span.startTimeUnixNano, span.startTimeUnixNano > 0 else {
            return .rejected("span \(id): it ends before it starts, or has no start time")
        }
        var metric: JSONObject = [
            "event_id": .string(Self.hex(span.traceID) + Self.hex(span.spanID)),
            "operation_type": .string(operationType),
            "timestamp": .string(UTCTime.formatISO8601(Int64(span.startTimeUnixNano / 1_000))),
            "execution_time_ms": .double(Double(span.endTimeUnixNano - span.startTimeUnixNano) / 1_000_000),
            "api_calls": 1,
        ]
        var tokens: Int64 = 0
        var split: [String: Int64] = [:]
        for (names, field) in [
            (["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens"], "input_tokens"),
            (["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens"], "output_tokens"),
            (["gen_ai.usage.cache_read.input_tokens", "gen_ai.usage.cache_read_input_tokens"], "cached_input_tokens"),
        ] {
            guard let name = names.first(where: { span.attributes[$0] != nil }) else { continue }
            guard case .int(let count) = span.attributes[name]!, count >= 0 else {
                return .rejected("span \(id): \(name) must be a non-negative integer")
            }
            split[field] = count
            guard field != "cached_input_tokens" else { continue }
            let (sum, overflow) = tokens.addingReportingOverflow(count)
            guard !overflow else { return .rejected("span \(id): too many tokens") }
            tokens = sum
        }
        metric["tokens_used"] = .int(tokens)
        let model: String?
        switch span.attributes["gen_ai.response.model"] ?? span.attributes["gen_ai.request.model"] {
        case nil: model = nil
        case .string(let name)?: model = name
        default: return .rejected("span \(id): gen_ai.response.model and gen_ai.request.model must be strings")
        }
        if let model {
            metric["model"] = .string(model)
            metric["input_tokens"] = .int(split["input_tokens"] ?? 0)
            metric["output_tokens"] = .int(split["output_tokens"] ?? 0)
            metric["cached_input_tokens"] = .int(split["cached_input_tokens"] ?? 0)
        } else {
            for (field, count) in split { metric[field] = .int(count) }
        }
        let errorType = Self.string(span.attributes["error.type"])
        let failed = span.statusCode == 2 || errorType != nil
        metric["success"] = .bool(!failed)
        if failed {
            let message = span.statusMessage.isEmpty ? errorType : span.statusMessage
            if let message { metric["error_message"] = .string(message) }
        }
        if let quality = span.attributes[qualityAttribute] {
            guard let value = Self.number(quality) else {
                return .rejected("span \(id): \(qualityAttribute) must be a number")
            }
            metric["quality_score"] = .double(value)
        }
        var priced = false
        if let cost = span.attributes["gen_ai.usage.cost"] {
            guard let value = Self.number(cost) else {
                return .rejected("span \(id): gen_ai.usage.cost must be a number")
            }
            metric["cost_usd"] = .double(value)
            priced = true
        } else if model != nil {
            priced = true  // by the writer, from the price table
        } else {
            metric["cost_usd"] = 0
        }
        return .metric(agent: agent, role: role, metric: metric, priced: priced)
    }

    static func string(_ value: AttributeValue?) -> String? {
        if case .string(let s)? = value { return s }
        return nil
    }

    static func number(_ value: AttributeValue) -> Double? {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return nil
        }
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
