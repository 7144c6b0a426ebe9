import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// What every controller's handlers share: the service, the request limits, the response helpers
/// (JSON, ETag and 304), windowed-answer caching, path parameters and the write path.
struct API: Sendable {
    let service: FleetService
    let limits: RequestLimits
    /// The last answers of the windowed reads (percentiles, outliers, insights).
    let windowedAnswers = WindowedAnswerCache()

    func now() -> Int64 { service.clock() }

    // MARK: Responses

    func json(_ body: JSONValue, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }

    func json(object body: JSONObject, status: HTTPResponse.Status) -> Response { json(.object(body), status: status) }

    /// A GET answered from the projection, with an ETag (a hash of the body) and 304 on a match.
    func get(
        _ request: Request, _ answer: (borrowing FleetProjection, QueryParameters) throws(APIError) -> JSONObject
    ) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        let bytes = try service.read { projection throws in try answer(projection, query) }.serializedBytes
        return self.answer(request, bytes)
    }

    /// A 200 with `bytes` and their ETag, or a 304 when `If-None-Match` names the tag.
    func answer(_ request: Request, _ bytes: [UInt8]) -> Response {
        let tag = ETag.of(bytes)
        var headers = HTTPFields()
        headers[.eTag] = tag
        headers[.cacheControl] = "no-cache"
        if let match = request.headers[.ifNoneMatch], ETag.matches(match, tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A windowed read (`ReadEndpoint.windowed`), answered from `windowedAnswers` when the cached
    /// answer is still exact, computed (and remembered) otherwise.
    func getWindowed(_ request: Request, _ context: BasicRequestContext, _ endpoint: ReadEndpoint) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        // One reading of the clock for the window checked and the answer computed.
        let now = self.now()
        let arguments = ReadArguments(pathParameter: { context.parameters.get($0) }, query: query, now: { now })
        let key = WindowedAnswerCache.key(path: request.uri.path, rawQuery: request.uri.query)
        let bytes = try service.readWithGeneration { projection, generation throws -> [UInt8] in
            let window = try query.window(asOf: try arguments.asOf())
            if let cached = windowedAnswers.answer(key: key, window: window, in: projection, generation: generation) {
                return cached
            }
            let bytes = try endpoint.answer(projection, arguments).serializedBytes
            windowedAnswers.store(
                key: key,
                .init(sequence: projection.sequence, generation: generation, window: window, bytes: bytes))
            return bytes
        }
        return answer(request, bytes)
    }

    func query<T>(_ body: () throws(QueryError) -> T) throws(APIError) -> T {
        do { return try body() } catch { throw APIError(error) }
    }

    // MARK: Path parameters

    func pathID(_ context: BasicRequestContext, _ name: String) throws(APIError) -> Int64 {
        try PathParameter.id(context.parameters.get(name), name)
    }

    // MARK: Writes

    func write<R: Sendable>(
        eventIDs: [String] = [],
        _ decide:
            @escaping @Sendable (IngestionState, AppendContext) throws -> (events: [(DomainEvent, String?)], result: R)
    ) async throws -> R {
        // Refusals and log failures reach the one mapping in `ErrorEnvelopeMiddleware`.
        try await service.write(eventIDs: eventIDs, decide)
    }

}

/// Entity tags: a 64-bit FNV-1a hash of the body.
enum ETag {
    static func of(_ bytes: [UInt8]) -> String {
        "\"" + FNV1a64.hex(bytes) + "\""
    }

    static func matches(_ header: String, _ tag: String) -> Bool {
        header == "*"
            || header.split(separator: ",").contains {
                $0.trimmingCharacters(in: " ") == tag || $0.trimmingCharacters(in: " ") == "W/" + tag
            }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
