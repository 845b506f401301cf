"""Seed 001 (account payments) to the letter: the document's example
request sent as it shows it (only the base URL and the token changed),
answered 201 with its fields and types; the idempotent replay (200 +
cached); the role matrix (each role × each dimension → allowed or 403);
JWTs with alg none, the wrong algorithm for the key, expired, not yet
valid, wrong audience or issuer, or a bad signature → 401; the validation
rules; reversal restoring the statement; the activity log."""
import base64
import datetime
import hashlib
import hmac
import json
import subprocess
import time
import uuid
import zoneinfo

import pytest
import requests

from conftest import assert_problem

EXAMPLE_REQUEST = {
    "date": "2024-03-15", "time": "14:30", "ventanaId": "ventana-001", "amount": 100000,
    "type": "payment", "method": "cash", "notes": "Pago parcial de ventas del día",
    "isFinal": False, "idempotencyKey": "payment-2024-03-15-001"}
EXAMPLE_RESPONSE = {
    "success": True, "data": {
        "payment": {"id": "pay-abc-123", "date": "2024-03-15", "time": "14:30",
                    "amount": 100000, "type": "payment", "method": "cash",
                    "notes": "Pago parcial de ventas del día", "isReversed": False,
                    "isFinal": False, "paidById": "user-123",
                    "createdAt": "2024-03-15T20:30:00.000Z"},
        "statement": {"id": "stmt-001", "date": "2024-03-15", "totalSales": 500000,
                      "totalPayouts": 250000, "totalPaid": 100000,
                      "remainingBalance": 132500, "isSaldado": False}}}


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(stack, role="ADMIN", sub="user-123", alg="HS256", header=None, **claims):
    now = int(time.time())
    body = {"sub": sub, "role": role, "iss": stack.env["CB_JWT_ISSUER"],
            "aud": stack.env["CB_JWT_AUDIENCE"], "iat": now, "exp": now + 600}
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    h = {"alg": alg, "typ": "JWT"}
    h.update(header or {})
    signing = b64(json.dumps(h).encode()) + "." + b64(json.dumps(body).encode())
    if alg == "HS256":
        key = base64.urlsafe_b64decode(stack.env["CB_JWT_HS256_SECRET"] + "==")
        sig = hmac.new(key, signing.encode(), hashlib.sha256).digest()
    elif alg == "RS256":
        sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", stack.env["CB_JWT_RS256_KEY"]],
                             input=signing.encode(), capture_output=True, check=True).stdout
    else:
        sig = b""
    return signing + "." + b64(sig)


def call(stack, method, path, body=None, tok=None, raw=None, ctype="application/json",
         **claims):
    tok = tok or token(stack, **claims)
    return requests.request(method, stack.url + path, timeout=30, headers={
        "Content-Type": ctype, "Authorization": "Bearer " + tok},
        data=raw if raw is not None else (None if body is None else json.dumps(body)))


def same_shape(example, ours):
    for k, v in example.items():
        assert k in ours, (k, ours)
        if isinstance(v, dict):
            same_shape(v, ours[k])
        elif isinstance(v, bool):
            assert isinstance(ours[k], bool), (k, ours[k])
        elif isinstance(v, (int, float)):
            assert isinstance(ours[k], (int, float)) and not isinstance(ours[k], bool), k
        else:
            assert type(ours[k]) is type(v), (k, ours[k])


@pytest.fixture(scope="module")
def accounts(stack):
    tag = uuid.uuid4().hex[:6]
    ids = {"banca": "banca-" + tag, "v1": "ventana-001", "v2": "ventana-002-" + tag,
           "s1": "vend-001-" + tag, "s2": "vend-201-" + tag}
    for acc, level, parent in (("banca", "banca", None), ("v1", "ventana", "banca"),
                               ("v2", "ventana", "banca"), ("s1", "vendedor", "v1"),
                               ("s2", "vendedor", "v2")):
        body = {"id": ids[acc], "level": level, "name": acc.upper()}
        if parent:
            body["parentId"] = ids[parent]
        r = call(stack, "POST", "/api/accounts", body)
        assert r.status_code in (201, 409), r.text
    # The day's ledger of the seed's example: 500000 sold, 250000 paid out.
    csv = "date,kind,amount,reference\n2024-03-15,sale,500000,T-1\n2024-03-15,payout,250000,T-2\n"
    r = call(stack, "POST", "/api/accounts/ventana-001/entries", raw=csv, ctype="text/csv")
    assert r.status_code == 201, r.text
    return ids


def test_example_request_and_idempotent_replay(stack, accounts):
    r = call(stack, "POST", "/api/accounts/payments", EXAMPLE_REQUEST)
    assert r.status_code == 201, r.text
    got = r.json()
    same_shape(EXAMPLE_RESPONSE, got)
    p, s = got["data"]["payment"], got["data"]["statement"]
    assert p["amount"] == 100000 and p["time"] == "14:30" and p["paidById"] == "user-123"
    assert p["ventanaId"] == "ventana-001" and p["isReversed"] is False
    assert (s["totalSales"], s["totalPayouts"], s["totalPaid"]) == (500000, 250000, 100000)
    assert s["remainingBalance"] == 150000 and s["isSaldado"] is False
    assert "cached" not in got
    again = call(stack, "POST", "/api/accounts/payments", EXAMPLE_REQUEST)
    assert again.status_code == 200 and again.json()["cached"] is True
    assert again.json()["data"]["payment"]["id"] == p["id"]
    # The statement, read back.
    st = call(stack, "GET", "/api/accounts/ventana-001/statements?date=2024-03-15").json()
    assert st["success"] is True and st["data"]["totalPaid"] == 100000
    log = stack.sql("SELECT action, principal_type, principal_id FROM comprobar.activity_log"
                    " WHERE target = 'account_payment:%s'" % p["id"])
    assert "ACCOUNT_PAYMENT_CREATE\tjwt\tuser-123" in log


def pay(stack, dim, account, role="ADMIN", **claims):
    body = {"date": "2024-03-15", dim: account, "amount": 10, "type": "collection",
            "method": "transfer"}
    return call(stack, "POST", "/api/accounts/payments", body, role=role, **claims)


def test_role_matrix(stack, accounts):
    a = accounts
    matrix = [
        # (role, claims, dimension, account, allowed)
        ("VENDEDOR", {"vendedorId": a["s1"]}, "vendedorId", a["s1"], False),
        ("VENDEDOR", {"vendedorId": a["s1"]}, "ventanaId", a["v1"], False),
        ("VENDEDOR", {"vendedorId": a["s1"]}, "bancaId", a["banca"], False),
        ("VENTANA", {"ventanaId": a["v1"]}, "ventanaId", a["v1"], True),
        ("VENTANA", {"ventanaId": a["v1"]}, "vendedorId", a["s1"], True),
        ("VENTANA", {"ventanaId": a["v1"]}, "ventanaId", a["v2"], False),
        ("VENTANA", {"ventanaId": a["v1"]}, "vendedorId", a["s2"], False),
        ("VENTANA", {"ventanaId": a["v1"]}, "bancaId", a["banca"], False),
        ("ADMIN", {}, "bancaId", a["banca"], True),
        ("ADMIN", {}, "ventanaId", a["v2"], True),
        ("ADMIN", {}, "vendedorId", a["s2"], True),
    ]
    for role, claims, dim, account, allowed in matrix:
        r = pay(stack, dim, account, role=role, **claims)
        if allowed:
            assert r.status_code == 201, (role, dim, r.text)
        else:
            assert_problem(r, 403)
    # Reading: a seller sees its own statement, not its window's.
    ok = call(stack, "GET", "/api/accounts/%s/statements?date=2024-03-15" % a["s1"],
              role="VENDEDOR", vendedorId=a["s1"])
    assert ok.status_code == 200
    no = call(stack, "GET", "/api/accounts/%s/statements?date=2024-03-15" % a["v1"],
              role="VENDEDOR", vendedorId=a["s1"])
    assert no.status_code == 403


def test_validation_rules(stack, accounts):
    tz = zoneinfo.ZoneInfo("America/Guatemala")
    now = datetime.datetime.now(tz)
    tomorrow = (now + datetime.timedelta(days=1)).date().isoformat()
    base = {"date": "2024-03-15", "ventanaId": "ventana-001", "amount": 5,
            "type": "payment", "method": "cash"}
    cases = [
        ({"date": tomorrow}, ("#/date", "in_future")),
        ({"date": "2024-02-30"}, ("#/date", "invalid")),
        ({"time": "24:00"}, ("#/time", "invalid")),
        ({"time": "9:30"}, ("#/time", "invalid")),
        ({"amount": 0}, ("#/amount", "not_positive")),
        ({"amount": -5}, ("#/amount", "not_positive")),
        ({"amount": 1.005}, ("#/amount", "too_many_decimals")),
        ({"type": "gift"}, ("#/type", "not_allowed")),
        ({"method": "crypto"}, ("#/method", "not_allowed")),
        ({"notes": "x" * 501}, ("#/notes", "too_long")),
        ({"idempotencyKey": "short"}, ("#/idempotencyKey", "too_short")),
        ({"vendedorId": "vend-x"}, ("#/", "ambiguous_dimension")),
    ]
    for over, cp in cases:
        body = dict(base, **over)
        r = call(stack, "POST", "/api/accounts/payments", body)
        assert_problem(r, 400, [cp])
    body = dict(base)
    del body["ventanaId"]
    assert_problem(call(stack, "POST", "/api/accounts/payments", body), 400,
                   [("#/", "missing_dimension")])
    if now.strftime("%H:%M") < "23:58":
        body = dict(base, date=now.date().isoformat(), time="23:59")
        assert_problem(call(stack, "POST", "/api/accounts/payments", body), 400,
                       [("#/time", "in_future")])
    # Today, a time already past, is fine; no time means 00:00.
    body = dict(base, date=now.date().isoformat())
    r = call(stack, "POST", "/api/accounts/payments", body)
    assert r.status_code == 201 and r.json()["data"]["payment"]["time"] == "00:00"
    r = call(stack, "POST", "/api/accounts/payments", dict(base, ventanaId="ventana-nope"))
    assert_problem(r, 404, [("#/ventanaId", "not_found")])


def test_jwts_that_are_refused(stack, accounts):
    body = {"date": "2024-03-15", "ventanaId": "ventana-001", "amount": 1,
            "type": "payment", "method": "cash"}
    now = int(time.time())
    good = token(stack)
    parts = good.split(".")
    pub = open(stack.env["CB_JWT_RS256_KEY"].replace(".key", ".pub"), "rb").read()
    confused_signing = parts[0].replace(parts[0], b64(json.dumps(
        {"alg": "HS256", "typ": "JWT"}).encode())) + "." + parts[1]
    confused = confused_signing + "." + b64(hmac.new(pub, confused_signing.encode(),
                                                     hashlib.sha256).digest())
    refused = {
        "alg none": token(stack, alg="none"),
        "alg none, no signature part": ".".join(token(stack, alg="none").split(".")[:2]) + ".",
        "RS256 header, HMAC signature": b64(json.dumps({"alg": "RS256"}).encode()) + "." +
        parts[1] + "." + parts[2],
        "HS256 keyed with the RSA public key": confused,
        "HS512": token(stack, alg="HS512"),
        "expired": token(stack, exp=now - 300),
        "not yet valid": token(stack, nbf=now + 300),
        "no exp": token(stack, exp=None),
        "wrong audience": token(stack, aud="someone-else"),
        "wrong issuer": token(stack, iss="evil"),
        "bad signature": parts[0] + "." + parts[1] + "." + parts[2][:-4] + "AAAA",
        "tampered claims": parts[0] + "." + b64(json.dumps(
            {"sub": "x", "role": "ADMIN", "exp": now + 600}).encode()) + "." + parts[2],
        "unknown role": token(stack, role="ROOT"),
        "garbage": "not.a.jwt",
    }
    for why, tok in refused.items():
        r = call(stack, "POST", "/api/accounts/payments", body, tok=tok)
        assert r.status_code == 401, (why, r.text)
        assert "invalid_token" in r.headers.get("WWW-Authenticate", ""), why
    r = requests.post(stack.url + "/api/accounts/payments", json=body, timeout=30)
    assert r.status_code == 401
    # An API key is not a token here.
    r = requests.post(stack.url + "/api/accounts/payments", json=body, timeout=30,
                      headers={"Authorization": "Bearer " + stack.key("admin")})
    assert r.status_code == 401
    # Within the leeway, and RS256 with the RSA key: accepted.
    assert call(stack, "POST", "/api/accounts/payments", body,
                tok=token(stack, exp=now - 5)).status_code == 201
    assert call(stack, "POST", "/api/accounts/payments", body,
                tok=token(stack, alg="RS256")).status_code == 201
    aud_list = token(stack, aud=["other", stack.env["CB_JWT_AUDIENCE"]])
    assert call(stack, "POST", "/api/accounts/payments", body, tok=aud_list).status_code == 201


def test_reversal_restores_the_statement_and_final_settles(stack, accounts):
    a = accounts
    day = "2024-04-02"
    csv = "%s,sale,1000,S-%s\n%s,sale,1000,S-%s\n" % (day, a["s1"], day, a["s1"])
    r = call(stack, "POST", "/api/accounts/%s/entries" % a["s1"], raw=csv, ctype="text/csv")
    assert r.status_code == 201 and r.json()["added"] == 1 and r.json()["known"] == 1
    body = {"date": day, "vendedorId": a["s1"], "amount": 400.50, "type": "payment",
            "method": "cash", "isFinal": True}
    r = call(stack, "POST", "/api/accounts/payments", body, role="VENTANA", ventanaId=a["v1"])
    assert r.status_code == 201, r.text
    pid = r.json()["data"]["payment"]["id"]
    st = r.json()["data"]["statement"]
    assert st["totalPaid"] == 400.5 and st["remainingBalance"] == 599.5 and st["isSaldado"] is True
    r = call(stack, "POST", "/api/accounts/payments/%s/reverse" % pid, {"reason": "duplicado"},
             role="VENTANA", ventanaId=a["v1"])
    assert r.status_code == 200, r.text
    assert r.json()["data"]["payment"]["isReversed"] is True
    st = r.json()["data"]["statement"]
    assert st["totalPaid"] == 0 and st["remainingBalance"] == 1000 and st["isSaldado"] is False
    again = call(stack, "POST", "/api/accounts/payments/%s/reverse" % pid, {})
    assert_problem(again, 409)
    other = call(stack, "POST", "/api/accounts/payments/%s/reverse" % pid, {},
                 role="VENTANA", ventanaId=a["v2"])
    assert_problem(other, 403)
    log = stack.sql("SELECT action FROM comprobar.activity_log WHERE target ="
                    " 'account_payment:%s' ORDER BY id" % pid).split()
    assert log == ["ACCOUNT_PAYMENT_CREATE", "ACCOUNT_PAYMENT_REVERSE"]
    # The ledger and the CSV import's rules.
    bad = call(stack, "POST", "/api/accounts/%s/entries" % a["s1"], raw="2024-04-02,sale,abc\n",
               ctype="text/csv")
    assert_problem(bad, 400)
    assert "line 1" in bad.json()["detail"]
    lst = call(stack, "GET", "/api/accounts/%s/entries?date=%s" % (a["s1"], day)).json()
    assert [e["amount"] for e in lst["entries"]] == [1000]
    assert_problem(call(stack, "POST", "/api/accounts/%s/entries" % a["s1"],
                        {"date": day, "kind": "sale", "amount": 1},
                        role="VENTANA", ventanaId=a["v1"]), 403)


def test_comprobarctl_mints_a_token_the_api_accepts(stack, accounts):
    r = stack.ctl("jwt", "sign", "--role", "VENTANA", "--sub", "ops-1",
                  "--ventana", "ventana-001", "--ttl", "120")
    assert r.returncode == 0, r.stderr
    tok = r.stdout.strip()
    claims = json.loads(base64.urlsafe_b64decode(tok.split(".")[1] + "=="))
    assert claims["role"] == "VENTANA" and claims["exp"] - claims["iat"] == 120
    assert claims["iss"] == stack.env["CB_JWT_ISSUER"]
    body = {"date": "2024-03-15", "ventanaId": "ventana-001", "amount": 3,
            "type": "payment", "method": "system"}
    got = call(stack, "POST", "/api/accounts/payments", body, tok=tok)
    assert got.status_code == 201 and got.json()["data"]["payment"]["paidById"] == "ops-1"
    assert stack.ctl("jwt", "sign", "--role", "ROOT", "--sub", "x").returncode != 0


def test_a_replay_is_judged_in_the_callers_scope(stack, accounts):
    """The same sub and key from a token of another window: never the
    other window's payment and statement as cached."""
    key = "replay-" + uuid.uuid4().hex[:10]
    body = {"date": "2024-03-15", "ventanaId": accounts["v2"], "amount": 7,
            "type": "payment", "method": "cash", "idempotencyKey": key}
    r = call(stack, "POST", "/api/accounts/payments", body, role="VENTANA",
             sub="same-sub", ventanaId=accounts["v2"])
    assert r.status_code == 201, r.text
    other = call(stack, "POST", "/api/accounts/payments", body, role="VENTANA",
                 sub="same-sub", ventanaId="ventana-001")
    assert other.status_code == 403, other.text
    assert accounts["v2"] not in other.text and "cached" not in other.text
    mine = call(stack, "POST", "/api/accounts/payments", body, role="VENTANA",
                sub="same-sub", ventanaId=accounts["v2"])
    assert mine.status_code == 200 and mine.json()["cached"] is True
