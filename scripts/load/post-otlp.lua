-- wrk script: OTLP/HTTP protobuf export requests of the body in OTLP_BODY (scripts/load/otlp_body.py).
-- Per request: a fresh trace id (unique per thread and request) in place of TRACEIDPLACEHOLD, the
-- current second as every span's start (as post-batch-ids.lua stamps its metrics) and the start
-- plus (200 + i mod 900) ms as span i's end, as fixed64 nanoseconds (LuaJIT's 64-bit integers).
local ffi = require("ffi")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-protobuf"
local parts = {}
local spans = 0
local counter = 0
local prefix = ""
local cell = ffi.new("uint64_t[1]")

function setup(thread)
    thread:set("seed", math.random(1, 2 ^ 30))
end

function init(args)
    local path = os.getenv("OTLP_BODY")
    local f = assert(io.open(path, "rb"), "OTLP_BODY must name the body file")
    local body = f:read("*a")
    f:close()
    local from = 1
    while true do
        local s = string.find(body, "TRACEIDPLACEHOLD", from, true)
        if not s then break end
        local a = string.find(body, "STARTNS!", s, true)
        local b = string.find(body, "ENDNS!!!", a, true)
        parts[#parts + 1] = string.sub(body, from, s - 1)
        parts[#parts + 1] = string.sub(body, s + 16, a - 1)
        parts[#parts + 1] = string.sub(body, a + 8, b - 1)
        from = b + 8
        spans = spans + 1
    end
    parts[#parts + 1] = string.sub(body, from)
    local seed = tonumber(wrk.thread:get("seed")) or math.random(1, 2 ^ 30)
    local bytes = {}
    for i = 1, 8 do
        bytes[i] = string.char(seed % 256)
        seed = math.floor(seed / 256) + math.random(0, 255) * 65536
    end
    prefix = table.concat(bytes)
end

local function fixed64(value)
    cell[0] = value
    return ffi.string(cell, 8)
end

function request()
    counter = counter + 1
    local bytes = {}
    local n = counter
    for i = 8, 1, -1 do
        bytes[i] = string.char(n % 256)
        n = math.floor(n / 256)
    end
    local trace = prefix .. table.concat(bytes)
    local start = ffi.cast("uint64_t", os.time()) * 1000000000ULL
    local startBytes = fixed64(start)
    local out = {}
    for i = 1, spans do
        out[#out + 1] = parts[3 * i - 2]
        out[#out + 1] = trace
        out[#out + 1] = parts[3 * i - 1]
        out[#out + 1] = startBytes
        out[#out + 1] = parts[3 * i]
        out[#out + 1] = fixed64(start + (200 + i % 900) * 1000000ULL)
    end
    out[#out + 1] = parts[3 * spans + 1]
    return wrk.format(nil, nil, nil, table.concat(out))
end
