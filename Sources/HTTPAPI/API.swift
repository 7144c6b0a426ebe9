import APIContract
import EventLog
import FleetServices
import Hummingbird
import Projections
import Utilities

/// The request handlers: reads answer from the projection, writes go through the writer.
struct API: Sendable {
    let service: FleetService
    let limits: RequestLimits
    /// The last answers of the windowed reads (percentiles, outliers, insights).
    let windowedAnswers = WindowedAnswerCache()

    func now() -> Int64 { service.clock() }

    // MARK: Responses

    func json(_ body: JSONValue, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(
            status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body.serialized())))
    }

    func json(object body: JSONObject, status: HTTPResponse.Status) -> Response { json(.object(body), status: status) }

    /// A GET answered from the projection, with an ETag (a hash of the body) and 304 on a match.
    func get(
        _ request: Request, _ answer: (borrowing FleetProjection, QueryParameters) throws(APIError) -> JSONObject
    ) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        let bytes = try service.read { projection throws in try answer(projection, query) }.serializedBytes
        return self.answer(request, bytes)
    }

    /// A 200 with `bytes` and their ETag, or a 304 when `If-None-Match` names the tag.
    func answer(_ request: Request, _ bytes: [UInt8]) -> Response {
        let tag = ETag.of(bytes)
        var headers = HTTPFields()
        headers[.eTag] = tag
        headers[.cacheControl] = "no-cache"
        if let match = request.headers[.ifNoneMatch], ETag.matches(match, tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A windowed read (`ReadEndpoint.windowed`), answered from `windowedAnswers` when the cached
    /// answer is still exact, computed (and remembered) otherwise.
    func getWindowed(_ request: Request, _ context: BasicRequestContext, _ endpoint: ReadEndpoint) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        // One reading of the clock for the window checked and the answer computed.
        let now = self.now()
        let arguments = ReadArguments(pathParameter: { context.parameters.get($0) }, query: query, now: { now })
        let key = WindowedAnswerCache.key(path: request.uri.path, rawQuery: request.uri.query)
        let bytes = try service.readWithGeneration { projection, generation throws -> [UInt8] in
            let window = try query.window(asOf: try arguments.asOf())
            if let cached = windowedAnswers.answer(key: key, window: window, in: projection, generation: generation) {
                return cached
            }
            let bytes = try endpoint.answer(projection, arguments).serializedBytes
            windowedAnswers.store(
                key: key,
                .init(sequence: projection.sequence, generation: generation, window: window, bytes: bytes))
            return bytes
        }
        return answer(request, bytes)
    }

    /// `GET /metrics/reports/weekly`: JSON, or Markdown with `format=markdown`.
    func weeklyReport(_ request: Request) throws -> Response {
        let query = QueryParameters(query: request.uri.query)
        let asOf = try query.asOf(now: now())
        let weekStart: Int64
        if let text = query.string("week") {
            guard let start = FleetProjection.isoWeekStart(text), APITime.contains(start),
                APITime.contains(start + 7 * UTCTime.microsecondsPerDay)
            else {
                throw APIError.invalidParameter("week", "week must be an ISO week such as 2025-W46")
            }
            weekStart = start
        } else {
            weekStart = UTCTime.isoWeekFloor(asOf) - 7 * UTCTime.microsecondsPerDay  // the last complete week
        }
        let format = query.string("format") ?? "json"
        guard format == "json" || format == "markdown" else {
            throw APIError.invalidParameter("format", "format must be json or markdown")
        }
        let report = service.read { $0.weeklyReport(weekStart: weekStart, asOf: asOf) }
        guard format == "markdown" else {
            return try get(request) { _, _ in report }
        }
        let bytes = Array(FleetProjection.weeklyReportMarkdown(report).utf8)
        var headers = HTTPFields()
        headers[.eTag] = ETag.of(bytes)
        headers[.contentType] = "text/markdown; charset=utf-8"
        if let match = request.headers[.ifNoneMatch], ETag.matches(match, headers[.eTag]!) {
            return Response(status: .notModified, headers: headers)
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    func query<T>(_ body: () throws(QueryError) -> T) throws(APIError) -> T {
        do { return try body() } catch { throw APIError(error) }
    }

    func health() -> Response {
        let sequence = service.read { $0.sequence }
        return json(
            .object([
                "success": true, "status": "ok", "log_head": .int(Int64(service.log.head)),
                "projection_sequence": .int(Int64(sequence)),
            ]),
            status: .ok)
    }

    // MARK: Path parameters

    func pathID(_ context: BasicRequestContext, _ name: String) throws(APIError) -> Int64 {
        try PathParameter.id(context.parameters.get(name), name)
    }

    // MARK: Writes

    private func write<R: Sendable>(
        _ decide:
            @escaping @Sendable (IngestionState, AppendContext) throws -> (events: [(DomainEvent, String?)], result: R)
    ) async throws -> R {
        // Refusals and log failures reach the one mapping in `ErrorEnvelopeMiddleware`.
        try await service.write(decide)
    }

    func registerAgent(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
        var requestedID: Int64?
        if let raw = object["id"], !raw.isNull {
            guard let v = raw.int64Value, (1...Limits.maximumAgentID).contains(v) else {
                throw APIError.validation("id", "id must be an integer from 1 to \(Limits.maximumAgentID)")
            }
            requestedID = v
        }
        let id = requestedID
        guard let name = object["name"]?.stringValue, !name.isEmpty, name.unicodeScalars.count <= 128 else {
            throw APIError.validation("name", "name must be a string of 1 to 128 characters")
        }
        guard let role = object["role"]?.stringValue, !role.isEmpty, role.unicodeScalars.count <= 64 else {
            throw APIError.validation("role", "role must be a string of 1 to 64 characters")
        }
        let outcome = try await write { state, _ in
            let (events, outcome) = try Ingestion.registerAgent(id: id, name: name, role: role, state: state)
            return (events.map { ($0, nil) }, outcome)
        }
        switch outcome {
        case .created(let agent):
            return json(object: ["success": true, "data": service.read { $0.agentJSON(agent) }], status: .created)
        case .unchanged(let agent):
            return json(object: ["success": true, "data": service.read { $0.agentJSON(agent) }], status: .ok)
        }
    }

    func setBudget(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let agentID = try pathID(context, "id")
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
        guard let totalValue = object["total_budget_usd"], let total = totalValue.doubleValue, total.isFinite,
            case .some = totalValue.boolValue == nil ? true : nil
        else { throw APIError.validation("total_budget_usd", "total_budget_usd is required and must be a number") }
        guard let nanos = Money.nanos(fromUSD: total) else {
            throw APIError.validation(
                "total_budget_usd", "total_budget_usd must be between 0 and \(Int(Money.maximumUSD))")
        }
        func percent(_ key: String, _ fallback: Double) throws(APIError) -> Double {
            guard let raw = object[key], !raw.isNull else { return fallback }
            guard let v = raw.doubleValue, v.isFinite, raw.boolValue == nil else {
                throw APIError.validation(key, "\(key) must be a number")
            }
            return v
        }
        // Left-out fields take the budget defaults of the rules in force.
        let defaults = service.read { $0.rules }
        let warning = try percent("warning_threshold_percent", defaults.budgetWarningPercent)
        let critical = try percent("critical_threshold_percent", defaults.budgetCriticalPercent)
        guard warning > 0 else {
            throw APIError.validation("warning_threshold_percent", "warning_threshold_percent must be positive")
        }
        guard critical > warning, critical <= 1_000_000 else {
            throw APIError.validation(
                "critical_threshold_percent", "critical_threshold_percent must be above the warning threshold")
        }
        var period = defaults.budgetPeriod
        if let raw = object["period"], !raw.isNull {
            guard let s = raw.stringValue, let p = BudgetPeriodKind(rawValue: s) else {
                throw APIError.validation("period", "period must be daily, weekly, monthly or total")
            }
            period = p
        }
        let budget = BudgetSet(
            agentID: agentID, totalBudgetNanos: nanos, warningThresholdPercent: warning,
            criticalThresholdPercent: critical,
            period: period)
        let at = try await write { state, context in
            let events = try Ingestion.setBudget(budget, state: state, now: context.recordedAt)
            return (events.map { ($0, nil) }, context.recordedAt)
        }
        let status = service.read { $0.budgetStatus(agentID: agentID, asOf: at) }
        return json(object: ["success": true, "data": status ?? .null], status: .ok)
    }

    func recordMetrics(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxBodyBytes)
        let items: [JSONValue]
        let single: Bool
        if let object = body.objectValue, let batch = object["metrics"] {
            guard let list = batch.arrayValue else { throw APIError.validation("metrics", "metrics must be an array") }
            items = list
            single = false
        } else if body.objectValue != nil {
            items = [body]
            single = true
        } else {
            throw APIError.validation("", "the body must be a metric object or {\"metrics\": [...]}")
        }
        if items.count > limits.maxBatch {
            throw APIError(
                .contentTooLarge, "payload_too_large", "a batch holds at most \(limits.maxBatch) metrics",
                field: "metrics")
        }
        let now = self.now()
        let known = service.read { Set($0.agents.keys) }
        let parsed = items.map { MetricValidation.parse($0, now: now, knownAgent: { known.contains($0) }) }
        if single, case .failure(.validation(let field, let message)) = parsed[0] {
            throw APIError.validation(field, message)
        }
        let outcomes = try await write { state, context in
            let (events, outcomes) = try Ingestion.recordMetrics(
                parsed, state: state,
                nextSequence: context.nextSequence,
                existingSequence: { try context.existingSequence(forEventID: $0) })
            return (events.map { ($0.event, $0.eventID) }, outcomes)
        }
        if single, case .rejected(let field, let message) = outcomes[0] {
            throw APIError.validation(field, message)
        }
        var accepted: Int64 = 0
        var duplicates: Int64 = 0
        var rejected: Int64 = 0
        var results: [JSONValue] = []
        results.reserveCapacity(outcomes.count)
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .created(let id):
                accepted += 1
                results.append(
                    .object(["index": .int(Int64(index)), "status": "created", "id": .int(id), "error": nil]))
            case .duplicate(let id):
                duplicates += 1
                results.append(
                    .object(["index": .int(Int64(index)), "status": "duplicate", "id": .int(id), "error": nil]))
            case .rejected(let field, let message):
                rejected += 1
                results.append(
                    .object([
                        "index": .int(Int64(index)), "status": "rejected", "id": nil,
                        "error": .object([
                            "code": "validation_failed", "message": .string(message), "field": .string(field),
                        ]),
                    ]))
            }
        }
        let status: HTTPResponse.Status =
            accepted == Int64(outcomes.count) ? .created : .init(code: 207, reasonPhrase: "Multi-Status")
        return json(
            object: [
                "success": true, "accepted": .int(accepted), "duplicates": .int(duplicates), "rejected": .int(rejected),
                "results": .array(results),
            ], status: status)
    }

    func transition(_ request: Request, _ context: BasicRequestContext, acknowledge: Bool) async throws -> Response {
        let alertID = try pathID(context, "id")
        var byValue: String?
        var noteValue: String?
        if let body = try await Body.optionalJSON(request, limit: limits.maxSmallBodyBytes) {
            guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
            if let raw = object["by"], !raw.isNull {
                guard let s = raw.stringValue, s.unicodeScalars.count <= 128 else {
                    throw APIError.validation("by", "by must be a string of at most 128 characters")
                }
                byValue = s
            }
            if let raw = object["note"], !raw.isNull {
                guard let s = raw.stringValue, s.unicodeScalars.count <= 2000 else {
                    throw APIError.validation("note", "note must be a string of at most 2,000 characters")
                }
                noteValue = s
            }
        }
        let (by, note) = (byValue, noteValue)
        try await write { state, context in
            let events =
                acknowledge
                ? try Ingestion.acknowledge(alertID: alertID, by: by, note: note, now: context.recordedAt, state: state)
                : try Ingestion.resolve(alertID: alertID, by: by, note: note, now: context.recordedAt, state: state)
            return (events.map { ($0, nil) }, ())
        }
        let body = try service.read { p throws(APIError) in
            try query { () throws(QueryError) in try p.alert(id: alertID) }
        }
        return json(object: body, status: .ok)
    }

    func putRules(_ request: Request) async throws -> Response {
        let body = try await Body.json(request, limit: limits.maxSmallBodyBytes)
        let rules: Rules
        do {
            rules = try Rules(json: body)
        } catch {
            throw APIError.validation(error.field, error.message)
        }
        let document = rules.document
        let version = try await write { state, _ in
            let version = state.rulesVersion + 1
            return ([(.rulesChanged(RulesChanged(version: version, document: document.jsonString)), nil)], version)
        }
        return json(
            object: ["success": true, "data": .object(["version": .int(version), "rules": document])], status: .ok)
    }

    func evaluate(_ request: Request) async throws -> Response {
        var requestedAsOf = now()
        if let body = try await Body.optionalJSON(request, limit: limits.maxSmallBodyBytes) {
            guard let object = body.objectValue else { throw APIError.validation("", "the body must be a JSON object") }
            if let raw = object["as_of"], !raw.isNull {
                guard let text = raw.stringValue, let t = APITime.parse(text) else {
                    throw APIError.validation(
                        "as_of", "as_of must be an ISO-8601 UTC time, \(APITime.rangeDescription)")
                }
                try APITime.requireNotFuture(t, now: requestedAsOf, field: "as_of")
                requestedAsOf = t
            }
        }
        let asOf = requestedAsOf
        let events = try await service.evaluate(asOf: asOf)
        var raised: Int64 = 0
        var resolved: Int64 = 0
        for event in events {
            if case .alertRaised = event { raised += 1 }
            if case .alertResolved = event { resolved += 1 }
        }
        return json(
            object: [
                "success": true,
                "data": .object([
                    "as_of": .string(UTCTime.formatISO8601(asOf)), "alerts_raised": .int(raised),
                    "alerts_resolved": .int(resolved),
                ]),
            ], status: .ok)
    }
}

/// Entity tags: a 64-bit FNV-1a hash of the body.
enum ETag {
    static func of(_ bytes: [UInt8]) -> String {
        "\"" + FNV1a64.hex(bytes) + "\""
    }

    static func matches(_ header: String, _ tag: String) -> Bool {
        header == "*"
            || header.split(separator: ",").contains {
                $0.trimmingCharacters(in: " ") == tag || $0.trimmingCharacters(in: " ") == "W/" + tag
            }
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
