#!/usr/bin/env bash
# Scale check: generates N metrics of 100 agents over 90 days as a log export, imports it, starts
# the server on it and prints one table: import and start rates, anonymous memory per metric,
# every read endpoint (median of 5 over HTTP, 30-day windows), late and current write rates.
# Details in scripts/scale_check.py. Not part of CI (it measures; it asserts nothing).
#
# Usage: scripts/scale-check.sh [N]        (default 1,000,000)
# Env:   BIN (default .build/release/metrics-service); EXPORT=path reuses (or writes and keeps) the
#        generated export, to measure two builds on the same data
set -euo pipefail
bin=${BIN:-}
if [ -n "$bin" ] && [ "${bin#/}" = "$bin" ]; then bin=$PWD/$bin; fi
cd "$(dirname "$0")/.."
bin=${bin:-$PWD/.build/release/metrics-service}
[ -x "$bin" ] || { echo "no executable at $bin (swift build -c release, or set BIN)" >&2; exit 2; }
exec python3 scripts/scale_check.py --bin "$bin" --metrics "${1:-1000000}" ${EXPORT:+--export "$EXPORT"}
