import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/admin`: the rules document, evaluations, the projection rebuild and retention.
struct AdminController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        let v1 = ReadEndpoint.v1
        let service = api.service
        routes.on(.get, "\(v1)/admin/rules", "The rules document in force") { r, _ in
            try api.get(r) { p, _ throws(APIError) in
                [
                    "success": true,
                    "data": .object(["version": .int(p.ingestion.rulesVersion), "rules": p.rules.document]),
                ]
            }
        }
        routes.on(.put, "\(v1)/admin/rules", "Replace the rules document (validated; appended as RulesChanged)") {
            r, _ in try await api.putRules(r)
        }
        routes.on(.get, "\(v1)/admin/prices", "The model price table in force (the rules' prices section)") { r, _ in
            try api.get(r) { p, _ throws(APIError) in
                [
                    "success": true,
                    "data": .object(["version": .int(p.ingestion.rulesVersion), "prices": p.rules.prices.document]),
                ]
            }
        }
        routes.on(
            .put, "\(v1)/admin/prices",
            "Replace the model price table ({\"prices\": …}; the other rules stay; appended as RulesChanged)"
        ) { r, _ in try await api.putPrices(r) }
        routes.on(.post, "\(v1)/admin/rebuild", "Rebuild the projections from the log beside the live ones and switch")
        {
            _, _ in
            let outcome = try await service.rebuildProjection()
            return api.json(
                .object([
                    "success": true,
                    "data": .object([
                        "events": .int(Int64(outcome.events)), "identical": .bool(outcome.identical),
                        "seconds": .double(outcome.seconds),
                    ]),
                ]), status: .ok)
        }
        routes.on(.post, "\(v1)/admin/evaluate", "Run the alert evaluation of §4 at an instant") { r, _ in
            try await api.evaluate(r)
        }
        routes.on(
            .post, "\(v1)/admin/retention", "Archive and remove metric events older than the retention (monthly job)"
        ) { r, _ in try await api.retention(r) }
    }
}

extension API {
    func putRules(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxRulesBodyBytes)
        let rules: Rules
        do {
            rules = try Rules(json: body)
        } catch {
            throw APIError.validation(error.field, error.message)
        }
        let document = rules.document
        let version = try await write { state, _ in
            let version = state.rulesVersion + 1
            return ([(.rulesChanged(RulesChanged(version: version, document: document.jsonString)), nil)], version)
        }
        return json(
            object: ["success": true, "data": .object(["version": .int(version), "rules": document])], status: .ok)
    }

    /// `PUT /admin/prices`: a new price table in the rules in force (decided in the writer, so two
    /// concurrent rule changes cannot undo each other).
    func putPrices(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxRulesBodyBytes)
        guard let object = body.objectValue, object.count == 1, let section = object["prices"] else {
            throw APIError.validation("prices", "the body must be {\"prices\": {model: price or [dated prices]}}")
        }
        let prices: PriceTable
        do {
            prices = try PriceTable(json: section)
        } catch {
            throw APIError.validation(error.field, error.message)
        }
        let (version, table) = try await write { state, _ in
            var rules = state.rules
            rules.prices = prices
            let version = state.rulesVersion + 1
            let change = RulesChanged(version: version, document: rules.document.jsonString)
            return ([(.rulesChanged(change), nil)], (version, prices.document))
        }
        return json(
            object: ["success": true, "data": .object(["version": .int(version), "prices": table])], status: .ok)
    }

    func evaluate(_ request: Request) async throws -> Response {
        var requestedAsOf = now()
        if let body = try await Body.optionalJSON(request, limit: limits.maxSmallBodyBytes) {
            guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
            if let raw = object["as_of"], !raw.isNull {
                guard let text = raw.stringValue, let t = APITime.parse(text) else {
                    throw APIError.validation(
                        "as_of", "as_of must be an ISO-8601 UTC time, \(APITime.rangeDescription)")
                }
                try APITime.requireNotFuture(t, now: requestedAsOf, field: "as_of")
                requestedAsOf = t
            }
        }
        let asOf = requestedAsOf
        let events = try await service.evaluate(asOf: asOf)
        var raised: Int64 = 0
        var resolved: Int64 = 0
        for event in events {
            if case .alertRaised = event { raised += 1 }
            if case .alertResolved = event { resolved += 1 }
        }
        return json(
            object: [
                "success": true,
                "data": .object([
                    "as_of": .string(UTCTime.formatISO8601(asOf)), "alerts_raised": .int(raised),
                    "alerts_resolved": .int(resolved),
                ]),
            ], status: .ok)
    }
}

extension API {
    /// `POST /api/v1/admin/retention {"as_of": …}`: runs the retention job now (as the monthly
    /// schedule does) and answers what it removed.
    func retention(_ request: Request) async throws -> Response {
        var asOf = now()
        if let body = try await Body.optionalJSON(request, limit: limits.maxSmallBodyBytes) {
            guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
            for key in object.keys where key != "as_of" {
                throw APIError.validation(key, "unknown field \(key); the body takes only as_of")
            }
            if let raw = object["as_of"], !raw.isNull {
                guard let text = raw.stringValue, let t = APITime.parse(text) else {
                    throw APIError.validation("as_of", "as_of must be an ISO-8601 UTC time")
                }
                try APITime.requireNotFuture(t, now: asOf, field: "as_of")
                asOf = t
            }
        }
        let report = try await service.applyRetention(asOf: asOf)
        return json(object: ["success": true, "data": .object(report.json)], status: .ok)
    }
}

extension RetentionReport {
    var json: JSONObject {
        [
            "as_of": .string(UTCTime.formatISO8601(asOf)),
            "metric_cutoff": .string(UTCTime.formatISO8601(metricCutoff)),
            "rollup_cutoff": .string(UTCTime.formatISO8601(rollupCutoff)),
            "marker_sequence": markerSequence.map { .int(Int64($0)) } ?? .null,
            "removed_events": .int(Int64(removedEvents)),
            "archive": archive.map { .string($0) } ?? .null,
            "archive_bytes": .int(Int64(archiveBytes)),
        ]
    }
}
