import APIContract
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Projections
import Utilities

/// What is POSTed for one transition: `{"text", "transition", "alert"}`.
struct WebhookMessage: Sendable {
    let alertID: Int64
    /// The log sequence of the transition.
    let position: UInt64
    let status: String
    let text: String
    let body: [UInt8]
    /// The API's alert object, and the transition in words (`raised`, `resolved (budget_changed)`).
    let alert: JSONValue
    let transitionText: String
    /// The transition alone: `raised`, `acknowledged by ana`, `resolved (budget_changed)`.
    let transitionWords: String

    var idempotencyKey: String { "alert-\(alertID)-\(position)" }

    /// `record` and `alert` (the API's alert object) are the alert's current state.
    init(event: DomainEvent, sequence: UInt64, record: AlertRecord, alert: JSONValue) {
        let transition =
            record.history.first { $0.position == sequence }
            ?? AlertBook.transition(for: event, sequence: sequence)?.1
            ?? AlertTransition(status: .active, at: 0, by: nil, note: nil, reason: nil, position: sequence)
        alertID = record.raised.alertID
        position = sequence
        status = transition.status.rawValue
        text = Self.text(transition: transition, raised: record.raised)
        self.alert = alert
        transitionWords = Self.what(transition)
        transitionText = transitionWords + " at " + UTCTime.formatISO8601(transition.at)
        let transitionJSON = transition.contractData
        body = JSONValue.object(["text": .string(text), "transition": transitionJSON, "alert": alert]).serialized()
    }

    /// The Slack-style one-line summary, e.g.
    /// `:rotating_light: [critical] Budget alert: coder at 100.4% utilization ($30.12/$30.00) — raised`.
    static func text(transition: AlertTransition, raised: AlertRaised) -> String {
        let severity = raised.severity
        let emoji: String
        switch transition.status {
        case .active:
            switch severity {
            case "critical": emoji = ":rotating_light:"
            case "warning": emoji = ":warning:"
            default: emoji = ":information_source:"
            }
        case .acknowledged: emoji = ":eyes:"
        case .resolved: emoji = ":white_check_mark:"
        }
        let what = Self.what(transition)
        let line = "[\(severity)] \(raised.message) — \(what)"
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        return "\(emoji) \(slackEscaped(line))"
    }

    /// The transition in words: `raised`, `acknowledged by ana`, `resolved (budget_changed)`.
    static func what(_ transition: AlertTransition) -> String {
        var what: String
        switch transition.status {
        case .active: what = "raised"
        case .acknowledged:
            what = "acknowledged"
            if let by = transition.by, !by.isEmpty { what += " by \(by)" }
        case .resolved:
            what = "resolved"
            if let by = transition.by, !by.isEmpty { what += " by \(by)" }
            if let reason = transition.reason, reason != ResolutionReason.manual.rawValue { what += " (\(reason))" }
        }
        return what
    }

    /// Slack's escaping of `&`, `<` and `>` in message text.
    static func slackEscaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Why a POST did not get an answer.
enum WebhookDeliveryError: Error, CustomStringConvertible {
    case timedOut

    var description: String {
        switch self {
        case .timedOut: return "timed out"
        }
    }
}

/// A JSON POST client over AsyncHTTPClient: one client per target (its own connection pool on the
/// shared event loops), a deadline on the whole request, cancelled with the task that runs it.
final class WebhookClient: Sendable {
    let url: URL
    let timeout: Duration
    private let client: HTTPClient

    init(url: URL, timeout: Duration, connectTimeout: Duration) {
        self.url = url
        self.timeout = timeout
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: Self.timeAmount(connectTimeout))
        // The outbox retries with its own backoff (and logs each failure): a refused connection
        // fails the attempt at once instead of being retried inside the client until the timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// POSTs `body` as JSON; returns the status code.
    func post(_ body: [UInt8], idempotencyKey: String) async throws -> Int {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "metrics-service")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: Self.timeAmount(timeout))
            // The body is not needed; read (and drop) at most a little of it.
            _ = try? await response.body.collect(upTo: 64 << 10)
            return Int(response.status.code)
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw WebhookDeliveryError.timedOut
        }
    }

    func invalidate() async {
        try? await client.shutdown()
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// A description of a delivery error that never includes the URL (it may carry a secret).
    static func describe(_ error: any Error) -> String {
        if let error = error as? WebhookDeliveryError { return error.description }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timed out"
            case .remoteConnectionClosed: return "connection lost"
            case .cancelled: return "cancelled"
            default: return "HTTP client error"
            }
        }
        if error is NIOConnectionError || error is IOError { return "connection refused or unreachable" }
        return "\(type(of: error))"
    }
}
