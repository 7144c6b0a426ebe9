import EventLog
import Foundation
import Logging
import Projections
import ServiceLifecycle
import Testing

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Projection tailer")
struct ProjectionTailerTests {
    typealias H = ServerHarness

    @Test("the tailer brings a projection that fell behind back to the head when the log moves")
    func catchesUp() async throws {
        let directory = NSTemporaryDirectory() + "tailer-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "tailer-tests")
        logger.logLevel = .critical
        let service = try FleetService(directory: directory, durability: .relaxed, logger: logger, clock: { H.noon })
        defer { service.shutdown() }
        for name in ["a", "b", "c"] {
            _ = try await service.write { state, _ in
                (
                    try Ingestion.registerAgent(id: nil, name: name, role: "ops", state: state).events.map {
                        ($0, nil)
                    }, ()
                )
            }
        }
        // As if the commit hook had failed to fold: the live projection is empty.
        try service.swapProjection(replacing: true) { $0 = FleetProjection() }
        #expect(service.read { $0.sequence } == 0)
        // Catching up folds everything up to the log's head (the head it is told is a lower bound).
        #expect(try service.catchUp(to: 2) == 3)
        #expect(service.read { $0.agents.count } == 3)
        #expect(try service.catchUp(to: 3) == 0)
        try service.swapProjection(replacing: true) { $0 = FleetProjection() }

        let group = ServiceGroup(
            configuration: .init(
                services: [ProjectionTailer(service: service, logger: logger)], gracefulShutdownSignals: [],
                logger: logger))
        let running = Task { try await group.run() }
        // The stream yields the head at once: the tailer folds the whole log again.
        await service.waitForProjection(atLeast: 3)
        #expect(service.read { $0.agents.count } == 3)
        #expect(try service.catchUp(to: 3) == 0)
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
