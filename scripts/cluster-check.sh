#!/usr/bin/env bash
# Three nodes over one PostgreSQL log, on loopback: the conformance kit against a follower (its
# writes are forwarded to the leader), the same answers from every node, then rounds that SIGKILL
# the current leader under write load from 6 clients spread over the nodes. After each round: a
# new leader within 5 s, the killed node back as a follower, and on every node
# scripts/fault/check.py (every acknowledged metric stored exactly once at its id, re-posting it
# answers `duplicate`, summary and by-agent totals equal to the log's sums, `replay verify --store`
# clean, each budget alert fired once). Prints `N passed, M failed`.
#
# Usage: scripts/cluster-check.sh [rounds]     (default 3)
# Env:   METRICS_SERVICE_BIN (default .build/release/metrics-service), SEED, KEEP=1 keeps the files.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set METRICS_SERVICE_BIN)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
seed=${SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$seed
agents=5
failover_limit_ms=5000
echo "cluster check: 3 nodes, $rounds kill rounds, seed $seed (rerun with SEED=$seed), binary $bin"

# PostgreSQL's directory must be enterable by its server's user: not under a mktemp -d of root's.
work=/var/tmp/cluster-check-$$
mkdir -p "$work"
declare -a pids=() ports=()
loadgen_pids=()
cleanup() {
    for pid in "${loadgen_pids[@]}" "${pids[@]}"; do [ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    scripts/postgres.sh stop "$work/pg" > /dev/null 2>&1 || true
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. scripts/fault/common.sh

url=$(scripts/postgres.sh start "$work/pg")
# new_store NAME: a fresh database for a phase of the check; prints its URL.
new_store() {
    psql "$url" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null 2>&1
    echo "${url/\/metrics\?/\/$1?}"
}

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
failure() { failed=$((failed + 1)); echo "FAIL $1"; }

# start_node N: node N (0, 1, 2) on its port, in its own local directory.
start_node() {
    local n=$1
    "$bin" serve --data-dir "$work/node$n" --store "$store" --port "${ports[$n]}" --no-scheduler \
        --log-level notice >> "$work/node$n.log" 2>&1 &
    pids[$n]=$!
    for _ in $(seq 300); do
        curl -sf --max-time 2 "http://127.0.0.1:${ports[$n]}/healthz" > /dev/null 2>&1 && return 0
        kill -0 "${pids[$n]}" 2>/dev/null || { tail -20 "$work/node$n.log" >&2; return 1; }
        sleep 0.1
    done
    return 1
}

role_of() { curl -sf --max-time 2 "http://127.0.0.1:${ports[$1]}/healthz" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("role",""))' 2>/dev/null || echo down; }

# leader_index: the node that says it leads (waits for one; "" when none within 30 s).
leader_index() {
    for _ in $(seq 300); do
        for n in 0 1 2; do
            if [ "$(role_of "$n")" = leader ]; then echo "$n"; return 0; fi
        done
        sleep 0.1
    done
    echo ""
}

# start_cluster DATABASE: three nodes over a fresh database; sets $store and $leader.
start_cluster() {
    store=$(new_store "$1")
    for n in 0 1 2; do
        ports[$n]=$(free_port)
        rm -rf "$work/node$n"
    done
    for n in 0 1 2; do start_node "$n"; done
    leader=$(leader_index)
    [ -n "$leader" ] || { echo "no node took the lead" >&2; exit 1; }
    echo "database $1: node $leader leads (port ${ports[$leader]}); the other two follow"
}

stop_cluster() {
    for n in 0 1 2; do kill -TERM "${pids[$n]}" 2>/dev/null || true; done
    for n in 0 1 2; do wait "${pids[$n]}" 2>/dev/null || true; done
}

start_cluster conformance
follower=$(((leader + 1) % 3))

if [ -f ../shared/conformance/run.py ]; then
    out=$(python3 ../shared/conformance/run.py --base-url "http://127.0.0.1:${ports[$follower]}" --wait 60 2>&1 | tail -1)
    if [[ "$out" == *" 0 failed"* ]]; then pass "conformance against follower node $follower: $out"; else failure "conformance against a follower: $out"; fi
else
    echo "notice: ../shared/conformance not found; skipping the conformance run"
fi

# The same answers from every node, once each has folded the log to the same head.
same_answers() {
    python3 - "${ports[@]}" <<'EOF'
import http.client, json, sys, time
from datetime import datetime, timezone
ports = [int(p) for p in sys.argv[1:]]
# One `as_of` for every node: the answers' windows end at the same instant.
as_of = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, body
paths = ["/api/v1/agents", "/api/v1/metrics/summary", "/api/v1/metrics/aggregate/by-role",
         "/api/v1/metrics/percentiles/execution_time", "/api/v1/metrics/aggregate/timeseries?granularity=day",
         "/api/v1/metrics/alerts?limit=1000", "/api/v1/metrics/recommendations"] + \
        [f"/api/v1/metrics/aggregate/by-agent/{a}" for a in range(1, 6)]
for attempt in range(600):
    heads = [json.loads(get(p, "/healthz")[1])["projection_sequence"] for p in ports]
    if len(set(heads)) == 1:
        break
    time.sleep(0.1)
differing = []
for path in paths:
    path += ("&" if "?" in path else "?") + "as_of=" + as_of
    answers = [get(p, path) for p in ports]
    if len({a for a in answers}) != 1:
        differing.append(path)
print(f"heads {heads}; {len(paths) - len(differing)} of {len(paths)} reads identical on every node"
      + (f"; differing: {differing}" if differing else ""))
sys.exit(1 if differing else 0)
EOF
}
if out=$(same_answers); then pass "$out"; else failure "$out"; fi

stop_cluster
start_cluster killrounds
# Agents for the load (through a follower), each with a small total budget so budget alerts fire
# during the rounds.
register_agents "${ports[$(((leader + 1) % 3))]}" "$agents" 20

for round in $(seq "$rounds"); do
    acked=$work/acked-$round.txt
    : > "$acked"
    loadgen_pids=()
    for n in 0 1 2; do
        python3 scripts/fault/loadgen.py --port "${ports[$n]}" --agents "$agents" --threads 2 --max-batch 200 \
            --duration 6 --expect-503 --prefix "c$seed-r$round-n$n" --seed "$seed-$round-$n" --out "$acked" \
            > "$work/loadgen-$round-$n.json" 2> "$work/loadgen-$round-$n.err" &
        loadgen_pids+=($!)
    done
    delay_ms=$((500 + RANDOM % 2500))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    killed=$leader
    kill -KILL "${pids[$killed]}"
    wait "${pids[$killed]}" 2>/dev/null || true
    started=$(date +%s%N)
    new_leader=""
    while [ -z "$new_leader" ]; do
        for n in 0 1 2; do
            [ "$n" = "$killed" ] && continue
            if [ "$(role_of "$n")" = leader ]; then new_leader=$n; fi
        done
        elapsed_ms=$((($(date +%s%N) - started) / 1000000))
        [ "$elapsed_ms" -gt 30000 ] && break
        [ -z "$new_leader" ] && sleep 0.05
    done
    for pid in "${loadgen_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    loadgen_pids=()
    ok=1
    if [ -z "$new_leader" ]; then
        failure "round $round: no new leader 30 s after node $killed was killed"
        break
    fi
    if [ "$elapsed_ms" -gt "$failover_limit_ms" ]; then
        echo "  node $new_leader took the lead $elapsed_ms ms after the kill, more than $failover_limit_ms"
        ok=0
    fi
    errors=$(cat "$work"/loadgen-$round-*.json | python3 -c 'import json,sys; print(sum(json.loads(l).get("errors",0) for l in sys.stdin if l.strip()))')
    if [ "$errors" != 0 ]; then
        echo "  the load generators saw $errors errors:"; cat "$work"/loadgen-$round-*.err | head -10 | sed 's/^/    /'
        ok=0
    fi
    start_node "$killed" || ok=0
    leader=$new_leader
    acked_files=("$work"/acked-*.txt)
    for n in 0 1 2; do
        echo "  node $n ($(role_of "$n")):"
        timeout 600 python3 scripts/fault/check.py --bin "$bin" --data-dir "$work/check" --store "$store" \
            --port "${ports[$n]}" --agents "$agents" --acked "${acked_files[@]}" --recheck "$acked" \
            --seed "$seed-$round-$n" --budget-alerts-once || ok=0
    done
    created=$(cat "$work"/loadgen-$round-*.json | python3 -c 'import json,sys; print(sum(json.loads(l).get("created",0) for l in sys.stdin if l.strip()))')
    if [ "$ok" = 1 ]; then
        pass "round $round: leader node $killed killed after ${delay_ms} ms, node $new_leader led after $elapsed_ms ms; $created metrics acknowledged"
    else
        failure "round $round (seed $seed)"
    fi
done
# The database goes away and comes back: reads keep answering from every node's projection,
# writes answer 503 with Retry-After, and writes succeed again without a restart.
database_outage() {
    python3 - "$1" "${ports[@]}" <<'EOF'
import http.client, json, sys, time
phase, ports = sys.argv[1], [int(p) for p in sys.argv[2:]]
def call(port, method, path, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    c.request(method, path, body=json.dumps(body) if body is not None else None,
              headers={"Content-Type": "application/json"})
    r = c.getresponse()
    r.read()
    c.close()
    return r.status, r.getheader("Retry-After")
metric = {"agent_id": 1, "operation_type": "outage", "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
          "execution_time_ms": 1, "tokens_used": 1, "success": True, "cost_usd": 0}
problems = []
if phase == "down":
    for port in ports:
        status, _ = call(port, "GET", "/api/v1/metrics/summary")
        if status != 200:
            problems.append(f"GET summary on :{port} answered {status} without the database")
        status, retry = call(port, "POST", "/api/v1/metrics", metric)
        if status != 503 or retry is None:
            problems.append(f"POST on :{port} answered {status} (Retry-After {retry}) without the database")
else:
    # Back: every node stores a write again (the leader retakes the lock by itself); 60 s at most.
    for port in ports:
        for attempt in range(600):
            status, _ = call(port, "POST", "/api/v1/metrics", metric)
            if status == 201:
                break
            time.sleep(0.1)
        else:
            problems.append(f"POST on :{port} still answered {status} 60 s after the database came back")
print("; ".join(problems) if problems else f"{phase}: as expected on {len(ports)} nodes")
sys.exit(1 if problems else 0)
EOF
}
scripts/postgres.sh stop "$work/pg" > /dev/null
if out=$(database_outage down); then pass "database stopped: reads answer, writes answer 503 with Retry-After"; else failure "$out"; fi
scripts/postgres.sh start "$work/pg" > /dev/null
if out=$(database_outage up); then pass "database back: every node stores writes again without a restart"; else failure "$out"; fi

echo "cluster check: $passed passed, $failed failed (seed $seed)"
[ "$failed" = 0 ]
