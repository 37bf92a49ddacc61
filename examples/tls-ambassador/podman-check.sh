#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): the app (orders-api:1.0,
# the redis stand-in's redis-cli) speaks plain text to 127.0.0.1:6379 and the ambassador carries
# it over mutual TLS to redis.db.internal:6380 (pod redis-db of podman-services.yaml): PING gives
# PONG, SET then GET gives the value back. A client going straight to the database with TLS but
# without a client certificate is refused, and the ambassador's listening line names its TLS.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
cli() { podman exec "$POD-api" redis-cli -h 127.0.0.1 -p 6379 "$@"; }
pongs() { [ "$(cli PING 2>/dev/null)" = PONG ]; }
wait_for 50 pongs || true
pong=$(cli PING); echo "PING -> $pong" >&2
[ "$pong" = PONG ]
reply=$(cli SET podkit:podman "plain text to localhost, mutual TLS beyond"); echo "SET -> $reply" >&2
[ "$reply" = OK ]
got=$(cli GET podkit:podman); echo "GET -> $got" >&2
[ "$got" = "plain text to localhost, mutual TLS beyond" ]
without=$(podman exec redis-db-redis redis-cli --tls --cacert /tls/ca.crt --sni redis.db.internal \
  -h 127.0.0.1 -p 6380 PING 2>&1 || true)
echo "straight to the database without a client certificate -> $without" >&2
[ -n "$without" ] && [ "$without" != PONG ]   # and the server says why (last line)
# Logs are read whole first: grep -m1 on a pipe could end the writer with SIGPIPE (pipefail).
ambassador_log=$(podman logs "$POD-tls-ambassador" 2>/dev/null)
grep '"listening".*"tls_provider":"boringssl"' <<<"$ambassador_log" >&2
database_log=$(podman logs redis-db-redis 2>&1)
grep 'did not return a certificate' <<<"$database_log" | head -n 1 >&2
