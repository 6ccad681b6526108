#!/usr/bin/env bash
# The test suite: set up, build (the native shim included) and run every xunit test.
# Usage: bash tools/test.sh [extra dotnet test arguments, e.g. --filter Parity]
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
bash tools/fetch_demo_data.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test tests/Lib.Tests/Lib.Tests.csproj -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One plain summary line for CI ("N passed, N failed"), from the runner's own totals.
summary=$(grep -E "(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+" "$log" | tail -1 || true)
if [[ -n "$summary" ]]; then
  failed=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  passed=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  skipped=$(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$summary")
  echo "tests: $passed passed, $failed failed, $skipped skipped"
elif ((status == 0)); then
  echo "tests: no test summary found" >&2
  status=1
fi
exit "$status"
