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
