import EventLog
public import HTTPTypes
import Projections
import Utilities

/// An error answer in the contract's envelope (§1):
/// `{"success": false, "error": {"code", "message", "field"}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// The methods a 405 names in its `Allow` header.
    public var allow: String?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public static func invalidParameter(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, "invalid_parameter", message, field: field)
    }

    public static func validation(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, "validation_failed", message, field: field)
    }

    public static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    public static func invalidBody(_ message: String) -> APIError { APIError(.badRequest, "invalid_body", message) }

    public var body: JSONValue {
        .object([
            "success": false,
            "error": .object(["code": .string(code), "message": .string(message), "field": .optional(field)]),
        ])
    }

    public init(_ error: QueryError) {
        switch error {
        case .notFound(let message): self = .notFound(message)
        case .invalidParameter(let field, let message): self = .invalidParameter(field, message)
        }
    }

    /// An event log failure: 503 `unavailable` when the log cannot take writes for now (its
    /// storage is full or failing, it is closed) and is unchanged, so a retry can succeed;
    /// anything else is 500 without internals.
    public init(_ error: EventLogError) {
        switch error {
        case .storageFull, .storageFailed, .unavailable, .writerLockHeld, .closed, .writerBusy:
            self = APIError(.serviceUnavailable, "unavailable", "the event log cannot take writes right now: \(error)")
        default:
            self = APIError(.internalServerError, "internal", "the service failed to answer this request")
        }
    }

    public init(_ error: IngestionError) {
        switch error {
        case .notFound(let message): self = .notFound(message)
        case .conflict(let message): self = APIError(.conflict, "conflict", message)
        case .validation(let field, let message): self = .validation(field, message)
        }
    }
}
