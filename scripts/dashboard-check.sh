#!/usr/bin/env bash
# Builds the service, seeds a temporary data directory with `seed-demo`, serves it on a free
# port and drives the dashboard in headless Chromium (Tests/Dashboard/dashboard_test.py).
# Screenshots land in ./artifacts (or $ARTIFACTS).
#
#   scripts/dashboard-check.sh                 # debug build in .build
#   SCRATCH=.build-dash scripts/dashboard-check.sh
#   CONFIG=release scripts/dashboard-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SCRATCH=${SCRATCH:-.build}
CONFIG=${CONFIG:-debug}
ARTIFACTS=${ARTIFACTS:-artifacts}

command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || {
    echo "chromium is missing: apt-get install -y chromium" >&2
    exit 2
}

swift build -c "$CONFIG" --scratch-path "$SCRATCH" --product metrics-service
binary="$(swift build -c "$CONFIG" --scratch-path "$SCRATCH" --show-bin-path)/metrics-service"

data_dir=$(mktemp -d)
log_file=$(mktemp)
server=""
cleanup() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$data_dir" "$log_file"
}
trap cleanup EXIT

"$binary" seed-demo --data-dir "$data_dir"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$binary" serve --data-dir "$data_dir" --port "$port" --no-scheduler --log-level warning >"$log_file" 2>&1 &
server=$!

for _ in $(seq 1 100); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null; then
        break
    fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "the server exited:" >&2
        cat "$log_file" >&2
        exit 1
    fi
    sleep 0.2
done

status=0
python3 Tests/Dashboard/dashboard_test.py "http://127.0.0.1:$port" --artifacts "$ARTIFACTS" || status=$?
if [ "$status" -ne 0 ]; then
    echo "--- server log" >&2
    tail -n 50 "$log_file" >&2 || true
fi
exit "$status"
