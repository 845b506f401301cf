"""The authorization matrix, generated from the route table.

`comprobar-fcgi --routes` prints every route with the roles it admits and
whose objects it reaches (`access`, declared beside the route in
fcgi/api/routes.c).  MATRIX below writes out, per route, the answer each
caller must get; it must name exactly the routes the server has and agree
with what each declaration implies, so a route added or a rule changed
without its row fails.  Every route is then called by {no key, a bad key,
admin, client A, client B, reviewer} on A's object, and each answer is
compared with its cell.  The rules the cells follow (core/ownership.h):

  no key, bad key      401 on every route that takes a key
  a role not admitted  403
  another client's     404, and the object is unchanged afterwards
  one's own, admin     not 401/403/404

Lists (`own`) must show the caller's objects and never another client's.
A route added without a declared access or a row, or whose path names an
object this test cannot make, fails here.  The account routes take a
seed 001 token, which no API key is: their roles are test_seed_accounts'.
Pages take a session (a reviewer's login, test_web): keys get the login."""
import json
import os
import subprocess
import time
import uuid

import pytest
import requests

from test_webhooks import Receiver

PAYANA = "/public/api/v1"
RECEIPT = open(os.path.join(os.path.dirname(__file__), "..", "corpus", "sample",
                            "0000-clean.png"), "rb").read()
APAGOS = "/apagos/unchecked_payment"
CALLERS = ("none", "bad", "admin", "client", "client2", "reviewer")

# What each caller gets, on client A's object where the route names one:
# no key, a bad key, admin, client A, client B (clnt2), reviewer.  ok:
# neither 401, 403 nor 404; login: a page's answer without a session (303
# to /login, or 401/403).
MATRIX = """
method pattern                                 access  none  bad   admin clnt  clnt2 revwr
GET    /                                       public  ok    ok    ok    ok    ok    ok
GET    /healthz                                public  ok    ok    ok    ok    ok    ok
GET    /readyz                                 public  ok    ok    ok    ok    ok    ok
GET    /metrics                                public  ok    ok    ok    ok    ok    ok
GET    /api/me                                 self    401   401   ok    ok    ok    ok
GET    /login                                  public  ok    ok    ok    ok    ok    ok
POST   /login                                  public  ok    ok    ok    ok    ok    ok
POST   /logout                                 public  ok    ok    ok    ok    ok    ok
GET    /review                                 session login login login login login login
GET    /activity                               session login login login login login login
GET    /review/{id}                            session login login login login login login
GET    /review/{id}/document                   session login login login login login login
GET    /review/{id}/pages/{n}                  session login login login login login login
POST   /review/{id}/decision                   session login login login login login login
POST   /review/{id}/bank-match                 session login login login login login login
POST   /review/{id}/bank-unmatch               session login login login login login login
GET    /payments/{id}                          session login login login login login login
GET    /bank                                   session login login login login login login
GET    /bank/imports/{id}                      session login login login login login login
GET    /api/activity                           staff   401   401   ok    403   403   403
GET    /api/api-keys                           staff   401   401   ok    403   403   403
POST   /api/api-keys                           staff   401   401   ok    403   403   403
DELETE /api/api-keys/{id}                      staff   401   401   ok    403   403   403
POST   /api/payments                           own     401   401   ok    ok    ok    403
GET    /api/payments                           own     401   401   ok    ok    ok    ok
GET    /api/payments/{id}                      owned   401   401   ok    ok    404   ok
PATCH  /api/payments/{id}                      owned   401   401   ok    ok    404   403
POST   /api/payments/{id}/status               owned   401   401   ok    ok    404   ok
GET    /api/payments/{id}/history              owned   401   401   ok    ok    404   ok
GET    /api/payments/{id}/document             owned   401   401   ok    ok    404   ok
GET    /api/payments/{id}/ocr                  owned   401   401   ok    ok    404   ok
POST   /api/payments/{id}/ocr                  staff   401   401   ok    403   403   403
POST   /api/customers                          own     401   401   ok    ok    ok    403
GET    /api/customers                          own     401   401   ok    ok    ok    ok
GET    /api/customers/{id}                     owned   401   401   ok    ok    404   ok
POST   /api/invoices                           own     401   401   ok    ok    ok    403
GET    /api/invoices                           own     401   401   ok    ok    ok    ok
GET    /api/invoices/{id}                      owned   401   401   ok    ok    404   ok
POST   /api/bank-accounts                      staff   401   401   ok    403   403   403
GET    /api/bank-accounts                      own     401   401   ok    ok    ok    ok
GET    /api/bank-accounts/{id}                 shared  401   401   ok    ok    404   ok
PATCH  /api/bank-accounts/{id}                 shared  401   401   ok    403   403   403
POST   /api/bank-statements                    staff   401   401   ok    403   403   403
GET    /api/bank-statements/{id}               staff   401   401   ok    403   403   ok
GET    /api/bank-statements/{id}/movements     staff   401   401   ok    403   403   ok
GET    /api/bank-accounts/{id}/movements       staff   401   401   ok    403   403   ok
POST   /api/bank-statement-profiles            staff   401   401   ok    403   403   403
GET    /api/bank-statement-profiles            staff   401   401   ok    403   403   ok
GET    /api/bank-statement-profiles/{name}     staff   401   401   ok    403   403   ok
DELETE /api/bank-statement-profiles/{name}     staff   401   401   ok    403   403   403
GET    /api/payments/{id}/bank-candidates      staff   401   401   ok    403   403   ok
POST   /api/payments/{id}/bank-match           staff   401   401   ok    403   403   ok
DELETE /api/payments/{id}/bank-match           staff   401   401   ok    403   403   ok
POST   APAGOS/register                         own     401   401   ok    ok    ok    403
POST   APAGOS/cancel/{request_id}              owned   401   401   ok    ok    404   403
GET    APAGOS/info/{request_id}                owned   401   401   ok    ok    404   403
POST   /api/accounts/payments                  token   401   401   401   401   401   401
POST   /api/accounts/payments/{id}/reverse     token   401   401   401   401   401   401
POST   /api/accounts                           token   401   401   401   401   401   401
GET    /api/accounts/{id}                      token   401   401   401   401   401   401
GET    /api/accounts/{id}/statements           token   401   401   401   401   401   401
POST   /api/accounts/{id}/entries              token   401   401   401   401   401   401
GET    /api/accounts/{id}/entries              token   401   401   401   401   401   401
POST   PAYANA/beneficiaries                    own     401   401   ok    ok    ok    403
GET    PAYANA/beneficiaries                    own     401   401   ok    ok    ok    403
GET    PAYANA/beneficiaries/{reference}        owned   401   401   ok    ok    404   403
DELETE PAYANA/beneficiaries/{reference}        owned   401   401   ok    ok    404   403
POST   PAYANA/payments                         own     401   401   ok    ok    ok    403
GET    PAYANA/payments/{reference}             owned   401   401   ok    ok    404   403
POST   /api/webhook-endpoints                  own     401   401   ok    ok    ok    403
GET    /api/webhook-endpoints                  own     401   401   ok    ok    ok    403
GET    /api/webhook-endpoints/{id}             owned   401   401   ok    ok    404   403
PATCH  /api/webhook-endpoints/{id}             owned   401   401   ok    ok    404   403
DELETE /api/webhook-endpoints/{id}             owned   401   401   ok    ok    404   403
POST   /api/webhook-endpoints/{id}/rotate-secret owned  401   401   ok    ok    404   403
POST   /api/webhook-callback-secret            own     401   401   ok    ok    ok    403
GET    /api/webhook-deliveries                 own     401   401   ok    ok    ok    403
GET    /api/webhook-deliveries/{id}            owned   401   401   ok    ok    404   403
POST   /api/webhook-deliveries/{id}/redeliver  owned   401   401   ok    ok    404   403
"""


def matrix():
    rows = {}
    for line in MATRIX.strip().splitlines()[1:]:
        method, pattern, access, *cells = line.split()
        pattern = pattern.replace("PAYANA", PAYANA).replace("APAGOS", APAGOS)
        assert (method, pattern) not in rows, "two rows for %s %s" % (method, pattern)
        rows[(method, pattern)] = (access, dict(zip(CALLERS, cells)))
    return rows
# The two clients are keys of this module's own (made in `world`), so that
# what they make never lands in another test's view of the stack's client.
KEYS = {}


def routes(stack):
    out = subprocess.run([stack.build + "/comprobar-fcgi", "--routes"],
                         capture_output=True, text=True, check=True).stdout
    return [json.loads(line) for line in out.splitlines()]


def headers(stack, caller, auth):
    h = {"Content-Type": "application/json"}
    if caller == "none":
        return h
    key = "cbk_" + "0" * 43 if caller == "bad" else KEYS.get(caller) or stack.key(caller)
    if auth == "api-key":
        h["api-key"] = key
    else:
        h["Authorization"] = "Bearer " + key
    return h


def call(stack, method, path, caller="client", auth="bearer", body=None):
    return requests.request(method, stack.url + path, timeout=30,
                            headers=headers(stack, caller, auth),
                            data=None if body is None else json.dumps(body),
                            allow_redirects=False)


class World:
    """Objects of one client: each kind a route can name."""

    def __init__(self, stack, net, who, shared_account):
        self.stack, self.net, self.who = stack, net, who
        self.shared_account = shared_account
        self.mark = "%s-%s" % (who, uuid.uuid4().hex[:8])
        self.key_id = call(stack, "GET", "/api/me", who).json()["keyId"]

    def ok(self, r, *codes):
        assert r.status_code in (codes or (200, 201)), (self.who, r.status_code, r.text)
        return r.json()

    def customer(self):
        return self.ok(call(self.stack, "POST", "/api/customers", self.who, body={
            "name": "Cliente " + self.mark, "documentType": "NIT",
            "documentId": uuid.uuid4().hex[:12]}))["customer"]["customerId"]

    def invoice(self, customer=None):
        return self.ok(call(self.stack, "POST", "/api/invoices", self.who, body={
            "customerId": customer or self.customer(), "number": "F-" + uuid.uuid4().hex[:8],
            "amount": "300.00", "currency": "GTQ", "issueDate": "2026-01-01",
            "dueDate": "2026-12-31"}))["invoice"]["invoiceId"]

    def payment(self):
        """With a receipt, so that its document and OCR routes have one."""
        form = {"customerId": (None, str(self.customer())), "amount": (None, "100.00"),
                "currency": (None, "GTQ"), "paymentMethod": (None, "transferencia"),
                "reference": (None, "R" + uuid.uuid4().hex[:10]),
                "transactionDate": (None, "2026-03-03"), "notes": (None, self.mark),
                "document": ("r.png", RECEIPT, "image/png")}
        h = {"Authorization": "Bearer " + KEYS[self.who],
             "Prefer": "respond-async"}
        r = requests.post(self.stack.url + "/api/payments", headers=h, files=form,
                          timeout=60)
        return self.ok(r)["payment"]["paymentId"]

    def endpoint(self):
        return self.ok(call(self.stack, "POST", "/api/webhook-endpoints", self.who, body={
            "url": self.net.url + "/ok/" + self.mark,
            "description": self.mark}))["webhookEndpoint"]["id"]

    def delivery(self):
        """Delivered already: a delivery still being sent changes by itself,
        and this test compares it before and after another client's call."""
        self.endpoint()
        pid = self.payment()
        end = time.time() + 25
        while time.time() < end:
            got = self.ok(call(self.stack, "GET", "/api/webhook-deliveries", self.who))
            for d in got["webhookDeliveries"]:
                if d.get("paymentId") == pid and d["state"] == "succeeded":
                    return d["id"]
            time.sleep(0.2)
        raise AssertionError("no delivered delivery for %s's payment" % self.who)

    def beneficiary(self):
        return self.ok(call(self.stack, "POST", PAYANA + "/beneficiaries", self.who,
                            "api-key", body={
                                "name": "Ben " + self.mark, "identifier_type": "NIT",
                                "identifier_number": str(uuid.uuid4().int)[:10]}))["reference"]

    def payana_payment(self):
        return self.ok(call(self.stack, "POST", PAYANA + "/payments", self.who, "api-key", body={
            "beneficiary_reference": self.beneficiary(), "amount": 10000,
            "amount_currency": "USD", "file_path": self.net.url + "/receipt.png",
            "payable_payload": {"issue_date": "2026-01-01", "expiration_date": "2026-02-01",
                                "concept": self.mark}}))["reference"]

    def voucher(self):
        return self.ok(call(self.stack, "POST", APAGOS + "/register", self.who, body={
            "amount": 12.30, "order_id": uuid.uuid4().hex[:12], "operation_number": "123",
            "bank_account_id": self.shared_account, "date": "2026-03-03",
            "detail": self.mark, "customer_dni": "12345678",
            "webhook": self.net.url + "/ok/" + self.mark,
            "receipt": self.net.url + "/receipt.png",
            "customer_fullname": "Juan Pérez"}))["request_id"]

    def account(self):
        """A bank account an admin gave to this client."""
        return self.ok(call(self.stack, "POST", "/api/bank-accounts", "admin", body={
            "bankAccountId": "acct-" + uuid.uuid4().hex[:12], "bankCode": "BI",
            "number": str(uuid.uuid4().int)[:12], "numberKind": "account",
            "currency": "GTQ", "clientKeyId": self.key_id}))["bankAccount"]["id"]


# What each path parameter names, by the collection it sits in: the
# factory that makes one, and the route that reads it back.
KINDS = [
    ("/api/payments/{id}", "payment", "/api/payments/%s"),
    ("/api/customers/{id}", "customer", "/api/customers/%s"),
    ("/api/invoices/{id}", "invoice", "/api/invoices/%s"),
    ("/api/bank-accounts/{id}", "account", "/api/bank-accounts/%s"),
    ("/api/webhook-endpoints/{id}", "endpoint", "/api/webhook-endpoints/%s"),
    ("/api/webhook-deliveries/{id}", "delivery", "/api/webhook-deliveries/%s"),
    (PAYANA + "/beneficiaries/{reference}", "beneficiary", PAYANA + "/beneficiaries/%s"),
    (PAYANA + "/payments/{reference}", "payana_payment", PAYANA + "/payments/%s"),
    (APAGOS + "/cancel/{request_id}", "voucher", APAGOS + "/info/%s"),
    (APAGOS + "/info/{request_id}", "voucher", APAGOS + "/info/%s"),
]

# A body each mutating route would accept from the object's owner, so that
# a refusal to another client is the ownership rule and not validation.
BODIES = {
    ("PATCH", "/api/payments/{id}"): {"notes": "changed by another"},
    ("POST", "/api/payments/{id}/status"): {"status": "cancelado", "reason": "x"},
    ("PATCH", "/api/webhook-endpoints/{id}"): {"description": "changed by another"},
    ("POST", "/api/webhook-endpoints/{id}/rotate-secret"): {},
    ("POST", APAGOS + "/cancel/{request_id}"): {"expected_status": "PENDING"},
}

# Collections: where the caller's own objects must show, and others' not.
LISTS = {
    "/api/payments": ("payments", "paymentId", "payment"),
    "/api/customers": ("customers", "customerId", "customer"),
    "/api/invoices": ("invoices", "invoiceId", "invoice"),
    "/api/bank-accounts": ("bankAccounts", "id", "account"),
    "/api/webhook-endpoints": ("webhookEndpoints", "id", "endpoint"),
    "/api/webhook-deliveries": ("webhookDeliveries", "id", "delivery"),
    PAYANA + "/beneficiaries": (None, "reference", "beneficiary"),
}


def kind_of(pattern):
    for prefix, kind, read in KINDS:
        if pattern.startswith(prefix):
            return kind, read, prefix
    return None, None, None


def fill(pattern, value):
    return pattern.replace("{id}", str(value)).replace("{reference}", str(value)) \
        .replace("{request_id}", str(value))


@pytest.fixture(scope="module")
def world(stack):
    for who in ("client", "client2"):
        r = call(stack, "POST", "/api/api-keys", "admin", body={
            "name": "authz-" + who, "role": "client"})
        assert r.status_code == 201, r.text
        KEYS[who] = r.json()["key"]
    net = Receiver()
    shared = "shared-" + uuid.uuid4().hex[:8]
    r = call(stack, "POST", "/api/bank-accounts", "admin", body={
        "bankAccountId": shared, "bankCode": "BI", "number": str(uuid.uuid4().int)[:12],
        "numberKind": "account", "currency": "GTQ"})
    assert r.status_code == 201, r.text
    worlds = {w: World(stack, net, w, shared) for w in ("client", "client2")}
    yield worlds
    net.server.shutdown()
    KEYS.clear()


def implied(route, caller):
    """The cell a route's declaration implies for a caller."""
    auth, roles, access = route["auth"], route["roles"], route["access"]
    if access == "public":
        return "ok"
    if access == "session":
        return "login"
    if caller in ("none", "bad"):
        return "401"
    if auth == "jwt":
        return "401"  # an API key is not a token
    if {"client2": "client"}.get(caller, caller) not in roles:
        return "403"
    if caller == "client2" and access in ("owned", "shared"):
        return "404"
    return "ok"


def test_every_route_has_its_row_and_declares_its_access(stack):
    bad = [r["method"] + " " + r["pattern"] for r in routes(stack) if not r["access"]]
    assert not bad, "routes without a declared access: %s" % bad
    rows = matrix()
    have = {(r["method"], r["pattern"]) for r in routes(stack)}
    assert not have - set(rows), "routes without a row in MATRIX: %s" % sorted(have - set(rows))
    assert not set(rows) - have, "rows of routes that are gone: %s" % sorted(set(rows) - have)
    for r in routes(stack):
        access, cells = rows[(r["method"], r["pattern"])]
        assert access == r["access"], (r["method"], r["pattern"], "declared", r["access"])
        for caller in CALLERS:
            assert cells[caller] == implied(r, caller), \
                (r["method"], r["pattern"], caller, cells[caller], "declared", r)
        if r["access"] in ("owned", "shared") or "{" in r["pattern"] and \
                r["access"] not in ("session", "staff", "token"):
            assert kind_of(r["pattern"])[0], \
                "no object for %s %s: add it to KINDS" % (r["method"], r["pattern"])


def settled(stack, path, auth):
    """The object as it rests: jobs (OCR, a receipt download, matching,
    webhook sending) change a new one by themselves for a while, and the
    matrix compares it before and after another client's call."""
    last, end = None, time.time() + 40
    while time.time() < end:
        r = call(stack, "GET", path, "admin", auth)
        assert r.status_code == 200, r.text
        busy = any(w in r.text for w in ('"status":"processing"', '"status":"fetching"',
                                          '"state":"pending"', '"state":"sending"'))
        if not busy and last is not None and r.text == last.text:
            return r
        last = r
        time.sleep(1.0)
    raise AssertionError("%s never settled" % path)


def test_matrix(stack, world):
    a = world["client"]
    checked = 0
    tally = {}
    rows = matrix()
    for route in routes(stack):
        method, pattern, access = route["method"], route["pattern"], route["access"]
        cells = rows[(method, pattern)][1]
        if access == "public":
            continue
        kind, read, _ = kind_of(pattern)
        obj = getattr(a, kind)() if kind else 1
        own = fill(pattern, obj).replace("{n}", "1")
        body = BODIES.get((method, pattern), {} if method in ("POST", "PATCH") else None)
        if cells["client2"] == "404":
            # B on A's object first (before A's own call changes it): 404,
            # never 403, naming nothing of A's, and nothing changed.
            rauth = "api-key" if read.startswith(PAYANA) else "bearer"
            before = settled(stack, read % obj, rauth)
            r = call(stack, method, own, "client2", route["auth"], body)
            assert r.status_code == 404, (method, pattern, r.status_code, r.text[:300])
            assert a.mark not in r.text, r.text
            after = call(stack, "GET", read % obj, "admin", rauth)
            assert before.text == after.text, (method, pattern, "changed by another client")
            checked += 1
            tally[(access, "client2 on A's", 404)] = tally.get(
                (access, "client2 on A's", 404), 0) + 1
        for caller in CALLERS:
            if caller == "client2" and cells[caller] == "404":
                continue  # judged above
            cell = cells[caller]
            want = None if cell == "ok" else "session" if cell == "login" else int(cell)
            if want is None and (access == "staff" or caller == "client2" or
                                 (caller == "admin" and method == "DELETE")):
                # staff: only the role gate is this test's; client2: judged
                # above; admin's DELETE would leave the owner nothing.
                continue
            r = call(stack, method, own, caller, route["auth"], body)
            where = (method, pattern, caller, r.status_code, r.text[:200])
            if want == "session":
                assert r.status_code in (303, 401, 403), where
                if r.status_code == 303:
                    assert r.headers["Location"].endswith("/login"), where
            elif want is not None:
                assert r.status_code == want, where
            else:
                assert r.status_code not in (401, 403, 404), where
            checked += 1
            k = (access, caller, want or "allowed")
            tally[k] = tally.get(k, 0) + 1
    # The matrix, for whoever runs this with -s (the closing notes quote it).
    for k in sorted(tally, key=str):
        print("authz %-8s %-15s %-8s %d" % (k[0], k[1], k[2], tally[k]))
    assert checked > 200, checked


def values(body, list_key, id_key):
    items = body if list_key is None else body[list_key]
    return {item[id_key] for item in items}


@pytest.mark.parametrize("path", sorted(LISTS))
def test_lists_show_only_ones_own(stack, world, path):
    list_key, id_key, kind = LISTS[path]
    a, b = world["client"], world["client2"]
    mine, theirs = getattr(a, kind)(), getattr(b, kind)()
    auth = "api-key" if path.startswith(PAYANA) else "bearer"
    for who, own, other in ((a, mine, theirs), (b, theirs, mine)):
        r = call(stack, "GET", path + ("?limit=200" if path.startswith("/api") else ""),
                 who.who, auth)
        assert r.status_code == 200, r.text
        got = values(r.json(), list_key, id_key)
        assert own in got, (path, who.who)
        assert other not in got, (path, who.who, "sees another client's")
    r = call(stack, "GET", path + ("?limit=200" if path.startswith("/api") else ""), "admin",
             auth)
    got = values(r.json(), list_key, id_key)
    assert mine in got and theirs in got, path


def test_a_client_cannot_build_on_another_clients_objects(stack, world):
    a, b = world["client"], world["client2"]
    cust, inv = a.customer(), None
    inv = a.invoice(cust)
    r = call(stack, "POST", "/api/payments", "client2", body={
        "customerId": cust, "amount": "10.00", "currency": "GTQ",
        "transactionDate": "2026-03-03", "reference": "X1"})
    assert r.status_code == 422 and "customerId" in r.text, r.text
    r = call(stack, "POST", "/api/payments", "client2", body={
        "customerId": b.customer(), "invoiceId": inv, "amount": "10.00",
        "currency": "GTQ", "transactionDate": "2026-03-03", "reference": "X2"})
    assert r.status_code == 422 and "invoiceId" in r.text, r.text
    r = call(stack, "POST", "/api/invoices", "client2", body={
        "customerId": cust, "number": "F-1", "amount": "1.00", "currency": "GTQ",
        "issueDate": "2026-01-01", "dueDate": "2026-12-31"})
    assert r.status_code == 422 and "customerId" in r.text, r.text
    # A bank account given to A is not B's to name.
    acct = call(stack, "GET", "/api/bank-accounts/%d" % a.account(), "client").json()
    r = call(stack, "POST", APAGOS + "/register", "client2", body={
        "amount": 1.5, "order_id": uuid.uuid4().hex[:10], "operation_number": "1",
        "bank_account_id": acct["bankAccount"]["bankAccountId"], "date": "2026-03-03",
        "customer_dni": "1", "customer_fullname": "X",
        "webhook": a.net.url + "/ok/x", "receipt": a.net.url + "/receipt.png"})
    assert r.status_code == 400 and "bank_account_id" in r.text, r.text


def test_the_same_payer_is_two_customers_of_two_clients(stack, world):
    """Registering a beneficiary with another client's NIT makes one's own,
    and no answer names the other's."""
    nit = str(uuid.uuid4().int)[:10]
    bodies = {}
    for who in ("client", "client2"):
        r = call(stack, "POST", PAYANA + "/beneficiaries", who, "api-key", body={
            "name": "Mismo", "identifier_type": "NIT", "identifier_number": nit})
        assert r.status_code == 201, r.text
        bodies[who] = r.json()
    assert bodies["client"]["reference"] != bodies["client2"]["reference"]
    r = call(stack, "POST", PAYANA + "/beneficiaries", "client2", "api-key", body={
        "name": "Mismo", "identifier_type": "NIT", "identifier_number": nit})
    assert r.status_code == 409
    assert bodies["client"]["reference"] not in r.text
    assert bodies["client2"]["reference"] in r.text
    # The core API the same: one document, two clients, two customers.
    doc = uuid.uuid4().hex[:10]
    for who in ("client", "client2"):
        r = call(stack, "POST", "/api/customers", who, body={
            "name": "Mismo", "documentType": "NIT", "documentId": doc})
        assert r.status_code == 201, r.text


def test_history_shows_a_client_only_its_own_key_by_name(stack, world):
    a = world["client"]
    pid = a.payment()
    r = call(stack, "POST", "/api/payments/%d/status" % pid, "admin",
             body={"status": "validado"})
    assert r.status_code == 200, r.text
    mine = call(stack, "GET", "/api/payments/%d/history" % pid, "client").json()["events"]
    admin = call(stack, "GET", "/api/payments/%d/history" % pid, "admin").json()["events"]
    created = [e for e in mine if e["kind"] == "created"][0]
    assert created["actor"]["id"] == str(a.key_id) and created["actor"]["name"]
    moved = [e for e in mine if e["toStatus"] == "validado"][0]
    assert moved["actor"]["type"] == "api_key"
    assert moved["actor"]["name"] is None and moved["actor"]["remoteAddr"] is None
    assert moved["actor"]["id"] is None and moved["requestId"] is None
    seen = [e for e in admin if e["toStatus"] == "validado"][0]
    assert seen["actor"]["name"] == "demo-admin" and seen["actor"]["remoteAddr"]
