"""verdicts_bench.py BUILDDIR [VOUCHERS [SEED]] — `make bench-verdicts`:
every bank-validation voucher decided, end to end.  A private stack
(scripts/stack) on loopback; vouchers registered through POST /api/payments
with bankValidation, carrying the errors clients make at stated rates; a
month of daily camt.053 (opening dated its own day, balances chained) with
distractors, imported through the API; then every voucher read back and
scored against the generator's truth, beside an exact-rule baseline
(exact amount, exact operation number, within 3 days) on the same data.
Not a test: it asserts nothing, it prints.

Error kinds (of payable vouchers): operation number shortened to 3-6
digits (may keep a leading zero), an OCR look-alike on any mix, no number
("", "S/N", "-", "0"), the cents left off the amount, a digit wrong in the
amount with the whole number, the date one or two days off, registered
twice; and vouchers for which no money came.  Distractors: the same
amount the same day under another reference, debits, fees."""
import datetime
import os
import random
import sys
import time

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRC, "tests", "integration"))

import requests  # noqa: E402

from conftest import STACK, Stack, free_port  # noqa: E402

RATES = [  # kind, share of vouchers
    ("clean", 0.50), ("short", 0.10), ("lookalike", 0.05), ("noref", 0.06),
    ("cents", 0.04), ("digit", 0.03), ("dayoff", 0.06), ("twice", 0.04),
    ("unpaid", 0.12),
]
LOOK = {"0": "O", "1": "l", "5": "S", "8": "B"}
ACCOUNT = "0011-0888-0200777777"


def weekdays(a, b):
    d = a
    while d <= b:
        if d.weekday() < 5:
            yield d
        d += datetime.timedelta(days=1)


def camt(stmt_id, day, entries, opening, closing):
    bal = "".join(
        '<Bal><Tp><CdOrPrtry><Cd>%s</Cd></CdOrPrtry></Tp><Amt Ccy="PEN">%.2f</Amt>'
        '<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>' % (c, v, day)
        for c, v in (("OPBD", opening), ("CLBD", closing)))
    ntry = "".join(
        '<Ntry><Amt Ccy="PEN">%.2f</Amt><CdtDbtInd>%s</CdtDbtInd><Sts>BOOK</Sts>'
        '<BookgDt><Dt>%s</Dt></BookgDt><AcctSvcrRef>%s</AcctSvcrRef><NtryDtls><TxDtls>'
        '<RltdPties><Dbtr><Nm>%s</Nm></Dbtr></RltdPties></TxDtls></NtryDtls></Ntry>'
        % (e["amount"], "CRDT" if e["credit"] else "DBIT", day, e["ref"], e["party"])
        for e in entries)
    return ('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.02"><BkToCstmrStmt><Stmt><Id>%s</Id><Acct><Id><Othr><Id>%s'
            '</Id></Othr></Id><Ccy>PEN</Ccy></Acct>%s%s</Stmt></BkToCstmrStmt>'
            '</Document>' % (stmt_id, ACCOUNT, bal, ntry)).encode()


def world(n, rng):
    days = list(weekdays(datetime.date(2026, 10, 1), datetime.date(2026, 10, 30)))
    payers = ["CLIENTE %03d SAC" % i for i in range(40)]
    vouchers, movements = [], []
    kinds = [k for k, share in RATES for _ in range(round(share * n))]
    rng.shuffle(kinds)
    for i, kind in enumerate(kinds):
        day = rng.choice(days)
        payer = rng.choice(payers)
        amount = rng.randrange(1000, 200000) / 100
        op = "%08d" % rng.randrange(10000, 99999999)
        v = {"i": i, "kind": kind, "payer": payer, "amount": amount, "day": day,
             "ref": op, "truth": None}
        if kind == "twice" and vouchers:
            first = rng.choice([x for x in vouchers if x["truth"]] or vouchers)
            v.update(payer=first["payer"], amount=first["amount"], day=first["day"],
                     ref=first["ref"], twin_of=first["i"])
            vouchers.append(v)
            continue
        if kind != "unpaid":
            mv = {"amount": amount, "day": day, "ref": op, "party": payer, "credit": True}
            movements.append(mv)
            v["truth"] = op
        if kind == "short":
            v["ref"] = op[-rng.randrange(3, 7):]
        elif kind == "lookalike":
            pos = [k for k, c in enumerate(op) if c in LOOK and k > 0]
            if pos:
                k = rng.choice(pos)
                v["ref"] = op[:k] + LOOK[op[k]] + op[k + 1:]
        elif kind == "noref":
            v["ref"] = rng.choice(["", "S/N", "-", "0"])
        elif kind == "cents":
            v["amount"] = float(int(amount))
        elif kind == "digit":
            s = "%.2f" % amount
            k = rng.choice([j for j, c in enumerate(s) if c.isdigit() and j > 0])
            v["amount"] = float(s[:k] + str((int(s[k]) + 1) % 10) + s[k + 1:])
        elif kind == "dayoff":
            v["day"] = day - datetime.timedelta(days=rng.choice([1, 2]))
        vouchers.append(v)
    # Distractors: the same amount the same day under another reference,
    # debits, fees.
    for mv in list(movements):
        if rng.random() < 0.15:
            movements.append(dict(mv, ref="%08d" % rng.randrange(10000, 99999999),
                                  party="OTRO PAGADOR SRL"))
    for d in days:
        for _ in range(3):
            movements.append({"amount": rng.randrange(500, 50000) / 100, "day": d,
                              "ref": "D%07d" % rng.randrange(10 ** 6, 10 ** 7),
                              "party": "PROVEEDOR", "credit": False})
        movements.append({"amount": 7.50, "day": d, "ref": "COM%s" % d.strftime("%m%d"),
                          "party": "BANCO", "credit": False})
    return vouchers, movements


def baseline(vouchers, movements):
    """Exact amount and operation number within 3 days, one movement each."""
    used, out = set(), {}
    for v in vouchers:
        for k, m in enumerate(movements):
            if (k not in used and m["credit"] and abs(m["amount"] - v["amount"]) < 0.005
                    and m["ref"] == v["ref"] and abs((m["day"] - v["day"]).days) <= 3):
                used.add(k)
                out[v["i"]] = m["ref"]
                break
    return out


def main():
    build = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261207)
    run = "/tmp/comprobar-verdicts.%d" % os.getpid()
    os.makedirs(run)
    os.chmod(run, 0o755)
    st = Stack(run, build)
    import subprocess
    r = subprocess.run([STACK, "up", run, build, str(free_port())], capture_output=True,
                       text=True)
    if r.returncode:
        sys.exit("stack up failed:\n" + r.stdout + r.stderr)
    st.load_env()
    try:
        bench(st, n, rng)
    finally:
        subprocess.run([STACK, "down", run], capture_output=True)


def bench(st, n, rng):
    vouchers, movements = world(n, rng)
    r = st.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "VERDICTS", "bankCode": "BBVA_PE", "number": ACCOUNT,
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    customers = {}
    t0 = time.time()
    for v in vouchers:
        if v["payer"] not in customers:
            r = st.request("POST", "/api/customers", role="client", json={
                "name": v["payer"], "documentType": "RUC",
                "documentId": "20%09d" % len(customers)})
            customers[v["payer"]] = r.json()["customer"]["customerId"]
        r = st.request("POST", "/api/payments", role="client", json={
            "customerId": customers[v["payer"]], "amount": "%.2f" % v["amount"],
            "currency": "PEN", "paymentMethod": "transferencia", "bankCode": "BBVA_PE",
            "transactionDate": v["day"].isoformat(), "reference": v["ref"],
            "bankAccountId": "VERDICTS", "bankValidation": True})
        assert r.status_code == 201, r.text
        v["id"] = r.json()["payment"]["paymentId"]
    registered = time.time() - t0
    # Daily statements from before the first window to after the last,
    # opening dated its own day, balances chained.
    balance, t0 = 10000.0, time.time()
    for k, d in enumerate(weekdays(datetime.date(2026, 9, 21), datetime.date(2026, 11, 13))):
        day_mv = [m for m in movements if m["day"] == d]
        closing = balance + sum(m["amount"] if m["credit"] else -m["amount"] for m in day_mv)
        doc = camt("V-%d" % k, d.isoformat(), day_mv, balance, closing)
        balance = closing
        r = requests.post(st.url + "/api/bank-statements", headers=st.auth("admin"),
                          files={"file": ("d%d.xml" % k, doc)}, timeout=60)
        assert r.status_code == 202, r.text
        loc = r.headers["Location"]
        while st.get(loc, role="admin").json()["import"]["status"] not in ("done", "failed"):
            time.sleep(0.1)
    st.ctl("match")  # one more pass: every window has passed by now
    imported = time.time() - t0
    base = baseline(vouchers, movements)
    tally = dict(right=0, wrong=0, review=0, silent=0, invalid_right=0, invalid_wrong=0,
                 dup_caught=0, dups=0, payable=0, unpaid=0, base_right=0, base_wrong=0)
    for v in vouchers:
        p = st.get("/api/payments/%d" % v["id"], role="admin").json()["payment"]
        paid = v["truth"] is not None
        twin = "twin_of" in v
        tally["dups"] += twin
        tally["payable"] += paid and not twin
        tally["unpaid"] += not paid and not twin
        if twin:
            tally["dup_caught"] += bool(p.get("duplicateOf"))
        if p["status"] == "conciliado":
            ok = paid and not twin and (p.get("bankOperationNumber") or "") == v["truth"]
            tally["right" if ok else "wrong"] += 1
        elif p["status"] == "rechazado":
            tally["invalid_right" if not paid or twin else "invalid_wrong"] += 1
        elif p["requiresManualReview"]:
            tally["review"] += 1
        else:
            tally["silent"] += 1
        if v["i"] in base:
            tally["base_right" if base[v["i"]] == v["truth"] and not twin
                  else "base_wrong"] += 1
    t = tally
    decided = t["right"] + t["wrong"]
    print("verdicts, end to end: %d vouchers (%d payable, %d unpaid, %d registered twice),"
          " %d movements" % (len(vouchers), t["payable"], t["unpaid"], t["dups"],
                             len(movements)))
    print("%-30s %10s %10s %10s %10s" % ("", "precision", "recall", "review", "silent"))
    print("%-30s %9.2f%% %9.2f%% %10s %10s" % (
        "exact rule (baseline)",
        100.0 * t["base_right"] / max(1, t["base_right"] + t["base_wrong"]),
        100.0 * t["base_right"] / max(1, t["payable"]), "-", "-"))
    print("%-30s %9.2f%% %9.2f%% %9.2f%% %10d" % (
        "comprobar", 100.0 * t["right"] / max(1, decided),
        100.0 * t["right"] / max(1, t["payable"]), 100.0 * t["review"] / len(vouchers),
        t["silent"]))
    print("unpaid judged invalid: %d of %d; paid judged invalid: %d; duplicates caught:"
          " %d of %d" % (t["invalid_right"], t["unpaid"] + t["dups"], t["invalid_wrong"],
                         t["dup_caught"], t["dups"]))
    print("goals: precision >= 99.9%%, recall >= 95%%, nothing silent -> %s, %s, %s" % (
        "met" if decided and t["right"] * 1000 >= 999 * decided else "NOT met",
        "met" if t["right"] * 100 >= 95 * t["payable"] else "NOT met",
        "met" if not t["silent"] else "NOT met"))
    print("registering %.1f s, importing and matching %.1f s" % (registered, imported))


if __name__ == "__main__":
    main()
