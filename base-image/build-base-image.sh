#!/usr/bin/env bash
# Builds podkit's base image offline and reproducibly:
#   (1) jlink a Java 25 runtime with only the helpers' modules and a CDS archive, strip symbols;
#   (2) take glibc, libgcc, the C.UTF-8 locale, time zones and /etc/services from Debian 12
#       packages (apt-get download + dpkg-deb -x, never installed), trimmed;
#   (3) add a distroless-style nonroot user (65532), /tmp (1777), nsswitch.conf; no shell;
#   (4) write one sorted, fixed-time layer and a docker-archive around it (see write-image.py).
# The output is <out>/base-image.tar (loadable by `docker load`, usable by Jib as tar://) and
# <out>/rootfs, the same files unpacked, whose java trains the images' AOT caches.
# A second run with the same inputs reuses the first run's result.
set -euo pipefail

jdk= modules= tag= out=
while [ $# -gt 0 ]; do
  case "$1" in
    --jdk) jdk=$2; shift 2 ;;
    --modules) modules=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "build-base-image: unknown argument: $1" >&2; exit 2 ;;
  esac
done
here=$(cd "$(dirname "$0")" && pwd)
for v in jdk modules tag out; do
  [ -n "${!v}" ] || { echo "build-base-image: --$v is required" >&2; exit 2; }
done
[ -x "$jdk/bin/jlink" ] || { echo "build-base-image: no jlink in $jdk (set JAVA_HOME to a Java 25 JDK)" >&2; exit 2; }
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$feature" = 25 ] || { echo "build-base-image: $jdk is Java $feature; Java 25 is required" >&2; exit 2; }

debs=(libc6 libgcc-s1 libc-bin tzdata netbase)
cache=${PODKIT_CACHE:-$HOME/.cache/podkit}/debs
mkdir -p "$cache" "$out"

# Versions of the packages as apt knows them now; they are part of the cache key. A machine
# whose package lists were never fetched knows none: fetch them once when we may.
if [ -z "$(apt-cache policy libc6 2>/dev/null | sed -n 's/^ *Candidate: //p')" ] && [ "$(id -u)" = 0 ]; then
  apt-get update -q >/dev/null
fi
versions=()
for d in "${debs[@]}"; do
  v=$(apt-cache policy "$d" 2>/dev/null | sed -n 's/^ *Candidate: //p')
  [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "build-base-image: apt knows no candidate for $d (run apt-get update)" >&2; exit 1; }
  versions+=("$d=$v")
done
key=$( { cat "$0" "$here/write-image.py" "$jdk/release"; echo "$modules" "$tag" "${versions[*]}"; } | sha256sum | cut -c1-16)
if [ -f "$out/base-image.tar" ] && [ "$(cat "$out/base-image.key" 2>/dev/null)" = "$key" ] && [ -x "$out/rootfs/opt/java/bin/java" ]; then
  echo "build-base-image: up to date ($tag, key $key)"
  exit 0
fi

work=$out/base-work
rm -rf "$work" "$out/rootfs" "$out/base-image.tar" "$out/base-image.key"
mkdir -p "$work/debs" "$out/rootfs"
root=$out/rootfs

# (1) The runtime.
"$jdk/bin/jlink" --add-modules "$modules" --output "$root/opt/java" \
  --strip-java-debug-attributes --no-man-pages --no-header-files --compress=zip-6 \
  --generate-cds-archive
find "$root/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
strip --strip-unneeded "$root/opt/java/bin/"* 2>/dev/null || true
# The archive for heaps over 32 GB (no compressed oops): a helper never has one. 14 MB.
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"

# (2) Debian files.
for pv in "${versions[@]}"; do
  name=${pv%%=*}; ver=${pv#*=}
  file=$(ls "$cache/${name}_${ver//:/%3a}_"*.deb 2>/dev/null | head -n1 || true)
  if [ -z "$file" ]; then
    (cd "$cache" && apt-get download "$name=$ver" >/dev/null 2>"$work/apt.err") \
      || { cat "$work/apt.err" >&2; exit 1; }
    file=$(ls "$cache/${name}_${ver//:/%3a}_"*.deb | head -n1)
  fi
  dpkg-deb -x "$file" "$work/debs/$name"
done
cp -a "$work/debs/libc6/." "$root/"
cp -a "$work/debs/libgcc-s1/." "$root/"
mkdir -p "$root/usr/lib/locale"
cp -a "$work/debs/libc-bin/usr/lib/locale/C.utf8" "$root/usr/lib/locale/"
mkdir -p "$root/usr/share"
cp -a "$work/debs/tzdata/usr/share/zoneinfo" "$root/usr/share/"
rm -rf "$root/usr/share/zoneinfo/right" "$root/usr/share/zoneinfo/posix"
ln -sfn . "$root/usr/share/zoneinfo/posix"
cp -a "$work/debs/netbase/etc" "$root/"
rm -rf "$root/usr/share/doc" "$root/usr/share/lintian" "$root/usr/share/locale" "$root/usr/share/man" \
       "$root/usr/lib/x86_64-linux-gnu/gconv" "$root/usr/libexec" "$root/sbin" "$root/usr/sbin" \
       "$root/usr/bin" "$root/bin" "$root/etc/ld.so.conf.d" "$root/usr/share/gcc"

# (3) Users, folders, name service.
mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot" "$root/app"
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
printf 'hosts: files dns\nnetworks: files\n' > "$root/etc/nsswitch.conf"
ln -sfn /usr/share/zoneinfo/UTC "$root/etc/localtime"
{
  echo "podkit base image"
  echo "runtime: $("$jdk/bin/java" -version 2>&1 | head -n1) modules=$modules"
  printf 'debian: %s\n' "${versions[@]}"
} > "$root/etc/podkit-base.txt"

# (4) The image.
python3 "$here/write-image.py" --rootfs "$root" --tag "$tag" --out "$out/base-image.tar"
echo "$key" > "$out/base-image.key"
rm -rf "$work"
echo "build-base-image: $tag, $(du -sm "$root" | cut -f1) MB unpacked, $(du -m "$out/base-image.tar" | cut -f1) MB tar, sha256 $(sha256sum "$out/base-image.tar" | cut -c1-16)"
