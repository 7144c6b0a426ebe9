import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// `/agents`: registration, the agent list and records, budgets.
struct AgentController: APIController {
    let api: API

    func addRoutes(to routes: inout RouteCollection) {
        routes.read(.agents, api)
        routes.on(.post, "\(ReadEndpoint.v1)/agents", "Register an agent") { r, _ in try await api.registerAgent(r) }
        routes.read(.agent, api)
        routes.on(.put, "\(ReadEndpoint.v1)/agents/{id}/budget", "Set an agent's budget") { r, c in
            try await api.setBudget(r, c)
        }
        routes.read(.agentBudget, api)
    }
}

extension API {
    func registerAgent(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
        var requestedID: Int64?
        if let raw = object["id"], !raw.isNull {
            guard let v = raw.int64Value, (1...Limits.maximumAgentID).contains(v) else {
                throw APIError.validation("id", "id must be an integer from 1 to \(Limits.maximumAgentID)")
            }
            requestedID = v
        }
        let id = requestedID
        guard let name = object["name"]?.stringValue, !name.isEmpty, name.unicodeScalars.count <= 128 else {
            throw APIError.validation("name", "name must be a string of 1 to 128 characters")
        }
        guard let role = object["role"]?.stringValue, !role.isEmpty, role.unicodeScalars.count <= 64 else {
            throw APIError.validation("role", "role must be a string of 1 to 64 characters")
        }
        let outcome = try await write { state, _ in
            let (events, outcome) = try Ingestion.registerAgent(id: id, name: name, role: role, state: state)
            return (events.map { ($0, nil) }, outcome)
        }
        switch outcome {
        case .created(let agent):
            return json(object: agent.contractJSON, status: .created)
        case .unchanged(let agent):
            return json(object: agent.contractJSON, status: .ok)
        }
    }

    func setBudget(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let agentID = try pathID(context, "id")
        return try await putBudget(request, scope: .agent(agentID))
    }
}
