#!/usr/bin/env bash
# Runs the Kubernetes manifest (after.yaml) of every example that has a podman-check.sh under
# `podman kube play`, the closest thing to a kubelet that runs here, and checks its behaviour with
# that script. Arguments: example folders (default: all that have a podman-check.sh).
#
# What it adapts, and why:
# - a copy of the manifest with the pod's restartPolicy set to Never: with Always (the Kubernetes
#   default) podman 4.3 restarts init containers forever;
# - manifests with a native sidecar (an init container with restartPolicy: Always) are refused:
#   podman 4.3 ignores it and kube play waits for it forever;
# - a containers.conf of its own (CONTAINERS_CONF) with lower ulimits, which podman needs as
#   root on machines without CAP_SYS_RESOURCE;
# - the images the manifest names are copied from the Docker engine (`docker save | podman load`),
#   so podman runs exactly the images just built and the stand-ins;
# - services the pod reaches by name (a Service, an external host) come from the example's
#   podman-services.yaml, if any: pods played first, each naming the host it stands for in the
#   annotation podkit.dev/hostname; their addresses go into the pod's hostAliases, as cluster DNS
#   would answer them;
# - the containers' ports: lists are left out (see drop_ports below);
# - an emptyDir volume becomes a hostPath of a new empty folder of mode 0777, as Kubernetes makes
#   it: podman 4.3 makes it a volume that holds a copy of what the image has at the mount point
#   (nginx's access.log, a link to stdout, in sidecar-logging) and is root's with mode 0755 (which
#   a container running as uid 65532 cannot write);
# - a Secret volume becomes a hostPath of the example's certs/<secretName> folder (its certs.sh,
#   run first, makes it): podman 4.3.1's kube play panics on a Secret volume (a nil pointer in
#   its VolumeFromSecret).
# podman-check.sh runs with POD set to the pod's name; podman names containers POD-CONTAINER.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
command -v podman >/dev/null || { echo "podman-play: podman missing (apt-get install podman catatonit)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n' > "$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf

if [ $# -eq 0 ]; then
  set -- $(for c in "$here"/*/podman-check.sh; do basename "$(dirname "$c")"; done)
fi
# awk that skips a container's ports: list. podman 4.3 publishes every containerPort on the
# host's port of the same number, which would clash between pods and with the machine's own
# servers; inside the pod nothing needs it (probes naming a port are not run by podman here).
drop_ports='function indent(l) { return match(l, /[^ ]/) ? RSTART - 1 : 0 }
  /^ +ports:$/ {skip = indent($0); item = sprintf("%" skip "s- ", ""); next}
  skip && (indent($0) > skip || index($0, item) == 1) {next}
  {skip = 0}'
# awk that rewrites emptyDir and Secret volumes into hostPath ones (see above). Variables: work,
# dir (the example's folder).
volumes='sskip && indent($0) > sskip {
    if ($1 == "secretName:") { name = $2; gsub(/"/, "", name); printf "%" (sskip + 2) "spath: %s/certs/%s\n", "", dir, name }
    next }
  {sskip = 0}
  /^ +emptyDir: \{\}$/ {
    cmd = "mktemp -d " work "/emptydir.XXXXXX"; cmd | getline path; close(cmd); system("chmod 0777 " path)
    printf "%" indent($0) "shostPath:\n%" (indent($0) + 2) "spath: %s\n", "", "", path; next }
  /^ +secret:$/ {sskip = indent($0); printf "%" sskip "shostPath:\n", ""; next}'
# play FILE: podman kube play, bounded, without podman 4.3's noise on stderr for what it cannot
# do here and does not matter (no systemd for probe timers; an ended init container it removed).
play() {
  timeout 120 podman kube play "$1" >/dev/null \
    2> >(grep -v -e 'unable to get systemd connection' -e 'from database: no container with ID' >&2)
}
failed=()
declare -A loaded=()
for example in "$@"; do
  dir=$here/$example
  manifest=$dir/after.yaml
  echo "=== podman kube play: $example/after.yaml"
  if grep -q 'restartPolicy: Always' <<<"$(grep -A30 '^  initContainers:' "$manifest")"; then
    echo "podman-play: $example has a native sidecar, which podman 4.3 cannot run" >&2
    failed+=("$example"); continue
  fi
  [ ! -f "$dir/certs.sh" ] || bash "$dir/certs.sh" >/dev/null
  services=$dir/podman-services.yaml
  [ -f "$services" ] || services=
  mapfile -t images < <(sed -n 's/^ *image: *"\{0,1\}\([^" ]*\)"\{0,1\} *$/\1/p' "$manifest" $services | sort -u)
  # Each image once per run (copying them took about half the time when every example did).
  new=()
  for image in "${images[@]}"; do [ -n "${loaded[$image]:-}" ] || { new+=("$image"); loaded[$image]=1; }; done
  [ ${#new[@]} -eq 0 ] || docker save "${new[@]}" | podman load -q >/dev/null
  ok=0 started=$SECONDS pods=()
  # What goes under the pod's spec: in the copy that is played.
  printf '  restartPolicy: Never\n' > "$work/insert"
  if [ -n "$services" ]; then
    awk -v work="$work" -v dir="$dir" "$drop_ports$volumes"'{print}' "$services" > "$work/services.yaml"
    services=$work/services.yaml
    play "$services" || echo "podman-play: $services did not start" >&2
    printf '  hostAliases:\n' >> "$work/insert"
    # One "pod-name hostname" pair per pod of the services file, in order.
    while read -r service host; do
      infra=$(podman pod inspect "$service" --format '{{.InfraContainerID}}')
      ip=$(podman inspect "$infra" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')
      printf '    - ip: "%s"\n      hostnames: ["%s"]\n' "$ip" "$host" >> "$work/insert"
      echo "podman-play: $host is pod $service at $ip"
      pods+=("$service")
    done < <(awk '/^---/ {name = ""} /^  name: / && name == "" {name = $2}
                  /podkit.dev\/hostname:/ {gsub(/"/, "", $2); print name, $2}' "$services")
  fi
  # The pod's spec: the top one of a Pod; a Deployment's is its template's, which podman plays as
  # a pod named <deployment>-pod-0 (a Service beside it is left to podman, which ignores it here).
  pod=$(sed -n '0,/^  name: /s/^  name: *//p' "$manifest") podspec=spec: pad=
  if [ "$(sed -n 's/^kind: *//p' "$manifest" | head -n 1)" = Deployment ]; then
    pod=$pod-pod-0 podspec='    spec:' pad='    '
  fi
  awk -v insert="$work/insert" -v podspec="$podspec" -v pad="$pad" -v work="$work" -v dir="$dir" \
    "$drop_ports$volumes"'{print} !done && $0 == podspec {while ((getline l < insert) > 0) print pad l; done = 1}' \
    "$manifest" > "$work/$example.yaml"
  if play "$work/$example.yaml" \
      && POD=$pod timeout 60 bash "$dir/podman-check.sh"; then
    ok=1
  fi
  # Pods removed with 1 s to stop first: the stand-ins' shell or httpd as PID 1 ignores SIGTERM,
  # and kube down waited longer for them (site-origin: 4 s, against 2 s this way).
  podman pod rm -f -t 1 "$pod" "${pods[@]}" >/dev/null 2>&1 || true
  podman kube down "$work/$example.yaml" >/dev/null 2>&1 || true
  [ -z "$services" ] || podman kube down "$services" >/dev/null 2>&1 || true
  [ $ok = 1 ] && echo "$example (podman): OK ($((SECONDS - started)) s)" || { echo "$example (podman): FAILED" >&2; failed+=("$example"); }
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "podman examples failed: ${failed[*]}" >&2
  exit 1
fi
echo "podman examples: all passed"
