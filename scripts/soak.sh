#!/usr/bin/env bash
# Soak test (not in CI): a release server on an empty data directory, 8 agents with monthly
# budgets, then scripts/fault/soak.py for [seconds] (default 600): 4 reader clients without pause
# over every read endpoint, 3 writer clients posting single metrics and batches at 500 metrics/s
# in all, with occasional evaluations and alert acknowledgements; the server's RSS is sampled
# every 10 s. Prints the samples and a summary (errors, requests/s, RSS at warm-up and at the end).
#
# Usage: scripts/soak.sh [seconds]
# Env:   METRICS_SERVICE_BIN (default .build/release/metrics-service), READERS, WRITERS, WRITE_RATE.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set METRICS_SERVICE_BIN)" >&2; exit 2; }
work=$(mktemp -d /tmp/soak.XXXXXX)
server_pid=
cleanup() {
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. scripts/fault/common.sh

port=$(free_port)
start_server "$work/data" "$port" "$work/server.log"
roles=(developer reviewer researcher ops)
for i in $(seq 8); do
    curl -sf --max-time 10 -X POST "http://127.0.0.1:$port/api/v1/agents" -H 'Content-Type: application/json' \
        -d "{\"id\": $i, \"name\": \"soak-$i\", \"role\": \"${roles[$((i % 4))]}\"}" >/dev/null
    curl -sf --max-time 10 -X PUT "http://127.0.0.1:$port/api/v1/agents/$i/budget" -H 'Content-Type: application/json' \
        -d "{\"total_budget_usd\": $((i * 400)), \"period\": \"monthly\"}" >/dev/null
done
echo "soak: ${seconds}s against $bin (pid $server_pid, port $port), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
status=0
python3 scripts/fault/soak.py --port "$port" --pid "$server_pid" --seconds "$seconds" \
    --readers "${READERS:-4}" --writers "${WRITERS:-3}" --write-rate "${WRITE_RATE:-500}" || status=$?
kill -0 "$server_pid" 2>/dev/null || { echo "the server died"; status=1; }
echo "data directory: $(du -sh "$work/data" | cut -f1); server log warnings/errors: $(grep -ciE 'error|critical' "$work/server.log" || true)"
stop_server
exit $status
