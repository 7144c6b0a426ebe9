import EventLog
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Projections
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

/// One answer of the API as the tests see it.
struct HarnessResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var text: String
    /// The parsed body, or nil when it is empty or not JSON.
    var json: JSONValue?

    var data: JSONValue? { json?["data"] }
    var etag: String? { headers[.eTag] }
    var error: JSONValue? { json?["error"] }
}

/// A `FleetService` on a fresh temporary directory with a fixed clock, served through
/// Hummingbird's router test client (no sockets, scheduler off).
enum ServerHarness {
    /// 2025-11-17T12:00:00Z (a Monday), in microseconds.
    static let noon: Int64 = 1_763_380_800_000_000
    static let second: Int64 = 1_000_000
    static let minute: Int64 = 60 * second
    static let hour: Int64 = 60 * minute
    static let day: Int64 = 24 * hour

    /// Runs `body` against a fresh server whose clock reads `clock` (µs since the epoch).
    static func run<T: Sendable>(
        clock: Int64 = noon, limits: RequestLimits = RequestLimits(),
        _ body: @Sendable (any TestClientProtocol, FleetService) async throws -> T
    ) async throws -> T {
        let directory = NSTemporaryDirectory() + "server-tests-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "server-tests")
        logger.logLevel = .error
        let service = try FleetService(directory: directory, durability: .relaxed, logger: logger, clock: { clock })
        defer { service.shutdown() }
        var configuration = ServiceConfiguration()
        configuration.scheduler = false
        configuration.limits = limits
        let app = buildApplication(service: service, configuration: configuration, logger: logger)
        return try await app.test(.router) { client in try await body(client, service) }
    }

    /// Runs `body` with a `FleetService` (no HTTP) on a fresh temporary directory (also given to
    /// `body`) whose clock reads `clock`; shuts it down and removes the directory afterwards.
    static func withService<T>(
        _ name: String = "service", clock: Int64 = noon, _ body: (FleetService, String) async throws -> T
    ) async throws -> T {
        let directory = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "server-tests")
        logger.logLevel = .critical
        let service = try FleetService(directory: directory, durability: .relaxed, logger: logger, clock: { clock })
        defer { service.shutdown() }
        return try await body(service, directory)
    }

    /// Serves a fresh temporary directory through the router (clock `clock`, scheduler off) for
    /// `body`, stops the service, then gives its log, opened read-only as `replay` opens it, to
    /// `inspect`; removes the directory afterwards.
    static func runThenOpenLog(
        clock: Int64 = noon, _ body: @Sendable (any TestClientProtocol) async throws -> Void,
        inspect: (EventLog) throws -> Void
    ) async throws {
        let directory = NSTemporaryDirectory() + "served-log-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var logger = Logger(label: "server-tests")
        logger.logLevel = .error
        do {
            let service = try FleetService(directory: directory, durability: .relaxed, logger: logger, clock: { clock })
            defer { service.shutdown() }
            var configuration = ServiceConfiguration()
            configuration.scheduler = false
            let app = buildApplication(service: service, configuration: configuration, logger: logger)
            try await app.test(.router) { client in try await body(client) }
        }
        let log = try LogReplay.openReadOnly(directory)
        defer { log.close() }
        try inspect(log)
    }

    /// ISO-8601 text of an instant.
    static func iso(_ us: Int64) -> String { UTCTime.formatISO8601(us) }

    /// `path?k=v&…` with the values percent-encoded.
    static func uri(_ path: String, _ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return path }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        let pairs = query.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }
        return path + "?" + pairs.joined(separator: "&")
    }
}

extension TestClientProtocol {
    /// Sends a request (a JSON body, or raw text) and parses the answer.
    func call(
        _ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, raw: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> HarnessResponse {
        var headers = headers
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: json.serialized())
        } else if let raw {
            body = ByteBuffer(string: raw)
        }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            let text = String(buffer: response.body)
            let parsed = text.isEmpty ? nil : try? JSONParser.parse(text)
            return HarnessResponse(status: response.status, headers: response.headers, text: text, json: parsed)
        }
    }

    func get(_ path: String, _ query: [(String, String)] = [], headers: HTTPFields = [:]) async throws
        -> HarnessResponse
    {
        try await call(.get, ServerHarness.uri(path, query), headers: headers)
    }

    func post(_ path: String, _ json: JSONValue) async throws -> HarnessResponse {
        try await call(.post, path, json: json)
    }

    func put(_ path: String, _ json: JSONValue? = nil) async throws -> HarnessResponse {
        try await call(.put, path, json: json)
    }
}

/// The conformance kit's comparison rules (`shared/conformance/run.py`, `compare`), for JSON
/// answers against expected bodies (golden.json, and hand-written expectations).
///
/// Floats: within 1.01e-2, or 1.01e-4 for USD keys (plus `extraUSDKeys`), `slope` and
/// `r_squared`; relative 1e-4 for `p_value`. Integers, booleans and ordinary strings exactly;
/// ISO timestamps as instants; `message`/`reason` texts with numbers within one unit of their last
/// digit. Every expected key must be present; extra keys are allowed. Sentinel strings:
/// `<<any>>`, `<<any-time>>`, `<<absent-or-null>>`, `<<any-int>>`.
struct KitComparison {
    static let any = "<<any>>"
    static let anyTime = "<<any-time>>"
    static let absentOrNull = "<<absent-or-null>>"
    static let anyInt = "<<any-int>>"

    static let usdKeys: Set<String> = [
        "total_cost_usd", "total_usd", "avg_per_task_usd", "budget_allocated_usd", "budget_remaining_usd",
        "total_budget_usd", "used_usd", "remaining_usd", "cost_per_task_usd", "current_budget", "recommended_budget",
        "estimated_savings", "total_potential_savings", "avg_cost_per_agent", "current_value", "expected_value",
        "threshold_value",
    ]
    static let fourDecimalKeys: Set<String> = ["slope", "r_squared"]
    static let textKeys: Set<String> = ["message", "reason"]

    var extraUSDKeys: Set<String> = []

    /// The differences, as `path: expected X, got Y`.
    func differences(_ expected: JSONValue, _ actual: JSONValue?) -> [String] {
        var out: [String] = []
        compare(expected, actual, path: "$", key: "", into: &out)
        return out
    }

    private func compare(_ exp: JSONValue, _ act: JSONValue?, path: String, key: String, into out: inout [String]) {
        func bad() { out.append("\(path): expected \(Self.short(exp)), got \(act.map(Self.short) ?? "nothing")") }
        switch exp {
        case .string(let s) where s == Self.any:
            if act == nil { bad() }
        case .string(let s) where s == Self.anyTime:
            if Self.instant(act) == nil { bad() }
        case .string(let s) where s == Self.absentOrNull:
            if let act, !act.isNull { bad() }
        case .string(let s) where s == Self.anyInt:
            guard case .int = act else { return bad() }
        case .object(let e):
            guard case .object(let a) = act else { return bad() }
            for (k, v) in e {
                guard let member = a[k] else {
                    if v != JSONValue.string(Self.absentOrNull) {
                        out.append("\(path).\(k): missing (expected \(Self.short(v)))")
                    }
                    continue
                }
                compare(v, member, path: "\(path).\(k)", key: k, into: &out)
            }
        case .array(let e):
            guard case .array(let a) = act else { return bad() }
            if e.count != a.count { out.append("\(path): expected \(e.count) items, got \(a.count)") }
            for (i, (x, y)) in zip(e, a).enumerated() {
                compare(x, y, path: "\(path)[\(i)]", key: key, into: &out)
            }
        case .null:
            if act != JSONValue.null { bad() }
        case .bool(let b):
            if act != JSONValue.bool(b) { bad() }
        case .int(let i):
            switch act {
            case .int(let j) where j == i: break
            case .double(let d) where d == Double(i): break
            default: bad()
            }
        case .double(let e):
            guard let a = act?.doubleValue else { return bad() }
            if !numberMatches(e, a, key: key) { bad() }
        case .string(let s):
            if let te = Self.instant(exp) {
                if Self.instant(act) != te { bad() }
            } else if Self.textKeys.contains(key) {
                guard case .string(let a) = act, Self.textMatches(s, a) else { return bad() }
            } else if act != JSONValue.string(s) {
                bad()
            }
        }
    }

    private func numberMatches(_ e: Double, _ a: Double, key: String) -> Bool {
        if key == "p_value" { return abs(a - e) <= max(1e-4 * abs(e), 1e-15) }
        if Self.fourDecimalKeys.contains(key) || Self.usdKeys.contains(key) || extraUSDKeys.contains(key) {
            return abs(a - e) <= 1.01e-4
        }
        return abs(a - e) <= 1.01e-2
    }

    /// The instant of an ISO-8601 UTC timestamp (`…Z` or `…+00:00`), or nil for any other value.
    static func instant(_ value: JSONValue?) -> Int64? {
        guard case .string(let s) = value else { return nil }
        let u = Array(s.utf8)
        guard u.count >= 20, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"), u[10] == UInt8(ascii: "T"),
            s.hasSuffix("Z") || s.hasSuffix("+00:00") || s.hasSuffix("+0000")
        else { return nil }
        return UTCTime.parseISO8601(s)
    }

    /// Same text; each number may differ by one unit in the last place of the expected number.
    static func textMatches(_ e: String, _ a: String) -> Bool {
        if e == a { return true }
        let (eText, eNumbers) = splitNumbers(e)
        let (aText, aNumbers) = splitNumbers(a)
        guard eText == aText, eNumbers.count == aNumbers.count else { return false }
        for (x, y) in zip(eNumbers, aNumbers) {
            let places = x.split(separator: ".").dropFirst().first?.count ?? 0
            if places == 0 && x != y { return false }
            guard let dx = Double(x), let dy = Double(y) else { return false }
            if abs(dx - dy) > 1.01 * pow(10, -Double(places)) { return false }
        }
        return true
    }

    /// The text between numbers (`-?\d+(\.\d+)?`, leftmost-longest as Python's `re`) and the numbers.
    static func splitNumbers(_ s: String) -> (text: [String], numbers: [String]) {
        let c = Array(s)
        var text: [String] = []
        var numbers: [String] = []
        var current = ""
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < c.count && c[k].isASCII && c[k].isNumber }
        while i < c.count {
            if isDigit(i) || (c[i] == "-" && isDigit(i + 1)) {
                var j = i + 1
                while isDigit(j) { j += 1 }
                if j < c.count, c[j] == ".", isDigit(j + 1) {
                    j += 1
                    while isDigit(j) { j += 1 }
                }
                text.append(current)
                current = ""
                numbers.append(String(c[i..<j]))
                i = j
            } else {
                current.append(c[i])
                i += 1
            }
        }
        text.append(current)
        return (text, numbers)
    }

    static func short(_ v: JSONValue) -> String {
        let s = v.jsonString
        return s.count <= 90 ? s : String(s.prefix(90)) + "..."
    }
}

/// Checks of the §1 error envelope.
func errorEnvelopeProblems(
    _ r: HarnessResponse, status: HTTPResponse.Status, code: String, field: String? = nil
) -> [String] {
    var out: [String] = []
    if r.status != status { out.append("HTTP \(r.status.code), expected \(status.code): \(r.text.prefix(200))") }
    if !(r.headers[.contentType] ?? "").hasPrefix("application/json") {
        out.append("Content-Type \(r.headers[.contentType] ?? "none"), expected application/json")
    }
    guard let body = r.json, body["success"] == JSONValue.bool(false), let error = body["error"]?.objectValue else {
        return out + ["not an error envelope: \(r.text.prefix(200))"]
    }
    if error["code"] != JSONValue.string(code) {
        out.append("error.code \(error["code"].map(KitComparison.short) ?? "nil"), expected \(code)")
    }
    if (error["message"]?.stringValue ?? "").isEmpty { out.append("error.message is not a sentence") }
    let extra = Set(error.keys).subtracting(["code", "message", "field"])
    if !extra.isEmpty { out.append("error has other keys \(extra.sorted())") }
    if let field {
        let actual = error["field"]?.stringValue ?? ""
        let last = actual.split(whereSeparator: { ".[]/$".contains($0) }).last.map(String.init) ?? ""
        if actual != field && last != field { out.append("error.field \(actual.debugDescription), expected \(field)") }
    }
    return out
}
