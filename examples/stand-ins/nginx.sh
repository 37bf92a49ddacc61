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
# Rebuilt when this script or rootfs-lib.sh changes (the image carries their hash as a label).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/rootfs-lib.sh"
hash=$(standin_label_hash "$here/nginx.sh" "$here/rootfs-lib.sh")
standin_current nginx:1.27 "nginx-$hash" && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/root"
standin_unpack "$root" nginx nginx-common libc6 libcrypt1 libpcre2-8-0 libssl3 zlib1g
# Every library nginx needs must come from the unpacked packages, none from the host.
standin_check_libs "$root" "$root/lib/x86_64-linux-gnu:$root/usr/lib/x86_64-linux-gnu" /usr/sbin/nginx

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
mkdir -p "$root/var/log/nginx" "$root/var/lib/nginx" "$root/var/cache/nginx" "$root/run" "$root/tmp"
ln -sf /dev/stdout "$root/var/log/nginx/access.log"
ln -sf /dev/stderr "$root/var/log/nginx/error.log"
chmod 1777 "$root/tmp"
standin_accounts "$root" nginx:101:/nonexistent:/bin/false
# A shell and the usual tools, as the official image has them (it is Debian-based).
standin_busybox "$root"

standin_import "$root" nginx:1.27 'ENV PATH=/usr/sbin:/usr/bin:/sbin:/bin' 'EXPOSE 80' \
  "LABEL podkit.stand-in=nginx-$hash" 'CMD ["nginx", "-g", "daemon off;"]'
# docker import cannot set the stop signal; a one-line build on top of it can (the classic
# builder, which uses the local image instead of pulling). Without it nginx stops fast on SIGTERM.
printf 'FROM nginx:1.27\nSTOPSIGNAL SIGQUIT\n' | DOCKER_BUILDKIT=0 docker build -q -t nginx:1.27 - >/dev/null 2>&1 \
  || echo "stand-ins: nginx:1.27 keeps the default stop signal (the classic builder failed)" >&2
docker tag nginx:1.27 nginx:1.25
docker tag nginx:1.27 nginx:latest
echo "stand-ins: built nginx:1.27 (and :1.25, :latest) from $(standin_version "$root" nginx)"
