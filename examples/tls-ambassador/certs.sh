#!/usr/bin/env bash
# Makes the example's certificates with openssl into ./certs (a CA, the server's certificate for
# redis.db.internal, the client's certificate), laid out as two Secret volumes would be:
# certs/server/{ca.crt,tls.crt,tls.key} and certs/client/{ca.crt,tls.crt,tls.key}. EC P-256
# keys in PKCS#8 PEM; valid one day. Readable by any uid, as the containers run as different users
# (in Kubernetes the pod's fsGroup does that for a Secret volume).
set -euo pipefail
cd "$(dirname "$0")"
rm -rf certs
mkdir -p certs/ca certs/server certs/client
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key certs/ca/ca.key
openssl req -x509 -new -key certs/ca/ca.key -sha256 -days 1 -subj "/CN=podkit example CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out certs/ca/ca.crt 2>/dev/null
# leaf NAME DIR EXT: a certificate for NAME signed by the CA, with extension lines EXT.
leaf() {
  key "$2/tls.key"
  openssl req -new -key "$2/tls.key" -subj "/CN=$1" -out "$2/tls.csr" 2>/dev/null
  printf '%b' "$3" > "$2/ext.cnf"
  openssl x509 -req -in "$2/tls.csr" -CA certs/ca/ca.crt -CAkey certs/ca/ca.key -CAcreateserial \
    -days 1 -sha256 -extfile "$2/ext.cnf" -out "$2/tls.crt" 2>/dev/null
  rm "$2/tls.csr" "$2/ext.cnf"
  cp certs/ca/ca.crt "$2/ca.crt"
}
# Another CA, which signed nothing here: an ambassador that trusts only it must refuse the server.
mkdir -p certs/other-ca
key certs/other-ca/ca.key
openssl req -x509 -new -key certs/other-ca/ca.key -sha256 -days 1 -subj "/CN=some other CA" \
  -addext "basicConstraints=critical,CA:TRUE" -out certs/other-ca/ca.crt 2>/dev/null
chmod 644 certs/other-ca/ca.crt
leaf redis.db.internal certs/server "subjectAltName=DNS:redis.db.internal\nextendedKeyUsage=serverAuth\n"
leaf orders-api certs/client "extendedKeyUsage=clientAuth\n"
chmod 755 certs certs/server certs/client certs/other-ca
# The same folders under the Secrets' names, for ../podman-play.sh, which mounts certs/<secretName>
# where a manifest has a Secret volume.
ln -s client certs/orders-api-redis-client
ln -s server certs/redis-db-server
chmod 644 certs/server/* certs/client/*
echo "certs: CA, server (redis.db.internal) and client (orders-api) certificates in $(pwd)/certs"
