#!/usr/bin/env bash
# The README's main command: installs what is missing (Docker engine, docker-compose...), builds
# the base image and every podkit image, loads them into Docker, and runs the wait-for-database
# example: init-waiter holds an app back until its database accepts connections.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/host-setup.sh
. scripts/java-env.sh
./mvnw -B -ntp -DskipTests verify
bash examples/stand-ins/build.sh
bash examples/wait-for-database/run.sh
docker image ls --format '{{.Repository}}:{{.Tag}}  {{.Size}}' | grep '^podkit/' | sort
