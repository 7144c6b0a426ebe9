import EventLog
import Foundation
import Projections
import Testing

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Blue/green rebuild")
struct BlueGreenRebuildTests {
    typealias H = ServerHarness

    func record(_ service: FleetService, count: Int, from offset: Int) async throws {
        let items = (0..<count).map { i in
            Result<Ingestion.MetricSubmission, IngestionError>.success(
                Ingestion.MetricSubmission(
                    eventID: nil,
                    metric: MetricRecorded(
                        agentID: 1, operationType: "work", timestamp: H.noon - Int64(offset + i) * H.minute,
                        executionTimeMs: Double(100 + i), tokensUsed: 5, success: i % 7 != 0, qualityScore: 80,
                        costNanos: 1_000)))
        }
        _ = try await service.write { state, context in
            let (events, outcomes) = try Ingestion.recordMetrics(
                items, state: state, nextSequence: context.nextSequence, existingSequence: { _ in nil })
            return (events.map { ($0.event, $0.eventID) }, outcomes)
        }
    }

    @Test("the service rebuilds beside the live projection while writes continue, then switches")
    func rebuildWhileWriting() async throws {
        let directory = NSTemporaryDirectory() + "bluegreen-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try FleetService(directory: directory, durability: .relaxed, clock: { H.noon })
        defer { service.shutdown() }
        _ = try await service.write { state, _ in
            (
                try Ingestion.registerAgent(id: nil, name: "coder", role: "developer", state: state).events.map {
                    ($0, nil)
                }, ()
            )
        }
        try await record(service, count: 2_000, from: 0)
        async let outcome = service.rebuildProjection()
        for round in 0..<5 { try await record(service, count: 50, from: 2_000 + round * 50) }
        let result = try await outcome
        #expect(result.identical)
        #expect(result.events >= 2_001)
        #expect(service.read { $0.sequence } == service.log.head)
        #expect(service.read { $0.metrics.count } == 2_250)
        var reference = FleetProjection()
        try FleetService.foldToHead(log: service.log, &reference)
        #expect(service.read { $0.snapshotBytes() } == reference.snapshotBytes())
        // Writes after the switch land in the new projection.
        try await record(service, count: 10, from: 5_000)
        #expect(service.read { $0.metrics.count } == 2_260)
    }

    @Test("POST /api/v1/admin/rebuild answers what it did")
    func endpoint() async throws {
        try await H.run { client, _ in
            #expect(try await client.post("/api/v1/agents", ["name": "coder", "role": "developer"]).status == .created)
            let r = try await client.call(.post, "/api/v1/admin/rebuild")
            #expect(r.status == .ok)
            #expect(r.json?["data"]?["identical"]?.boolValue == true)
            #expect(r.json?["data"]?["events"]?.int64Value == 1)
        }
    }
}
