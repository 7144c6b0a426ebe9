import Hummingbird
import HummingbirdTesting
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// Points where the contract is more precise than the conformance kit's oracle.
@Suite("Contract readings")
struct ContractReadingTests {
    typealias H = ServerHarness

    static func metric(_ fields: [(String, JSONValue)]) -> JSONValue {
        var object: JSONObject = [
            "agent_id": 1, "operation_type": "work", "timestamp": .string(H.iso(H.noon - H.hour)),
            "execution_time_ms": 10, "success": true, "cost_usd": 0.5,
        ]
        for (key, value) in fields { object[key] = value }
        return .object(object)
    }

    @Test("a lone input_tokens or output_tokens counts the other as 0; 5.0 is the integer 5; 5.5 is not")
    func tokenReadings() async throws {
        try await H.run { client, service in
            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            let onlyInput = try await client.post("/api/v1/metrics", Self.metric([("input_tokens", 120)]))
            #expect(onlyInput.status == .created)
            let onlyOutput = try await client.post("/api/v1/metrics", Self.metric([("output_tokens", 30)]))
            #expect(onlyOutput.status == .created)
            let both = try await client.post(
                "/api/v1/metrics", Self.metric([("input_tokens", 1), ("output_tokens", 2), ("tokens_used", 7)]))
            #expect(both.status == .created, "tokens_used wins when both are given")
            let integral = try await client.post(
                "/api/v1/metrics", Self.metric([("tokens_used", 5.0), ("api_calls", 2.0)]))
            #expect(integral.status == .created)
            let fractional = try await client.post("/api/v1/metrics", Self.metric([("tokens_used", 5.5)]))
            #expect(errorEnvelopeProblems(fractional, status: .unprocessableContent, code: "validation_failed").isEmpty)
            let none = try await client.post("/api/v1/metrics", Self.metric([]))
            #expect(
                errorEnvelopeProblems(
                    none, status: .unprocessableContent, code: "validation_failed", field: "tokens_used"
                ).isEmpty)
            let tokens = service.read { $0.metrics.series[1]?.column(\.tokens) ?? [] }
            #expect(tokens.sorted() == [5, 7, 30, 120])
        }
    }

    @Test("a zero budget's alerts say what was spent; recommendation items carry agent_id")
    func zeroBudgetAndRecommendations() async throws {
        try await H.run { client, _ in
            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            #expect(try await client.put("/api/v1/agents/1/budget", ["total_budget_usd": 0]).status == .ok)
            #expect(try await client.post("/api/v1/metrics", Self.metric([("tokens_used", 1)])).status == .created)
            let alerts = try await client.get("/api/v1/metrics/alerts")
            let messages = alerts.json?["data"]?.arrayValue?.compactMap { $0["message"]?.stringValue } ?? []
            #expect(
                messages == [
                    "Budget alert: coder spent $0.50 with no budget", "Budget alert: coder spent $0.50 with no budget",
                ])
            let recommendations = try await client.get("/api/v1/metrics/recommendations/cost")
            #expect(recommendations.json?["data"]?[0]?["agent_id"]?.int64Value == 1)
        }
    }
}
