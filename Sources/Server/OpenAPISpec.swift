import Projections

/// What the route table cannot know about each operation: its query parameters, request body and
/// every response it can give (status, media type, schema), plus the shared components. Written as
/// JSON (parsed once) so it reads like the document it becomes; `OpenAPIDocument` merges it with
/// the route table, and a test checks that every route has an entry and every entry a route.
enum OpenAPISpec {
    /// The operations, keyed `METHOD path` as in the route table.
    static let operations: JSONObject = parse(operationsText)
    /// `components` of the document.
    static let components: JSONObject = parse(componentsText)

    private static func parse(_ text: String) -> JSONObject {
        do {
            guard let object = try JSONParser.parse(text).objectValue else { fatalError("OpenAPI spec: not an object") }
            return object
        } catch {
            fatalError("OpenAPI spec is not valid JSON: \(error)")
        }
    }

    // MARK: Operations

    private static let operationsText = #"""
        {
          "GET /healthz": {
            "responses": {
              "200": {"description": "The service is up", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}
            }
          },
          "GET /metrics": {
            "responses": {
              "200": {"description": "Prometheus text exposition", "content": {"text/plain": {"schema": {"type": "string"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /openapi.json": {
            "responses": {
              "200": {"description": "This document", "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/agents": {
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "Every agent, by id", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentList"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "POST /api/v1/agents": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentInput"}, "example": {"name": "coder", "role": "developer"}}}},
            "responses": {
              "200": {"description": "The same agent was registered before with identical fields", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentEnvelope"}}}, "links": {"GetAgent": {"$ref": "#/components/links/GetAgent"}, "SetBudget": {"$ref": "#/components/links/SetBudget"}, "AgentSummary": {"$ref": "#/components/links/AgentSummary"}, "RoleSummary": {"$ref": "#/components/links/RoleSummary"}}},
              "201": {"description": "Registered", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentEnvelope"}}}, "links": {"GetAgent": {"$ref": "#/components/links/GetAgent"}, "SetBudget": {"$ref": "#/components/links/SetBudget"}, "AgentSummary": {"$ref": "#/components/links/AgentSummary"}, "RoleSummary": {"$ref": "#/components/links/RoleSummary"}}},
              "400": {"$ref": "#/components/responses/InvalidBody"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "GET /api/v1/agents/{id}": {
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The agent", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AgentEnvelope"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "PUT /api/v1/agents/{id}/budget": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BudgetInput"}, "example": {"total_budget_usd": 30.0, "warning_threshold_percent": 80, "critical_threshold_percent": 100, "period": "monthly"}}}},
            "responses": {
              "200": {"description": "The budget status after the change", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BudgetEnvelope"}}}, "links": {"GetBudget": {"$ref": "#/components/links/GetBudget"}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "GET /api/v1/agents/{id}/budget": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The budget status at as_of", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BudgetEnvelope"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "POST /api/v1/metrics": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/MetricBatch"}, {"$ref": "#/components/schemas/MetricInput"}]}, "example": {"event_id": "run-42-step-7", "agent_id": 1, "operation_type": "implementation", "timestamp": "2025-11-17T11:00:00Z", "execution_time_ms": 245.3, "tokens_used": 1200, "api_calls": 3, "success": true, "quality_score": 87.5, "cost_usd": 0.0123}}}},
            "responses": {
              "201": {"description": "Every item was created (an empty batch too)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MetricResults"}}}},
              "207": {"description": "Some items were duplicates or rejected", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MetricResults"}}}},
              "400": {"$ref": "#/components/responses/InvalidBody"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "GET /api/v1/metrics/aggregate/timeseries": {
            "parameters": [
              {"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"},
              {"name": "granularity", "in": "query", "schema": {"type": "string", "enum": ["hour", "day", "week", "month"], "default": "day"}},
              {"$ref": "#/components/parameters/AgentFilter"}, {"$ref": "#/components/parameters/RoleFilter"}, {"$ref": "#/components/parameters/OperationFilter"},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "Dense buckets, oldest first", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TimeSeries"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/aggregate/by-agent/{agent_id}": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The agent's summary over the window", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ByAgent"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "GET /api/v1/metrics/aggregate/by-role/{role}": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The role's summary over the window", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ByRole"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "GET /api/v1/metrics/percentiles/{metric}": {
            "parameters": [
              {"name": "metric", "in": "path", "required": true, "schema": {"type": "string", "enum": ["execution_time", "cost", "quality_score", "tokens"]}},
              {"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"},
              {"$ref": "#/components/parameters/AgentFilter"}, {"$ref": "#/components/parameters/OperationFilter"}, {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "Percentiles over the window (all null without values)", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Percentiles"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/trends/{metric}": {
            "parameters": [
              {"name": "metric", "in": "path", "required": true, "schema": {"type": "string", "enum": ["execution_time", "cost", "success_rate", "quality_score"]}},
              {"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/AgentFilter"},
              {"name": "lookback_days", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 365, "default": 30}},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "The trend over [as_of - lookback_days, as_of]", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Trend"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/outliers/{metric}": {
            "parameters": [
              {"name": "metric", "in": "path", "required": true, "schema": {"type": "string", "enum": ["execution_time", "cost", "quality_score", "tokens"]}},
              {"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"},
              {"name": "z_threshold", "in": "query", "schema": {"type": "number", "exclusiveMinimum": 0, "maximum": 100, "default": 3.0}},
              {"$ref": "#/components/parameters/AgentFilter"}, {"$ref": "#/components/parameters/OperationFilter"},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "Outliers by |z| descending", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Outliers"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/recommendations/cost": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "At most one recommendation per agent with a budget", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Recommendations"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/insights/performance": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/StartDate"}, {"$ref": "#/components/parameters/EndDate"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "Insights over the window", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Insights"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/summary": {
            "parameters": [{"$ref": "#/components/parameters/AsOf"}, {"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The last 24 hours, the last 30 days, open work", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Summary"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/alerts": {
            "parameters": [
              {"$ref": "#/components/parameters/AsOf"},
              {"name": "start_date", "in": "query", "description": "Lower bound on detected_at (inclusive; default none)", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "end_date", "in": "query", "description": "Upper bound on detected_at (inclusive; default none)", "schema": {"$ref": "#/components/schemas/Time"}},
              {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["active", "acknowledged", "resolved"]}},
              {"name": "severity", "in": "query", "schema": {"type": "string", "enum": ["info", "warning", "critical"]}},
              {"$ref": "#/components/parameters/AgentFilter"},
              {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["budget_overrun", "performance_degradation", "outlier"]}},
              {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 50}},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {"description": "Alerts by detected_at descending, then id descending", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertList"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/metrics/alerts/{id}": {
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The alert", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertEnvelope"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "GET /api/v1/metrics/alerts/{id}/history": {
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The alert's transitions from the log, oldest first", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertHistory"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"}
            }
          },
          "PUT /api/v1/metrics/alerts/{id}/acknowledge": {
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}, "example": {"by": "oncall", "note": "looking into it"}}}},
            "responses": {
              "200": {"description": "The alert after the transition", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertEnvelope"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "PUT /api/v1/metrics/alerts/{id}/resolve": {
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TransitionInput"}, "example": {"by": "oncall", "note": "looking into it"}}}},
            "responses": {
              "200": {"description": "The alert after the transition", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AlertEnvelope"}}}},
              "400": {"$ref": "#/components/responses/BadRequest"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "404": {"$ref": "#/components/responses/NotFound"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "GET /api/v1/metrics/reports/weekly": {
            "parameters": [
              {"$ref": "#/components/parameters/AsOf"},
              {"name": "week", "in": "query", "description": "ISO week (default: the last complete week before as_of)", "schema": {"type": "string", "pattern": "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"}},
              {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "markdown"], "default": "json"}},
              {"$ref": "#/components/parameters/IfNoneMatch"}
            ],
            "responses": {
              "200": {
                "description": "The week's report",
                "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
                "content": {
                  "application/json": {"schema": {"$ref": "#/components/schemas/WeeklyReport"}},
                  "text/markdown": {"schema": {"type": "string"}}
                }
              },
              "304": {"$ref": "#/components/responses/NotModified"},
              "400": {"$ref": "#/components/responses/InvalidParameter"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "GET /api/v1/admin/rules": {
            "parameters": [{"$ref": "#/components/parameters/IfNoneMatch"}],
            "responses": {
              "200": {"description": "The rules in force and their version", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RulesEnvelope"}}}},
              "304": {"$ref": "#/components/responses/NotModified"},
              "401": {"$ref": "#/components/responses/Unauthorized"}
            }
          },
          "PUT /api/v1/admin/rules": {
            "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RulesInput"}}}},
            "responses": {
              "200": {"description": "The new rules and their version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RulesEnvelope"}}}},
              "400": {"$ref": "#/components/responses/InvalidBody"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "POST /api/v1/admin/rebuild": {
            "responses": {
              "200": {"description": "Rebuilt and switched", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RebuildResult"}}}},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "POST /api/v1/admin/retention": {
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"as_of": {"anyOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}], "description": "Default: the server clock"}}}}}},
            "responses": {
              "200": {"description": "What the run archived and removed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RetentionResult"}}}},
              "400": {"$ref": "#/components/responses/InvalidBody"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "409": {"$ref": "#/components/responses/Conflict"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          },
          "POST /api/v1/admin/evaluate": {
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvaluateInput"}, "example": {"as_of": "2025-11-17T12:00:00Z"}}}},
            "responses": {
              "200": {"description": "What the evaluation raised and resolved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EvaluateResult"}}}},
              "400": {"$ref": "#/components/responses/InvalidBody"},
              "401": {"$ref": "#/components/responses/Unauthorized"},
              "413": {"$ref": "#/components/responses/PayloadTooLarge"},
              "422": {"$ref": "#/components/responses/ValidationFailed"},
              "503": {"$ref": "#/components/responses/Unavailable"}
            }
          }
        }
        """#

    // MARK: Rules

    /// The constraints of each rule of the rules document (`section.rule`), beside the type the
    /// document's default value gives it; `OpenAPIDocument` builds `RulesInput`/`RulesDocument`
    /// from `Rules.defaults.document` and these, so a new rule cannot be left out.
    static let ruleConstraints: JSONObject = parse(ruleConstraintsText)

    private static let ruleConstraintsText = #"""
        {
          "recommendations.pause_max_tasks": {"minimum": 0, "maximum": 1000000000},
          "recommendations.review_min_cost_usd": {"minimum": 0, "maximum": 1000000000},
          "recommendations.review_max_quality": {"minimum": 0, "maximum": 100},
          "recommendations.reduce_max_utilization_percent": {"minimum": 0, "maximum": 1000000},
          "recommendations.reduce_max_tasks": {"minimum": 0, "maximum": 1000000000},
          "recommendations.increase_min_quality": {"minimum": 0, "maximum": 100},
          "recommendations.increase_min_utilization_percent": {"minimum": 0, "maximum": 1000000},
          "recommendations.window_days": {"minimum": 1, "maximum": 365},
          "evaluator.degradation_lookback_days": {"minimum": 1, "maximum": 365},
          "evaluator.outlier_z_threshold": {"exclusiveMinimum": 0, "maximum": 100},
          "evaluator.outlier_minimum_sample": {"minimum": 3, "maximum": 1000000000},
          "evaluator.outlier_window_days": {"minimum": 1, "maximum": 365},
          "evaluator.evaluation_interval_minutes": {"minimum": 1, "maximum": 1440, "description": "Divides a day (1440 minutes)"},
          "budgets.warning_threshold_percent": {"exclusiveMinimum": 0, "maximum": 1000000, "description": "Below critical_threshold_percent"},
          "budgets.critical_threshold_percent": {"minimum": 0, "maximum": 1000000, "description": "Above warning_threshold_percent"},
          "budgets.period": {"enum": ["daily", "weekly", "monthly", "total"]},
          "retention.metrics_days": {"minimum": 1, "maximum": 3650},
          "retention.rollup_days": {"minimum": 1, "maximum": 36500, "description": "At least metrics_days"}
        }
        """#

    // MARK: Components

    private static let componentsText = #"""
        {
          "securitySchemes": {
            "apiKey": {"type": "http", "scheme": "bearer", "description": "Required when the service runs with API keys (read or write scope)"}
          },
          "links": {
            "GetAgent": {"operationId": "get_agents_by_id", "parameters": {"id": "$response.body#/data/id"}},
            "SetBudget": {"operationId": "put_agents_budget", "parameters": {"id": "$response.body#/data/id"}},
            "AgentSummary": {"operationId": "get_metrics_aggregate_by_agent_by_id", "parameters": {"agent_id": "$response.body#/data/id"}},
            "RoleSummary": {"operationId": "get_metrics_aggregate_by_role_by_id", "parameters": {"role": "$response.body#/data/role"}},
            "GetBudget": {"operationId": "get_agents_budget", "parameters": {"id": "$response.body#/data/agent_id"}}
          },
          "headers": {
            "ETag": {"description": "A hash of the body; send it back in If-None-Match", "required": true, "schema": {"type": "string"}}
          },
          "parameters": {
            "AsOf": {"name": "as_of", "in": "query", "description": "The instant treated as now (default: the server clock)", "schema": {"$ref": "#/components/schemas/Time"}},
            "StartDate": {"name": "start_date", "in": "query", "description": "Inclusive lower bound on metric timestamps (default as_of - 30 days)", "schema": {"$ref": "#/components/schemas/Time"}},
            "EndDate": {"name": "end_date", "in": "query", "description": "Inclusive upper bound on metric timestamps (default as_of)", "schema": {"$ref": "#/components/schemas/Time"}},
            "AgentFilter": {"name": "agent_id", "in": "query", "schema": {"$ref": "#/components/schemas/ID"}},
            "RoleFilter": {"name": "role", "in": "query", "schema": {"type": "string"}},
            "OperationFilter": {"name": "operation_type", "in": "query", "schema": {"type": "string"}},
            "IfNoneMatch": {"name": "If-None-Match", "in": "header", "description": "An ETag of an earlier answer: 304 while it is current", "schema": {"type": "string"}}
          },
          "responses": {
            "NotModified": {"description": "The answer has not changed since the ETag given in If-None-Match", "headers": {"ETag": {"$ref": "#/components/headers/ETag"}}},
            "InvalidParameter": {"description": "invalid_parameter: a path or query parameter is malformed or out of range", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "InvalidBody": {"description": "invalid_body: the body is not JSON", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "BadRequest": {"description": "invalid_parameter (path) or invalid_body", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "Unauthorized": {"description": "unauthorized: API keys are configured and no valid one was given", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "NotFound": {"description": "not_found", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "Conflict": {"description": "conflict", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "PayloadTooLarge": {"description": "payload_too_large: the body or the batch is over the limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "ValidationFailed": {"description": "validation_failed: the JSON does not hold up; field names the culprit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            "Unavailable": {"description": "unavailable: the event log cannot take writes right now", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
          },
          "schemas": {
            "Error": {
              "type": "object",
              "required": ["success", "error"],
              "properties": {
                "success": {"const": false},
                "error": {
                  "type": "object",
                  "required": ["code", "message"],
                  "additionalProperties": false,
                  "properties": {
                    "code": {"type": "string", "enum": ["invalid_parameter", "invalid_body", "validation_failed", "not_found", "method_not_allowed", "conflict", "unauthorized", "payload_too_large", "unavailable", "internal"]},
                    "message": {"type": "string", "minLength": 1},
                    "field": {"type": ["string", "null"]}
                  }
                }
              }
            },
            "Time": {"type": "string", "format": "date-time", "description": "ISO-8601 with a UTC offset; the service takes instants from 1970-01-01T00:00:00Z to before 9999-01-01T00:00:00Z and answers in UTC (Z)"},
            "NullableTime": {"anyOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}]},
            "ID": {"type": "integer", "minimum": 1, "maximum": 9223372036854775807},
            "Count": {"type": "integer", "minimum": 0},
            "Number": {"type": "number"},
            "NullableNumber": {"type": ["number", "null"]},
            "Period": {"type": "object", "required": ["start", "end"], "properties": {"start": {"$ref": "#/components/schemas/Time"}, "end": {"$ref": "#/components/schemas/Time"}}},
            "Health": {
              "type": "object", "required": ["success", "status", "log_head", "projection_sequence"],
              "properties": {"success": {"const": true}, "status": {"const": "ok"}, "log_head": {"$ref": "#/components/schemas/Count"}, "projection_sequence": {"$ref": "#/components/schemas/Count"}}
            },
            "Agent": {
              "type": "object", "required": ["id", "name", "role"],
              "properties": {"id": {"$ref": "#/components/schemas/ID"}, "name": {"type": "string", "minLength": 1}, "role": {"type": "string", "minLength": 1}}
            },
            "AgentInput": {
              "type": "object", "required": ["name", "role"],
              "properties": {
                "id": {"description": "Optional; the next free id when absent", "anyOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]},
                "name": {"type": "string", "minLength": 1, "maxLength": 128, "description": "Unique (case-sensitive)"},
                "role": {"type": "string", "minLength": 1, "maxLength": 64}
              }
            },
            "AgentEnvelope": {"type": "object", "required": ["success", "data"], "properties": {"success": {"const": true}, "data": {"$ref": "#/components/schemas/Agent"}}},
            "AgentList": {
              "type": "object", "required": ["success", "count", "data"],
              "properties": {"success": {"const": true}, "count": {"$ref": "#/components/schemas/Count"}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/Agent"}}}
            },
            "BudgetInput": {
              "type": "object", "required": ["total_budget_usd"],
              "description": "0 < warning_threshold_percent < critical_threshold_percent <= 1000000",
              "properties": {
                "total_budget_usd": {"type": "number", "minimum": 0, "maximum": 1000000000},
                "warning_threshold_percent": {"type": ["number", "null"], "exclusiveMinimum": 0, "default": 80},
                "critical_threshold_percent": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1000000, "default": 100},
                "period": {"type": ["string", "null"], "enum": ["daily", "weekly", "monthly", "total", null], "default": "monthly"}
              }
            },
            "BudgetStatus": {
              "type": "object",
              "required": ["agent_id", "total_budget_usd", "used_usd", "remaining_usd", "utilization_percent", "warning_threshold_percent", "critical_threshold_percent", "period", "period_start", "period_end", "status"],
              "properties": {
                "agent_id": {"$ref": "#/components/schemas/ID"},
                "total_budget_usd": {"type": "number", "minimum": 0},
                "used_usd": {"type": "number", "minimum": 0},
                "remaining_usd": {"type": "number"},
                "utilization_percent": {"type": ["number", "null"], "minimum": 0},
                "warning_threshold_percent": {"type": "number", "exclusiveMinimum": 0},
                "critical_threshold_percent": {"type": "number", "exclusiveMinimum": 0},
                "period": {"type": "string", "enum": ["daily", "weekly", "monthly", "total"]},
                "period_start": {"$ref": "#/components/schemas/NullableTime"},
                "period_end": {"$ref": "#/components/schemas/NullableTime"},
                "status": {"type": "string", "enum": ["ok", "warning", "critical"]}
              }
            },
            "BudgetEnvelope": {"type": "object", "required": ["success", "data"], "properties": {"success": {"const": true}, "data": {"$ref": "#/components/schemas/BudgetStatus"}}},
            "MetricInput": {
              "type": "object",
              "required": ["agent_id", "operation_type", "timestamp", "execution_time_ms", "success", "cost_usd"],
              "description": "tokens_used is required unless input_tokens or output_tokens is given",
              "anyOf": [
                {"required": ["tokens_used"]},
                {"required": ["input_tokens"], "properties": {"input_tokens": {"type": "integer"}}},
                {"required": ["output_tokens"], "properties": {"output_tokens": {"type": "integer"}}}
              ],
              "properties": {
                "event_id": {"type": ["string", "null"], "minLength": 1, "maxLength": 128, "description": "A client id; at most 255 bytes of UTF-8"},
                "agent_id": {"$ref": "#/components/schemas/ID"},
                "operation_type": {"type": "string", "pattern": "^[a-z0-9_.-]{1,64}$"},
                "timestamp": {"$ref": "#/components/schemas/Time"},
                "execution_time_ms": {"type": "number", "minimum": 0, "maximum": 1000000000000},
                "tokens_used": {"type": "integer", "minimum": 0, "maximum": 1000000000},
                "input_tokens": {"type": ["integer", "null"], "minimum": 0, "maximum": 1000000000},
                "output_tokens": {"type": ["integer", "null"], "minimum": 0, "maximum": 1000000000, "description": "input_tokens + output_tokens is at most 1000000000"},
                "api_calls": {"type": ["integer", "null"], "minimum": 0, "maximum": 9223372036854775807, "default": 1},
                "success": {"type": "boolean"},
                "quality_score": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "cost_usd": {"type": "number", "minimum": 0, "maximum": 1000000000, "description": "At most 9 decimals are kept; refused when the fleet's all-time spend would pass about $4.6 billion"},
                "error_message": {"type": ["string", "null"], "maxLength": 2000}
              }
            },
            "MetricBatch": {
              "type": "object", "required": ["metrics"],
              "properties": {"metrics": {"type": "array", "maxItems": 10000, "items": {"$ref": "#/components/schemas/MetricInput"}, "description": "Each item is validated on its own; invalid items are rejected in the results (207)"}}
            },
            "MetricResults": {
              "type": "object", "required": ["success", "accepted", "duplicates", "rejected", "results"],
              "properties": {
                "success": {"const": true},
                "accepted": {"$ref": "#/components/schemas/Count"},
                "duplicates": {"$ref": "#/components/schemas/Count"},
                "rejected": {"$ref": "#/components/schemas/Count"},
                "results": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["index", "status", "id", "error"],
                    "properties": {
                      "index": {"$ref": "#/components/schemas/Count"},
                      "status": {"type": "string", "enum": ["created", "duplicate", "rejected"]},
                      "id": {"anyOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]},
                      "error": {
                        "anyOf": [
                          {"type": "null"},
                          {"type": "object", "required": ["code", "message", "field"], "properties": {"code": {"const": "validation_failed"}, "message": {"type": "string"}, "field": {"type": "string"}}}
                        ]
                      }
                    }
                  }
                }
              }
            },
            "Bucket": {
              "type": "object",
              "required": ["total_operations", "successful_operations", "failed_operations", "success_rate", "avg_execution_time_ms", "total_tokens", "total_cost_usd", "avg_quality_score"],
              "properties": {
                "timestamp": {"$ref": "#/components/schemas/Time"},
                "total_operations": {"$ref": "#/components/schemas/Count"},
                "successful_operations": {"$ref": "#/components/schemas/Count"},
                "failed_operations": {"$ref": "#/components/schemas/Count"},
                "success_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "avg_execution_time_ms": {"type": ["number", "null"], "minimum": 0},
                "total_tokens": {"$ref": "#/components/schemas/Count"},
                "total_cost_usd": {"type": "number", "minimum": 0},
                "avg_quality_score": {"type": ["number", "null"], "minimum": 0, "maximum": 100}
              }
            },
            "TimeSeries": {
              "type": "object", "required": ["success", "period", "count", "data"],
              "properties": {
                "success": {"const": true},
                "period": {"type": "object", "required": ["start", "end", "granularity"], "properties": {"start": {"$ref": "#/components/schemas/Time"}, "end": {"$ref": "#/components/schemas/Time"}, "granularity": {"type": "string", "enum": ["hour", "day", "week", "month"]}}},
                "count": {"$ref": "#/components/schemas/Count"},
                "data": {"type": "array", "maxItems": 10000, "items": {"allOf": [{"$ref": "#/components/schemas/Bucket"}, {"required": ["timestamp"]}]}}
              }
            },
            "ByAgent": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["agent_id", "agent_name", "agent_role", "period", "tasks", "performance", "cost", "quality"],
                  "properties": {
                    "agent_id": {"$ref": "#/components/schemas/ID"},
                    "agent_name": {"type": "string"},
                    "agent_role": {"type": "string"},
                    "period": {"$ref": "#/components/schemas/Period"},
                    "tasks": {
                      "type": "object", "required": ["total", "successful", "failed", "success_rate"],
                      "properties": {"total": {"$ref": "#/components/schemas/Count"}, "successful": {"$ref": "#/components/schemas/Count"}, "failed": {"$ref": "#/components/schemas/Count"}, "success_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 100}}
                    },
                    "performance": {
                      "type": "object", "required": ["avg_execution_time_ms", "median_execution_time_ms", "p95_execution_time_ms", "total_tokens", "avg_tokens_per_task"],
                      "properties": {"avg_execution_time_ms": {"$ref": "#/components/schemas/NullableNumber"}, "median_execution_time_ms": {"$ref": "#/components/schemas/NullableNumber"}, "p95_execution_time_ms": {"$ref": "#/components/schemas/NullableNumber"}, "total_tokens": {"$ref": "#/components/schemas/Count"}, "avg_tokens_per_task": {"$ref": "#/components/schemas/NullableNumber"}}
                    },
                    "cost": {
                      "type": "object", "required": ["total_usd", "avg_per_task_usd", "budget_allocated_usd", "budget_remaining_usd", "budget_utilization_percent"],
                      "properties": {"total_usd": {"type": "number", "minimum": 0}, "avg_per_task_usd": {"$ref": "#/components/schemas/NullableNumber"}, "budget_allocated_usd": {"$ref": "#/components/schemas/NullableNumber"}, "budget_remaining_usd": {"$ref": "#/components/schemas/NullableNumber"}, "budget_utilization_percent": {"$ref": "#/components/schemas/NullableNumber"}}
                    },
                    "quality": {
                      "type": "object", "required": ["avg_score", "median_score", "min_score", "max_score"],
                      "properties": {"avg_score": {"$ref": "#/components/schemas/NullableNumber"}, "median_score": {"$ref": "#/components/schemas/NullableNumber"}, "min_score": {"$ref": "#/components/schemas/NullableNumber"}, "max_score": {"$ref": "#/components/schemas/NullableNumber"}}
                    }
                  }
                }
              }
            },
            "ByRole": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["role", "period", "summary", "agents"],
                  "properties": {
                    "role": {"type": "string"},
                    "period": {"$ref": "#/components/schemas/Period"},
                    "summary": {
                      "type": "object", "required": ["total_agents", "total_tasks", "total_cost_usd", "avg_cost_per_agent"],
                      "properties": {"total_agents": {"$ref": "#/components/schemas/Count"}, "total_tasks": {"$ref": "#/components/schemas/Count"}, "total_cost_usd": {"type": "number", "minimum": 0}, "avg_cost_per_agent": {"$ref": "#/components/schemas/NullableNumber"}}
                    },
                    "agents": {
                      "type": "array",
                      "items": {
                        "type": "object", "required": ["agent_id", "agent_name", "total_tasks", "success_rate", "avg_execution_time_ms", "total_cost_usd", "avg_quality_score"],
                        "properties": {"agent_id": {"$ref": "#/components/schemas/ID"}, "agent_name": {"type": "string"}, "total_tasks": {"$ref": "#/components/schemas/Count"}, "success_rate": {"$ref": "#/components/schemas/NullableNumber"}, "avg_execution_time_ms": {"$ref": "#/components/schemas/NullableNumber"}, "total_cost_usd": {"type": "number", "minimum": 0}, "avg_quality_score": {"$ref": "#/components/schemas/NullableNumber"}}
                      }
                    }
                  }
                }
              }
            },
            "Percentiles": {
              "type": "object", "required": ["success", "metric", "agent_id", "data"],
              "properties": {
                "success": {"const": true},
                "metric": {"type": "string", "enum": ["execution_time", "cost", "quality_score", "tokens"]},
                "agent_id": {"anyOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]},
                "data": {
                  "type": "object", "required": ["p50", "p75", "p90", "p95", "p99", "mean", "median", "std_dev", "count"],
                  "properties": {
                    "p50": {"$ref": "#/components/schemas/NullableNumber"}, "p75": {"$ref": "#/components/schemas/NullableNumber"}, "p90": {"$ref": "#/components/schemas/NullableNumber"},
                    "p95": {"$ref": "#/components/schemas/NullableNumber"}, "p99": {"$ref": "#/components/schemas/NullableNumber"}, "mean": {"$ref": "#/components/schemas/NullableNumber"},
                    "median": {"$ref": "#/components/schemas/NullableNumber"}, "std_dev": {"type": ["number", "null"], "minimum": 0}, "count": {"$ref": "#/components/schemas/Count"}
                  }
                }
              }
            },
            "Trend": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["metric", "trend", "slope", "r_squared", "p_value", "data_points", "period"],
                  "properties": {
                    "metric": {"type": "string", "enum": ["execution_time", "cost", "success_rate", "quality_score"]},
                    "trend": {"type": "string", "enum": ["improving", "degrading", "stable", "insufficient_data"]},
                    "slope": {"$ref": "#/components/schemas/NullableNumber"},
                    "r_squared": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    "p_value": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                    "data_points": {"$ref": "#/components/schemas/Count"},
                    "period": {"$ref": "#/components/schemas/Period"}
                  }
                }
              }
            },
            "Outliers": {
              "type": "object", "required": ["success", "metric", "z_threshold", "count", "data"],
              "properties": {
                "success": {"const": true},
                "metric": {"type": "string", "enum": ["execution_time", "cost", "quality_score", "tokens"]},
                "z_threshold": {"type": "number", "exclusiveMinimum": 0, "maximum": 100},
                "count": {"$ref": "#/components/schemas/Count"},
                "data": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["id", "agent_id", "agent_name", "operation_type", "value", "z_score", "deviation_from_mean", "timestamp"],
                    "properties": {
                      "id": {"$ref": "#/components/schemas/ID"}, "agent_id": {"$ref": "#/components/schemas/ID"}, "agent_name": {"type": ["string", "null"]},
                      "operation_type": {"type": "string"}, "value": {"type": "number"}, "z_score": {"type": "number"}, "deviation_from_mean": {"type": "number"},
                      "timestamp": {"$ref": "#/components/schemas/Time"}
                    }
                  }
                }
              }
            },
            "Recommendation": {
              "type": "object", "required": ["type", "priority", "agent_id", "agent", "agent_role", "current_budget", "recommended_budget", "reason", "estimated_savings"],
              "properties": {
                "type": {"type": "string", "enum": ["pause_agent", "review_agent", "reduce_budget", "increase_capacity"]},
                "priority": {"type": "string", "enum": ["high", "medium", "low"]},
                "agent_id": {"$ref": "#/components/schemas/ID"}, "agent": {"type": "string"}, "agent_role": {"type": "string"},
                "current_budget": {"type": "number", "minimum": 0}, "recommended_budget": {"type": "number", "minimum": 0},
                "reason": {"type": "string"}, "estimated_savings": {"type": "number", "minimum": 0}
              }
            },
            "Recommendations": {
              "type": "object", "required": ["success", "count", "total_potential_savings", "data"],
              "properties": {
                "success": {"const": true}, "count": {"$ref": "#/components/schemas/Count"},
                "total_potential_savings": {"type": "number", "minimum": 0},
                "data": {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}}
              }
            },
            "Insights": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["fastest_agents_by_operation", "most_cost_efficient", "highest_quality", "peak_performance_hours", "degrading_operations"],
                  "properties": {
                    "fastest_agents_by_operation": {
                      "type": "object",
                      "additionalProperties": {"type": "object", "required": ["agent", "avg_time_ms"], "properties": {"agent": {"type": ["string", "null"]}, "avg_time_ms": {"$ref": "#/components/schemas/NullableNumber"}}}
                    },
                    "most_cost_efficient": {
                      "type": "array", "maxItems": 5,
                      "items": {"type": "object", "required": ["agent", "cost_per_task_usd"], "properties": {"agent": {"type": ["string", "null"]}, "cost_per_task_usd": {"$ref": "#/components/schemas/NullableNumber"}}}
                    },
                    "highest_quality": {
                      "type": "array", "maxItems": 5,
                      "items": {"type": "object", "required": ["agent", "avg_quality_score"], "properties": {"agent": {"type": ["string", "null"]}, "avg_quality_score": {"$ref": "#/components/schemas/NullableNumber"}}}
                    },
                    "peak_performance_hours": {
                      "type": "array", "maxItems": 5,
                      "items": {"type": "object", "required": ["hour", "avg_time_ms", "operations"], "properties": {"hour": {"type": "integer", "minimum": 0, "maximum": 23}, "avg_time_ms": {"$ref": "#/components/schemas/NullableNumber"}, "operations": {"$ref": "#/components/schemas/Count"}}}
                    },
                    "degrading_operations": {
                      "type": "array",
                      "items": {
                        "type": "object", "required": ["operation_type", "trend"],
                        "properties": {
                          "operation_type": {"type": "string"},
                          "trend": {"type": "object", "required": ["metric", "trend", "slope"], "properties": {"metric": {"const": "execution_time"}, "trend": {"const": "degrading"}, "slope": {"$ref": "#/components/schemas/NullableNumber"}}}
                        }
                      }
                    }
                  }
                }
              }
            },
            "Summary": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["last_24h", "last_30d_summary", "active_alerts", "pending_recommendations"],
                  "properties": {
                    "last_24h": {"$ref": "#/components/schemas/Bucket"},
                    "last_30d_summary": {
                      "type": "object", "required": ["total_operations", "total_cost_usd", "avg_success_rate"],
                      "properties": {"total_operations": {"$ref": "#/components/schemas/Count"}, "total_cost_usd": {"type": "number", "minimum": 0}, "avg_success_rate": {"type": ["number", "null"], "minimum": 0, "maximum": 100}}
                    },
                    "active_alerts": {"$ref": "#/components/schemas/Count"},
                    "pending_recommendations": {"$ref": "#/components/schemas/Count"}
                  }
                }
              }
            },
            "Alert": {
              "type": "object",
              "required": ["id", "agent_id", "agent_name", "type", "severity", "metric", "current_value", "expected_value", "threshold_value", "deviation_percent", "message", "status", "detected_at", "acknowledged_at", "resolved_at", "rule", "period_start", "period_end"],
              "properties": {
                "id": {"$ref": "#/components/schemas/ID"},
                "agent_id": {"$ref": "#/components/schemas/ID"},
                "agent_name": {"type": ["string", "null"]},
                "type": {"type": "string", "enum": ["budget_overrun", "performance_degradation", "outlier"]},
                "severity": {"type": "string", "enum": ["info", "warning", "critical"]},
                "metric": {"type": "string", "enum": ["budget_utilization", "execution_time"]},
                "current_value": {"$ref": "#/components/schemas/NullableNumber"},
                "expected_value": {"$ref": "#/components/schemas/NullableNumber"},
                "threshold_value": {"$ref": "#/components/schemas/NullableNumber"},
                "deviation_percent": {"$ref": "#/components/schemas/NullableNumber"},
                "message": {"type": "string"},
                "status": {"type": "string", "enum": ["active", "acknowledged", "resolved"]},
                "detected_at": {"$ref": "#/components/schemas/Time"},
                "acknowledged_at": {"$ref": "#/components/schemas/NullableTime"},
                "resolved_at": {"$ref": "#/components/schemas/NullableTime"},
                "rule": {"type": "string", "enum": ["budget_warning", "budget_critical", "performance_degradation", "outlier"]},
                "period_start": {"$ref": "#/components/schemas/NullableTime"},
                "period_end": {"$ref": "#/components/schemas/NullableTime"}
              }
            },
            "AlertEnvelope": {"type": "object", "required": ["success", "data"], "properties": {"success": {"const": true}, "data": {"$ref": "#/components/schemas/Alert"}}},
            "AlertList": {
              "type": "object", "required": ["success", "count", "data"],
              "properties": {"success": {"const": true}, "count": {"$ref": "#/components/schemas/Count"}, "data": {"type": "array", "maxItems": 1000, "items": {"$ref": "#/components/schemas/Alert"}}}
            },
            "AlertHistory": {
              "type": "object", "required": ["success", "count", "data"],
              "properties": {
                "success": {"const": true}, "count": {"$ref": "#/components/schemas/Count"},
                "data": {
                  "type": "array", "minItems": 1,
                  "items": {
                    "type": "object", "required": ["status", "at", "by", "note", "reason", "position"],
                    "properties": {
                      "status": {"type": "string", "enum": ["active", "acknowledged", "resolved"]},
                      "at": {"$ref": "#/components/schemas/Time"},
                      "by": {"type": ["string", "null"]}, "note": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]},
                      "position": {"$ref": "#/components/schemas/ID"}
                    }
                  }
                }
              }
            },
            "TransitionInput": {
              "type": "object",
              "properties": {"by": {"type": ["string", "null"], "maxLength": 128}, "note": {"type": ["string", "null"], "maxLength": 2000}}
            },
            "WeeklyReport": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["week", "period", "totals", "by_role", "top_agents", "alerts", "recommendations"],
                  "properties": {
                    "week": {"type": "string", "pattern": "^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"},
                    "period": {"$ref": "#/components/schemas/Period"},
                    "totals": {"$ref": "#/components/schemas/Bucket"},
                    "by_role": {
                      "type": "array",
                      "items": {
                        "type": "object", "required": ["role", "agents", "total_operations", "success_rate", "total_cost_usd", "avg_quality_score"],
                        "properties": {"role": {"type": "string"}, "agents": {"$ref": "#/components/schemas/Count"}, "total_operations": {"$ref": "#/components/schemas/Count"}, "success_rate": {"$ref": "#/components/schemas/NullableNumber"}, "total_cost_usd": {"type": "number", "minimum": 0}, "avg_quality_score": {"$ref": "#/components/schemas/NullableNumber"}}
                      }
                    },
                    "top_agents": {
                      "type": "array", "maxItems": 5,
                      "items": {
                        "type": "object", "required": ["agent_id", "agent_name", "total_operations", "success_rate", "total_cost_usd", "avg_quality_score"],
                        "properties": {"agent_id": {"$ref": "#/components/schemas/ID"}, "agent_name": {"type": "string"}, "total_operations": {"$ref": "#/components/schemas/Count"}, "success_rate": {"$ref": "#/components/schemas/NullableNumber"}, "total_cost_usd": {"type": "number", "minimum": 0}, "avg_quality_score": {"$ref": "#/components/schemas/NullableNumber"}}
                      }
                    },
                    "alerts": {"type": "object", "required": ["count", "data"], "properties": {"count": {"$ref": "#/components/schemas/Count"}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/Alert"}}}},
                    "recommendations": {
                      "type": "object", "required": ["count", "total_potential_savings", "data"],
                      "properties": {"count": {"$ref": "#/components/schemas/Count"}, "total_potential_savings": {"type": "number", "minimum": 0}, "data": {"type": "array", "items": {"$ref": "#/components/schemas/Recommendation"}}}
                    }
                  }
                }
              }
            },
            "RulesEnvelope": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["version", "rules"],
                  "properties": {
                    "version": {"$ref": "#/components/schemas/Count"},
                    "rules": {"$ref": "#/components/schemas/RulesDocument"}
                  }
                }
              }
            },
            "RebuildResult": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {"type": "object", "required": ["events", "identical", "seconds"], "properties": {"events": {"$ref": "#/components/schemas/Count"}, "identical": {"type": "boolean"}, "seconds": {"type": "number", "minimum": 0}}}
              }
            },
            "RetentionResult": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {
                  "type": "object", "required": ["as_of", "metric_cutoff", "rollup_cutoff", "marker_sequence", "removed_events", "archive", "archive_bytes"],
                  "properties": {
                    "as_of": {"$ref": "#/components/schemas/Time"}, "metric_cutoff": {"$ref": "#/components/schemas/Time"}, "rollup_cutoff": {"$ref": "#/components/schemas/Time"},
                    "marker_sequence": {"anyOf": [{"$ref": "#/components/schemas/ID"}, {"type": "null"}]},
                    "removed_events": {"$ref": "#/components/schemas/Count"}, "archive": {"type": ["string", "null"]}, "archive_bytes": {"$ref": "#/components/schemas/Count"}
                  }
                }
              }
            },
            "EvaluateInput": {"type": "object", "properties": {"as_of": {"anyOf": [{"$ref": "#/components/schemas/Time"}, {"type": "null"}], "description": "Default: the server clock"}}},
            "EvaluateResult": {
              "type": "object", "required": ["success", "data"],
              "properties": {
                "success": {"const": true},
                "data": {"type": "object", "required": ["as_of", "alerts_raised", "alerts_resolved"], "properties": {"as_of": {"$ref": "#/components/schemas/Time"}, "alerts_raised": {"$ref": "#/components/schemas/Count"}, "alerts_resolved": {"$ref": "#/components/schemas/Count"}}}
              }
            }
          }
        }
        """#
}
