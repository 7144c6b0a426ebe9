import APIContract
import FleetServices
import Hummingbird

/// Every route of the API (method + path template): the router is built from it, the OpenAPI
/// document lists it, and 405 answers consult it.
struct RouteTable: Sendable {
    struct Route: Sendable, Hashable {
        var method: HTTPRequest.Method
        var path: String
        var summary: String
    }

    private(set) var routes: [Route] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ summary: String) {
        routes.append(Route(method: method, path: path, summary: summary))
    }

    /// Whether a route with another method matches the path.
    func matchesOtherMethod(path: String, method: HTTPRequest.Method) -> Bool {
        methods(matching: path).contains { $0 != method }
    }

    /// The methods of the routes whose template matches the path, as an `Allow` header value
    /// (nil when none does).
    func allowHeader(path: String) -> String? {
        let methods = methods(matching: path)
        return methods.isEmpty ? nil : methods.map(\.rawValue).joined(separator: ", ")
    }

    /// The methods of the routes whose template matches the path, sorted, once each.
    func methods(matching path: String) -> [HTTPRequest.Method] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { route in
            let template = route.path.split(separator: "/", omittingEmptySubsequences: true)
            guard template.count == parts.count else { return false }
            return zip(template, parts).allSatisfy { t, p in t.hasPrefix("{") || t == p }
        }
        var methods = Set(matching.map(\.method))
        if methods.contains(.get) { methods.insert(.head) }  // generated for every GET route
        return methods.sorted { $0.rawValue < $1.rawValue }
    }
}

/// A handler of the API's routes.
typealias RouteHandler = @Sendable (Request, BasicRequestContext) async throws -> Response

/// The routes a controller adds: each goes into the `RouteTable` (OpenAPI paths, `Allow`) and,
/// once the table is complete, onto the router.
struct RouteCollection {
    private(set) var table = RouteTable()
    private(set) var handlers: [(route: RouteTable.Route, handler: RouteHandler)] = []

    mutating func on(
        _ method: HTTPRequest.Method, _ path: String, _ summary: String, _ handler: @escaping RouteHandler
    ) {
        table.add(method, path, summary)
        handlers.append((RouteTable.Route(method: method, path: path, summary: summary), handler))
    }

    /// A GET answered from the projection by a shared `ReadEndpoint` (also used by `replay at`).
    mutating func read(_ endpoint: ReadEndpoint, _ api: API) {
        on(.get, endpoint.path, endpoint.summary) { r, c in
            if endpoint.windowed { return try api.getWindowed(r, c, endpoint) }
            return try api.get(r) { p, q throws(APIError) in
                try endpoint.answer(p, ReadArguments(pathParameter: { c.parameters.get($0) }, query: q, now: api.now))
            }
        }
    }

    /// A route served outside the collection (listed in the table only).
    mutating func list(_ method: HTTPRequest.Method, _ path: String, _ summary: String) {
        table.add(method, path, summary)
    }
}

/// A group of routes and their handlers, as in Hummingbird's examples: `addRoutes(to:)`.
protocol APIController {
    func addRoutes(to routes: inout RouteCollection)
}
