#!/usr/bin/env bash
# The whole test suite: builds, starts PostgreSQL and Redis on private loopback ports (installing them from
# Debian's packages when missing), runs every test project, stops the servers, prints one summary line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
if [ -x eng/services.sh ]; then
  # Stop afterwards only what this run started (a developer's own servers stay up).
  already_up=0
  eng/services.sh status >/dev/null 2>&1 && already_up=1
  # A server killed uncleanly (a previous run's machine stop) can need a second start once its leftovers exit.
  eng/services.sh start >&2 || { sleep 5; eng/services.sh stop >&2 || true; sleep 2; eng/services.sh start >&2; }
  eval "$(eng/services.sh env)"
  [ "$already_up" = 1 ] || trap 'eng/services.sh stop >&2 || true' EXIT
fi
dotnet build Charter.slnx -c Release -nologo -v q -clp:ErrorsOnly
# The JavaScript SDK tests (JsSdkTests) drive the gateway with the openai npm package installed here.
eng/js.sh
log=$(mktemp)
set +e
dotnet test --solution Charter.slnx -c Release --no-build --no-progress 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
total=$(grep -E '^\s+total: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
if [ "$failed" -ne 0 ]; then
  # Repeat each failure at the end: CI keeps only the tail of the output, and server logs can push them out of it.
  echo "--- failed tests ---"
  awk '/^[[:space:]]*failed [^:]/ {n=30} n>0 {print; n--}' "$log" | cut -c1-400
fi
rm -f "$log"
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$total" -eq 0 ]; then
  exit 1
fi
