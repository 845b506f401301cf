#!/usr/bin/env bash
# ocr_banks.sh SRCDIR — the bank registry as ocr_read -b takes it
# (code<TAB>country<TAB>aliases), from the migrations: 002's rows plus the
# aliases later migrations add.
set -euo pipefail
src=$1
python3 - "$src"/sql/*.sql <<'PY'
import re, sys
rows = []
first = open(sys.argv[1]).read()
for path in sys.argv[1:]:
    text = open(path).read()
    m = re.search(r"INSERT INTO banks[^;]*;", text, re.S)
    if m:
        for code, country, aliases in re.findall(
                r"^\('([^']*)',\s*'[^']*',\s*'([^']*)',\s*'([^']*)'\)", m.group(0), re.M):
            rows.append([code, country, aliases])
    for add, code in re.findall(r"CONCAT\(aliases, '([^']*)'\)\s*WHERE code = '([^']*)'", text):
        for r in rows:
            if r[0] == code:
                r[2] += add
for r in rows:
    print("\t".join(r))
PY
