#!/usr/bin/env bash
# Installs and starts what podkit's build and tests need on a fresh Debian 12 machine:
# a Docker engine (Debian's docker.io) and docker-compose (v1, for the examples), PostgreSQL and
# Redis servers (probed by init-waiter's tests, started by the tests themselves), busybox-static
# (local stand-in and benchmark images), python3 (base image writer, benchmarks), socat (the
# alpine/socat stand-in), openssl (tcp-ambassador's test certificate authority, the TLS example's
# certificates), podman and catatonit (the examples' manifests under `podman kube play`).
# Idempotent: a second run only checks. Needs root (or sudo) for the installs.
set -euo pipefail

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -qx nc || need+=(busybox-static)
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v podman >/dev/null 2>&1 || need+=(podman catatonit)
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
command -v strip >/dev/null 2>&1 || need+=(binutils)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  echo "host-setup: installing ${need[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${need[@]}" iptables
fi

# Debian starts these services when it can; the tests start their own instances on other ports.
if ! docker info >/dev/null 2>&1; then
  echo "host-setup: starting dockerd"
  "${sudo_cmd[@]}" sh -c 'nohup dockerd >/var/log/podkit-dockerd.log 2>&1 &'
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { echo "host-setup: dockerd did not start; see /var/log/podkit-dockerd.log" >&2; exit 1; }
fi
echo "host-setup: docker $(docker version --format '{{.Server.Version}}') ready"
