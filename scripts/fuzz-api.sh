#!/usr/bin/env bash
# API fuzzing with schemathesis (PyPI) against the service's own /openapi.json.
#
# Starts a release server on a free port with an empty data directory (scheduler off), runs
# schemathesis over every operation of the document with a fixed seed and at most MAX_EXAMPLES
# generated cases per operation (positive and negative data, boundary values), and fails on any
# 5xx, any status code the document does not list for the operation, any body that does not match
# the documented schema and any Content-Type other than the documented one.
#
# The server starts with two agents, a budget, 40 metrics and an evaluation, so generated requests
# reach stored data and not only 404s. A server that dies during the run fails it too.
#
# Usage: scripts/fuzz-api.sh [max-examples]      (default 100: about 1-2 minutes on 2 cores)
# Environment: METRICS_SERVICE_BIN  the binary (default .build/release/metrics-service, built when missing)
#              FUZZ_SEED            the seed (default 20251117)
#              FUZZ_WORKERS         concurrent workers (default 1; several can trip CPython 3.11's
#                                   "AST constructor recursion depth mismatch" inside schemathesis)
#              FUZZ_REPORT_DIR      a JUnit report is written there when set
set -euo pipefail
cd "$(dirname "$0")/.."
max_examples=${1:-100}
seed=${FUZZ_SEED:-20251117}
workers=${FUZZ_WORKERS:-1}
binary=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
started=$(date +%s)

# schemathesis from PyPI when missing (pip refuses system Pythons without --break-system-packages).
if ! python3 -c 'import schemathesis' 2>/dev/null; then
    python3 -m pip install --quiet schemathesis 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages schemathesis
fi
# Run as a module: pip may put the `schemathesis` script in a directory that is not on PATH.
st() { python3 -m schemathesis.cli "$@"; }
if [ ! -x "$binary" ]; then
    if [ -n "${METRICS_SERVICE_BIN:-}" ]; then
        echo "fuzz-api: METRICS_SERVICE_BIN=$binary is not an executable" >&2
        exit 2
    fi
    swift build -c release
fi

data=$(mktemp -d)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$binary" serve --data-dir "$data" --port "$port" --no-scheduler --log-level warning >"$work/server.log" 2>&1 &
server=$!
cleanup() {
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    rm -rf "$data" "$work"
}
trap cleanup EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done
curl -sf "$base/openapi.json" >/dev/null || {
    echo "fuzz-api: the server did not come up on $base" >&2
    cat "$work/server.log" >&2
    exit 1
}

# A little state so generated requests reach more than 404s: agents 1 and 2 (the boundary values
# schemathesis tries for ids), a budget, metrics of the last hours and an evaluation.
post() { curl -sf -o /dev/null -X "$1" "$base$2" -H 'Content-Type: application/json' -d "$3"; }
post POST /api/v1/agents '{"id": 1, "name": "fuzz-coder", "role": "developer"}'
post POST /api/v1/agents '{"id": 2, "name": "fuzz-reviewer", "role": "reviewer"}'
post PUT /api/v1/agents/1/budget '{"total_budget_usd": 0.05, "period": "monthly"}'
post PUT /api/v1/roles/developer/budget '{"total_budget_usd": 0.2, "thresholds": [50, 100], "hard": true}'
post PUT /api/v1/fleet/budget '{"total_budget_usd": 5, "period": "weekly"}'
now=$(date -u +%s)
metrics=""
for i in $(seq 0 39); do
    ts=$(date -u -d "@$((now - 3600 * (i % 20) - 60))" +%Y-%m-%dT%H:%M:%SZ)
    metrics+="${metrics:+,}{\"agent_id\": $((i % 2 + 1)), \"operation_type\": \"op$((i % 3))\", \"timestamp\": \"$ts\","
    metrics+=" \"execution_time_ms\": $((100 + i * i)), \"tokens_used\": $((50 * i)), \"success\": $([ $((i % 5)) = 0 ] && echo false || echo true),"
    metrics+=" \"quality_score\": $((60 + i % 40)), \"cost_usd\": 0.00$((i + 10))}"
done
post POST /api/v1/metrics "{\"metrics\": [$metrics]}"
post POST /api/v1/admin/evaluate '{}'

report=()
if [ -n "${FUZZ_REPORT_DIR:-}" ]; then
    mkdir -p "$FUZZ_REPORT_DIR"
    report=(--report junit --report-junit-path "$(cd "$FUZZ_REPORT_DIR" && pwd)/schemathesis-junit.xml")
fi

set +e
# An empty config file: nothing from a schemathesis.toml elsewhere changes the run.
printf '' >"$work/schemathesis.toml"
# It runs in the temporary directory, where it keeps its state (.schemathesis/).
(cd "$work" && st --config-file "$work/schemathesis.toml" run "$base/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance \
    --phases examples,coverage,fuzzing,stateful \
    --max-examples "$max_examples" --seed "$seed" --generation-database none \
    --workers "$workers" --request-timeout 10 --no-color "${report[@]}")
status=$?
set -e

if ! kill -0 "$server" 2>/dev/null; then
    echo "fuzz-api: the server is no longer running (crash):" >&2
    cat "$work/server.log" >&2
    status=1
fi
elapsed=$(($(date +%s) - started))
if [ "$status" -eq 0 ]; then
    echo "fuzz-api: PASS ($max_examples examples per operation, seed $seed, ${elapsed}s)"
else
    echo "fuzz-api: FAIL (schemathesis exit $status; $max_examples examples per operation, seed $seed, ${elapsed}s)"
fi
exit "$status"
