"""The HTTP surface of the foundation: health, auth, routing, JSON bodies,
problem+json errors — all through nginx → FastCGI → MariaDB."""
import json
import re
import time

import requests

from conftest import assert_problem


def test_readyz_reports_schema_version(stack):
    r = stack.get("/readyz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ready"
    assert body["schema"]["current"] == body["schema"]["expected"] >= 1


def test_index_names_the_service(stack):
    r = stack.get("/")
    assert r.status_code == 200
    body = r.json()
    assert body["service"] == "comprobar" and body["links"]["ready"] == "/readyz"


def test_healthz_is_public_json(stack):
    r = stack.get("/healthz")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json; charset=utf-8"
    assert r.json() == {"status": "ok"}
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_head_answers_without_body(stack):
    r = requests.head(stack.url + "/healthz", timeout=10)
    assert r.status_code == 200 and r.content == b""


def test_no_key_is_401_with_challenge(stack):
    r = stack.get("/api/me")
    assert_problem(r, 401)
    assert r.headers["WWW-Authenticate"].startswith("Bearer realm=")


def test_wrong_scheme_and_garbage_keys_are_401(stack):
    for h in ("Basic YWRtaW46YWRtaW4=", "Bearer", "Bearer nonsense",
              "Bearer cbk_" + "A" * 43, "Bearer cbk_' OR 1=1 -- "):
        r = stack.get("/api/me", headers={"Authorization": h})
        assert_problem(r, 401)


def test_unknown_key_says_invalid_token(stack):
    r = stack.get("/api/me", headers={"Authorization": "Bearer cbk_" + "B" * 43})
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]


def test_each_role_sees_itself(stack):
    for role in ("admin", "client", "reviewer"):
        r = stack.get("/api/me", role=role)
        assert r.status_code == 200
        assert r.json()["role"] == role


def test_wrong_role_is_403(stack):
    for role in ("client", "reviewer"):
        body = assert_problem(stack.get("/api/api-keys", role=role), 403)
        assert role in body["detail"]


def test_key_lifecycle_create_use_revoke(stack):
    r = stack.request("POST", "/api/api-keys", role="admin",
                      json={"name": "lifecycle", "role": "client"})
    assert r.status_code == 201, r.text
    created = r.json()
    key = created["key"]
    assert re.fullmatch(r"cbk_[A-Za-z0-9_-]{43}", key)  # 256 random bits
    assert r.headers["Location"] == "/api/api-keys/%d" % created["id"]
    assert created["role"] == "client" and created["revokedAt"] is None
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", created["createdAt"])
    me = stack.get("/api/me", headers={"Authorization": "Bearer " + key})
    assert me.status_code == 200 and me.json()["name"] == "lifecycle"
    # Listed, without the key itself.
    listed = stack.get("/api/api-keys", role="admin").json()["apiKeys"]
    entry = [k for k in listed if k["id"] == created["id"]][0]
    assert "key" not in entry and entry["prefix"] == key[:12]
    # Only the hash is stored.
    assert key not in stack.sql("SELECT key_hash, key_prefix FROM comprobar.api_keys")
    revoke = stack.request("DELETE", "/api/api-keys/%d" % created["id"], role="admin")
    assert revoke.status_code == 204
    r = stack.get("/api/me", headers={"Authorization": "Bearer " + key})
    assert_problem(r, 401)
    # Activity log has both actions with the request id.
    rows = stack.sql("SELECT action, request_id FROM comprobar.activity_log "
                     "WHERE target = 'api_key:%d' ORDER BY id" % created["id"])
    assert [l.split("\t")[0] for l in rows.strip().splitlines()] == \
        ["API_KEY_CREATE", "API_KEY_REVOKE"]
    assert rows.strip().splitlines()[1].split("\t")[1] == revoke.headers["X-Request-Id"]


def test_revoke_unknown_and_bad_ids(stack):
    assert_problem(stack.request("DELETE", "/api/api-keys/999999", role="admin"), 404)
    assert_problem(stack.request("DELETE", "/api/api-keys/abc", role="admin"), 422,
                   [("#/id", "invalid")])


def test_unknown_route_is_404_problem(stack):
    assert_problem(stack.get("/api/nothing-here"), 404)
    assert_problem(stack.get("/api/me/extra", role="admin"), 404)


def test_wrong_method_is_405_with_allow(stack):
    r = stack.request("PUT", "/api/api-keys", role="admin")
    assert_problem(r, 405)
    assert set(a.strip() for a in r.headers["Allow"].split(",")) == {"GET", "POST", "HEAD"}
    r = stack.request("POST", "/healthz")
    assert_problem(r, 405)
    assert "GET" in r.headers["Allow"]


def raw_get(stack, path):
    """Sends the path byte for byte (no client-side normalisation)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", int(stack.env["CB_PORT"]), timeout=10)
    c.putrequest("GET", path, skip_accept_encoding=True)
    c.endheaders()
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, r.getheader("Content-Type"), body


def test_malformed_paths_are_400_problems(stack):
    # Rejected by nginx (bad escapes, NUL, climbing out) or by our router
    # (dot segments nginx lets through): either way a problem document.
    for p in ("/api/%zz", "/api/api-keys/%00", "/../etc/passwd", "/api/./me",
              "/api/%2e%2e/me"):
        status, ctype, body = raw_get(stack, p)
        assert status == 400, (p, status, body)
        assert ctype.startswith("application/problem+json"), (p, ctype)
        assert json.loads(body)["status"] == 400


def post_keys(stack, data, ctype="application/json"):
    return stack.request("POST", "/api/api-keys", role="admin", data=data,
                         headers={"Content-Type": ctype})


def test_malformed_json_is_400(stack):
    for body in (b'{"name": "x", "role": ', b'{"name": "x",}', b"{'name': 'x'}", b"{'name': \"x\", \"role\": \"client\"}",
                 b'{"name": "x"} trailing', b'[1, 2]', b'"string"', b"",
                 b'{"name": "\xff\xfe"}', b'{"a": 1} {"b": 2}', b'{"x": nan}',
                 b'/* c */ {"name": "x"}', b"{" * 100 + b"}" * 100):
        body_json = assert_problem(post_keys(stack, body), 400)
        assert body_json["detail"], body


def test_wrong_content_type_is_415(stack):
    for ct in ("text/plain", "application/x-www-form-urlencoded",
               "application/json; charset=latin-1", "multipart/form-data; boundary=x"):
        assert_problem(post_keys(stack, b'{"name": "x", "role": "client"}', ct), 415)
    # With charset utf-8 it is fine.
    r = post_keys(stack, b'{"name": "ct", "role": "client"}',
                  "application/json; charset=UTF-8")
    assert r.status_code == 201


def test_oversized_json_is_413_from_app(stack):
    big = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'", "role": "client"}'
    assert_problem(post_keys(stack, big), 413)


def test_body_over_nginx_limit_is_413_problem(stack):
    r = post_keys(stack, b"x" * (12 * 1024 * 1024))
    assert r.status_code == 413
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["status"] == 413


def test_validation_lists_every_field(stack):
    r = stack.request("POST", "/api/api-keys", role="admin",
                      json={"role": "superuser", "color": "red"})
    body = assert_problem(r, 422, [("#/name", "missing"), ("#/role", "not_allowed"),
                                   ("#/color", "unknown_field")])
    assert len(body["errors"]) == 3
    r = stack.request("POST", "/api/api-keys", role="admin",
                      json={"name": "n" * 101, "role": 5})
    assert_problem(r, 422, [("#/name", "too_long"), ("#/role", "invalid")])


def test_text_is_stored_verbatim(stack):
    name = "Robert'); DROP TABLE api_keys;-- ñ ₡ <b>"
    r = stack.request("POST", "/api/api-keys", role="admin",
                      json={"name": name, "role": "reviewer"})
    assert r.status_code == 201
    assert r.json()["name"] == name
    listed = stack.get("/api/api-keys", role="admin").json()["apiKeys"]
    assert any(k["name"] == name for k in listed)


def test_request_id_from_nginx_reaches_log_and_problem(stack):
    r = stack.get("/api/no-such-thing")
    rid = r.headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert r.json()["instance"] == rid
    line = [l for l in stack.log().splitlines() if "rid=" + rid in l]
    assert line and "status=404" in line[0] and "path=/api/no-such-thing" in line[0]
    assert "dur_ms=" in line[0] and "method=GET" in line[0]


def test_secrets_never_logged(stack):
    log = stack.log()
    for k in ("CB_ADMIN_KEY", "CB_CLIENT_KEY", "CB_REVIEWER_KEY"):
        assert stack.env[k] not in log
    password = [l for l in open(stack.env["CB_CONF"]) if l.startswith("password")][0]
    secret = password.split("=", 1)[1].strip()
    assert secret and secret not in log
    assert "database.password = (redacted)" in log


def test_concurrent_requests_all_succeed(stack):
    from concurrent.futures import ThreadPoolExecutor
    def one(i):
        return stack.get("/api/me", role="client").status_code
    with ThreadPoolExecutor(32) as ex:
        codes = list(ex.map(one, range(400)))
    assert codes.count(200) == 400


def test_a_change_whose_activity_record_fails_is_not_kept(stack):
    """The activity log is written in the change's transaction: when it
    cannot be, the change is rolled back (500), never kept unrecorded."""
    doc = "ACT-" + str(time.time_ns())[-10:]
    stack.sql("RENAME TABLE comprobar.activity_log TO comprobar.activity_log_away")
    try:
        r = stack.request("POST", "/api/customers", role="client", json={
            "name": "Sin registro", "documentType": "NIT", "documentId": doc})
    finally:
        stack.sql("RENAME TABLE comprobar.activity_log_away TO comprobar.activity_log")
    assert_problem(r, 500)
    assert stack.sql("SELECT COUNT(*) FROM comprobar.customers WHERE document_id = '%s'"
                     % doc).strip() == "0"
    r = stack.request("POST", "/api/customers", role="client", json={
        "name": "Con registro", "documentType": "NIT", "documentId": doc})
    assert r.status_code == 201, r.text


def test_activity_log_is_read_by_admins_with_filters_and_pages(stack):
    doc = "ACTL-" + str(time.time_ns())[-10:]
    ids = []
    for i in range(3):
        r = stack.request("POST", "/api/customers", role="client", json={
            "name": "Act %d" % i, "documentType": "NIT", "documentId": "%s-%d" % (doc, i)})
        assert r.status_code == 201, r.text
        ids.append(r.json()["customer"]["customerId"])
    me = stack.get("/api/me", role="client").json()["keyId"]
    r = stack.get("/api/activity", role="admin", params={
        "action": "CUSTOMER_CREATE", "principalType": "api_key", "principalId": str(me),
        "limit": 2})
    assert r.status_code == 200, r.text
    page = r.json()
    got = [a["target"] for a in page["activity"]]
    assert got == ["customer:%d" % ids[2], "customer:%d" % ids[1]], got
    line = page["activity"][0]
    assert line["at"].endswith("Z") and line["requestId"] and line["principalId"] == str(me)
    r = stack.get("/api/activity", role="admin", params={
        "action": "CUSTOMER_CREATE", "principalType": "api_key", "principalId": str(me),
        "limit": 2, "cursor": page["nextCursor"]})
    assert "customer:%d" % ids[0] in [a["target"] for a in r.json()["activity"]]
    # By target, exactly or as a prefix; by time.
    r = stack.get("/api/activity", role="admin", params={"target": "customer:%d" % ids[0]})
    assert [a["target"] for a in r.json()["activity"]] == ["customer:%d" % ids[0]]
    r = stack.get("/api/activity", role="admin", params={"target": "customer:", "limit": 200})
    assert all(a["target"].startswith("customer:") for a in r.json()["activity"])
    r = stack.get("/api/activity", role="admin", params={"from": "2999-01-01"})
    assert r.json()["activity"] == []
    # Only admins; bad filters are named.
    assert_problem(stack.get("/api/activity", role="client"), 403)
    assert_problem(stack.get("/api/activity", role="reviewer"), 403)
    assert_problem(stack.get("/api/activity", role="admin", params={"from": "yesterday"}),
                   422, [("#/from", "invalid")])
    assert_problem(stack.get("/api/activity", role="admin",
                             params={"principalType": "robot"}), 422,
                   [("#/principalType", "not_allowed")])
