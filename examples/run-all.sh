#!/usr/bin/env bash
# Builds the stand-in images, runs every example's run.sh (Docker Compose), then the manifests
# that have a podman-check.sh under podman kube play (podman-play.sh); fails if any example fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/stand-ins/build.sh"
failed=()
for run in "$here"/*/run.sh; do
  name=$(basename "$(dirname "$run")")
  echo "=== example: $name"
  bash "$run" || failed+=("$name")
done
bash "$here/podman-play.sh" || failed+=("podman kube play")
if [ ${#failed[@]} -gt 0 ]; then
  echo "examples failed: ${failed[*]}" >&2
  exit 1
fi
echo "examples: all passed"
