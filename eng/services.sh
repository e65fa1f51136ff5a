#!/usr/bin/env bash
# Copyright (c) Charter contributors. Licensed under the MIT License.
#
# Starts (and stops) the PostgreSQL 15 and Redis servers the tests need, on loopback ports of their own.
#
#   eng/services.sh start   install missing Debian packages, start both servers (idempotent)
#   eng/services.sh stop    stop both servers (idempotent)
#   eng/services.sh status  print whether each server answers
#   eng/services.sh env     print `export CHARTER_TEST_PG=...` / `export CHARTER_TEST_REDIS=...` lines
#
# Typical use:  eng/services.sh start && eval "$(eng/services.sh env)" && dotnet test ... ; eng/services.sh stop
#
# Settings (environment):
#   CHARTER_PG_PORT        PostgreSQL port          (default 55432)
#   CHARTER_REDIS_PORT     Redis port               (default 56379)
#   CHARTER_SERVICES_DIR   data, sockets and logs   (default /tmp/charter-services)
#   CHARTER_PG_DATABASE    database created for tests (default charter_test)
#   CHARTER_PG_BIN         PostgreSQL binaries      (default /usr/lib/postgresql/15/bin)
#
# Nothing listens on anything but 127.0.0.1; PostgreSQL trusts local connections (-A trust): test use only.
# Any failure to install or start a server is fatal (exit 1) with the server's log on stderr.
set -euo pipefail

PG_PORT="${CHARTER_PG_PORT:-55432}"
REDIS_PORT="${CHARTER_REDIS_PORT:-56379}"
BASE_DIR="${CHARTER_SERVICES_DIR:-/tmp/charter-services}"
PG_DB="${CHARTER_PG_DATABASE:-charter_test}"
PG_BIN="${CHARTER_PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_DIR="$BASE_DIR/pg-$PG_PORT"
PG_DATA="$PG_DIR/data"
PG_SOCK="$PG_DIR/sock"
PG_LOG="$PG_DIR/postgres.log"
REDIS_DIR="$BASE_DIR/redis-$REDIS_PORT"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_PID="$REDIS_DIR/redis.pid"

log() { echo "services: $*" >&2; }
die() { echo "services: ERROR: $*" >&2; exit 1; }

is_root() { [ "$(id -u)" = "0" ]; }

# Runs a command as the PostgreSQL owner: `postgres` when we are root (initdb refuses root), else ourselves.
as_pg() {
    if is_root; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

ensure_packages() {
    local wanted=()
    [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] || wanted+=(postgresql)
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || wanted+=(redis-server)
    [ "${#wanted[@]}" -eq 0 ] && return 0
    is_root || die "missing packages (${wanted[*]}) and not root: install them with apt-get install -y ${wanted[*]}"
    log "installing ${wanted[*]} from Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    # No default cluster on port 5432: we run our own private one.
    mkdir -p /etc/postgresql-common
    if [ ! -f /etc/postgresql-common/createcluster.conf ]; then
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    if ! "${apt[@]}" install -y --no-install-recommends "${wanted[@]}" >&2; then
        "${apt[@]}" update >&2 || die "apt-get update failed"
        "${apt[@]}" install -y --no-install-recommends "${wanted[@]}" >&2 || die "apt-get install ${wanted[*]} failed"
    fi
    [ -x "$PG_BIN/initdb" ] || die "PostgreSQL binaries not found in $PG_BIN after install (set CHARTER_PG_BIN)"
    command -v redis-server >/dev/null 2>&1 || die "redis-server not found after install"
}

pg_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; }

start_pg() {
    mkdir -p "$BASE_DIR"
    chmod 755 "$BASE_DIR"
    mkdir -p "$PG_DIR" "$PG_SOCK"
    if is_root; then
        id postgres >/dev/null 2>&1 || die "user postgres does not exist (the postgresql package creates it)"
        chown -R postgres:postgres "$PG_DIR"
    fi
    chmod 700 "$PG_DIR"
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
        log "initdb $PG_DATA"
        as_pg "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    if pg_running; then
        log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
    else
        # A stale pid file after a crash makes pg_ctl refuse to start; pg_ctl status said it is not running.
        rm -f "$PG_DATA/postmaster.pid"
        log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
        if ! as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_SOCK -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
                start >&2; then
            tail -n 40 "$PG_LOG" >&2 || true
            die "PostgreSQL failed to start on port $PG_PORT"
        fi
    fi
    local i
    for i in $(seq 1 60); do pg_ready && break; sleep 0.5; done
    pg_ready || { tail -n 40 "$PG_LOG" >&2 || true; die "PostgreSQL does not answer on 127.0.0.1:$PG_PORT"; }
    if ! "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$PG_DB'" | grep -q 1; then
        "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qc "CREATE DATABASE \"$PG_DB\"" >&2 \
            || die "could not create database $PG_DB"
    fi
}

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

start_redis() {
    mkdir -p "$REDIS_DIR"
    if redis_ready; then
        log "Redis already running on 127.0.0.1:$REDIS_PORT"
        return 0
    fi
    log "starting Redis on 127.0.0.1:$REDIS_PORT"
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --dir "$REDIS_DIR" --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" \
        || { tail -n 40 "$REDIS_LOG" >&2 || true; die "redis-server failed to start on port $REDIS_PORT"; }
    local i
    for i in $(seq 1 50); do redis_ready && return 0; sleep 0.2; done
    tail -n 40 "$REDIS_LOG" >&2 || true
    die "Redis does not answer on 127.0.0.1:$REDIS_PORT"
}

stop_pg() {
    if [ -f "$PG_DATA/PG_VERSION" ] && pg_running; then
        log "stopping PostgreSQL on port $PG_PORT"
        as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >&2 || die "pg_ctl stop failed"
    fi
}

stop_redis() {
    if command -v redis-cli >/dev/null 2>&1 && redis_ready; then
        log "stopping Redis on port $REDIS_PORT"
        redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        local i
        for i in $(seq 1 50); do redis_ready || break; sleep 0.1; done
        redis_ready && die "Redis on port $REDIS_PORT did not stop"
    fi
    rm -f "$REDIS_PID"
}

print_env() {
    echo "export CHARTER_TEST_PG='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=$PG_DB'"
    echo "export CHARTER_TEST_PG_URL='postgres://postgres@127.0.0.1:$PG_PORT/$PG_DB'"
    echo "export CHARTER_TEST_REDIS='127.0.0.1:$REDIS_PORT'"
}

status() {
    local rc=0
    if pg_ready; then echo "postgresql: up 127.0.0.1:$PG_PORT"; else echo "postgresql: down"; rc=1; fi
    if command -v redis-cli >/dev/null 2>&1 && redis_ready; then echo "redis: up 127.0.0.1:$REDIS_PORT"; else echo "redis: down"; rc=1; fi
    return $rc
}

case "${1:-}" in
    start) ensure_packages; start_pg; start_redis; log "ready"; ;;
    stop) stop_redis; stop_pg; ;;
    env) print_env ;;
    status) status ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
