import Foundation
import Testing

/// The layers `Package.swift` promises, checked on the sources: the domain imports only the
/// standard library, and the log knows nothing of the domain.
@Suite("Layers")
struct LayerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The modules each Swift file under `Sources/<target>` imports.
    static func imports(of target: String) throws -> [String: Set<String>] {
        let directory = root.appendingPathComponent("Sources/\(target)")
        var found: [String: Set<String>] = [:]
        let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for line in text.split(separator: "\n") {
                let words = line.split(separator: " ")
                guard let index = words.firstIndex(of: "import"), index <= 2, index + 1 < words.count else { continue }
                let prefix = words[..<index]
                guard prefix.allSatisfy({ ["@testable", "public", "internal", "package", "@_exported"].contains($0) })
                else { continue }
                found[file.lastPathComponent, default: []].insert(String(words[index + 1]))
            }
        }
        return found
    }

    /// The standard library and the platform's C library (there for libm: lgamma, exp, log of the
    /// statistics), nothing else.
    static let standard: Set<String> = [
        "Swift", "Synchronization", "_Concurrency", "_StringProcessing", "Glibc", "Musl", "Darwin",
    ]

    /// The modules of an HTTP server (or of this project's HTTP layer).
    static let httpServer: Set<String> = [
        "HTTPAPI", "Hummingbird", "HummingbirdCore", "HummingbirdRouter", "NIOHTTP1", "NIOHTTPTypes",
        "NIOHTTPTypesHTTP1", "Prometheus",
    ]

    @Test("the utilities (JSON, time, statistics) import only the standard library and swift-collections")
    func utilitiesImportOnlyTheStandardLibrary() throws {
        let allowed = Self.standard.union(["OrderedCollections"])
        let imports = try Self.imports(of: "Utilities")
        #expect(!imports.isEmpty, "no sources found under \(Self.root.path)/Sources/Utilities")
        for (file, modules) in imports {
            #expect(modules.isSubset(of: allowed), "\(file) imports \(modules.subtracting(allowed).sorted())")
        }
    }

    @Test("the domain module (Projections) imports only the standard library and the utilities")
    func domainImportsOnlyTheStandardLibrary() throws {
        let allowed = Self.standard.union(["Utilities"])
        let imports = try Self.imports(of: "Projections")
        #expect(!imports.isEmpty, "no sources found under \(Self.root.path)/Sources/Projections")
        for (file, modules) in imports {
            #expect(modules.isSubset(of: allowed), "\(file) imports \(modules.subtracting(allowed).sorted())")
        }
    }

    @Test("the event log knows nothing of the domain or the HTTP layer")
    func eventLogIsIndependent() throws {
        for (file, modules) in try Self.imports(of: "EventLog") {
            let forbidden = Self.httpServer.union([
                "Projections", "Utilities", "APIContract", "FleetServices", "NIOCore",
            ])
            #expect(modules.isDisjoint(with: forbidden), "\(file) imports \(modules.intersection(forbidden).sorted())")
        }
    }

    @Test(
        "the contract, the services (replay, what-if, retention, scheduler, notifications) and the command-line tools have no HTTP server",
        arguments: ["APIContract", "FleetServices", "FleetCommands", "MetricsReplay"])
    func noHTTPServerBelowTheHTTPLayer(target: String) throws {
        let imports = try Self.imports(of: target)
        #expect(!imports.isEmpty, "no sources found under \(Self.root.path)/Sources/\(target)")
        for (file, modules) in imports {
            #expect(
                modules.isDisjoint(with: Self.httpServer),
                "\(file) imports \(modules.intersection(Self.httpServer).sorted())")
        }
        // The manifest agrees: the target depends on no HTTP server product or module.
        // (The reading of the manifest finds the HTTP layer's own dependencies, so it can fail.)
        #expect(try Self.manifestDependencies(of: "HTTPAPI").contains("Hummingbird"))
        let dependencies = try Self.manifestDependencies(of: target)
        #expect(!dependencies.isEmpty, "target \(target) not found in Package.swift")
        #expect(
            dependencies.isDisjoint(with: Self.httpServer),
            "\(target) depends on \(dependencies.intersection(Self.httpServer).sorted())")
    }

    /// The names in the `dependencies:` list of a target of `Package.swift` (module names and
    /// product names), read from the manifest's text.
    static func manifestDependencies(of target: String) throws -> Set<String> {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        guard let start = manifest.range(of: "name: \"\(target)\",\n            dependencies: [") else { return [] }
        let rest = manifest[start.upperBound...]
        let end = rest.range(of: "\n            ]")?.lowerBound ?? rest.endIndex
        var names = Set<String>()
        var text = rest[..<end]
        while let open = text.firstIndex(of: "\"") {
            let afterOpen = text.index(after: open)
            guard let close = text[afterOpen...].firstIndex(of: "\"") else { break }
            names.insert(String(text[afterOpen..<close]))
            text = text[text.index(after: close)...]
        }
        return names
    }
}
