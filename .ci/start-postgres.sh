#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on 127.0.0.1 for the integration tests and prints the export
# lines for REGISTRY_TEST_PG_URL (the registry's owner), REGISTRY_TEST_PG_SERVICE_URL (the role
# the registry serves as) and PG_TEST_ADMIN_URL (the superuser over the local socket, with which
# the PostgreSQL bootstrap test creates an RDS-like master role). Installs Debian's postgresql
# when absent.
# Usage: eval "$(.ci/start-postgres.sh)"; stop with: .ci/start-postgres.sh stop
set -euo pipefail
PORT="${PG_TEST_PORT:-55432}"
STATE="/tmp/agentic-platform-pg-$PORT"
log() { echo "start-postgres: $*" >&2; }

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ "${1:-}" = "stop" ]; then
  PGBIN="$(find_bin)"
  [ -d "$STATE/data" ] && su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$STATE/data' -m fast -w stop" >&2 || true
  rm -rf "$STATE"
  exit 0
fi

PGBIN="$(find_bin)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  log "installing postgresql (Debian)"
  "$(dirname "$0")/apt-install.sh" postgresql >&2
  PGBIN="$(find_bin)"
fi
[ -x "$PGBIN/initdb" ] || { log "no initdb found after install"; exit 1; }
id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres

# A fresh cluster every run: tests start from an empty database.
if [ -d "$STATE/data" ]; then "$0" stop || true; fi
mkdir -p "$STATE"
chown postgres "$STATE"
su postgres -s /bin/sh -c "'$PGBIN/initdb' -D '$STATE/data' -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8" >/dev/null
su postgres -s /bin/sh -c "'$PGBIN/pg_ctl' -D '$STATE/data' -l '$STATE/server.log' -w -o \"-h 127.0.0.1 -p $PORT -k '$STATE'\" start" >&2
psql_() { su postgres -s /bin/sh -c "psql -v ON_ERROR_STOP=1 -q -h '$STATE' -p $PORT -U postgres -c \"$1\""; }
psql_ "CREATE ROLE registry LOGIN PASSWORD 'registry'" >&2
psql_ "CREATE DATABASE registry_test OWNER registry" >&2
# The role the service runs as: it owns nothing; migrate.js (as registry) grants it what it needs.
psql_ "CREATE ROLE registry_service LOGIN PASSWORD 'registry_service'" >&2
log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
echo "export REGISTRY_TEST_PG_URL=postgres://registry:registry@127.0.0.1:$PORT/registry_test"
echo "export REGISTRY_TEST_PG_SERVICE_URL=postgres://registry_service:registry_service@127.0.0.1:$PORT/registry_test"
echo "export PG_TEST_ADMIN_URL='postgres://postgres@localhost:$PORT/postgres?host=$STATE'"
