#!/usr/bin/env bash
# Tests the shipped nginx site as it would be installed: inside a minimal nginx.conf, with nginx -t;
# then its TLS variant (fwhub-tls.conf.example and fwhub-http-redirect.conf.example) with a
# throw-away self-signed certificate, started on free ports: TLS 1.2 and 1.3 answer with HSTS and
# the security headers, TLS 1.1 is refused, port 80 redirects.
set -euo pipefail
root=$1
work=$(mktemp -d)
trap '[ ! -f "$work/nginx.pid" ] || kill "$(cat "$work/nginx.pid")" 2>/dev/null; rm -rf "$work"' EXIT
# Paths under /var/lib/fwhub (the cache folder nginx creates) go to the scratch folder.
sed "s|/var/lib/fwhub|$work|g" "$root/nginx/fwhub.conf" >"$work/site.conf"
# A minimal nginx.conf around site files.
write_conf() {
  cat >"$work/nginx.conf" <<NGINX
pid $work/nginx.pid;
error_log $work/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $work/body;
    fastcgi_temp_path $work/fastcgi;
    proxy_temp_path $work/proxy;
    uwsgi_temp_path $work/uwsgi;
    scgi_temp_path $work/scgi;
    access_log off;
    include $work/site.conf;
    $1
}
NGINX
}
write_conf ""
output=$(nginx -t -p "$work" -c "$work/nginx.conf" -e "$work/error.log" 2>&1) || { echo "$output"; exit 1; }
echo "$output"
grep -q "test is successful" <<<"$output"
# The shipped site must keep the forms scripts/run rewrites.
for line in 'listen 80;' 'server unix:/run/fwhub/api.sock;' 'root /usr/share/fwhub/frontend;'; do
  grep -qF "$line" "$root/nginx/fwhub.conf" || { echo "nginx/fwhub.conf lost the line: $line"; exit 1; }
done
echo "nginx site ok"

# The TLS variant.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout "$work/key.pem" \
  -out "$work/cert.pem" 2>/dev/null
tls_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
http_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed -e "s|/etc/letsencrypt/live/fwhub.example.org/fullchain.pem|$work/cert.pem|" \
  -e "s|/etc/letsencrypt/live/fwhub.example.org/privkey.pem|$work/key.pem|" \
  -e "s|listen 443 ssl http2;|listen 127.0.0.1:$tls_port ssl http2;|" -e '/listen \[::\]:443/d' \
  "$root/nginx/fwhub-tls.conf.example" >"$work/tls.conf"
sed -e "s|listen 80;|include $work/tls.conf;|" -e '/listen \[::\]:80;/d' -e "s|/var/lib/fwhub|$work|g" \
  -e "s|/usr/share/fwhub/frontend|$root/frontend|" "$root/nginx/fwhub.conf" >"$work/site.conf"
sed -e "s|listen 80;|listen 127.0.0.1:$http_port;|" -e '/listen \[::\]:80;/d' -e "s|/var/lib/fwhub|$work|g" \
  "$root/nginx/fwhub-http-redirect.conf.example" >"$work/redirect.conf"
write_conf "include $work/redirect.conf;"
output=$(nginx -t -p "$work" -c "$work/nginx.conf" -e "$work/error.log" 2>&1) || { echo "$output"; exit 1; }
grep -q "test is successful" <<<"$output"
nginx -p "$work" -c "$work/nginx.conf" -e "$work/error.log"
for version in 1.2 1.3; do
  headers=$(curl -sk -D - -o /dev/null --tlsv$version --tls-max $version "https://127.0.0.1:$tls_port/")
  for header in "HTTP/2 200" "strict-transport-security: max-age=63072000" "x-content-type-options: nosniff" \
    "x-frame-options: DENY" "content-security-policy: "; do
    grep -qiF "$header" <<<"$headers" || { echo "TLS $version: no '$header' in:"; echo "$headers"; exit 1; }
  done
done
if curl -sk -o /dev/null --tlsv1.1 --tls-max 1.1 "https://127.0.0.1:$tls_port/" 2>/dev/null; then
  echo "TLS 1.1 was accepted"
  exit 1
fi
# Plain http to the TLS port (nginx's 497) is a JSON 400 like every error nginx answers.
plain=$(curl -s -D - "http://127.0.0.1:$tls_port/api/v1/health")
for text in "HTTP/1.1 400" "Content-Type: application/json" '"status":400' "x-frame-options: DENY" \
  "strict-transport-security: max-age=63072000"; do
  grep -qiF "$text" <<<"$plain" || { echo "plain http to the TLS port: no '$text' in:"; echo "$plain"; exit 1; }
done
redirect=$(curl -s -D - -o /dev/null "http://127.0.0.1:$http_port/api/v1/health")
grep -qiF "location: https://127.0.0.1/api/v1/health" <<<"$redirect" ||
  { echo "port 80 does not redirect:"; echo "$redirect"; exit 1; }
echo "nginx TLS example ok"
