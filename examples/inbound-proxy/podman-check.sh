#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh; the Deployment's pod is
# <name>-pod-0): a request from outside the pod (this host, as a node would) to the pod's address on
# port 10000 is answered by nginx on port 80, whose log shows it came from 127.0.0.1 (through the
# proxy beside it); the proxy's access log has the connection and its metrics count it.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
infra=$(podman pod inspect "$POD" --format '{{.InfraContainerID}}')
# get URL: the body, or a failure unless the status is 200 (python3: curl is not among the host's tools).
get() {
  python3 -c 'import sys, urllib.request
try: sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())
except Exception as e: sys.exit(f"GET {sys.argv[1]}: {e}")' "$1"
}
ip=$(podman inspect "$infra" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')
ready() { get "http://$ip:9402/readyz" >/dev/null 2>&1; }
wait_for 50 ready || true
page=$(get "http://$ip:10000/")
echo "GET http://$ip:10000/ -> $(grep -o '<title>.*</title>' <<<"$page")" >&2
grep -q '<title>Welcome to nginx!</title>' <<<"$page"
logged() { grep -q '"GET / HTTP' <<<"$(podman logs "$POD-web" 2>&1)"; }
wait_for 25 logged || true
# Logs are read whole first: grep -m1 on a pipe could end the writer with SIGPIPE (pipefail).
web_log=$(podman logs "$POD-web" 2>&1)
grep -m1 '^127\.0\.0\.1 .*"GET / HTTP/1.1" 200' <<<"$web_log" >&2
proxy_log=$(podman logs "$POD-inbound-proxy" 2>/dev/null)
grep -m1 '"upstream":"127.0.0.1:80"' <<<"$proxy_log" >&2
accepted=$(get "http://$ip:9402/metrics" | awk '/^podkit_tcp_ambassador_downstream_cx_total/ {s += $2} END {print s + 0}')
echo "downstream connections counted: $accepted" >&2
[ "${accepted%.*}" -ge 1 ]
