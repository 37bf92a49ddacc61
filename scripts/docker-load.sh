#!/usr/bin/env bash
# Loads an image tarball into the local Docker engine when one runs; says so and succeeds when
# none does (the tarball is the build's product either way). PODKIT_REQUIRE_DOCKER=1 makes a
# missing engine an error, as CI wants.
set -euo pipefail
tar=$1
[ -f "$tar" ] || { echo "docker-load: no such file: $tar" >&2; exit 1; }
if ! command -v docker >/dev/null 2>&1 || ! docker info >/dev/null 2>&1; then
  if [ "${PODKIT_REQUIRE_DOCKER:-0}" = 1 ]; then
    echo "docker-load: no Docker engine answers, and PODKIT_REQUIRE_DOCKER=1" >&2; exit 1
  fi
  echo "docker-load: no Docker engine answers; $tar is not loaded"
  exit 0
fi
docker load -q -i "$tar"
