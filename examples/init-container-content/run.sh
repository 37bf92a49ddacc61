#!/usr/bin/env bash
# Runs this example with Docker Compose and checks: the init step (config-syncer --once) exited
# 0 before nginx started, and nginx serves the fetched site. Then, with the archive gone from
# the origin, the same init step gives up after its --timeout with exit 124 instead of letting
# nginx start on an empty folder.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-init-content
compose up -d
origin=$(compose ps -q site-origin)
init=$(compose ps -q init-myservice)
fail() { echo "init-container-content: FAILED: $*" >&2; compose logs --no-color | tail -n 30 >&2; exit 1; }
init_code=$(docker wait "$init")
app=""
nginx_running() {
  app=$(compose ps -q main-nginx-container)
  [ -n "$app" ] && [ "$(docker inspect -f '{{.State.Running}}' "$app")" = true ]
}
wait_for 100 nginx_running || true
[ -n "$app" ] || fail "nginx was never started (init-myservice exited $init_code)"
page() { docker exec "$origin" wget -q -O - "http://main-nginx-container/$1" 2>/dev/null || true; }
serves_hello() { grep -q Hello <<<"$(page /)"; }
wait_for 25 serves_hello || true
state() { docker inspect -f "{{.State.$2}}" "$1"; }
echo "== init-myservice exited $init_code at $(state "$init" FinishedAt)"
echo "== nginx started at $(state "$app" StartedAt) and serves: $(page /) $(page style.css)"
[ "$init_code" = 0 ] || fail "init-myservice exited $init_code"
[[ "$(state "$app" StartedAt)" > "$(state "$init" FinishedAt)" ]] || fail "nginx started before the init step ended"
page / | grep -q 'Hello from config-syncer!' || fail "nginx does not serve the fetched index.html"
page style.css | grep -q teal || fail "nginx does not serve the fetched style.css"
echo "== the archive gone from the origin: the init step again, with --timeout 3s"
docker exec "$origin" rm /www/site.tar.gz
set +e
docker run --rm --read-only --network "${project}_default" --tmpfs /html:mode=0777 podkit/config-syncer:0.1.0 \
  --once --timeout 3s --source http://site-origin:8080/site.tar.gz --archive tar_gz --target /html 2>&1 | tail -n 2
code=${PIPESTATUS[0]}
set -e
echo "== exit code $code"
[ "$code" = 124 ] || fail "with no archive at the origin the init step exited $code, not 124"
echo "init-container-content: OK (content fetched by the init step, nginx started after it and serves it)"
