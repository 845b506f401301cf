"""Bank accounts and statement imports through nginx: accounts validated
(IBAN, CLABE, registry, currency, unique ids), statements uploaded and
imported by the job (camt in an envelope, MT940 with FIN framing),
movements stored once however often a statement comes, balances checked,
unknown accounts and refused entries reported, hostile XML refused with
nothing written; and `comprobarctl import-statement`."""
import json
import os
import time

import pytest
import requests

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BANK = os.path.join(SRC, "tests", "bank")

BBVA_NUMBER = "0011-0123-0200456789"
ACCOUNTS = [
    {"bankAccountId": "BBVA", "bankCode": "BBVA_PE", "number": BBVA_NUMBER,
     "currency": "PEN", "holder": "Comprobar S.A.C."},
    {"bankAccountId": "BCP-SOLES", "bankCode": "bcp", "number": "191-0123456-0-01",
     "currency": "PEN"},
    {"bankAccountId": "BI-GTQ", "bankCode": "BI",
     "number": "GT82 TRAJ 0102 0000 0012 1002 9690", "currency": "GTQ"},
    {"bankAccountId": "BBVA-USD", "bankCode": "BBVA_PE", "number": BBVA_NUMBER,
     "currency": "USD"},
]


@pytest.fixture(scope="module")
def accounts(stack):
    made = {}
    for a in ACCOUNTS:
        r = stack.request("POST", "/api/bank-accounts", role="admin", json=a)
        assert r.status_code == 201, r.text
        made[a["bankAccountId"]] = r.json()["bankAccount"]
    return made


def upload(stack, name, data=None):
    if data is None:
        with open(os.path.join(BANK, name), "rb") as f:
            data = f.read()
    return requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                         files={"file": (name, data, "application/octet-stream")},
                         timeout=60)


def imported(stack, name, data=None):
    return finished(stack, upload(stack, name, data))


def finished(stack, r):
    """The import a 202 answer started, once its job has run."""
    assert r.status_code == 202, r.text
    loc = r.headers["Location"]
    # The job may have finished (either way) before the answer was built.
    assert r.json()["import"]["status"] in ("queued", "running", "done", "failed")
    end = time.time() + 60
    while time.time() < end:
        got = stack.get(loc, role="admin").json()["import"]
        if got["status"] in ("done", "failed"):
            return got
        time.sleep(0.2)
    raise AssertionError("import did not finish")


def movements(stack, account_id):
    out = stack.sql("SELECT COUNT(*) FROM comprobar.bank_movements WHERE account_id = %d"
                    % account_id)
    return int(out.strip())


def camt(stmt_id, number, entries, opening=None, closing=None, days=None):
    """A camt.053 statement for account number; balances when given."""
    bal = ""
    if opening is not None:
        bal = ('<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="PEN">%s</Amt>'
               '<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>'
               '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="PEN">%s</Amt>'
               '<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>') % (
            opening, days[0], closing, days[1])
    return ('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
            'camt.053.001.02"><BkToCstmrStmt><Stmt><Id>%s</Id><Acct><Id><Othr><Id>%s'
            '</Id></Othr></Id><Ccy>PEN</Ccy></Acct>%s%s</Stmt></BkToCstmrStmt>'
            '</Document>' % (stmt_id, number, bal, "".join(entries))).encode()


def ntry(amount, day, svcr=None, e2e=None, debit=False, reversal=False, payer=None,
         info=None):
    """One booked entry; the bank's own id (AcctSvcrRef) when svcr is given."""
    tx = ""
    if e2e or payer:
        tx = "<NtryDtls><TxDtls>%s%s</TxDtls></NtryDtls>" % (
            "<Refs><EndToEndId>%s</EndToEndId></Refs>" % e2e if e2e else "",
            "<RltdPties><Dbtr><Nm>%s</Nm></Dbtr></RltdPties>" % payer if payer else "")
    return ('<Ntry><Amt Ccy="PEN">%s</Amt><CdtDbtInd>%s</CdtDbtInd>%s<Sts>BOOK</Sts>'
            '<BookgDt><Dt>%s</Dt></BookgDt>%s%s%s</Ntry>') % (
        amount, "DBIT" if debit else "CRDT",
        "<RvslInd>true</RvslInd>" if reversal else "", day,
        "<AcctSvcrRef>%s</AcctSvcrRef>" % svcr if svcr else "", tx,
        "<AddtlNtryInf>%s</AddtlNtryInf>" % info if info else "")


def test_accounts_are_validated(stack, accounts):
    assert accounts["BBVA"]["numberKind"] == "account"
    assert accounts["BI-GTQ"]["numberKind"] == "iban"
    assert accounts["BCP-SOLES"]["bankCode"] == "BCP"  # the registry's spelling
    bad = {"bankAccountId": "x y", "bankCode": "NOPE", "number": "GT83TRAJ01020000001210029690",
           "currency": "XXX"}
    r = stack.request("POST", "/api/bank-accounts", role="admin", json=bad)
    assert r.status_code == 422 and r.headers["Content-Type"].startswith("application/problem+json")
    errors = {e["pointer"]: e["code"] for e in r.json()["errors"]}
    assert errors == {"#/bankAccountId": "invalid", "#/bankCode": "not_found",
                      "#/number": "invalid", "#/currency": "not_allowed"}
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "MX", "bankCode": "BANORTE", "number": "002180700123456789",
        "numberKind": "clabe", "currency": "MXN"})
    assert r.status_code == 422 and "CLABE" in r.text
    # Taken: the id, or the number in that currency.
    r = stack.request("POST", "/api/bank-accounts", role="admin", json=ACCOUNTS[0])
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "#/bankAccountId"
    again = dict(ACCOUNTS[0], bankAccountId="OTHER")
    r = stack.request("POST", "/api/bank-accounts", role="admin", json=again)
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "#/number"
    # Clients read them (to name the account they paid into), never create.
    assert stack.request("POST", "/api/bank-accounts", role="client",
                         json=ACCOUNTS[0]).status_code == 403
    listing = stack.get("/api/bank-accounts", role="client").json()["bankAccounts"]
    assert {"BBVA", "BI-GTQ"} <= {a["bankAccountId"] for a in listing}
    one = stack.get("/api/bank-accounts/%d" % accounts["BBVA"]["id"], role="reviewer")
    assert one.status_code == 200 and one.headers["ETag"] == '"v1"'
    r = stack.request("PATCH", "/api/bank-accounts/%d" % accounts["BBVA"]["id"],
                      role="admin", json={"number": "1"})
    assert r.status_code == 422
    # A stale If-Match: 412, nothing changed; the current one: 200, v2.
    url = "/api/bank-accounts/%d" % accounts["BBVA"]["id"]
    r = stack.request("PATCH", url, role="admin", headers={"If-Match": '"v9"'},
                      json={"holder": "Otro"})
    assert r.status_code == 412 and "version 1" in r.json()["detail"]
    r = stack.request("PATCH", url, role="admin", headers={"If-Match": '"v1"'},
                      json={"holder": "Comprobar S.A.C."})
    assert r.status_code == 200 and r.headers["ETag"] == '"v2"', r.text


def test_camt_import_reports_and_is_idempotent(stack, accounts):
    got = imported(stack, "camt053-v02.xml")
    assert got["status"] == "done", got
    rep = got["report"]
    assert rep["format"] == "camt"
    st = rep["statements"][0]
    assert st["bankAccountId"] == "BBVA" and st["reference"] == "BBVA-PE-0011-2026-062"
    assert (st["new"], st["known"], st["rejected"]) == (6, 0, 2)
    assert st["balanced"] is True and st["gap"] == "0"
    assert rep["rejected"] == 2 and len(rep["rejections"]) == 2
    assert "line" in rep["rejections"][0]["where"]
    n = movements(stack, accounts["BBVA"]["id"])
    headers = stack.sql("SELECT COUNT(*) FROM comprobar.bank_statements").strip()
    # The same file again is the earlier import: no second statement.
    r = upload(stack, "camt053-v02.xml")
    assert r.status_code == 200 and r.json()["sameFile"] is True, r.text
    assert r.json()["import"]["importId"] == got["importId"]
    assert r.headers["Location"] == "/api/bank-statements/%d" % got["importId"]
    assert stack.sql("SELECT COUNT(*) FROM comprobar.bank_statements").strip() == headers
    # The same statement in another file adds no movement.
    with open(os.path.join(BANK, "camt053-v02.xml"), "rb") as f:
        again = imported(stack, "camt053-v02-copy.xml", f.read() + b"\n")
    again = again["report"]["statements"][0]
    assert (again["new"], again["known"]) == (0, 6)
    assert movements(stack, accounts["BBVA"]["id"]) == n
    row = stack.sql("SELECT amount, amount_minor, credit, svcr_ref, party_name FROM"
                    " comprobar.bank_movements WHERE svcr_ref = '00010696'").split("\t")
    assert row[0] == "123.300000000" and row[1] == "12330" and row[2] == "1"
    assert row[4].strip() == "Juan Pérez Aguilar"


def test_identical_movements_on_one_day_both_stay(stack, accounts):
    entry = ntry("10.00", "2026-03-05")
    got = imported(stack, "twins.xml", camt("TWINS", BBVA_NUMBER, [entry] * 2))
    assert got["report"]["statements"][0]["new"] == 2
    # A later statement with three of them: only the third is new.
    got = imported(stack, "twins3.xml", camt("TWINS", BBVA_NUMBER, [entry] * 3))
    st = got["report"]["statements"][0]
    assert (st["new"], st["known"]) == (1, 2)
    assert st["balanced"] is None  # no balances given


def test_mt940_with_fin_framing(stack, accounts):
    got = imported(stack, "mt940-fin.sta")
    assert got["status"] == "done", got
    rep = got["report"]
    assert rep["format"] == "mt940" and len(rep["statements"]) == 2
    a, b = rep["statements"]
    assert a["bankAccountId"] == "BCP-SOLES" and a["new"] == 5 and a["rejected"] == 0
    # Feb 30 taken as the month's last day, and said.
    assert any("last day" in w["why"] for w in rep["warnings"]), rep
    assert a["balanced"] is True and b["balanced"] is True and b["new"] == 1
    day = stack.sql("SELECT booking_date, value_date FROM comprobar.bank_movements"
                    " WHERE account_id = %d AND tx_id = 'REF-YEAR'"
                    % accounts["BCP-SOLES"]["id"]).split()
    assert day == ["2026-01-02", "2025-12-31"]


def test_camt_envelope_dates_are_local_days(stack, accounts):
    got = imported(stack, "camt053-v08-envelope.xml")
    st = got["report"]["statements"][0]
    assert st["bankAccountId"] == "BI-GTQ" and st["new"] == 2 and st["balanced"] is True
    day = stack.sql("SELECT booking_date, status FROM comprobar.bank_movements"
                    " WHERE svcr_ref = 'GT-44521'").split()
    # 05:30Z on the 4th: the bank's own day, not the server's (Guatemala's
    # 23:30 on the 3rd).
    assert day == ["2026-03-04", "booked"]


def mt940(stmt, account, ccy, opening, closing, lines):
    return (":20:%s\r\n:25:%s\r\n:28C:1/1\r\n:60F:C260302%s%s\r\n%s:62F:C260303%s%s\r\n-"
            % (stmt, account, ccy, opening, "".join(lines), ccy, closing)).encode()


def test_a_reference_two_lines_share_keeps_both_and_says_so(stack, accounts):
    """An MT940 credit and a debit that carry one bank reference are two
    movements (before, the second was counted as known and dropped); the
    report names the conflict; the statement again adds nothing."""
    acct = "BCPLPEPL/191-0123456-0-01"
    lines = [":61:2603030303C3000,00NTRFNONREF//55555\r\n:86:ABONO\r\n",
             ":61:2603030303D800,00NTRFNONREF//55555\r\n:86:CARGO\r\n",
             ":61:2603030303C3000,00NTRFNONREF//55556\r\n",
             ":61:2603030303C3000,00NTRFNONREF//55556\r\n"]
    data = mt940("SHARED1", acct, "PEN", "100,00", "8300,00", lines)
    got = imported(stack, "shared.sta", data)
    assert got["status"] == "done", got
    st = got["report"]["statements"][0]
    assert (st["new"], st["known"], st["balanced"]) == (4, 0, True), got["report"]
    conflicts = got["report"]["conflicts"]
    assert [c["reference"] for c in conflicts] == ["55555"], conflicts
    rows = stack.sql("SELECT credit, amount FROM comprobar.bank_movements WHERE"
                     " account_id = %d AND svcr_ref = '55555' ORDER BY id"
                     % accounts["BCP-SOLES"]["id"]).split("\n")
    assert [r.split("\t") for r in rows if r] == [["1", "3000.000000000"],
                                                   ["0", "800.000000000"]]
    # sql/015 gives rows stored before it the key the import computes now:
    # its formula, run on these rows, gives the keys they were stored with.
    wrong = stack.sql(
        "SELECT COUNT(*) FROM comprobar.bank_movements m JOIN (SELECT id,"
        " ROW_NUMBER() OVER (PARTITION BY statement_id, svcr_ref, credit, amount,"
        " booking_date, value_date, reversal ORDER BY id) - 1 AS occ FROM"
        " comprobar.bank_movements WHERE svcr_ref IS NOT NULL) t ON t.id = m.id"
        " WHERE m.dedup_key <> CONVERT(SHA2(CONCAT('ref|', m.svcr_ref, '|',"
        " IF(m.credit, 'C', 'D'), '|', TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM"
        " m.amount)), '|', m.booking_date, '|', COALESCE(m.value_date, ''), '|',"
        " IF(m.reversal, 'R', ''), '|#', t.occ), 256) USING ascii)"
        " COLLATE ascii_bin").strip()
    assert wrong == "0", wrong
    # The same statement in another file (another :20: spelling of the
    # envelope) adds nothing; a later one whose line reuses the reference
    # with another amount is kept and reported.
    again = imported(stack, "shared-again.sta", data + b"\r\n")
    st = again["report"]["statements"][0]
    assert (st["new"], st["known"]) == (0, 4), again["report"]
    later = mt940("SHARED2", acct, "PEN", "8300,00", "8310,00",
                  [":61:2603040304C10,00NTRFNONREF//55556\r\n"])
    got = imported(stack, "shared-later.sta", later)
    st = got["report"]["statements"][0]
    assert st["new"] == 1 and st["balanced"] is True
    assert {c["reference"] for c in got["report"]["conflicts"]} == {"55556"}


def test_what_was_imported_is_visible(stack, accounts):
    """GET /api/bank-statements/{id}/movements and
    /api/bank-accounts/{id}/movements: every field read and the text it
    came from; filters; keyset pages; staff only; 404 for what is not."""
    acct = "BCPLPEPL/191-0123456-0-01"
    lines = [":61:2604010401C70,00NTRFNONREF//VIS-1\r\n"
             ":86:/EREF/E2E-VIS/CNTP/PE12345/BCPLPEPL/Maria Quispe/LIMA/REMI/USTD//FACT 9/\r\n",
             ":61:2604020402D5,50NMSCCOMISION//VIS-2\r\n:86:COMISION\r\n",
             ":61:2604030403C12,00NTRFNONREF//VIS-3\r\n:86:DEPOSITO CAJERO\r\n"]
    got = imported(stack, "visible.sta", mt940("VISIBLE", acct, "PEN", "0,00", "76,50",
                                                 lines))
    assert got["status"] == "done", got
    url = "/api/bank-statements/%d/movements" % got["importId"]
    r = stack.get(url, role="reviewer")
    assert r.status_code == 200, r.text
    mv = r.json()["movements"]
    assert [m["bankReference"] for m in mv] == ["VIS-3", "VIS-2", "VIS-1"]  # newest first
    first = mv[2]
    assert first["amount"] == 70.0 and first["currency"] == "PEN"
    assert first["direction"] == "credit" and first["bookingDate"] == "2026-04-01"
    assert first["endToEndId"] == "E2E-VIS" and first["information"] == "FACT 9"
    assert first["party"] == {"name": "Maria Quispe", "id": None, "account": "PE12345"}
    assert first["raw"].startswith(":61:2604010401C70,00NTRF") and "\n:86:/EREF/" in first["raw"]
    assert first["paymentId"] is None
    # Filters.
    def refs(query, role="reviewer"):
        r = stack.get(url + query, role=role)
        assert r.status_code == 200, r.text
        return [m["bankReference"] for m in r.json()["movements"]]
    assert refs("?direction=debit") == ["VIS-2"]
    assert refs("?from=2026-04-02&to=2026-04-02") == ["VIS-2"]
    assert refs("?q=Quispe") == ["VIS-1"]
    assert refs("?q=cajero") == ["VIS-3"]  # any case
    assert refs("?matched=true") == []
    # Keyset pages.
    r = stack.get(url + "?limit=2", role="reviewer").json()
    assert len(r["movements"]) == 2 and r["nextCursor"]
    r2 = stack.get(url + "?limit=2&cursor=" + r["nextCursor"], role="reviewer").json()
    assert [m["bankReference"] for m in r2["movements"]] == ["VIS-1"]
    assert r2["nextCursor"] is None
    # By account: the same movements among the account's others.
    aurl = "/api/bank-accounts/%d/movements" % accounts["BCP-SOLES"]["id"]
    r = stack.get(aurl + "?q=VIS-", role="admin")
    assert r.status_code == 200 and len(r.json()["movements"]) == 3
    # Bad filters named; clients see none of it; unknown ids are 404.
    r = stack.get(url + "?direction=up&from=ayer&q=5%25", role="reviewer")
    assert r.status_code == 422
    assert {e["pointer"] for e in r.json()["errors"]} == {"#/direction", "#/from", "#/q"}
    assert stack.get(url, role="client").status_code == 403
    assert stack.get("/api/bank-statements/999999/movements", role="admin").status_code == 404
    assert stack.get("/api/bank-accounts/999999/movements", role="admin").status_code == 404


def test_review_pages_show_an_import_and_what_each_movement_matched(stack, accounts):
    from test_payments import new_customer
    from test_web import login
    pid = validated_payment(stack, new_customer(stack), "733.00", "2026-04-16", ref="7331",
                            account="BBVA")
    doc = camt("PAGES-1", BBVA_NUMBER, [
        ntry("733.00", "2026-04-16", "0007331"),
        ntry("9.99", "2026-04-16", "PG-2", payer="&lt;b&gt;Ana&lt;/b&gt; &amp; Cía")])
    got = imported(stack, "pages<1>.xml", doc)
    assert got["status"] == "done", got
    assert payment(stack, pid)["status"] == "conciliado"
    s, r = login(stack)
    assert r.status_code == 303
    r = s.get(stack.url + "/bank", timeout=30)
    assert r.status_code == 200 and "/bank/imports/%d" % got["importId"] in r.text
    assert "pages&lt;1&gt;.xml" in r.text  # escaped
    r = s.get(stack.url + "/bank/imports/%d" % got["importId"], timeout=30)
    assert r.status_code == 200, r.text
    assert 'href="/payments/%d"' % pid in r.text  # what the movement matched
    assert "&lt;b&gt;Ana&lt;/b&gt; &amp; Cía" in r.text and "<b>Ana" not in r.text
    assert "PAGES-1" in r.text and "733.00 PEN" in r.text
    # The same as JSON for scripts; an unknown import is 404; clients have
    # no session here.
    m = s.get(stack.url + "/bank/imports/%d" % got["importId"], timeout=30,
              headers={"Accept": "application/json"}).json()
    assert {mv["reference"] for mv in m["movements"]} == {"0007331", "PG-2"}
    assert s.get(stack.url + "/bank/imports/999999", timeout=30).status_code == 404
    r = requests.get(stack.url + "/bank", timeout=30, allow_redirects=False)
    assert r.status_code in (302, 303) and "/login" in r.headers["Location"]


def test_every_iso_currency_with_its_own_minor_unit(stack, accounts):
    def account(pub, number, ccy):
        return stack.request("POST", "/api/bank-accounts", role="admin", json={
            "bankAccountId": pub, "bankCode": "BI", "number": number, "currency": ccy})
    for pub, ccy in (("CH-CHF", "CHF"), ("SE-SEK", "SEK"), ("HU-HUF", "HUF"),
                     ("DE-DEM", "DEM")):
        r = account(pub, "CH93 0076 2011 6238 5295 7" if pub == "CH-CHF" else
                    "NUM-" + pub, ccy)
        assert r.status_code == 201, r.text
    r = account("GOLD", "NUM-GOLD", "XAU")
    assert r.status_code == 422 and "no minor unit" in r.text
    r = account("NOPE", "NUM-NOPE", "ABC")
    assert r.status_code == 422 and "not an ISO 4217" in r.text
    # A closing balance in another currency is reported, not taken.
    doc = (b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:'
           b'camt.053.001.02"><BkToCstmrStmt><Stmt><Id>CHF-1</Id><Acct><Id><IBAN>'
           b'CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>'
           b'<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CHF">10.00</Amt>'
           b'<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>'
           b'<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="SEK">99.00</Amt>'
           b'<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-03</Dt></Dt></Bal>'
           b'<Ntry><Amt Ccy="CHF">5.05</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>'
           b'<BookgDt><Dt>2026-03-03</Dt></BookgDt><AcctSvcrRef>CH-1</AcctSvcrRef></Ntry>'
           b'</Stmt></BkToCstmrStmt></Document>')
    got = imported(stack, "chf.xml", doc)
    st = got["report"]["statements"][0]
    assert st["bankAccountId"] == "CH-CHF" and st["new"] == 1, got
    assert "closing" not in st and st["balanced"] is None
    assert "SEK" in got["report"]["warnings"][0]["why"]
    # Payments: each currency's own decimals; withdrawn codes refused.
    from test_payments import new_customer
    customer = new_customer(stack)

    def pay(ccy, amount):
        return stack.request("POST", "/api/payments", role="client", json={
            "customerId": customer, "amount": amount, "currency": ccy, "paymentMethod":
            "transferencia", "reference": "ISO-" + ccy + str(amount)})
    for ccy, ok, bad in (("JPY", "1500", "1500.5"), ("KWD", "1.125", "1.1255"),
                         ("CLF", "2.5001", "2.50001"), ("CHF", "10.05", "10.055")):
        r = pay(ccy, ok)
        assert r.status_code == 201, (ccy, r.text)
        # Printed with the currency's own decimals, exactly.
        amount = json.loads(r.text, parse_float=str, parse_int=str)["payment"]["amount"]
        assert amount == ok, (ccy, amount)
        r = pay(ccy, bad)
        assert r.status_code == 422 and "amount" in r.text, (ccy, r.text)
    r = pay("DEM", "10.00")
    assert r.status_code == 422 and "withdrawn" in r.text, r.text


def test_unknown_account_and_inactive_account_are_reported(stack, accounts):
    got = imported(stack, "camt054.xml")
    st = got["report"]["statements"][0]
    assert got["status"] == "done" and "not a registered bank account" in st["error"]
    assert st["new"] == 0 and got["report"]["rejected"] == 1
    r = stack.request("PATCH", "/api/bank-accounts/%d" % accounts["BBVA-USD"]["id"],
                      role="admin", json={"active": False})
    assert r.status_code == 200 and r.json()["bankAccount"]["active"] is False
    got = imported(stack, "mt940-bare.sta")
    assert "not active" in got["report"]["statements"][0]["error"]


def test_hostile_or_foreign_files_write_nothing(stack, accounts):
    before = stack.sql("SELECT COUNT(*) FROM comprobar.bank_statements").strip()
    got = imported(stack, "hostile-xxe.xml")
    assert got["status"] == "failed" and "DOCTYPE" in got["error"]
    got = imported(stack, "hostile-laughs.xml")
    assert got["status"] == "failed"
    # Broken half way: the statements before the break are not kept either.
    with open(os.path.join(BANK, "camt053-v02.xml"), "rb") as f:
        broken = f.read().replace(b"</Stmt>", b"</Stmt><Stmt><Id>X</Id><Ntry>", 1)
    got = imported(stack, "broken.xml", broken)
    assert got["status"] == "failed" and "line" in got["error"]
    assert stack.sql("SELECT COUNT(*) FROM comprobar.bank_statements").strip() == before
    r = upload(stack, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unsupported_format"
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"other": ("a.sta", b":20:X\n")}, timeout=30)
    assert r.status_code == 422
    assert {e["pointer"] for e in r.json()["errors"]} == {"#/other", "#/file"}
    assert upload(stack, "x.sta", b":20:X\n").status_code == 202
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("client"),
                      files={"file": ("a.sta", b":20:X\n")}, timeout=30)
    assert r.status_code == 403


def test_cli_import(stack, accounts):
    stack.request("PATCH", "/api/bank-accounts/%d" % accounts["BBVA-USD"]["id"],
                  role="admin", json={"active": True})
    r = stack.ctl("import-statement", os.path.join(BANK, "mt940-bare.sta"))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["new"] == 1
    r = stack.ctl("import-statement", os.path.join(BANK, "hostile-xxe.xml"))
    assert r.returncode == 65 and "DOCTYPE" in r.stderr
    r = stack.ctl("import-statement", "/nonexistent.sta")
    assert r.returncode == 65
    # The imports are recorded as the API's are.
    assert "failed" in stack.sql("SELECT status FROM comprobar.bank_imports"
                                 " WHERE file_name = 'hostile-xxe.xml'")


def validated_payment(stack, customer, amount, day, ref=None, account=None):
    body = {"customerId": customer, "amount": amount, "currency": "PEN",
            "paymentMethod": "transferencia", "bankCode": "BBVA_PE",
            "transactionDate": day}
    if ref:
        body["reference"] = ref
    if account:
        body["bankAccountId"] = account
    r = stack.request("POST", "/api/payments", role="client", json=body)
    assert r.status_code == 201, r.text
    pid = r.json()["payment"]["paymentId"]
    r = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                      json={"status": "validado"})
    assert r.status_code == 200, r.text
    return pid


def test_matching_reconciles_and_sends_ambiguity_to_review(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack, name="Juan Pérez Aguilar")
    # Seed 002: the voucher says 77123, the bank 00077123, a day later.
    clear = validated_payment(stack, c, "250.00", "2026-03-09", ref="77123",
                              account="BBVA")
    twin_a = validated_payment(stack, c, "500.00", "2026-03-11")
    twin_b = validated_payment(stack, c, "500.00", "2026-03-11")
    doc = camt("MATCH-1", BBVA_NUMBER, [
        ntry("250.00", "2026-03-10", "00077123", info="DEP"),
        ntry("500.00", "2026-03-11", "X-500-1", info="DEP"),
        ntry("500.00", "2026-03-11", "X-500-2", info="DEP")])
    got = imported(stack, "match.xml", doc)
    assert got["status"] == "done" and got["report"]["new"] == 3
    # The pass after the import has run when the import reads done.
    p = stack.get("/api/payments/%d" % clear, role="admin").json()["payment"]
    assert p["status"] == "conciliado", p
    assert p["transactionDate"] == "2026-03-10"  # the bank's day wins
    assert p["bankAccountId"] == "BBVA" and p["bankOperationNumber"] == "00077123"
    ev = stack.get("/api/payments/%d/history" % clear, role="admin").json()["events"][-1]
    assert (ev["fromStatus"], ev["toStatus"]) == ("validado", "conciliado")
    assert ev["actor"]["type"] == "system"
    assert ev["changes"]["transactionDate"] == {"old": "2026-03-09", "new": "2026-03-10"}
    assert ev["changes"]["bankOperationNumber"]["new"] == "00077123"
    tied = stack.sql("SELECT payment_id FROM comprobar.bank_movements WHERE"
                     " svcr_ref = '00077123'").strip()
    assert tied == str(clear)
    # Two equal vouchers, two equal deposits: a person decides.
    for pid in (twin_a, twin_b):
        p = stack.get("/api/payments/%d" % pid, role="admin").json()["payment"]
        assert p["status"] == "validado" and p["requiresManualReview"], p
        assert p["reviewReason"].startswith("bank match ambiguous"), p
    kinds = stack.sql("SELECT review_kind FROM comprobar.payments WHERE id IN (%d, %d)"
                      % (twin_a, twin_b)).split()
    assert kinds == ["bank_match", "bank_match"]


def test_a_payment_names_a_registered_account(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack)
    base = {"customerId": c, "amount": "10.00", "currency": "PEN",
            "paymentMethod": "deposito"}
    for account, code in (("NOPE", "not_found"), ("BI-GTQ", "currency_mismatch"),
                          ("x" * 65, "invalid")):
        r = stack.request("POST", "/api/payments", role="client",
                          json=dict(base, bankAccountId=account))
        assert r.status_code == 422, r.text
        assert {"pointer": "#/bankAccountId", "code": code} == {
            k: r.json()["errors"][0][k] for k in ("pointer", "code")}
    r = stack.request("POST", "/api/payments", role="client",
                      json=dict(base, bankAccountId="BCP-SOLES"))
    assert r.status_code == 201 and r.json()["payment"]["bankAccountId"] == "BCP-SOLES"
    # A correction may move it to another account, and says so.
    pid = r.json()["payment"]["paymentId"]
    r = stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                      json={"bankAccountId": "BBVA"})
    assert r.status_code == 200 and r.json()["payment"]["bankAccountId"] == "BBVA"
    ev = stack.get("/api/payments/%d/history" % pid, role="admin").json()["events"][-1]
    assert ev["changes"]["bankAccountId"] == {"old": "BCP-SOLES", "new": "BBVA"}


def test_csv_by_its_bank_profile(stack, accounts):
    with open(os.path.join(BANK, "bcp-latin1.csv"), "rb") as f:
        data = f.read()
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("movimientos.csv", data), "profile": (None, "bcp-pe")},
                      timeout=60)
    assert r.status_code == 202, r.text
    loc = r.headers["Location"]
    end = time.time() + 60
    while time.time() < end:
        got = stack.get(loc, role="admin").json()["import"]
        if got["status"] in ("done", "failed"):
            break
        time.sleep(0.2)
    assert got["status"] == "done", got
    st = got["report"]["statements"][0]
    assert got["report"]["format"] == "csv" and st["bankAccountId"] == "BCP-SOLES"
    assert (st["new"], st["rejected"]) == (3, 1) and st["balanced"] is True
    assert "line 6" in got["report"]["rejections"][0]["where"]
    info = stack.sql("SELECT info FROM comprobar.bank_movements WHERE tx_id = '00020698'")
    assert info.strip() == "TRANSF. DE JOSÉ NÚÑEZ"
    # Without its profile a CSV is no statement; an unknown profile is named.
    r = upload(stack, "movimientos.csv", data)
    assert r.status_code == 422 and "profile" in r.text
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("m.csv", data), "profile": (None, "../../etc/x")},
                      timeout=30)
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "#/profile"
    # The command line reads it too (nothing new: already imported).
    r = stack.ctl("import-statement", os.path.join(BANK, "bcp-latin1.csv"),
                  "--profile", "bcp-pe")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["known"] == 3


ING_CSV = (b'"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij",'
           b'"Bedrag (EUR)","Mutatiesoort","Mededelingen"\r\n'
           b'"20191213","Albert Heijn","NL99INGB9999999999","","BA","Af","1,25",'
           b'"Betaalautomaat","Pasvolgnr:001"\r\n'
           b'"20191214","J. de Vries","NL99INGB9999999999","NL12RABO0123456789","OV","Bij",'
           b'"1.234,56","Overschrijving","Factuur 2019-77"\r\n')


def test_a_client_describes_its_banks_csv_and_previews_it(stack, accounts):
    """/api/bank-statement-profiles: a comma-separated file with quoted
    decimal-comma amounts (not describable before: 'decimal mark clashes');
    the preview shows the movements before anything is stored."""
    prof = {"name": "ing-nl", "separator": ",", "decimal": ",", "thousands": ".",
            "dateFormat": "%Y%m%d", "amount": "dc_column", "dcCredit": "Bij",
            "dateColumn": 1, "partyColumn": 2, "dcColumn": 6, "amountColumn": 7,
            "descriptionColumn": 9, "skipHeader": 1, "account": "NL99INGB9999999999",
            "currency": "EUR"}
    r = stack.request("POST", "/api/bank-statement-profiles", role="admin", json=prof)
    assert r.status_code == 201, r.text
    assert r.headers["Location"] == "/api/bank-statement-profiles/ing-nl"
    assert r.json()["profile"]["dcColumn"] == 6 and r.json()["profile"]["decimal"] == ","
    # Refused with the member named; a line break cannot add a key.
    for bad, pointer in ((dict(prof, name="ing-nl"), "#/name"),
                         (dict(prof, name="x2", thousands=","), "#/thousands"),
                         (dict(prof, name="x3", amount="signed", amountColumn=None),
                          "#/amountColumn"),
                         (dict(prof, name="x4", account="X\ncurrency = USD"), "#/account"),
                         (dict(prof, name="Bad Name"), "#/name")):
        r = stack.request("POST", "/api/bank-statement-profiles", role="admin", json=bad)
        assert r.status_code == 422, (bad, r.text)
        assert pointer in {e["pointer"] for e in r.json()["errors"]}, (pointer, r.text)
    assert stack.request("POST", "/api/bank-statement-profiles", role="client",
                         json=dict(prof, name="mine")).status_code == 403
    assert [p["name"] for p in stack.get("/api/bank-statement-profiles",
                                         role="reviewer").json()["profiles"]] == ["ing-nl"]
    # The preview: read now, nothing stored.
    before = stack.sql("SELECT COUNT(*) FROM comprobar.bank_imports").strip()
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("ing.csv", ING_CSV), "profile": (None, "ing-nl"),
                             "dry_run": (None, "true")}, timeout=60)
    assert r.status_code == 200, r.text
    pv = r.json()["preview"]
    assert pv["format"] == "csv" and pv["entries"] == 2 and not pv["rejections"], pv
    a, b = pv["movements"]
    assert (a["amount"], a["direction"], a["bookingDate"]) == ("1.25", "debit", "2019-12-13")
    assert (b["amount"], b["direction"], b["party"]["name"]) == ("1234.56", "credit",
                                                                 "J. de Vries")
    assert b["information"] == "Factuur 2019-77"
    assert stack.sql("SELECT COUNT(*) FROM comprobar.bank_imports").strip() == before
    # Said nothing of separator, marks or dates: told from the file, and said.
    auto = {k: v for k, v in prof.items()
            if k not in ("separator", "decimal", "thousands", "dateFormat")}
    r = stack.request("POST", "/api/bank-statement-profiles", role="admin",
                      json=dict(auto, name="ing-auto"))
    assert r.status_code == 201, r.text
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("ing.csv", ING_CSV), "profile": (None, "ing-auto"),
                             "dry_run": (None, "true")}, timeout=60)
    assert r.status_code == 200, r.text
    told = r.json()["preview"]
    assert [(m["amount"], m["bookingDate"]) for m in told["movements"]] == [
        ("1.25", "2019-12-13"), ("1234.56", "2019-12-14")], told
    assert "told from the file" in told["warnings"][0]["why"], told["warnings"]
    # A camt previews too; a zip does not (it names the rule).
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("c.xml", open(os.path.join(BANK, "camt053-v02.xml"),
                                                    "rb").read()),
                             "dry_run": (None, "true")}, timeout=60)
    assert r.status_code == 200 and r.json()["preview"]["format"] == "camt", r.text
    # Imported for real by the profile once its account is registered.
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "ING-NL", "bankCode": "BI", "number": "NL99INGB9999999999",
        "numberKind": "account", "currency": "EUR"})
    assert r.status_code == 201, r.text
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("ing.csv", ING_CSV), "profile": (None, "ing-nl")},
                      timeout=60)
    got = finished(stack, r)
    assert got["status"] == "done" and got["report"]["new"] == 2, got
    assert stack.request("DELETE", "/api/bank-statement-profiles/ing-nl",
                         role="admin").status_code == 204
    assert stack.get("/api/bank-statement-profiles/ing-nl", role="admin").status_code == 404


def cartola_xlsx():
    """A Banco de Chile-like cartola as an XLSX: details on top, the header
    row in the middle of the sheet, Excel day serials and numbers."""
    import io
    import zipfile
    ss = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    strings = ["Cuenta:", "000555123451", "Fecha", "Descripción", "Canal",
               "Cargos (CLP)", "Abonos (CLP)", "Saldo (CLP)", "Traspaso de: Ana Pérez",
               "Internet", "Comisión", "Total"]
    sst = "<sst xmlns=\"%s\">%s</sst>" % (ss, "".join(
        "<si><t>%s</t></si>" % t for t in strings))

    def c(ref, v, t=None):
        return ('<c r="%s" t="s"><v>%d</v></c>' % (ref, strings.index(v)) if t == "s"
                else '<c r="%s"><v>%s</v></c>' % (ref, v))
    rows = [
        (2, c("B2", "Cuenta:", "s") + c("C2", "000555123451", "s")),
        (9, "".join(c("%s9" % col, v, "s") for col, v in zip(
            "BCDEFG", strings[2:8]))),
        (10, c("B10", 46084) + c("C10", "Traspaso de: Ana Pérez", "s") +
         c("D10", "Internet", "s") + c("F10", 250000) + c("G10", 1250000)),
        (11, c("B11", 46085) + c("C11", "Comisión", "s") + c("E11", 1500) +
         c("G11", 1248500)),
        (13, c("B13", "Total", "s")),
    ]
    sheet = '<worksheet xmlns="%s"><sheetData>%s</sheetData></worksheet>' % (
        ss, "".join('<row r="%d">%s</row>' % r for r in rows))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def test_a_banks_workbook_read_by_column_names(stack, accounts):
    """An XLSX named .xls (what Banco de Chile sends), described by a
    profile whose columns are the header's names: refused without a
    profile (naming it), previewed, imported; the rows above the header
    and the footer said, never dropped silently."""
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "BCH-CLP", "bankCode": "BI", "number": "000555123451",
        "numberKind": "account", "currency": "CLP"})
    assert r.status_code == 201, r.text
    prof = {"name": "bch-cartola", "amount": "debit_credit", "dateColumn": "Fecha",
            "descriptionColumn": ["Descripción", "Canal"],
            "debitColumn": "Cargos (CLP)", "creditColumn": "Abonos (CLP)",
            "balanceColumn": "Saldo (CLP)", "account": "000555123451", "currency": "CLP"}
    r = stack.request("POST", "/api/bank-statement-profiles", role="admin", json=prof)
    assert r.status_code == 201, r.text
    got = r.json()["profile"]
    assert got["dateColumn"] == "Fecha" and got["descriptionColumn"] == [
        "Descripción", "Canal"], got
    for bad, pointer in ((dict(prof, name="b1", dateColumn=0), "#/dateColumn"),
                         (dict(prof, name="b2", dateColumn={"a": 1}), "#/dateColumn"),
                         (dict(prof, name="b3", debitColumn=["Cargos", "x"]),
                          "#/debitColumn"),
                         (dict(prof, name="b4", creditColumn="A | B"), "#/creditColumn")):
        r = stack.request("POST", "/api/bank-statement-profiles", role="admin", json=bad)
        assert r.status_code == 422, (bad, r.text)
        assert pointer in {e["pointer"] for e in r.json()["errors"]}, (pointer, r.text)
    book = cartola_xlsx()
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("cartola.xls", book)}, timeout=60)
    assert r.status_code == 422, r.text
    assert "#/profile" in {e["pointer"] for e in r.json()["errors"]}, r.text
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("cartola.xls", book), "profile": (None, "bch-cartola"),
                             "dry_run": (None, "true")}, timeout=60)
    assert r.status_code == 200, r.text
    pv = r.json()["preview"]
    assert pv["format"] == "xlsx" and pv["entries"] == 2, pv
    assert [(m["amount"], m["direction"], m["bookingDate"]) for m in pv["movements"]] == [
        ("250000", "credit", "2026-03-03"), ("1500", "debit", "2026-03-04")], pv
    assert any("lines 2 to 2 before the header row" in w["why"] for w in pv["warnings"]), pv
    assert [x["where"] for x in pv["rejections"]] == ["line 13"], pv
    r = requests.post(stack.url + "/api/bank-statements", headers=stack.auth("admin"),
                      files={"file": ("cartola.xls", book), "profile": (None, "bch-cartola")},
                      timeout=60)
    got = finished(stack, r)
    assert got["status"] == "done", got
    rep = got["report"]
    assert rep["format"] == "xlsx" and rep["new"] == 2 and rep["rejected"] == 1, rep
    st = rep["statements"][0]
    assert (st["opening"], st["closing"], st["currency"]) == ("1000000", "1248500", "CLP"), st
    mvs = stack.get("/api/bank-statements/%d/movements" % got["importId"],
                    role="admin").json()["movements"]
    assert {m["information"] for m in mvs} == {"Traspaso de: Ana Pérez Internet",
                                               "Comisión"}, mvs


def test_manual_match_with_candidates(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack)
    pid = validated_payment(stack, c, "321.00", "2026-03-16", account="BBVA")
    other = validated_payment(stack, c, "321.00", "2026-03-16", account="BBVA")
    doc = camt("MANUAL-1", BBVA_NUMBER, [ntry("321.00", "2026-03-16", "MAN-A"),
                                         ntry("321.00", "2026-03-17", "MAN-B")])
    assert imported(stack, "manual.xml", doc)["status"] == "done"
    # Two vouchers, two deposits, nothing to tell them apart: review.
    assert stack.get("/api/payments/%d" % pid, role="admin").json()["payment"][
        "status"] == "validado"
    r = stack.get("/api/payments/%d/bank-candidates" % pid, role="reviewer")
    assert r.status_code == 200, r.text
    cands = r.json()["candidates"]
    assert r.json()["decision"] == "review" and len(cands) == 2
    assert cands[0]["score"] >= cands[1]["score"]
    assert "amount_exact" in cands[0]["why"] and cands[0]["amount"] == "321.00"
    mb = int(stack.sql("SELECT id FROM comprobar.bank_movements WHERE svcr_ref = 'MAN-B'"))
    r = stack.request("POST", "/api/payments/%d/bank-match" % pid, role="reviewer",
                      json={"movementId": mb})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "conciliado" and r.json()["bankOperationNumber"] == "MAN-B"
    ev = stack.get("/api/payments/%d/history" % pid, role="admin").json()["events"][-1]
    assert ev["actor"]["type"] == "api_key" and "by hand" in ev["reason"]
    assert ev["changes"]["transactionDate"] == {"old": "2026-03-16", "new": "2026-03-17"}
    # The movement is taken; the payment is no longer validado.
    r = stack.request("POST", "/api/payments/%d/bank-match" % other, role="reviewer",
                      json={"movementId": mb})
    assert r.status_code == 409 and r.json()["type"].endswith("movement-unavailable")
    r = stack.request("POST", "/api/payments/%d/bank-match" % pid, role="admin",
                      json={"movementId": mb})
    assert r.status_code == 409
    r = stack.request("POST", "/api/payments/%d/bank-match" % other, role="client",
                      json={"movementId": mb})
    assert r.status_code == 403
    r = stack.request("POST", "/api/payments/%d/bank-match" % other, role="admin",
                      json={"movementId": "x"})
    assert r.status_code == 422


def test_review_page_matches_by_hand(stack, accounts):
    import re
    from test_payments import new_customer
    from test_web import form_token, login
    c = new_customer(stack, name="Página %d" % time.time_ns())
    a = validated_payment(stack, c, "444.00", "2026-03-18", account="BBVA")
    b = validated_payment(stack, c, "444.00", "2026-03-18", account="BBVA")
    doc = camt("PAGE-1", BBVA_NUMBER, [ntry("444.00", "2026-03-18", "PG-1"),
                                       ntry("444.00", "2026-03-18", "PG-2")])
    assert imported(stack, "page.xml", doc)["status"] == "done"
    s, _ = login(stack)
    queue = s.get(stack.url + "/review?customer=%d&kind=bank_match" % c, timeout=30).text
    assert 'data-payment="%d"' % a in queue and 'data-payment="%d"' % b in queue
    page = s.get(stack.url + "/review/%d" % a, timeout=30).text
    assert "Movimientos del banco" in page
    movs = re.findall(r'data-movement="(\d+)"', page)
    assert len(movs) == 2
    tok = form_token(page)
    r = s.post(stack.url + "/review/%d/bank-match" % a, allow_redirects=False,
               timeout=30, data={"csrf": tok, "movementId": movs[0]})
    assert r.status_code == 303 and "decision=reconciled" in r.headers["Location"]
    p = stack.get("/api/payments/%d" % a, role="admin").json()["payment"]
    assert p["status"] == "conciliado" and p["bankOperationNumber"] in ("PG-1", "PG-2")
    ev = stack.get("/api/payments/%d/history" % a, role="admin").json()["events"][-1]
    assert ev["actor"]["type"] == "user" and ev["actor"]["name"] == stack.env["CB_REVIEWER_USER"]
    # The same movement for the other payment: refused, said, nothing written.
    r = s.post(stack.url + "/review/%d/bank-match" % b, allow_redirects=False,
               timeout=30, data={"csrf": tok, "movementId": movs[0]})
    assert r.status_code == 409 and "ya no está libre" in r.text
    assert stack.get("/api/payments/%d" % b, role="admin").json()["payment"][
        "status"] == "validado"
    # Without the token: refused.
    r = s.post(stack.url + "/review/%d/bank-match" % b, allow_redirects=False,
               timeout=30, data={"movementId": movs[1]})
    assert r.status_code == 403


# ---- the lifecycle after a match: unmatch, reversal, bank validation,
# invalid once the statements cover the window -----------------------------

def payment(stack, pid):
    return stack.get("/api/payments/%d" % pid, role="admin").json()["payment"]


def last_event(stack, pid):
    return stack.get("/api/payments/%d/history" % pid, role="admin").json()["events"][-1]


def test_unmatch_puts_the_voucher_back_and_the_engine_leaves_it(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack)
    pid = validated_payment(stack, c, "610.00", "2026-04-06", ref="5151", account="BBVA")
    doc = camt("UNMATCH-1", BBVA_NUMBER, [ntry("610.00", "2026-04-07",
                                                          "0005151")])
    assert imported(stack, "unmatch.xml", doc)["status"] == "done"
    p = payment(stack, pid)
    assert p["status"] == "conciliado" and p["transactionDate"] == "2026-04-07"
    # The voucher's own day is kept beside the bank's.
    assert p["voucher"] == {"amount": 610.0, "transactionDate": "2026-04-06"}
    url = "/api/payments/%d/bank-match" % pid
    assert stack.request("DELETE", url, role="client").status_code == 403
    r = stack.request("DELETE", url, role="reviewer", headers={"If-Match": '"v1"'})
    assert r.status_code == 412 and r.json()["currentStatus"] == "conciliado"
    r = stack.request("DELETE", url, role="reviewer", json={"reason": "x" * 501})
    assert r.status_code == 422 and r.json()["errors"][0]["pointer"] == "#/reason"
    r = stack.request("DELETE", url, role="reviewer",
                      headers={"If-Match": '"v%d"' % int(p["version"])},
                      json={"reason": "another client's deposit"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "validado" and body["movementId"] > 0
    assert body["changes"]["transactionDate"] == {"old": "2026-04-07", "new": "2026-04-06"}
    assert body["changes"]["bankOperationNumber"] == {"old": "0005151", "new": None}
    p = payment(stack, pid)
    assert (p["status"], p["transactionDate"], p["bankOperationNumber"], p["voucher"]) == (
        "validado", "2026-04-06", None, None)
    ev = last_event(stack, pid)
    assert (ev["fromStatus"], ev["toStatus"]) == ("conciliado", "validado")
    assert "by hand" in ev["reason"] and "another client's deposit" in ev["reason"]
    assert stack.sql("SELECT payment_id IS NULL FROM comprobar.bank_movements WHERE id = %d"
                     % body["movementId"]).strip() == "1"
    # Nothing left to undo.
    r = stack.request("DELETE", url, role="reviewer")
    assert r.status_code == 409 and r.json()["type"].endswith("not-reconciled")
    # The next pass (after any import) does not tie the same pair again …
    assert imported(stack, "unmatch.xml", doc + b"\n")["status"] == "done"
    assert payment(stack, pid)["status"] == "validado"
    # … while a person still may.
    r = stack.request("POST", url, role="reviewer", json={"movementId": body["movementId"]})
    assert r.status_code == 200 and r.json()["status"] == "conciliado"


def test_reversal_puts_the_payment_back_and_says_so(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack)
    pid = validated_payment(stack, c, "720.00", "2026-04-13", ref="8282", account="BBVA")
    doc = camt("REV-1", BBVA_NUMBER, [
        ntry("720.00", "2026-04-14", "00008282", e2e="E2E-8282")])
    assert imported(stack, "rev1.xml", doc)["status"] == "done"
    assert payment(stack, pid)["status"] == "conciliado"
    orig = int(stack.sql("SELECT id FROM comprobar.bank_movements WHERE svcr_ref = '00008282'"))
    # The bank takes the money back: a debit with RvslInd, same EndToEndId.
    doc = camt("REV-2", BBVA_NUMBER, [
        ntry("720.00", "2026-04-16", "REV-00008282", e2e="E2E-8282", debit=True,
             reversal=True)])
    got = imported(stack, "rev2.xml", doc)
    assert got["status"] == "done", got
    rev = got["report"]["reversals"]
    assert got["report"]["reversed"] == 1 and rev[0]["reverses"] == orig
    assert rev[0]["paymentId"] == pid and rev[0]["paymentStatus"] == "validado"
    p = payment(stack, pid)
    assert (p["status"], p["transactionDate"], p["bankOperationNumber"]) == (
        "validado", "2026-04-13", None)
    ev = last_event(stack, pid)
    assert (ev["fromStatus"], ev["toStatus"]) == ("conciliado", "validado")
    assert ev["actor"]["type"] == "system" and "reversed movement %d" % orig in ev["reason"]
    row = stack.sql("SELECT payment_id IS NULL, reversed_by IS NOT NULL FROM"
                    " comprobar.bank_movements WHERE id = %d" % orig).split()
    assert row == ["1", "1"]
    # The reversed movement is no candidate any more; importing both again
    # changes nothing.
    cands = stack.get("/api/payments/%d/bank-candidates" % pid, role="reviewer").json()
    assert orig not in [x["movementId"] for x in cands["candidates"]]
    assert imported(stack, "rev2.xml", doc + b"\n")["report"]["reversed"] == 0
    assert payment(stack, pid)["status"] == "validado"


@pytest.fixture(scope="module")
def life_account(stack):
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "LIFE", "bankCode": "BBVA_PE", "number": "0011-0999-0200111111",
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    return "0011-0999-0200111111"


def bank_voucher(stack, customer, amount, day, ref, account="LIFE", hook=None,
                 role="client"):
    body = {"customerId": customer, "amount": amount, "currency": "PEN",
            "paymentMethod": "transferencia", "bankCode": "BBVA_PE", "transactionDate": day,
            "reference": ref, "bankAccountId": account, "bankValidation": True}
    if hook:
        body["webhookUrl"] = hook
    r = stack.request("POST", "/api/payments", role=role, json=body)
    assert r.status_code == 201, r.text
    p = r.json()["payment"]
    assert p["status"] == "pendiente" and p["bankValidation"] is True
    return p["paymentId"]


def test_bank_validation_reconciles_or_invalidates_with_the_reason(stack, accounts,
                                                                   life_account):
    from test_payments import new_customer
    c = new_customer(stack)
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": c, "amount": "1.00", "currency": "PEN", "bankValidation": True})
    assert r.status_code == 422
    assert {e["pointer"]: e["code"] for e in r.json()["errors"]}["#/bankValidation"] == \
        "incomplete"
    ok = bank_voucher(stack, c, "150.00", "2026-05-04", "3131")
    none = bank_voucher(stack, c, "999.00", "2026-05-06", "4444")
    amount = bank_voucher(stack, c, "200.00", "2026-05-11", "5555")
    late = bank_voucher(stack, c, "77.00", "2026-05-28", "7777")
    # Approved by a person, then no movement: flagged, not rejected.
    person = validated_payment(stack, c, "333.00", "2026-05-12", account="LIFE")
    r = stack.request("PATCH", "/api/payments/%d" % ok, role="client",
                      json={"bankValidation": False})
    assert r.status_code == 422
    # April 20 to May 31, opening + movements = closing.
    doc = camt("LIFE-1", life_account, [ntry("150.00", "2026-05-05", "00003131"),
                                        ntry("245.50", "2026-05-11", "00005555")],
               opening="1000.00", closing="1395.50", days=("2026-04-20", "2026-05-31"))
    got = imported(stack, "life.xml", doc)
    assert got["report"]["statements"][0]["balanced"] is True, got
    p = payment(stack, ok)
    assert p["status"] == "conciliado" and p["transactionDate"] == "2026-05-05"
    assert p["bankOperationNumber"] == "00003131"
    ev = last_event(stack, ok)
    assert (ev["fromStatus"], ev["toStatus"]) == ("pendiente", "conciliado")
    p = payment(stack, none)
    assert p["status"] == "rechazado" and p["reviewReason"].startswith("bank no_movement")
    ev = last_event(stack, none)
    assert (ev["fromStatus"], ev["toStatus"], ev["actor"]["type"]) == (
        "pendiente", "rechazado", "system")
    p = payment(stack, amount)
    assert p["status"] == "rechazado"
    assert p["reviewReason"].startswith("bank amount_conflict"), p
    # The window of May 28 runs past the statement: not judged yet.
    assert payment(stack, late)["status"] == "pendiente"
    p = payment(stack, person)
    assert p["status"] == "validado" and p["requiresManualReview"]
    assert p["reviewReason"].startswith("bank no_movement")
    judged = p["version"]
    # A second voucher for the movement the first one took: a duplicate.
    dup = bank_voucher(stack, c, "150.00", "2026-05-04", "3131")
    assert imported(stack, "life.xml", doc + b"\n")["status"] == "done"  # the pass runs
    p = payment(stack, dup)
    assert p["status"] == "rechazado" and p["reviewReason"].startswith("bank movement_used")
    assert p["duplicateOf"] == ok
    # Judged once: the passes since left the flagged voucher alone.
    assert payment(stack, person)["version"] == judged


HOOK = "http://127.0.0.2:9/hook"  # nothing listens: the events are what is asserted


def test_every_bank_validation_voucher_reaches_a_verdict_or_a_person(stack, accounts):
    """The errors clients make, each of which left a voucher PENDING with
    no flag, or judged it wrong, before."""
    import datetime
    from test_payments import new_customer
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "VERD", "bankCode": "BBVA_PE", "number": "0011-0999-0200444444",
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    number = "0011-0999-0200444444"
    juan = new_customer(stack, name="Juan Perez Lopez")
    c = new_customer(stack)
    day = "2026-10-14"
    noref = bank_voucher(stack, juan, "77.00", day, "S/N", account="VERD")
    crowd = bank_voucher(stack, c, "88.00", day, "-", account="VERD", hook=HOOK)
    typed = bank_voucher(stack, c, "52.00", day, "40558712", account="VERD")
    short = bank_voucher(stack, c, "100.00", day, "4321", account="VERD", hook=HOOK)
    first = bank_voucher(stack, c, "66.00", day, "556677", account="VERD")
    twin = bank_voucher(stack, c, "66.00", day, "0556677", account="VERD", hook=HOOK)
    lost = bank_voucher(stack, c, "12.34", "2026-01-05", "99887766", account="VERD", hook=HOOK)
    doc = camt("VERD-1", number, [
        ntry("77.00", day, "M-1", payer="JUAN PEREZ LOPEZ"),
        ntry("77.00", day, "M-2", payer="ALGUIEN MAS"),
        ntry("88.00", day, "M-3"), ntry("88.00", day, "M-4"),
        ntry("52.15", day, "OP 40558712"),
        ntry("103.50", day, "00004321"),
        ntry("66.00", day, "00556677")])
    assert imported(stack, "verdicts.xml", doc)["status"] == "done"

    def state(pid):
        p = payment(stack, pid)
        return p["status"], p["requiresManualReview"], p.get("reviewReason") or ""
    # No number: the payer, the day and the amount tie it.
    assert state(noref)[0] == "conciliado"
    # No number, two equal deposits: a person, with the candidates.
    st, flagged, why = state(crowd)
    assert (st, flagged) == ("pendiente", True) and "ambiguous" in why, why
    # The amount is referential: the bank's 52.15 under its whole reference.
    p = payment(stack, typed)
    assert p["status"] == "conciliado" and p["amount"] == 52.15, p
    # A short reference and another amount: a person confirms.
    st, flagged, why = state(short)
    assert (st, flagged) == ("pendiente", True), why
    # Registered twice: the first is matched, the second waits as its twin.
    assert state(first)[0] == "conciliado"
    p = payment(stack, twin)
    assert p["status"] == "pendiente" and p["requiresManualReview"]
    assert p["duplicateOf"] == first, p
    # Its window long past, and no statement covers it: a person, saying so.
    st, flagged, why = state(lost)
    assert (st, flagged) == ("pendiente", True) and why.startswith("bank not_covered"), why
    # Each was told: one payment.needs_review event per voucher, once.
    for pid in (crowd, short, twin, lost):
        n = stack.sql("SELECT COUNT(*) FROM comprobar.webhook_events WHERE payment_id = %d"
                      " AND type = 'payment.needs_review'" % pid).strip()
        assert n == "1", (pid, n)


def test_a_long_statement_imports_in_linear_time(stack, accounts):
    """20 000 lines, two of them sharing a reference with other amounts: the
    shared-reference check used the table's statistics from before the
    import (empty) and compared every line with every other: it did not
    finish in a minute; by its index it takes seconds."""
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "LONG", "bankCode": "BBVA_PE", "number": "0011-0999-0200888888",
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    n = 20000
    lines = [ntry("%d.%02d" % (10 + i % 900, i % 100), "2026-02-%02d" % (1 + i % 28),
                  "L%08d" % i) for i in range(n)]
    lines.append(ntry("1.00", "2026-02-27", "L%08d" % 7))
    t0 = time.time()
    got = imported(stack, "long.xml", camt("LONG-1", "0011-0999-0200888888", lines))
    took = time.time() - t0
    assert got["status"] == "done", got
    rep = got["report"]
    assert rep["new"] == n + 1 and rep["conflicted"] == 1, (rep["new"], rep["conflicted"])
    assert took < 45, took


def test_two_clients_same_voucher_are_not_twins(stack, accounts):
    """Two clients register a voucher with the same payer name, amount,
    day and operation number: each is its own client's, never the other's
    duplicate; one deposit pays at most one of them, and the other is not
    left silent."""
    from test_payments import new_customer
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "TWO", "bankCode": "BBVA_PE", "number": "0011-0999-0200777777",
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    day = "2026-10-21"
    mine = bank_voucher(stack, new_customer(stack, name="Rosa Quispe"), "45.00", day,
                        "7788991", account="TWO")
    theirs = bank_voucher(stack, new_customer(stack, name="Rosa Quispe", role="client2"),
                          "45.00", day, "7788991", account="TWO", role="client2")
    # The same client twice is a twin (the control).
    again = bank_voucher(stack, payment(stack, mine)["customerId"], "45.00", day,
                         "7788991", account="TWO")
    doc = camt("TWO-1", "0011-0999-0200777777", [ntry("45.00", day, "00007788991")])
    assert imported(stack, "two-clients.xml", doc)["status"] == "done"
    a = payment(stack, mine)
    b = stack.get("/api/payments/%d" % theirs, role="client2").json()["payment"]
    assert a.get("duplicateOf") is None and b.get("duplicateOf") is None, (a, b)
    assert payment(stack, again)["duplicateOf"] == mine
    assert [a["status"], b["status"]].count("conciliado") <= 1, (a, b)
    for p in (a, b):
        assert p["status"] == "conciliado" or p["requiresManualReview"], p
    # Neither client sees the other's voucher.
    assert stack.get("/api/payments/%d" % theirs, role="client").status_code == 404
    assert stack.get("/api/payments/%d" % mine, role="client2").status_code == 404


def test_coverage_follows_the_chain_of_balances(stack, accounts):
    """Daily statements whose opening is dated their own day leave the
    weekends uncovered by dates; the balances chain them, so an unpaid
    voucher is judged."""
    import datetime
    from test_payments import new_customer
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "CHAIN", "bankCode": "BBVA_PE", "number": "0011-0999-0200555555",
        "currency": "PEN"})
    assert r.status_code == 201, r.text
    number = "0011-0999-0200555555"
    c = new_customer(stack)
    unpaid = bank_voucher(stack, c, "45.00", "2026-09-16", "13572468", account="CHAIN")
    d = datetime.date(2026, 9, 1)
    n = 0
    while d <= datetime.date(2026, 10, 9):
        if d.weekday() < 5:
            n += 1
            doc = camt("CHAIN-%d" % n, number, [], opening="500.00", closing="500.00",
                       days=(d.isoformat(), d.isoformat()))
            assert imported(stack, "chain%d.xml" % n, doc)["status"] == "done"
        d += datetime.timedelta(days=1)
    p = payment(stack, unpaid)
    assert p["status"] == "rechazado" and p["reviewReason"].startswith("bank no_movement"), p


def test_a_statement_that_does_not_add_up_judges_nothing(stack, accounts):
    from test_payments import new_customer
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "LIFE-GAP", "bankCode": "BBVA_PE",
        "number": "0011-0999-0200222222", "currency": "PEN"})
    assert r.status_code == 201, r.text
    c = new_customer(stack)
    pid = bank_voucher(stack, c, "999.00", "2026-05-06", "4444", account="LIFE-GAP")
    doc = camt("GAP-1", "0011-0999-0200222222", [ntry("10.00", "2026-05-05", "G-1")],
               opening="1000.00", closing="1500.00", days=("2026-04-20", "2026-05-31"))
    got = imported(stack, "gap.xml", doc)
    assert got["report"]["statements"][0]["balanced"] is False
    # A movement may be missing: the voucher waits.
    assert payment(stack, pid)["status"] == "pendiente"


def test_movements_past_what_a_sum_can_hold_are_kept_and_the_balance_unjudged(
        stack, accounts):
    """Ten credits of 16 integer digits: every line is stored, and the
    report says the balance could not be checked instead of a wrong gap."""
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "LIFE-HUGE", "bankCode": "BBVA_PE",
        "number": "0011-0999-0200333333", "currency": "PEN"})
    assert r.status_code == 201, r.text
    big = "9999999999999999.99"
    doc = camt("HUGE-1", "0011-0999-0200333333",
               [ntry(big, "2026-05-05", "H-%d" % i) for i in range(10)],
               opening="0.00", closing=big, days=("2026-04-20", "2026-05-31"))
    got = imported(stack, "huge.xml", doc)
    assert got["status"] == "done", got
    st = got["report"]["statements"][0]
    assert st["new"] == 10 and st["rejected"] == 0, st
    assert "balance was not checked" in st["warning"]
    assert st.get("balanced") is not True
    assert movements(stack, r.json()["bankAccount"]["id"]) == 10


def test_review_page_undoes_a_match(stack, accounts):
    import re
    from test_payments import new_customer
    from test_web import form_token, login
    c = new_customer(stack)
    pid = validated_payment(stack, c, "818.00", "2026-04-20", ref="9191", account="BBVA")
    doc = camt("PAGE-UNMATCH", BBVA_NUMBER, [ntry("818.00", "2026-04-21",
                                                             "0009191")])
    assert imported(stack, "page-unmatch.xml", doc)["status"] == "done"
    assert payment(stack, pid)["status"] == "conciliado"
    s, _ = login(stack)
    page = s.get(stack.url + "/review/%d" % pid, timeout=30).text
    assert "Conciliado con el banco" in page and 'id="unmatch-form"' in page
    assert "0009191" in page and "2026-04-20" in page  # the bank's and the voucher's
    tok = form_token(page)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    # A stale page: refused, said, nothing written.
    r = s.post(stack.url + "/review/%d/bank-unmatch" % pid, allow_redirects=False,
               timeout=30, data={"csrf": tok, "version": "1", "reason": "x"})
    assert r.status_code == 409 and "no se guardó nada" in r.text
    r = s.post(stack.url + "/review/%d/bank-unmatch" % pid, allow_redirects=False,
               timeout=30, data={"csrf": tok, "version": version,
                                 "reason": "depósito de otro cliente"})
    assert r.status_code == 303
    assert r.headers["Location"] == "/review/%d?done=%d&decision=unreconciled" % (pid, pid)
    p = payment(stack, pid)
    assert p["status"] == "validado" and p["transactionDate"] == "2026-04-20"
    ev = last_event(stack, pid)
    assert ev["actor"]["type"] == "user" and "depósito de otro cliente" in ev["reason"]
    # Back on the page: the movement is a candidate again, the notice says so.
    page = s.get(stack.url + r.headers["Location"], timeout=30).text
    assert "conciliación deshecha" in page and "Movimientos del banco" in page
    # Without the token: refused.
    r = s.post(stack.url + "/review/%d/bank-unmatch" % pid, allow_redirects=False,
               timeout=30, data={"version": version})
    assert r.status_code == 403


def test_zip_of_statements(stack, accounts):
    got = imported(stack, "statements.zip")
    assert got["status"] == "done", got
    rep = got["report"]
    assert rep["format"] == "zip"
    assert [(f["name"], f["format"]) for f in rep["files"]] == [
        ("day/camt054.xml", "camt"), ("day/mt940-bare.sta", "mt940"),
        ("day/LEEME.txt", None)]
    assert {s["format"][:4] for s in rep["statements"]} >= {"camt"}
    assert len(rep["statements"]) >= 2
    assert any(r["where"] == "day/LEEME.txt" for r in rep["rejections"])
    # Once more: read again (one of its statements names an account that is
    # not registered, which may be by now), and everything known.
    assert any("error" in s for s in rep["statements"])
    again = imported(stack, "statements.zip")["report"]
    assert again["new"] == 0 and again["known"] == rep["new"] + rep["known"]
    # A broken archive: refused, nothing written.
    n = int(stack.sql("SELECT COUNT(*) FROM comprobar.bank_movements"))
    got = imported(stack, "truncated.zip")
    assert got["status"] == "failed" and "zip" in got["error"], got
    assert int(stack.sql("SELECT COUNT(*) FROM comprobar.bank_movements")) == n


def test_validating_a_voucher_brings_the_matching_pass_forward(stack, accounts):
    from test_payments import new_customer
    doc = camt("EARLY-1", BBVA_NUMBER, [ntry("933.00", "2026-04-27",
                                                        "00006363")])
    assert imported(stack, "early.xml", doc)["status"] == "done"
    # The movement came first; the voucher is validated afterwards.
    pid = validated_payment(stack, new_customer(stack), "933.00", "2026-04-27",
                            ref="6363", account="BBVA")
    end = time.time() + 45
    while time.time() < end and payment(stack, pid)["status"] != "conciliado":
        time.sleep(0.5)
    p = payment(stack, pid)
    assert p["status"] == "conciliado" and p["bankOperationNumber"] == "00006363", p


def test_subset_sums_split_deposits_and_shared_deposits(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack, name="Ana Gomez Lopez")
    # One voucher paid in two deposits that both carry its number.
    whole = validated_payment(stack, c, "300.00", "2026-06-08", ref="4455", account="BBVA")
    # One deposit naming two invoices of one payer.
    inv_a = validated_payment(stack, c, "210.00", "2026-06-09", ref="7001", account="BBVA")
    inv_b = validated_payment(stack, c, "265.00", "2026-06-09", ref="7002", account="BBVA")
    # One deposit from a payer with two open vouchers, no reference: a
    # suggestion only.
    c2 = new_customer(stack, name="Carla Ruiz Soto")
    sug_a = validated_payment(stack, c2, "330.00", "2026-06-09", account="BBVA")
    sug_b = validated_payment(stack, c2, "440.00", "2026-06-09", account="BBVA")
    doc = camt("SPLIT-1", BBVA_NUMBER, [
        ntry("120.00", "2026-06-08", "SPL-0004455-A"),
        ntry("180.00", "2026-06-09", "SPL-0004455-B"),
        ntry("475.00", "2026-06-10", "FACT 7001 7002"),
        ntry("770.00", "2026-06-10", "DEP-770", payer="CARLA RUIZ SOTO")])
    assert imported(stack, "split.xml", doc)["status"] == "done"
    p = payment(stack, whole)
    assert p["status"] == "conciliado", p
    assert p["bankOperationNumber"] == "SPL-0004455-A+SPL-0004455-B"
    assert p["amount"] == 300.0 and p["transactionDate"] == "2026-06-09"
    assert "2 deposits" in last_event(stack, whole)["reason"]
    tied = stack.sql("SELECT COUNT(*) FROM comprobar.bank_movements WHERE payment_id = %d"
                     % whole).strip()
    assert tied == "2"
    # The shared deposit: both vouchers reconciled with it, each its amount.
    shared = int(stack.sql("SELECT id FROM comprobar.bank_movements WHERE svcr_ref ="
                           " 'FACT 7001 7002'"))
    for pid, amount in ((inv_a, 210.0), (inv_b, 265.0)):
        p = payment(stack, pid)
        assert p["status"] == "conciliado" and p["amount"] == amount, p
        assert p["bankOperationNumber"] == "FACT 7001 7002"
        assert p["transactionDate"] == "2026-06-10"
        assert "one deposit for payments" in last_event(stack, pid)["reason"]
    for pid in (sug_a, sug_b):
        p = payment(stack, pid)
        assert p["status"] == "validado" and p["requiresManualReview"], p
        assert p["reviewReason"].startswith("bank split suggested: movement"), p
        assert "%d+%d" % (sug_a, sug_b) in p["reviewReason"]
    # Undoing the split frees both deposits.
    r = stack.request("DELETE", "/api/payments/%d/bank-match" % whole, role="reviewer")
    assert r.status_code == 200, r.text
    assert stack.sql("SELECT COUNT(*) FROM comprobar.bank_movements WHERE payment_id = %d"
                     % whole).strip() == "0"
    # Undoing one voucher of a shared deposit undoes the other, says so.
    r = stack.request("DELETE", "/api/payments/%d/bank-match" % inv_b, role="reviewer")
    assert r.status_code == 200 and r.json()["movementId"] == shared, r.text
    for pid in (inv_a, inv_b):
        assert payment(stack, pid)["status"] == "validado"
    assert ("one deposit paid it with payment %d" % inv_b) in last_event(stack, inv_a)["reason"]
    assert stack.sql("SELECT payment_id IS NULL FROM comprobar.bank_movements WHERE id = %d"
                     % shared).strip() == "1"


def test_a_second_voucher_for_a_used_deposit_is_flagged_at_once(stack, accounts):
    from test_payments import new_customer
    c = new_customer(stack)
    first = validated_payment(stack, c, "845.00", "2026-07-06", ref="9393", account="BBVA")
    doc = camt("DUP-1", BBVA_NUMBER, [ntry("845.00", "2026-07-06", "00009393")])
    assert imported(stack, "dup.xml", doc)["status"] == "done"
    assert payment(stack, first)["status"] == "conciliado"
    # The same voucher registered again for the same customer, after the
    # first was reconciled: the deposit it claims is taken, so it is that
    # one's duplicate, for a person, at the next pass.  (Two open copies
    # are caught as twins: test_every_bank_validation_voucher_….)
    twin = validated_payment(stack, c, "845.00", "2026-07-06", ref="09393", account="BBVA")
    # The same receipt claimed for another customer: no statement covers
    # the window (no balances), yet the deposit it claims is known to be
    # taken.
    second = validated_payment(stack, new_customer(stack), "845.00", "2026-07-06",
                               ref="9393", account="BBVA")
    assert imported(stack, "dup.xml", doc + b"\n")["status"] == "done"  # a pass
    p = payment(stack, twin)
    assert p["status"] == "validado" and p["duplicateOf"] == first, p
    assert p["requiresManualReview"] and p["reviewReason"].startswith(
        "bank movement_used"), p
    p = payment(stack, second)
    assert p["status"] == "validado" and p["duplicateOf"] == first, p
    assert p["requiresManualReview"] and p["reviewReason"].startswith(
        "bank movement_used"), p
    version, twin_version = p["version"], payment(stack, twin)["version"]
    # Another pass changes nothing more.
    assert imported(stack, "dup.xml", doc + b"\n\n")["status"] == "done"
    assert payment(stack, second)["version"] == version
    assert payment(stack, twin)["version"] == twin_version


def test_reversal_of_an_applied_payment_reverses_it_and_its_invoice(stack, accounts):
    from test_payments import new_customer, new_invoice
    c = new_customer(stack)
    inv = new_invoice(stack, c, amount="1000.00", currency="PEN")
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": c, "amount": "640.00", "currency": "PEN", "invoiceId": inv,
        "paymentMethod": "transferencia", "bankCode": "BBVA_PE",
        "transactionDate": "2026-07-13", "reference": "6464", "bankAccountId": "BBVA"})
    assert r.status_code == 201, r.text
    pid = r.json()["payment"]["paymentId"]
    assert stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                         json={"status": "validado"}).status_code == 200
    doc = camt("APPLIED-1", BBVA_NUMBER, [ntry("640.00", "2026-07-13", "00006464",
                                                e2e="E2E-6464")])
    assert imported(stack, "applied1.xml", doc)["status"] == "done"
    assert payment(stack, pid)["status"] == "conciliado"
    assert stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                         json={"status": "aplicado"}).status_code == 200

    def balance():
        return stack.get("/api/invoices/%d" % inv, role="admin").json()["invoice"]["balance"]
    assert balance() == 360.0
    doc = camt("APPLIED-2", BBVA_NUMBER, [ntry("640.00", "2026-07-15", "REV-6464",
                                                e2e="E2E-6464", debit=True, reversal=True)])
    got = imported(stack, "applied2.xml", doc)
    assert got["report"]["reversals"][0]["paymentStatus"] == "reversado", got
    assert payment(stack, pid)["status"] == "reversado"
    assert balance() == 1000.0  # owed again
    ev = last_event(stack, pid)
    assert (ev["fromStatus"], ev["toStatus"], ev["actor"]["type"]) == (
        "aplicado", "reversado", "system")
    assert "the bank reversed movement" in ev["reason"]
