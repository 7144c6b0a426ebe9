import APIContract
import FleetServices
import HTTPTypes
import Hummingbird
import NIOCore

/// In a cluster: a write (any method but GET, HEAD, OPTIONS) that reaches a follower is forwarded
/// to the leader and its answer passed back once this node's projection holds the write's
/// position (read-your-writes on every node); a write that reaches the leader is answered with its
/// log's head after the write in `X-Log-Position`. Outside a cluster this middleware is not added.
struct ClusterMiddleware<Context: RequestContext>: RouterMiddleware {
    let service: FleetService
    let membership: ClusterMembership
    let forwarder: LeaderForwarder
    let maxBodyBytes: Int

    private static func isWrite(_ method: HTTPRequest.Method) -> Bool {
        method != .get && method != .head && method != .options
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard Self.isWrite(request.method) else { return try await next(request, context) }
        if membership.role == .leader {
            var response = try await next(request, context)
            if let name = HTTPField.Name(LeaderForwarder.positionHeader) {
                response.headers[name] = String(service.log.head)
            }
            return response
        }
        let forwardedName = HTTPField.Name(LeaderForwarder.forwardedHeader)!
        guard request.headers[forwardedName] == nil else {
            throw APIError(
                .serviceUnavailable, "unavailable",
                "this node does not lead the cluster right now (leadership is moving); retry shortly")
        }
        let own = membership.settings.advertisedAddress
        guard let leader = try? membership.leaderAddress(), leader != own else {
            throw APIError(
                .serviceUnavailable, "unavailable",
                "no node leads the cluster right now (a failover is under way); retry shortly")
        }
        // 413 in the envelope past the limit (RequestBody.collect(upTo:) would answer 500).
        let body = try await Body.collect(request, limit: maxBodyBytes)
        let answer: LeaderForwarder.Answer
        do {
            answer = try await forwarder.forward(
                to: leader, method: request.method.rawValue, target: request.uri.description,
                headers: request.headers.map { ($0.name.rawName, $0.value) }, body: body, node: own)
        } catch {
            context.logger.warning("forwarding a write to the leader failed", metadata: ["error": "\(error)"])
            throw APIError(
                .serviceUnavailable, "unavailable",
                "the leader did not answer (it may be failing over); nothing is known to be stored, retry shortly")
        }
        if let position = answer.position {
            do {
                try service.follow(to: position)
            } catch {
                context.logger.warning("following the log to a forwarded write failed", metadata: ["error": "\(error)"])
            }
            await service.waitForProjection(atLeast: position)
        }
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: answer.body))
    }
}
