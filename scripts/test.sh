#!/usr/bin/env bash
# The whole check, as CI runs it: setup, lint, types, import layering, migrations, system checks, then pytest twice —
# pass 1 on SQLite (in parallel, without the tests that need real services), pass 2 on a throwaway PostgreSQL and
# Redis started here (every test: in parallel, then the browser tests one at a time). The servers and their data go
# away on any exit, Ctrl-C included.
# Every step runs even when an earlier one failed (one run shows every problem); the exit code is non-zero if any did.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
REPO=$(pwd)
VENV=${VENV:-$REPO/.venv}

STARTED=$(date +%s)
CURRENT="setup"
TIMINGS=()
FAILED=()
SERVICES_DIR=""
RESULTS_DIR=$(mktemp -d -t portal-results-XXXXXX)
PG_BIN=""
PG_DATA=""
REPLICA_DATA=""
AS_POSTGRES=()
REDIS_PIDFILE=""

say() { printf '\n==> %s\n' "$*"; }

step() {
  local name=$1 t0 rc
  shift
  CURRENT=$name
  say "$name"
  t0=$(date +%s)
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  if [ "$rc" -eq 0 ]; then
    TIMINGS+=("$(printf '%-42s %5ss  ok' "$name" "$(($(date +%s) - t0))")")
  else
    TIMINGS+=("$(printf '%-42s %5ss  FAILED (exit %s)' "$name" "$(($(date +%s) - t0))" "$rc")")
    FAILED+=("$name")
  fi
  return 0
}

stop_services() {
  if [ -n "$REPLICA_DATA" ] && [ -f "$REPLICA_DATA/postmaster.pid" ]; then
    "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  if [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ]; then
    "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  if [ -n "$REDIS_PIDFILE" ] && [ -f "$REDIS_PIDFILE" ]; then
    kill "$(cat "$REDIS_PIDFILE")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$REDIS_PIDFILE" ] || break; sleep 0.1; done
  fi
  if [ -n "$SERVICES_DIR" ]; then rm -rf "$SERVICES_DIR"; fi
  PG_DATA=""
  REPLICA_DATA=""
  REDIS_PIDFILE=""
  SERVICES_DIR=""
}

# "N passed, N failed, N skipped" over the JUnit files of the pytest passes that ran.
count_tests() {
  "$VENV/bin/python" - "$RESULTS_DIR" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

tests = failed = skipped = 0
for path in sorted(Path(sys.argv[1]).glob("*.xml")):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        continue
    for suite in root.iter("testsuite"):
        tests += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
print(f"{tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
}

finish() {
  local rc=$?
  trap - EXIT INT TERM
  stop_services
  local counts
  counts=$(count_tests 2>/dev/null || echo "0 passed, 0 failed, 0 skipped")
  rm -rf "$RESULTS_DIR"
  printf '\n==> timings\n'
  printf '  %s\n' "${TIMINGS[@]}"
  printf '  %-42s %5ss\n' "total" "$(($(date +%s) - STARTED))"
  local failed_list="" name
  for name in "${FAILED[@]}"; do failed_list+="${failed_list:+; }$name"; done
  if [ "$rc" -eq 0 ] && [ -z "$failed_list" ]; then
    printf '\nmake test: OK (every step passed)\n'
  elif [ "$rc" -gt 1 ]; then
    # Stopped in the middle (Ctrl-C, a signal, an error outside a step).
    printf '\nmake test: STOPPED during "%s" (exit %s)%s\n' "$CURRENT" "$rc" "${failed_list:+; failed before: $failed_list}"
  else
    printf '\nmake test: FAILED: %s\n' "${failed_list:-$CURRENT}"
    rc=1
  fi
  printf 'summary: %s\n' "$counts"
  printf 'screenshots (browser tests, both widths): %s\n' "${PORTAL_SCREENSHOTS:-$REPO/var/screenshots}"
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# pytest's exit code 5 means it selected no test: fine for the browser part (there may be none yet), while the
# other passes always hold tests (tests/infra).
pytest_allow_none_selected() {
  local rc=0
  "$@" || rc=$?
  if [ "$rc" -eq 5 ]; then echo "(no test selected)"; return 0; fi
  return "$rc"
}

# The servers' directory, ports and URLs are chosen here, in the main shell, so that the cleanup and pass 2 see
# them; start_services runs as a step (a subshell with set -e) and only starts the servers.
prepare_services() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  SERVICES_DIR=$(mktemp -d -t portal-services-XXXXXX)
  chmod 755 "$SERVICES_DIR"
  mkdir -p "$SERVICES_DIR/pg" "$SERVICES_DIR/redis"
  PG_DATA="$SERVICES_DIR/pg/data"
  REDIS_PIDFILE="$SERVICES_DIR/redis/redis.pid"
  if [ "$(id -u)" -eq 0 ]; then
    # initdb and pg_ctl refuse to run as root.
    chown postgres:postgres "$SERVICES_DIR/pg" 2>/dev/null || true
    AS_POSTGRES=(runuser -u postgres --)
  fi
  PG_PORT=$(python scripts/free_port.py)
  REDIS_PORT=$(python scripts/free_port.py)
  while [ "$REDIS_PORT" = "$PG_PORT" ]; do REDIS_PORT=$(python scripts/free_port.py); done
  REPLICA_DATA="$SERVICES_DIR/pg/replica"
  REPLICA_PORT=$(python scripts/free_port.py)
  while [ "$REPLICA_PORT" = "$PG_PORT" ] || [ "$REPLICA_PORT" = "$REDIS_PORT" ]; do
    REPLICA_PORT=$(python scripts/free_port.py)
  done
}

# A streaming replica of the throwaway PostgreSQL (tests/infra/test_replica.py): a base backup with -R (standby
# settings written), started on its own port; pg_ctl -w waits until it accepts connections, then until it is a
# standby that has replayed up to the primary's position when the backup ended.
start_replica() {
  "${AS_POSTGRES[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$REPLICA_DATA" -R \
    -X stream --checkpoint=fast --no-sync
  "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DATA" -l "$SERVICES_DIR/pg/replica.log" -w -t 300 start \
    -o "-p $REPLICA_PORT -k $SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on" \
    >/dev/null || { cat "$SERVICES_DIR/pg/replica.log" >&2; exit 1; }
  for _ in $(seq 300); do
    [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d portal -Atc "SELECT pg_is_in_recovery()" \
      2>/dev/null || true)" = "t" ] && break
    sleep 1
  done
  [ "$("$PG_BIN/psql" -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d portal -Atc "SELECT pg_is_in_recovery()")" = "t" ]
  echo "PostgreSQL streaming replica on 127.0.0.1:$REPLICA_PORT"
}

start_services() {
  [ -x "$PG_BIN/initdb" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; exit 1; }
  "${AS_POSTGRES[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --no-locale --no-sync >/dev/null
  # Durability is pointless for a database that lives for one run.
  "${AS_POSTGRES[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$SERVICES_DIR/pg/server.log" -w -t 60 start \
    -o "-p $PG_PORT -k $SERVICES_DIR/pg -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { cat "$SERVICES_DIR/pg/server.log" >&2; exit 1; }
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal'" -c "CREATE DATABASE portal OWNER portal"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT"

  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$SERVICES_DIR/redis" \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$SERVICES_DIR/redis/redis.log"
  for _ in $(seq 100); do
    [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)" = "PONG" ] && break
    sleep 0.1
  done
  [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null || true)" = "PONG" ] || { cat "$SERVICES_DIR/redis/redis.log" >&2; exit 1; }
  echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) on 127.0.0.1:$REDIS_PORT"
}

step "setup" bash scripts/setup.sh
if [ ${#FAILED[@]} -gt 0 ]; then exit 1; fi

export PATH="$VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE=portal.settings.test
# Pass 1 and the checks use SQLite and the in-memory broker whatever the caller's shell has.
unset DATABASE_URL CELERY_BROKER_URL REDIS_URL TEST_DATABASE_REPLICA_URL TEST_DATABASE_REPLICA_DATA

step "ruff check" ruff check .
step "mypy" mypy portal filings selection certificates supervision
step "lint-imports" lint-imports
step "makemigrations --check" python manage.py makemigrations --check --dry-run
step "manage.py check" python manage.py check
step "pytest pass 1 (SQLite, -n 2)" python -m pytest -p no:cacheprovider --continue-on-collection-errors -n 2 \
  -m "not postgres and not redis and not browser" --junitxml="$RESULTS_DIR/pass1.xml"

prepare_services
step "start PostgreSQL and Redis" start_services
if [[ " ${FAILED[*]} " != *" start PostgreSQL and Redis "* ]]; then
  export DATABASE_URL="postgres://portal:portal@127.0.0.1:$PG_PORT/portal"
  export CELERY_BROKER_URL="redis://127.0.0.1:$REDIS_PORT/0"
  export REDIS_URL="$CELERY_BROKER_URL"
  step "start the PostgreSQL replica" start_replica
  if [[ " ${FAILED[*]} " != *" start the PostgreSQL replica "* ]]; then
    export TEST_DATABASE_REPLICA_URL="postgres://portal:portal@127.0.0.1:$REPLICA_PORT/portal"
    export TEST_DATABASE_REPLICA_DATA="$REPLICA_DATA"
  fi
  # Pass 2 in two parts on the same servers: everything but the browser tests in parallel (one test database per
  # xdist worker; the Celery-worker test consumes a queue of its own), then the browser tests one at a time, since
  # each drives a Chromium against its live server and two at once on two cores only make them slower and flakier.
  step "pytest pass 2 (PostgreSQL + Redis, -n ${PASS2_WORKERS:-2})" python -m pytest -p no:cacheprovider \
    --continue-on-collection-errors -n "${PASS2_WORKERS:-2}" -m "not browser" --junitxml="$RESULTS_DIR/pass2.xml"
  step "pytest pass 2 browser (serial)" pytest_allow_none_selected python -m pytest -p no:cacheprovider \
    --continue-on-collection-errors -m "browser" --junitxml="$RESULTS_DIR/pass2-browser.xml"
fi
CURRENT="stop services"
stop_services
if [ ${#FAILED[@]} -gt 0 ]; then exit 1; fi
