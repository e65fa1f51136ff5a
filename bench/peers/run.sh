#!/usr/bin/env bash
# Runs the side-by-side load comparison (../shared/bench/peers/run-peers.sh: a direct call to a mock upstream, a plain
# nginx hop, the bare YARP forwarder, Portkey) with Charter as the target "charter", configured as the README's figures
# were measured: everything on (a key checked per request, the example policies in policies/, the journal, request
# records, the audit log, detection), on a fresh SQLite database, forwarding to the mock.
#   bench/peers/run.sh                                  # all targets, both loads: ~5 min
#   TARGETS="direct yarp charter" SCENARIOS=sat bench/peers/run.sh
# The knobs of run-peers.sh pass through (DURATION, REPS, SCENARIOS, TARGETS, PIN, SKIP_INSTALL, RES). run-peers.sh
# writes beside itself, so it runs from a copy (PEERS, default /tmp/charter-peers). Results: $PEERS/results/summary.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PEERS_SRC=${PEERS_SRC:-$ROOT/../shared/bench/peers}
PEERS=${PEERS:-/tmp/charter-peers}
if [ ! -x "$PEERS/run-peers.sh" ]; then
  [ -d "$PEERS_SRC" ] || { echo "run.sh: no peers benchmark at $PEERS_SRC (set PEERS_SRC)" >&2; exit 1; }
  mkdir -p "$PEERS" && cp -r "$PEERS_SRC/." "$PEERS/"
fi
"$ROOT/charter" --help >/dev/null # build now, not while run-peers.sh waits for /healthz
WORK=$(mktemp -d /tmp/charter-peers-db.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export CHARTER_URL=http://127.0.0.1:18100
# run-peers.sh runs "exec $CHARTER_CMD", so the command starts with a program: env sets the folder and the admin key.
export CHARTER_CMD="env -C '$WORK' CHARTER_ADMIN_KEY=ak-bench '$ROOT/charter' serve --urls $CHARTER_URL --upstream http://127.0.0.1:18080/v1 --policies '$ROOT/policies'"
export CHARTER_KEY_CMD="curl -sf -X POST $CHARTER_URL/admin/v1/keys -H 'Authorization: Bearer ak-bench' -H 'Content-Type: application/json' -d '{\"team\":\"bench\",\"purposes\":[\"testing\"],\"default_purpose\":\"testing\"}' | sed -E 's/.*\"key\":\"([^\"]+)\".*/\\1/'"
export TARGETS=${TARGETS:-"direct nginx portkey yarp charter"}
"$PEERS/run-peers.sh"
