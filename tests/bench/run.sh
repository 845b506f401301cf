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
secs=${BENCH_SECONDS:-6}; conns=${BENCH_CONNECTIONS:-32}; rounds=${BENCH_ROUNDS:-2}
run=$(mktemp -d /tmp/comprobar-bench.XXXXXX) && chmod 755 "$run"
port=$(cb_free_port)
command -v wrk >/dev/null || cb_die "wrk is not installed (scripts/packages.txt has it)"
hello_pid=
trap '[ -n "$hello_pid" ] && kill -9 "$hello_pid" 2>/dev/null; "$src/scripts/stack" down "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
"$src/scripts/stack" up "$run" "$build" "$port" >/dev/null
. "$run/env"
# Same threads in total as comprobar (2 workers x 8).  libfcgi catches
# SIGTERM itself (it only sets a flag), hence kill -9 in the trap.
"$build/tests/bench/fcgi_hello" "$run/hello.sock" 16 & hello_pid=$!
for _ in $(seq 1 50); do [ -S "$run/hello.sock" ] && break; sleep 0.1; done

# wrk_one NAME PATH [HEADER [CONNS [LUA]]] → "rate p99_ms"
wrk_one() {
  local out rate p99 c=${4:-$conns} args=()
  [ -n "${3:-}" ] && args+=(-H "$3")
  [ -n "${5:-}" ] && args+=(-s "$5")
  out=$(wrk -t"$(( c < 2 ? 1 : 2 ))" -c"$c" -d"${secs}s" --latency "${args[@]}" "$CB_URL$2")
  if echo "$out" | grep -q 'Non-2xx'; then echo "$out" >&2; cb_die "$1: non-2xx answers"; fi
  rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}')
  echo "$rate $p99"
}

best() { sort -k1,1 -g -r | head -1; }

# Data for the payment endpoints, and the wrk script that posts one.
auth="Authorization: Bearer $CB_CLIENT_KEY"
cust=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' \
  -d '{"name":"Bench S.A.","documentType":"NIT","documentId":"BENCH-1"}' \
  "$CB_URL/api/customers" | sed -n 's/.*"customerId":\([0-9]*\).*/\1/p')
pid=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' \
  -d "{\"customerId\":$cust,\"amount\":\"1500.00\",\"paymentMethod\":\"transferencia\",\"bankCode\":\"BI\",\"reference\":\"TRX-1\"}" \
  "$CB_URL/api/payments" | sed -n 's/.*"paymentId":\([0-9]*\).*/\1/p')
post_lua=$run/post.lua
cat > "$post_lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"customerId":$cust,"amount":"1500.00","currency":"GTQ","paymentMethod":"transferencia","bankCode":"BI","reference":"TRX-123456","transactionDate":"2026-03-03","notes":"bench"}'
LUA

# The database's own durable insert-and-commit rate (autocommit, one row a
# statement, InnoDB flushing the log at every commit as configured).
slap() { # slap CONCURRENCY → rows/s
  local n=$(( 4000 * $1 / 8 )) out
  [ "$n" -lt 4000 ] && n=4000
  out=$(mariadb-slap --no-defaults -uroot --socket="$CB_DB_SOCKET" --concurrency="$1" \
    --iterations=1 --number-of-queries="$n" --create-schema=cb_slap \
    --create="CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id BIGINT, amount_minor BIGINT, currency CHAR(3), reference VARCHAR(64), created_at DATETIME(6)) ENGINE=InnoDB" \
    --query="INSERT INTO t (customer_id, amount_minor, currency, reference, created_at) VALUES (1, 150000, 'GTQ', 'TRX-123456', UTC_TIMESTAMP(6))" 2>&1)
  echo "$out" | awk -v n="$n" '/Average number of seconds to run all queries/ {printf "%.0f\n", n / $(NF-1)}'
}
# A review item with a receipt read by OCR, and a signed-in reviewer.
sample=$src/tests/corpus/sample/0000-photo.jpg
rid=$(curl -fsS -H "$auth" -H 'Prefer: wait=60' -F "customerId=$cust" \
  -F "document=@$sample" "$CB_URL/api/payments" | sed -n 's/.*"paymentId":\([0-9]*\).*/\1/p')
jar=$run/cookies
tok=$(curl -fsS -c "$jar" "$CB_URL/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p')
curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "username=$CB_REVIEWER_USER" \
  --data-urlencode "password=$CB_REVIEWER_PASSWORD" --data-urlencode "csrf=$tok" "$CB_URL/login"
session=$(awk '$6 ~ /cb_session$/ {print $6 "=" $7}' "$jar")
[ -n "$session" ] || cb_die "could not sign in for the review page bench"

# Server-side time of each request, from the workers' request log (nginx
# and the network excluded): the lines a run added.
srv_times() { # srv_times FROM_LINE PATH → "p50 p99 n"
  tail -n +"$1" "$CB_FCGI_LOG" | grep -F " path=$2 status=200 " |
    sed -n 's/.*dur_ms=\([0-9.]*\).*/\1/p' | sort -g |
    awk '{v[NR]=$1} END {if (NR) printf "%.2f %.2f %d", v[int(NR*0.5)+1], v[int(NR*0.99)+1], NR; else print "0 0 0"}'
}
item_run() { # item_run CONNS [PATH] → "rate p99 srv_p50 srv_p99 n"
  local from path=${2:-/review/$rid} hdr=
  [ -z "${2:-}" ] && hdr="Cookie: $session"
  from=$(( $(wc -l < "$CB_FCGI_LOG") + 1 ))
  echo "$(wrk_one item "$path" "$hdr" "$1") $(srv_times "$from" "$path")"
}

declare -A res
for _ in $(seq 1 "$rounds"); do
  for c in 1 8; do
    res[item$c]+="$(item_run "$c")"$'\n'
    res[hzi$c]+="$(item_run "$c" /healthz)"$'\n'
  done
  res[nginx]+="$(wrk_one nginx /bench/nginx)"$'\n'
  res[hello]+="$(wrk_one hello /bench/fcgi-hello)"$'\n'
  res[healthz]+="$(wrk_one healthz /healthz)"$'\n'
  res[me]+="$(wrk_one me /api/me "$auth")"$'\n'
  for c in 8 32; do
    res[post$c]+="$(wrk_one post /api/payments "$auth" "$c" "$post_lua")"$'\n'
    res[get$c]+="$(wrk_one get "/api/payments/$pid" "$auth" "$c")"$'\n'
    res[hz$c]+="$(wrk_one healthz /healthz "" "$c")"$'\n'
    res[slap$c]+="$(slap "$c") 0"$'\n'
  done
done
read -r n_rate n_p99 <<<"$(printf '%s' "${res[nginx]}" | best)"
read -r f_rate f_p99 <<<"$(printf '%s' "${res[hello]}" | best)"
read -r h_rate h_p99 <<<"$(printf '%s' "${res[healthz]}" | best)"
read -r m_rate m_p99 <<<"$(printf '%s' "${res[me]}" | best)"
rss=$(ps -o rss= --ppid "$(cat "$CB_FCGI_PID_FILE")" | awk '{s+=$1} END {printf "%.1f", s/1024}')

echo
echo "comprobar bench — $(nproc) cores, wrk -t2 -c$conns -d${secs}s, best of $rounds rounds"
ratio() { echo "$1 $2" | awk '{printf "%.2f", $1/$2}'; }
printf '%-38s %10s %9s %10s %12s\n' "endpoint" "req/s" "p99 ms" "vs nginx" "vs libfcgi"
printf '%-38s %10.0f %9.2f %10s %12s\n' "nginx return 200 (baseline 1)" "$n_rate" "$n_p99" "1.00" "-"
printf '%-38s %10.0f %9.2f %10s %12s\n' "bare libfcgi responder (baseline 2)" "$f_rate" "$f_p99" "$(ratio "$f_rate" "$n_rate")" "1.00"
printf '%-38s %10.0f %9.2f %10s %12s\n' "comprobar GET /healthz" "$h_rate" "$h_p99" "$(ratio "$h_rate" "$n_rate")" "$(ratio "$h_rate" "$f_rate")"
printf '%-38s %10.0f %9.2f %10s %12s\n' "comprobar GET /api/me (key lookup)" "$m_rate" "$m_p99" "$(ratio "$m_rate" "$n_rate")" "$(ratio "$m_rate" "$f_rate")"
echo "goal: /healthz >= 0.50 x nginx  →  $(echo "$h_rate $n_rate" | awk '{r=$1/$2; print (r >= 0.5 ? "met" : "NOT met") " (" sprintf("%.2f", r) ")"}')"
echo "(baseline 2 bounds any FastCGI app behind nginx with fastcgi_keep_conn off on this machine)"
echo
echo "payments (seed 000 API), same run:"
printf '%-38s %10s %9s %14s\n' "endpoint @ connections" "req/s" "p99 ms" "vs baseline"
for c in 8 32; do
  read -r s_rate _ <<<"$(printf '%s' "${res[slap$c]}" | best)"
  read -r z_rate z_p99 <<<"$(printf '%s' "${res[hz$c]}" | best)"
  read -r p_rate p_p99 <<<"$(printf '%s' "${res[post$c]}" | best)"
  read -r g_rate g_p99 <<<"$(printf '%s' "${res[get$c]}" | best)"
  printf '%-38s %10.0f %9s %14s\n' "MariaDB insert+commit @$c (baseline)" "$s_rate" "-" "1.00"
  printf '%-38s %10.0f %9.2f %14s\n' "POST /api/payments @$c" "$p_rate" "$p_p99" "$(ratio "$p_rate" "$s_rate")"
  printf '%-38s %10.0f %9.2f %14s\n' "GET /healthz @$c (baseline)" "$z_rate" "$z_p99" "1.00"
  printf '%-38s %10.0f %9.2f %14s\n' "GET /api/payments/{id} @$c" "$g_rate" "$g_p99" "$(ratio "$g_rate" "$z_rate")"
done
echo "goals: POST >= 0.70 x database insert rate; GET >= 0.40 x /healthz"
echo
echo "review item page (GET /review/{id}: session, claim, payment, neighbours, OCR words, render), same run:"
printf '%-38s %10s %9s %10s %10s %10s\n' "endpoint @ connections" "req/s" "p99 ms" "srv p50" "srv p99" "vs rate"
for c in 1 8; do
  read -r z_rate z_p99 z50 z99 _ <<<"$(printf '%s' "${res[hzi$c]}" | best)"
  read -r i_rate i_p99 i50 i99 _ <<<"$(printf '%s' "${res[item$c]}" | best)"
  printf '%-38s %10.0f %9.2f %10s %10s %10s\n' "GET /healthz @$c (baseline)" "$z_rate" "$z_p99" "$z50" "$z99" "1.00"
  printf '%-38s %10.0f %9.2f %10s %10s %10s\n' "GET /review/{id} @$c" "$i_rate" "$i_p99" "$i50" "$i99" "$(ratio "$i_rate" "$z_rate")"
  if [ "$c" = 1 ]; then item99=$i99; fi
done
echo "goal: server-side p99 < 5 ms for one reviewer's request (@1)  →  $(echo "$item99" | awk '{print ($1 < 5 ? "met" : "NOT met")}') ($item99 ms)"
echo "(@8 on $(nproc) cores the time is mostly waiting for a core: MariaDB, nginx and wrk share them)"
echo
"$build/tests/bench/render_item" "$src/templates" 5000 150
echo "workers' resident memory after the run: ${rss} MiB (2 workers x 8 threads)"
