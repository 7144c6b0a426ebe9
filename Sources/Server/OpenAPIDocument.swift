import Projections

/// The OpenAPI 3.1 document of the API, generated from the route table so it cannot drift.
enum OpenAPIDocument {
    static func build(_ routes: RouteTable) -> JSONValue {
        var paths = JSONObject()
        let grouped = Dictionary(grouping: routes.routes, by: \.path)
        for path in grouped.keys.sorted() {
            var item = JSONObject()
            for route in grouped[path]!.sorted(by: { $0.method.rawValue < $1.method.rawValue }) {
                var parameters: [JSONValue] = []
                for segment in path.split(separator: "/") where segment.hasPrefix("{") {
                    let name = String(segment.dropFirst().dropLast())
                    parameters.append(
                        .object([
                            "name": .string(name), "in": "path", "required": true,
                            "schema": .object(["type": "string"]),
                        ]))
                }
                var operation: JSONObject = [
                    "summary": .string(route.summary),
                    "operationId": .string(operationID(route)),
                    "responses": .object([
                        "200": .object([
                            "description": "Success", "content": .object(["application/json": .object([:])]),
                        ]),
                        "default": .object([
                            "description": "Error envelope",
                            "content": .object([
                                "application/json": .object(["schema": .object(["$ref": "#/components/schemas/Error"])])
                            ]),
                        ]),
                    ]),
                ]
                if !parameters.isEmpty { operation.append(.array(parameters), forKey: "parameters") }
                item.append(.object(operation), forKey: route.method.rawValue.lowercased())
            }
            paths.append(.object(item), forKey: path)
        }
        return .object([
            "openapi": "3.1.0",
            "info": .object(["title": "Metrics Aggregation Service", "version": "1.0.0"]),
            "paths": .object(paths),
            "components": .object([
                "schemas": .object([
                    "Error": .object([
                        "type": "object",
                        "required": ["success", "error"],
                        "properties": .object([
                            "success": .object(["const": false]),
                            "error": .object([
                                "type": "object",
                                "required": ["code", "message"],
                                "properties": .object([
                                    "code": .object(["type": "string"]), "message": .object(["type": "string"]),
                                    "field": .object(["type": ["string", "null"]]),
                                ]),
                            ]),
                        ]),
                    ])
                ])
            ]),
        ])
    }

    static func operationID(_ route: RouteTable.Route) -> String {
        let words = route.path.split(separator: "/").filter { !$0.hasPrefix("{") && $0 != "api" && $0 != "v1" }
        return route.method.rawValue.lowercased()
            + words.map { $0.replacingOccurrences(of: "-", with: "_") }.joined(separator: "_")
            + (route.path.hasSuffix("}") ? "_by_id" : "")
    }
}

extension Substring {
    func replacingOccurrences(of a: Character, with b: String) -> String {
        String(self.map { $0 == a ? Character(b) : $0 })
    }
}
