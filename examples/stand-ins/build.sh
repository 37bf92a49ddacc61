#!/usr/bin/env bash
# Builds local stand-ins for the third-party images the examples name, because no registry can
# be reached here: busybox:1.36 and busybox:latest from Debian's busybox-static (/bin/busybox,
# version 1.35; its nc has no -z), then from Debian's packages: redis:7 (redis.sh, redis-server),
# alpine/socat (socat.sh), nginx:1.27 and :1.25, :latest (nginx.sh, nginx) and postgres:16 and
# :latest (postgres.sh, postgresql-15); the examples' apps that nobody builds, my-app:1.0 and
# orders-api:1.0, from those. Tagged with the names the examples use, so their files
# run unchanged. Skips an image that already exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rootfs-lib.sh"
if ! docker image inspect busybox:1.36 >/dev/null 2>&1; then
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  standin_rootfs "$root"
  standin_import "$root" busybox:1.36 'ENV PATH=/bin' 'CMD ["sh"]'
  echo "stand-ins: built busybox:1.36 from $(/bin/busybox | head -n1 | cut -d' ' -f1-2)"
fi
docker tag busybox:1.36 busybox:latest
# alpine:3.19 (adapter-json-severity's app) is busybox's sh and applets too: the same stand-in.
docker tag busybox:1.36 alpine:3.19
# my-app:1.0 (wait-for-database's app, which nobody builds) is the same stand-in too: its default
# command, sh with no input, exits 0 at once, which is all that example looks at: when it started.
docker tag busybox:1.36 my-app:1.0
bash "$here/redis.sh"
# orders-api:1.0 (tls-ambassador's app, which nobody builds): the redis stand-in, for its
# redis-cli, whose default command stays up (sleep) instead of starting a server on 6379, the
# port the ambassador beside it listens on. Made again on top of whatever redis:7 now is.
redis=$(docker create redis:7)
docker commit \
  -c 'CMD ["sh", "-c", "echo orders-api: up, Redis is 127.0.0.1:6379 in plain text; exec sleep 3600"]' \
  "$redis" orders-api:1.0 >/dev/null
docker rm "$redis" >/dev/null
bash "$here/socat.sh"
bash "$here/nginx.sh"
bash "$here/postgres.sh"
