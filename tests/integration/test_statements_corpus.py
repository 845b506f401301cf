"""Real statement files from other projects (../shared/statements/, read
there, never copied here), uploaded through POST /api/bank-statements as a
user would: the accounts each names are registered from the first
import's report, the file is sent again, and what we stored is compared
with what the file holds.  MT940: every :61: line stored (file_facts'
count), nothing refused.  camt: every file read to the end.  Each figure
is printed, matched / asserted, for the closing note."""
import json
import os
import re
import time

import pytest
import requests

SHARED = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                      "shared", "statements"))

pytestmark = pytest.mark.skipif(not os.path.isdir(SHARED),
                                reason="../shared/statements is not here")


def samples(kind):
    out = []
    for d in sorted(os.listdir(SHARED)) if os.path.isdir(SHARED) else []:
        if kind not in d:
            continue
        with open(os.path.join(SHARED, d, "expected.json")) as f:
            ex = json.load(f)
        files = [f["file"] for f in ex.get("files", [])] or [ex["file"]]
        for name in files:
            out.append((d, name, ex))
    return out


def upload(stack, name, data, profile=None):
    parts = {"file": (name, data, "application/octet-stream")}
    if profile:
        parts["profile"] = (None, profile)
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files=parts, timeout=60)
    assert r.status_code in (200, 202), (name, r.status_code, r.text)
    loc = r.headers["Location"]
    end = time.time() + 120
    while time.time() < end:
        got = stack.get(loc, role="admin").json()["import"]
        if got["status"] in ("done", "failed"):
            return got
        time.sleep(0.2)
    raise AssertionError("import of %s did not finish" % name)


def register(stack, report, tag):
    """Registers every account a report says is not registered."""
    for i, st in enumerate(report["statements"]):
        if "not a registered bank account" not in st.get("error", ""):
            continue
        number = st["account"].split("/")[-1].strip()
        number = re.sub(r"[^A-Za-z0-9 .-]", "", number)[:64]
        r = stack.request("POST", "/api/bank-accounts", role="admin", json={
            "bankAccountId": "%s-%d-%s" % (tag, i, re.sub(r"[^A-Za-z0-9]", "", number)[:30]),
            "bankCode": "BI", "number": number, "numberKind": "account",
            "currency": st["currency"] or "EUR"})
        assert r.status_code in (201, 422), r.text
        if r.status_code == 422:
            # The same number and currency already registered by another
            # statement of the file, or XXX (no minor unit): refused, and
            # said; anything else is a finding.
            bad = {e["pointer"] for e in r.json()["errors"]}
            assert "#/number" in bad or (bad == {"#/currency"} and
                                         st["currency"] == "XXX"), r.text


def imported_whole(stack, d, name, profile=None):
    """The import (the earlier one when the same file was imported)."""
    with open(os.path.join(SHARED, d, name), "rb") as f:
        data = f.read()
    got = upload(stack, name, data, profile)
    assert got["status"] == "done", (d, name, got["error"])
    if any("error" in st for st in got["report"]["statements"]):
        register(stack, got["report"], d[:2])
        got = upload(stack, name, data, profile)
        assert got["status"] == "done", (d, name, got["error"])
    return got


def imported(stack, d, name):
    return imported_whole(stack, d, name)["report"]


@pytest.mark.parametrize("d,name,ex", samples("mt940"),
                         ids=[s[0][:2] for s in samples("mt940")])
def test_mt940_every_line_stored(stack, d, name, ex):
    rep = imported(stack, d, name)
    reading = ex["file_facts"].get("reading", ex["file_facts"])
    errors = [st.get("error") for st in rep["statements"] if "error" in st]
    assert not errors, errors
    assert rep["rejected"] == 0, rep["rejections"]
    stored = rep["new"] + rep["known"]
    print("%s: %d of %d :61: lines stored; %d statements (peer: %s)" % (
        d, stored, reading["total_61"], len(rep["statements"]),
        ex["peer_expected"].get("statement_count")))
    assert stored == reading["total_61"]
    # Opening + movements = closing wherever the file's own sums say so.
    for st, block in zip(rep["statements"], reading.get("blocks", [])):
        if block.get("opening_plus_61_equals_closing") and st["balanced"] is not None:
            assert st["balanced"] is True, (d, st)


@pytest.mark.parametrize("d,name,ex", samples("camt"),
                         ids=[s[0][:2] + "-" + s[1][:12] for s in samples("camt")])
def test_camt_read_to_the_end(stack, d, name, ex):
    rep = imported(stack, d, name)
    print("%s %s: %d statements, %d movements stored, %d refused, %d warnings" % (
        d, name, len(rep["statements"]), rep["new"] + rep["known"], rep["rejected"],
        len(rep["warnings"])))
    assert rep["statements"]
    for st in rep["statements"]:
        # Registered after the first pass, unless the file names an
        # account in a currency without minor units (XXX).
        assert "error" not in st or st["currency"] == "XXX", st


# ---- the peers' asserted values ---------------------------------------------
#
# Each peer names its values its own way; these are the names that mean the
# same as something we store.  Everything else a peer asserts (its own
# bookkeeping: primanota, GVC codes, page numbers, XSD validity, …) is
# counted apart as "not ours to compare", never silently.

def num(v):
    from decimal import Decimal
    try:
        return Decimal(str(v).replace(",", ".").split()[0])
    except Exception:
        return None


def norm_text(v):
    if isinstance(v, list):
        v = " ".join(str(x) for x in v)
    return " ".join(str(v or "").split()).casefold()


def plain(v):
    """A peer's value without its note: "2015-12-31 (booking)"."""
    return v.split(" (")[0] if isinstance(v, str) else v


STMT_COUNT = ("statement_count",)
LINE_COUNT = ("line_count", "transaction_count", "entry_count")
OPENING = ("start_balance", "opening_balance", "previous_balance", "balance_start",
           "final_opening_balance", "opening")
CLOSING = ("end_balance", "closing_balance", "new_balance", "balance_end",
           "final_closing_balance", "closing")
LINE_FIELDS = {
    "amount": "amount", "signed_amount": "amount", "price": "price",
    "date": "date", "book_date": "booking", "booking_date": "booking",
    "entry_date": "booking", "value_date": "value", "date_user": "value",
    "payee": "name", "contra_account_owner": "name", "account_holder": "name",
    "contra_account_iban": "iban", "iban": "iban",
    "eref": "e2e", "bank_ref": "bankref", "bank_reference": "bankref",
    "refnum": "bankref", "currency": "currency",
    "memo": "text", "description": "text", "svwz": "text", "usage": "text",
    "info_86": "text", "supplementary_details": "text", "extra_details": "text",
    "dc": "dc", "status": "dc", "type": "type",
    "customer_ref": "custref", "customer_reference": "custref", "customerref": "custref",
    "counterparty": "party",
}


class Tally:
    def __init__(self):
        self.matched = self.asserted = self.apart = 0
        self.misses = []

    def check(self, where, ok, want, got):
        self.asserted += 1
        if ok:
            self.matched += 1
        else:
            self.misses.append("%s: peer %r, ours %r" % (where, want, got))


def movements_of(stack, import_id):
    out, cursor = [], None
    while True:
        url = "/api/bank-statements/%d/movements?limit=200" % import_id
        if cursor:
            url += "&cursor=" + cursor
        body = stack.get(url, role="admin").json()
        out += body["movements"]
        cursor = body["nextCursor"]
        if not cursor:
            return list(reversed(out))  # the file's order


def line_check(t, where, key, want, mv, unsigned=False):
    kind = LINE_FIELDS[key]
    want = plain(want)
    if key == "amount" and unsigned:
        kind = "price"  # the peer gives the sign apart (dc)
    signed = num(mv["amount"]) * (1 if mv["direction"] == "credit" else -1)
    if kind == "amount":
        t.check(where, num(want) == signed, want, str(signed))
    elif kind == "price":
        t.check(where, num(want) == abs(signed), want, str(abs(signed)))
    elif kind == "date":
        t.check(where, want in (mv["bookingDate"], mv["valueDate"]), want,
                (mv["bookingDate"], mv["valueDate"]))
    elif kind == "booking":
        t.check(where, want == mv["bookingDate"], want, mv["bookingDate"])
    elif kind == "value":
        t.check(where, want == (mv["valueDate"] or mv["bookingDate"]), want, mv["valueDate"])
    elif kind == "name":
        t.check(where, norm_text(want) == norm_text(mv["party"]["name"]), want,
                mv["party"]["name"])
    elif kind == "iban":
        t.check(where, norm_text(want).replace(" ", "") ==
                norm_text(mv["party"]["account"]).replace(" ", ""), want,
                mv["party"]["account"])
    elif kind == "e2e":
        t.check(where, norm_text(want) == norm_text(mv["endToEndId"]), want, mv["endToEndId"])
    elif kind == "bankref":
        t.check(where, norm_text(want) in (norm_text(mv["bankReference"]),
                                           norm_text(mv["entryBankReference"])),
                want, mv["bankReference"])
    elif kind == "currency":
        t.check(where, want == mv["currency"], want, mv["currency"])
    elif kind == "dc":
        ours = ("R" if mv["reversal"] else "") + ("C" if mv["direction"] == "credit"
                                                    else "D")
        theirs = {"Credit": "C", "Debit": "D", "ReverseCredit": "RC",
                  "ReverseDebit": "RD"}.get(want, want)
        # A reversal of a debit puts money back: RD is a credit here.
        if theirs in ("RC", "RD"):
            ours = "RD" if mv["reversal"] and mv["direction"] == "credit" else \
                "RC" if mv["reversal"] else ours
        t.check(where, theirs == ours, want, ours)
    elif kind == "type":
        code = mv["transactionCode"] or ""
        t.check(where, want in (code, code[1:]), want, code)
    elif kind == "custref":
        ours = mv["transactionId"] or ""
        theirs = "" if want == "NONREF" else want
        t.check(where, norm_text(theirs) == norm_text(ours), want, ours)
    elif kind == "party":
        if want.get("name"):
            t.check(where + ".name", norm_text(want["name"]) ==
                    norm_text(mv["party"]["name"]), want["name"], mv["party"]["name"])
        if want.get("iban"):
            t.check(where + ".iban", want["iban"] == mv["party"]["account"],
                    want["iban"], mv["party"]["account"])
    elif kind == "text":
        ours = norm_text(mv["information"]).replace(" ", "")
        theirs = norm_text(want).replace(" ", "")
        ok = bool(theirs) and bool(ours) and (theirs in ours or ours in theirs)
        if not ok and key in ("description", "transaction_details", "info_86"):
            # Peers that give the bank's :86: text as written: we keep it too.
            ok = bool(theirs) and theirs in norm_text(mv["raw"]).replace(" ", "")
        t.check(where, ok, want, mv["information"])


def balance_value(v):
    if isinstance(v, dict):
        amt = num(v.get("amount"))
        if amt is not None and v.get("dc") in ("Debit", "D") or v.get("status") == "D":
            amt = -amt
        return amt, v.get("date")
    return num(v), None


def compare(t, d, ex, rep, mvs):
    pe = ex["peer_expected"]
    stmts = [s for s in rep["statements"] if "error" not in s]
    by_stmt = {}
    for mv in mvs:
        by_stmt.setdefault(mv["statementId"], []).append(mv)

    def stmt_level(obj, st, prefix):
        for k, v in obj.items():
            where = "%s %s.%s" % (d[:2], prefix, k)
            if k in LINE_COUNT and isinstance(v, int):
                t.check(where, v == st["entries"], v, st["entries"])
            elif k in OPENING and not (isinstance(v, str) and "computed" in v):
                amt, day = balance_value(v)
                if amt is not None:
                    t.check(where, num(st.get("opening")) == amt, str(amt), st.get("opening"))
                if day:
                    t.check(where + ".date", day == st.get("openingDate"), day,
                            st.get("openingDate"))
            elif k in CLOSING and not (isinstance(v, str) and "computed" in v):
                amt, day = balance_value(v)
                if amt is not None:
                    t.check(where, num(st.get("closing")) == amt, str(amt), st.get("closing"))
                if day:
                    t.check(where + ".date", day == st.get("closingDate"), day,
                            st.get("closingDate"))
            elif k == "start_date" and not isinstance(v, dict):
                t.check(where, plain(v) == st.get("openingDate"), v, st.get("openingDate"))
            elif k == "end_date" and not isinstance(v, dict) and "+ 1 day" not in str(v):
                t.check(where, plain(v) == st.get("closingDate"), v, st.get("closingDate"))
            elif k == "currency" and isinstance(v, str) and len(v) == 3:
                t.check(where, v == st.get("currency"), v, st.get("currency"))
            elif k in ("account_id", "account", "account_identification", "account_iban") \
                    and isinstance(v, str) and "config" not in v:
                ours = norm_text(st.get("account")).replace(" ", "")
                theirs = norm_text(v).replace(" ", "")
                t.check(where, bool(ours) and (ours in theirs or theirs in ours), v,
                        st.get("account"))
            elif k in ("transaction_ref_no", "statement_no", "number", "transaction_reference",
                       "statement_number") and isinstance(v, str) and v:
                t.check(where, norm_text(v) in norm_text(st.get("reference")), v,
                        st.get("reference"))
            elif k in ("closing_available_balance", "available_balance"):
                amt, _ = balance_value(v)
                t.check(where, num(st.get("availableClosing")) == amt, str(amt),
                        st.get("availableClosing"))
            elif k in ("lines", "transactions") and isinstance(v, list):
                lines_of(v, by_stmt.get(st.get("statementId"), []), prefix + "." + k)
            elif isinstance(v, (dict, list)) and k not in ("peer_quirks",):
                t.apart += 1
            else:
                t.apart += 1

    def lines_of(items, mv_list, prefix):
        for pos, item in enumerate(items):
            if "stmt" in item and item["stmt"] < len(stmts):
                mv_list = by_stmt.get(stmts[item["stmt"]]["statementId"], [])
            i = item.get("index", item.get("i", pos))
            if not isinstance(i, int) or i >= len(mv_list):
                t.check("%s %s[%s]" % (d[:2], prefix, i), False, "a line", "none")
                continue
            mv = mv_list[i]
            sign = item.get("debit_credit")
            unsigned = "dc" in item and "signed_amount" in item
            for k, v in item.items():
                if k in ("index", "i", "count", "debit_credit", "stmt"):
                    continue
                if k in LINE_FIELDS and v not in (None, ""):
                    line_check(t, "%s %s[%d].%s" % (d[:2], prefix, i, k), k, v, mv,
                               unsigned)
                    if k == "price" and sign:
                        t.check("%s %s[%d].debit_credit" % (d[:2], prefix, i),
                                sign == ("C" if mv["direction"] == "credit" else "D"),
                                sign, mv["direction"])
                else:
                    t.apart += 1

    if "statement_count" in pe:
        t.check(d[:2] + " statement_count", pe["statement_count"] == len(rep["statements"]),
                pe["statement_count"], len(rep["statements"]))
    all_mvs = mvs
    for key, v in pe.items():
        if key == "statement_count":
            continue
        m = re.match(r"statement(\d+)(_transactions)?$", key)
        if key in ("statement", "day") and isinstance(v, dict) and stmts:
            stmt_level(v, stmts[0], key)
        elif m and stmts and int(m.group(1)) < len(stmts):
            st = stmts[int(m.group(1))]
            if m.group(2):
                lines_of(v, by_stmt.get(st["statementId"], []), key)
            else:
                stmt_level(v, st, key)
        elif key in ("lines", "transactions") and isinstance(v, list):
            lines_of(v, all_mvs, key)
        elif key == "statements" and isinstance(v, list):
            for n, sv in enumerate(v):
                if n < len(stmts):
                    stmt_level(sv, stmts[n], "statements[%d]" % n)
        elif key == "transactions_per_statement":
            t.check(d[:2] + " " + key, v == [s["entries"] for s in stmts], v,
                    [s["entries"] for s in stmts])
        elif key in LINE_COUNT and isinstance(v, int):
            t.check(d[:2] + " " + key, v == len(all_mvs), v, len(all_mvs))
        elif key == "delta_price_start_minus_end" and stmts:
            ours = num(stmts[0].get("opening")) - num(stmts[-1].get("closing")) \
                if stmts[0].get("opening") and stmts[-1].get("closing") else None
            t.check(d[:2] + " " + key, ours == num(v), v, str(ours))
        elif key in ("first_entry_date", "last_entry_date") and all_mvs:
            mv = all_mvs[0] if key.startswith("first") else all_mvs[-1]
            t.check(d[:2] + " " + key, v in (mv["bookingDate"], mv["valueDate"]), v,
                    mv["bookingDate"])
        elif key in ("first_debit_credit", "first_price") and all_mvs:
            mv = all_mvs[0]
            got = ("C" if mv["direction"] == "credit" else "D") if key.endswith("credit") \
                else num(mv["amount"])
            t.check(d[:2] + " " + key, (v == got) if key.endswith("credit")
                    else num(v) == got, v, got)
        elif key in OPENING + CLOSING + ("start_date", "end_date", "currency") and stmts:
            stmt_level({key: v}, stmts[0] if key in OPENING + ("start_date",)
                       else stmts[-1], "")
        else:
            t.apart += 1


def test_peer_values_compared(stack):
    """Every value the peers assert that means something we store,
    compared; the figure and each difference printed."""
    per_format = {}
    for kind in ("camt", "mt940"):
        for d, name, ex in samples(kind):
            got = imported_whole(stack, d, name)
            rep = got["report"]
            if isinstance(ex["peer_expected"].get(name), str):
                continue  # the peer asserts only that it parses (it did)
            # The movements this file stored (first import, or the one after
            # its accounts were registered).
            mvs = movements_of(stack, got["importId"])
            t = per_format.setdefault(kind, Tally())
            compare(t, d, ex, rep, mvs)
    for kind, t in per_format.items():
        print("%s: %d of %d asserted values matched (%d not ours to compare)" % (
            kind, t.matched, t.asserted, t.apart))
        for m in t.misses:
            print("   ", m)
    # Today: camt 73 of 75, MT940 2032 of 2036; every difference left is a
    # peer's own convention (see the closing note).  A floor under that: a
    # regression fails.
    for kind, t in per_format.items():
        assert t.asserted >= 50 and t.matched >= 0.95 * t.asserted, (
            kind, t.matched, t.asserted)


# ---- bank spreadsheets: CSV, XLSX, XLS by the profiles we ship --------------
#
# Each export is read by the profile in etc/csv-profiles named for its bank
# (a workbook is told by its content: 54's XLSX is named .xls).  Rows: what
# each file holds that is a movement, counted by hand from the file; rows
# refused are the ones the report names (zero-amount notices, a footer),
# never fewer; PayPal's rows in three currencies are three statements.

SHEETS = {
    # folder: (profile, {file: (stored, refused)})
    "42": ("at-easybank", {"easybank-giro.csv": (10, 0)}),
    "43": ("at-ingdiba", {"ing-diba.csv": (6, 0)}),
    "44": ("at-raiffeisen-elba", {"raiffeisen.csv": (7, 0)}),
    "45": ("at-oberbank", {"oberbank.csv": (5, 0)}),
    "46": ("at-livebank", {"livebank.csv": (3, 3)}),
    "47": ("nl-ing", {"ing_ok.csv": (5, 1)}),
    "48": ("nl-asn", {None: (11, 0)}),
    "49": ("nl-knab", {"Knab_transactieoverzicht_ok.csv": (28, 0)}),
    "50": ("es-santander", {"sample-statement.xlsx": (1, 0)}),
    "51": ("adyen-settlement", {"adyen_test.xlsx": (21, 0)}),
    "52": ("paypal-activity", {"activity_en.csv": (76, 0)}),
    "53": ("cl-bci", {"cartola_bci.xls": (120, 0)}),
    "54": ("cl-bancochile", {"banco_chile_cartola_binary_sample.xls": (5, 0),
                             "banco_chile_cartola_sample.xls": (10, 1)}),
}


def sheet_samples():
    out = []
    for kind in ("csv", "xls"):  # "xls" finds the xlsx folders too
        for d, name, ex in samples(kind):
            prof, rows = SHEETS[d[:2]]
            want = rows.get(name, rows.get(None))
            if (d, name) not in [(o[0], o[1]) for o in out]:
                out.append((d, name, prof, want, ex))
    return out


def signed(mv):
    from decimal import Decimal
    a = Decimal(str(mv["amount"]))
    return a if mv["direction"] == "credit" else -a


@pytest.mark.parametrize("d,name,prof,want,ex", sheet_samples(),
                         ids=[s[0][:2] + "-" + s[1][:14] for s in sheet_samples()])
def test_spreadsheet_every_row_accounted(stack, d, name, prof, want, ex):
    got = imported_whole(stack, d, name, prof)
    rep = got["report"]
    errors = [st.get("error") for st in rep["statements"] if "error" in st]
    assert not errors, errors
    stored = rep["new"] + rep["known"]
    print("%s %s (%s, %s): %d rows stored, %d refused: %s" % (
        d, name, prof, rep["format"], stored, rep["rejected"],
        sorted({r["why"] for r in rep["rejections"]})))
    assert (stored, rep["rejected"]) == want, rep["rejections"]


def test_spreadsheet_peer_values(stack):
    """The values the spreadsheet peers assert that mean something we
    store: each line's signed amount and date (in file order), the file's
    own balances and the statement's size; balances the peers compute
    themselves (their note says so) are theirs, not the file's."""
    from decimal import Decimal
    t = Tally()
    for d, name, prof, want, ex in sheet_samples():
        got = imported_whole(stack, d, name, prof)
        mvs = movements_of(stack, got["importId"])
        st = got["report"]["statements"][0]
        pe = ex["peer_expected"]
        pe = pe.get(name, pe) if isinstance(pe.get(name), dict) else pe
        lines = pe.get("lines") or pe.get("transactions") or []
        computed = "computed by the peer" in pe.get("note", "")
        stmt = pe.get("statement", pe)
        for ln in lines if isinstance(lines, list) else []:
            i = ln["i"]
            where = "%s %s line %d" % (d[:2], name[:12], i)
            mv = mvs[i] if i < len(mvs) else None
            if "amount" in ln:
                t.check(where + " amount", mv is not None and
                        signed(mv) == Decimal(str(ln["amount"])), ln["amount"],
                        mv and str(signed(mv)))
            for k in ("debit", "credit"):
                if ln.get(k):
                    t.check(where + " " + k, mv is not None and
                            Decimal(str(mv["amount"])) == Decimal(ln[k]) and
                            (mv["direction"] == "credit") == (k == "credit"),
                            ln[k], mv and (mv["amount"], mv["direction"]))
            if "date" in ln:
                t.check(where + " date", mv is not None and mv["bookingDate"] ==
                        ln["date"], ln["date"], mv and mv["bookingDate"])
        for key, ours in (("start_balance", "opening"), ("saldo_inicial", "opening"),
                          ("end_balance", "closing"), ("saldo_final", "closing")):
            v = stmt.get(key)
            if v is None or computed:
                continue
            v = str(v).split(" ")[0]
            t.check("%s %s %s" % (d[:2], name[:12], key), st.get(ours) is not None and
                    Decimal(str(st[ours])) == Decimal(v), v, st.get(ours))
        for key in ("line_count", "movimientos", "transaction_count"):
            v = stmt.get(key)
            if isinstance(v, int):
                t.check("%s %s %s" % (d[:2], name[:12], key), len(mvs) == v, v,
                        len(mvs))
    # Today 98 of 99: Adyen's peer counts 22 lines where the sheet has 21
    # movements (19 settled payments, the fee, the payout).
    print("spreadsheets: %d of %d asserted values matched" % (t.matched, t.asserted))
    for m in t.misses:
        print("   ", m)
    assert t.asserted >= 50 and t.matched >= 0.9 * t.asserted, (t.matched, t.asserted,
                                                               t.misses)
