#!/usr/bin/env bash
# Load test on loopback with wrk (Debian package): single-metric POSTs from 64 connections,
# batches of 1,000 metrics, and GET summary. Starts its own release server on a free port with
# an empty data directory and stops it at the end. Usage: scripts/load-test.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null 2>&1 || sudo apt-get install -y -qq wrk; }
[ -x .build/release/metrics-service ] || swift build -c release
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
.build/release/metrics-service serve --data-dir "$data" --port "$port" --no-scheduler --log-level warning &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
for i in $(seq 10); do
    curl -sf -X POST "$base/api/v1/agents" -H 'Content-Type: application/json' \
        -d "{\"name\": \"load-$i\", \"role\": \"load\"}" >/dev/null
done
echo "== single-metric POST, 64 connections, ${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency -s scripts/load/post-metric.lua "$base"
echo "== batches of 1,000 metrics, 8 connections, ${duration}s (metrics/s = requests/s x 1000)"
wrk -t2 -c8 -d"${duration}s" --latency -s scripts/load/post-batch.lua "$base/api/v1/metrics"
echo "== GET summary, 64 connections, ${duration}s"
wrk -t2 -c64 -d"${duration}s" --latency "$base/api/v1/metrics/summary"
