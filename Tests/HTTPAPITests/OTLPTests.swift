import CZlib
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OTLPTraces
import SwiftProtobuf
import Testing
import Utilities

@testable import HTTPAPI

@Suite("OTLP traces")
struct OTLPTests {
    typealias H = ServerHarness
    static let start = UInt64(H.noon - H.hour) * 1_000

    static func attribute(_ key: String, _ value: Any) -> Otlp_KeyValue {
        var pair = Otlp_KeyValue()
        pair.key = key
        switch value {
        case let s as String: pair.value.stringValue = s
        case let i as Int: pair.value.intValue = Int64(i)
        case let d as Double: pair.value.doubleValue = d
        case let b as Bool: pair.value.boolValue = b
        default: break
        }
        return pair
    }

    static func span(
        _ n: UInt8, operation: String? = "chat", agent: String? = nil, input: Any = 100, output: Int = 50,
        error: Bool = false, cost: Double? = nil, extra: [Otlp_KeyValue] = []
    ) -> Otlp_Span {
        var span = Otlp_Span()
        span.traceID = Data(repeating: 0xAB, count: 16)
        span.spanID = Data([1, 2, 3, 4, 5, 6, 7, n])
        span.name = "span \(n)"
        span.startTimeUnixNano = start + UInt64(n) * 1_000_000_000
        span.endTimeUnixNano = span.startTimeUnixNano + 1_500_000_000
        if let operation { span.attributes.append(attribute("gen_ai.operation.name", operation)) }
        if let agent { span.attributes.append(attribute("gen_ai.agent.name", agent)) }
        span.attributes.append(attribute("gen_ai.usage.input_tokens", input))
        span.attributes.append(attribute("gen_ai.usage.output_tokens", output))
        if let cost { span.attributes.append(attribute("gen_ai.usage.cost", cost)) }
        span.attributes += extra
        if error {
            span.status.code = .error
            span.status.message = "rate limited"
        }
        return span
    }

    static func request(_ groups: [(resource: [Otlp_KeyValue], spans: [Otlp_Span])]) -> Otlp_ExportTraceServiceRequest {
        var request = Otlp_ExportTraceServiceRequest()
        for group in groups {
            var resourceSpans = Otlp_ResourceSpans()
            resourceSpans.resource.attributes = group.resource
            var scope = Otlp_ScopeSpans()
            scope.spans = group.spans
            resourceSpans.scopeSpans = [scope]
            request.resourceSpans.append(resourceSpans)
        }
        return request
    }

    static func post(
        _ client: any TestClientProtocol, _ body: [UInt8], type: String = "application/x-protobuf",
        encoding: String? = nil
    ) async throws -> (HTTPResponse.Status, [UInt8], HTTPFields) {
        var headers = HTTPFields()
        headers[.contentType] = type
        if let encoding { headers[.contentEncoding] = encoding }
        return try await client.execute(
            uri: "/v1/traces", method: .post, headers: headers, body: ByteBuffer(bytes: body)
        ) {
            ($0.status, Array($0.body.readableBytesView), $0.headers)
        }
    }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var stream = z_stream()
        deflateInit2_(
            &stream, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))) + 64)
        let produced = input.withUnsafeMutableBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw -> Int in
                stream.next_in = inRaw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(inRaw.count)
                stream.next_out = outRaw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(outRaw.count)
                deflate(&stream, Z_FINISH)
                return outRaw.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<produced])
    }

    @Test(
        "GenAI spans in protobuf become metrics of agents registered on first sight; others are ignored; a retry stores nothing twice"
    )
    func protobufMapping() async throws {
        try await H.run { client, service in
            let request = Self.request([
                (
                    [Self.attribute("service.name", "planner-svc"), Self.attribute("service.namespace", "planning")],
                    [
                        Self.span(1, cost: 0.25), Self.span(2, error: true), Self.span(3, operation: nil),
                        Self.span(4, extra: [Self.attribute("error.type", "timeout")]),
                    ]
                ),
                (
                    [Self.attribute("service.name", "ignored-name")],
                    [
                        Self.span(5, agent: "coder", extra: [Self.attribute("gen_ai.agent.role", "developer")]),
                        Self.span(6, agent: "coder", input: "many"),
                    ]
                ),
            ])
            let body: [UInt8] = try request.serializedBytes()
            let (status, answerBytes, headers) = try await Self.post(client, body)
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/x-protobuf")
            let answer = try Otlp_ExportTraceServiceResponse(serializedBytes: answerBytes)
            #expect(answer.partialSuccess.rejectedSpans == 1)
            #expect(answer.partialSuccess.errorMessage.contains("gen_ai.usage.input_tokens"))

            let agents = try await client.get("/api/v1/agents")
            let byName = Dictionary(
                uniqueKeysWithValues: (agents.data?.arrayValue ?? []).map {
                    ($0["name"]?.stringValue ?? "", $0)
                })
            #expect(byName["planner-svc"]?["role"] == "planning")
            #expect(byName["coder"]?["role"] == "developer")
            let planner = try #require(byName["planner-svc"]?["id"]?.int64Value)
            let summary = try await client.get(
                "/api/v1/metrics/aggregate/by-agent/\(planner)",
                [("start_date", H.iso(H.noon - 2 * H.hour)), ("end_date", H.iso(H.noon))])
            #expect(summary.data?["tasks"]?["total"] == 3)
            #expect(summary.data?["tasks"]?["successful"] == 1)
            #expect(summary.data?["cost"]?["total_usd"] == .double(0.25))
            #expect(summary.data?["performance"]?["total_tokens"] == 450)
            let head = service.log.head

            // The exporter retries the same batch: nothing new is stored.
            let (again, _, _) = try await Self.post(client, body)
            #expect(again == .ok)
            #expect(service.log.head == head)
            let exposition = try await client.get("/metrics").text
            for line in [
                #"otlp_spans_total{outcome="stored"} 4"#, #"otlp_spans_total{outcome="duplicate"} 4"#,
                #"otlp_spans_total{outcome="ignored"} 2"#, #"otlp_spans_total{outcome="rejected"} 2"#,
                "otlp_spans_unpriced_total 3",
            ] {
                #expect(exposition.contains(line), "\(line) not in /metrics")
            }
        }
    }

    @Test("the JSON encoding (hex ids, 64-bit integers as strings) and gzip, answered in JSON")
    func jsonAndGzip() async throws {
        try await H.run { client, service in
            let start = Self.start
            let json = """
                {"resourceSpans": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "writer"}}]},
                  "scopeSpans": [{"scope": {"name": "openai"}, "spans": [
                    {"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "chat",
                     "startTimeUnixNano": "\(start)", "endTimeUnixNano": "\(start + 2_000_000_000)", "kind": 3,
                     "attributes": [{"key": "gen_ai.operation.name", "value": {"stringValue": "chat"}},
                                    {"key": "gen_ai.usage.prompt_tokens", "value": {"intValue": "30"}},
                                    {"key": "gen_ai.usage.completion_tokens", "value": {"intValue": 12}},
                                    {"key": "gen_ai.evaluation.score", "value": {"doubleValue": 91.5}}],
                     "status": {"code": 1}}]}]}]}
                """
            let (status, answer, headers) = try await Self.post(
                client, Self.gzip(Array(json.utf8)), type: "application/json", encoding: "gzip")
            #expect(status == .ok)
            #expect(headers[.contentType] == "application/json")
            #expect(try JSONParser.parse(answer) == .object([:]))
            var stored: [String] = []
            try service.log.forEach { if let id = $0.clientEventID { stored.append(id) } }
            #expect(stored == ["5b8efff798038103d269b633813fc60ceee19b7ec3c1b174"])
            let agents = try await client.get("/api/v1/agents")
            let writer = try #require(agents.data?.arrayValue?.first { $0["name"] == "writer" })
            #expect(writer["role"] == "unknown")
            let summary = try await client.get(
                "/api/v1/metrics/aggregate/by-agent/\(writer["id"]!.int64Value!)",
                [("start_date", H.iso(H.noon - 2 * H.hour)), ("end_date", H.iso(H.noon))])
            #expect(summary.data?["performance"]?["total_tokens"] == 42)
            #expect(summary.data?["performance"]?["avg_execution_time_ms"] == .double(2000))
        }
    }

    @Test("the role and quality attributes are configurable")
    func configuredAttributes() async throws {
        var limits = RequestLimits()
        limits.spanMapping = GenAIMapping(roleAttribute: "team", qualityAttribute: "judge.score")
        try await H.run(limits: limits) { client, _ in
            let span = Self.span(
                1, agent: "tester",
                extra: [
                    Self.attribute("team", "qa"), Self.attribute("gen_ai.agent.role", "ignored"),
                    Self.attribute("judge.score", 77.5),
                ])
            let (status, _, _) = try await Self.post(
                client, try Self.request([([Self.attribute("service.name", "x")], [span])]).serializedBytes())
            #expect(status == .ok)
            let agents = try await client.get("/api/v1/agents")
            let tester = try #require(agents.data?.arrayValue?.first { $0["name"] == "tester" })
            #expect(tester["role"] == "qa")
            let summary = try await client.get(
                "/api/v1/metrics/aggregate/by-agent/\(tester["id"]!.int64Value!)",
                [("start_date", H.iso(H.noon - 2 * H.hour)), ("end_date", H.iso(H.noon))])
            #expect(summary.data?["quality"]?["avg_score"] == .double(77.5))
        }
    }

    @Test("bad requests: 4xx with a google.rpc.Status, never a 5xx, nothing stored")
    func badRequests() async throws {
        var limits = RequestLimits()
        limits.maxBodyBytes = 1 << 20
        try await H.run(limits: limits) { client, service in
            let head = service.log.head
            let good: [UInt8] = try Self.request([([Self.attribute("service.name", "a")], [Self.span(1)])])
                .serializedBytes()
            // Truncated protobuf.
            let (truncated, body, _) = try await Self.post(client, Array(good.prefix(good.count - 7)))
            #expect(truncated == .badRequest)
            #expect(try Otlp_RPCStatus(serializedBytes: body).code == 3)
            // Not JSON, JSON of the wrong shape, wrong attribute types.
            for text in [
                "{not json", "[1, 2]", #"{"resourceSpans": 5}"#,
                #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "xyz"}]}]}]}"#,
                #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": -4}]}]}]}"#,
            ] {
                let (status, body, _) = try await Self.post(client, Array(text.utf8), type: "application/json")
                #expect(status == .badRequest, "\(text)")
                #expect(try JSONParser.parse(body)["code"] == 3)
            }
            // Another media type, another encoding.
            #expect(try await Self.post(client, good, type: "text/plain").0 == .unsupportedMediaType)
            #expect(try await Self.post(client, good, encoding: "br").0 == .unsupportedMediaType)
            // A span with 10,000 attributes.
            var crowded = Self.span(2)
            crowded.attributes += (0..<10_000).map { Self.attribute("k\($0)", $0) }
            let (many, _, _) = try await Self.post(
                client, try Self.request([([Self.attribute("service.name", "a")], [crowded])]).serializedBytes())
            #expect(many == .contentTooLarge)
            // A gzip bomb: 64 KB that inflate to 8 MB, over the 1 MB limit.
            let bomb = Self.gzip([UInt8](repeating: 0, count: 8 << 20))
            #expect(bomb.count < 64 << 10)
            #expect(try await Self.post(client, bomb, encoding: "gzip").0 == .contentTooLarge)
            #expect(try await Self.post(client, [1, 2, 3], encoding: "gzip").0 == .badRequest)
            // A span without ids is rejected by itself.
            var anonymous = Self.span(3)
            anonymous.spanID = Data()
            let (partial, answer, _) = try await Self.post(
                client, try Self.request([([Self.attribute("service.name", "a")], [anonymous])]).serializedBytes())
            #expect(partial == .ok)
            #expect(try Otlp_ExportTraceServiceResponse(serializedBytes: answer).partialSuccess.rejectedSpans == 1)
            #expect(service.log.head == head)
        }
    }
}
