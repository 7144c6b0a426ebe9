import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// The service itself: liveness and the Prometheus exposition.
struct ServiceController: APIController {
    let api: API
    let metrics: ServiceMetrics

    func addRoutes(to routes: inout RouteCollection) {
        routes.on(.get, "/healthz", "Liveness: the log head and projection position") { _, _ in api.health() }
        routes.on(.get, "/metrics", "Prometheus exposition of the service's own metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            let bytes = metrics.exposition(service: api.service, topAgents: api.limits.prometheusAgents)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }
}

extension API {
    func health() -> Response {
        let sequence = service.read { $0.sequence }
        var body: JSONObject = [
            "success": true, "status": "ok", "log_head": .int(Int64(service.log.head)),
            "projection_sequence": .int(Int64(sequence)),
        ]
        if let membership = service.membership {
            // A node of a cluster: what it is, and where it is in the log.
            body["role"] = .string(membership.role.rawValue)
            body["node"] = .string(membership.settings.advertisedAddress)
        }
        return json(.object(body), status: .ok)
    }
}
