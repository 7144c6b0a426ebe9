#!/usr/bin/env bash
# Runs the whole test suite N times in a row after one build and prints `N passed, M failed`
# (a run counts as failed when any test in it fails). Flaky tests show up here, not in CI by luck.
#   scripts/test-repeat.sh 10
#   SCRATCH=.build-other scripts/test-repeat.sh 10   # a second copy beside a first one
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-10}
scratch=${SCRATCH:-.build}
logs=$(mktemp -d)
swift build --build-tests --scratch-path "$scratch" >"$logs/build.log" 2>&1 || {
    tail -50 "$logs/build.log"
    echo "the build failed"
    exit 1
}
passed=0
failed=0
for i in $(seq 1 "$runs"); do
    if swift test --skip-build --scratch-path "$scratch" >"$logs/run-$i.log" 2>&1; then
        passed=$((passed + 1))
        echo "run $i: passed ($(grep -Eo 'Test run with [0-9]+ tests in [0-9]+ suites passed after [0-9.]+ seconds' "$logs/run-$i.log" | tail -1))"
    else
        failed=$((failed + 1))
        echo "run $i: FAILED; log in $logs/run-$i.log:"
        grep -E '✘|error:|failed' "$logs/run-$i.log" | head -20
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
