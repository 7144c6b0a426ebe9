import APIContract
import EventLog
import FleetServices
import Hummingbird
import OTLPTraces
import Projections
import SwiftProtobuf
import Utilities

/// `POST /v1/traces`: the OTLP/HTTP traces receiver. Spans with `gen_ai.operation.name` become
/// metrics (`GenAIMapping`), through the same validation and the same writer decisions as
/// `POST /api/v1/metrics`; agents seen for the first time are registered.
struct TraceController: APIController {
    let api: API
    let metrics: ServiceMetrics

    func addRoutes(to routes: inout RouteCollection) {
        routes.on(.post, "/v1/traces", "OTLP/HTTP traces (protobuf or JSON, gzip): GenAI spans become metrics") {
            [metrics] r, _ in
            try await api.exportTraces(r, metrics: metrics)
        }
    }
}

/// How an OTLP request is encoded; the answer uses the same.
enum OTLPEncoding {
    case protobuf
    case json

    var contentType: String {
        switch self {
        case .protobuf: return "application/x-protobuf"
        case .json: return "application/json"
        }
    }
}

extension API {
    func exportTraces(_ request: Request, metrics: ServiceMetrics) async throws -> Response {
        let declared = (request.headers[.contentType] ?? "").lowercased()
        let encoding: OTLPEncoding
        if declared.hasPrefix("application/x-protobuf") || declared.hasPrefix("application/protobuf") {
            encoding = .protobuf
        } else if declared.hasPrefix("application/json") {
            encoding = .json
        } else {
            return otlpStatus(
                .unsupportedMediaType, "Content-Type must be application/x-protobuf or application/json", .json)
        }
        let spans: [TraceSpan]
        do {
            var bytes = Array(try await Body.collect(request, limit: limits.maxBodyBytes).readableBytesView)
            switch (request.headers[.contentEncoding] ?? "identity").lowercased() {
            case "gzip": bytes = try TraceDecoding.gunzip(bytes, limit: limits.maxBodyBytes)
            case "identity": break
            case let other:
                return otlpStatus(
                    .unsupportedMediaType, "Content-Encoding \(other) is not supported (gzip is)", encoding)
            }
            spans = try encoding == .protobuf ? TraceDecoding.protobuf(bytes) : TraceDecoding.json(bytes)
        } catch let error as TraceDecodingError {
            switch error {
            case .tooLarge(let message): return otlpStatus(.contentTooLarge, message, encoding)
            case .malformed(let message): return otlpStatus(.badRequest, message, encoding)
            }
        } catch let error as APIError where error.status == .contentTooLarge {
            return otlpStatus(.contentTooLarge, error.message, encoding)
        }

        let mapping = limits.spanMapping
        var reasons: [String] = []
        var rejected = 0
        var mapped: [(agent: String, role: String, metric: JSONObject, priced: Bool)] = []
        var ignored = 0
        for span in spans {
            switch mapping.map(span) {
            case .ignored: ignored += 1
            case .rejected(let reason):
                rejected += 1
                reasons.append(reason)
            case .metric(let agent, let role, let metric, let priced):
                mapped.append((agent, role, metric, priced))
            }
        }
        var stored = 0
        var duplicates = 0
        var unpriced = 0
        var unknownModels: [String] = []
        do {
            if !mapped.isEmpty {
                let ids = try await agentIDs(for: mapped.map { ($0.agent, $0.role) })
                let now = self.now()
                let known = service.read { Set($0.agents.keys) }
                let items = mapped.map { entry -> Result<Ingestion.MetricSubmission, IngestionError> in
                    var metric = entry.metric
                    metric["agent_id"] = .int(ids[entry.agent]!)
                    return MetricValidation.parse(.object(metric), now: now, knownAgent: { known.contains($0) })
                }
                let eventIDs = items.compactMap { (try? $0.get())?.eventID }
                let (outcomes, unknown) = try await write(eventIDs: eventIDs) { state, context in
                    let (events, outcomes) = try Ingestion.recordMetrics(
                        items, state: state, nextSequence: context.nextSequence,
                        existingSequence: { try context.existingSequence(forEventID: $0) })
                    let unknown = Ingestion.createdMetrics(events: events, outcomes: outcomes).values.compactMap {
                        $0.usage?.pricing == .unknownModel ? $0.usage?.model : nil
                    }
                    return (events.map { ($0.event, $0.eventID) }, (outcomes, unknown))
                }
                unknownModels = unknown
                for (index, outcome) in outcomes.enumerated() {
                    switch outcome {
                    case .created:
                        stored += 1
                        if !mapped[index].priced { unpriced += 1 }
                    case .duplicate: duplicates += 1
                    case .rejected(let field, let message):
                        rejected += 1
                        let id = mapped[index].metric["event_id"]?.stringValue ?? "?"
                        reasons.append("span \(id): \(field.isEmpty ? "" : field + ": ")\(message)")
                    }
                }
            }
        } catch let error as EventLogError where APIError(error).status == .serviceUnavailable {
            var response = otlpStatus(.serviceUnavailable, "the log cannot take writes right now: \(error)", encoding)
            response.headers[.retryAfter] = "1"
            return response
        }
        metrics.recordSpans(
            stored: stored, duplicate: duplicates, ignored: ignored, rejected: rejected, unpriced: unpriced)
        metrics.recordUnknownModels(unknownModels.count)
        var answer = Otlp_ExportTraceServiceResponse()
        // The first reasons for rejections, then the models without a price: those spans are
        // stored (cost 0), so a partial success with only them rejects nothing (a warning).
        var message = Array(reasons.prefix(3))
        if !unknownModels.isEmpty {
            let names = Set(unknownModels).sorted()
            message.append(
                "\(unknownModels.count) span(s) stored with cost 0: no price in the price table for model "
                    + names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : ""))
        }
        if !message.isEmpty {
            var partial = Otlp_ExportTracePartialSuccess()
            partial.rejectedSpans = Int64(rejected)
            partial.errorMessage = message.joined(separator: "; ")
            answer.partialSuccess = partial
        }
        return otlpAnswer(answer, encoding)
    }

    /// The id of each agent named, registering the ones never seen (one writer request each).
    private func agentIDs(for agents: [(name: String, role: String)]) async throws -> [String: Int64] {
        var ids = service.read { projection in
            Dictionary(projection.agents.values.map { ($0.name, $0.id) }, uniquingKeysWith: { first, _ in first })
        }
        for (name, role) in agents where ids[name] == nil {
            do {
                let agent = try await write { state, _ in
                    let (events, outcome) = try Ingestion.registerAgent(id: nil, name: name, role: role, state: state)
                    return (events.map { ($0, nil) }, outcome)
                }
                switch agent {
                case .created(let a), .unchanged(let a): ids[name] = a.id
                }
            } catch let error as IngestionError {
                // Registered meanwhile with another role: that agent it is.
                guard case .conflict = error,
                    let id = service.read({ p in p.agents.values.first { $0.name == name }?.id })
                else { throw error }
                ids[name] = id
            }
        }
        return ids
    }

    private func otlpAnswer(_ message: Otlp_ExportTraceServiceResponse, _ encoding: OTLPEncoding) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = encoding.contentType
        let bytes: [UInt8]
        switch encoding {
        case .protobuf:
            bytes = (try? message.serializedBytes()) ?? []
        case .json:
            var object: JSONObject = [:]
            if message.hasPartialSuccess {
                object["partialSuccess"] = .object([
                    "rejectedSpans": .string(String(message.partialSuccess.rejectedSpans)),
                    "errorMessage": .string(message.partialSuccess.errorMessage),
                ])
            }
            bytes = JSONValue.object(object).serialized()
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// An error answer as OTLP/HTTP wants it: a `google.rpc.Status` in the request's encoding.
    private func otlpStatus(_ status: HTTPResponse.Status, _ message: String, _ encoding: OTLPEncoding) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = encoding.contentType
        var rpc = Otlp_RPCStatus()
        // google.rpc.Code: INVALID_ARGUMENT 3, RESOURCE_EXHAUSTED 8, UNAVAILABLE 14.
        rpc.code = status == .serviceUnavailable ? 14 : status == .contentTooLarge ? 8 : 3
        rpc.message = message
        let bytes: [UInt8]
        switch encoding {
        case .protobuf: bytes = (try? rpc.serializedBytes()) ?? []
        case .json: bytes = JSONValue.object(["code": .int(Int64(rpc.code)), "message": .string(message)]).serialized()
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
