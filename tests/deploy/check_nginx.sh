#!/usr/bin/env bash
# Tests the shipped nginx site as it would be installed: inside a minimal nginx.conf, with nginx -t.
set -euo pipefail
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Paths under /var/lib/fwhub (the cache folder nginx creates) go to the scratch folder.
sed "s|/var/lib/fwhub|$work|g" "$root/nginx/fwhub.conf" >"$work/site.conf"
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
}
NGINX
output=$(nginx -t -p "$work" -c "$work/nginx.conf" -e "$work/error.log" 2>&1) || { echo "$output"; exit 1; }
echo "$output"
grep -q "test is successful" <<<"$output"
# The shipped site must keep the forms scripts/run rewrites.
for line in 'listen 80;' 'server unix:/run/fwhub/api.sock;' 'root /usr/share/fwhub/frontend;'; do
  grep -qF "$line" "$root/nginx/fwhub.conf" || { echo "nginx/fwhub.conf lost the line: $line"; exit 1; }
done
echo "nginx site ok"
