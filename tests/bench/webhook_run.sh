#!/usr/bin/env bash
# webhook_run.sh BUILDDIR — the webhook fan-out figure of make bench:
# deliveries a second to a loopback receiver with 1, 100 and 1,000
# pending, beside what that receiver takes from wrk with as many
# connections (its baseline, same run), and how many threads sending took.
# Then 100 deliveries to a receiver that takes 1 s to answer each: the
# multi interface keeps them in flight together on the one thread.
# Not a test: it asserts nothing, it prints.
set -euo pipefail
build=$(cd "${1:?BUILDDIR}" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/scripts/lib.sh"
run=$(mktemp -d /tmp/comprobar-whbench.XXXXXX) && chmod 755 "$run"
port=$(cb_free_port); rport=$(cb_free_port); sport=$(cb_free_port)
slow_pid=
cleanup() {
  [ -n "$slow_pid" ] && kill "$slow_pid" 2>/dev/null
  [ -f "$run/recv/nginx.pid" ] && nginx -p "$run/recv" -c "$run/recv/nginx.conf" -s stop 2>/dev/null
  "$src/scripts/stack" down "$run" >/dev/null 2>&1 || true
  rm -rf "$run"
}
trap cleanup EXIT
# The test config: http allowed to 127.0.0.2, where the receivers listen.
CB_STACK_DEBUG_ROUTES=1 "$src/scripts/stack" up "$run" "$build" "$port" >/dev/null
. "$run/env"
sql() { mariadb --no-defaults -uroot --socket="$CB_DB_SOCKET" -N comprobar -e "$1"; }

# The fast receiver: nginx answering 200 to every POST.
mkdir -p "$run/recv/tmp"
cat > "$run/recv/nginx.conf" <<NGX
worker_processes 1;
pid $run/recv/nginx.pid;
error_log $run/recv/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $run/recv/tmp;
  server { listen 127.0.0.2:$rport; location / { return 200 "ok"; } }
}
NGX
nginx -p "$run/recv" -c "$run/recv/nginx.conf"
# The slow receiver: every answer takes a second.
python3 - "$sport" <<'PY' & slow_pid=$!
import http.server, socketserver, sys, time
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(1)
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024
S(("127.0.0.2", int(sys.argv[1])), H).serve_forever()
PY

auth="Authorization: Bearer $CB_CLIENT_KEY"
cust=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' \
  -d '{"name":"Bench S.A.","documentType":"NIT","documentId":"WH-BENCH"}' \
  "$CB_URL/api/customers" | sed -n 's/.*"customerId":\([0-9]*\).*/\1/p')
key=$(sql "SELECT id FROM api_keys WHERE name = 'demo-client'")
# 1,000 payments, made before anyone listens (so they make no events).
sql "INSERT INTO payments (customer_id, amount_minor, currency, payment_method,
  reference, status, registered_by, created_at, updated_at)
  SELECT $cust, 10000 + seq, 'GTQ', 'transferencia', CONCAT('WH-', seq),
  'pendiente', $key, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) FROM seq_1_to_1000"

endpoint() { # endpoint URL → id
  curl -fsS -H "$auth" -H 'Content-Type: application/json' \
    -d "{\"url\":\"$1\",\"events\":[\"payment.created\"]}" "$CB_URL/api/webhook-endpoints" |
    sed -n 's/.*"webhookEndpoint":{"id":\([0-9]*\).*/\1/p'
}
# round N ENDPOINT → "rate first_latency_ms seconds pids"
round() {
  local n=$1 ep=$2 ev0 d0 done=0 end
  ev0=$(sql "SELECT COALESCE(MAX(id), 0) FROM webhook_events")
  d0=$(sql "SELECT COALESCE(MAX(id), 0) FROM webhook_deliveries")
  local log0; log0=$(( $(wc -l < "$CB_FCGI_LOG") + 1 ))
  sql "INSERT INTO webhook_events (type, payment_id, payment_version, api_key_id,
    occurred_at) SELECT 'payment.created', id, version, registered_by,
    UTC_TIMESTAMP(6) FROM payments WHERE customer_id = $cust ORDER BY id LIMIT $n"
  end=$(( $(date +%s) + 300 ))
  while [ "$done" -lt "$n" ] && [ "$(date +%s)" -lt "$end" ]; do
    sleep 0.2
    done=$(sql "SELECT COUNT(*) FROM webhook_deliveries WHERE id > $d0
      AND endpoint_id = $ep AND state = 'succeeded'")
  done
  [ "$done" -ge "$n" ] || cb_die "only $done of $n deliveries succeeded"
  # From the database's clocks: first event written → last attempt logged.
  sql "SELECT ROUND($n / GREATEST(TIMESTAMPDIFF(MICROSECOND,
      (SELECT MIN(occurred_at) FROM webhook_events WHERE id > $ev0),
      MAX(a.at)) / 1e6, 0.001)),
    ROUND(TIMESTAMPDIFF(MICROSECOND, (SELECT MIN(occurred_at) FROM webhook_events
      WHERE id > $ev0), MIN(a.at)) / 1000),
    ROUND(TIMESTAMPDIFF(MICROSECOND, (SELECT MIN(occurred_at) FROM webhook_events
      WHERE id > $ev0), MAX(a.at)) / 1e6, 2)
    FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
    WHERE d.id > $d0 AND d.endpoint_id = $ep" | tr '\t' ' ' | tr -d '\n'
  # Processes that sent (each sends on one job thread).  A run logs its
  # count when it ends, which may be after the last delivery: wait for it.
  for _ in $(seq 1 50); do
    tail -n +"$log0" "$CB_FCGI_LOG" | grep -q 'webhooks: ' && break
    sleep 0.2
  done
  echo " $(tail -n +"$log0" "$CB_FCGI_LOG" | grep 'webhooks: ' |
    sed -n 's/.*comprobar-worker\[\([0-9]*\)\].*/\1/p' | sort -u | wc -l)"
}

fast=$(endpoint "http://127.0.0.2:$rport/hook")
conc=$(awk -F' *= *' '/^concurrency/ {print $2}' "$CB_CONF" 2>/dev/null || true)
conc=${conc:-64}
# Baseline: the receiver's own rate for POSTs of a payload's size.
body=$(sql "SELECT COALESCE(MAX(LENGTH(payload)), 900) FROM webhook_events")
printf 'wrk.method = "POST"\nwrk.body = string.rep("x", %d)\nwrk.headers["Content-Type"] = "application/json"\n' \
  "${body:-900}" > "$run/post.lua"
base=$(wrk -t2 -c"$conc" -d4s -s "$run/post.lua" "http://127.0.0.2:$rport/hook" |
  awk '/Requests\/sec/ {printf "%.0f", $2}')

declare -A r
for n in 1 100 1000; do
  r[$n]=$(round "$n" "$fast")
done
curl -fsS -o /dev/null -X PATCH -H "$auth" -H 'Content-Type: application/json' \
  -d '{"enabled":false}' "$CB_URL/api/webhook-endpoints/$fast"
slow=$(endpoint "http://127.0.0.2:$sport/hook")
r[slow]=$(round 100 "$slow")

echo
echo "webhook fan-out — $(nproc) cores, receiver nginx on 127.0.0.2, one job thread per run, up to $conc in flight"
printf '%-44s %12s %14s %12s %10s\n' "pending deliveries" "deliveries/s" "first after ms" "all after s" "processes"
for n in 1 100 1000; do
  read -r rate lat secs procs <<<"${r[$n]}"
  printf '%-44s %12s %14s %12s %10s\n' "$n" "$rate" "$lat" "$secs" "$procs"
done
printf '%-44s %12s\n' "receiver alone, wrk -c$conc POST (baseline)" "$base"
read -r rate1k _ _ _ <<<"${r[1000]}"
echo "1,000 pending: $(echo "$rate1k $base" | awk '{printf "%.3f", $1/$2}') x what the receiver takes (signing, rendering and the attempt log are ours)"
read -r srate slat ssecs sprocs <<<"${r[slow]}"
echo "100 to a receiver taking 1 s each: all done after $ssecs s on one thread (one at a time would take 100 s)"
echo "(the first delivery waits for the dispatcher's poll: [webhooks] poll_seconds = 1)"
