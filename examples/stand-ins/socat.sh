#!/usr/bin/env bash
# Stand-in for alpine/socat (the name the examples use), made from Debian's socat 1.7.4. Like that
# image its entrypoint is socat, so a pod's args are socat's two addresses. Skips it if it exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rootfs-lib.sh"
docker image inspect alpine/socat:latest >/dev/null 2>&1 && exit 0
command -v socat >/dev/null || { echo "stand-ins: socat missing (apt-get install socat)" >&2; exit 1; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
standin_rootfs "$root" "$(command -v socat)"
standin_import "$root" alpine/socat:latest 'ENV PATH=/usr/bin:/bin' 'ENTRYPOINT ["socat"]'
echo "stand-ins: built alpine/socat from $(socat -V | grep -m1 'socat version' | cut -d' ' -f2-3)"
