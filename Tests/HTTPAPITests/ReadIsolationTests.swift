import Foundation
import Hummingbird
import HummingbirdTesting
import Projections
import Synchronization
import TestSupport
import Testing
import Utilities

@testable import APIContract
@testable import FleetServices
@testable import HTTPAPI

@Suite("Reads never stall the service")
struct ReadIsolationTests {
    typealias H = ServerHarness
    typealias E = EndpointTests

    @Test("a read in progress holds no lock: writes, health checks and other reads complete meanwhile")
    func readHoldsNoLock() async throws {
        try await H.run { client, service in
            try await E.register(client, "coder")
            #expect(try await client.post("/api/v1/metrics", E.metric()).status == .created)
            let before = service.read { $0.sequence }
            // A read that does not return until told to, on a thread of its own.
            let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
            let release = DispatchSemaphore(value: 0)
            let reader = Task {
                await onOwnThread {
                    service.read { projection -> UInt64 in
                        enteredSignal.yield()
                        release.wait()
                        return projection.sequence
                    }
                }
            }
            for await _ in entered { break }
            // While it runs, writes are folded and every other request is answered.
            #expect(try await client.post("/api/v1/metrics", E.metric(cost: 0.5)).status == .created)
            #expect(try await E.register(client, "reviewer") == 2)
            #expect(try await client.get("/healthz").status == .ok)
            #expect(try await client.get("/api/v1/metrics/insights/performance").status == .ok)
            let summary = try await client.get("/api/v1/metrics/summary")
            #expect(summary.data?["last_24h"]?["total_operations"] == 2, "the new metric is read")
            release.signal()
            // The held read saw the consistent state of when it began.
            #expect(await reader.value == before)
        }
    }

    @Test("a windowed answer is reused exactly while no metric enters or leaves the window")
    func windowedCache() async throws {
        try await H.run { client, service in
            try await E.register(client, "coder")
            var metrics: [JSONValue] = []
            for i in 0..<12 {
                let at: Int64 = H.noon - Int64(i) * 2 * H.hour
                let time: JSONValue = .double(100 + Double(i * i))
                metrics.append(E.metric(at: at, cost: Double(i) / 100, [("execution_time_ms", time)]))
            }
            #expect(try await client.post("/api/v1/metrics", E.batch(metrics)).status == .created)
            let cache = WindowedAnswerCache()
            let key = "k"
            func window(_ asOf: Int64) -> TimeWindow { TimeWindow(start: asOf - 30 * H.day, end: asOf) }
            service.read { p in
                cache.store(key: key, .init(sequence: p.sequence, window: window(H.noon), bytes: [1]))
                // Moving the end forward over no metric keeps the entry; the start stays on its day.
                #expect(cache.answer(key: key, window: window(H.noon + H.minute), in: p, generation: 0) == [1])
                // Moving the start back over the oldest metric... none is that old: still exact.
                #expect(cache.answer(key: key, window: window(H.noon + 2 * H.minute), in: p, generation: 0) == [1])
                // A window whose end moves back past a metric: the metric leaves, the entry is stale.
                #expect(cache.answer(key: key, window: window(H.noon - H.hour), in: p, generation: 0) == nil)
                // The start's day changes: stale (insights count days from it).
                #expect(cache.answer(key: key, window: window(H.noon + H.day), in: p, generation: 0) == nil)
            }
            // Another generation of the projection (a rebuild replaced it): stale.
            service.read { p in
                cache.store(key: key, .init(sequence: p.sequence, window: window(H.noon), bytes: [1]))
                #expect(cache.answer(key: key, window: window(H.noon), in: p, generation: 1) == nil)
            }
            // Keys keep the raw query: an encoded `&` inside a value is not a second parameter.
            #expect(
                WindowedAnswerCache.key(path: "/p", rawQuery: "operation_type=x%26z_threshold%3D5")
                    != WindowedAnswerCache.key(path: "/p", rawQuery: "operation_type=x&z_threshold=5"))
            #expect(
                WindowedAnswerCache.key(path: "/p", rawQuery: "as_of=1&z=2&start_date=3&end%5Fdate=4")
                    == WindowedAnswerCache.key(path: "/p", rawQuery: "z=2"))
            // A write moves the log: stale.
            let sequence = service.read { $0.sequence }
            #expect(try await client.post("/api/v1/metrics", E.metric(at: H.noon - 3 * H.day)).status == .created)
            service.read { p in
                cache.store(key: key, .init(sequence: sequence, window: window(H.noon), bytes: [1]))
                #expect(cache.answer(key: key, window: window(H.noon), in: p, generation: 0) == nil)
            }

            // Through the API, answers equal a fresh computation at every step, and a repeated
            // poll answers 304 to its tag.
            var asOf = H.noon
            for step in 0..<40 {
                asOf += Int64(step % 7) * 17 * H.minute
                if step % 9 == 4 {
                    let late = E.metric(at: asOf - Int64(step) * H.hour, cost: 0.01 * Double(step))
                    #expect(try await client.post("/api/v1/metrics", late).status == .created)
                }
                for path in [
                    "/api/v1/metrics/insights/performance", "/api/v1/metrics/percentiles/execution_time",
                    "/api/v1/metrics/outliers/execution_time",
                ] {
                    let query = [("as_of", H.iso(asOf)), ("z_threshold", "1.0")].filter {
                        $0.0 != "z_threshold" || path.contains("outliers")
                    }
                    let r = try await client.get(path, query)
                    #expect(r.status == .ok)
                    let endpoint = try #require(ReadEndpoint.all.first { $0.match(path) != nil })
                    let parameters = endpoint.match(path) ?? [:]
                    let fresh = try service.read { p in
                        try endpoint.answer(
                            p,
                            ReadArguments(
                                pathParameter: { parameters[$0] },
                                query: QueryParameters(values: Dictionary(uniqueKeysWithValues: query)),
                                now: { H.noon })
                        ).serializedBytes
                    }
                    #expect(Array(r.text.utf8) == fresh, "\(path) at step \(step)")
                    var match = HTTPFields()
                    #expect(r.etag != nil)
                    match[.ifNoneMatch] = r.etag
                    #expect(try await client.get(path, query, headers: match).status == .notModified)
                }
            }
        }
    }
}

@Suite("Windowed answer cache bounds")
struct WindowedAnswerCacheBoundTests {
    @Test("the cache holds at most its entries and bytes, dropping the oldest; a larger answer is not kept")
    func bounds() {
        let cache = WindowedAnswerCache(capacity: 3, capacityBytes: 100)
        let window = TimeWindow(start: 0, end: 10)
        func store(_ key: String, _ size: Int) {
            cache.store(key: key, .init(sequence: 1, window: window, bytes: [UInt8](repeating: 1, count: size)))
        }
        for i in 0..<10 { store("k\(i)", 30) }
        #expect(cache.usage.entries == 3 && cache.usage.bytes == 90)
        store("big", 101)
        #expect(cache.usage.entries == 3 && cache.usage.bytes == 90, "an answer over the byte limit is not kept")
        store("k9", 60)
        #expect(cache.usage.bytes <= 100)
        #expect(cache.usage.entries == 2, "k7 was dropped to make room for the larger k9")
    }
}
