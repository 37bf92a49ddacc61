#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the init container
# (config-syncer --once) fetched the site from site-origin (podman-services.yaml) and exited 0
# before nginx started, and nginx serves the fetched index.html and style.css. podman removes an
# init container once it ended, so its exit and nginx's start are read from podman's events.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
app=$POD-main-nginx-container
page() { body "$app" 80 "$@"; }
serves() { grep -q Hello <<<"$(page)"; }
wait_for 50 serves || true
read -r init_end init_code < <(event "$POD-init-myservice" died) || { echo "init-myservice never ended" >&2; exit 1; }
read -r app_start _ < <(event "$app" start) || { echo "nginx never started" >&2; exit 1; }
index=$(page) style=$(page style.css)
echo "init-myservice exited $init_code at $init_end; nginx started at $app_start (epoch seconds)" \
  "and serves: $index $style" >&2
[ "$init_code" = 0 ]
awk -v i="$init_end" -v a="$app_start" 'BEGIN { exit !(i < a) }'
[ "$index" = '<h1>Hello from config-syncer!</h1>' ] && [ "$style" = 'body { color: teal }' ]
