"""Seed 002 (aPagos) to the letter: the document's example requests sent as
it shows them (only the base URL and the credentials changed), answered
with its codes and bodies; every documented error; the webhook callback
on VALIDATED and INVALID; cancel with expected_status releasing the bank
movement; and the same voucher seen through /api/payments agreeing."""
import datetime
import json
import re
import time
import uuid

import pytest
import requests

from test_bank import BBVA_NUMBER, camt, imported, ntry
from test_webhooks import Receiver

PREFIX = "/apagos/unchecked_payment"

# The seed's example responses: every key, with its JSON type.
REGISTER_EXAMPLE = {"request_id": "5fd165ea0f08d78a6937980e"}
INFO_EXAMPLE = {
    "order_id": "1001", "status": "VALIDATED", "bank_account_id": "BBVA",
    "operation_number": "696", "amount": 123.30, "bank_operation_number": "00010696",
    "detail": "Some info about the payment", "date": "2020-10-30",
    "request_id": "5fd166272826d9992620d028"}
CANCEL_EXAMPLE = {"canceled": True}
CANCEL_ERROR_EXAMPLE = {"canceled": False, "error_code": "invalid_status",
                        "error_detail": "…", "extra_data": {"status": "PENDING"}}


def same_shape(example, ours):
    """Every key of the example is in ours with the same JSON type."""
    for k, v in example.items():
        assert k in ours, (k, ours)
        if isinstance(v, dict):
            same_shape(v, ours[k])
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            assert isinstance(ours[k], (int, float)) and not isinstance(ours[k], bool), (k, ours)
        else:
            assert type(ours[k]) is type(v), (k, ours[k], v)


@pytest.fixture(scope="module")
def net(stack):
    r = Receiver()
    r.trap_url = "http://127.0.0.1:9"
    # The seed's example account, as registered at onboarding.
    a = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "BBVA", "bankCode": "BBVA_PE", "number": BBVA_NUMBER,
        "currency": "PEN"})
    assert a.status_code in (201, 422), a.text
    yield r
    r.server.shutdown()


def post(stack, path, body, role="client", raw=None, headers=None):
    """As the seed's curl examples send it."""
    h = {"Content-Type": "application/json"}
    if role:
        h["Authorization"] = "Bearer " + stack.key(role)
    h.update(headers or {})
    return requests.post(stack.url + PREFIX + path, headers=h, timeout=30,
                         data=raw if raw is not None else json.dumps(body))


def info(stack, rid, role="client"):
    return requests.get(stack.url + PREFIX + "/info/" + rid, timeout=30, headers={
        "Content-Type": "application/json", "Authorization": "Bearer " + stack.key(role)})


def example(net, **over):
    body = {"amount": 123.30, "order_id": "1001", "operation_number": "696",
            "bank_account_id": "BBVA", "date": "2020-10-30",
            "webhook": net.url + "/ok/" + uuid.uuid4().hex,
            "receipt": net.url + "/receipt.png", "detail": "testing INVALID request",
            "customer_dni": "12345678", "customer_fullname": "Juan Pérez Aguilar"}
    body.update(over)
    return body


def register(stack, net, **over):
    over.setdefault("order_id", uuid.uuid4().hex[:12])
    r = post(stack, "/register", example(net, **over))
    assert r.status_code == 200, r.text
    return r.json()["request_id"], over


def payment_of(stack, rid):
    pid = int(stack.sql("SELECT id FROM comprobar.payments WHERE request_id = '%s'" % rid))
    return stack.get("/api/payments/%d" % pid, role="client").json()["payment"]


def wait_info(stack, rid, status, timeout=30):
    end = time.time() + timeout
    while True:
        got = info(stack, rid).json()
        if got["status"] == status:
            return got
        assert time.time() < end, got
        time.sleep(0.2)


def test_example_register_info_then_validated_by_the_bank(stack, net):
    body = example(net)
    r = post(stack, "/register", body)  # the seed's curl, verbatim
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"].startswith("application/json")
    same_shape(REGISTER_EXAMPLE, r.json())
    rid = r.json()["request_id"]
    assert re.fullmatch(r"[0-9a-f]{24}", rid)
    got = info(stack, rid)
    assert got.status_code == 200
    got = got.json()
    assert got["status"] == "PENDING" and got["order_id"] == "1001"
    assert got["amount"] == 123.30 and got["operation_number"] == "696"
    assert '"amount":123.30' in info(stack, rid).text.replace(" ", "")
    # The core sees the same voucher: bank validation, receipt, webhook.
    p = payment_of(stack, rid)
    assert p["requestId"] == rid and p["orderId"] == "1001" and p["surface"] == "apagos"
    assert p["bankValidation"] is True and p["bankAccountId"] == "BBVA"
    assert p["webhookUrl"] == body["webhook"] and p["receipt"]["url"] == body["receipt"]
    end = time.time() + 30
    while payment_of(stack, rid)["receipt"]["status"] == "fetching":
        assert time.time() < end
        time.sleep(0.2)
    assert payment_of(stack, rid)["receipt"]["status"] == "fetched"
    # The bank's record: "696" is its operation "00010696" (as the end-to-end
    # id: the bank id 00010696 is taken by test_bank's fixture statement).
    doc = camt("APAGOS-1", BBVA_NUMBER, [ntry("123.30", "2020-10-30", e2e="00010696")])
    assert imported(stack, "apagos.xml", doc)["status"] == "done"
    got = wait_info(stack, rid, "VALIDATED")
    same_shape(INFO_EXAMPLE, got)
    assert got["bank_operation_number"] == "00010696" and got["operation_number"] == "696"
    assert got["amount"] == 123.30 and got["date"] == "2020-10-30"
    assert got["detail"] == "testing INVALID request" and got["request_id"] == rid
    # The callback: the info object, signed, once validated.
    path = body["webhook"][len(net.url):]
    cb = net.wait(path)[0]
    sent = json.loads(cb["body"])
    same_shape(INFO_EXAMPLE, sent)
    assert sent["status"] == "VALIDATED" and sent["request_id"] == rid
    assert cb["headers"]["webhook-signature"].startswith("v1,")
    # Through the core API it is the same voucher.
    p = payment_of(stack, rid)
    assert p["status"] == "conciliado" and p["bankOperationNumber"] == "00010696"
    assert p["amount"] == 123.30 and p["reference"] == "696"


def test_documented_errors(stack, net):
    # Invalid JSON: 400 with a string describing the error.
    r = post(stack, "/register", None, raw='{"amount": 12,')
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/plain")
    assert "JSON" in r.text
    # Invalid data: every field named in one string.
    r = post(stack, "/register", {"amount": "12", "date": "2020-13-01"})
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("text/plain")
    for field in ("amount", "date", "operation_number", "bank_account_id", "order_id",
                  "webhook", "customer_dni", "customer_fullname", "receipt"):
        assert field + ":" in r.text, r.text
    cases = [
        ({"bank_account_id": "NOPE"}, "bank_account_id: NOPE is not one of the registered accounts"),
        ({"amount": 0}, "amount: must be greater than zero"),
        ({"amount": 1.234}, "amount: PEN takes at most 2 decimals"),
        ({"receipt": "file:///etc/passwd"}, "receipt: the scheme"),
        ({"webhook": "http://169.254.169.254/hook"}, "webhook: 169.254.169.254 is in"),
        ({"extra": [1]}, "extra: must be an object"),
    ]
    for over, text in cases:
        over["order_id"] = uuid.uuid4().hex[:10]
        r = post(stack, "/register", example(net, **over))
        assert r.status_code == 400 and text in r.text, (over, r.text)
    # Authentication: none, or a wrong key → 401.
    assert post(stack, "/register", example(net), role=None).status_code == 401
    r = post(stack, "/register", example(net), role=None,
             headers={"Authorization": "Bearer cbk_not_a_key"})
    assert r.status_code == 401
    assert requests.get(stack.url + PREFIX + "/info/" + "0" * 24, timeout=30).status_code == 401
    # No voucher with that request_id → 404 (also another client's).
    assert info(stack, "0123456789abcdef01234567").status_code == 404
    assert info(stack, "not-an-id").status_code == 404
    assert post(stack, "/cancel/0123456789abcdef01234567",
                {"expected_status": "PENDING"}).status_code == 404
    rid, _ = register(stack, net)
    other = stack.request("POST", "/api/api-keys", role="admin",
                          json={"name": "apagos-other", "role": "client"}).json()["key"]
    r = requests.get(stack.url + PREFIX + "/info/" + rid, timeout=30,
                     headers={"Authorization": "Bearer " + other})
    assert r.status_code == 404
    assert info(stack, rid, role="admin").status_code == 200


def test_order_id_is_unique_per_client_and_a_retry_is_answered_again(stack, net):
    rid, over = register(stack, net)
    again = post(stack, "/register", example(net, **over))
    assert again.status_code == 200 and again.json()["request_id"] == rid
    changed = dict(over, amount=99.90)
    r = post(stack, "/register", example(net, **changed))
    assert r.status_code == 400 and "order_id" in r.text and rid in r.text
    # Another client may use the same order_id.
    key = stack.request("POST", "/api/api-keys", role="admin",
                        json={"name": "apagos-b", "role": "client"}).json()["key"]
    r = requests.post(stack.url + PREFIX + "/register", timeout=30, data=json.dumps(
        example(net, **over)), headers={"Content-Type": "application/json",
                                        "Authorization": "Bearer " + key})
    assert r.status_code == 200 and r.json()["request_id"] != rid


def test_cancel_with_expected_status(stack, net):
    rid, _ = register(stack, net, amount=44.10, operation_number="4410")
    r = post(stack, "/cancel/" + rid, {"expected_status": "VALIDATED"})
    assert r.status_code == 400
    body = r.json()
    same_shape(CANCEL_ERROR_EXAMPLE, body)
    assert body == {"canceled": False, "error_code": "invalid_status",
                    "error_detail": "The payment was expected to be in status VALIDATED"
                                    " but was in status PENDING",
                    "extra_data": {"status": "PENDING"}}
    r = post(stack, "/cancel/" + rid, {"expected_status": "PENDING"})  # the seed's curl
    assert r.status_code == 200 and r.json() == CANCEL_EXAMPLE
    assert info(stack, rid).json()["status"] == "CANCELED"
    assert payment_of(stack, rid)["status"] == "cancelado"
    # A retry of the same cancel is answered the same.
    assert post(stack, "/cancel/" + rid, {"expected_status": "CANCELED"}).json() == CANCEL_EXAMPLE
    r = post(stack, "/cancel/" + rid, {"expected_status": "PENDING"})
    assert r.status_code == 400 and r.json()["extra_data"]["status"] == "CANCELED"
    r = post(stack, "/cancel/" + rid, {"expected_status": "LOST"})
    assert r.status_code == 400 and "expected_status" in r.text
    r = post(stack, "/cancel/" + rid, {})
    assert r.status_code == 400 and "expected_status: is required" in r.text


def test_canceling_a_validated_voucher_releases_its_movement(stack, net):
    rid, _ = register(stack, net, amount=55.20, operation_number="5520", date="2020-11-02")
    doc = camt("APAGOS-2", BBVA_NUMBER, [ntry("55.20", "2020-11-03", "00005520")])
    assert imported(stack, "apagos2.xml", doc)["status"] == "done"
    wait_info(stack, rid, "VALIDATED")
    mov = stack.sql("SELECT id FROM comprobar.bank_movements WHERE svcr_ref = '00005520'").strip()
    r = post(stack, "/cancel/" + rid, {"expected_status": "VALIDATED"})
    assert r.status_code == 200 and r.json() == {"canceled": True}
    assert info(stack, rid).json()["status"] == "CANCELED"
    assert stack.sql("SELECT COALESCE(payment_id, 0) FROM comprobar.bank_movements"
                     " WHERE id = %s" % mov).strip() == "0"
    # Released: another voucher for that deposit takes it.
    rid2, _ = register(stack, net, amount=55.20, operation_number="5520", date="2020-11-02")
    assert imported(stack, "apagos2.xml", doc + b"\n")["status"] == "done"
    got = wait_info(stack, rid2, "VALIDATED")
    assert got["bank_operation_number"] == "00005520"


def test_invalid_receipt_invalidates_and_calls_back(stack, net):
    hook = "/ok/" + uuid.uuid4().hex
    rid, _ = register(stack, net, receipt=net.url + "/text", webhook=net.url + hook)
    got = wait_info(stack, rid, "INVALID")
    same_shape({k: v for k, v in INFO_EXAMPLE.items() if k != "bank_operation_number"}, got)
    sent = json.loads(net.wait(hook)[0]["body"])
    assert sent["status"] == "INVALID" and sent["request_id"] == rid
    assert "receipt" in payment_of(stack, rid)["reviewReason"]
    # An INVALID voucher is canceled when the client says it is INVALID, as
    # the seed's cancel promises (resending extra_data.status succeeds).
    r = post(stack, "/cancel/" + rid, {"expected_status": "PENDING"})
    assert r.status_code == 400 and r.json()["extra_data"]["status"] == "INVALID"
    r = post(stack, "/cancel/" + rid, {"expected_status": r.json()["extra_data"]["status"]})
    assert r.status_code == 200 and r.json() == CANCEL_EXAMPLE, r.text
    assert info(stack, rid).json()["status"] == "CANCELED"


def test_a_pending_voucher_a_person_validated_can_be_canceled(stack, net):
    rid, _ = register(stack, net, amount=61.10, operation_number="6110")
    pid = payment_of(stack, rid)["paymentId"]
    r = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                      json={"status": "validado"})
    assert r.status_code == 200, r.text
    assert info(stack, rid).json()["status"] == "PENDING"
    r = post(stack, "/cancel/" + rid, {"expected_status": "PENDING"})
    assert r.status_code == 200 and r.json() == CANCEL_EXAMPLE, r.text
    assert payment_of(stack, rid)["status"] == "cancelado"


def test_another_clients_voucher_does_not_exist(stack, net):
    rid, _ = register(stack, net, amount=62.10, operation_number="6210")
    assert info(stack, rid, role="client2").status_code == 404
    r = post(stack, "/cancel/" + rid, {"expected_status": "PENDING"}, role="client2")
    assert r.status_code == 404
    # Nor through the core API: the same record is a payment.
    pid = payment_of(stack, rid)["paymentId"]
    r = stack.request("POST", "/api/payments/%d/status" % pid, role="client2",
                      json={"status": "cancelado", "reason": "x"})
    assert r.status_code == 404
    assert info(stack, rid).json()["status"] == "PENDING"


def paid_by_client(stack, net, amount, op, day, stmt):
    """Client's voucher, validated by a statement's deposit the day after;
    its request_id."""
    # A receipt of its own: the same picture as another voucher's is a
    # duplicate by its bytes (ocr_job.c), which, read before the match,
    # keeps it from being validated.
    rid, _ = register(stack, net, amount=amount, operation_number=op, date=day,
                      receipt=net.url + "/own-receipt.png/" + uuid.uuid4().hex)
    booked = (datetime.date.fromisoformat(day) + datetime.timedelta(days=1)).isoformat()
    doc = camt(stmt, BBVA_NUMBER, [ntry("%.2f" % amount, booked, op.zfill(8))])
    assert imported(stack, stmt.lower() + ".xml", doc)["status"] == "done"
    wait_info(stack, rid, "VALIDATED")
    # Its own receipt was fetched and read: not a duplicate of another's.
    p = payment_of(stack, rid)
    assert p["receipt"]["status"] != "failed", p["receipt"]
    return rid


def claimed_by_client2(stack, net, amount, op, day, receipt=None):
    """The same deposit claimed by client2's voucher; its payment id."""
    over = {"receipt": receipt} if receipt else {}
    body = example(net, amount=amount, operation_number=op, date=day,
                   order_id=uuid.uuid4().hex[:12], **over)
    r = post(stack, "/register", body, role="client2")
    assert r.status_code == 200, r.text
    return int(stack.sql("SELECT id FROM comprobar.payments WHERE request_id = '%s'"
                         % r.json()["request_id"]))


def test_a_deposit_another_client_was_paid_with_is_never_named(stack, net):
    """The same deposit claimed by a second client's voucher: flagged for a
    person, without naming (duplicateOf, reason) the first client's
    payment."""
    rid = paid_by_client(stack, net, 63.40, "6340", "2020-11-05", "APAGOS-X")
    first = payment_of(stack, rid)["paymentId"]
    pid = claimed_by_client2(stack, net, 63.40, "6340", "2020-11-05")
    end = time.time() + 30
    while True:
        p = stack.get("/api/payments/%d" % pid, role="client2").json()["payment"]
        if p["requiresManualReview"] and p["reviewReason"] and "bank" in p["reviewReason"]:
            break
        assert time.time() < end, p
        time.sleep(0.3)
    assert p["duplicateOf"] is None, p
    # Not named: no number in the reason is the first payment's (the
    # movement's own id may hold its digits).
    import re
    numbers = {int(x) for x in re.findall(r"\d+", p["reviewReason"])}
    assert "another client" in p["reviewReason"] and first not in numbers, p


def test_a_bank_flag_outlives_the_ocr_reading_that_ends_after_it(stack, net):
    """Matching flags a voucher while its receipt is still downloading; the
    OCR reading that follows adds its reasons and keeps the bank's (it
    replaced them: the flag stayed, its reason was gone)."""
    paid_by_client(stack, net, 64.50, "6450", "2020-11-09", "APAGOS-Y")
    net.release.clear()
    try:
        pid = claimed_by_client2(stack, net, 64.50, "6450", "2020-11-09",
                                 net.url + "/held-receipt.png/" + uuid.uuid4().hex)
        end = time.time() + 30
        while True:
            p = stack.get("/api/payments/%d" % pid, role="client2").json()["payment"]
            if any(x["code"].startswith("bank") for x in p["reviewReasons"]):
                break
            assert time.time() < end, p
            time.sleep(0.3)
        assert p["receipt"]["status"] == "fetching" and p["ocrData"] is None, p
    finally:
        net.release.set()
    end = time.time() + 60
    while True:
        p = stack.get("/api/payments/%d" % pid, role="client2").json()["payment"]
        if p["ocrData"] is not None:
            break
        assert time.time() < end, p
        time.sleep(0.3)
    codes = [x["code"] for x in p["reviewReasons"]]
    assert "bank_invalid" in codes and "another client's payment" in p["reviewReason"], p
    assert "disagrees" in codes, p  # and the reading's own
