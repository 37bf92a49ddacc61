#!/usr/bin/env bash
# Runs this example with Docker Compose and checks it: a request from another container to
# the pod's port 10000 is answered by the app on port 80 (its log shows the connection came from localhost,
# that is through the proxy), the access log has the connection, and the metrics count it.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-inbound-proxy
compose up -d
fail() { echo "inbound-proxy: FAILED: $*" >&2; compose logs --no-color --tail 20 >&2 || true; exit 1; }
web=$(service_id web)
network=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$web")
ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$web")
# A client outside the pod: a container of its own on the example's network. It uses the pod's
# address, as a Service would.
client=$(docker run -d --rm --network "$network" busybox:1.36 sleep 120)
trap 'docker rm -f "$client" >/dev/null 2>&1; compose down -v -t 1 >/dev/null 2>&1 || true' EXIT
get() { http_get "$client" "$ip:${1%%/*}" "/${1#*/}"; }

wait_for 100 answers "$client" "$ip:9402" /readyz || true
echo "== GET http://$ip:10000/ (the pod's inbound port) from another container"
body=$(get 10000/) || fail "no answer on $ip:10000"
echo "$body"
[ "$body" = "hello from the app behind tcp-ambassador" ] || fail "unexpected body '$body'"

echo "== the app's log: the request came from 127.0.0.1, the proxy beside it"
app_logged() { grep -q 'response:200' <<<"$(docker logs "$web" 2>&1)"; }
wait_for 25 app_logged || true
docker logs "$web" 2>&1 | grep -E '127\.0\.0\.1.*response:200' || fail "the app did not see the request come from localhost"

echo "== the proxy's access log and metrics ($ip:9402/metrics)"
docker logs "$(service_id inbound-proxy)" 2>/dev/null | grep '"upstream":"127.0.0.1:80"' \
  || fail "no access log line for the connection"
metrics=$(get 9402/metrics)
echo "$metrics" | grep -E '^podkit_tcp_ambassador_(downstream_cx_total|downstream_cx_active|upstream_cx_total|downstream_cx_rx_bytes_total|downstream_cx_tx_bytes_total)' || true
accepted=$(echo "$metrics" | awk '/^podkit_tcp_ambassador_downstream_cx_total/ {s += $2} END {print s + 0}')
[ "${accepted%.*}" -ge 1 ] || fail "metrics counted $accepted downstream connections"
echo "inbound-proxy: OK"
