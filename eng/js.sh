#!/usr/bin/env bash
# Installs what the JavaScript SDK tests need: Node.js and npm (Debian's packages, when missing and we are root) and
# the pinned npm packages of test/js (`openai` and `@anthropic-ai/sdk` for the SDK tests, `jsdom` for the dashboard test; npm ci, from
# package-lock.json). Called by test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
log() { echo "js: $*" >&2; }
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    [ "$(id -u)" = "0" ] || { log "node and npm are missing and we are not root: apt-get install -y nodejs npm"; exit 1; }
    log "installing nodejs and npm from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    apt=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    "${apt[@]}" install -y --no-install-recommends nodejs npm >&2 || { "${apt[@]}" update >&2; "${apt[@]}" install -y --no-install-recommends nodejs npm >&2; }
fi
cd "$ROOT/test/js"
# npm ci takes exactly the lock file's versions; a retry covers a registry's passing hiccup.
npm ci --no-audit --no-fund --loglevel=error >&2 || { sleep 5; npm ci --no-audit --no-fund --loglevel=error >&2; }
log "node $(node --version), openai $(node -p "require('./node_modules/openai/package.json').version"), @anthropic-ai/sdk $(node -p "require('./node_modules/@anthropic-ai/sdk/package.json').version"), jsdom $(node -p "require('./node_modules/jsdom/package.json').version")"
