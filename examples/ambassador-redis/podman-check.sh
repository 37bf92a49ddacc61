#!/usr/bin/env bash
# Behaviour of after.yaml under podman kube play (see ../podman-play.sh): inside the app
# container, Redis commands sent to localhost:6379 (busybox nc, as the pod's own app would) are
# answered by the real Redis through the ambassador: PING gives +PONG, SET then GET gives the value.
set -euo pipefail
. "$(dirname "$0")/../podman-lib.sh"
redis() { podman exec "$POD-app" sh -c "printf '$1\r\n' | nc -w 2 127.0.0.1 6379"; }
pongs() { [ "$(redis PING 2>/dev/null | tr -d '\r')" = +PONG ]; }
wait_for 50 pongs || true
pong=$(redis PING | tr -d '\r'); echo "PING -> $pong" >&2
[ "$pong" = +PONG ]
set_reply=$(redis 'SET podkit:podman via-the-ambassador' | tr -d '\r'); echo "SET -> $set_reply" >&2
[ "$set_reply" = +OK ]
got=$(redis 'GET podkit:podman' | tr -d '\r' | tail -n 1); echo "GET -> $got" >&2
[ "$got" = via-the-ambassador ]
logs=$(podman logs "$POD-redis-ambassador" 2>/dev/null)
grep -m1 '"listening"' <<<"$logs" >&2
