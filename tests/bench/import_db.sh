#!/usr/bin/env bash
# import_db.sh BUILDDIR [ENTRIES] — part of make bench-import: a camt.053
# of ENTRIES (200 000) credits imported end to end into MariaDB by
# `comprobarctl import-statement` (read, deduplicated, stored in one
# transaction, then a matching pass over no vouchers), beside importing
# the same file again (every movement already known: reading and the
# deduplication without new rows).  Entries per second and the command's
# peak resident memory.  Not a test: it prints.
set -euo pipefail
n=${2:-200000}
. "$(dirname "$0")/bank_stack.sh"
bench_bank_stack "${1:?BUILDDIR}"
/usr/bin/python3 - "$run/stmt.xml" "$n" <<'PY'
import datetime, sys
path, n = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.02"><BkToCstmrStmt><Stmt><Id>BENCH-IMPORT</Id><Acct><Id><Othr>'
            '<Id>0011-0555-0200999999</Id></Othr></Id><Ccy>PEN</Ccy></Acct>')
    for s in range(1, n + 1):
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=s % 300)
        f.write('<Ntry><Amt Ccy="PEN">%d.%02d</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
                '<BookgDt><Dt>%s</Dt></BookgDt><AcctSvcrRef>B%09d</AcctSvcrRef><NtryDtls>'
                '<TxDtls><Refs><EndToEndId>E2E-%d</EndToEndId></Refs><RltdPties><Dbtr><Nm>'
                'CLIENTE %d SAC</Nm></Dbtr></RltdPties><RmtInf><Ustrd>PAGO FACTURA %d'
                '</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>'
                % (100 + s % 9000, s % 100, day.isoformat(), s, s, s % 5000, s))
    f.write('</Stmt></BkToCstmrStmt></Document>')
PY
size=$(stat -c %s "$run/stmt.xml")
ctl=("$build/comprobarctl" --config "$CB_CONF")
t0=$(date +%s.%N)
/usr/bin/time -o "$run/rss" -f '%M' "${ctl[@]}" import-statement "$run/stmt.xml" > "$run/report.json"
t1=$(date +%s.%N)
t2=$(date +%s.%N)
/usr/bin/time -o "$run/rss2" -f '%M' "${ctl[@]}" import-statement "$run/stmt.xml" > /dev/null
t3=$(date +%s.%N)
/usr/bin/python3 - "$n" "$size" "$t0" "$t1" "$t2" "$t3" "$(cat "$run/rss")" "$(cat "$run/rss2")" "$run/report.json" <<'PY'
import json, sys
n, size = int(sys.argv[1]), int(sys.argv[2])
t0, t1, t2, t3 = map(float, sys.argv[3:7])
rss, rss2 = int(sys.argv[7]) // 1024, int(sys.argv[8]) // 1024
rep = json.load(open(sys.argv[9]))
first, again = t1 - t0, t3 - t2
print("statement import, end to end on MariaDB: camt.053 of %d entries (%.0f MB)" % (n, size / 1e6))
print("%-40s %9s %11s %9s" % ("", "seconds", "entries/s", "peak MiB"))
print("%-40s %9.2f %11.0f %9d" % ("first import (%d new)" % rep["new"], first, n / first, rss))
print("%-40s %9.2f %11.0f %9d" % ("same file again (all known: baseline)", again, n / again, rss2))
print("first vs again: %.2fx" % (first / again))
PY
