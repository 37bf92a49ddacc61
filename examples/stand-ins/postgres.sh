#!/usr/bin/env bash
# Builds a local stand-in for the official postgres image (no registry can be reached here) from
# Debian's postgresql-15 package and the libraries its server, initdb and pg_isready link,
# fetched with apt-get download and unpacked with dpkg-deb -x; nothing is installed on the host.
# Tagged postgres:16 and postgres:latest, the names the examples use.
#
# It behaves like the official image where the examples depend on it: it runs as user postgres
# (uid 999), keeps its data in /var/lib/postgresql/data (PGDATA), creates the cluster on first
# start (superuser postgres, password POSTGRES_PASSWORD, or trust when
# POSTGRES_HOST_AUTH_METHOD=trust; POSTGRES_USER and POSTGRES_DB too), and serves on port 5432
# of every interface. As in the official image, TCP connections are refused until the cluster
# exists and the server runs, and the server answers "starting up" while it recovers.
# Rebuilt when this script or rootfs-lib.sh changes (the image carries their hash as a label).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rootfs-lib.sh"
hash=$(standin_label_hash "$here/postgres.sh" "$here/rootfs-lib.sh")
standin_current postgres:16 "postgres-$hash" && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
standin_unpack "$root" postgresql-15 postgresql-client-15 libpq5 libreadline8 libtinfo6 readline-common tzdata \
  libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libicu72 libxml2 liblz4-1 libzstd1 liblzma5 libsystemd0 libcap2 \
  libgcrypt20 libgpg-error0 libpam0g libaudit1 libcap-ng0 libgssapi-krb5-2 libkrb5-3 libk5crypto3 \
  libkrb5support0 libcom-err2 libkeyutils1 libldap-2.5-0 libsasl2-2 libgnutls30 libp11-kit0 libffi8 libidn2-0 \
  libunistring2 libtasn1-6 libnettle8 libhogweed6 libgmp10 libselinux1 libpcre2-8-0 libuuid1
bin=/usr/lib/postgresql/15/bin
# Every library the server and the tools used need must come from the unpacked packages.
standin_check_libs "$root" "$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/postgresql/15/lib" \
  $bin/postgres $bin/initdb $bin/pg_isready $bin/pg_ctl $bin/psql

# Keep the server, initdb and the small tools; drop docs, locales' translations, the JIT.
find "$root$bin" -mindepth 1 -maxdepth 1 \
  ! -name postgres ! -name postmaster ! -name initdb ! -name pg_ctl ! -name pg_isready ! -name psql -exec rm -f {} +
rm -rf "$root"/usr/share/{doc,man,lintian,locale,bug} "$root"/usr/lib/x86_64-linux-gnu/gconv \
  "$root"/usr/lib/postgresql/15/lib/bitcode "$root"/usr/lib/postgresql/15/lib/llvmjit* \
  "$root"/etc/init.d "$root"/lib/systemd "$root"/usr/libexec

mkdir -p "$root/tmp" "$root/var/run/postgresql" "$root/var/lib/postgresql/data" "$root/docker-entrypoint-initdb.d"
chmod 1777 "$root/tmp"
chmod 2777 "$root/var/run/postgresql"
chmod 0700 "$root/var/lib/postgresql/data"
standin_accounts "$root" postgres:999:/var/lib/postgresql:/bin/sh
standin_busybox "$root"

# The entrypoint: create the cluster on first start, listening on the socket only, then start
# the server on every interface (the official image's order, so TCP clients wait for "ready").
mkdir -p "$root/usr/local/bin"
cat > "$root/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -eu
[ "${1:-postgres}" = postgres ] || exec "$@"
[ $# -gt 0 ] && shift
: "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  method=${POSTGRES_HOST_AUTH_METHOD:-}
  if [ -z "$method" ]; then
    [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "postgres: set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2; exit 1; }
    method=scram-sha-256
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-postgres}" > "$pwfile"
  initdb -D "$PGDATA" -U "${POSTGRES_USER:-postgres}" --pwfile="$pwfile" -E UTF8 --locale=C \
    --auth-local=trust --auth-host="$method" >/dev/null
  rm -f "$pwfile"
  printf 'host all all all %s\n' "$method" >> "$PGDATA/pg_hba.conf"
  if [ -n "${POSTGRES_DB:-}" ] && [ "${POSTGRES_DB}" != postgres ]; then
    echo "CREATE DATABASE \"$POSTGRES_DB\";" | postgres --single -D "$PGDATA" -j postgres >/dev/null
  fi
  echo "postgres: database cluster created in $PGDATA"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
EOF
chmod 755 "$root/usr/local/bin/docker-entrypoint.sh"

tar -C "$root" --sort=name --numeric-owner --owner=0 --group=0 --mtime=2024-01-01 \
    --mode='u+rwX' -cf "$work/root.tar" .
# The data and socket folders belong to postgres (uid 999), as in the official image.
python3 - "$work/root.tar" <<'PY'
import sys, tarfile
src = sys.argv[1]
dst = src + ".out"
with tarfile.open(src) as tin, tarfile.open(dst, "w", format=tarfile.GNU_FORMAT) as tout:
    for m in tin.getmembers():
        if m.name.lstrip("./").startswith(("var/lib/postgresql", "var/run/postgresql")):
            m.uid = m.gid = 999
        tout.addfile(m, tin.extractfile(m) if m.isfile() else None)
PY
docker import \
    -c "ENV PATH=/usr/local/bin:$bin:/usr/bin:/bin" \
    -c 'ENV PGDATA=/var/lib/postgresql/data' \
    -c 'ENV LANG=C.UTF-8' \
    -c 'USER postgres' \
    -c 'EXPOSE 5432' \
    -c "LABEL podkit.stand-in=postgres-$hash" \
    -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
    -c 'CMD ["postgres"]' \
    "$work/root.tar.out" postgres:16 >/dev/null
docker tag postgres:16 postgres:latest
echo "stand-ins: built postgres:16 (and :latest) from $(standin_version "$root" postgresql-15)"
