#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the legacy app appends
# 'raw_log_line' every 5 s; the adapter's stdout must carry it as {"msg":"raw_log_line"}.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
wait_for 50 logs_have "$POD-log-adapter" raw_log_line || true
out=$(podman logs "$POD-log-adapter" 2>/dev/null)
head -n 2 <<<"$out" >&2
head -n 2 <<<"$out" | python3 -c '
import json, sys
lines = [json.loads(l) for l in sys.stdin if l.strip()]
assert lines and all(l == {"msg": "raw_log_line"} for l in lines), lines'
