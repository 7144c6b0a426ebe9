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

    @Test("the domain module (Projections) imports only the standard library (and libm)")
    func domainImportsOnlyTheStandardLibrary() throws {
        // The platform's C library is there for libm (lgamma, exp, log of the statistics), nothing else.
        let standard: Set<String> = [
            "Swift", "Synchronization", "_Concurrency", "_StringProcessing", "Glibc", "Musl", "Darwin",
        ]
        let imports = try Self.imports(of: "Projections")
        #expect(!imports.isEmpty, "no sources found under \(Self.root.path)/Sources/Projections")
        for (file, modules) in imports {
            #expect(modules.isSubset(of: standard), "\(file) imports \(modules.subtracting(standard).sorted())")
        }
    }

    @Test("the event log knows nothing of the domain or the HTTP layer")
    func eventLogIsIndependent() throws {
        for (file, modules) in try Self.imports(of: "EventLog") {
            for forbidden in ["Projections", "Server", "Hummingbird", "NIOCore"] {
                #expect(!modules.contains(forbidden), "\(file) imports \(forbidden)")
            }
        }
    }
}
