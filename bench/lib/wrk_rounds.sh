# Shared parts of the benchmarks that compare a path with nginx serving a static file (bench/
# api_overhead, bench/catalog, bench/builds), sourced after scripts/lib/stack.sh. Callers set
# DURATION (seconds per wrk run).

# wrk's requests per second at 64 connections; extra wrk arguments (a -s script) go before the URL.
rate() { wrk -t 2 -c 64 -d "${DURATION}s" "$@" | awk '/Requests\/sec/ {print $2}'; }

# "RATE_A RATE_B" of round N: A first in odd rounds, B first in even ones, so that neither side
# always runs on a warmer (or busier) machine.
rates_of_round() {
  local round=$1 a b
  if [ $((round % 2)) = 1 ]; then
    a=$(rate "$2")
    b=$(rate "$3")
  else
    b=$(rate "$3")
    a=$(rate "$2")
  fi
  echo "$a $b"
}

# A / B with the given decimals (default 2).
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { printf "%.*f", d, a / b }'; }

# The median of the numbers given as arguments, with 2 decimals.
median() {
  printf '%s\n' "$@" | sort -g | awk '{ r[NR] = $1 }
    END { printf "%.2f", NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2 }'
}
