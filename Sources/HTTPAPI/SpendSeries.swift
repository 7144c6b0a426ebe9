import Projections
import Utilities

/// The fleet's spend in Prometheus exposition, per agent and per role: operations, failures,
/// tokens and cost (counters, lifetime totals folded from the log) and budget used, limit and
/// utilization (gauges, the current period). At most `topAgents` agents (and roles) get series of
/// their own, the ones with the highest lifetime cost; the rest are summed under `agent="other"`
/// (`role="other"`), so the number of series stays bounded however large the fleet grows. An
/// agent that enters the top N leaves `other`, so `other` can go down: a Grafana panel over it
/// should use `sum(rate(...))` across the label, not `rate` of `other` alone.
///
/// Written by hand, not through swift-prometheus's registry: the values are read from the
/// projection at scrape time and the set of label values changes with the top N, while a
/// registered metric keeps its series (and its stale value) after its agent leaves the top N.
struct SpendSeries {
    struct Row {
        var agent: String
        var agentID: String
        var role: String
        var counters = AgentSpend.Counters()
        var costNanos: Int128 = 0
        var budgetUsedNanos: Int128 = 0
        var budgetLimitNanos: Int128 = 0
        var hasBudget = false

        mutating func add(_ other: Row) {
            counters.operations &+= other.counters.operations
            counters.failures &+= other.counters.failures
            counters.tokens &+= other.counters.tokens
            counters.inputTokens &+= other.counters.inputTokens
            counters.outputTokens &+= other.counters.outputTokens
            costNanos += other.costNanos
            budgetUsedNanos += other.budgetUsedNanos
            budgetLimitNanos += other.budgetLimitNanos
            hasBudget = hasBudget || other.hasBudget
        }
    }

    var agents: [Row] = []
    var roles: [Row] = []

    /// Reads the rows from the projection (inside its read lock: no formatting here).
    init(_ projection: borrowing FleetProjection, topAgents: Int, asOf: Int64) {
        var all: [Row] = []
        all.reserveCapacity(projection.agents.count)
        for agent in projection.agents.values {
            let spend = projection.ingestion.spend[agent.id]
            var row = Row(agent: agent.name, agentID: String(agent.id), role: agent.role)
            row.counters = spend?.counters ?? AgentSpend.Counters()
            row.costNanos = Int128(spend?.total ?? 0)
            if let status = projection.budgetStatus(agentID: agent.id, asOf: asOf) {
                row.hasBudget = true
                row.budgetUsedNanos = status.usedNanos
                row.budgetLimitNanos = Int128(status.budget.totalBudgetNanos)
            }
            all.append(row)
        }
        agents = Self.bounded(all, top: topAgents) { Row(agent: "other", agentID: "other", role: "other") }
        var byRole: [String: Row] = [:]
        for row in all {
            byRole[row.role, default: Row(agent: "", agentID: "", role: row.role)].add(row)
        }
        // A role with a budget of its own: its gauges are that budget's (else its agents' summed).
        for (role, row) in byRole {
            guard let status = projection.budgetStatus(.role(role), asOf: asOf) else { continue }
            var own = row
            own.hasBudget = true
            own.budgetUsedNanos = status.usedNanos
            own.budgetLimitNanos = Int128(status.budget.totalBudgetNanos)
            byRole[role] = own
        }
        roles = Self.bounded(Array(byRole.values), top: topAgents) { Row(agent: "", agentID: "", role: "other") }
        fleetBudget = projection.budgetStatus(.fleet, asOf: asOf)
    }

    /// The fleet's budget in the current period, when it has one.
    var fleetBudget: BudgetStatus?

    /// The `top` rows of highest cost (ties: by agent id, then role), and the rest summed.
    static func bounded(_ rows: [Row], top: Int, other: () -> Row) -> [Row] {
        let sorted = rows.sorted { a, b in
            if a.costNanos != b.costNanos { return a.costNanos > b.costNanos }
            if a.agentID.count != b.agentID.count { return a.agentID.count < b.agentID.count }
            return a.agentID != b.agentID ? a.agentID < b.agentID : a.role < b.role
        }
        guard sorted.count > top else { return sorted }
        var rest = other()
        for row in sorted[top...] { rest.add(row) }
        return Array(sorted[..<top]) + [rest]
    }

    /// The exposition text of every series.
    var text: String {
        var out = ""
        func family(
            _ name: String, _ type: String, _ help: String, _ rows: [Row], labels: (Row) -> String,
            value: (Row) -> String?
        ) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for row in rows {
                guard let v = value(row) else { continue }
                out += "\(name){\(labels(row))} \(v)\n"
            }
        }
        func agentLabels(_ r: Row) -> String {
            "agent=\"\(Self.escape(r.agent))\",agent_id=\"\(r.agentID)\",role=\"\(Self.escape(r.role))\""
        }
        func roleLabels(_ r: Row) -> String { "role=\"\(Self.escape(r.role))\"" }
        func usd(_ nanos: Int128) -> String { Self.number(Money.usd(nanos)) }
        for (scope, rows, labels) in [("agent", agents, agentLabels), ("role", roles, roleLabels)] {
            let prefix = "fleet_\(scope)"
            let of = scope == "agent" ? "per agent (top N by cost, the rest as other)" : "per role"
            family(
                "\(prefix)_operations_total", "counter", "Operations recorded, \(of)", rows, labels: labels,
                value: { String($0.counters.operations) })
            family(
                "\(prefix)_failures_total", "counter", "Operations that failed, \(of)", rows, labels: labels,
                value: { String($0.counters.failures) })
            family(
                "\(prefix)_tokens_total", "counter", "Tokens used (tokens_used), \(of)", rows, labels: labels,
                value: { String($0.counters.tokens) })
            family(
                "\(prefix)_input_tokens_total", "counter", "Input tokens of the metrics that split them, \(of)",
                rows, labels: labels, value: { String($0.counters.inputTokens) })
            family(
                "\(prefix)_output_tokens_total", "counter", "Output tokens of the metrics that split them, \(of)",
                rows, labels: labels, value: { String($0.counters.outputTokens) })
            family(
                "\(prefix)_cost_usd_total", "counter", "Cost in USD, \(of)", rows, labels: labels,
                value: { usd($0.costNanos) })
            family(
                "\(prefix)_budget_used_usd", "gauge", "Spend in the current budget period, \(of) with a budget",
                rows, labels: labels, value: { $0.hasBudget ? usd($0.budgetUsedNanos) : nil })
            family(
                "\(prefix)_budget_limit_usd", "gauge", "Budget of the current period, \(of) with a budget", rows,
                labels: labels, value: { $0.hasBudget ? usd($0.budgetLimitNanos) : nil })
            family(
                "\(prefix)_budget_utilization_ratio", "gauge",
                "Budget used / limit in the current period (absent for a zero budget), \(of)", rows, labels: labels,
                value: { r in
                    guard r.hasBudget, r.budgetLimitNanos > 0 else { return nil }
                    return Self.number(Double(r.budgetUsedNanos) / Double(r.budgetLimitNanos))
                })
        }
        if let fleet = fleetBudget {
            let used = Money.usd(fleet.usedNanos)
            let limit = Money.usd(fleet.budget.totalBudgetNanos)
            out += "# HELP fleet_budget_used_usd Spend in the fleet budget's current period\n"
            out += "# TYPE fleet_budget_used_usd gauge\nfleet_budget_used_usd \(Self.number(used))\n"
            out += "# HELP fleet_budget_limit_usd The fleet budget of the current period\n"
            out += "# TYPE fleet_budget_limit_usd gauge\nfleet_budget_limit_usd \(Self.number(limit))\n"
            if fleet.budget.totalBudgetNanos > 0 {
                let ratio = Double(fleet.usedNanos) / Double(fleet.budget.totalBudgetNanos)
                out += "# HELP fleet_budget_utilization_ratio Fleet budget used / limit in the current period\n"
                out +=
                    "# TYPE fleet_budget_utilization_ratio gauge\nfleet_budget_utilization_ratio \(Self.number(ratio))\n"
            }
        }
        return out
    }

    /// A label value as the exposition format escapes it (backslash, quote, newline).
    static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for c in value.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}
