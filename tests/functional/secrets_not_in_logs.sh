#!/usr/bin/env bash
# Runs after the functional tests (CTest fixture cleanup): greps every log of the run — the
# stack's log folder (API, scheduler, nginx, MariaDB, mirror) and CTest's output of the tests —
# for the passwords, tokens and keys the run used: the stack's secrets folder, the test
# database password, and what the tests listed in STATE/test-secrets.txt. Fails naming file:line.
set -euo pipefail
build=${1:?usage: secrets_not_in_logs.sh BUILD_DIR}
state=${FWHUB_TEST_STATE:?FWHUB_TEST_STATE must be set (run through scripts/test)}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
  for file in "$state"/secrets/*; do
    [ -f "$file" ] && cat "$file" && echo
  done
  [ -z "${FWHUB_TEST_DB_PASSWORD:-}" ] || echo "$FWHUB_TEST_DB_PASSWORD"
  [ ! -f "$state/test-secrets.txt" ] || cat "$state/test-secrets.txt"
} | awk 'length($0) >= 8' | sort -u >"$list"
count=$(wc -l <"$list")
[ "$count" -gt 0 ] || { echo "no secrets to look for: $state/secrets is empty"; exit 1; }
logs=("$state/log")
for file in "$build"/Testing/Temporary/LastTest*.log; do
  [ -f "$file" ] && logs+=("$file")
done
found=$(grep -rnaF -f "$list" "${logs[@]}" | cut -d: -f1,2 || true)
if [ -n "$found" ]; then
  echo "secrets found in logs (file:line):"
  echo "$found"
  exit 1
fi
echo "none of $count secrets in $(find "${logs[@]}" -type f | wc -l) log files"
