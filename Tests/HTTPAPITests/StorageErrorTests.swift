import Foundation
import Hummingbird
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import EventLog
@testable import FleetServices
@testable import HTTPAPI

/// A full disk (or a failing one) answers 503 `unavailable` in the contract's envelope, leaves
/// the log and the projections as they were, and writes succeed again once space returns.
@Suite("Storage errors")
struct StorageErrorTests {
    typealias H = ServerHarness

    @Test("a full or failing log maps to 503 unavailable; other log errors to a bare 500")
    func mapping() throws {
        let full = APIError(EventLogError.storageFull(operation: "txn_commit", code: ENOSPC, message: "No space left"))
        #expect(full.status == .serviceUnavailable)
        #expect(full.code == "unavailable")
        #expect(full.message.contains("full") && full.message.contains("nothing of this write was stored"))
        #expect(full.field == nil)
        let body = try JSONParser.parse(String(decoding: full.body.serialized(), as: UTF8.self))
        #expect(body["success"] == false)
        #expect(body["error"]?["code"] == "unavailable")
        #expect(body["error"]?["field"]?.isNull == true)

        let failed = APIError(EventLogError.storageFailed(operation: "txn_commit", code: EIO, message: "I/O error"))
        #expect(failed.status == .serviceUnavailable && failed.code == "unavailable")
        #expect(APIError(EventLogError.closed).status == .serviceUnavailable)

        let damaged = APIError(EventLogError.corruptRecord(sequence: 7, reason: "checksum"))
        #expect(damaged.status == .internalServerError && damaged.code == "internal")
        #expect(!damaged.message.contains("checksum"), "no internals in a 500")
    }

    @Test("a failed commit answers 503, stores nothing, and the next write works")
    func failedCommitOverHTTP() async throws {
        try await H.run { client, service in
            let agent = try await client.post("/api/v1/agents", ["id": 1, "name": "coder", "role": "developer"])
            #expect(agent.status == .created)
            let head = service.log.head

            service.writer.injectedCommitFailures.store(1, ordering: .relaxed)
            let refused = try await client.post("/api/v1/metrics", Self.metric("m-1"))
            #expect(refused.status == .serviceUnavailable, "HTTP \(refused.status.code) \(refused.text)")
            #expect(refused.json?["success"] == false)
            #expect(refused.error?["code"] == "unavailable")
            #expect(refused.error?["message"]?.stringValue?.contains("full") == true)
            #expect(service.log.head == head, "nothing of the refused write is in the log")
            let before = try await client.get("/api/v1/metrics/summary")
            #expect(before.status == .ok)
            #expect(before.data?["last_24h"]?["total_operations"] == 0)

            // The same event id again: stored now, once (the failed attempt left no trace).
            let stored = try await client.post("/api/v1/metrics", Self.metric("m-1"))
            #expect(stored.status == .created, "HTTP \(stored.status.code) \(stored.text)")
            #expect(stored.json?["results"]?[0]?["id"] == .int(Int64(head + 1)))
            let again = try await client.post("/api/v1/metrics", Self.metric("m-1"))
            #expect(again.json?["results"]?[0]?["status"] == "duplicate")
            let after = try await client.get("/api/v1/metrics/summary")
            #expect(after.data?["last_24h"]?["total_operations"] == 1)
            #expect(service.log.head == head + 1)
        }
    }

    @Test("a batch refused on a full disk crosses no budget threshold; the retried batch does, once")
    func budgetDecisionsAfterFailure() async throws {
        try await H.run { client, service in
            _ = try await client.post("/api/v1/agents", ["id": 1, "name": "coder", "role": "developer"])
            let budget = try await client.put(
                "/api/v1/agents/1/budget", ["total_budget_usd": 1.0, "period": "total"])
            #expect(budget.status == .ok)
            let batch: JSONValue = .object(["metrics": .array((0..<3).map { Self.metric("b-\($0)", cost: 0.5) })])
            service.writer.injectedCommitFailures.store(2, ordering: .relaxed)
            for _ in 0..<2 {
                let refused = try await client.post("/api/v1/metrics", batch)
                #expect(refused.status == .serviceUnavailable)
            }
            let alertsBefore = try await client.get("/api/v1/metrics/alerts")
            #expect(alertsBefore.json?["count"] == 0)
            let stored = try await client.post("/api/v1/metrics", batch)
            #expect(stored.status == .created, "HTTP \(stored.status.code) \(stored.text)")
            let alerts = try await client.get("/api/v1/metrics/alerts")
            #expect(alerts.json?["count"] == 2, "one warning and one critical alert, as if nothing had failed")
        }
    }

    static func metric(_ eventID: String, cost: Double = 0.01) -> JSONValue {
        .object([
            "event_id": .string(eventID), "agent_id": 1, "operation_type": "implementation",
            "timestamp": .string(H.iso(H.noon - H.hour)), "execution_time_ms": 100, "tokens_used": 10,
            "success": true, "cost_usd": .double(cost),
        ])
    }
}
