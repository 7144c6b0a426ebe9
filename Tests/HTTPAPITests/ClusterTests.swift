import EventLog
import Foundation
import Logging
import PostgresLog
import Projections
import TestSupport
import Testing

@testable import FleetServices

@Suite("Leadership")
struct LeadershipStateMachineTests {
    @Test("a follower that takes the lock promotes once and leads when promoted; losing it demotes once")
    func transitions() {
        var machine = LeadershipStateMachine()
        #expect(machine.observed(holdsLock: false, now: 1) == .none)
        #expect(machine.state == .follower(attempts: 1))
        #expect(machine.observed(holdsLock: true, now: 2) == .promote)
        #expect(machine.role == .follower)
        #expect(machine.observed(holdsLock: true, now: 3) == .none)
        machine.promoted()
        #expect(machine.role == .leader)
        #expect(machine.observed(holdsLock: true, now: 3) == .none)
        #expect(machine.state == .leader(since: 2))
        #expect(machine.observed(holdsLock: false, now: 4) == .demote)
        #expect(machine.state == .follower(attempts: 0))
        #expect(machine.observed(holdsLock: true, now: 5) == .promote)
        machine.promotionFailed()
        #expect(machine.role == .follower)
    }
}

@Suite(
    "Cluster over PostgreSQL", .enabled(if: TestPostgres.url != nil, Comment(rawValue: TestPostgres.skipNotice)),
    .serialized)
struct ClusterTests {
    static let logger = Logger(label: "cluster-tests")

    static func node(_ url: PostgresURL, _ name: String) throws -> (FleetService, ClusterNode, String) {
        let directory = NSTemporaryDirectory() + "cluster-\(name)-\(UUID().uuidString)"
        let settings = ClusterMembership.Settings(
            advertisedAddress: "http://\(name).invalid", lockInterval: .milliseconds(20),
            followInterval: .milliseconds(20))
        let service = try FleetService(
            store: LogStore(dataDirectory: directory, store: "\(url)"), logger: logger, cluster: settings)
        let node = ClusterNode(service: service, membership: service.membership!, leaderJobs: [], logger: logger)
        return (service, node, directory)
    }

    static func budgetAlerts(_ log: EventLog) throws -> [AlertRule] {
        var rules: [AlertRule] = []
        try log.forEach { record in
            if case .alertRaised(let alert) = try record.domainEvent(),
                alert.rule == .budgetWarning || alert.rule == .budgetCritical
            {
                rules.append(alert.rule)
            }
        }
        return rules
    }

    @Test(
        "one node leads, the other follows the log; when the leader goes, the other takes the lock and decides from the whole log"
    )
    func failover() async throws {
        try await TestPostgres.withDatabase { url in
            let (a, nodeA, dirA) = try Self.node(url, "a")
            defer { try? FileManager.default.removeItem(atPath: dirA) }
            let runA = Task { await nodeA.runUntilCancelled() }
            await a.membership!.wait(for: .leader)
            let (b, nodeB, dirB) = try Self.node(url, "b")
            defer { try? FileManager.default.removeItem(atPath: dirB) }
            let runB = Task { await nodeB.runUntilCancelled() }
            #expect(b.membership!.role == .follower)
            #expect(try b.membership!.leaderAddress() == "http://a.invalid")

            // Decisions on the leader: a budget of $1, a metric at 85 % raises the warning.
            let agent = try await a.appendAgent(id: nil, name: "coder", role: "dev")
            try await a.appendBudget(
                BudgetSet(
                    agentID: agent.id, totalBudgetNanos: 1_000_000_000, warningThresholdPercent: 80,
                    criticalThresholdPercent: 100, period: .total))
            let now = a.clock()
            func metric(_ cost: Int64) -> MetricRecorded {
                MetricRecorded(
                    agentID: agent.id, operationType: "review", timestamp: now, executionTimeMs: 10, tokensUsed: 5,
                    success: true, qualityScore: nil, costNanos: cost)
            }
            try await a.appendMetrics([metric(850_000_000)])
            // The follower folds what the leader wrote (woken by the commit's notification).
            await b.waitForProjection(atLeast: a.log.head)
            #expect(b.read { $0.sequence } == a.read { $0.sequence })
            // A follower does not decide: its writer has no lock.
            await #expect(throws: EventLogError.writerLockHeld(location: url.description)) {
                try await b.appendMetrics([metric(1)])
            }

            // The leader goes (its sessions end, and the lock with them); the follower takes over.
            runA.cancel()
            await runA.value
            a.shutdown()
            await b.membership!.wait(for: .leader)
            #expect(try b.membership!.leaderAddress() == "http://b.invalid")
            // Its writer state is the whole log's: the warning does not fire again, the critical does.
            try await b.appendMetrics([metric(200_000_000)])
            #expect(try Self.budgetAlerts(b.log) == [.budgetWarning, .budgetCritical])
            let storedHead = try b.log.storage.readHead()
            #expect(b.log.head == storedHead)
            await b.waitForProjection(atLeast: storedHead)
            runB.cancel()
            await runB.value
            b.shutdown()
        }
    }
}
