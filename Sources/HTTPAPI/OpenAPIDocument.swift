import APIContract
import FleetServices
import Projections
import Utilities

/// The OpenAPI 3.1 document of the API: the paths and methods come from the route table (so no
/// route can be missing), everything else about an operation (query parameters, request body,
/// every response with its schema) from `OpenAPISpec`.
enum OpenAPIDocument {
    static func build(_ routes: RouteTable) -> JSONValue {
        var paths = JSONObject()
        let grouped = Dictionary(grouping: routes.routes, by: \.path)
        for path in grouped.keys.sorted() {
            var item = JSONObject()
            for route in grouped[path]!.sorted(by: { $0.method.rawValue < $1.method.rawValue }) {
                item.append(.object(operation(route)), forKey: route.method.rawValue.lowercased())
            }
            paths.append(.object(item), forKey: path)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object([
                "title": "Metrics Aggregation Service",
                "version": "1.0.0",
                "description":
                    "Metrics of AI-agent operations: ingestion, budgets, aggregates, statistics, alerts. Every error answer is the envelope `Error`.",
            ]),
            "security": [.object([:]), .object(["apiKey": []])],
            "paths": .object(paths),
            "components": .object(components),
        ])
    }

    /// The spec's components plus the rules schemas, generated from the rules document.
    static var components: JSONObject {
        var components = OpenAPISpec.components
        var responses = components["responses"]?.objectValue ?? [:]
        responses["Forbidden"] = .object([
            "description": .string(
                "forbidden: the API key lacks the scope (read < write < admin) this request needs"),
            "content": .object([
                "application/json": .object(["schema": .object(["$ref": "#/components/schemas/Error"])])
            ]),
        ])
        components["responses"] = .object(responses)
        var schemas = components["schemas"]?.objectValue ?? [:]
        let (input, document) = rulesSchemas()
        schemas["RulesInput"] = .object(input)
        schemas["RulesDocument"] = .object(document)
        components["schemas"] = .object(schemas)
        return components
    }

    /// `RulesInput` (every section and rule optional, nothing else allowed) and `RulesDocument`
    /// (every section and rule present), from `Rules.defaults.document`: each rule has the type
    /// of its default value and the constraints of `OpenAPISpec.ruleConstraints`.
    static func rulesSchemas() -> (input: JSONObject, document: JSONObject) {
        var inputSections = JSONObject()
        var documentSections = JSONObject()
        for (section, value) in Rules.defaults.document.objectValue ?? [:] {
            if section == "prices" {
                // Model names are the keys: any name, each with its price or its dated prices.
                let table = JSONValue.object(["$ref": "#/components/schemas/PriceTable"])
                inputSections[section] = table
                documentSections[section] = table
                continue
            }
            var properties = JSONObject()
            for (rule, defaultValue) in value.objectValue ?? [:] {
                var schema: JSONObject
                switch defaultValue {
                case .int: schema = ["type": "integer"]
                case .double: schema = ["type": "number"]
                case .string: schema = ["type": "string"]
                case .bool: schema = ["type": "boolean"]
                default: schema = [:]
                }
                for (key, constraint) in OpenAPISpec.ruleConstraints["\(section).\(rule)"]?.objectValue ?? [:] {
                    schema[key] = constraint
                }
                properties[rule] = .object(schema)
            }
            let required = JSONValue.array(properties.keys.map { .string($0) })
            inputSections[section] = .object([
                "type": "object", "additionalProperties": false, "properties": .object(properties),
            ])
            documentSections[section] = .object([
                "type": "object", "required": required, "properties": .object(properties),
            ])
        }
        let sections = JSONValue.array(documentSections.keys.map { .string($0) })
        return (
            [
                "type": "object", "additionalProperties": false,
                "description": "Omitted sections and rules keep their values",
                "properties": .object(inputSections),
            ],
            ["type": "object", "required": sections, "properties": .object(documentSections)]
        )
    }

    /// The operation object of a route: summary and id from the route table, path parameters from
    /// its template (unless the spec declares them), the rest from the spec.
    static func operation(_ route: RouteTable.Route) -> JSONObject {
        let spec = OpenAPISpec.operations[specKey(route)]?.objectValue ?? [:]
        var parameters = spec["parameters"]?.arrayValue ?? []
        let declared = Set(parameters.compactMap { $0["in"] == "path" ? $0["name"]?.stringValue : nil })
        var pathParameters: [JSONValue] = []
        for segment in route.path.split(separator: "/") where segment.hasPrefix("{") {
            let name = String(segment.dropFirst().dropLast())
            guard !declared.contains(name) else { continue }
            let schema: JSONValue =
                name == "id" || name.hasSuffix("_id")
                ? .object(["$ref": "#/components/schemas/ID"]) : .object(["type": "string", "minLength": 1])
            pathParameters.append(.object(["name": .string(name), "in": "path", "required": true, "schema": schema]))
        }
        parameters = pathParameters + parameters
        var operation: JSONObject = [
            "summary": .string(route.summary),
            "operationId": .string(operationID(route)),
        ]
        if !parameters.isEmpty { operation.append(.array(parameters), forKey: "parameters") }
        if let body = spec["requestBody"] { operation.append(body, forKey: "requestBody") }
        var responses =
            spec["responses"]?.objectValue
            ?? [
                "200": .object(["description": "Success", "content": .object(["application/json": .object([:])])])
            ]
        // Every request that a key must authorize can also meet a key without the scope it needs.
        if responses["401"] != nil && responses["403"] == nil {
            responses["403"] = .object(["$ref": "#/components/responses/Forbidden"])
        }
        operation.append(.object(responses), forKey: "responses")
        return operation
    }

    /// The key of a route in `OpenAPISpec.operations`: `GET /api/v1/agents/{id}`.
    static func specKey(_ route: RouteTable.Route) -> String { "\(route.method.rawValue) \(route.path)" }

    static func operationID(_ route: RouteTable.Route) -> String {
        let words = route.path.split(separator: "/").filter { !$0.hasPrefix("{") && $0 != "api" && $0 != "v1" }
        return route.method.rawValue.lowercased() + "_"
            + words.map { $0.replacingOccurrences(of: "-", with: "_") }.joined(separator: "_")
            + (route.path.hasSuffix("}") ? "_by_id" : "")
    }
}

extension Substring {
    func replacingOccurrences(of a: Character, with b: String) -> String {
        String(self.map { $0 == a ? Character(b) : $0 })
    }
}
