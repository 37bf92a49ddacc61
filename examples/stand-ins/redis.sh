#!/usr/bin/env bash
# Stand-in for redis:7 (the name the examples use), made from Debian's redis-server and
# redis-tools 7.0 (built with TLS). Like the official image it runs `redis-server` by default,
# prepends it to arguments that start with "-", and turns protected mode off so that other
# containers can connect (the official image is built that way). Skips it if it exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rootfs-lib.sh"
docker image inspect redis:7 >/dev/null 2>&1 && exit 0
command -v redis-server >/dev/null && command -v redis-cli >/dev/null \
  || { echo "stand-ins: redis-server or redis-cli missing (apt-get install redis-server)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
standin_rootfs "$root" "$(command -v redis-server)" "$(command -v redis-cli)"
cat > "$root/usr/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
# redis:7 stand-in: "-..." arguments go to redis-server; redis-server runs with protected mode off.
case "$1" in -*) set -- redis-server "$@" ;; esac
if [ "$1" = redis-server ]; then
  shift
  set -- redis-server --protected-mode no "$@"
fi
exec "$@"
SH
chmod 755 "$root/usr/bin/docker-entrypoint.sh"
standin_import "$root" redis:7 'ENV PATH=/usr/bin:/bin' 'WORKDIR /data' \
  'ENTRYPOINT ["docker-entrypoint.sh"]' 'CMD ["redis-server"]' 'EXPOSE 6379'
echo "stand-ins: built redis:7 from $(redis-server --version | cut -d' ' -f1-3)"
