#!/usr/bin/env bash
# Figures for docs/performance.md: batches of 1,000 metrics (each with a client event id) stored
# through LMDB and through PostgreSQL (one node), and GET reads from one node vs three nodes over
# one PostgreSQL log. wrk from Debian's package, on loopback; both stores measured in one run, so
# compare their ratio, not the absolute numbers (two cores serve the clients and the servers).
#
# Usage: scripts/cluster-bench.sh [seconds]   (default 15 per measurement)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-15}
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release)" >&2; exit 2; }
command -v wrk > /dev/null || { apt-get install -y -qq wrk > /dev/null 2>&1 || sudo apt-get install -y -qq wrk; }
work=/var/tmp/cluster-bench-$$
mkdir -p "$work"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2> /dev/null || true; done
    wait 2> /dev/null || true
    scripts/postgres.sh stop "$work/pg" > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
. scripts/fault/common.sh
url=$(scripts/postgres.sh start "$work/pg")
db() {
    psql "$url" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null 2>&1
    echo "${url/\/metrics\?/\/$1?}"
}
serve() { # serve PORT DIR [--store URL]
    local port=$1 dir=$2
    shift 2
    "$bin" serve --data-dir "$dir" --port "$port" --no-scheduler --log-level warning "$@" >> "$work/server.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}
rate() { awk '/Requests\/sec/ {print $2}'; }

echo "| store | batches of 1,000 metrics with event ids, 8 connections | metrics/s |"
echo "|---|---|---|"
for store in lmdb postgres; do
    port=$(free_port)
    if [ "$store" = lmdb ]; then serve "$port" "$work/lmdb"; else serve "$port" "$work/pgnode" --store "$(db batches)"; fi
    register_agents "$port" 10
    r=$(wrk -t2 -c8 -d"${duration}s" -s scripts/load/post-batch-ids.lua "http://127.0.0.1:$port/api/v1/metrics" | rate)
    printf '| %s | %s batches/s | %.0f |\n' "$store" "$r" "$(echo "$r * 1000" | bc)"
    kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2> /dev/null || true
done

echo
echo "| nodes over one PostgreSQL log | GET summary req/s (all nodes) | GET by-agent req/s (all nodes) |"
echo "|---|---|---|"
store=$(db reads)
ports=()
for n in 0 1 2; do ports+=($(free_port)); serve "${ports[$n]}" "$work/node$n" --store "$store"; done
register_agents "${ports[0]}" 10
# Some data to read: 20 batches through the first node (forwarded when it does not lead).
wrk -t1 -c1 -d3s -s scripts/load/post-batch-ids.lua "http://127.0.0.1:${ports[0]}/api/v1/metrics" > /dev/null
for nodes in 1 3; do
    declare -A results=()
    for path in /api/v1/metrics/summary /api/v1/metrics/aggregate/by-agent/1; do
        total=0
        outs=()
        for n in $(seq 0 $((nodes - 1))); do
            wrk -t1 -c16 -d"${duration}s" "http://127.0.0.1:${ports[$n]}$path" > "$work/wrk-$n.txt" &
            outs+=($!)
        done
        for pid in "${outs[@]}"; do wait "$pid"; done
        for n in $(seq 0 $((nodes - 1))); do total=$(echo "$total + $(rate < "$work/wrk-$n.txt")" | bc); done
        results[$path]=$total
    done
    printf '| %d | %.0f | %.0f |\n' "$nodes" "${results[/api/v1/metrics/summary]}" "${results[/api/v1/metrics/aggregate/by-agent/1]}"
done
