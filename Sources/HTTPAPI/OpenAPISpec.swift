import APIContract
import FleetServices
import Foundation
import Projections
import Utilities

/// What the route table cannot know about each operation: its query parameters, request body and
/// every response it can give (status, media type, schema), plus the shared components and the
/// constraints of the rules. Kept as JSON resource files (`Sources/HTTPAPI/OpenAPI/`) so they read
/// like the document they become; `OpenAPIDocument` merges them with the route table, and a test
/// checks that every route has an entry and every entry a route.
enum OpenAPISpec {
    /// The operations, keyed `METHOD path` as in the route table (`operations.json`).
    static var operations: JSONObject { loaded.operations }
    /// `components` of the document (`components.json`).
    static var components: JSONObject { loaded.components }
    /// Constraints of the rules, keyed `section.rule` (`rule-constraints.json`).
    static var ruleConstraints: JSONObject { loaded.ruleConstraints }
    /// Why the files could not be read (then `/openapi.json` answers 503), or nil.
    static var problem: String? { loaded.problem }

    private struct Files {
        var operations: JSONObject = [:]
        var components: JSONObject = [:]
        var ruleConstraints: JSONObject = [:]
        var problem: String?
    }

    private static let loaded: Files = {
        guard let directory = ServerResources.locate("OpenAPI", containing: "operations.json") else {
            return Files(problem: "the OpenAPI resource files were not found with this build")
        }
        var files = Files()
        do {
            files.operations = try read(directory, "operations.json")
            files.components = try read(directory, "components.json")
            files.ruleConstraints = try read(directory, "rule-constraints.json")
        } catch {
            return Files(problem: "\(error)")
        }
        return files
    }()

    private static func read(_ directory: URL, _ name: String) throws -> JSONObject {
        let bytes = try [UInt8](Data(contentsOf: directory.appendingPathComponent(name)))
        guard let object = try JSONParser.parse(bytes).objectValue else {
            throw ReplayError("\(name) is not a JSON object")
        }
        return object
    }
}

/// The resource directories of this module (`Dashboard`, `OpenAPI`).
enum ServerResources {
    /// The directory `name`: `$override` when that environment variable is set (to work on the
    /// files without rebuilding), else the resource bundle beside the executable
    /// (`metrics-service_HTTPAPI.resources`, which SwiftPM builds and a deployment ships with the
    /// binary), else the source tree this file was compiled from; the first that holds `marker`.
    /// Not `Bundle.module`, which stops the process when the bundle is missing: the callers answer
    /// 503 instead.
    static func locate(_ name: String, containing marker: String, override: String? = nil) -> URL? {
        var candidates: [URL] = []
        if let override, let value = ProcessInfo.processInfo.environment[override], !value.isEmpty {
            candidates.append(URL(fileURLWithPath: value))
        }
        // SwiftPM names the bundle `.resources` on Linux and `.bundle` on macOS.
        let bundles = [
            "metrics-service_HTTPAPI.resources/\(name)", "metrics-service_HTTPAPI.bundle/\(name)",
            "metrics-service_HTTPAPI.bundle/Contents/Resources/\(name)",
        ]
        for base in [
            Bundle.main.bundleURL, Bundle.main.resourceURL, Bundle.main.executableURL?.deletingLastPathComponent(),
        ] {
            if let base { candidates += bundles.map { base.appendingPathComponent($0) } }
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name))
        return candidates.first { url in
            FileManager.default.fileExists(atPath: url.appendingPathComponent(marker).path)
        }
    }
}
