#!/bin/sh
# model_test.sh — the extractor's model (tests/corpus/fit.py, committed fit
# input under tests/corpus/fit, fcgi/ocr/model_weights.inc).  Prints TAP.
#  1 the fit is deterministic: twice the same weights, byte for byte
#  2 the committed weights are a fresh fit of the committed candidates
#  3 held-out (leave-layouts-out) floors, well under the goals, so that a
#    regression fails
#  4 C's choices and confidences are the fit's (ocr_read on the committed
#    readings)
top=${top_srcdir:-.}
fit=$top/tests/corpus/fit
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..4"
origin=$(sed -n 's/^\t\.origin = "\(.*\)",$/\1/p' "$top/fcgi/ocr/model_weights.inc")
for k in 1 2; do
  $py "$top/tests/corpus/fit.py" "$fit/candidates.jsonl.gz" "$fit/truth.jsonl" \
    --origin "$origin" --write "$tmp/w$k.inc" > "$tmp/fit$k.log" 2>&1
done
if [ -s "$tmp/w1.inc" ] && cmp -s "$tmp/w1.inc" "$tmp/w2.inc"; then
  echo "ok 1 - the fit is deterministic"
else echo "not ok 1 - two fits differ"; sed 's/^/# /' "$tmp/fit1.log"; fi
if cmp -s "$tmp/w1.inc" "$top/fcgi/ocr/model_weights.inc"; then
  echo "ok 2 - the committed weights are a fresh fit of the committed candidates"
else echo "not ok 2 - fcgi/ocr/model_weights.inc is not what fit.py gives (make ocr-model)"
  diff "$top/fcgi/ocr/model_weights.inc" "$tmp/w1.inc" | head -20 | sed 's/^/# /'; fi
$py "$top/tests/corpus/fit.py" "$fit/candidates.jsonl.gz" "$fit/truth.jsonl" \
  --summary "$tmp/s.json" > "$tmp/s.log" 2>&1
if $py - "$tmp/s.json" > "$tmp/floors.log" 2>&1 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
floors = {"precision": 0.95, "amount": 0.55, "date": 0.65, "reference": 0.40}
bad = ["%s %.3f < %.2f" % (k, s[k], v) for k, v in floors.items() if s[k] < v]
print("held-out:", " ".join("%s %.3f" % kv for kv in sorted(s.items())))
if bad:
    print("below the floor:", "; ".join(bad))
    sys.exit(1)
PY
then echo "ok 3 - held-out figures above the floors"; sed 's/^/# /' "$tmp/floors.log"
else echo "not ok 3 - held-out figures below the floors"; sed 's/^/# /' "$tmp/floors.log" "$tmp/s.log"; fi
tests/bench/ocr_read -R -C "$tmp/c.jsonl" "$fit"/words/*.words.json > "$tmp/ours.jsonl" 2> "$tmp/c.log"
if $py "$top/tests/corpus/fit.py" "$fit/candidates.jsonl.gz" "$fit/truth.jsonl" \
     --check-c "$tmp/ours.jsonl" "$tmp/c.jsonl" > "$tmp/check.log" 2>&1; then
  echo "ok 4 - C's choices and confidences are the fit's"
else echo "not ok 4 - C and fit.py disagree"; sed 's/^/# /' "$tmp/check.log" "$tmp/c.log"; fi
