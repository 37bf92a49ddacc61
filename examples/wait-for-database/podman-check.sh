#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the init container
# wait-for-db (init-waiter, postgres://db-service:5432) exited 0 only after PostgreSQL (pod
# db-service of podman-services.yaml) logged that it is ready, and main-app (my-app:1.0, the
# busybox stand-in, whose sh exits 0 at once) started only after that. podman removes an init
# container once it ended, so its exit and the app's start are read from podman's events.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
app_exited() { [ "$(podman inspect "$POD-main-app" --format '{{.State.Status}}' 2>/dev/null)" = exited ]; }
wait_for 50 app_exited || true
db_ready=$(podman logs --timestamps db-service-postgres 2>&1 | grep 'ready to accept connections' | tail -n 1 | cut -d' ' -f1)
db_at=$(date -u -d "${db_ready:?PostgreSQL never logged ready to accept connections}" +%s.%N)
read -r waiter_end waiter_code < <(event "$POD-wait-for-db" died) || { echo "wait-for-db never ended" >&2; exit 1; }
read -r app_start _ < <(event "$POD-main-app" start) || { echo "main-app never started" >&2; exit 1; }
app_code=$(podman inspect "$POD-main-app" --format '{{.State.ExitCode}}')
echo "PostgreSQL ready at $db_at; wait-for-db exited $waiter_code at $waiter_end;" \
  "main-app started at $app_start and exited $app_code (epoch seconds)" >&2
[ "$waiter_code" = 0 ] && [ "$app_code" = 0 ]
awk -v db="$db_at" -v w="$waiter_end" -v a="$app_start" 'BEGIN { exit !(db < w && w < a) }'
