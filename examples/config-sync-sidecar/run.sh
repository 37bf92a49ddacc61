#!/usr/bin/env bash
# Runs this example with Docker Compose and checks: nginx serves the synced site; a new version
# at the origin is served within one period (4 s here) plus the time to fetch and publish it;
# a failing origin leaves the last good version served.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-config-sync
period=4   # as in compose.yaml
compose up -d
origin=$(compose ps -q site-origin)
app=$(compose ps -q app)
page() { docker exec "$origin" wget -q -O - "http://app/$1" 2>/dev/null || true; }
fail() { echo "config-sync-sidecar: FAILED: $*" >&2; compose logs --no-color config-syncer >&2; exit 1; }
# until_served PATH TEXT TRIES: polls nginx every 0.1 s until PATH holds TEXT.
until_served() {
  for _ in $(seq 1 "$3"); do
    page "$1" | grep -q "$2" && return 0
    sleep 0.1
  done
  return 1
}
until_served / 'version 1' 300 || fail "version 1 was never served"
echo "== served: $(page /) $(page about.html)"
echo "== version 2 at the origin (index.html changed, news.html added)"
# The change and the polling run in one shell in the origin container, so the time measured is
# nginx's, not docker exec's; /proc/uptime gives hundredths of seconds.
took=$(docker exec "$origin" sh -c "echo '<h1>version 2</h1>' > /site/index.html && echo '<p>news</p>' > /site/news.html \
  && tar czf /www/site.tmp -C /site . && mv /www/site.tmp /www/site.tar.gz && t0=\$(cut -d' ' -f1 /proc/uptime) && i=0 \
  && until wget -q -O - http://app/ 2>/dev/null | grep -q 'version 2'; do i=\$((i+1)); [ \$i -lt 200 ] || exit 1; sleep 0.1; done \
  && awk -v a=\$t0 -v b=\$(cut -d' ' -f1 /proc/uptime) 'BEGIN { printf \"%.1f\", b - a }'") \
  || fail "version 2 was not served within 20 s"
echo "== served after ${took} s: $(page /) $(page news.html)"
page news.html | grep -q news || fail "news.html of version 2 is not served"
awk -v t="$took" -v p="$period" 'BEGIN { exit !(t <= p + 2) }' \
  || fail "version 2 took ${took} s, more than one period (${period} s) plus 2 s to fetch and publish"
echo "== the origin fails (the archive is gone: 404) for a period"
docker exec "$origin" rm /www/site.tar.gz
sleep $((period + 1))
page / | grep -q 'version 2' || fail "a failing origin took the served page away: '$(page /)'"
failures=$(docker run --rm --network "container:$app" busybox:1.36 wget -q -O - http://127.0.0.1:9404/metrics \
  | grep -E '^podkit_config_syncer_.*fail' || true)
echo "== still serving version 2; the syncer's failure metrics:"
echo "$failures"
grep -qE ' [1-9][0-9.]*$' <<<"$failures" || fail "the syncer's metrics count no failure"
echo "config-sync-sidecar: OK (synced site served, version 2 after ${took} s, kept through origin failures)"
