#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the app appends
# {"msg":"hello","ts":<epoch>} every 5 s; the adapter's stdout must carry it in Cloud Logging's
# shape: "message", "severity" INFO (the default), and the epoch as an RFC 3339 "time".
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
wait_for 50 logs_have "$POD-log-adapter" hello || true
out=$(podman logs "$POD-log-adapter" 2>/dev/null)
head -n 2 <<<"$out" >&2
head -n 2 <<<"$out" | python3 -c '
import json, sys, datetime
lines = [json.loads(l) for l in sys.stdin if l.strip()]
assert lines, "no line"
for l in lines:
    assert l["message"] == "hello" and l["severity"] == "INFO", l
    age = datetime.datetime.now(datetime.timezone.utc) - datetime.datetime.fromisoformat(l["time"].replace("Z", "+00:00"))
    assert abs(age.total_seconds()) < 120, l'
