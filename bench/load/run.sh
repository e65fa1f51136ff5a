#!/usr/bin/env bash
# Whole-gateway load benchmark, all on 127.0.0.1: wrk against the simulated provider directly, then through
# Charter (keys, policy, journal, records, audit, detection all on), in one run. Prints req/s, p50/p99 and the
# gateway's CPU per request. Knobs: DURATION (s, 10), CONNS (32), PIN (1: servers on CPU 0, wrk on CPU 1),
# REDIS (host:port: limits shared through Redis, with per-key RPM/TPM limits set high enough never to refuse, so every
# request runs the atomic Redis scripts; empty: in-process limits, same limits), WARMUP (s, 30: under full load on one
# core the tiered JIT needs about that long to reach its final code; see docs/performance.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DURATION=${DURATION:-10}; CONNS=${CONNS:-32}; PIN=${PIN:-1}; REDIS=${REDIS:-}; WARMUP=${WARMUP:-30}
LIMITS=(env CHARTER__limits__key_defaults__requests_per_minute=100000000 CHARTER__limits__key_defaults__tokens_per_minute=1000000000
        CHARTER__limits__team_defaults__requests_per_minute=100000000 CHARTER__limits__key_defaults__concurrent_requests=100000)
REDIS_ARGS=(); if [ -n "$REDIS" ]; then REDIS_ARGS=(--redis "$REDIS"); fi
SIM_PORT=18380; GW_PORT=18381
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
"$ROOT/charter" --help >/dev/null   # build once
WORK=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT
if [ "$PIN" = 1 ]; then SRV=(taskset -c 0); GEN=(taskset -c 1); else SRV=(env); GEN=(env); fi
"${SRV[@]}" "$ROOT/charter" sim --urls "http://127.0.0.1:$SIM_PORT" >"$WORK/sim.log" 2>&1 &
SIM_PID=$!
(cd "$WORK" && CHARTER_ADMIN_KEY=ak-bench exec "${LIMITS[@]}" "${SRV[@]}" "$ROOT/charter" serve --urls "http://127.0.0.1:$GW_PORT" \
   --upstream "http://127.0.0.1:$SIM_PORT/v1" --policies "$ROOT/policies" "${REDIS_ARGS[@]}") >"$WORK/gw.log" 2>&1 &
GW_PID=$!
for i in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$GW_PORT/healthz" && curl -s -o /dev/null "http://127.0.0.1:$SIM_PORT/healthz" && break; sleep 0.2; done
KEY=$(curl -s -X POST "http://127.0.0.1:$GW_PORT/admin/v1/keys" -H 'Authorization: Bearer ak-bench' -H 'Content-Type: application/json' \
  -d '{"team":"bench","purposes":["testing"],"default_purpose":"testing"}' | python3 -c 'import sys,json;print(json.load(sys.stdin)["key"])')
ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
run() { # name url pid
  AUTH_KEY=$KEY "${GEN[@]}" wrk -t1 -c"$CONNS" -d"${WARMUP}s" -s "$ROOT/bench/load/chat.lua" "$2" >/dev/null 2>&1   # warm-up
  local t0; t0=$(ticks "$3")
  local out; out=$(AUTH_KEY=$KEY "${GEN[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$ROOT/bench/load/chat.lua" "$2")
  local t1; t1=$(ticks "$3")
  local rps; rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  local p50; p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  local p99; p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local n; n=$(echo "$out" | awk '/requests in/ {print $1}')
  local cpu; cpu=$(python3 -c "print(round(($t1-$t0)*10000/max(1,$n)))")
  printf '%-10s %10s req/s  p50 %8s  p99 %8s  CPU %5s us/req\n' "$1" "$rps" "$p50" "$p99" "$cpu"
}
echo "connections $CONNS, $DURATION s, pinned=$PIN, limits via ${REDIS:-in-process limiter}"
run direct "http://127.0.0.1:$SIM_PORT" "$SIM_PID"
run charter "http://127.0.0.1:$GW_PORT" "$GW_PID"
