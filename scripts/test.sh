#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test: unit (*Test),
# loopback integration and container tests (*IT, against the images this build makes and loads
# into Docker) and the examples. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/host-setup.sh
. scripts/java-env.sh
export PODKIT_REQUIRE_DOCKER=1
./mvnw -B -ntp verify "$@"
