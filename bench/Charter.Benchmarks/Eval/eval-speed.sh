#!/usr/bin/env bash
# Copyright (c) Charter contributors. Licensed under the MIT License.
# Reproduces issue 7's speed figure with the CLI in its own process:
#   300 cases x 3 models against `charter sim` with 50 ms latency, --concurrency 16, cache off.
# Prints the run's wall time (from the run record) and the eval process's CPU time per case.
# Usage (from the repository root): bash bench/Charter.Benchmarks/Eval/eval-speed.sh [concurrency]
set -euo pipefail
CONC="${1:-16}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
[ -n "${NO_BUILD:-}" ] || dotnet build "$ROOT/src/Charter.Cli" -c Release -v q -nologo >/dev/null
CLI="$ROOT/src/Charter.Cli/bin/Release/net10.0/Charter.Cli"
WORK="$(mktemp -d)"
PORT=$((20000 + RANDOM % 20000))
"$CLI" sim --urls "http://127.0.0.1:$PORT" --ttft-ms 50 \
  --accuracy gpt-4o=0.85,gpt-4o-mini=0.70,llama-3.1-8b-instruct=0.55 >"$WORK/sim.log" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/v1/models" >/dev/null && break; sleep 0.1; done
for run in 1 2 3; do
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$CLI" eval run "$ROOT/evals/general-knowledge-mc.yaml" \
    --gateway "http://127.0.0.1:$PORT" --concurrency "$CONC" --no-cache --db "$WORK/charter.db" --json >"$WORK/out.json"
  read -r ELAPSED USER SYS <"$WORK/time"
  python3 - "$WORK/out.json" "$ELAPSED" "$USER" "$SYS" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
run = doc["run"]
n = run["case_count"] * len(run["models"]) * run["repeat"]
elapsed, user, sys_ = map(float, sys.argv[2:5])
acc = ", ".join(f'{m["model"]} {m["accuracy"]:.1%}' for m in doc["models"])
print(f'run wall {run["wall_ms"] / 1000:.2f} s | run CPU {run["cpu_ms"] / n:.2f} ms/case | '
      f'process {elapsed:.2f} s, CPU {(user + sys_) * 1000 / n:.2f} ms/case incl. start-up and JIT | {n} cases | {acc}')
PY
done
