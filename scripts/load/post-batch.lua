-- wrk script: batches of 1,000 metrics per POST.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local items = {}
for i = 1, 1000 do
    items[i] = string.format(
        '{"agent_id": %d, "operation_type": "load_batch", "timestamp": "%s", "execution_time_ms": %d.25, "tokens_used": %d, "success": true, "cost_usd": 0.0002}',
        (i % 10) + 1, os.date("!%Y-%m-%dT%H:%M:%SZ"), 100 + i % 50, 400 + i)
end
wrk.body = '{"metrics": [' .. table.concat(items, ",") .. ']}'
