# Sourced by the examples' podman-check.sh (run by podman-play.sh, with POD set): waits, podman's
# events and HTTP requests made from inside a pod's container.

. "$(dirname "${BASH_SOURCE[0]}")/wait-lib.sh"

# logs_have CONTAINER PATTERN: whether the container's stdout has a line matching PATTERN (read
# whole first: grep -q on a pipe could end the writer with SIGPIPE under pipefail).
logs_have() {
  local logs
  logs=$(podman logs "$1" 2>/dev/null)
  grep -q -- "$2" <<<"$logs"
}

# event CONTAINER STATUS: "epoch-seconds exit-code" of the container's last such event in the last
# 5 minutes (podman removes an ended init container, so its exit is known only from its events).
event() {
  podman events --since 5m --stream=false --filter "container=$1" --filter "event=$2" \
    --format '{{.Time}}|{{.ContainerExitCode}}' | tail -n 1 \
    | { IFS='|' read -r t code; [ -n "$t" ] && echo "$(date -u -d "$(cut -d' ' -f1-3 <<<"$t")" +%s.%N) $code"; }
}

# body CONTAINER PORT [PATH]: the body of GET /PATH on the pod's localhost, sent with busybox nc
# from inside CONTAINER (HTTP/1.0, so the server closes the connection after it).
body() {
  podman exec "$1" sh -c "printf 'GET /${3:-} HTTP/1.0\r\n\r\n' | nc -w 2 127.0.0.1 $2" 2>/dev/null \
    | sed '1,/^\r\{0,1\}$/d'
}
