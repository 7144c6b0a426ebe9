import APIContract
import EventLog
import FleetServices
import Hummingbird
import NIOHTTP1
import Projections
import Utilities

extension APIError: HTTPResponseError {
    /// The envelope as a response.
    public var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        if status == .methodNotAllowed { headers[.allow] = allow ?? "GET, POST, PUT" }
        // Every 503 is a condition that passes (a full queue, a full disk being freed): retry.
        if status == .serviceUnavailable { headers[.retryAfter] = "1" }
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }

    /// `HTTPResponseError`: the envelope, with `Allow` on a 405 and `Retry-After` on a 503.
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}

/// Turns every error into the contract's envelope: unknown routes (404), wrong methods (405),
/// bodies over the limit (413), an event log that cannot take writes (503, e.g. a full disk),
/// everything unexpected (500, without internals).
struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPError {
            switch error.status {
            case .notFound:
                if routes.matchesOtherMethod(path: request.uri.path, method: request.method) {
                    var error = APIError(
                        .methodNotAllowed, "method_not_allowed",
                        "\(request.method) is not allowed on \(request.uri.path)")
                    error.allow = routes.allowHeader(path: request.uri.path)
                    return error.response
                }
                return APIError.notFound("no route for \(request.method) \(request.uri.path)").response
            case .methodNotAllowed:
                var error = APIError(
                    .methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed on \(request.uri.path)")
                error.allow = routes.allowHeader(path: request.uri.path)
                return error.response
            case .contentTooLarge:
                return APIError(.contentTooLarge, "payload_too_large", "the request body is larger than allowed")
                    .response
            case .badRequest:
                return APIError.invalidBody(error.body ?? "bad request").response
            default:
                return APIError(error.status, "internal", error.body ?? "the request failed").response
            }
        } catch let error as HTTPParserError {
            // Malformed framing (a bad chunk size, an unknown transfer coding) or a client that
            // closed mid-body: the client's fault, not the service's.
            context.logger.debug("request body unreadable", metadata: ["error": "\(error)"])
            return APIError.invalidBody("the request body is not valid HTTP/1.1 framing: \(error)").response
        } catch {
            let mapped = APIError(mapping: error)
            if mapped.status.code >= 500 {
                context.logger.error("request failed", metadata: ["error": "\(error)"])
            }
            return mapped.response
        }
    }
}

extension APIError {
    /// The one mapping of the service's errors to the contract's statuses: decisions refused
    /// (404, 409, 422), a maintenance job already running (409), a log that cannot take writes
    /// right now (503, `Retry-After`), and anything unexpected (500, without internals).
    init(mapping error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as IngestionError: self = APIError(error)
        case let error as QueryError: self = APIError(error)
        case let busy as MaintenanceBusy: self = APIError(.conflict, "conflict", "\(busy)")
        case let error as RetentionError:
            self = APIError(.serviceUnavailable, "unavailable", "retention could not run: \(error)")
        case let error as EventLogError: self = APIError(error)
        default: self = APIError(.internalServerError, "internal", "the service failed to answer this request")
        }
    }
}
