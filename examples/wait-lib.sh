# Sourced by compose-lib.sh and podman-lib.sh: the one bounded wait the examples' checks use.

# wait_for TRIES COMMAND...: runs COMMAND every 0.2 s until it succeeds, at most TRIES times.
wait_for() {
  local tries=$1
  shift
  for _ in $(seq 1 "$tries"); do
    "$@" && return 0
    sleep 0.2
  done
  return 1
}
