import NIOCore
import NIOExtras
import NIOPosix

/// Why an SMTP delivery failed (the server's reply, or the connection's fate).
struct SMTPError: Error, CustomStringConvertible {
    let description: String
}

/// A minimal SMTP client (RFC 5321) on SwiftNIO: one connection per message, EHLO (HELO when
/// refused), MAIL FROM, RCPT TO for each recipient, DATA, QUIT; no TLS and no authentication (a
/// local relay). Written here because no SMTP client is among this project's packages; it needs
/// only what alert mail needs.
struct SMTPClient: Sendable {
    let host: String
    let port: Int
    /// The whole conversation must end within it (connect included).
    let timeout: TimeAmount
    let heloName: String

    /// The longest reply line accepted (RFC 5321 allows 512 octets).
    static let maximumLineBytes = 4_096
    /// The most lines of one multi-line reply.
    static let maximumReplyLines = 100

    /// Sends `data` (headers, body, the final `CRLF.CRLF`) from `from` to `to`.
    func send(from: String, to: [String], data: [UInt8]) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        // A deadline on the whole conversation: closing the channel ends the reads below.
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> (code: Int, text: String) {
                var text: [String] = []
                for _ in 0..<Self.maximumReplyLines {
                    guard var line = try await lines.next() else {
                        throw SMTPError(description: "the server closed the connection (or the deadline passed)")
                    }
                    guard line.readableBytes <= Self.maximumLineBytes,
                        let string = line.readString(length: line.readableBytes)
                    else { throw SMTPError(description: "a reply line is too long") }
                    let trimmed = string.hasSuffix("\r") ? String(string.dropLast()) : string
                    let bytes = Array(trimmed.utf8)
                    guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)) else {
                        throw SMTPError(description: "not an SMTP reply: \(trimmed.prefix(80))")
                    }
                    text.append(String(trimmed.dropFirst(4)))
                    if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return (code, text.joined(separator: " ")) }
                }
                throw SMTPError(description: "a reply of more than \(Self.maximumReplyLines) lines")
            }
            func command(_ line: String, expect: ClosedRange<Int>) async throws -> Int {
                try await outbound.write(ByteBuffer(string: line + "\r\n"))
                let (code, text) = try await reply()
                guard expect.contains(code) else {
                    let verb = line.split(separator: " ").first.map(String.init) ?? line
                    throw SMTPError(description: "\(verb): \(code) \(text.prefix(200))")
                }
                return code
            }
            let greeting = try await reply()
            guard greeting.code == 220 else {
                throw SMTPError(description: "greeting: \(greeting.code) \(greeting.text.prefix(200))")
            }
            do {
                _ = try await command("EHLO \(heloName)", expect: 250...250)
            } catch {
                _ = try await command("HELO \(heloName)", expect: 250...250)
            }
            _ = try await command("MAIL FROM:<\(from)>", expect: 250...250)
            for recipient in to { _ = try await command("RCPT TO:<\(recipient)>", expect: 250...251) }
            _ = try await command("DATA", expect: 354...354)
            try await outbound.write(ByteBuffer(bytes: data))
            let (code, text) = try await reply()
            guard code == 250 else { throw SMTPError(description: "message: \(code) \(text.prefix(200))") }
            // Accepted: a failing QUIT changes nothing.
            _ = try? await command("QUIT", expect: 221...221)
        }
    }
}
