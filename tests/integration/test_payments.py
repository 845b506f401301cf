"""The payments core through nginx: seed 000's shape, exact money, every
validation rule, the lifecycle, concurrency, idempotency, invoices."""
import datetime
import json
import os
import signal
import threading
import time
import uuid
import zoneinfo
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import assert_problem

# Seed 000's example response, as its document prints it.
SEED_000_EXAMPLE = json.loads("""
{"success": true,
 "payment": {"paymentId": 1234, "customerId": 456, "amount": 1500.00,
   "currency": "GTQ", "paymentMethod": "transferencia", "bankCode": "BI",
   "reference": "TRX-123456", "transactionDate": "2026-03-03",
   "status": "pendiente",
   "documentUrl": "https://s3.amazonaws.com/ambiotec-payments/documents/1234-receipt.pdf",
   "ocrData": {"extractedAmount": 1500.00, "extractedDate": "2026-03-03",
     "extractedReference": "TRX-123456",
     "confidence": {"amount": 0.95, "date": 0.98, "reference": 0.92}},
   "registeredBy": 42, "createdAt": "2026-03-03T15:30:00Z"},
 "ocrResult": {"requiresManualReview": false,
   "confidence": {"amount": 0.95, "date": 0.98}}}
""")
# Without a document these are null (seed: "if document was provided").
DOCUMENT_ONLY = {"documentUrl", "ocrData", "ocrResult"}
INJECTION = "x'); DROP TABLE payments; -- \" OR 1=1 /* ñ <script>alert(1)</script>"


def guatemala_today():
    return datetime.datetime.now(zoneinfo.ZoneInfo("America/Guatemala")).date()


def new_customer(stack, name=None, role="client"):
    """A customer of the client key (its payments can name it)."""
    r = stack.request("POST", "/api/customers", role=role, json={
        "name": name or "Cliente " + uuid.uuid4().hex[:6], "documentType": "NIT",
        "documentId": uuid.uuid4().hex[:12], "email": "pagos@example.gt"})
    assert r.status_code == 201, r.text
    return r.json()["customer"]["customerId"]


def new_invoice(stack, customer, amount="3000.00", currency="GTQ", role="client"):
    r = stack.request("POST", "/api/invoices", role=role, json={
        "customerId": customer, "number": "F-" + uuid.uuid4().hex[:8],
        "amount": amount, "currency": currency, "issueDate": "2026-01-01",
        "dueDate": "2026-12-31", "concept": "Servicios"})
    assert r.status_code == 201, r.text
    return r.json()["invoice"]["invoiceId"]


def pay(stack, customer, role="client", headers=None, **fields):
    body = {"customerId": customer, "amount": "100.00", "paymentMethod": "transferencia"}
    body.update(fields)
    return stack.request("POST", "/api/payments", role=role, json=body,
                         headers=headers or {})


def set_status(stack, pid, status, role="admin", **kw):
    body = {"status": status}
    body.update({k: v for k, v in kw.items() if k != "headers"})
    return stack.request("POST", "/api/payments/%d/status" % pid, role=role,
                         json=body, headers=kw.get("headers", {}))


def json_type(v):
    return {dict: "object", list: "array", str: "string", bool: "boolean",
            type(None): "null"}.get(type(v), "number")


def test_response_matches_seed_000_shape(stack):
    c = new_customer(stack)
    inv = new_invoice(stack, c)
    r = pay(stack, c, amount=1500.00, bankCode="BI", reference="TRX-123456",
            transactionDate="2026-03-03", invoiceId=inv, notes="primer pago")
    assert r.status_code == 201
    assert r.headers["Location"] == "/api/payments/%d" % r.json()["payment"]["paymentId"]
    body = r.json()
    assert set(body) >= set(SEED_000_EXAMPLE)
    for k, v in SEED_000_EXAMPLE.items():
        if k in DOCUMENT_ONLY:
            assert body[k] is None
        else:
            assert json_type(body[k]) == json_type(v), k
    for k, v in SEED_000_EXAMPLE["payment"].items():
        assert k in body["payment"], k
        if k in DOCUMENT_ONLY:
            assert body["payment"][k] is None
        else:
            assert json_type(body["payment"][k]) == json_type(v), k
    p = body["payment"]
    assert p["status"] == "pendiente" and p["currency"] == "GTQ"
    assert p["registeredBy"] == stack.get("/api/me", role="client").json()["keyId"]
    assert p["invoiceId"] == inv and p["notes"] == "primer pago"
    assert p["requiresManualReview"] is False and p["version"] == 1
    assert p["createdAt"].endswith("Z") and "T" in p["createdAt"]
    # Exact digits in the text itself, not just the parsed value.
    assert '"amount":1500.00' in r.text


def test_amounts_are_exact(stack):
    c = new_customer(stack)
    for sent, text in ((0.10, "0.10"), ("0.10", "0.10"), ("1500.00", "1500.00"),
                       ("99999999999.99", "99999999999.99"), ("1e2", "100.00"),
                       (7, "7.00"), ("1500", "1500.00")):
        body = {"customerId": c, "paymentMethod": "efectivo"}
        raw = json.dumps(body)[:-1] + ', "amount": %s}' % (
            sent if not isinstance(sent, str) else json.dumps(sent))
        if sent == "1e2":
            raw = json.dumps(body)[:-1] + ', "amount": 1e2}'
        r = stack.request("POST", "/api/payments", role="client", data=raw,
                          headers={"Content-Type": "application/json"})
        assert r.status_code == 201, (sent, r.text)
        assert '"amount":%s,' % text in r.text, (sent, r.text)
        got = stack.get("/api/payments/%d" % r.json()["payment"]["paymentId"], role="admin")
        assert '"amount":%s,' % text in got.text
    for bad, code in (("1.005", "too_many_decimals"), ("0", "not_positive"),
                      ("-5.00", "not_positive"), ("0.00", "not_positive"),
                      ("1,500.00", "invalid"), ("abc", "invalid"), ("1e400", "too_large"),
                      ("100000000000000", "too_large"), ("NaN", "invalid"), ("", "missing")):
        r = pay(stack, c, amount=bad)
        assert_problem(r, 422, [("#/amount", code)])
    raw = '{"customerId": %d, "paymentMethod": "efectivo", "amount": 1.005}' % c
    r = stack.request("POST", "/api/payments", role="client", data=raw,
                      headers={"Content-Type": "application/json"})
    assert_problem(r, 422, [("#/amount", "too_many_decimals")])
    assert_problem(pay(stack, c, amount=True), 422, [("#/amount", "invalid")])


def test_every_validation_rule(stack):
    c = new_customer(stack)
    other = new_customer(stack)
    inv = new_invoice(stack, c)
    inv_usd = new_invoice(stack, c, currency="USD")
    inv_other = new_invoice(stack, other)
    today = guatemala_today()
    good = [dict(), dict(currency="USD"), dict(currency="CRC"), dict(currency="PEN"),
            dict(currency="COP"), dict(currency="MXN"), dict(currency="EUR"),
            dict(paymentMethod="deposito"), dict(paymentMethod="cheque"),
            dict(paymentMethod="efectivo"), dict(paymentMethod="tarjeta"),
            dict(bankCode="BANRURAL"), dict(bankCode="BCP"), dict(bankCode="BANORTE"),
            dict(reference="R" * 64), dict(reference="ñ" * 64),
            dict(transactionDate=today.isoformat()), dict(transactionDate="2024-02-29"),
            dict(notes="n" * 500), dict(notes="línea 1\nlínea 2"),
            dict(invoiceId=inv), dict(invoiceId=inv_usd, currency="USD"),
            # No currency sent: the invoice's (seed 000's minimal upload).
            dict(invoiceId=inv_usd),
            dict(customerId=str(c))]
    for g in good:
        r = pay(stack, c, **g)
        assert r.status_code == 201, (g, r.text)
    # Bank codes in any case are stored as the registry spells them.
    assert pay(stack, c, bankCode="banrural").json()["payment"]["bankCode"] == "BANRURAL"
    bad = [(dict(customerId=None), "customerId", "missing"),
           (dict(customerId=987654321), "customerId", "not_found"),
           (dict(customerId="abc"), "customerId", "invalid"),
           (dict(customerId=-3), "customerId", "invalid"),
           (dict(currency="XYZ"), "currency", "not_allowed"),
           (dict(currency=3), "currency", "invalid"),
           (dict(paymentMethod="bitcoin"), "paymentMethod", "not_allowed"),
           (dict(paymentMethod=None), "paymentMethod", "missing"),
           (dict(amount=None), "amount", "missing"),
           (dict(bankCode="NOPE"), "bankCode", "not_found"),
           (dict(bankCode="B I"), "bankCode", "not_found"),
           (dict(reference="R" * 65), "reference", "too_long"),
           (dict(reference="a\x01b"), "reference", "invalid"),
           (dict(transactionDate="2026-02-30"), "transactionDate", "invalid"),
           (dict(transactionDate="03/03/2026"), "transactionDate", "invalid"),
           (dict(transactionDate=(today + datetime.timedelta(days=1)).isoformat()),
            "transactionDate", "in_future"),
           (dict(notes="n" * 501), "notes", "too_long"),
           (dict(notes="bell\x07"), "notes", "invalid"),
           (dict(invoiceId=99999999), "invoiceId", "not_found"),
           (dict(invoiceId=inv_other), "invoiceId", "customer_mismatch"),
           (dict(invoiceId=inv_usd, currency="GTQ"), "invoiceId", "currency_mismatch"),
           (dict(colour="red"), "colour", "unknown_field")]
    for fields, field, code in bad:
        r = pay(stack, c, **fields)
        assert_problem(r, 422, [("#/" + field, code)])
    # All at once: one 422 listing every field.
    r = pay(stack, 987654321, amount="1.001", paymentMethod="x", bankCode="X",
            reference="r" * 70, transactionDate="2026-13-01", notes="n" * 600)
    body = assert_problem(r, 422)
    assert {e["pointer"] for e in body["errors"]} >= {
        "#/customerId", "#/amount", "#/paymentMethod", "#/bankCode", "#/reference",
        "#/transactionDate", "#/notes"}


def test_text_fields_stored_verbatim(stack):
    c = new_customer(stack, name=INJECTION[:200])
    cust = stack.get("/api/customers/%d" % c, role="admin").json()["customer"]
    assert cust["name"] == INJECTION[:200]
    r = pay(stack, c, reference=INJECTION[:64], notes=INJECTION)
    assert r.status_code == 201
    got = stack.get("/api/payments/%d" % r.json()["payment"]["paymentId"], role="admin")
    assert got.json()["payment"]["reference"] == INJECTION[:64]
    assert got.json()["payment"]["notes"] == INJECTION
    r = stack.request("POST", "/api/invoices", role="admin", json={
        "customerId": c, "number": INJECTION[:64], "amount": "1", "issueDate": "2026-01-01",
        "dueDate": "2026-01-02", "concept": INJECTION})
    assert r.status_code == 201
    assert r.json()["invoice"]["concept"] == INJECTION
    assert stack.sql("SELECT COUNT(*) FROM comprobar.payments").strip() != "0"


def test_get_has_strong_etag_and_conditional_get(stack):
    c = new_customer(stack)
    pid = pay(stack, c).json()["payment"]["paymentId"]
    r = stack.get("/api/payments/%d" % pid, role="reviewer")
    assert r.headers["ETag"] == '"v1"'
    assert r.json()["success"] is True and r.json()["payment"]["paymentId"] == pid
    r304 = stack.get("/api/payments/%d" % pid, role="reviewer",
                     headers={"If-None-Match": '"v1"'})
    assert r304.status_code == 304
    set_status(stack, pid, "validado")
    assert stack.get("/api/payments/%d" % pid, role="reviewer").headers["ETag"] == '"v2"'
    assert_problem(stack.get("/api/payments/99999999", role="admin"), 404)
    assert_problem(stack.get("/api/payments/abc", role="admin"), 404)


LEGAL = {"pendiente": {"validado", "rechazado", "cancelado"},
         "validado": {"en_proceso_ach", "conciliado", "rechazado", "cancelado"},
         "en_proceso_ach": {"conciliado", "rechazado"},
         "conciliado": {"aplicado"},
         "aplicado": {"reversado"},
         "rechazado": {"cancelado"}, "cancelado": set(), "reversado": set()}
PATH_TO = {"pendiente": [], "validado": ["validado"],
           "en_proceso_ach": ["validado", "en_proceso_ach"],
           "conciliado": ["validado", "conciliado"],
           "aplicado": ["validado", "conciliado", "aplicado"],
           "rechazado": ["rechazado"], "cancelado": ["cancelado"],
           "reversado": ["validado", "conciliado", "aplicado", "reversado"]}


def test_every_legal_and_illegal_transition(stack):
    c = new_customer(stack)
    for source, targets in LEGAL.items():
        for target in LEGAL:
            pid = pay(stack, c).json()["payment"]["paymentId"]
            for step in PATH_TO[source]:
                assert set_status(stack, pid, step, reason="porque").status_code == 200
            r = set_status(stack, pid, target, reason="motivo")
            if target in targets:
                assert r.status_code == 200, (source, target, r.text)
                assert r.json()["payment"]["status"] == target
            else:
                body = assert_problem(r, 409)
                assert body["currentStatus"] == source
                assert set(body["allowedTransitions"]) == targets, (source, target)


def test_reason_required_and_roles(stack):
    c = new_customer(stack)
    pid = pay(stack, c).json()["payment"]["paymentId"]
    for s in ("rechazado", "cancelado"):
        assert_problem(set_status(stack, pid, s), 422, [("#/reason", "missing")])
    assert_problem(set_status(stack, pid, "validado", role="client"), 403)
    assert_problem(set_status(stack, pid, "bogus"), 422, [("#/status", "not_allowed")])
    assert set_status(stack, pid, "cancelado", role="client", reason="duplicado").status_code == 200
    assert_problem(pay(stack, c, role="reviewer"), 403)
    assert set_status(stack, pay(stack, c).json()["payment"]["paymentId"], "validado",
                      role="reviewer").status_code == 200


def test_expected_status_and_if_match(stack):
    c = new_customer(stack)
    pid = pay(stack, c).json()["payment"]["paymentId"]
    r = set_status(stack, pid, "validado", expectedStatus="validado")
    body = assert_problem(r, 409)
    assert body["currentStatus"] == "pendiente"
    r = set_status(stack, pid, "validado", headers={"If-Match": '"v7"'})
    assert_problem(r, 412)
    assert r.headers["ETag"] == '"v1"'
    assert set_status(stack, pid, "validado", headers={"If-Match": '"v1"'},
                      expectedStatus="pendiente").status_code == 200
    assert_problem(set_status(stack, pid, "conciliado", headers={"If-Match": "garbage"}), 412)


def test_twenty_concurrent_transitions_one_wins(stack):
    c = new_customer(stack)
    pid = pay(stack, c).json()["payment"]["paymentId"]
    barrier = threading.Barrier(20)

    def go(i):
        barrier.wait()
        return set_status(stack, pid, "validado", expectedStatus="pendiente").status_code

    with ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(go, range(20)))
    assert codes.count(200) == 1 and codes.count(409) == 19, codes
    hist = stack.get("/api/payments/%d/history" % pid, role="admin").json()["events"]
    assert [e["toStatus"] for e in hist] == ["pendiente", "validado"]


def test_invoice_balance_on_apply_and_reversal(stack):
    c = new_customer(stack)
    inv = new_invoice(stack, c, amount="3000.00")
    p1 = pay(stack, c, amount="1000.50", invoiceId=inv).json()["payment"]["paymentId"]
    p2 = pay(stack, c, amount="999.49", invoiceId=inv).json()["payment"]["paymentId"]

    def balance():
        r = stack.get("/api/invoices/%d" % inv, role="admin")
        assert '"balance":' in r.text
        return r.json()["invoice"]["balance"], r.text

    for pid in (p1, p2):
        for s in ("validado", "conciliado"):
            assert set_status(stack, pid, s).status_code == 200
    assert balance()[0] == 3000.00
    assert set_status(stack, p1, "aplicado").status_code == 200
    assert '"balance":1999.50' in balance()[1]
    assert set_status(stack, p2, "aplicado").status_code == 200
    assert '"balance":1000.01' in balance()[1]
    assert set_status(stack, p1, "reversado", reason="cheque rechazado").status_code == 200
    assert '"balance":2000.51' in balance()[1]
    assert stack.sql("SELECT balance_minor FROM comprobar.invoices WHERE id=%d" % inv).strip() == "200051"


def test_history_and_activity_log(stack):
    c = new_customer(stack)
    r = pay(stack, c)
    pid = r.json()["payment"]["paymentId"]
    rid_create = r.headers["X-Request-Id"]
    assert set_status(stack, pid, "rechazado", reason="comprobante ilegible").status_code == 200
    ev = stack.get("/api/payments/%d/history" % pid, role="reviewer").json()["events"]
    assert [(e["kind"], e["fromStatus"], e["toStatus"]) for e in ev] == [
        ("created", None, "pendiente"), ("status", "pendiente", "rechazado")]
    assert ev[1]["reason"] == "comprobante ilegible"
    assert ev[0]["actor"]["name"] == "demo-client" and ev[1]["actor"]["name"] == "demo-admin"
    assert ev[0]["requestId"] == rid_create and ev[0]["actor"]["remoteAddr"] == "127.0.0.1"
    rows = stack.sql("SELECT action, request_id FROM comprobar.activity_log "
                     "WHERE target='payment:%d' ORDER BY id" % pid).split("\n")
    assert rows[0].split("\t") == ["PAYMENT_CREATE", rid_create]
    assert rows[1].startswith("PAYMENT_STATUS_CHANGE")
    # Append-only, enforced by the database itself.
    r = subprocess_sql(stack, "UPDATE comprobar.payment_events SET reason='x' WHERE payment_id=%d" % pid)
    assert r.returncode != 0 and "append-only" in r.stderr
    r = subprocess_sql(stack, "DELETE FROM comprobar.payment_events WHERE payment_id=%d" % pid)
    assert r.returncode != 0


def subprocess_sql(stack, statement):
    import subprocess
    return subprocess.run(["mariadb", "--no-defaults", "-uroot", "--socket",
                           stack.env["CB_DB_SOCKET"], "-e", statement],
                          capture_output=True, text=True)


def test_patch_corrects_while_pending(stack):
    c = new_customer(stack)
    pid = pay(stack, c, reference="ABC", notes="x").json()["payment"]["paymentId"]
    r = stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                      json={"amount": "250.75", "reference": None, "bankCode": "BI"},
                      headers={"If-Match": '"v1"'})
    assert r.status_code == 200, r.text
    p = r.json()["payment"]
    assert p["reference"] is None and p["bankCode"] == "BI" and p["version"] == 2
    assert '"amount":250.75' in r.text and r.headers["ETag"] == '"v2"'
    ev = stack.get("/api/payments/%d/history" % pid, role="admin").json()["events"][-1]
    assert ev["kind"] == "corrected"
    assert ev["changes"]["amount"] == {"old": 100.00, "new": 250.75}
    assert ev["changes"]["reference"] == {"old": "ABC", "new": None}
    assert "notes" not in ev["changes"]
    assert_problem(stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                                 json={"amount": "1"}, headers={"If-Match": '"v1"'}), 412)
    body = assert_problem(stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                                        json={"amount": "1"}, headers={"If-Match": "v2"}), 412)
    assert "such as" in body["detail"]
    assert_problem(stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                                 json={"amount": "1.001"}), 422, [("#/amount", "too_many_decimals")])
    assert_problem(stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                                 json={"customerId": new_customer(stack)}), 422,
                   [("#/customerId", "not_allowed")])
    set_status(stack, pid, "validado")
    body = assert_problem(stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                                        json={"amount": "1"}), 409)
    assert body["currentStatus"] == "validado"


def test_idempotent_create_replay_and_mismatch(stack):
    c = new_customer(stack)
    key = {"Idempotency-Key": "create-" + uuid.uuid4().hex}
    r1 = pay(stack, c, headers=key, reference="IDEM-1")
    assert r1.status_code == 201 and "Idempotent-Replayed" not in r1.headers
    r2 = pay(stack, c, headers=key, reference="IDEM-1")
    assert r2.status_code == 200 and r2.headers["Idempotent-Replayed"] == "true"
    assert r2.json()["cached"] is True
    assert r2.json()["payment"] == r1.json()["payment"]
    # The body member works as seed 001 names it, and agrees with the header.
    k2 = "body-" + uuid.uuid4().hex
    r3 = pay(stack, c, idempotencyKey=k2, reference="IDEM-2")
    r4 = pay(stack, c, idempotencyKey=k2, reference="IDEM-2")
    assert r3.status_code == 201 and r4.status_code == 200 and r4.json()["cached"]
    # Same key, different request → 422; nothing new stored.
    body = assert_problem(pay(stack, c, headers=key, reference="IDEM-OTHER"), 422)
    assert body["errors"][0]["code"] == "mismatch"
    assert stack.sql("SELECT COUNT(*) FROM comprobar.payments WHERE reference LIKE 'IDEM-%'").strip() == "2"
    assert_problem(pay(stack, c, headers={"Idempotency-Key": "short"}), 422)
    # A validation failure is not stored: the key stays usable.
    k3 = {"Idempotency-Key": "valid-" + uuid.uuid4().hex}
    assert pay(stack, c, headers=k3, amount="-1").status_code == 422
    assert pay(stack, c, headers=k3).status_code == 201
    # Keys are scoped to the API key: another key may reuse the string.
    assert pay(stack, c, role="admin", headers=key, reference="IDEM-1").status_code == 201


def test_idempotent_transition_replays_before_precondition(stack):
    c = new_customer(stack)
    pid = pay(stack, c).json()["payment"]["paymentId"]
    key = {"Idempotency-Key": "status-" + uuid.uuid4().hex}
    r1 = set_status(stack, pid, "validado", expectedStatus="pendiente", headers=key)
    r2 = set_status(stack, pid, "validado", expectedStatus="pendiente", headers=key)
    assert r1.status_code == 200 and r2.status_code == 200
    assert r2.headers["Idempotent-Replayed"] == "true" and "cached" not in r2.json()
    # A 409 is not stored: the same key can be used after fixing the request?
    # No: a different body is a mismatch; the refused 409 left no record.
    k2 = {"Idempotency-Key": "refused-" + uuid.uuid4().hex}
    assert set_status(stack, pid, "aplicado", headers=k2).status_code == 409
    assert stack.sql("SELECT COUNT(*) FROM comprobar.idempotency_keys WHERE idem_key='%s'"
                     % k2["Idempotency-Key"]).strip() == "0"


def test_in_flight_key_is_409_and_work_runs_once(stack):
    c = new_customer(stack)
    key = "inflight-" + uuid.uuid4().hex
    h = {"Idempotency-Key": key, "X-Debug-Delay-Ms": "2500"}
    out = {}
    t = threading.Thread(target=lambda: out.setdefault("r", pay(stack, c, headers=h, reference="INFLIGHT")))
    t.start()
    # Wait until the first request holds its claim (it sleeps 2.5 s after).
    assert wait_sql(stack, "SELECT COUNT(*) FROM comprobar.idempotency_keys WHERE idem_key='%s'"
                    % key, "1")
    r = pay(stack, c, headers={"Idempotency-Key": key}, reference="INFLIGHT")
    t.join()
    assert_problem(r, 409)
    assert out["r"].status_code == 201
    assert stack.sql("SELECT COUNT(*) FROM comprobar.payments WHERE reference='INFLIGHT'").strip() == "1"


def wait_sql(stack, statement, want, timeout=10):
    end = time.time() + timeout
    while time.time() < end:
        if stack.sql(statement).strip() == want:
            return True
        time.sleep(0.05)
    return False


def test_twenty_concurrent_creates_one_key_one_payment(stack):
    c = new_customer(stack)
    key = {"Idempotency-Key": "burst-" + uuid.uuid4().hex}
    ref = "BURST-" + uuid.uuid4().hex[:8]
    barrier = threading.Barrier(20)

    def go(i):
        barrier.wait()
        return pay(stack, c, headers=key, reference=ref).status_code

    with ThreadPoolExecutor(20) as ex:
        codes = list(ex.map(go, range(20)))
    assert codes.count(201) == 1, codes
    assert set(codes) <= {201, 200, 409}
    assert stack.sql("SELECT COUNT(*) FROM comprobar.payments WHERE reference='%s'" % ref).strip() == "1"


def test_worker_killed_mid_create_then_retry_makes_one_payment(stack):
    c = new_customer(stack)
    key = "killed-" + uuid.uuid4().hex
    ref = "KILL-" + uuid.uuid4().hex[:8]
    done = {}

    def slow():
        try:
            done["r"] = pay(stack, c, headers={"Idempotency-Key": key, "X-Debug-Delay-Ms": "4000"},
                            reference=ref)
        except requests.RequestException as e:
            done["e"] = e

    t = threading.Thread(target=slow)
    t.start()
    assert wait_sql(stack, "SELECT COUNT(*) FROM comprobar.idempotency_keys WHERE idem_key='%s'"
                    % key, "1")
    time.sleep(0.3)
    # The worker holding the request is the one with an open transaction;
    # kill every worker to be sure to hit it (the master restarts them).
    for w in stack.worker_pids():
        os.kill(w, signal.SIGKILL)
    t.join()
    assert "e" in done or done["r"].status_code >= 500
    # Retry with the same key: after the claim's lock expires it is taken over.
    deadline = time.time() + 20
    while True:
        try:
            r = pay(stack, c, headers={"Idempotency-Key": key}, reference=ref)
        except requests.RequestException:
            r = None
        if r is not None and r.status_code in (200, 201):
            break
        assert time.time() < deadline, r.text if r is not None else "no answer"
        time.sleep(0.5)
    assert stack.sql("SELECT COUNT(*) FROM comprobar.payments WHERE reference='%s'" % ref).strip() == "1"
    again = pay(stack, c, headers={"Idempotency-Key": key}, reference=ref)
    assert again.status_code == 200 and again.json()["cached"] is True


def test_pagination_is_stable_while_inserting(stack):
    c = new_customer(stack)
    existing = [pay(stack, c, reference="PAGE").json()["payment"]["paymentId"] for _ in range(23)]
    stop = threading.Event()

    def writer():
        while not stop.is_set():
            pay(stack, c, reference="PAGE")

    t = threading.Thread(target=writer)
    t.start()
    seen, cursor, pages = [], None, 0
    try:
        while True:
            q = "/api/payments?customerId=%d&limit=5" % c + ("&cursor=" + cursor if cursor else "")
            r = stack.get(q, role="reviewer")
            assert r.status_code == 200
            seen += [p["paymentId"] for p in r.json()["payments"]]
            cursor = r.json()["nextCursor"]
            pages += 1
            if not cursor:
                break
    finally:
        stop.set()
        t.join()
    assert len(seen) == len(set(seen))
    assert set(existing) <= set(seen)
    assert seen == sorted(seen, reverse=True)
    assert_problem(stack.get("/api/payments?limit=201", role="admin"), 422, [("#/limit", "out_of_range")])
    assert_problem(stack.get("/api/payments?cursor=zzz", role="admin"), 422, [("#/cursor", "invalid")])


def test_list_filters(stack):
    c = new_customer(stack)
    inv = new_invoice(stack, c)
    a = pay(stack, c, transactionDate="2026-01-10", invoiceId=inv).json()["payment"]["paymentId"]
    b = pay(stack, c, transactionDate="2026-02-10").json()["payment"]["paymentId"]
    set_status(stack, b, "validado")
    ids = lambda q: [p["paymentId"] for p in stack.get(q, role="admin").json()["payments"]]
    assert ids("/api/payments?customerId=%d" % c) == [b, a]
    assert ids("/api/payments?customerId=%d&status=validado" % c) == [b]
    assert ids("/api/payments?invoiceId=%d" % inv) == [a]
    assert ids("/api/payments?customerId=%d&from=2026-02-01&to=2026-02-28" % c) == [b]
    assert ids("/api/payments?customerId=%d&requiresManualReview=false" % c) == [b, a]
    assert ids("/api/payments?customerId=%d&requiresManualReview=true" % c) == []
    assert_problem(stack.get("/api/payments?status=perdido", role="admin"), 422)
    assert_problem(stack.get("/api/payments?from=ayer", role="admin"), 422)
    assert_problem(stack.get("/api/payments?status=a&status=b", role="admin"), 400)


def test_multipart_create_like_the_seed_example(stack):
    c = new_customer(stack)
    # curl --form, as seed 000 shows (here without the document).
    r = requests.post(stack.url + "/api/payments", headers=stack.auth("client"), timeout=30,
                      files={"customerId": (None, str(c)), "amount": (None, "1500.00"),
                             "paymentMethod": (None, "deposito"), "bankCode": (None, "BI"),
                             "notes": (None, "cuota de marzo")})
    assert r.status_code == 201, r.text
    assert '"amount":1500.00' in r.text and r.json()["payment"]["notes"] == "cuota de marzo"
    r = requests.post(stack.url + "/api/payments", headers=stack.auth("client"), timeout=30,
                      files={"customerId": (None, str(c)),
                             "document": ("receipt.pdf", b"%PDF-1.4\n", "application/pdf")})
    # Not a whole PDF: refused before anything is stored.
    assert_problem(r, 422, [("#/document", "corrupt")])


def multipart_raw(stack, body, boundary="XyZ"):
    return stack.request("POST", "/api/payments", role="client", data=body,
                         headers={"Content-Type": "multipart/form-data; boundary=" + boundary})


def test_malformed_multipart_is_400_naming_the_problem(stack):
    c = str(new_customer(stack)).encode()
    part = lambda n, v: b'--XyZ\r\nContent-Disposition: form-data; name="' + n + b'"\r\n\r\n' + v + b"\r\n"
    ok = part(b"customerId", c) + part(b"amount", b"5") + part(b"paymentMethod", b"efectivo")
    assert multipart_raw(stack, ok + b"--XyZ--\r\n").status_code == 201
    cases = [(ok, "closing boundary"),
             (ok + part(b"amount", b"6") + b"--XyZ--\r\n", "appears twice"),
             (b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"; x=\"" + b"y" * 3000 +
              b"\"\r\n\r\nv\r\n--XyZ--\r\n", "header line is too long"),
             (b"".join(part(b"f%d" % i, b"v") for i in range(200)) + b"--XyZ--\r\n", "too many parts"),
             (b"--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--\r\n", "no Content-Disposition"),
             (b"no boundary at all", "no multipart boundary"),
             (b"--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--", "not form-data"),
             (b"--XyZ garbage\r\n", "boundary is followed")]
    for body, needle in cases:
        r = multipart_raw(stack, body)
        problem = assert_problem(r, 400)
        assert needle in problem["detail"], (needle, problem["detail"])
    assert_problem(stack.request("POST", "/api/payments", role="client", data=ok,
                                 headers={"Content-Type": "multipart/form-data"}), 400)
    assert_problem(stack.request("POST", "/api/payments", role="client", data=ok,
                                 headers={"Content-Type": "multipart/mixed; boundary=XyZ"}), 415)
    # A form field that is not valid UTF-8 is a field error, not a crash.
    bad_utf8 = ok.replace(b"efectivo", b"efectivo") + part(b"notes", b"\xff\xfe") + b"--XyZ--\r\n"
    assert_problem(multipart_raw(stack, bad_utf8), 422, [("#/notes", "invalid")])


def test_customers_and_invoices_rules(stack):
    r = stack.request("POST", "/api/customers", role="admin", json={
        "name": "", "documentType": "SSN", "documentId": "x" * 40, "email": "not-an-email"})
    assert_problem(r, 422, [("#/name", "missing"), ("#/documentType", "not_allowed"),
                            ("#/documentId", "too_long"), ("#/email", "invalid")])
    doc = uuid.uuid4().hex[:10]
    body = {"name": "Uno", "documentType": "RUC", "documentId": doc}
    assert stack.request("POST", "/api/customers", role="admin", json=body).status_code == 201
    assert_problem(stack.request("POST", "/api/customers", role="admin", json=body), 422,
                   [("#/documentId", "taken")])
    c = new_customer(stack)
    r = stack.request("POST", "/api/invoices", role="admin", json={
        "customerId": c, "number": "A-1", "amount": "10.001", "currency": "DEM",
        "issueDate": "2026-05-01", "dueDate": "2026-04-01"})
    assert_problem(r, 422, [("#/amount", "invalid"), ("#/currency", "not_allowed"),
                            ("#/dueDate", "before_issue")])
    # Every current ISO 4217 currency, each with its own decimals: JPY none.
    r = stack.request("POST", "/api/invoices", role="admin", json={
        "customerId": c, "number": "A-JPY", "amount": "10.5", "currency": "JPY",
        "issueDate": "2026-05-01", "dueDate": "2026-06-01"})
    assert_problem(r, 422, [("#/amount", "invalid")])
    inv = {"customerId": c, "number": "A-2", "amount": "10.00", "issueDate": "2026-05-01",
           "dueDate": "2026-06-01"}
    assert stack.request("POST", "/api/invoices", role="admin", json=inv).status_code == 201
    assert_problem(stack.request("POST", "/api/invoices", role="admin", json=inv), 422,
                   [("#/number", "taken")])
    lst = stack.get("/api/invoices?customerId=%d" % c, role="client").json()
    assert [i["number"] for i in lst["invoices"]] == ["A-2"] and lst["nextCursor"] is None
    assert stack.get("/api/customers?limit=1", role="client").json()["nextCursor"]


def test_idempotency_keys_are_purged_after_retention(stack):
    c = new_customer(stack)
    key = "old-" + uuid.uuid4().hex
    assert pay(stack, c, headers={"Idempotency-Key": key}).status_code == 201
    stack.sql("UPDATE comprobar.idempotency_keys SET created_at = created_at - INTERVAL 25 HOUR"
              " WHERE idem_key = '%s'" % key)
    r = stack.ctl("idempotency", "purge")
    assert r.returncode == 0 and "purged" in r.stdout, r.stderr
    assert stack.sql("SELECT COUNT(*) FROM comprobar.idempotency_keys WHERE idem_key='%s'"
                     % key).strip() == "0"
    # Younger keys stay.
    young = "young-" + uuid.uuid4().hex
    pay(stack, c, headers={"Idempotency-Key": young})
    stack.ctl("idempotency", "purge")
    assert stack.sql("SELECT COUNT(*) FROM comprobar.idempotency_keys WHERE idem_key='%s'"
                     % young).strip() == "1"


def test_the_minimal_seed_000_upload_takes_the_invoices_currency(stack):
    """customerId, invoiceId and the document only: the payment is in the
    invoice's currency, and while OCR runs nobody claims it needs no
    review."""
    import os
    c = new_customer(stack)
    inv = new_invoice(stack, c, currency="MXN")
    with open(os.path.join(os.path.dirname(__file__), "..", "corpus", "sample",
                           "0005-clean.png"), "rb") as f:
        data = f.read()
    r = requests.post(stack.url + "/api/payments", timeout=60,
                      headers={**stack.auth("client"), "Prefer": "respond-async"},
                      files={"customerId": (None, str(c)), "invoiceId": (None, str(inv)),
                             "document": ("r.png", data, "image/png")})
    assert r.status_code in (201, 202), r.text
    got = r.json()
    assert got["payment"]["currency"] == "MXN"
    if got["ocrResult"]["status"] == "processing":
        assert got["payment"]["requiresManualReview"] is None
        assert got["ocrResult"]["requiresManualReview"] is None
