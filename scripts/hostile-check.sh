#!/usr/bin/env bash
# Hostile-client probes: starts the service on fresh temporary data directories and checks how it
# takes malformed HTTP (chunk sizes, bogus codings, lying Content-Length, HEAD, HTTP/1.0, idle
# half-sent requests), out-of-range ids and costs, a large insights query beside /healthz, API
# key roles, an empty keys file and `replay import` of tampered exports. Prints one line per probe
# (`PASS name` / `FAIL name: detail`), then `N passed, M failed`; exits 0 only when none failed.
# The probes are in scripts/hostile_check.py (Python 3 standard library only).
#
# Usage: scripts/hostile-check.sh [--only PROBE ...]
# Env:   BIN (default .build/release/metrics-service), KEEP=1 keeps the temporary directories.
set -euo pipefail
bin=${BIN:-}
if [ -n "$bin" ] && [ "${bin#/}" = "$bin" ]; then bin=$PWD/$bin; fi  # relative to the caller's directory
cd "$(dirname "$0")/.."
bin=${bin:-$PWD/.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set BIN)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 2; }
exec python3 scripts/hostile_check.py --bin "$bin" "$@"
