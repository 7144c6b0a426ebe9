/// Checks a log event by event, as ingestion would have decided it: every payload within
/// `Limits`, metrics and budgets only for registered agents, agent ids registered once, and no
/// agent's all-time spend over `Limits.maximumAgentSpendNanos`. `replay import` runs it over
/// every record, so a log it accepts is one that `serve` and `replay rebuild` fold without a
/// fault. Events of types (or schema versions) this build does not know pass unchecked: the folds
/// skip and count them, as they do in a log written by a newer build.
public struct LogValidator: Sendable {
    private var agents: Set<Int64> = []
    private var spend: [Int64: Int64] = [:]

    public init() {}

    /// Why the event cannot be stored, or nil when it can (and is now part of the state).
    public mutating func check(type: UInt16, version: UInt16, payload: [UInt8]) -> String? {
        if type == MetricRecorded.type && version >= 1 && version <= MetricRecorded.version {
            let read = payload.withUnsafeBytes { bytes -> Result<(agent: Int64, cost: Int64), EventDecodingError> in
                Result { () throws(EventDecodingError) in
                    let metric = try MetricPayload(bytes, version: version)
                    return (metric.agentID, metric.stored.costNanos)
                }
            }
            switch read {
            case .failure(let error): return error.description
            case .success(let (agent, cost)): return checkMetric(agent: agent, cost: cost)
            }
        }
        let event: DomainEvent
        do {
            event = try DomainEvent.decode(type: type, version: version, payload: payload)
        } catch .unknownType, .unsupportedVersion {
            return nil
        } catch {
            return error.description
        }
        switch event {
        case .agentRegistered(let e):
            // As the API: ids up to 2^53 - 1 (stored events only need to be positive).
            guard e.agentID <= Limits.maximumAgentID else {
                return "agent id \(e.agentID) is outside 1...\(Limits.maximumAgentID)"
            }
            guard agents.insert(e.agentID).inserted else { return "agent \(e.agentID) is registered twice" }
        case .budgetSet(let e):
            guard case .agent(let id) = e.scope else { break }
            guard agents.contains(id) else { return "a budget of agent \(id), which is not registered" }
        case .metricRecorded(let e):
            return checkMetric(agent: e.agentID, cost: e.costNanos)
        default:
            break
        }
        return nil
    }

    private mutating func checkMetric(agent: Int64, cost: Int64) -> String? {
        guard agents.contains(agent) else { return "a metric of agent \(agent), which is not registered" }
        let spent = spend[agent, default: 0]
        guard cost <= Limits.maximumAgentSpendNanos - spent else {
            return "agent \(agent)'s all-time spend passes \(Limits.maximumAgentSpendNanos) nano-dollars"
        }
        spend[agent] = spent + cost
        return nil
    }
}
