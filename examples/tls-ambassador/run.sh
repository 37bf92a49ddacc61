#!/usr/bin/env bash
# Runs this example with Docker Compose and checks it: plain-text PING from each app to
# localhost:6379 answers PONG through the ambassador's mutual TLS (SET through one, GET through the
# other); a client that connects to the database straight, with TLS but without a client
# certificate, is refused by the server, while the same client with the certificate is let in;
# an ambassador that trusts another CA refuses the server and counts and logs the failed handshake.
set -euo pipefail
cd "$(dirname "$0")"
. ../compose-lib.sh
bash certs.sh
compose_project podkit-tls-ambassador
compose up -d
fail() { echo "tls-ambassador: FAILED: $*" >&2; compose logs --no-color --tail 20 >&2 || true; exit 1; }
declare -A id=([api]=$(service_id api) [api-flags]=$(service_id api-flags))
db=$(service_id redis-db)
cli() { local app=$1; shift; docker exec "${id[$app]}" redis-cli -h 127.0.0.1 -p 6379 "$@"; }
for app in api api-flags; do
  wait_for 100 answers "${id[$app]}" 127.0.0.1:9402 /readyz || fail "the ambassador beside $app never became ready"
done

echo "== api -> plain text to localhost:6379 -> tls-ambassador (socat's OPENSSL address) -> mTLS to redis.db.internal:6380"
pong=$(cli api PING); echo "PING -> $pong"
[ "$pong" = PONG ] || fail "PING answered '$pong'"
reply=$(cli api SET podkit:tls "sent in plain text, carried over mutual TLS"); echo "SET -> $reply"
[ "$reply" = OK ] || fail "SET answered '$reply'"
echo "== api-flags -> tls-ambassador-flags (--upstream-tls ...)"
pong=$(cli api-flags PING); echo "PING -> $pong"
[ "$pong" = PONG ] || fail "PING answered '$pong'"
got=$(cli api-flags GET podkit:tls); echo "GET -> $got"
[ "$got" = "sent in plain text, carried over mutual TLS" ] || fail "GET gave '$got'"

echo "== straight to the database with TLS but no client certificate: refused"
network=$(docker inspect -f '{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}' "$db")
ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$db")
direct() {
  docker run --rm --network "$network" -v "$PWD/certs/client:/t:ro" redis:7 \
    redis-cli --tls --cacert /t/ca.crt --sni redis.db.internal -h "$ip" -p 6380 "$@" PING 2>&1 || true
}
without=$(direct); echo "without a certificate -> $without"
[ "$without" != PONG ] || fail "the server let a client without a certificate in"
with=$(direct --cert /t/tls.crt --key /t/tls.key); echo "with the client certificate -> $with"
[ "$with" = PONG ] || fail "the server refused the client certificate: '$with'"
grep -m1 'did not return a certificate' <<<"$(docker logs "$db" 2>&1)" \
  || fail "the server's log does not show the refused handshake"

echo "== an ambassador that trusts another CA: the server's certificate is refused, nothing reaches the app"
untrusting=$(docker run -d --network "$network" -v "$PWD/certs:/certs:ro" podkit/tcp-ambassador:0.1.0 \
  --listen :6379 --upstream redis.db.internal:6380 --upstream-tls --upstream-ca-file /certs/other-ca/ca.crt \
  --upstream-cert /certs/client/tls.crt --upstream-key /certs/client/tls.key --retries 0 --access-log)
probe=$(docker run -d --network "container:$untrusting" redis:7 sleep 60)
trap 'docker rm -f "$untrusting" "$probe" >/dev/null 2>&1; compose down -v -t 1 >/dev/null 2>&1 || true' EXIT
wait_for 100 answers "$probe" 127.0.0.1:9402 /readyz || true
refused=$(docker exec "$probe" redis-cli -h 127.0.0.1 -p 6379 PING 2>&1 || true); echo "PING -> $refused"
[ "$refused" != PONG ] || fail "an ambassador that does not trust the server's CA let the PING through"
ended=$(http_get "$probe" 127.0.0.1:9402 /metrics | grep '^podkit_tcp_ambassador_cx_end_total{end="upstream_tls_failed"' || true)
echo "$ended"
[ -n "$ended" ] && [ "${ended##* }" != 0.0 ] || fail "the refused handshake was not counted as upstream_tls_failed"
grep -m1 '"end":"upstream_tls_failed"' <<<"$(docker logs "$untrusting" 2>/dev/null)" || fail "no access log line for the refused handshake"

echo "== the ambassador's TLS in its log and metrics"
grep -m1 '"listening"' <<<"$(docker logs "$(service_id tls-ambassador)" 2>/dev/null)" || true
http_get "${id[api]}" 127.0.0.1:9402 /metrics | grep -E '^podkit_tcp_ambassador_(downstream_cx_total|upstream_cx_connect_fail_total|tls_)' || true
echo "tls-ambassador: OK"
