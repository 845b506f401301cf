#!/usr/bin/env bash
# ocr_baseline.sh FILE — the baseline `make bench-ocr` compares with: the
# tesseract command-line tool (PDFs rasterised by pdftoppm at 300 dpi first)
# and a simple regex extraction.  Prints one JSON line like ocr_read.
set -uo pipefail
f=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
case "$f" in
  *.pdf) pdftoppm -r 300 -gray -png -f 1 -l 1 "$f" "$tmp/p" && img=$(ls "$tmp"/p*.png | head -1) ;;
  *) img=$f ;;
esac
OMP_THREAD_LIMIT=1 tesseract "$img" "$tmp/out" -l spa --psm 6 >/dev/null 2>&1
python3 - "$f" "$tmp/out.txt" <<'PY'
import json, re, sys
name, path = sys.argv[1], sys.argv[2]
try:
    text = open(path, encoding="utf-8", errors="replace").read()
except OSError:
    text = ""
out = {"file": name}
m = re.search(r"(?:Monto|Importe|Total|Valor|IMPORTE|TOTAL)[^\d\n]*([\d.,]+\d)", text)
if m:
    v = m.group(1)
    if re.search(r",\d{2}$", v):
        v = v.replace(".", "").replace(",", ".")
    else:
        v = v.replace(",", "")
    if "." not in v:
        v += ".00"
    out["amount"] = {"value": v}
m = re.search(r"(\d{2})/(\d{2})/(\d{4})", text)
if m:
    out["date"] = {"value": "%s-%s-%s" % (m.group(3), m.group(2), m.group(1))}
m = re.search(r"(?:Referencia|operaci.n|rastreo|Comprobante No\.|boleta|REFERENCIA)[:.\s]*([A-Z0-9-]{4,})", text)
if m:
    out["reference"] = {"value": m.group(1)}
print(json.dumps(out))
PY
