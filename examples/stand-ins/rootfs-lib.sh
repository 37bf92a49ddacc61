# Sourced by the stand-in scripts. Two ways to make a root file system, both with busybox for the
# shell and the applets the third-party images have, imported as an image (no registry needed):
#   - standin_rootfs: Debian binaries installed on this host, with every library they load (ldd);
#   - standin_unpack: Debian packages fetched with apt-get download and unpacked (dpkg-deb -x),
#     nothing installed on the host; standin_check_libs proves nothing is taken from the host.

# standin_busybox DIR: busybox as /bin/busybox, linked under each applet name DIR does not have yet.
standin_busybox() {
  local root=$1 applet
  [ -x /bin/busybox ] || { echo "stand-ins: /bin/busybox missing (apt-get install busybox-static)" >&2; return 1; }
  mkdir -p "$root/bin"
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || [ -e "$root/usr/bin/$applet" ] || [ -e "$root/usr/sbin/$applet" ] \
      || ln -s busybox "$root/bin/$applet"
  done
}

# standin_accounts DIR [USER:UID:HOME:SHELL...]: /etc/passwd and /etc/group with root, the users
# given (each with a group of its own id) and nobody; /etc/nsswitch.conf for name lookups.
standin_accounts() {
  local root=$1 user name id home shell
  shift
  mkdir -p "$root/etc"
  {
    echo 'root:x:0:0:root:/root:/bin/sh'
    for user in "$@"; do
      IFS=: read -r name id home shell <<<"$user"
      echo "$name:x:$id:$id:$name:$home:$shell"
    done
    echo 'nobody:x:65534:65534:nobody:/nonexistent:/bin/false'
  } > "$root/etc/passwd"
  {
    echo 'root:x:0:'
    for user in "$@"; do
      IFS=: read -r name id _ <<<"$user"
      echo "$name:x:$id:"
    done
    echo 'nogroup:x:65534:'
  } > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
}

# standin_rootfs DIR BINARY...: fills DIR with busybox, the binaries and their libraries.
standin_rootfs() {
  local root=$1 bin lib
  shift
  mkdir -p "$root/usr/bin" "$root/tmp" "$root/data"
  for bin in "$@"; do
    [ -x "$bin" ] || { echo "stand-ins: $bin missing" >&2; return 1; }
    cp "$bin" "$root/usr/bin/"
    for lib in $(ldd "$bin" | grep -o '/[^ ]*'); do
      mkdir -p "$root$(dirname "$lib")"
      cp -L "$lib" "$root$lib"
    done
  done
  standin_busybox "$root"
  chmod 1777 "$root/tmp"
  standin_accounts "$root"
}

# standin_unpack DIR PACKAGE...: downloads the Debian packages into DIR.debs and unpacks them into DIR.
standin_unpack() {
  local root=$1 deb
  shift
  mkdir -p "$root" "$root.debs"
  # A fresh machine may have no package lists yet.
  (cd "$root.debs" && apt-get download -q -o APT::Sandbox::User=root "$@" >/dev/null 2>&1) \
    || { apt-get update -q >/dev/null && (cd "$root.debs" && apt-get download -q -o APT::Sandbox::User=root "$@" >/dev/null); }
  for deb in "$root.debs"/*.deb; do
    dpkg-deb -x "$deb" "$root"
  done
}

# standin_version DIR PACKAGE: the version of PACKAGE that standin_unpack fetched into DIR.
standin_version() {
  local deb
  for deb in "$1.debs/$2"_*.deb; do basename "$deb" | sed 's/_amd64.deb//'; done
}

# standin_check_libs DIR LIBRARY-PATH EXECUTABLE...: fails unless every library each executable
# (a path inside DIR) loads is found in LIBRARY-PATH (paths inside DIR, colon-separated).
standin_check_libs() {
  local root=$1 libs=$2 exe needs
  shift 2
  for exe in "$@"; do
    needs=$("$root/lib64/ld-linux-x86-64.so.2" --library-path "$libs" --list "$root$exe")
    if grep -q 'not found' <<<"$needs"; then
      echo "stand-ins: $exe needs libraries the packages did not bring:" >&2
      grep 'not found' <<<"$needs" >&2
      return 1
    fi
  done
}

# standin_import DIR TAG CHANGE...: imports DIR as image TAG with docker import's --change lines.
standin_import() {
  local root=$1 tag=$2 change args=()
  shift 2
  for change in "$@"; do args+=(-c "$change"); done
  tar -C "$root" --sort=name --numeric-owner --owner=0 --group=0 --mtime=2024-01-01 -cf - . \
    | docker import "${args[@]}" - "$tag" >/dev/null
}

# standin_label_hash FILE...: a short hash of the scripts an image is made by, for its label.
standin_label_hash() {
  cat "$@" | sha256sum | cut -c1-16
}

# standin_current TAG LABEL: whether image TAG exists with podkit.stand-in=LABEL (made by these scripts).
standin_current() {
  [ "$(docker image inspect -f '{{index .Config.Labels "podkit.stand-in"}}' "$1" 2>/dev/null || true)" = "$2" ]
}
