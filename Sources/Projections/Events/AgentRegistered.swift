import Utilities

/// An agent joined the fleet.
public struct AgentRegistered: Sendable, Equatable {
    public static let type: UInt16 = 1
    public static let version: UInt16 = 1

    public var agentID: Int64
    public var name: String
    public var role: String

    public init(agentID: Int64, name: String, role: String) {
        self.agentID = agentID
        self.name = name
        self.role = role
    }

    func encode(into w: inout BinaryWriter) {
        w.varint(agentID)
        w.string(name)
        w.string(role)
    }

    init(from r: inout BinaryReader, version: UInt16) throws(EventDecodingError) {
        agentID = try r.varint()
        name = try r.string()
        role = try r.string()
    }
}

extension AgentRegistered: InitDecodedEventKind {
    static let name = "AgentRegistered"
    func violation() -> String? { Limits.agentViolation(self)?.message }
    var domainEvent: DomainEvent { .agentRegistered(self) }

    func exportFields() -> JSONObject {
        ["agent_id": .int(agentID), "name": .string(name), "role": .string(role)]
    }

    init(exportFields f: EventFields) throws(EventFieldError) {
        self.init(agentID: try f.int("agent_id"), name: try f.string("name"), role: try f.string("role"))
    }
}
