#!/usr/bin/env bash
# Runs this example with Docker Compose and checks the adapter's stdout: 21 lines, each valid
# JSON with the raw line under "msg", the one with quotes and a backslash included.
set -euo pipefail
cd "$(dirname "$0")"
project=podkit-adapter-raw
compose() { docker-compose -p "$project" "$@"; }
trap 'compose down -v -t 1 >/dev/null 2>&1 || true' EXIT
compose down -v -t 1 >/dev/null 2>&1 || true
compose up -d
adapter=$(compose ps -q log-adapter)
for _ in $(seq 1 100); do
  n=$(docker logs "$adapter" 2>/dev/null | grep -c '"msg"' || true)
  [ "$n" -ge 21 ] && break
  sleep 0.2
done
docker logs "$adapter" 2>/dev/null > /tmp/podkit-adapter-raw.out
echo "== the adapter's stdout"
cat /tmp/podkit-adapter-raw.out
python3 - /tmp/podkit-adapter-raw.out <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = [{"msg": f"raw_log_line {i}"} for i in range(20)] + [{"msg": 'say "hi" \\ bye'}]
assert lines == want, f"got {lines}"
print("adapter-raw-to-json: OK")
PY
