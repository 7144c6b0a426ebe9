#!/usr/bin/env bash
# Kill test over HTTP: while scripts/fault/loadgen.py posts single metrics and batches (client
# event ids, 6 connections), the server is killed with SIGKILL at a random moment, restarted on
# the same data directory, and scripts/fault/check.py checks that `replay verify` passes, every
# metric acknowledged as `created` (in any round so far) is in the log exactly once at the id it
# was given, re-posting it answers `duplicate` with that id, and every projection counts each
# metric of the log once.
#
# Usage: scripts/kill-test.sh [rounds]      (default 20)
# Env:   METRICS_SERVICE_BIN (default .build/release/metrics-service), SEED (default: random),
#        KEEP=1 keeps the data directory.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set METRICS_SERVICE_BIN)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
seed=${SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
echo "kill test: $rounds rounds, seed $seed (rerun with SEED=$seed), binary $bin"
RANDOM=$seed
agents=5

work=$(mktemp -d /tmp/kill-test.XXXXXX)
data=$work/data
server_pid=
loadgen_pid=
cleanup() {
    [ -n "$loadgen_pid" ] && kill -KILL "$loadgen_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. scripts/fault/common.sh

passed=0
failed=0
port=$(free_port)
start_server "$data" "$port" "$work/server.log"
register_agents "$port" "$agents"
for round in $(seq "$rounds"); do
    acked=$work/acked-$round.txt
    : >"$acked"
    delay_ms=$((300 + RANDOM % 2700))
    python3 scripts/fault/loadgen.py --port "$port" --agents "$agents" --threads 6 --max-batch 200 \
        --duration 60 --prefix "s$seed-r$round" --seed "$seed-$round" --out "$acked" \
        >"$work/loadgen-$round.json" 2>"$work/loadgen-$round.err" &
    loadgen_pid=$!
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill -KILL "$server_pid"
    wait "$server_pid" 2>/dev/null || true
    server_pid=
    # The load generator stops once its connections fail.
    for _ in $(seq 300); do kill -0 "$loadgen_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$loadgen_pid" 2>/dev/null || true
    wait "$loadgen_pid" 2>/dev/null || true
    loadgen_pid=
    load=$(cat "$work/loadgen-$round.json" 2>/dev/null || echo '{}')
    port=$(free_port)
    ok=1
    start_server "$data" "$port" "$work/server.log" || ok=0
    echo "round $round: killed after ${delay_ms} ms; load $load"
    if [ "$ok" = 1 ]; then
        errors=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1] or "{}").get("errors", "?"))' "$load" 2>/dev/null || echo '?')
        if [ "$errors" != 0 ]; then
            echo "  FAIL: the load generator saw $errors errors before the kill:"; sed 's/^/    /' "$work/loadgen-$round.err" | head -10
            ok=0
        fi
        acked_files=("$work"/acked-*.txt)
        timeout 600 python3 scripts/fault/check.py --bin "$bin" --data-dir "$data" --port "$port" --agents "$agents" \
            --acked "${acked_files[@]}" --recheck "$acked" --seed "$seed-$round" || ok=0
    fi
    if [ "$ok" = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "round $round FAILED (seed $seed)"
        [ -n "$server_pid" ] || break
    fi
done
stop_server
echo "kill test: $passed passed, $failed failed (seed $seed)"
[ "$failed" = 0 ]
