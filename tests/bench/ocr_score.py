#!/usr/bin/env python3
"""ocr_score.py — scores OCR readings against the corpus truth.

Usage: ocr_score.py TRUTH.jsonl OURS.jsonl BASE.jsonl SECS_OURS SECS_BASE CORES
OURS/BASE: one JSON line per document as tests/bench/ocr_read prints (the
baseline's lines carry no confidences).  Prints, per condition and field:
exact-match accuracy, precision and coverage of fields at confidence >= 0.85,
the share of documents needing no review, and seconds per document per core,
ours beside the baseline's.  Also a reliability table (confidence bins).
"""
import json
import os
import re
import sys

FIELDS = ["amount", "date", "reference", "bankCode", "paymentMethod", "currency"]
REQUIRED = ["amount", "date", "reference"]
TRUST = 0.85


def load(path):
    rows = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                r = json.loads(line)
                rows[os.path.basename(r["file"])] = r
    return rows


def norm(field, v):
    if v is None:
        return None
    v = str(v).strip()
    if field == "reference":
        return v.upper()
    return v


def main():
    truth_path, ours_path, base_path = sys.argv[1:4]
    secs_ours, secs_base, cores = float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
    truth = {}
    with open(truth_path) as f:
        for line in f:
            t = json.loads(line)
            truth[t["id"]] = t
    ours, base = load(ours_path), load(base_path)
    conds = ["clean", "textpdf", "scanpdf", "photo"]
    stats = {}
    bins = [[0, 0] for _ in range(10)]
    wrong_confident = []
    for name, r in ours.items():
        m = re.match(r"(\d+)-(\w+)\.", name)
        if not m:
            continue
        tid, cond = m.group(1), m.group(2)
        t = truth[tid]
        s = stats.setdefault(cond, {"n": 0, "noreview": 0, "f": {}})
        s["n"] += 1
        b = base.get(name, {})
        confident_required = True
        for fld in FIELDS:
            fs = s["f"].setdefault(fld, {"ok": 0, "hi": 0, "hi_ok": 0, "base_ok": 0})
            got = r.get(fld)
            val = norm(fld, got["value"]) if got else None
            conf = got["conf"] if got else 0.0
            ok = val == norm(fld, t[fld])
            fs["ok"] += ok
            if conf >= TRUST:
                fs["hi"] += 1
                fs["hi_ok"] += ok
                if not ok:
                    wrong_confident.append((name, fld, val, t[fld], conf))
            elif fld in REQUIRED:
                confident_required = False
            if fld in REQUIRED and not got:
                confident_required = False
            bg = b.get(fld)
            fs["base_ok"] += (norm(fld, bg["value"]) if bg else None) == norm(fld, t[fld])
            if got and fld in REQUIRED:
                bins[min(int(conf * 10), 9)][0] += 1
                bins[min(int(conf * 10), 9)][1] += ok
        s["noreview"] += confident_required

    print("OCR accuracy on the generated corpus (ours vs tesseract CLI + regex)")
    print("%-8s %-14s %8s %8s %10s %10s" % ("cond", "field", "exact", "base", "prec>=.85", "cover>=.85"))
    for cond in conds:
        s = stats.get(cond)
        if not s:
            continue
        n = s["n"]
        for fld in FIELDS:
            fs = s["f"][fld]
            prec = fs["hi_ok"] / fs["hi"] if fs["hi"] else float("nan")
            print("%-8s %-14s %7.1f%% %7.1f%% %9.1f%% %9.1f%%" % (
                cond, fld, 100 * fs["ok"] / n, 100 * fs["base_ok"] / n,
                100 * prec, 100 * fs["hi"] / n))
        print("%-8s %-14s %7.1f%%   (documents needing no review, n=%d)" % (
            cond, "no-review", 100 * s["noreview"] / n, n))
    hi = sum(s["f"][f]["hi"] for s in stats.values() for f in REQUIRED)
    hi_ok = sum(s["f"][f]["hi_ok"] for s in stats.values() for f in REQUIRED)
    print("precision of amount/date/reference at >= 0.85, all conditions: %.2f%% (%d of %d)"
          % (100 * hi_ok / hi if hi else float("nan"), hi_ok, hi))
    print("reliability (amount/date/reference): confidence bin -> accuracy")
    for i, (n, ok) in enumerate(bins):
        if n:
            print("  %.1f-%.1f  n=%4d  accuracy %.1f%%" % (i / 10, (i + 1) / 10, n, 100 * ok / n))
    ndocs = len(ours)
    po = secs_ours * cores / ndocs
    pb = secs_base * cores / len(base) if base else float("nan")
    print("seconds per document per core: ours %.3f, baseline %.3f; ours is %.2fx the baseline's documents/s"
          % (po, pb, pb / po if po else float("nan")))
    for w in wrong_confident[:15]:
        print("  confidently wrong: %s %s read %r, truth %r (%.2f)" % w)


if __name__ == "__main__":
    main()
