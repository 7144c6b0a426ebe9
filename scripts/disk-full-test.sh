#!/usr/bin/env bash
# Disk-full test: the data directory lives on a small tmpfs. Metrics are posted until the
# server answers 503; then every write must answer 503 in the contract's envelope (code
# `unavailable`, a clear message; never 500, a crash or a hang), GETs must still answer and
# agree with the log, `replay verify` must pass, and after `mount -o remount,size=64m` posting
# must succeed again without a restart. A second round fills the disk again, stops the server
# while the disk is full (SIGTERM: its checkpoint write fails, it must still exit), restarts it
# on the full disk (it must start and answer reads), and frees space again.
#
# Needs root (or passwordless sudo) for mount. Usage: scripts/disk-full-test.sh
# Env: METRICS_SERVICE_BIN (default .build/release/metrics-service), SIZE (default 8m).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${METRICS_SERVICE_BIN:-.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set METRICS_SERVICE_BIN)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
size=${SIZE:-8m}
SUDO=
if [ "$(id -u)" != 0 ]; then
    sudo -n true 2>/dev/null || { echo "disk-full test: needs root or passwordless sudo for mount" >&2; exit 2; }
    SUDO=sudo
fi
agents=5

work=$(mktemp -d /tmp/disk-full.XXXXXX)
mnt=$work/mnt
mkdir "$mnt"
server_pid=
loadgen_pid=
mounted=0
cleanup() {
    [ -n "$loadgen_pid" ] && kill -KILL "$loadgen_pid" 2>/dev/null || true
    [ -n "$server_pid" ] && kill -KILL "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    if [ "$mounted" = 1 ]; then $SUDO umount "$mnt" 2>/dev/null || $SUDO umount -l "$mnt" || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
. scripts/fault/common.sh

$SUDO mount -t tmpfs -o "size=$size" tmpfs "$mnt"
mounted=1
$SUDO chown "$(id -u):$(id -g)" "$mnt"
data=$mnt/data
failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }
usage() { df -k --output=used,size "$mnt" | tail -1 | awk '{printf "%d of %d KiB used", $1, $2}'; }

# post_until_full NAME: runs the load generator until it sees a 503 (bounded by 120 s).
post_until_full() {
    local name=$1 out
    timeout 150 python3 scripts/fault/loadgen.py --port "$port" --agents "$agents" --threads 4 --max-batch 200 \
        --duration 120 --prefix "$name" --seed "$name" --out "$work/acked-$name.txt" --expect-503 --stop-on-503 \
        >"$work/load-$name.json" 2>"$work/load-$name.err" || true
    out=$(cat "$work/load-$name.json" 2>/dev/null || echo '{}')
    echo "  load until full: $out; tmpfs $(usage)"
    python3 - "$out" <<'PY' || fail "the load did not end in 503 answers without errors: $(head -5 "$work/load-$name.err")"
import json, sys
r = json.loads(sys.argv[1] or "{}")
sys.exit(0 if r.get("errors") == 0 and r.get("unavailable", 0) > 0 and r.get("created", 0) > 0 else 1)
PY
}

# expect_503: on the full disk a big batch answers 503 `unavailable` (a single metric may still
# fit), in the contract's envelope, without a hang; the server stays up.
expect_503() {
    timeout 60 python3 scripts/fault/full_probe.py --port "$port" --out "$work/acked-probe.txt" \
        || fail "writes on the full disk"
    kill -0 "$server_pid" 2>/dev/null || fail "the server died on the full disk"
}

check() {
    local what=$1 files=("$work"/acked-*.txt)
    echo "  check ($what):"
    timeout 300 python3 scripts/fault/check.py --bin "$bin" --data-dir "$data" --port "$port" --agents "$agents" \
        --acked "${files[@]}" --sample 3000 || fail "consistency check ($what)"
}

# recovers NAME: after space returned, posting succeeds again (no 503, no errors).
recovers() {
    local name=$1 out
    timeout 60 python3 scripts/fault/loadgen.py --port "$port" --agents "$agents" --threads 4 --max-batch 200 \
        --duration 3 --prefix "$name" --seed "$name" --out "$work/acked-$name.txt" \
        >"$work/load-$name.json" 2>"$work/load-$name.err" || true
    out=$(cat "$work/load-$name.json" 2>/dev/null || echo '{}')
    echo "  load after space returned: $out; tmpfs $(usage)"
    python3 -c 'import json,sys; r=json.loads(sys.argv[1] or "{}"); sys.exit(0 if r.get("errors")==0 and r.get("created",0)>0 else 1)' "$out" \
        || fail "posting did not recover: $(head -5 "$work/load-$name.err")"
}

port=$(free_port)
echo "disk-full test: tmpfs of $size at $mnt, binary $bin"
start_server "$data" "$port" "$work/server.log"
register_agents "$port" "$agents"

echo "round 1: fill the disk, then free space without a restart"
post_until_full fill1
expect_503
check "disk full"
$SUDO mount -o remount,size=64m "$mnt"
recovers after1
check "space returned, same process"

echo "round 2: fill again, stop and restart on the full disk"
used_kib=$(df -k --output=used "$mnt" | tail -1 | tr -d ' ')
$SUDO mount -o remount,size=$((used_kib + 2048))k "$mnt"
post_until_full fill2
expect_503
started=$(date +%s)
stop_server
echo "  SIGTERM on the full disk: stopped in $(($(date +%s) - started)) s"
port=$(free_port)
if start_server "$data" "$port" "$work/server.log"; then
    check "restarted on the full disk"
    expect_503
    $SUDO mount -o remount,size=64m "$mnt"
    recovers after2
    check "space returned after the restart"
else
    fail "the server did not start on the full disk"
fi
stop_server
if grep -qiE 'fatal|panic|crash' "$work/server.log"; then
    fail "the server log names a crash:"; grep -iE 'fatal|panic|crash' "$work/server.log" | head -5
fi
echo "server log (warnings and errors, first lines):"
head -8 "$work/server.log" | cut -c1-300 | sed 's/^/  /'
if [ "$failures" = 0 ]; then echo "disk-full test: passed"; else echo "disk-full test: $failures failures"; fi
[ "$failures" = 0 ]
