#!/usr/bin/env bash
# Verifies the shipped systemd units with systemd-analyze, the binaries pointed at this build.
set -euo pipefail
root=$1
bin=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in "$root"/systemd/*.service "$root"/systemd/*.socket; do
  sed "s|/usr/local/bin/|$bin/|g" "$unit" >"$work/$(basename "$unit")"
done
# The unit files name a service account; verification only needs the names to resolve.
output=$(cd "$work" && SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no ./*.service ./*.socket 2>&1 || true)
# systemd-analyze also reports its own environment (no running systemd in containers); keep
# only findings about our files.
findings=$(grep -E "fwhub-[a-z]+\.(service|socket)" <<<"$output" | grep -v "Failed to .*bus" || true)
if [ -n "$findings" ]; then
  echo "$findings"
  exit 1
fi
grep -q "Restart=on-failure" "$root/systemd/fwhub-scheduler.service"
grep -q "NoNewPrivileges=yes" "$root/systemd/fwhub-scheduler.service"
grep -q "ProtectSystem=strict" "$root/systemd/fwhub-api.service"
echo "systemd units ok: $(ls "$work" | tr '\n' ' ')"
