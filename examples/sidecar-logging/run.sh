#!/usr/bin/env bash
# Runs this example with Docker Compose and checks the shipper's stdout: every line nginx wrote
# to its access log, in order, none twice, through a rotation done as logrotate does it (rename,
# then `nginx -s reopen`) while the client keeps sending requests.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-sidecar-logging
out=/tmp/podkit-sidecar-logging.out
compose up -d
app=$(compose ps -q app)
shipper=$(compose ps -q log-shipper)
shipped() { docker logs "$shipper" 2>/dev/null | grep -c 'GET /' || true; }
# until_count N: waits (at most 40 s) until the shipper printed N request lines.
shipped_at_least() { [ "$(shipped)" -ge "$1" ]; }
until_count() {
  wait_for 200 shipped_at_least "$1" && return 0
  echo "sidecar-logging: the shipper printed $(shipped) lines, expected $1 or more" >&2
  return 1
}
until_count 15
echo "== rotating: mv access.log access.log.1 && nginx -s reopen (after $(shipped) lines shipped)"
docker exec "$app" sh -c 'mv /var/log/nginx/access.log /var/log/nginx/access.log.1 && nginx -s reopen'
until_count $(($(shipped) + 15))
compose stop -t 1 client >/dev/null 2>&1
docker exec "$app" cat /var/log/nginx/access.log.1 > "$out.before"
docker exec "$app" cat /var/log/nginx/access.log > "$out.after"
cat "$out.before" "$out.after" > "$out.files"
until_count "$(wc -l < "$out.files")"
sleep 0.5   # a line beyond the files' content, if any, would show up now
docker logs "$shipper" 2>/dev/null > "$out"
echo "== the shipper's stdout (first and last 3 of $(wc -l < "$out") lines)"
head -n 3 "$out"; echo "..."; tail -n 3 "$out"
echo "== the shipper's metrics"
docker run --rm --network "container:$app" busybox:1.36 wget -q -O - http://127.0.0.1:9401/metrics \
  | grep -E '^podkit_.*(lines|files)' | head -n 6 || true
python3 - "$out" "$out.before" "$out.after" <<'PY'
import re, sys
shipped = open(sys.argv[1]).read().splitlines()
before, after = (open(p).read().splitlines() for p in sys.argv[2:4])
assert before and after, f"no rotation under traffic: {len(before)} lines before it, {len(after)} after"
files = before + after
assert shipped == files, f"the shipper's {len(shipped)} lines differ from the {len(files)} nginx logged"
numbers = [int(m.group(1)) for l in shipped for m in [re.search(r'GET /\?n=(\d+) ', l)] if m]
assert numbers == list(range(1, len(numbers) + 1)), f"requests missing or out of order: {numbers}"
print(f"sidecar-logging: OK ({len(shipped)} lines, requests 1..{len(numbers)} in order, through a rotation)")
PY
