#!/usr/bin/env bash
# Runs this example with Docker Compose and checks the native-sidecar order: the shipper is
# started and answers /startupz before the app starts; the app's first line is shipped; on stop
# the app stops first and the shipper, stopped right after a burst of requests, still ships
# every line the app wrote and exits 0.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-native-sidecar
out=/tmp/podkit-native-sidecar.out
compose up -d
shipper=$(compose ps -q log-shipper)
probe=$(compose ps -q log-shipper-started)
app=$(compose ps -q web-app)
app_running() { [ "$(docker inspect -f '{{.State.Running}}' "$app")" = true ]; }
wait_for 100 app_running || true
echo "== 30 numbered requests on the pod's localhost, then docker-compose stop at once"
docker run --rm --network "container:$shipper" busybox:1.36 sh -c \
  'i=0; until wget -q -O /dev/null http://127.0.0.1/?n=1; do i=$((i+1)); [ $i -lt 200 ] || exit 1; sleep 0.1; done
   i=2; while [ $i -le 30 ]; do wget -q -O /dev/null "http://127.0.0.1/?n=$i"; i=$((i+1)); done'
compose stop -t 10
docker logs "$shipper" 2>/dev/null > "$out"
docker run --rm -v "${project}_app-logs:/logs:ro" busybox:1.36 cat /logs/access.log > "$out.file"
state() { docker inspect -f "{{.State.$2}}" "$1"; }
echo "== log-shipper started $(state "$shipper" StartedAt), /startupz answered by $(state "$probe" FinishedAt)"
echo "== web-app     started $(state "$app" StartedAt), stopped $(state "$app" FinishedAt)"
echo "== log-shipper stopped $(state "$shipper" FinishedAt), exit code $(state "$shipper" ExitCode)"
echo "== the shipper's stdout: $(wc -l < "$out") lines; the app's file: $(wc -l < "$out.file") lines"
head -n 2 "$out"; echo "..."; tail -n 2 "$out"
fail() { echo "native-sidecar-log-shipper: FAILED: $*" >&2; exit 1; }
[ "$(state "$probe" ExitCode)" = 0 ] || fail "the startup probe stand-in exited $(state "$probe" ExitCode)"
[[ "$(state "$app" StartedAt)" > "$(state "$probe" FinishedAt)" ]] || fail "web-app started before /startupz answered"
[[ "$(state "$shipper" FinishedAt)" > "$(state "$app" FinishedAt)" ]] || fail "the shipper stopped before the app"
[ "$(state "$shipper" ExitCode)" = 0 ] || fail "the shipper exited $(state "$shipper" ExitCode) on SIGTERM"
cmp -s "$out" "$out.file" || fail "the shipped lines differ from the app's access.log"
seq_got=$(grep -o 'GET /?n=[0-9]*' "$out" | cut -d= -f2 | tr '\n' ' ')
[ "$seq_got" = "$(seq -s ' ' 1 30) " ] || fail "requests missing or out of order: $seq_got"
echo "native-sidecar-log-shipper: OK (started first, app's 30 lines all shipped, stopped last with exit 0)"
