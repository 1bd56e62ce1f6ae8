#!/usr/bin/env bash
# Rewrites sha256sums of one mirror target folder and signs it (as the mirror tool does), with
# the mirror's key or another secret key given as $2. Used by the catalog functional test.
set -euo pipefail
dir=$1
key=$2
cd "$dir"
find . -type f ! -name 'sha256sums*' -printf '%P\n' | LC_ALL=C sort | while read -r file; do
  printf '%s *%s\n' "$(sha256sum "$file" | cut -d' ' -f1)" "$file"
done >sha256sums
signify-openbsd -S -s "$key" -m sha256sums -x sha256sums.sig
