"""Seed 003 (Payana) to the letter: beneficiaries, then the document's
example payment sent as it shows it (only the base URL, the api-key and
the beneficiary's reference and file URL changed), answered 201 with
every documented member in its documented JSON type; the same payment
seen through /api/payments agreeing; errors as API-CONVENTIONS say."""
import json
import re
import time
import uuid

import pytest
import requests

from conftest import assert_problem
from test_webhooks import Receiver

BASE = "/public/api/v1"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")

# The seed's example response, every member with its type; members the
# schema lists as nullable carry None here and are checked against the
# schema's types below.
EXAMPLE = json.loads('''{
  "reference": "8b1895e2-5b13-4fa1-9633-382639b6d0e3",
  "beneficiary": {"reference": "8b1895e2-5b13-4fa1-9633-382639b6d0e3", "name": "John Doe",
    "identifier_type": "NIT", "identifier_number": "1234567890", "is_deleted": true,
    "deleted_at": "2019-08-24T14:15:22Z"},
  "document": null, "amount": 10000, "amount_currency": "USD", "exchange_rate": 19,
  "exchange_currency": "USD", "status": "pending", "file_path": "https://example.com/image.jpg",
  "receipt_file_path": "https://example.com/image.jpg", "is_archived": false,
  "payable": {"reference": "8b1895e2-5b13-4fa1-9633-382639b6d0e3", "type": "advance",
    "status": "paid", "amount": 10000.65, "amount_currency": "USD",
    "file_path": "https://example.com/image.pdf", "balance": 10000.65,
    "issue_date": "2025-01-01", "expiration_date": "2025-01-01", "concept": "string",
    "origin": "document", "projects": []},
  "batch": null, "tags": [], "source_of_fund": null, "accounting_receipt": null,
  "paid_at": "2019-08-24T14:15:22Z", "payment_method": "cash",
  "created_at": "2019-08-24T14:15:22Z", "updated_at": "2019-08-24T14:15:22Z"}''')
# The schema's types (Response section of the seed): None allowed where it says "| null".
SCHEMA = {
    "reference": (str,), "beneficiary": (dict,), "email": (str, type(None)),
    "document": (dict, type(None)), "amount": (int,), "amount_currency": (str,),
    "exchange_amount": (int, float, type(None)), "exchange_currency": (str, type(None)),
    "exchange_rate": (int, float, type(None)), "status": (str,),
    "file_path": (str, type(None)), "receipt_file_path": (str, type(None)),
    "is_archived": (bool,), "payable": (dict,), "batch": (dict, type(None)),
    "tags": (list,), "source_of_fund": (dict, type(None)),
    "accounting_receipt": (dict, type(None)), "paid_at": (str, type(None)),
    "payment_method": (str, type(None)), "created_at": (str, type(None)),
    "updated_at": (str, type(None)),
}
PAYABLE_TYPES = {"reference": (str,), "type": (str,), "status": (str,),
                 "amount": (int, float), "amount_currency": (str,),
                 "file_path": (str, type(None)), "balance": (int, float),
                 "issue_date": (str,), "expiration_date": (str,), "concept": (str, type(None)),
                 "origin": (str,), "projects": (list,)}
BENEFICIARY_TYPES = {"reference": (str,), "name": (str,), "identifier_type": (str,),
                     "identifier_number": (str,), "is_deleted": (bool,),
                     "deleted_at": (str, type(None))}


def typed(ours, types):
    for k, t in types.items():
        assert k in ours, (k, ours)
        assert isinstance(ours[k], t) and not (bool in t) ^ isinstance(ours[k], bool), \
            (k, ours[k], t)


@pytest.fixture(scope="module")
def net():
    r = Receiver()
    r.trap_url = "http://127.0.0.1:9"
    yield r
    r.server.shutdown()


def call(stack, method, path, body=None, key="client", headers=None):
    h = {"Content-Type": "application/json"}
    if key:
        h["api-key"] = stack.key(key) if key in ("client", "admin", "reviewer") else key
    h.update(headers or {})
    return requests.request(method, stack.url + BASE + path, headers=h, timeout=30,
                            data=None if body is None else json.dumps(body))


def beneficiary(stack, **over):
    body = {"name": "John Doe", "identifier_type": "NIT",
            "identifier_number": str(uuid.uuid4().int)[:10], "email": "jd@example.com"}
    body.update(over)
    r = call(stack, "POST", "/beneficiaries", body)
    assert r.status_code == 201, r.text
    return r.json()


def example_payment(ben, net, **over):
    body = {
        "beneficiary_reference": ben["reference"], "amount": 10000,
        "amount_currency": "USD", "exchange_rate": 19, "exchange_currency": "USD",
        "file_path": net.url + "/receipt.png",
        "payable_payload": {"expiration_date": "2025-01-01", "issue_date": "2025-01-01",
                            "concept": "Payment of invoice 1234567890"}}
    body.update(over)
    return body


def test_beneficiaries_create_read_list_soft_delete(stack):
    b = beneficiary(stack)
    typed(b, BENEFICIARY_TYPES)
    assert UUID.fullmatch(b["reference"]) and b["is_deleted"] is False and b["deleted_at"] is None
    got = call(stack, "GET", "/beneficiaries/" + b["reference"])
    assert got.status_code == 200 and got.json() == b
    assert b["reference"] in [x["reference"] for x in call(stack, "GET", "/beneficiaries").json()]
    # The same identifier again is taken.
    r = call(stack, "POST", "/beneficiaries", {"name": "Otro", "identifier_type": "NIT",
                                               "identifier_number": b["identifier_number"]})
    assert_problem(r, 409, [("#/identifier_number", "taken")])
    d = call(stack, "DELETE", "/beneficiaries/" + b["reference"])
    assert d.status_code == 200 and d.json()["is_deleted"] is True and d.json()["deleted_at"]
    # Soft: still readable, never removed.
    assert call(stack, "GET", "/beneficiaries/" + b["reference"]).json()["is_deleted"] is True
    r = call(stack, "POST", "/beneficiaries", {"name": "X", "identifier_type": "SSN",
                                               "identifier_number": "1", "email": "nope"})
    assert_problem(r, 422, [("#/identifier_type", "not_allowed"), ("#/email", "invalid")])
    assert call(stack, "GET", "/beneficiaries/" + str(uuid.uuid4())).status_code == 404


def test_example_payment_has_every_documented_member(stack, net):
    ben = beneficiary(stack)
    r = call(stack, "POST", "/payments", example_payment(ben, net))
    assert r.status_code == 201, r.text
    got = r.json()
    for k in EXAMPLE:
        assert k in got, k
    typed(got, SCHEMA)
    typed(got["payable"], PAYABLE_TYPES)
    typed(got["beneficiary"], BENEFICIARY_TYPES)
    assert UUID.fullmatch(got["reference"]) and UUID.fullmatch(got["payable"]["reference"])
    assert got["amount"] == 10000 and got["amount_currency"] == "USD"
    assert got["exchange_rate"] == 19 and got["exchange_amount"] == 190000
    assert got["status"] == "pending" and got["is_archived"] is False and got["tags"] == []
    assert got["beneficiary"]["reference"] == ben["reference"]
    p = got["payable"]
    assert p["amount"] == 10000 and p["balance"] == 10000 and p["status"] == "pending"
    assert p["issue_date"] == "2025-01-01" and p["concept"] == "Payment of invoice 1234567890"
    assert r.headers["Location"] == BASE + "/payments/" + got["reference"]
    # Read back; the document is fetched from file_path and kept.
    end = time.time() + 30
    while True:
        again = call(stack, "GET", "/payments/" + got["reference"]).json()
        if again["receipt_file_path"]:
            break
        assert time.time() < end, again
        time.sleep(0.2)
    assert again["document"]["type"] == "image/png"
    # The same payment through the core API.
    pid = int(again["receipt_file_path"].split("/")[3])
    core = stack.get("/api/payments/%d" % pid, role="client").json()["payment"]
    assert core["surface"] == "payana" and core["amount"] == 10000.00
    assert core["currency"] == "USD" and core["receipt"]["url"] == net.url + "/receipt.png"
    inv = stack.get("/api/invoices/%d" % core["invoiceId"], role="client").json()["invoice"]
    assert inv["amount"] == 10000.00 and inv["dueDate"] == "2025-01-01"
    # Statuses follow the core: validated is "scheduled", rejected "failed".
    assert stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                         json={"status": "validado"}).status_code == 200
    assert call(stack, "GET", "/payments/" + got["reference"]).json()["status"] == "scheduled"
    assert stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                         json={"status": "rechazado", "reason": "x"}).status_code == 200
    assert call(stack, "GET", "/payments/" + got["reference"]).json()["status"] == "failed"


def test_payment_rules(stack, net):
    ben = beneficiary(stack)
    cases = [
        ({"amount": 0}, "#/amount", "invalid"),
        ({"amount": 10.5}, "#/amount", "invalid"),
        ({"amount": "100"}, "#/amount", "invalid"),
        ({"amount_currency": "GTQ"}, "#/amount_currency", "not_allowed"),
        ({"exchange_currency": "PEN"}, "#/exchange_currency", "not_allowed"),
        ({"exchange_rate": -1}, "#/exchange_rate", "invalid"),
        ({"beneficiary_reference": str(uuid.uuid4())}, "#/beneficiary_reference", "not_found"),
        ({"beneficiary_reference": "nope"}, "#/beneficiary_reference", "invalid"),
        ({"file_path": "file:///etc/passwd"}, "#/file_path", "scheme_not_allowed"),
        ({"file_path": "http://169.254.169.254/x.pdf"}, "#/file_path", "address_denied"),
        ({"payable_payload": {"issue_date": "2025-02-30", "expiration_date": "2025-01-01"}},
         "#/payable_payload/issue_date", "invalid"),
        ({"payable_payload": {"issue_date": "2025-02-01", "expiration_date": "2025-01-01"}},
         "#/payable_payload/expiration_date", "before_issue"),
        ({"payable_payload": {"issue_date": "2025-01-01"}},
         "#/payable_payload/expiration_date", "missing"),
    ]
    for over, pointer, code in cases:
        r = call(stack, "POST", "/payments", example_payment(ben, net, **over))
        assert_problem(r, 422, [(pointer, code)])
    r = call(stack, "POST", "/payments", {})
    body = assert_problem(r, 422)
    missing = {e["pointer"] for e in body["errors"] if e["code"] == "missing"}
    assert {"#/beneficiary_reference", "#/amount", "#/amount_currency", "#/file_path",
            "#/payable_payload"} <= missing
    # A deleted beneficiary is paid no more.
    call(stack, "DELETE", "/beneficiaries/" + ben["reference"])
    r = call(stack, "POST", "/payments", example_payment(ben, net))
    assert_problem(r, 422, [("#/beneficiary_reference", "deleted")])


def test_api_key_header(stack, net):
    assert call(stack, "GET", "/beneficiaries", key=None).status_code == 401
    assert call(stack, "GET", "/beneficiaries", key="cbk_not_a_key").status_code == 401
    assert call(stack, "GET", "/beneficiaries", key="reviewer").status_code == 403
    # Bearer is the core API's way, not this surface's.
    r = requests.get(stack.url + BASE + "/beneficiaries", timeout=30,
                     headers={"Authorization": "Bearer " + stack.key("client")})
    assert r.status_code == 401
    ben = beneficiary(stack)
    got = call(stack, "POST", "/payments", example_payment(ben, net)).json()
    other = stack.request("POST", "/api/api-keys", role="admin",
                          json={"name": "payana-other", "role": "client"}).json()["key"]
    assert call(stack, "GET", "/payments/" + got["reference"], key=other).status_code == 404
    assert call(stack, "GET", "/payments/" + got["reference"], key="admin").status_code == 200


def test_idempotency_key_replays_the_payment(stack, net):
    ben = beneficiary(stack)
    k = {"Idempotency-Key": "payana-" + uuid.uuid4().hex}
    a = call(stack, "POST", "/payments", example_payment(ben, net), headers=k)
    b = call(stack, "POST", "/payments", example_payment(ben, net), headers=k)
    # As every create here: the replay is 200 with the stored answer.
    assert a.status_code == 201 and b.status_code == 200
    assert a.json()["reference"] == b.json()["reference"]
    assert b.headers.get("Idempotent-Replayed") == "true"
