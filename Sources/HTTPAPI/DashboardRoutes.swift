import APIContract
import FleetServices
import Foundation
import Hummingbird

/// The web dashboard: static files from the `Dashboard` resource directory of this target,
/// loaded into memory once and served with a content type, an ETag and `no-cache` (so browsers
/// revalidate and get 304 while nothing changed).
///
/// Not Hummingbird's `FileMiddleware` (2.28): it reads each file from disk per request and derives
/// its ETag from the modification date and size, so the tag of the same bytes changes with every
/// deployment (the files are copied with a new date) and differs between nodes; it also serves
/// whatever the directory holds. Here the tag is a hash of the bytes (as every other answer of the
/// service), files are read once, and only the files loaded at start are served.
///
/// - `GET /` → `index.html`
/// - `GET /dashboard/<path>` → the file at `<path>` inside `Dashboard/` (e.g. `app.js`,
///   `vendor/chart.umd.min.js`). Only files that exist in the directory are served: a path is
///   looked up verbatim in the table of loaded files, so `..`, hidden files and anything outside
///   the directory answer 404.
public func addDashboardRoutes(to router: Router<BasicRequestContext>) {
    let assets = DashboardAssets.shared
    router.get("/") { request, _ in try assets.response(for: "index.html", request: request) }
    router.get("/dashboard/**") { request, context in
        let parts = context.parameters.getCatchAll()
        guard !parts.isEmpty, parts.allSatisfy(DashboardAssets.isSafeComponent) else {
            throw APIError.notFound("no dashboard file at \(request.uri.path)")
        }
        return try assets.response(for: parts.joined(separator: "/"), request: request)
    }
}

/// The dashboard's files, keyed by their path relative to `Dashboard/`.
struct DashboardAssets: Sendable {
    struct Asset: Sendable {
        var bytes: ByteBuffer
        var contentType: String
        var etag: String
    }

    let files: [String: Asset]

    /// Loaded on first use (see `locateDirectory`).
    static let shared = DashboardAssets(directory: locateDirectory())

    /// The `Dashboard` directory (`$METRICS_DASHBOARD_DIR` overrides it; see `ServerResources`).
    static func locateDirectory() -> URL? {
        ServerResources.locate("Dashboard", containing: "index.html", override: "METRICS_DASHBOARD_DIR")
    }

    init(directory: URL?) {
        var files: [String: Asset] = [:]
        if let directory {
            let root = directory.resolvingSymlinksInPath().standardizedFileURL.path
            let enumerator = FileManager.default.enumerator(atPath: root)
            while let relative = enumerator?.nextObject() as? String {
                let components = relative.split(separator: "/")
                guard components.allSatisfy(Self.isSafeComponent) else { continue }
                let path = root + "/" + relative
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let data = FileManager.default.contents(atPath: path)
                else { continue }
                let bytes = [UInt8](data)
                files[relative] = Asset(
                    bytes: ByteBuffer(bytes: bytes), contentType: Self.contentType(of: relative), etag: ETag.of(bytes))
            }
        }
        self.files = files
    }

    /// A path component that may be served: not empty, not `.`/`..` or hidden, no separators
    /// or percent escapes.
    static func isSafeComponent(_ component: Substring) -> Bool {
        guard let first = component.first, first != "." else { return false }
        return component.allSatisfy { c in
            c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "-" || c == "_")
        }
    }

    static func contentType(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        switch ext {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "json", "map": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        default: return "text/plain; charset=utf-8"
        }
    }

    func response(for path: String, request: Request) throws -> Response {
        guard let asset = files[path] else {
            if files.isEmpty {
                throw APIError(
                    .serviceUnavailable, "unavailable", "the dashboard assets were not found with this build")
            }
            throw APIError.notFound("no dashboard file at \(request.uri.path)")
        }
        var headers = HTTPFields()
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        headers[.init("X-Content-Type-Options")!] = "nosniff"
        if path.hasSuffix(".html") {
            headers[.init("Content-Security-Policy")!] =
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'"
            headers[.init("Referrer-Policy")!] = "no-referrer"
        }
        if let match = request.headers[.ifNoneMatch], ETag.matches(match, asset.etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = asset.contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: asset.bytes))
    }
}
