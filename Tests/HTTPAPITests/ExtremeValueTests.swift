import EventLog
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

/// Property tests: random events with extreme values, through the API and through `replay
/// import`, then folded, rebuilt and queried. Never a crash; whatever is refused is refused with
/// a 4xx (or, on import, a named line).
@Suite("Extreme values")
struct ExtremeValueTests {
    typealias H = ServerHarness
    typealias E = EndpointTests

    static let integers: [Int64] = [
        0, 1, -1, 2, Int64.min, Int64.min + 1, Int64.max, Int64.max - 1, Limits.maximumAgentID,
        Limits.maximumAgentID + 1, Limits.maximumTokens, Limits.maximumTokens + 1, 1 << 53, 1 << 62,
    ]
    static let doubles: [Double] = [
        0, -0.0, 1, -1, 0.5, 100, 100.000_000_1, 1e9, 1e12, 1e12 + 1, 1e300, -1e300, .greatestFiniteMagnitude,
        -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude,
        .ulpOfOne,
    ]
    static let strings: [String] = [
        "", "x", "work", "Not-Valid Op", String(repeating: "a", count: 64), String(repeating: "a", count: 65),
        String(repeating: "é", count: 2_001), "a\u{0}b", "\u{FEFF}", "🤖", "2025-11-17T11:00:00Z",
        "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "10000-01-01T00:00:00Z",
    ]

    static func pick<T>(_ values: [T], _ rng: inout SplitMix64) -> T { values[Int(rng.next() % UInt64(values.count))] }

    /// A JSON value of any kind, mostly extreme.
    static func anyValue(_ rng: inout SplitMix64) -> JSONValue {
        switch rng.next() % 6 {
        case 0: return .int(pick(integers, &rng))
        case 1: return .double(pick(doubles, &rng))
        case 2: return .string(pick(strings, &rng))
        case 3: return .bool(rng.next() % 2 == 0)
        case 4: return .null
        default: return .array([.int(pick(integers, &rng))])
        }
    }

    /// A metric whose every field is left out, valid, or extreme.
    static func metric(_ rng: inout SplitMix64) -> JSONValue {
        var valid: JSONObject = [
            "agent_id": .int(Int64(rng.next() % 2 + 1)), "operation_type": "work",
            "timestamp": .string(H.iso(H.noon - Int64(rng.next() % 48) * H.hour)), "execution_time_ms": 120.5,
            "tokens_used": 10, "api_calls": 1, "success": true, "quality_score": 80, "cost_usd": 0.25,
            "error_message": .null, "event_id": .string("e\(rng.next() % 1_000)"),
        ]
        for key in Array(valid.keys) {
            switch rng.next() % 4 {
            case 0: valid[key] = nil
            case 1: valid[key] = anyValue(&rng)
            default: break
            }
        }
        if rng.next() % 5 == 0 {
            valid["input_tokens"] = anyValue(&rng)
            valid["output_tokens"] = anyValue(&rng)
        }
        return .object(valid)
    }

    @Test("random metrics, agents and budgets with extreme values through the API: 4xx or stored, every read 200")
    func throughTheAPI() async throws {
        try await H.run { client, _ in
            try await E.register(client, "coder")
            try await E.register(client, "reviewer", "qa")
            var rng = SplitMix64(state: 14)
            var accepted = 0
            for round in 0..<30 {
                let batch = E.batch((0..<40).map { _ in Self.metric(&rng) })
                let stored = try await client.post("/api/v1/metrics", batch)
                #expect(stored.status.code < 500, "round \(round): \(stored.status.code) \(stored.text.prefix(300))")
                accepted += Int(stored.json?["accepted"]?.int64Value ?? 0)
                let single = try await client.post("/api/v1/metrics", Self.metric(&rng))
                #expect(single.status.code < 500, "round \(round): \(single.status.code) \(single.text.prefix(300))")
                let agent = try await client.post(
                    "/api/v1/agents",
                    .object(["id": Self.anyValue(&rng), "name": Self.anyValue(&rng), "role": Self.anyValue(&rng)]))
                #expect(agent.status.code < 500, "round \(round): \(agent.status.code) \(agent.text.prefix(300))")
                let budget = try await client.call(
                    .put, "/api/v1/agents/\(rng.next() % 3 + 1)/budget",
                    json: .object([
                        "total_budget_usd": Self.anyValue(&rng), "warning_threshold_percent": Self.anyValue(&rng),
                        "critical_threshold_percent": Self.anyValue(&rng), "period": "daily",
                    ]))
                #expect(budget.status.code < 500, "round \(round): \(budget.status.code) \(budget.text.prefix(300))")
            }
            #expect(accepted > 0, "no random metric was stored: the property would hold vacuously")
            let evaluate = try await client.post("/api/v1/admin/evaluate", ["as_of": .string(H.iso(H.noon))])
            #expect(evaluate.status == .ok, "\(evaluate.text.prefix(300))")
            let agents = try await client.get("/api/v1/agents").data?.arrayValue ?? []
            let agentPaths = agents.compactMap { $0["id"]?.int64Value }.flatMap { id in
                ["/api/v1/agents/\(id)", "/api/v1/metrics/aggregate/by-agent/\(id)"]
            }
            let reads =
                [
                    "/api/v1/metrics/summary", "/api/v1/metrics/aggregate/timeseries",
                    "/api/v1/metrics/aggregate/by-role/developer", "/api/v1/metrics/percentiles/execution_time",
                    "/api/v1/metrics/percentiles/cost", "/api/v1/metrics/percentiles/tokens",
                    "/api/v1/metrics/trends/cost", "/api/v1/metrics/outliers/tokens",
                    "/api/v1/metrics/recommendations/cost", "/api/v1/metrics/insights/performance",
                    "/api/v1/metrics/alerts", "/api/v1/metrics/reports/weekly",
                ] + agentPaths
            for path in reads {
                let answer = try await client.get(path)
                #expect(answer.status == .ok, "GET \(path): \(answer.status.code) \(answer.text.prefix(200))")
            }
            let rebuild = try await client.call(.post, "/api/v1/admin/rebuild")
            #expect(rebuild.json?["data"]?["identical"]?.boolValue == true, "\(rebuild.text.prefix(300))")
        }
    }

    /// A domain event with random, mostly extreme, values.
    static func event(_ rng: inout SplitMix64) -> DomainEvent {
        let agent = rng.next() % 3 == 0 ? pick(integers, &rng) : Int64(rng.next() % 3 + 1)
        switch rng.next() % 4 {
        case 0:
            return .agentRegistered(
                AgentRegistered(agentID: agent, name: pick(strings, &rng), role: pick(strings, &rng)))
        case 1:
            return .budgetSet(
                BudgetSet(
                    agentID: agent, totalBudgetNanos: pick(integers, &rng),
                    warningThresholdPercent: pick(doubles, &rng),
                    criticalThresholdPercent: pick(doubles, &rng), period: .daily))
        default:
            let valid = rng.next() % 2 == 0
            return .metricRecorded(
                MetricRecorded(
                    agentID: agent, operationType: valid ? "work" : pick(strings, &rng),
                    timestamp: valid ? H.noon - Int64(rng.next() % 48) * H.hour : pick(integers, &rng),
                    executionTimeMs: valid ? 100 : pick(doubles, &rng),
                    tokensUsed: valid ? 10 : pick(integers, &rng), apiCalls: pick(integers, &rng), success: valid,
                    qualityScore: rng.next() % 3 == 0 ? nil : pick(doubles, &rng),
                    costNanos: valid ? Int64(rng.next() % 1_000_000_000) : pick(integers, &rng),
                    errorMessage: rng.next() % 2 == 0 ? nil : pick(strings, &rng)))
        }
    }

    @Test("random logs with extreme values through replay import: refused naming a line, or folded and queried")
    func throughImport() throws {
        var rng = SplitMix64(state: 1_414)
        var imported = 0
        var refused = 0
        for trial in 0..<60 {
            var events: [DomainEvent] = [
                .agentRegistered(AgentRegistered(agentID: 1, name: "coder", role: "developer")),
                .agentRegistered(AgentRegistered(agentID: 2, name: "reviewer", role: "qa")),
            ]
            // Some trials stay valid apart from one event, others are mostly extreme.
            let extreme = trial % 2 == 0 ? 1 : 8
            for _ in 0..<extreme { events.append(Self.event(&rng)) }
            for i in 0..<20 {
                events.append(
                    .metricRecorded(
                        MetricRecorded(
                            agentID: Int64(i % 2 + 1), operationType: "work", timestamp: H.noon - Int64(i) * H.hour,
                            executionTimeMs: Double(100 + i), tokensUsed: 10, success: i % 3 != 0, qualityScore: 70,
                            costNanos: 1_000_000)))
            }
            let lines = events.enumerated().map { index, event in
                LogReplay.exportLine(
                    EventRecord(
                        sequence: UInt64(index + 1), clientEventID: nil, type: event.type,
                        schemaVersion: event.schemaVersion, recordedAt: H.noon, occurredAt: H.noon,
                        payload: event.encodedPayload()))
            }
            let directory = NSTemporaryDirectory() + "extreme-import-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            do {
                _ = try LogReplay.importLog(into: directory, lines: lines)
            } catch let error as ReplayError {
                refused += 1
                #expect("\(error)".hasPrefix("line "), "trial \(trial): \(error)")
                continue
            }
            imported += 1
            let service = try FleetService(directory: directory, durability: .relaxed, logger: Logger(label: "t"))
            let projection = service.read { $0 }
            #expect(projection.skippedEvents == 0, "trial \(trial): import let through what a fold skips")
            for path in LogReplay.auditPaths([projection], asOf: H.noon) {
                _ = LogReplay.answerBytes(path, projection: projection, now: H.noon)
            }
            service.shutdown()
            let log = try LogReplay.openReadOnly(directory)
            defer { log.close() }
            #expect(try LogReplay.verify(log).isClean, "trial \(trial)")
            let rebuilt = try LogReplay.projection(log, through: log.head, useCheckpoint: false)
            #expect(rebuilt.snapshotBytes() == projection.snapshotBytes(), "trial \(trial)")
        }
        #expect(imported > 0 && refused > 0, "imported \(imported), refused \(refused)")
    }
}
