#!/usr/bin/env bash
# Prepares what an image adds beside its jar (called by the image profile of the parent pom):
#   (1) stages the jar where Jib puts it (/app/classpath) next to the staged libs (/app/libs);
#   (2) writes the entrypoint's argument file, /app/java.args: JVM flags, then -jar <the jar>;
#       native libraries found in the staged jars go to /app/native (see (1b));
#   (3) unless --aot false, trains the AOT cache (JEP 514) with the base image's own java on the
#       staged copy, in this build, from this jar: a cache is never reused, because Temurin
#       25.0.3 runs the old classes of a stale cache without a word (JDK-8377932).
# The program is run with -Dpodkit.aot.train=true: each helper then exercises its real paths on
# loopback and exits. The cache path matches the image (/app/aot/app.aot) only through the
# JVM's common-prefix relocation of the class path, which the staged layout preserves.
set -euo pipefail
runtime_root= java= jar= stage= extra= aot=true flags=
while [ $# -gt 0 ]; do
  case "$1" in
    --runtime-root) runtime_root=$2; shift 2 ;;
    --java) java=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    --stage) stage=$2; shift 2 ;;
    --extra) extra=$2; shift 2 ;;
    --aot) aot=$2; shift 2 ;;
    --flags) flags=$2; shift 2 ;;
    *) echo "image-prepare: unknown argument: $1" >&2; exit 2 ;;
  esac
done
name=$(basename "$jar")
mkdir -p "$stage/app/classpath" "$stage/app/libs"
rm -rf "$extra"
mkdir -p "$extra/app"
cp "$jar" "$stage/app/classpath/$name"
# Jib writes every file with the time 1970-01-01T00:00:01Z: the staged jars get that time too, or
# the JVM finds the image's jar "not the one used while building" the cache and, with
# -XX:AOTMode=on, refuses to start (seen as soon as a cache records the app jar's timestamp).
find "$stage/app" -name '*.jar' -exec touch -d @1 {} +

# (1b) Native libraries inside the staged jars (Netty's epoll transport, BoringSSL) go to
# /app/native, on java.library.path: Netty would otherwise extract them to /tmp at run time,
# which a read-only root file system does not allow (it then falls back to slower Java code).
natives=false
for j in "$stage/app/libs/"*.jar; do
  [ -e "$j" ] || continue
  if python3 - "$j" "$extra/app/native" <<'PY'
import os, sys, zipfile
jar, out = sys.argv[1], sys.argv[2]
found = False
with zipfile.ZipFile(jar) as z:
    for name in z.namelist():
        if name.startswith("META-INF/native/lib") and name.endswith(".so") and "/" not in name[len("META-INF/native/"):]:
            os.makedirs(out, exist_ok=True)
            with z.open(name) as src, open(os.path.join(out, os.path.basename(name)), "wb") as dst:
                dst.write(src.read())
            found = True
sys.exit(0 if found else 1)
PY
  then natives=true; fi
done

read -r -a flag_list <<< "$flags"
{
  for f in "${flag_list[@]}"; do echo "$f"; done
  [ "$natives" = true ] && echo "-Djava.library.path=/app/native"
  [ "$aot" = true ] && echo "-XX:AOTCache=/app/aot/app.aot"
  echo "-jar"
  echo "/app/classpath/$name"
} > "$extra/app/java.args"

if [ "$aot" = true ]; then
  host_java=$runtime_root$java
  [ -x "$host_java" ] || { echo "image-prepare: no base runtime at $host_java (build base-image first)" >&2; exit 1; }
  mkdir -p "$extra/app/aot"
  log=$stage/aot-train.log
  start=$(date +%s%N)
  if ! (cd "$stage" && "$host_java" "${flag_list[@]}" -XX:AOTCacheOutput="$extra/app/aot/app.aot" \
        -Dpodkit.aot.train=true -jar "$stage/app/classpath/$name") < /dev/null > "$log" 2>&1; then
    cat "$log" >&2
    echo "image-prepare: AOT training of $name failed" >&2
    exit 1
  fi
  [ -s "$extra/app/aot/app.aot" ] || { cat "$log" >&2; echo "image-prepare: no AOT cache written" >&2; exit 1; }
  echo "image-prepare: AOT cache for $name: $(du -m "$extra/app/aot/app.aot" | cut -f1) MB in $(( ($(date +%s%N) - start) / 1000000 )) ms"
fi
