#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): nginx serves the site
# config-syncer fetched from site-origin (podman-services.yaml), index.html and about.html, from
# the ConfigMap-like layout (index.html -> ..data/index.html), and the syncer's metrics count one
# published sync of 2 files. A new version within a period and a failing origin are run.sh's
# part (compose, period 4 s; after.yaml's period is 30 s, too long for this quick pass).
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
app=$POD-app
get() { body "$app" "$@"; }
serves_v1() { grep -q 'version 1' <<<"$(get 80)"; }
wait_for 50 serves_v1 || true
index=$(get 80 index.html) about=$(get 80 about.html)
layout=$(podman exec "$app" ls -l /usr/share/nginx/html/index.html)
synced=$(get 9404 metrics | grep -E '^podkit_config_syncer_(syncs_total\{.*published|published_files)' || true)
echo "served: $index $about" >&2; echo "$layout" >&2; echo "$synced" >&2
[ "$index" = '<h1>version 1</h1>' ] && [ "$about" = '<p>about, version 1</p>' ]
grep -q -- '-> \.\.data/index.html' <<<"$layout"
grep -qE 'result="published"} [1-9]' <<<"$synced" && grep -qE 'published_files.* 2\.0$' <<<"$synced"
