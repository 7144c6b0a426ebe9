#!/usr/bin/env bash
# OTLP ingest beside JSON ingest, on one fresh release server, in one run (compare the ratio, not
# the absolute figures: machines differ). wrk (Debian package) posts, from 8 connections:
#   - OTLP/HTTP protobuf export requests of 1,000 GenAI spans (10 agents, 4 models priced by the
#     shipped price table, a fresh trace id per request: every span a new metric), and
#   - JSON batches of 1,000 metrics, each with its own event id (scripts/load/post-batch-ids.lua),
# alternating, `rounds` times each, and prints spans/s and metrics/s per round and their ratio.
# Usage: scripts/otlp-bench.sh [seconds per run, default 10] [rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
rounds=${2:-2}
command -v wrk > /dev/null || { apt-get install -y -qq wrk > /dev/null 2>&1 || sudo apt-get install -y -qq wrk; }
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || swift build -c release --product metrics-service
work=$(mktemp -d)
server=
cleanup() {
    [ -n "$server" ] && kill "$server" 2> /dev/null || true
    wait 2> /dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
. scripts/fault/common.sh
port=$(free_port)
"$bin" serve --data-dir "$work/data" --port "$port" --no-scheduler --log-level warning > "$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$port"
for _ in $(seq 300); do curl -sf "$base/healthz" > /dev/null 2>&1 && break; sleep 0.1; done
curl -sf -X PUT "$base/api/v1/admin/prices" -H 'Content-Type: application/json' \
    --data-binary @config/model-prices.json > /dev/null
for i in $(seq 10); do
    curl -sf -X POST "$base/api/v1/agents" -H 'Content-Type: application/json' \
        -d "{\"name\": \"load-$i\", \"role\": \"load\"}" > /dev/null
done
python3 scripts/load/otlp_body.py "$work/spans.pb" --spans 1000 --agents 10
export OTLP_BODY="$work/spans.pb"

# Runs wrk; prints "<items per second> <non-2xx responses>".
run() {
    local script=$1 path=$2 out
    out=$(wrk -t2 -c8 -d"${duration}s" -s "$script" "$base$path")
    local rps errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    errors=$(awk '/Non-2xx/ {print $5}' <<< "$out")
    echo "$(awk -v r="$rps" 'BEGIN {printf "%.0f", r * 1000}') ${errors:-0}"
}

printf '%-6s %-34s %14s %10s\n' round "what (8 connections, 1,000 per request)" "items/s" "non-2xx"
json_rates=()
otlp_rates=()
for round in $(seq "$rounds"); do
    read -r rate errors < <(run scripts/load/post-batch-ids.lua /api/v1/metrics)
    json_rates+=("$rate")
    printf '%-6s %-34s %14s %10s\n' "$round" "JSON metrics (POST /api/v1/metrics)" "$rate" "$errors"
    read -r rate errors < <(run scripts/load/post-otlp.lua /v1/traces)
    otlp_rates+=("$rate")
    printf '%-6s %-34s %14s %10s\n' "$round" "OTLP protobuf spans (POST /v1/traces)" "$rate" "$errors"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
json=$(median "${json_rates[@]}")
otlp=$(median "${otlp_rates[@]}")
echo "median: JSON $json metrics/s, OTLP $otlp spans/s, OTLP/JSON $(awk -v a="$otlp" -v b="$json" 'BEGIN {printf "%.2f", a / b}')"
stored=$(curl -sf "$base/metrics" | awk '/^otlp_spans_total\{outcome="stored"\}/ {print $2}')
echo "spans stored: ${stored:-0}; unknown models: $(curl -sf "$base/metrics" | awk '/^metrics_unknown_model_total/ {print $2}')"
