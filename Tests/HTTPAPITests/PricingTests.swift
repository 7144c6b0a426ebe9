import EventLog
import FleetServices
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OTLPTraces
import Projections
import SwiftProtobuf
import Testing
import Utilities

@testable import HTTPAPI

@Suite("Model prices")
struct PricingTests {
    typealias H = ServerHarness

    static let table: JSONValue = [
        "prices": [
            "gpt-4o": [
                "input_usd_per_million": 2.5, "output_usd_per_million": 10, "cached_input_usd_per_million": 1.25,
            ],
            "dated": [
                [
                    "valid_from": .string(H.iso(H.noon - H.day)), "input_usd_per_million": 1,
                    "output_usd_per_million": 2,
                ],
                [
                    "valid_from": .string(H.iso(H.noon - H.hour)), "input_usd_per_million": 2,
                    "output_usd_per_million": 4,
                ],
            ],
            "tiny": ["input_usd_per_million": 0.000001, "output_usd_per_million": 0],
        ]
    ]

    static func metric(
        _ model: String?, at t: Int64, input: Int64? = nil, output: Int64? = nil, cached: Int64? = nil,
        cost: Double? = nil, extra: JSONObject = [:]
    ) -> JSONValue {
        var m: JSONObject = [
            "agent_id": 1, "operation_type": "chat", "timestamp": .string(H.iso(t)), "execution_time_ms": 100,
            "success": true,
        ]
        if let model { m["model"] = .string(model) }
        if let input { m["input_tokens"] = .int(input) }
        if let output { m["output_tokens"] = .int(output) }
        if let cached { m["cached_input_tokens"] = .int(cached) }
        if let cost { m["cost_usd"] = .double(cost) }
        for (k, v) in extra { m[k] = v }
        return .object(m)
    }

    @Test("a price is exact: uncached, cached and output tokens at their prices, rounded half up once")
    func costFormula() throws {
        let rules = try Rules(json: Self.table)
        let price = try #require(rules.prices.price(of: "gpt-4o", at: 0))
        #expect(price.costNanos(inputTokens: 1_234, cachedInputTokens: 234, outputTokens: 567) == 8_462_500)
        let tiny = try #require(rules.prices.price(of: "tiny", at: 0))
        #expect(tiny.costNanos(inputTokens: 500, cachedInputTokens: 0, outputTokens: 0) == 1)
        #expect(tiny.costNanos(inputTokens: 499, cachedInputTokens: 0, outputTokens: 0) == 0)
        // The largest counts at the largest price stay exact (128-bit sum).
        let dear = ModelPrice(inputNanosPerMillion: 1_000_000 * Money.nanosPerDollar, outputNanosPerMillion: 0)
        let most: Int64 = 1_000_000_000_000_000_000
        #expect(dear.costNanos(inputTokens: Limits.maximumTokens, cachedInputTokens: 0, outputTokens: 0) == most)
        // The price in force at an instant: none before the first valid_from.
        #expect(rules.prices.price(of: "dated", at: H.noon - 2 * H.day) == nil)
        #expect(rules.prices.price(of: "dated", at: H.noon - 2 * H.hour)?.inputNanosPerMillion == 1_000_000_000)
        #expect(rules.prices.price(of: "dated", at: H.noon - H.hour)?.inputNanosPerMillion == 2_000_000_000)
        #expect(rules.prices.price(of: "GPT-4O", at: 0) == nil)
        // The document reads back to the same table.
        #expect(try Rules(json: ["prices": rules.prices.document]).prices == rules.prices)
    }

    @Test("a price table that does not hold up is refused, naming the field")
    func invalidTables() throws {
        let cases: [(JSONValue, String)] = [
            (["prices": []], "prices"),
            (["prices": ["m": ["input_usd_per_million": 1]]], "prices.m.output_usd_per_million"),
            (
                ["prices": ["m": ["input_usd_per_million": -1, "output_usd_per_million": 1]]],
                "prices.m.input_usd_per_million"
            ),
            (
                ["prices": ["m": ["input_usd_per_million": "1", "output_usd_per_million": 1]]],
                "prices.m.input_usd_per_million"
            ),
            (
                ["prices": ["m": ["input_usd_per_million": 1, "output_usd_per_million": 1, "per_call": 1]]],
                "prices.m.per_call"
            ),
            (
                [
                    "prices": [
                        "m": [["input_usd_per_million": 1, "output_usd_per_million": 1, "valid_from": "yesterday"]]
                    ]
                ],
                "prices.m[0].valid_from"
            ),
            (
                [
                    "prices": [
                        "m": [
                            ["input_usd_per_million": 1, "output_usd_per_million": 1],
                            ["input_usd_per_million": 2, "output_usd_per_million": 2],
                        ]
                    ]
                ], "prices.m"
            ),
            (["prices": ["m": []]], "prices.m"),
            (["prices": ["": ["input_usd_per_million": 1, "output_usd_per_million": 1]]], "prices."),
        ]
        for (document, field) in cases {
            #expect(throws: Rules.Invalid.self, "\(document.jsonString)") { try Rules(json: document) }
            do {
                _ = try Rules(json: document)
            } catch {
                #expect(error.field == field, "\(document.jsonString): \(error)")
            }
        }
    }

    @Test(
        "metrics that name a model and leave the cost out are priced by the writer, by the price in force at their timestamp"
    )
    func pricedMetrics() async throws {
        try await H.run { client, service in
            _ = try await client.post("/api/v1/agents", ["name": "a", "role": "r"])
            _ = try await client.put("/api/v1/admin/rules", ["evaluator": ["outlier_z_threshold": 4]])
            let put = try await client.put("/api/v1/admin/prices", Self.table)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.data?["version"] == 2)
            // The other rules stay.
            let rules = try await client.get("/api/v1/admin/rules")
            #expect(rules.data?["rules"]?["evaluator"]?["outlier_z_threshold"] == .double(4))
            #expect(rules.data?["rules"]?["prices"]?["gpt-4o"]?[0]?["output_usd_per_million"] == .double(10))
            let prices = try await client.get("/api/v1/admin/prices")
            #expect(prices.data?["prices"]?["dated"]?.arrayValue?.count == 2)

            let answer = try await client.post(
                "/api/v1/metrics",
                [
                    "metrics": [
                        Self.metric("gpt-4o", at: H.noon - 3 * H.hour, input: 1_234, output: 567, cached: 234),
                        Self.metric("dated", at: H.noon - 2 * H.hour, input: 1_000_000, output: 1_000_000),
                        Self.metric("dated", at: H.noon - 30 * H.minute, input: 1_000_000, output: 1_000_000),
                        Self.metric("dated", at: H.noon - 2 * H.day, input: 10, output: 10),
                        Self.metric("no-such-model", at: H.noon - H.hour, input: 10, output: 10),
                        Self.metric("gpt-4o", at: H.noon - H.hour, input: 10, output: 10, cost: 0.5),
                        Self.metric(nil, at: H.noon - H.hour, input: 10, output: 10),
                        Self.metric("gpt-4o", at: H.noon - H.hour, extra: ["tokens_used": 20]),
                        Self.metric("gpt-4o", at: H.noon - H.hour, input: 10, output: 10, cached: 11),
                    ]
                ])
            #expect(answer.status.code == 207, "\(answer.text)")
            let results = try #require(answer.json?["results"]?.arrayValue)
            let expected: [(String, Double?, String?)] = [
                ("created", 0.0084625, "table"), ("created", 3, "table"), ("created", 6, "table"),
                ("created", 0, "unknown_model"), ("created", 0, "unknown_model"), ("created", nil, nil),
                ("rejected", nil, nil), ("rejected", nil, nil), ("rejected", nil, nil),
            ]
            for (result, (status, cost, pricing)) in zip(results, expected) {
                #expect(result["status"]?.stringValue == status, "\(result.jsonString)")
                #expect(result["cost_usd"]?.doubleValue == cost, "\(result.jsonString)")
                #expect(result["pricing"]?.stringValue == pricing, "\(result.jsonString)")
            }
            #expect(results[6]["error"]?["field"] == "cost_usd")
            #expect(results[7]["error"]?["field"] == "input_tokens")
            #expect(results[8]["error"]?["field"] == "cached_input_tokens")

            // The decided costs are what the reads count, and what the log holds.
            let summary = try await client.get(
                "/api/v1/metrics/aggregate/by-agent/1",
                [("start_date", H.iso(H.noon - 3 * H.day)), ("end_date", H.iso(H.noon))])
            #expect(summary.data?["cost"]?["total_usd"] == .double(9.5085))  // rounded as the contract rounds USD
            var stored: [MetricRecorded] = []
            try service.log.forEach { record in
                if case .metricRecorded(let m)? = try? record.domainEvent() { stored.append(m) }
            }
            #expect(stored.map(\.costNanos) == [8_462_500, 3_000_000_000, 6_000_000_000, 0, 0, 500_000_000])
            #expect(stored.map { $0.usage?.pricing } == [.table, .table, .table, .unknownModel, .unknownModel, .given])
            #expect(stored[0].usage?.cachedInputTokens == 234)
            let exposition = try await client.get("/metrics").text
            #expect(exposition.contains("metrics_unknown_model_total 2"), "\(exposition)")

            // A lone metric that cannot be priced is a 422 naming the field.
            let lone = try await client.post(
                "/api/v1/metrics", Self.metric("gpt-4o", at: H.noon, extra: ["tokens_used": 5]))
            #expect(lone.status == .unprocessableContent)
            #expect(lone.json?["error"]?["field"] == "input_tokens")
        }
    }

    @Test("a bad price table is a 422 naming the field, and changes nothing")
    func badPriceTable() async throws {
        try await H.run { client, service in
            let head = service.log.head
            let bad = try await client.put(
                "/api/v1/admin/prices", ["prices": ["m": ["input_usd_per_million": 1]]])
            #expect(bad.status == .unprocessableContent || bad.status == .badRequest)
            #expect(bad.json?["error"]?["field"] == "prices.m.output_usd_per_million")
            let wrongShape = try await client.put("/api/v1/admin/prices", ["gpt-4o": 1])
            #expect(wrongShape.json?["error"]?["field"] == "prices")
            #expect(service.log.head == head)
        }
    }

    @Test("the shipped default table is a valid price table")
    func defaultTable() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/model-prices.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let rules = try Rules(document: text)
        #expect(rules.prices.models.count >= 20)
        #expect(rules.prices.price(of: "gpt-4o-mini", at: 0) != nil)
    }

    @Test("OTLP spans with a model and no cost are priced by the table; unknown models are stored at 0 and reported")
    func otlpPricing() async throws {
        try await H.run { client, service in
            _ = try await client.put("/api/v1/admin/prices", Self.table)
            var spans: [Otlp_Span] = []
            for (n, model) in [(1, "gpt-4o"), (2, "mystery-1"), (3, "gpt-4o")] {
                var span = OTLPTests.span(
                    UInt8(n), agent: "bot",
                    extra: [
                        OTLPTests.attribute("gen_ai.request.model", model),
                        OTLPTests.attribute("gen_ai.usage.cache_read.input_tokens", 40),
                    ])
                if n == 3 { span.attributes.append(OTLPTests.attribute("gen_ai.response.model", "gpt-4o-2024-08-06")) }
                spans.append(span)
            }
            let body: [UInt8] = try OTLPTests.request([([], spans)]).serializedBytes()
            let (status, bytes, _) = try await OTLPTests.post(client, body)
            #expect(status == .ok)
            let answer = try Otlp_ExportTraceServiceResponse(serializedBytes: bytes)
            #expect(answer.partialSuccess.rejectedSpans == 0)
            #expect(answer.partialSuccess.errorMessage.contains("mystery-1"), "\(answer.partialSuccess.errorMessage)")
            #expect(answer.partialSuccess.errorMessage.contains("gpt-4o-2024-08-06"))
            var stored: [MetricRecorded] = []
            try service.log.forEach { record in
                if case .metricRecorded(let m)? = try? record.domainEvent() { stored.append(m) }
            }
            // 100 input (40 cached) and 50 output tokens at gpt-4o: 60 × 2.5 + 40 × 1.25 + 50 × 10 = 700 µ$.
            #expect(stored.map(\.costNanos) == [700_000, 0, 0])
            #expect(stored.map { $0.usage?.model } == ["gpt-4o", "mystery-1", "gpt-4o-2024-08-06"])
            #expect(stored.map(\.tokensUsed) == [150, 150, 150])
            let exposition = try await client.get("/metrics").text
            #expect(exposition.contains("metrics_unknown_model_total 2"))
            #expect(
                exposition.contains("otlp_spans_unpriced_total 0")
                    || !exposition.contains("otlp_spans_unpriced_total 1"))
        }
    }

    @Test(
        "replay what-if re-prices the metrics the writer priced, and shows the cost difference and the alerts it moves")
    func whatIfPrices() async throws {
        try await H.runThenOpenLog { client in
            _ = try await client.post("/api/v1/agents", ["name": "a", "role": "r"])
            _ = try await client.put("/api/v1/admin/prices", Self.table)
            _ = try await client.put(
                "/api/v1/agents/1/budget", ["total_budget_usd": 10, "period": "monthly", "hard": true])
            let answer = try await client.post(
                "/api/v1/metrics",
                [
                    "metrics": [
                        Self.metric("gpt-4o", at: H.noon - 3 * H.hour, input: 1_000_000, output: 100_000),
                        Self.metric("dated", at: H.noon - 2 * H.hour, input: 1_000_000, output: 0),
                        Self.metric("gpt-4o", at: H.noon - H.hour, input: 10, output: 10, cost: 1),
                    ]
                ])
            #expect(answer.status == .created, "\(answer.text)")
        } inspect: { log in
            // Under the rules in force nothing changes.
            let inForce = try Rules(json: Self.table)
            let same = try LogReplay.whatIf(log, options: .init(rules: inForce, hourly: false))
            #expect(same.costs.recordedNanos == same.costs.whatIfNanos)
            #expect(same.costs.recordedNanos == 3_500_000_000 + 1_000_000_000)
            #expect(same.alertChanges.isEmpty, "\(same.table)")
            // gpt-4o four times as dear: $3.50 → $14 for that metric, and the budget of $10 is crossed.
            var dearer = inForce
            var prices = try PriceTable(json: [
                "gpt-4o": ["input_usd_per_million": 10, "output_usd_per_million": 40],
                "dated": Self.table["prices"]!["dated"]!,
            ])
            dearer.prices = prices
            let report = try LogReplay.whatIf(log, options: .init(rules: dearer, hourly: false))
            #expect(report.costs.whatIfNanos == 14_000_000_000 + 1_000_000_000)
            #expect(report.costs.models["gpt-4o"]?.metrics == 1)
            #expect(report.json["costs"]?["difference_usd"] == .double(10.5))
            #expect(report.ruleChanges.map(\.field) == ["prices.gpt-4o", "prices.tiny"])
            #expect(report.alertChanges.map(\.change) == [.raised, .raised], "\(report.table)")
            #expect(report.table.contains("gpt-4o"))
            // The hard budget is used up by the dearer metric: the allowance would have said no from then on.
            #expect(same.hardLimits.changes.isEmpty)
            #expect(report.hardLimits.changes.map(\.whatIf) == [H.noon - 3 * H.hour])
            #expect(report.hardLimits.changes.map(\.recorded) == [nil])
            #expect(report.json["hard_limits"]?["changes"]?[0]?["budget"] == "agent 1")
            #expect(report.table.contains("hard budgets used up"))
            // Without a price for `dated`, its metric is stored at 0 in the what-if history.
            prices = try PriceTable(json: ["gpt-4o": Self.table["prices"]!["gpt-4o"]!])
            dearer.prices = prices
            let without = try LogReplay.whatIf(log, options: .init(rules: dearer, hourly: false))
            #expect(without.costs.models["dated"]?.whatIfUnknown == 1)
            #expect(without.costs.whatIfNanos == 3_500_000_000)
        }
    }
}
