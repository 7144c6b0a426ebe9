import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/metrics`: ingestion, and the aggregates, statistics and advice of §3.
struct MetricController: APIController {
    let api: API
    let metrics: ServiceMetrics

    func addRoutes(to routes: inout RouteCollection) {
        routes.on(.post, "\(ReadEndpoint.v1)/metrics", "Record one metric or a batch") {
            [metrics] r, _ in try await api.recordMetrics(r, metrics: metrics)
        }
        for endpoint: ReadEndpoint in [
            .timeSeries, .byAgent, .byRole, .percentiles, .trends, .outliers, .costRecommendations, .insights, .summary,
        ] {
            routes.read(endpoint, api)
        }
    }
}

extension API {
    func recordMetrics(_ request: Request, metrics: ServiceMetrics) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxBodyBytes)
        let items: [JSONValue]
        let single: Bool
        if let object = body.objectValue, let batch = object["metrics"] {
            guard let list = batch.arrayValue else { throw APIError.validation("metrics", "metrics must be an array") }
            items = list
            single = false
        } else if body.objectValue != nil {
            items = [body]
            single = true
        } else {
            throw APIError.validation("", "the body must be a metric object or {\"metrics\": [...]}")
        }
        if items.count > limits.maxBatch {
            throw APIError(
                .contentTooLarge, "payload_too_large", "a batch holds at most \(limits.maxBatch) metrics",
                field: "metrics")
        }
        let now = self.now()
        let known = service.read { Set($0.agents.keys) }
        let parsed = items.map { MetricValidation.parse($0, now: now, knownAgent: { known.contains($0) }) }
        if single, case .failure(.validation(let field, let message)) = parsed[0] {
            throw APIError.validation(field, message)
        }
        let eventIDs = parsed.compactMap { (try? $0.get())?.eventID }
        let (outcomes, created) = try await write(eventIDs: eventIDs) { state, context in
            let (events, outcomes) = try Ingestion.recordMetrics(
                parsed, state: state,
                nextSequence: context.nextSequence,
                existingSequence: { try context.existingSequence(forEventID: $0) })
            let priced = Ingestion.createdMetrics(events: events, outcomes: outcomes).filter {
                $0.value.usage?.pricedByTable == true
            }
            return (events.map { ($0.event, $0.eventID) }, (outcomes, priced))
        }
        metrics.recordUnknownModels(created.values.count { $0.usage?.pricing == .unknownModel })
        if single, case .rejected(let field, let message) = outcomes[0] {
            throw APIError.validation(field, message)
        }
        var accepted: Int64 = 0
        var duplicates: Int64 = 0
        var rejected: Int64 = 0
        var results: [JSONValue] = []
        results.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .created(let id):
                accepted += 1
                var result: JSONObject = [
                    "index": .int(Int64(index)), "status": "created", "id": .int(id), "error": nil,
                ]
                // Priced by the writer: the cost it decided, and whether the table knew the model.
                if let metric = created[index], let usage = metric.usage {
                    result["cost_usd"] = .double(Money.usd(metric.costNanos))
                    result["pricing"] = .string(usage.pricing.name)
                }
                results.append(.object(result))
            case .duplicate(let id):
                duplicates += 1
                results.append(
                    .object(["index": .int(Int64(index)), "status": "duplicate", "id": .int(id), "error": nil]))
            case .rejected(let field, let message):
                rejected += 1
                results.append(
                    .object([
                        "index": .int(Int64(index)), "status": "rejected", "id": nil,
                        "error": .object([
                            "code": "validation_failed", "message": .string(message), "field": .string(field),
                        ]),
                    ]))
            }
        }
        let status: HTTPResponse.Status =
            accepted == Int64(outcomes.count) ? .created : .init(code: 207, reasonPhrase: "Multi-Status")
        return json(
            object: [
                "success": true, "accepted": .int(accepted), "duplicates": .int(duplicates), "rejected": .int(rejected),
                "results": .array(results),
            ], status: status)
    }
}
