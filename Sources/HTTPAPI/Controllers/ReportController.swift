import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/metrics/reports`: the weekly report.
struct ReportController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        routes.on(
            .get, "\(ReadEndpoint.v1)/metrics/reports/weekly",
            "Weekly report (`week=2025-W46`; `format=markdown` for people)"
        ) { r, _ in try api.weeklyReport(r) }
    }
}

extension API {
    /// `GET /metrics/reports/weekly`: JSON, or Markdown with `format=markdown`.
    func weeklyReport(_ request: Request) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        let asOf = try query.asOf(now: now())
        let weekStart: Int64
        if let text = query.string("week") {
            guard let start = FleetProjection.isoWeekStart(text), APITime.contains(start),
                APITime.contains(start + 7 * UTCTime.microsecondsPerDay)
            else {
                throw APIError.invalidParameter("week", "week must be an ISO week such as 2025-W46")
            }
            weekStart = start
        } else {
            weekStart = UTCTime.isoWeekFloor(asOf) - 7 * UTCTime.microsecondsPerDay  // the last complete week
        }
        let format = query.string("format") ?? "json"
        guard format == "json" || format == "markdown" else {
            throw APIError.invalidParameter("format", "format must be json or markdown")
        }
        let report = service.read { $0.weeklyReport(weekStart: weekStart, asOf: asOf) }
        guard format == "markdown" else {
            return try get(request) { _, _ in report.contractJSON }
        }
        let bytes = Array(report.markdown.utf8)
        var headers = HTTPFields()
        headers[.eTag] = ETag.of(bytes)
        headers[.contentType] = "text/markdown; charset=utf-8"
        if let match = request.headers[.ifNoneMatch], ETag.matches(match, headers[.eTag]!) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
