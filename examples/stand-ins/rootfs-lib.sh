# Sourced by the stand-in scripts: a root file system made of busybox (for the shell and applets
# the third-party images have) plus Debian's own binaries with every shared library they load
# (from ldd), imported as an image. No registry is needed.

# standin_rootfs DIR BINARY...: fills DIR with busybox, the binaries and their libraries.
standin_rootfs() {
  local root=$1 bin lib
  shift
  [ -x /bin/busybox ] || { echo "stand-ins: /bin/busybox missing (apt-get install busybox-static)" >&2; return 1; }
  mkdir -p "$root/bin" "$root/usr/bin" "$root/tmp" "$root/etc" "$root/data"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
  done
  for bin in "$@"; do
    [ -x "$bin" ] || { echo "stand-ins: $bin missing" >&2; return 1; }
    cp "$bin" "$root/usr/bin/"
    for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
}

# standin_import DIR TAG CHANGE...: imports DIR as image TAG with docker import's --change lines.
standin_import() {
  local root=$1 tag=$2 change args=()
  shift 2
  for change in "$@"; do args+=(-c "$change"); done
  tar -C "$root" --numeric-owner --owner=0 --group=0 -cf - . | docker import "${args[@]}" - "$tag" >/dev/null
}
