import APIContract
import FleetServices
import Hummingbird
import Utilities

/// Reads and validates the JSON body of a request.
enum Body {
    static func json(_ request: Request, limit: Int) async throws -> JSONValue {
        try parse(await collect(request, limit: limit))
    }

    static func optionalJSON(_ request: Request, limit: Int) async throws -> JSONValue? {
        let buffer = try await collect(request, limit: limit)
        if buffer.readableBytes == 0 { return nil }
        return try parse(buffer)
    }

    /// The body, or 413 `payload_too_large` as soon as it passes `limit` bytes (without reading
    /// the rest). `RequestBody.collect(upTo:)` would throw an error the envelope turns into a 500.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        // A declared length over the limit is refused at once, before any of the body is read.
        if let declared = request.headers[.contentLength], let length = Int(declared), length > limit {
            throw APIError(.contentTooLarge, "payload_too_large", "the request body is larger than \(limit) bytes")
        }
        var buffer = ByteBuffer()
        for try await chunk in request.body {
            guard chunk.readableBytes <= limit - buffer.readableBytes else {
                throw APIError(
                    .contentTooLarge, "payload_too_large", "the request body is larger than \(limit) bytes")
            }
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
        return buffer
    }

    private static func parse(_ buffer: ByteBuffer) throws -> JSONValue {
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw APIError.invalidBody("the body is not valid JSON: \(error)")
        }
    }
}
