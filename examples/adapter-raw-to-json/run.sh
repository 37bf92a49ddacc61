#!/usr/bin/env bash
# Runs this example with Docker Compose and checks the adapter's stdout: 21 lines, each valid
# JSON with the raw line under "msg", the one with quotes and a backslash included.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-adapter-raw
compose up -d
stdout_when log-adapter '"msg"' 21 /tmp/podkit-adapter-raw.out
echo "== the adapter's stdout"
cat /tmp/podkit-adapter-raw.out
python3 - /tmp/podkit-adapter-raw.out <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = [{"msg": f"raw_log_line {i}"} for i in range(20)] + [{"msg": 'say "hi" \\ bye'}]
assert lines == want, f"got {lines}"
print("adapter-raw-to-json: OK")
PY
