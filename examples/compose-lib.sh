# Sourced by the examples' run.sh: Docker Compose under a project name of the example's own,
# torn down (volumes too) before and after, and a wait for a service's stdout to hold enough lines.
. "$(dirname "${BASH_SOURCE[0]}")/wait-lib.sh"

# compose_project NAME: sets the project and the teardown.
compose_project() {
  project=$1
  trap 'compose down -v -t 1 >/dev/null 2>&1 || true' EXIT
  compose down -v -t 1 >/dev/null 2>&1 || true
}

compose() { docker-compose -p "$project" "$@"; }

# service_id SERVICE: the container id of a service, from the labels Compose v1 and v2 both set
# (docker's CLI answers in a fraction of the time docker-compose takes to start).
service_id() {
  docker ps -aq --filter "label=com.docker.compose.project=$project" \
    --filter "label=com.docker.compose.service=$1" | head -n 1
}

# stdout_when SERVICE PATTERN COUNT FILE: waits (at most 20 s) until the service's stdout has
# COUNT lines matching PATTERN, then writes its stdout to FILE. Its stderr is left out.
stdout_when() {
  local id
  id=$(service_id "$1")
  wait_for 100 logs_count_at_least "$id" "$2" "$3" || true
  docker logs "$id" 2>/dev/null > "$4"
}

# logs_count_at_least CONTAINER PATTERN COUNT: whether its stdout has COUNT lines matching PATTERN.
logs_count_at_least() {
  [ "$(docker logs "$1" 2>/dev/null | grep -c "$2" || true)" -ge "$3" ]
}

# http_get CONTAINER HOST:PORT PATH: an HTTP/1.0 GET sent with busybox nc from inside CONTAINER
# (Debian's busybox-static wget crashes); prints the body, fails unless the status is 200.
http_get() {
  local response
  response=$(docker exec "$1" sh -c "printf 'GET $3 HTTP/1.0\r\nHost: $2\r\n\r\n' | nc -w 3 ${2%:*} ${2##*:}") || return 1
  case "${response%%$'\r'*}" in "HTTP/1."?" 200"*) ;; *) return 1 ;; esac
  printf '%s\n' "$response" | sed '1,/^\r\{0,1\}$/d'
}

# answers CONTAINER HOST:PORT PATH: whether http_get of it succeeds (its body discarded).
answers() {
  http_get "$@" >/dev/null 2>&1
}
