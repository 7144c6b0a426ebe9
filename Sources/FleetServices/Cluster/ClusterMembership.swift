import EventLog
import Foundation
import Logging
import PostgresLog
import ServiceLifecycle

/// What a node of a shared (PostgreSQL) log is now: the leader, which holds the writer's lock and
/// decides every write, or a follower, which tails the log, serves reads and forwards writes.
public enum NodeRole: String, Sendable {
    case leader
    case follower
}

/// The leadership of one node, as swift-nio-http2 keeps its stream states: each state carries its
/// data, each observation is a `mutating` transition that returns what the node must do.
struct LeadershipStateMachine {
    enum State: Equatable {
        /// Tailing the log; `attempts` lock attempts failed since it became one.
        case follower(attempts: Int)
        /// Holding the writer's lock since `since` (µs since the epoch), not leading yet: the head
        /// is being read, the writer's state marked for rebuilding, the address announced.
        case promoting(since: Int64)
        /// Holding the writer's lock since `since` (µs since the epoch), and leading.
        case leader(since: Int64)
    }

    enum Action: Equatable {
        case none
        /// The lock was just taken: bring the writer's state to the head, announce, start the jobs.
        case promote
        /// The lock is gone (its session was lost): stop deciding and stop the jobs at once.
        case demote
    }

    private(set) var state = State.follower(attempts: 0)

    /// The node looked at the lock: it holds it or not.
    mutating func observed(holdsLock: Bool, now: Int64) -> Action {
        switch (state, holdsLock) {
        case (.follower, true):
            state = .promoting(since: now)
            return .promote
        case (.follower(let attempts), false):
            state = .follower(attempts: attempts + 1)
            return .none
        case (.leader, false), (.promoting, false):
            state = .follower(attempts: 0)
            return .demote
        case (.leader, true), (.promoting, true):
            return .none
        }
    }

    /// The promotion is done: the node leads.
    mutating func promoted() {
        if case .promoting(let since) = state { state = .leader(since: since) }
    }

    /// Promotion failed half-way (the head could not be read): give the lock back, be a follower.
    mutating func promotionFailed() {
        state = .follower(attempts: 0)
    }

    var role: NodeRole {
        if case .leader = state { return .leader }
        return .follower
    }
}

/// A node's membership in a cluster over one PostgreSQL log: its role (watched by the jobs that
/// only the leader runs, and by the HTTP layer that forwards writes from followers), its
/// advertised address, and the loop that takes the lock, follows the log and fails over.
public final class ClusterMembership: Sendable {
    /// How the node behaves.
    public struct Settings: Sendable {
        /// The base URL other nodes forward writes to (`http://HOST:PORT`).
        public var advertisedAddress: String
        /// How often a follower tries to take the writer's lock, and a leader checks its session:
        /// a dead leader's lock is taken within about this (plus PostgreSQL noticing the
        /// session is gone: at once for a killed process, whose socket closes).
        public var lockInterval: Duration
        /// How often a follower reads the head when no notification woke it (a fallback: LISTEN
        /// wakes it at each commit).
        public var followInterval: Duration

        public init(
            advertisedAddress: String, lockInterval: Duration = .seconds(1),
            followInterval: Duration = .milliseconds(500)
        ) {
            self.advertisedAddress = advertisedAddress
            self.lockInterval = lockInterval
            self.followInterval = followInterval
        }
    }

    public let storage: PostgresStorage
    public let settings: Settings
    private let machine = Watched(LeadershipStateMachine())

    init(storage: PostgresStorage, settings: Settings) {
        self.storage = storage
        self.settings = settings
    }

    public var role: NodeRole { machine.value.role }

    /// Returns once the node's role is `role` (or the task is cancelled).
    public func wait(for role: NodeRole) async {
        await machine.wait { $0.role == role }
    }

    /// The address of the current leader as it announced itself (nil when none did).
    public func leaderAddress() throws -> String? {
        try storage.leaderAddress()
    }

    /// One look at the lock: takes it when free, notices when it is lost; returns the action.
    func step(now: Int64, logger: Logger) -> LeadershipStateMachine.Action {
        if storage.isWriter { storage.checkWriterSession() }
        var holds = storage.isWriter
        if !holds {
            do {
                holds = try storage.tryBecomeWriter()
            } catch {
                logger.warning("could not try the writer's lock", metadata: ["error": "\(error)"])
            }
        }
        return machine.update { $0.observed(holdsLock: holds, now: now) }
    }

    func promoted() {
        machine.update { $0.promoted() }
    }

    func promotionFailed() {
        storage.resignWriter()
        machine.update { $0.promotionFailed() }
    }
}

extension FleetService {
    /// Folds the log into the live projection up to `head`, which a follower learned from the
    /// database (a notification, a poll, or the position a forwarded write's answer carries):
    /// publishes it as the log's head when it is ahead, then catches up.
    public func follow(to head: UInt64) throws {
        if head > log.head { log.publishHead(head) }
        try catchUp(to: head)
    }
}

/// Runs a node of a cluster: takes the writer's lock when it is free (at start, and when the
/// leader died), follows the log while it is a follower, and runs the leader's jobs (the
/// evaluation scheduler, retention, webhook outbox, checkpoints) only while it leads.
public struct ClusterNode: Service {
    let service: FleetService
    let membership: ClusterMembership
    let logger: Logger
    /// The jobs only the leader runs; started at each promotion, cancelled at a demotion.
    let leaderJobs: [any Service]

    public init(service: FleetService, membership: ClusterMembership, leaderJobs: [any Service], logger: Logger) {
        self.service = service
        self.membership = membership
        self.leaderJobs = leaderJobs
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await runUntilCancelled() }
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    /// The node's loops, until the task is cancelled (then it gives the lock up).
    public func runUntilCancelled() async {
        await withDiscardingTaskGroup { group in
            group.addTask { await leadershipLoop() }
            group.addTask { await followLoop() }
            group.addTask { await listenLoop() }
            group.addTask { await jobsLoop() }
        }
    }

    private func leadershipLoop() async {
        while !Task.isCancelled {
            switch membership.step(now: service.clock(), logger: logger) {
            case .promote: promote()
            case .demote:
                logger.warning("lost the writer's lock (its database session ended): this node stops deciding")
            case .none: break
            }
            try? await Task.sleep(for: membership.settings.lockInterval)
        }
        membership.storage.resignWriter()
    }

    /// The lock was taken: the writer's state is rebuilt from the log at its head before its next
    /// group; then the node announces itself as the leader.
    private func promote() {
        do {
            let head = try membership.storage.readHead()
            try service.follow(to: head)
            service.writer.reloadStateBeforeNextGroup()
            try membership.storage.announceLeader(address: membership.settings.advertisedAddress)
            membership.promoted()
            logger.notice(
                "this node leads: it holds the writer's lock",
                metadata: ["head": "\(head)", "address": "\(membership.settings.advertisedAddress)"])
        } catch {
            logger.error("promotion failed; giving the lock back", metadata: ["error": "\(error)"])
            membership.promotionFailed()
        }
    }

    /// A follower reads the head at `followInterval` (the fallback when no notification arrives).
    private func followLoop() async {
        while !Task.isCancelled {
            if membership.role == .follower { followOnce() }
            try? await Task.sleep(for: membership.settings.followInterval)
        }
    }

    private func followOnce() {
        do {
            try service.follow(to: try membership.storage.readHead())
        } catch {
            logger.warning("could not follow the log", metadata: ["error": "\(error)"])
        }
    }

    /// LISTEN for each commit's notification (its payload is the new head) and follow at once.
    private func listenLoop() async {
        while !Task.isCancelled {
            do {
                try await membership.storage.listen { head in
                    if membership.role == .follower {
                        do {
                            try service.follow(to: head)
                        } catch {
                            logger.warning("could not follow the log", metadata: ["error": "\(error)"])
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for commits failed; polling meanwhile", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: membership.settings.lockInterval)
        }
    }

    /// Runs the leader's jobs while the node leads; cancels them when it stops leading.
    private func jobsLoop() async {
        while !Task.isCancelled {
            await membership.wait(for: .leader)
            if Task.isCancelled { return }
            do {
                try await service.resumeRetention()
            } catch {
                logger.error("an interrupted retention run could not be finished", metadata: ["error": "\(error)"])
            }
            await withDiscardingTaskGroup { group in
                for job in leaderJobs {
                    group.addTask {
                        do {
                            try await job.run()
                        } catch {
                            logger.error("a leader job stopped", metadata: ["error": "\(error)"])
                        }
                    }
                }
                await membership.wait(for: .follower)
                group.cancelAll()
            }
        }
    }
}
