-- wrk script: single-metric POSTs, each with a fresh timestamp-free body (no event id).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
request = function()
    counter = counter + 1
    local body = string.format(
        '{"agent_id": %d, "operation_type": "load_test", "timestamp": "%s", "execution_time_ms": %d.5, "tokens_used": %d, "success": true, "quality_score": 90, "cost_usd": 0.000125}',
        (counter % 10) + 1, os.date("!%Y-%m-%dT%H:%M:%SZ"), 100 + counter % 50, 500 + counter % 100)
    return wrk.format(nil, "/api/v1/metrics", nil, body)
end
