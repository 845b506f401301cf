#!/usr/bin/env bash
# ocr_real_base.sh FILE TXTDIR — the baseline for real receipts: the
# tesseract command-line tool (eng, --psm 6, one thread) and a regex for the
# total and the date.  Keeps the text in TXTDIR/<name>.txt; prints one JSON
# line like ocr_read, with the seconds the CLI took.
set -uo pipefail
f=$1
name=$(basename "${f%.*}")
t0=$(date +%s.%N)
OMP_THREAD_LIMIT=1 tesseract "$f" "$2/$name" -l eng --psm 6 >/dev/null 2>&1
t1=$(date +%s.%N)
python3 - "$f" "$2/$name.txt" "$t0" "$t1" <<'PY'
import json, re, sys
name, path, t0, t1 = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
try:
    text = open(path, encoding="utf-8", errors="replace").read()
except OSError:
    text = ""
out = {"file": name, "seconds": round(t1 - t0, 3)}
tot = None
for line in text.splitlines():
    if re.search(r"\bTOTAL\b", line, re.I) and not re.search(r"SUB\s*TOTAL|GST|TAX", line, re.I):
        m = re.findall(r"\d[\d,]*\.\d{2}", line)
        if m:
            tot = "%.2f" % float(m[-1].replace(",", ""))
if tot:
    out["amount"] = {"value": tot}
m = re.search(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b", text)
if m:
    y = int(m.group(3)); y += 2000 if y < 100 else 0
    out["date"] = {"value": "%04d-%02d-%02d" % (y, int(m.group(2)), int(m.group(1)))}
print(json.dumps(out))
PY
