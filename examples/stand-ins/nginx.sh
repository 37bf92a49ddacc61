#!/usr/bin/env bash
# Builds a local stand-in for the official nginx image (no registry can be reached here) from
# Debian's nginx package (1.22) and the libraries it links, fetched with apt-get download and
# unpacked with dpkg-deb -x; nothing is installed on the host. Tagged nginx:1.27, nginx:1.25 and
# nginx:latest, the names the examples use, so their files run unchanged.
#
# It behaves like the official image where the examples depend on it:
#   - default command `nginx -g 'daemon off;'`, master as root, workers as user nginx (uid 101),
#     stop signal SIGQUIT (graceful stop), port 80;
#   - serves /usr/share/nginx/html (index.html) on port 80, config in /etc/nginx/conf.d/*.conf;
#   - /var/log/nginx/access.log and error.log are links to /dev/stdout and /dev/stderr, so
#     `docker logs` shows them; an emptyDir or volume mounted on /var/log/nginx hides the links
#     and nginx writes real files there (what the sidecar-logging example relies on);
#   - a /bin/sh (busybox applets, where the official image has dash and coreutils).
# Rebuilt when this script changes (the image carries the script's hash as a label).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hash=$(sha256sum "$here/nginx.sh" | cut -c1-16)
if [ "$(docker image inspect -f '{{index .Config.Labels "podkit.stand-in"}}' nginx:1.27 2>/dev/null || true)" = "nginx-$hash" ]; then
  exit 0
fi
[ -x /bin/busybox ] || { echo "stand-ins: /bin/busybox missing (apt-get install busybox-static)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debs="$work/debs" root="$work/root"
mkdir -p "$debs" "$root"
packages=(nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g)
download() { (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "${packages[@]}" >/dev/null); }
# A fresh machine may have no package lists yet.
download 2>/dev/null || { apt-get update -q >/dev/null && download; }
for deb in "$debs"/*.deb; do
  dpkg-deb -x "$deb" "$root"
done

# Every library nginx needs must come from the unpacked packages, none from the host.
libs="$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu"
needs=$("$root/lib64/ld-linux-x86-64.so.2" --library-path "$libs" --list "$root/usr/sbin/nginx")
if grep -q 'not found' <<<"$needs"; then
  echo "stand-ins: nginx needs libraries the packages did not bring:" >&2
  grep 'not found' <<<"$needs" >&2
  exit 1
fi

# Trim what a container never uses: docs, init scripts, the Debian site layout.
rm -rf "$root"/usr/share/{doc,man,lintian,locale,vim,apport,bug} "$root"/usr/lib/x86_64-linux-gnu/gconv \
  "$root"/etc/{init.d,default,logrotate.d,ufw} "$root"/lib/systemd "$root"/usr/libexec \
  "$root"/etc/nginx/{sites-available,sites-enabled,snippets,modules-available,modules-enabled} \
  "$root"/etc/nginx/{koi-utf,koi-win,win-utf}

# The layout of the official image: one server in conf.d, logs linked to the container's output.
cat > "$root/etc/nginx/nginx.conf" <<'EOF'
# podkit stand-in for the official nginx image (Debian's nginx 1.22 underneath).
user nginx;
worker_processes auto;
error_log /var/log/nginx/error.log notice;
pid /run/nginx.pid;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    log_format main '$remote_addr - $remote_user [$time_local] "$request" '
                    '$status $body_bytes_sent "$http_referer" '
                    '"$http_user_agent" "$http_x_forwarded_for"';
    access_log /var/log/nginx/access.log main;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
EOF
mkdir -p "$root/etc/nginx/conf.d"
cat > "$root/etc/nginx/conf.d/default.conf" <<'EOF'
server {
    listen 80;
    listen [::]:80;
    server_name localhost;

    location / {
        root /usr/share/nginx/html;
        index index.html index.htm;
    }

    error_page 500 502 503 504 /50x.html;
    location = /50x.html {
        root /usr/share/nginx/html;
    }
}
EOF
cat > "$root/usr/share/nginx/html/50x.html" <<'EOF'
<!DOCTYPE html>
<html><head><title>Error</title></head>
<body><h1>An error occurred.</h1><p>The page you are looking for is temporarily unavailable.</p></body></html>
EOF
mkdir -p "$root/var/log/nginx" "$root/var/lib/nginx" "$root/var/cache/nginx" "$root/run" "$root/tmp" \
  "$root/etc" "$root/bin"
ln -sf /dev/stdout "$root/var/log/nginx/access.log"
ln -sf /dev/stderr "$root/var/log/nginx/error.log"
chmod 1777 "$root/tmp"

printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'nginx:x:101:101:nginx user:/nonexistent:/bin/false' \
  'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$root/etc/passwd"
printf '%s\n' 'root:x:0:' 'nginx:x:101:' 'nogroup:x:65534:' > "$root/etc/group"
printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"

# A shell and the usual tools, as the official image has them (it is Debian-based).
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
  [ -e "$root/bin/$applet" ] || [ -e "$root/usr/sbin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

tar -C "$root" --sort=name --numeric-owner --owner=0 --group=0 --mtime=2024-01-01 -cf - . \
  | docker import \
      -c 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' \
      -c 'EXPOSE 80' \
      -c "LABEL podkit.stand-in=nginx-$hash" \
      -c 'CMD ["nginx", "-g", "daemon off;"]' \
      - nginx:1.27 >/dev/null
# docker import cannot set the stop signal; a one-line build on top of it can (the classic
# builder, which uses the local image instead of pulling). Without it nginx stops fast on SIGTERM.
printf 'FROM nginx:1.27\nSTOPSIGNAL SIGQUIT\n' | DOCKER_BUILDKIT=0 docker build -q -t nginx:1.27 - >/dev/null 2>&1 \
  || echo "stand-ins: nginx:1.27 keeps the default stop signal (the classic builder failed)" >&2
docker tag nginx:1.27 nginx:1.25
docker tag nginx:1.27 nginx:latest
echo "stand-ins: built nginx:1.27 (and :1.25, :latest) from $(ls "$debs" | grep '^nginx_' | sed 's/_amd64.deb//')"
