#!/usr/bin/env bash
# reconcile_run.sh BUILDDIR [N] — part of make bench-match: a new statement
# of N (10 000) movements paying N open vouchers, end to end on the real
# database: `comprobarctl import-statement` stores the movements, then the
# matching pass reconciles (256 payments a transaction, each with its
# history event and activity line).  Printed beside the import of the
# same statement in the same run (the baseline: what merely storing
# those movements costs).
# Not a test: it asserts nothing, it prints.
set -euo pipefail
n=${2:-10000}
. "$(dirname "$0")/bank_stack.sh"
bench_bank_stack "${1:?BUILDDIR}"
cust=$(curl -fsS -H "Authorization: Bearer $CB_ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Conciliación S.A.C.","documentType":"NIT","documentId":"RECON-1"}' \
  "$CB_URL/api/customers" | sed -n 's/.*"customerId":\([0-9]*\).*/\1/p')
# N validated vouchers: distinct amounts, the operation number without the
# bank's leading zeros, dated a business day before the bank (2026-03-02
# is a Monday; the bank books them over four weeks).
sql "INSERT INTO payments (customer_id, amount_minor, currency, payment_method,
  bank_code, reference, transaction_date, status, requires_manual_review,
  registered_by, created_at, updated_at, version, bank_account_id)
  SELECT $cust, 100000 + seq * 7, 'PEN', 'transferencia', 'BBVA_PE',
  CAST(700000 + seq AS CHAR), DATE_ADD('2026-03-02', INTERVAL (seq % 20) DIV 5 * 7 + (seq % 5) DAY),
  'validado', 0, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), 1,
  (SELECT id FROM bank_accounts WHERE public_id = 'BENCH')
  FROM seq_1_to_$n"
/usr/bin/python3 - "$run/stmt.xml" "$n" <<'PY'
import datetime, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.02"><BkToCstmrStmt><Stmt><Id>BENCH-RECON</Id><Acct><Id><Othr>'
            '<Id>0011-0555-0200999999</Id></Othr></Id><Ccy>PEN</Ccy></Acct>')
    for s in range(1, n + 1):
        day = datetime.date(2026, 3, 2) + datetime.timedelta(
            days=(s % 20) // 5 * 7 + s % 5 + (3 if s % 5 == 4 else 1))
        amt = 100000 + s * 7
        f.write('<Ntry><Amt Ccy="PEN">%d.%02d</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                '<Sts>BOOK</Sts><BookgDt><Dt>%s</Dt></BookgDt><AcctSvcrRef>%08d'
                '</AcctSvcrRef><AddtlNtryInf>TRANSF INTERBANCARIA</AddtlNtryInf></Ntry>'
                % (amt // 100, amt % 100, day.isoformat(), 700000 + s))
    f.write('</Stmt></BkToCstmrStmt></Document>')
PY
ctl=("$build/comprobarctl" --config "$CB_CONF")
t0=$(date +%s.%N)
out=$("${ctl[@]}" import-statement "$run/stmt.xml")
t1=$(date +%s.%N)
rss=$( { /usr/bin/time -f '%M' "${ctl[@]}" match >/dev/null; } 2>&1 | tail -1)
echo "$out" | /usr/bin/python3 -c '
import json, sys
n, rss = int(sys.argv[1]), int(sys.argv[4])
total = float(sys.argv[3]) - float(sys.argv[2])
r = json.load(sys.stdin)
m = r["matching"]
imp = total - m["seconds"]
print("reconciliation, end to end on MariaDB: a new statement of %d movements, %d open vouchers" % (n, m["vouchers"]))
print("%-44s %9s %11s" % ("", "seconds", "per second"))
print("%-44s %9.2f %11.0f" % ("import of the statement (baseline: storing)", imp, r["new"] / imp if imp else 0))
print("%-44s %9.2f %11.0f" % ("matching pass (reconciled %d, review %d)" % (m["reconciled"], m["review"]), m["seconds"], m["reconciled"] / m["seconds"] if m["seconds"] else 0))
print("matching vs import: %.2fx" % (m["seconds"] / imp if imp else 0))
if n >= 10000:
    print("goal: a new 10 k-movement statement matched in < 2 s -> %s (%.2f s)" % ("met" if m["seconds"] < 2 else "NOT met", m["seconds"]))
print("peak memory of a matching pass (comprobarctl match, nothing left to match): %d MiB" % (rss // 1024))
' "$n" "$t0" "$t1" "$rss"
