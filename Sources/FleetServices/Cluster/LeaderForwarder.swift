import AsyncHTTPClient
import NIOCore

/// Forwards a write that reached a follower to the leader, over AsyncHTTPClient (one client, its
/// connection pool on the shared event loops), and hands its answer back as it came.
public final class LeaderForwarder: Sendable {
    /// The header a leader puts on the answer to every write: its log's head after the write, so
    /// the follower answers only once its own projection holds it (read-your-writes on every node).
    public static let positionHeader = "X-Log-Position"
    /// The header a follower puts on a forwarded request: a node that receives one and does not
    /// lead answers 503 instead of forwarding it again (no loops while leadership moves).
    public static let forwardedHeader = "X-Forwarded-By-Node"
    /// The longest a forwarded write may take, end to end.
    public static let timeout = TimeAmount.seconds(30)
    /// The largest answer taken back from the leader, in bytes.
    public static let maximumAnswerBytes = 64 << 20

    /// The leader's answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: ByteBuffer
        /// The leader's log head after the write (from `positionHeader`).
        public var position: UInt64?
    }

    private let client: HTTPClient

    public init() {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(2))
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        try? client.syncShutdown()
    }

    /// Sends the request to `leader` (its base URL) with the same method, target, headers (but
    /// those of the connection) and body.
    public func forward(
        to leader: String, method: String, target: String, headers: [(name: String, value: String)],
        body: ByteBuffer, node: String
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: leader + target)
        request.method = .init(rawValue: method)
        for (name, value) in headers where !Self.hopByHop.contains(name.lowercased()) {
            request.headers.add(name: name, value: value)
        }
        request.headers.add(name: Self.forwardedHeader, value: node)
        request.body = .bytes(body)
        let response = try await client.execute(request, timeout: Self.timeout)
        let answerBody = try await response.body.collect(upTo: Self.maximumAnswerBytes)
        var answerHeaders: [(name: String, value: String)] = []
        var position: UInt64?
        for header in response.headers {
            if header.name.lowercased() == Self.positionHeader.lowercased() { position = UInt64(header.value) }
            if Self.hopByHop.contains(header.name.lowercased()) { continue }
            answerHeaders.append((header.name, header.value))
        }
        return Answer(
            status: Int(response.status.code), headers: answerHeaders, body: answerBody, position: position)
    }

    /// Headers of one connection, not of the request (RFC 9110 §7.6.1), and those the client sets.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "host",
        "content-length",
    ]
}
