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
# Rebuilt when this script changes (the image carries the script's hash as a label).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hash=$(sha256sum "$here/postgres.sh" | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "podkit.stand-in"}}' postgres:16 2>/dev/null || true)" = "postgres-$hash" ]; then
  exit 0
fi
[ -x /bin/busybox ] || { echo "stand-ins: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debs="$work/debs" root="$work/root"
mkdir -p "$debs" "$root"
packages=(postgresql-15 postgresql-client-15 libpq5 libreadline8 libtinfo6 readline-common tzdata libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libicu72 libxml2 liblz4-1
  libzstd1 liblzma5 libsystemd0 libcap2 libgcrypt20 libgpg-error0 libpam0g libaudit1 libcap-ng0
  libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1 libldap-2.5-0
  libsasl2-2 libgnutls30 libp11-kit0 libffi8 libidn2-0 libunistring2 libtasn1-6 libnettle8 libhogweed6
  libgmp10 libselinux1 libpcre2-8-0 libuuid1)
download() { (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "${packages[@]}" >/dev/null); }
# A fresh machine may have no package lists yet.
download 2>/dev/null || { apt-get update -q >/dev/null && download; }
for deb in "$debs"/*.deb; do
  dpkg-deb -x "$deb" "$root"
done

bin=/usr/lib/postgresql/15/bin
# Every library the server and the tools used need must come from the unpacked packages.
libs="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu:$root/usr/lib/postgresql/15/lib"
for exe in postgres initdb pg_isready pg_ctl psql; do
  needs=$("$root/lib64/ld-linux-x86-64.so.2" --library-path "$libs" --list "$root$bin/$exe")
  if grep -q 'not found' <<<"$needs"; then
    echo "stand-ins: $exe needs libraries the packages did not bring:" >&2
    grep 'not found' <<<"$needs" >&2
    exit 1
  fi
done

# Keep the server, initdb and the small tools; drop docs, locales' translations, the JIT.
find "$root$bin" -mindepth 1 -maxdepth 1 \
  ! -name postgres ! -name postmaster ! -name initdb ! -name pg_ctl ! -name pg_isready ! -name psql -exec rm -f {} +
rm -rf "$root"/usr/share/{doc,man,lintian,locale,bug} "$root"/usr/lib/x86_64-linux-gnu/gconv \
  "$root"/usr/lib/postgresql/15/lib/bitcode "$root"/usr/lib/postgresql/15/lib/llvmjit* \
  "$root"/etc/init.d "$root"/lib/systemd "$root"/usr/libexec

mkdir -p "$root/bin" "$root/etc" "$root/tmp" "$root/var/run/postgresql" "$root/var/lib/postgresql/data" \
  "$root/docker-entrypoint-initdb.d"
chmod 1777 "$root/tmp"
chmod 2777 "$root/var/run/postgresql"
chmod 0700 "$root/var/lib/postgresql/data"
printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'postgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh' \
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'postgres:x:999:' 'nogroup:x:65534:' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

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
echo "stand-ins: built postgres:16 (and :latest) from $(ls "$debs" | grep '^postgresql-15_' | sed 's/_amd64.deb//')"
