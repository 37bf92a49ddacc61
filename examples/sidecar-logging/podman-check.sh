#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): numbered requests sent
# to nginx from inside its container, with a rotation between them as logrotate does it (rename,
# then `nginx -s reopen`); the shipper's stdout must be exactly the lines of access.log.1 then
# access.log, requests 1..N in order, none lost or twice.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
app=$POD-app shipper=$POD-log-shipper
# requests FROM TO: GET /?n=FROM .. /?n=TO to nginx on the pod's localhost (busybox nc).
requests() {
  podman exec "$app" sh -c "i=$1; while [ \$i -le $2 ]; do
    printf 'GET /?n=%s HTTP/1.0\r\n\r\n' \$i | nc -w 2 127.0.0.1 80 >/dev/null; i=\$((i+1)); done"
}
shipped() { podman logs "$shipper" 2>/dev/null | grep -c 'GET /' || true; }
shipped_at_least() { [ "$(shipped)" -ge "$1" ]; }
until_count() {
  wait_for 50 shipped_at_least "$1" && return 0
  echo "the shipper printed $(shipped) request lines, expected $1" >&2; return 1
}
answers() { grep -q '^HTTP' <<<"$(podman exec "$app" sh -c 'printf "HEAD / HTTP/1.0\r\n\r\n" | nc -w 1 127.0.0.1 80' 2>/dev/null)"; }
wait_for 50 answers || true
requests 1 10
until_count 10
podman exec "$app" sh -c 'mv /var/log/nginx/access.log /var/log/nginx/access.log.1 && nginx -s reopen 2>/dev/null'
requests 11 20
until_count 20
sleep 0.3   # a line beyond the files' content, if any, would show up now
files=$(podman exec "$app" cat /var/log/nginx/access.log.1 /var/log/nginx/access.log)
out=$(podman logs "$shipper" 2>/dev/null)
head -n 2 <<<"$out" >&2
python3 - "$out" "$files" <<'PY'
import re, sys
shipped, files = (s.splitlines() for s in sys.argv[1:3])
assert shipped == files, f"the shipper's {len(shipped)} lines differ from the {len(files)} in access.log.1 + access.log"
numbers = [int(m.group(1)) for l in shipped for m in [re.search(r'GET /\?n=(\d+) ', l)] if m]
assert numbers == list(range(1, 21)), f"requests missing or out of order: {numbers}"
PY
