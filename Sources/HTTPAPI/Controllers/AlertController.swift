import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/metrics/alerts`: the alert list, one alert and its history, acknowledge and resolve.
struct AlertController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        routes.read(.alerts, api)
        routes.read(.alert, api)
        routes.read(.alertHistory, api)
        routes.on(.put, "\(ReadEndpoint.v1)/metrics/alerts/{id}/acknowledge", "Acknowledge an alert") { r, c in
            try await api.transition(r, c, acknowledge: true)
        }
        routes.on(.put, "\(ReadEndpoint.v1)/metrics/alerts/{id}/resolve", "Resolve an alert") { r, c in
            try await api.transition(r, c, acknowledge: false)
        }
    }
}

extension API {
    func transition(_ request: Request, _ context: BasicRequestContext, acknowledge: Bool) async throws -> Response {
        let alertID = try pathID(context, "id")
        var byValue: String?
        var noteValue: String?
        if let body = try await Body.optionalJSON(request, limit: limits.maxSmallBodyBytes) {
            guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
            if let raw = object["by"], !raw.isNull {
                guard let s = raw.stringValue, s.unicodeScalars.count <= 128 else {
                    throw APIError.validation("by", "by must be a string of at most 128 characters")
                }
                byValue = s
            }
            if let raw = object["note"], !raw.isNull {
                guard let s = raw.stringValue, s.unicodeScalars.count <= 2000 else {
                    throw APIError.validation("note", "note must be a string of at most 2,000 characters")
                }
                noteValue = s
            }
        }
        let (by, note) = (byValue, noteValue)
        try await write { state, context in
            let events =
                acknowledge
                ? try Ingestion.acknowledge(alertID: alertID, by: by, note: note, now: context.recordedAt, state: state)
                : try Ingestion.resolve(alertID: alertID, by: by, note: note, now: context.recordedAt, state: state)
            return (events.map { ($0, nil) }, ())
        }
        let body = try service.read { p throws(APIError) in
            try query { () throws(QueryError) in try p.alert(id: alertID).contractJSON }
        }
        return json(object: body, status: .ok)
    }
}
