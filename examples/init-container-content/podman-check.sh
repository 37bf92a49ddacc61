#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the init container
# (config-syncer --once) fetched the site from site-origin (podman-services.yaml) and exited 0
# before nginx started, and nginx serves the fetched index.html and style.css. podman removes an
# init container once it ended, so its exit and nginx's start are read from podman's events.
set -euo pipefail
app=$POD-main-nginx-container
# event NAME STATUS: "epoch-seconds exit-code" of the container's last such event (last 5 minutes).
event() {
  podman events --since 5m --stream=false --filter "container=$1" --filter "event=$2" \
    --format '{{.Time}}|{{.ContainerExitCode}}' | tail -n 1 \
    | { IFS='|' read -r t code; [ -n "$t" ] && echo "$(date -u -d "$(cut -d' ' -f1-3 <<<"$t")" +%s.%N) $code"; }
}
page() {  # page [PATH]: the body nginx serves for /PATH
  podman exec "$app" sh -c "printf 'GET /${1:-} HTTP/1.0\r\n\r\n' | nc -w 2 127.0.0.1 80" 2>/dev/null | sed '1,/^\r\{0,1\}$/d'
}
for _ in $(seq 1 50); do page | grep -q Hello && break; sleep 0.2; done
read -r init_end init_code < <(event "$POD-init-myservice" died) || { echo "init-myservice never ended" >&2; exit 1; }
read -r app_start _ < <(event "$app" start) || { echo "nginx never started" >&2; exit 1; }
index=$(page) style=$(page style.css)
echo "init-myservice exited $init_code at $init_end; nginx started at $app_start (epoch seconds)" \
  "and serves: $index $style" >&2
[ "$init_code" = 0 ]
awk -v i="$init_end" -v a="$app_start" 'BEGIN { exit !(i < a) }'
[ "$index" = '<h1>Hello from config-syncer!</h1>' ] && [ "$style" = 'body { color: teal }' ]
