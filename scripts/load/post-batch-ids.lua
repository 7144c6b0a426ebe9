-- wrk script: batches of 1,000 metrics per POST, each metric with its own client event id
-- (as exporters that retry send them), unique per thread, request and position.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local prefix = ""

function setup(thread)
    thread:set("prefix", string.format("%x-%d", os.time(), math.random(1, 1e9)))
end

function init(args)
    prefix = wrk.thread:get("prefix") or tostring(math.random(1, 1e9))
end

function request()
    counter = counter + 1
    local stamp = os.date("!%Y-%m-%dT%H:%M:%SZ")
    local items = {}
    for i = 1, 1000 do
        items[i] = string.format(
            '{"event_id": "%s-%d-%d", "agent_id": %d, "operation_type": "load_batch", "timestamp": "%s", "execution_time_ms": %d.25, "tokens_used": %d, "success": true, "cost_usd": 0.0002}',
            prefix, counter, i, (i % 10) + 1, stamp, 100 + i % 50, 400 + i)
    end
    return wrk.format(nil, nil, nil, '{"metrics": [' .. table.concat(items, ",") .. ']}')
end
