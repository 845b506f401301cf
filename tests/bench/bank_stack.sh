# bank_stack.sh — sourced by the bank benches (reconcile_run.sh,
# import_db.sh): bench_bank_stack BUILDDIR starts a private stack (stopped
# on exit) and registers the account BENCH (PEN, 0011-0555-0200999999).
# Sets src, build, run, the stack's CB_* variables and sql().
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
. "$src/scripts/lib.sh"

sql() { mariadb --no-defaults -uroot --socket="$CB_DB_SOCKET" -N comprobar -e "$1"; }

bench_bank_stack() {
  build=$(cd "${1:?BUILDDIR}" && pwd)
  run=$(mktemp -d /tmp/comprobar-bench-bank.XXXXXX) && chmod 755 "$run"
  local port
  port=$(cb_free_port)
  trap '"$src/scripts/stack" down "$run" >/dev/null 2>&1 || true; rm -rf "$run"' EXIT
  "$src/scripts/stack" up "$run" "$build" "$port" >/dev/null
  . "$run/env"
  curl -fsS -o /dev/null -H "Authorization: Bearer $CB_ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"bankAccountId":"BENCH","bankCode":"BBVA_PE","number":"0011-0555-0200999999","currency":"PEN"}' \
    "$CB_URL/api/bank-accounts"
}
