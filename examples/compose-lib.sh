# Sourced by the examples' run.sh: Docker Compose under a project name of the example's own,
# torn down (volumes too) before and after, and a wait for a service's stdout to hold enough lines.

# compose_project NAME: sets the project and the teardown.
compose_project() {
  project=$1
  trap 'compose down -v -t 1 >/dev/null 2>&1 || true' EXIT
  compose down -v -t 1 >/dev/null 2>&1 || true
}

compose() { docker-compose -p "$project" "$@"; }

# stdout_when SERVICE PATTERN COUNT FILE: waits (at most 20 s) until the service's stdout has
# COUNT lines matching PATTERN, then writes its stdout to FILE. Its stderr is left out.
stdout_when() {
  local id
  id=$(compose ps -q "$1")
  for _ in $(seq 1 100); do
    [ "$(docker logs "$id" 2>/dev/null | grep -c "$2" || true)" -ge "$3" ] && break
    sleep 0.2
  done
  docker logs "$id" 2>/dev/null > "$4"
}
