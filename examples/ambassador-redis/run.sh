#!/usr/bin/env bash
# Runs this example with Docker Compose and checks it through each ambassador: PING answers PONG,
# a key SET through one is read back through the other (both reach the one real Redis), and the
# ambassador's metrics counted the connections. Exits non-zero if any of it fails.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
compose_project podkit-ambassador-redis
compose up -d
fail() { echo "ambassador-redis: FAILED: $*" >&2; compose logs --no-color --tail 20 >&2 || true; exit 1; }

declare -A id=([app]=$(service_id app) [app-flags]=$(service_id app-flags))
# cli APP ARGS...: redis-cli inside the app's container, to localhost:6379 (the ambassador).
cli() { local app=$1; shift; docker exec "${id[$app]}" redis-cli -h 127.0.0.1 -p 6379 "$@"; }
admin() { http_get "${id[$1]}" 127.0.0.1:9402 "$2"; }

for app in app app-flags; do
  wait_for 100 answers "${id[$app]}" 127.0.0.1:9402 /readyz || fail "the ambassador beside $app never became ready"
done

echo "== through the ambassador with socat's arguments (app -> localhost:6379 -> my-redis.example.com:6379)"
pong=$(cli app PING); echo "PING -> $pong"
[ "$pong" = PONG ] || fail "PING answered '$pong'"
set_reply=$(cli app SET podkit:greeting "hello through the ambassador"); echo "SET -> $set_reply"
[ "$set_reply" = OK ] || fail "SET answered '$set_reply'"

echo "== through the ambassador with flags (app-flags -> localhost:6379 -> my-redis.example.com:6379)"
pong=$(cli app-flags PING); echo "PING -> $pong"
[ "$pong" = PONG ] || fail "PING answered '$pong'"
got=$(cli app-flags GET podkit:greeting); echo "GET -> $got"
[ "$got" = "hello through the ambassador" ] || fail "GET gave '$got'"

echo "== the ambassador's metrics (:9402/metrics beside app)"
admin app /metrics | grep -E '^podkit_tcp_ambassador_(downstream_cx_total|upstream_cx_connect_fail_total|downstream_cx_rx_bytes_total)' || true
accepted=$(admin app /metrics | awk '/^podkit_tcp_ambassador_downstream_cx_total/ {s += $2} END {print s + 0}')
[ "${accepted%.*}" -ge 2 ] || fail "metrics counted $accepted downstream connections, want at least 2"
echo "ambassador-redis: OK"
