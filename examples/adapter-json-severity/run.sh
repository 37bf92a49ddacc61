#!/usr/bin/env bash
# Runs this example with Docker Compose and checks the adapter's stdout: 10 Cloud Logging lines,
# severity INFO unless the line had its own level, time from "ts", the nested object intact.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-adapter-json
compose up -d
stdout_when log-adapter '"severity"' 10 /tmp/podkit-adapter-json.out
echo "== the adapter's stdout"
cat /tmp/podkit-adapter-json.out
python3 - /tmp/podkit-adapter-json.out <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert len(lines) == 10, lines
for i, l in enumerate(lines[:8]):
    assert l["severity"] == "INFO" and l["message"] == f"hello {i}", l
    assert l["time"] == f"2024-01-01T00:00:0{i}Z", l
assert lines[8]["severity"] == "WARNING" and lines[8]["message"] == "disk full", lines[8]
assert lines[9]["message"] == "a } b" and lines[9]["ctx"] == {"user": "u1"}, lines[9]
print("adapter-json-severity: OK")
PY
