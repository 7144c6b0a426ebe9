import EventLog
import Foundation
import Logging
import Projections
import Testing

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Ingestion under concurrency")
struct ConcurrentIngestionTests {
    static let day: Int64 = 86_400_000_000
    static let start: Int64 = 1_763_337_600_000_000  // 2025-11-17T00:00:00Z

    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "fleet-\(UUID().uuidString)"
    }

    func metric(agent: Int64, at t: Int64, costNanos: Int64) -> Ingestion.MetricSubmission {
        Ingestion.MetricSubmission(
            eventID: nil,
            metric: MetricRecorded(
                agentID: agent, operationType: "work", timestamp: t, executionTimeMs: 100, tokensUsed: 10,
                success: true,
                qualityScore: 90, costNanos: costNanos))
    }

    @Test("64 concurrent requests for one agent raise each budget alert exactly once")
    func alertsFireOnce() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let service = try FleetService(directory: dir, clock: { Self.start + Self.day })
        defer { service.shutdown() }
        try await service.write { state, _ in
            let (agent, _) = try Ingestion.registerAgent(id: nil, name: "coder", role: "developer", state: state)
            return (agent.map { ($0, nil) }, ())
        }
        let budget = BudgetSet(
            agentID: 1, totalBudgetNanos: 1_000_000_000, warningThresholdPercent: 80, criticalThresholdPercent: 100,
            period: .monthly)
        try await service.write { state, context in
            (try Ingestion.setBudget(budget, state: state, now: context.recordedAt).map { ($0, nil) }, ())
        }
        // 64 requests of 0.05 USD each: the warning fires at 0.80 (16th), the critical at 1.00 (20th).
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<64 {
                group.addTask {
                    let item = self.metric(agent: 1, at: Self.start + Int64(i) * 1_000_000, costNanos: 50_000_000)
                    _ = try await service.write { state, context in
                        let (events, outcomes) = try Ingestion.recordMetrics(
                            [.success(item)], state: state, nextSequence: context.nextSequence,
                            existingSequence: { try context.existingSequence(forEventID: $0) })
                        return (events.map { ($0.event, $0.eventID) }, outcomes)
                    }
                }
            }
            try await group.waitForAll()
        }
        let alerts = service.read { $0.alertBook.alerts }
        #expect(alerts.map(\.raised.rule) == [.budgetWarning, .budgetCritical])
        #expect(alerts.map(\.raised.alertID) == [1, 2])
        #expect(abs(alerts[0].raised.currentValue - 0.8) < 1e-9)
        #expect(abs(alerts[1].raised.currentValue - 1.0) < 1e-9)
        #expect(service.read { $0.metrics.count } == 64)
        #expect(service.writer.groupCommits < 64 + 2, "the appends were not coalesced")
    }

    @Test("a restart restores the checkpoint and folds only what came after")
    func checkpointRestart() async throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var expected: [UInt8] = []
        do {
            let service = try FleetService(directory: dir, clock: { Self.start + Self.day })
            try await service.write { state, _ in
                let (agent, _) = try Ingestion.registerAgent(id: 7, name: "tester", role: "qa", state: state)
                return (agent.map { ($0, nil) }, ())
            }
            for round in 0..<3 {
                let items = (0..<50).map {
                    Result<Ingestion.MetricSubmission, IngestionError>.success(
                        metric(agent: 7, at: Self.start + Int64(round * 50 + $0) * 60_000_000, costNanos: 1_000))
                }
                _ = try await service.write { state, context in
                    let (events, outcomes) = try Ingestion.recordMetrics(
                        items, state: state, nextSequence: context.nextSequence, existingSequence: { _ in nil })
                    return (events.map { ($0.event, $0.eventID) }, outcomes)
                }
                if round == 1 { #expect(try await service.checkpoint() == 101) }
            }
            expected = service.read { $0.summary(asOf: Self.start + Self.day) }.contractJSON.serializedBytes
            service.shutdown()
        }
        let log = try EventLog(directory: dir)
        let snapshot = try #require(try log.snapshot(named: FleetService.snapshotName))
        #expect(snapshot.sequence == 101)
        let restored = try #require(FleetService.restoreSnapshot(log: log, logger: Logger(label: "test")))
        #expect(restored.sequence == 101)
        log.close()
        let reopened = try FleetService(directory: dir, clock: { Self.start + Self.day })
        defer { reopened.shutdown() }
        #expect(reopened.read { $0.sequence } == 151)
        #expect(reopened.read { $0.summary(asOf: Self.start + Self.day) }.contractJSON.serializedBytes == expected)
    }
}
