#!/usr/bin/env python3
"""ocr_real.py — scores readings of ../shared/receipts-sroie/ (120 real
scanned receipts; read its README) — pixels nobody here drew, and never
used for fitting.  Label words were added to the extractor after reading
the failures of the odd-numbered receipts only, so the figures come per
half too: the even half is the one nobody looked at.

  ocr_real.py truth SROIE_DIR OUT_TRUTH.jsonl
      the labels as corpus truth (total → amount, day-first date → ISO;
      month first where the day cannot be the month, as "12/28/2017")
  ocr_real.py score TRUTH.jsonl OURS.jsonl BASE.jsonl WORDS_DIR BASE_TXT_DIR
      accuracy of total and date, precision and coverage at >= 0.85, how
      often the right total is anywhere in the text read (ours and the
      tesseract CLI's), and seconds per receipt (p50, p99, mean) beside the
      CLI's from the same run.
"""
import json
import os
import re
import sys

MON = {m: i + 1 for i, m in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"])}


def iso(d):
    d = d.strip().upper()
    m = re.match(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$", d)
    c = re.match(r"(20\d\d)(\d\d)(\d\d)$", d)  # "20180304"
    if c:
        return "%s-%s-%s" % c.groups()
    if m:
        dd, mm, yy = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = re.match(r"(\d{1,2})[ /-]?([A-Z]{3})[A-Z]*[ /-]?(\d{2,4})$", d)
        if not m or m.group(2) not in MON:
            return None
        dd, mm, yy = int(m.group(1)), MON[m.group(2)], int(m.group(3))
    if yy < 100:
        yy += 2000
    if mm > 12 and dd <= 12:
        dd, mm = mm, dd
    return "%04d-%02d-%02d" % (yy, mm, dd)


def money(v):
    v = re.sub(r"^(RM|\$)\s*", "", v.strip())
    v = v.replace(",", "")
    try:
        return "%.2f" % float(v)
    except ValueError:
        return None


def truth(src, out):
    with open(os.path.join(src, "labels.jsonl")) as f, open(out, "w") as o:
        for line in f:
            r = json.loads(line)
            tid = os.path.splitext(os.path.basename(r["file"]))[0]
            o.write(json.dumps({"id": tid, "fold": -1, "amount": money(r["total"]),
                                "date": iso(r["date"]), "reference": None}) + "\n")


def rows(path):
    out = {}
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            out[os.path.splitext(os.path.basename(r["file"]))[0]] = r
    return out


def numbers(text):
    """Every money-looking number of text, as "34.21": grouped or not, the
    cents after a point or a comma (OCR reads "34.21" as "34,21" too)."""
    got = set()
    for m in re.finditer(r"\d[\d,.]*[.,]\d{2}\b", text):
        v = m.group(0)
        got.add("%.2f" % float(re.sub(r"[.,]", "", v[:-3]) + "." + v[-2:]))
    return got


def pct(a, b):
    return 100.0 * a / b if b else float("nan")


def half(tid):
    """"odd" or "even" by the receipt's number (r001 is odd)."""
    digits = re.sub(r"\D", "", tid)
    return "odd" if digits and int(digits) % 2 else "even"


def score(truth_path, ours_path, base_path, words_dir, txt_dir):
    T = {json.loads(l)["id"]: json.loads(l) for l in open(truth_path) if l.strip()}
    ours, base = rows(ours_path), rows(base_path)
    n = len(T)
    res = {}
    for fld, key in (("amount", "amount"), ("date", "date")):
        ok = hi = hi_ok = bok = 0
        part = {"odd": [0, 0], "even": [0, 0]}
        for tid, t in T.items():
            r = ours.get(tid, {})
            g = r.get(fld)
            right = bool(g) and g["value"] == t[key]
            ok += right
            part[half(tid)][0] += 1
            part[half(tid)][1] += right
            if g and g["conf"] >= 0.85:
                hi += 1
                hi_ok += right
            b = base.get(tid, {}).get(fld)
            bok += bool(b) and b["value"] == t[key]
        res[fld] = (ok, hi, hi_ok, bok, part)
    in_ours = in_base = 0
    for tid, t in T.items():
        wf = os.path.join(words_dir, tid + ".jpg.words.json")
        if os.path.exists(wf):
            text = " ".join(w[0] for w in json.load(open(wf))["words"])
            in_ours += t["amount"] in numbers(text)
        bf = os.path.join(txt_dir, tid + ".txt")
        if os.path.exists(bf):
            in_base += t["amount"] in numbers(open(bf, errors="replace").read())
    secs = sorted(r["seconds"] for r in ours.values())
    bsecs = sorted(r.get("seconds", 0) for r in base.values())

    def q(xs, p):
        return xs[min(len(xs) - 1, int(p * len(xs)))] if xs else float("nan")
    print("real receipts (../shared/receipts-sroie, %d; never fitted on)" % n)
    print("%-7s %8s %8s %11s %11s %9s %9s" % ("field", "ours", "CLI+re", "prec>=.85",
                                           "cover>=.85", "odd half", "even half"))
    for fld, name in (("amount", "total"), ("date", "date")):
        ok, hi, hi_ok, bok, part = res[fld]
        print("%-7s %7.1f%% %7.1f%% %10.1f%% %10.1f%% %8.1f%% %8.1f%%" % (
            name, pct(ok, n), pct(bok, n), pct(hi_ok, hi), pct(hi, n),
            pct(part["odd"][1], part["odd"][0]), pct(part["even"][1], part["even"][0])))
    print("odd half: label words were added after reading its failures; "
          "even half: never looked at")
    print("the right total is in the text read: ours %.1f%%, CLI %.1f%%" % (
        pct(in_ours, n), pct(in_base, n)))
    print("seconds per receipt, one engine: ours p50 %.2f p99 %.2f mean %.2f; "
          "CLI p50 %.2f p99 %.2f mean %.2f; ours is %.2fx the CLI's receipts/s" % (
              q(secs, .5), q(secs, .99), sum(secs) / max(1, len(secs)),
              q(bsecs, .5), q(bsecs, .99), sum(bsecs) / max(1, len(bsecs)),
              (sum(bsecs) / sum(secs)) if secs and sum(secs) else float("nan")))


if __name__ == "__main__":
    if sys.argv[1] == "truth":
        truth(sys.argv[2], sys.argv[3])
    else:
        score(*sys.argv[2:7])
