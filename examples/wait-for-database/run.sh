#!/usr/bin/env bash
# Runs this example with Docker Compose and checks what it should show: the app starts only
# after init-waiter exited 0, and init-waiter only after PostgreSQL logged that it is ready.
# Exits non-zero if it did not.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-wait-for-db
echo "== docker-compose up: PostgreSQL creates its cluster and starts, init-waiter waits, then main-app starts"
compose up -d
app=$(compose ps -q main-app)
code=$(docker wait "$app")
echo "== logs, in time order"
compose logs --no-color --timestamps | grep ' | ' | sed 's/^\([^|]*\)| \([^ ]*\) /\2 \1| /' | sort | cut -d' ' -f2-
waiter=$(compose ps -q wait-for-db)
waiter_code=$(docker inspect -f '{{.State.ExitCode}}' "$waiter")
ready_at=$(docker inspect -f '{{.State.FinishedAt}}' "$waiter")
app_at=$(docker inspect -f '{{.State.StartedAt}}' "$app")
db_ready_at=$(docker logs --timestamps "$(compose ps -q db)" 2>&1 | grep 'ready to accept connections' | tail -n 1 | cut -d' ' -f1)
echo "== PostgreSQL ready at ${db_ready_at:-(never)}"
echo "== init-waiter exited $waiter_code at $ready_at; main-app started at $app_at and exited $code"
[ "$waiter_code" = 0 ] && [ "$code" = 0 ] && [[ "$app_at" > "$ready_at" ]] \
  && [ -n "$db_ready_at" ] && [[ "$ready_at" > "$db_ready_at" ]] \
  || { echo "wait-for-database: FAILED" >&2; exit 1; }
echo "wait-for-database: OK"
