import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Projections
import TestSupport
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a client sends that the router test client cannot (malformed framing, a lying
/// `Content-Length`, HTTP/1.0, bytes that are not HTTP), over a real socket to a live server.
@Suite("HTTP hygiene over a socket")
struct HTTPHygieneTests {
    typealias H = ServerHarness

    /// Runs `body` with the port of a live server over a fresh service.
    static func withLiveServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await H.withService("hygiene") { service, _ in
            var configuration = ServiceConfiguration()
            configuration.scheduler = false
            configuration.port = 0
            var logger = Logger(label: "hygiene-tests")
            logger.logLevel = .critical
            let app = buildApplication(service: service, configuration: configuration, logger: logger)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                try await body(port)
            }
        }
    }

    /// A blocking TCP connection to 127.0.0.1 (its calls run on a thread of their own).
    final class Connection: Sendable {
        let fd: Int32

        init(port: Int) throws {
            let fd = try Loopback.socket()
            guard Loopback.withAddress(port: port, { connect(fd, $0, $1) }) == 0 else {
                _ = Foundation.close(fd)
                throw Loopback.Failure(call: "connect")
            }
            self.fd = fd
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return }
                sent += n
            }
        }

        /// Reads one response (head, and a body of its `Content-Length`); with `untilClose`, reads
        /// on until the server closes and says whether it did.
        func readResponse(untilClose: Bool = false) async -> (status: Int, body: String, closed: Bool) {
            await onOwnThread { [fd] in
                var data: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65_536)
                func more() -> Bool {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n > 0 { data += buffer[..<n] }
                    return n > 0
                }
                var open = true
                var headEnd: Int?
                while headEnd == nil, open {
                    open = more()
                    headEnd = data.indices.dropLast(3).first { data[$0..<$0 + 4] == [13, 10, 13, 10] }
                }
                guard let headEnd else { return (0, "", true) }
                let head = String(decoding: data[..<headEnd], as: UTF8.self)
                let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
                let length =
                    head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while open, data.count < headEnd + 4 + length { open = more() }
                let body = String(decoding: data[(headEnd + 4)...].prefix(length), as: UTF8.self)
                if untilClose { while open { open = more() } }
                return (status, body, !open)
            }
        }

        func close() { _ = Foundation.close(fd) }
    }

    static let metricsHead = "POST /api/v1/metrics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"

    @Test("malformed chunked framing answers 400 in the error envelope, never 500")
    func malformedChunks() async throws {
        try await Self.withLiveServer { port in
            for (name, request) in [
                ("huge chunk size", Self.metricsHead + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nx\r\n"),
                ("negative chunk size", Self.metricsHead + "Transfer-Encoding: chunked\r\n\r\n-1a\r\nx\r\n"),
                (
                    "unknown transfer coding",
                    Self.metricsHead + "Transfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                ),
            ] {
                let connection = try Connection(port: port)
                defer { connection.close() }
                connection.send(request)
                let answer = await connection.readResponse()
                #expect([400, 501].contains(answer.status), "\(name): \(answer.status) \(answer.body)")
                #expect(answer.body.contains(#""success":false"#), "\(name): \(answer.body)")
            }
        }
    }

    @Test("a declared Content-Length over the limit is refused with 413 before the body arrives")
    func contentLengthFromTheHeader() async throws {
        try await Self.withLiveServer { port in
            let connection = try Connection(port: port)
            defer { connection.close() }
            connection.send(Self.metricsHead + "Content-Length: 100000000\r\n\r\n{\"metrics\"")
            // Only 10 bytes of the 100 MB were sent: the answer cannot have waited for the rest.
            let answer = await connection.readResponse()
            #expect(answer.status == 413)
            #expect(answer.body.contains("payload_too_large"))
        }
    }

    @Test("HTTP/1.0 without keep-alive: the connection closes after the answer")
    func http10Closes() async throws {
        try await Self.withLiveServer { port in
            let connection = try Connection(port: port)
            defer { connection.close() }
            connection.send("GET /healthz HTTP/1.0\r\n\r\n")
            let answer = await connection.readResponse(untilClose: true)
            #expect(answer.status == 200)
            #expect(answer.closed)
        }
    }

    @Test("bytes that are not HTTP get a 400 with the error envelope")
    func notHTTP() async throws {
        try await Self.withLiveServer { port in
            let connection = try Connection(port: port)
            defer { connection.close() }
            connection.send("THIS IS NOT HTTP\r\n\r\n")
            let answer = await connection.readResponse()
            #expect(answer.status == 400)
            let envelope = try JSONParser.parse(Array(answer.body.utf8))
            #expect(envelope["success"] == false)
            #expect(envelope["error"]?["code"]?.stringValue == "invalid_body")
        }
    }
}
