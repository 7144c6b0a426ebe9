import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

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
