#!/usr/bin/env bash
# run.sh BUILDDIR — make bench: throughput and p99 of comprobar through
# nginx → FastCGI, side by side with nginx answering by itself, in the
# same run (ratios, not lone figures: these machines are noisy).
# Not a test: it asserts nothing, it prints.
#   BENCH_SECONDS (default 8), BENCH_CONNECTIONS (default 32), BENCH_ROUNDS (2)
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/scripts/lib.sh"
secs=${BENCH_SECONDS:-8}; conns=${BENCH_CONNECTIONS:-32}; rounds=${BENCH_ROUNDS:-2}
run=$(mktemp -d /tmp/comprobar-bench.XXXXXX) && chmod 755 "$run"
port=$(cb_free_port)
command -v wrk >/dev/null || cb_die "wrk is not installed (scripts/packages.txt has it)"
trap '"$src/scripts/stack" down "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
"$src/scripts/stack" up "$run" "$build" "$port" >/dev/null
. "$run/env"

# wrk_one NAME PATH [HEADER] → "rate p99_ms"
wrk_one() {
  local out rate p99
  if [ -n "${3:-}" ]; then
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -H "$3" "$CB_URL$2")
  else
    out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$CB_URL$2")
  fi
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; cb_die "$1: non-2xx answers"; fi
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  echo "$rate $p99"
}

best() { sort -k1,1 -g -r | head -1; }
declare -A res
names=(nginx healthz me)
for r in $(seq 1 "$rounds"); do
  res[nginx]+="$(wrk_one nginx /bench/nginx)"$'\n'
  res[healthz]+="$(wrk_one healthz /healthz)"$'\n'
  res[me]+="$(wrk_one me /api/me "Authorization: Bearer $CB_CLIENT_KEY")"$'\n'
done
read -r n_rate n_p99 <<<"$(printf '%s' "${res[nginx]}" | best)"
read -r h_rate h_p99 <<<"$(printf '%s' "${res[healthz]}" | best)"
read -r m_rate m_p99 <<<"$(printf '%s' "${res[me]}" | best)"
rss=$(ps -o rss= --ppid "$(cat "$CB_FCGI_PID_FILE")" | awk '{s+=$1} END {printf "%.1f", s/1024}')

echo
echo "comprobar bench — $(nproc) cores, wrk -t2 -c$conns -d${secs}s, best of $rounds rounds"
printf '%-36s %12s %10s %14s\n' "endpoint" "req/s" "p99 ms" "vs nginx"
printf '%-36s %12.0f %10.2f %14s\n' "nginx return 200 (baseline)" "$n_rate" "$n_p99" "1.00"
printf '%-36s %12.0f %10.2f %14.2f\n' "GET /healthz (nginx→FastCGI)" "$h_rate" "$h_p99" "$(echo "$h_rate $n_rate" | awk '{print $1/$2}')"
printf '%-36s %12.0f %10.2f %14.2f\n' "GET /api/me (+ API key lookup)" "$m_rate" "$m_p99" "$(echo "$m_rate $n_rate" | awk '{print $1/$2}')"
echo "goal: /healthz >= 0.50 x nginx  →  $(echo "$h_rate $n_rate" | awk '{r=$1/$2; print (r >= 0.5 ? "met" : "NOT met") " (" sprintf("%.2f", r) ")"}')"
echo "workers' resident memory after the run: ${rss} MiB (2 workers x 8 threads)"
