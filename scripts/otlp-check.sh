#!/usr/bin/env bash
# A real OpenTelemetry client against POST /v1/traces: a Python virtual environment with
# opentelemetry-sdk and opentelemetry-exporter-otlp-proto-http from PyPI emits GenAI spans (several
# agents, failures, explicit costs, costs by the shipped price table, an unknown model, a retried
# batch, a JSON-encoded batch, a malformed span) to a
# fresh release server; scripts/otlp/otlp_check.py checks what the API answers. Prints `N passed, M failed`.
#
# Env: METRICS_SERVICE_BIN (default .build/release/metrics-service), OTLP_VENV (default
# .build-otlp-venv, reused between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release)" >&2; exit 2; }
venv=${OTLP_VENV:-.build-otlp-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -c "import opentelemetry.sdk, opentelemetry.exporter.otlp.proto.http" 2> /dev/null ||
    "$venv/bin/pip" install --quiet opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
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
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null 2>&1 && break; sleep 0.1; done
"$venv/bin/python" scripts/otlp/otlp_check.py --base-url "http://127.0.0.1:$port" --prices config/model-prices.json
