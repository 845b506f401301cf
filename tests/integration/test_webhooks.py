"""Webhooks and receipt URLs against the real stack: a receiver server on
127.0.0.2 (allowlisted by the test config) answers as each test asks, and
trap listeners on 127.0.0.1 and [::1] (not allowlisted) count every
connection, so a refused address is shown never to have been connected to.
Signatures are checked with Python's hmac, independently of the C code.
The test config shortens the retry schedule to 0,1,2 s and the timeout to
2 s; nothing here sleeps through the real schedule."""
import base64
import hashlib
import hmac
import http.server
import json
import os
import signal
import socket
import socketserver
import struct
import threading
import time
import uuid

import pytest

from conftest import assert_problem

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PNG = os.path.join(SRC, "tests", "corpus", "sample", "0003-clean.png")
RECV_HOST = "127.0.0.2"
GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def bmp(w=2, h=2, pixels=True):
    """A 24-bit BMP; pixels=False: the header alone (of a huge image)."""
    stride = (3 * w + 3) // 4 * 4
    size = stride * h
    pix = ((b"\xff\xff\xff" * w).ljust(stride, b"\0") * h) if pixels else b""
    return (b"BM" + struct.pack("<IHHI", 54 + size, 0, 0, 54) +
            struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, size, 2835, 2835, 0, 0) + pix)


class Receiver:
    """Answers by path: /ok, /500, /slow, /301, /410, /429, /hang-once …"""

    def __init__(self):
        self.requests = []
        self.connections = 0
        self.lock = threading.Lock()
        self.seen = {}
        # /held-receipt.png waits for this (a download still running).
        self.release = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                receiver.serve(self, b"")

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                receiver.serve(self, self.rfile.read(n))

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def process_request(self, request, client_address):
                with receiver.lock:
                    receiver.connections += 1
                super().process_request(request, client_address)

        self.server = Server((RECV_HOST, 0), Handler)
        self.port = self.server.server_address[1]
        self.url = "http://%s:%d" % (RECV_HOST, self.port)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def serve(self, h, body):
        path = h.path.split("?")[0]
        with self.lock:
            self.requests.append({"path": path, "headers": dict(h.headers),
                                  "body": body, "at": time.time()})
            nth = self.seen[path] = self.seen.get(path, 0) + 1
        kind = path.split("/")[1]

        def answer(status, data=b"", headers=()):
            h.send_response(status)
            for k, v in headers:
                h.send_header(k, v)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)

        if kind == "ok":
            answer(200, b'{"received": true}')
        elif kind == "500":
            answer(500, b"internal trouble \xff\x00 here")
        elif kind == "slow":
            time.sleep(4)
            answer(200)
        elif kind == "301":
            answer(301, headers=[("Location", self.trap_url + "/moved")])
        elif kind == "410":
            answer(410, b"gone")
        elif kind == "429":
            answer(429, b"slow down", headers=[("Retry-After", "3")])
        elif kind == "hang-once":
            if nth == 1:
                time.sleep(6)
            answer(200)
        elif kind == "flaky":
            answer(503 if nth == 1 else 200)
        elif kind == "receipt.png":
            with open(PNG, "rb") as f:
                answer(200, f.read(), [("Content-Type", "image/png")])
        elif kind == "own-receipt.png":
            # The same picture with a text chunk of its own (the URL) before
            # its end: another receipt to the duplicate check, which
            # compares the bytes.
            import struct
            import zlib
            with open(PNG, "rb") as f:
                png = f.read()
            text = b"Comment\0" + path.encode()
            chunk = (struct.pack(">I", len(text)) + b"tEXt" + text +
                     struct.pack(">I", zlib.crc32(b"tEXt" + text) & 0xffffffff))
            answer(200, png[:-12] + chunk + png[-12:], [("Content-Type", "image/png")])
        elif kind == "held-receipt.png":
            self.release.wait(60)
            with open(PNG, "rb") as f:
                answer(200, f.read(), [("Content-Type", "image/png")])
        elif kind == "receipt.gif":
            answer(200, GIF, [("Content-Type", "image/gif")])
        elif kind == "receipt.bmp":
            answer(200, bmp(), [("Content-Type", "image/bmp")])
        elif kind == "big.bmp":
            answer(200, bmp(20000, 20000, pixels=False) + b"\0" * 4096,
                   [("Content-Type", "image/bmp")])
        elif kind == "redirect-file":
            answer(302, headers=[("Location", "file:///etc/passwd")])
        elif kind == "text":
            answer(200, b"<html>not a receipt</html>", [("Content-Type", "image/png")])
        elif kind == "404":
            answer(404, b"no such receipt")
        elif kind == "redirect-private":
            answer(302, headers=[("Location", self.trap_url + "/receipt.png")])
        elif kind == "redirect-ok":
            answer(302, headers=[("Location", self.url + "/receipt.png?from=redirect")])
        elif kind == "drip":
            # 50 bytes a second: below the low-speed limit of the config.
            h.send_response(200)
            h.send_header("Content-Length", "100000")
            h.end_headers()
            try:
                for _ in range(200):
                    h.wfile.write(b"\x89PNG\r\n\x1a\n"[:5] * 10)
                    h.wfile.flush()
                    time.sleep(1)
            except OSError:
                pass
        elif kind == "huge":
            # 50 MB, no Content-Length: the byte count must stop it.
            h.send_response(200)
            h.send_header("Content-Type", "image/png")
            h.send_header("Connection", "close")
            h.end_headers()
            chunk = b"\x89PNG\r\n\x1a\n" + b"\0" * (1 << 20)
            try:
                for _ in range(50):
                    h.wfile.write(chunk)
            except OSError:
                pass
            h.close_connection = True
        else:
            answer(404)

    def of(self, path):
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def wait(self, path, n=1, timeout=20):
        end = time.time() + timeout
        while time.time() < end:
            got = self.of(path)
            if len(got) >= n:
                return got
            time.sleep(0.05)
        raise AssertionError("%s: %d requests, wanted %d" % (path, len(self.of(path)), n))


class Trap:
    """Listeners that only count connections (127.0.0.1 and ::1)."""

    def __init__(self):
        self.count = 0
        self.socks = []
        s4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s4.bind(("127.0.0.1", 0))
        self.port = s4.getsockname()[1]
        self.socks.append(s4)
        try:
            s6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            s6.bind(("::1", self.port))
            self.socks.append(s6)
        except OSError:
            pass
        for s in self.socks:
            s.listen(16)
            threading.Thread(target=self.accept, args=(s,), daemon=True).start()

    def accept(self, s):
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            self.count += 1
            c.close()


@pytest.fixture(scope="module")
def net():
    r = Receiver()
    t = Trap()
    r.trap_url = "http://127.0.0.1:%d" % t.port
    yield r, t
    r.server.shutdown()


def customer(stack):
    r = stack.request("POST", "/api/customers", role="client", json={
        "name": "Webhook " + uuid.uuid4().hex[:6], "documentType": "NIT",
        "documentId": uuid.uuid4().hex[:12]})
    assert r.status_code == 201, r.text
    return r.json()["customer"]["customerId"]


def pay(stack, role="client", **fields):
    body = {"customerId": customer(stack), "amount": "100.00",
            "paymentMethod": "transferencia", "reference": uuid.uuid4().hex[:10]}
    body.update(fields)
    r = stack.request("POST", "/api/payments", role=role, json=body)
    assert r.status_code == 201, r.text
    return r.json()["payment"]


def endpoint(stack, url, events=None, role="client"):
    body = {"url": url}
    if events:
        body["events"] = events
    r = stack.request("POST", "/api/webhook-endpoints", role=role, json=body)
    assert r.status_code == 201, r.text
    return r.json()["webhookEndpoint"]


def disable(stack, ep, role="client"):
    r = stack.request("PATCH", "/api/webhook-endpoints/%d" % ep["id"], role=role,
                      json={"enabled": False})
    assert r.status_code == 200, r.text


def deliveries(stack, role="client", **q):
    r = stack.get("/api/webhook-deliveries", role=role, params=q)
    assert r.status_code == 200, r.text
    return r.json()["webhookDeliveries"]


def wait_fanned_out(stack, pid, timeout=25):
    """Until every event of the payment has its deliveries: after this,
    a delivery that does not exist never will (the outbox is written in
    the change's transaction, the deliveries from it)."""
    end = time.time() + timeout
    while stack.sql("SELECT COUNT(*) FROM comprobar.webhook_events WHERE payment_id = %d"
                    " AND fanned_out = 0" % pid).strip() != "0":
        assert time.time() < end, "events of payment %d never fanned out" % pid
        time.sleep(0.05)


def delivery(stack, did, role="client"):
    r = stack.get("/api/webhook-deliveries/%d" % did, role=role)
    assert r.status_code == 200, r.text
    return r.json()["webhookDelivery"]


def wait_delivery(stack, pid, endpoint_id, state, timeout=25, type_=None):
    end = time.time() + timeout
    last = None
    while time.time() < end:
        for d in deliveries(stack, paymentId=pid):
            if d["endpointId"] == endpoint_id and (type_ is None or d["type"] == type_):
                last = d
                if d["state"] == state:
                    return delivery(stack, d["id"])
        time.sleep(0.2)
    raise AssertionError("delivery not %s: %s" % (state, last))


def signature_ok(secret, headers, body):
    key = base64.b64decode(secret[len("whsec_"):])
    signed = "%s.%s.%s" % (headers["webhook-id"], headers["webhook-timestamp"],
                           body.decode())
    want = base64.b64encode(hmac.new(key, signed.encode(), hashlib.sha256).digest()).decode()
    return ("v1," + want) in headers["webhook-signature"].split(" ")


def next_delays(stack, did):
    """Milliseconds from each attempt to the next one it scheduled."""
    out = stack.sql("SELECT IFNULL(ROUND(TIMESTAMPDIFF(MICROSECOND, at, next_at) / 1000), 'x')"
                    " FROM comprobar.webhook_attempts WHERE delivery_id = %d ORDER BY id" % did)
    return [None if v == "x" else int(v) for v in out.split()]


def set_status(stack, pid, status, **kw):
    body = {"status": status}
    body.update(kw)
    return stack.request("POST", "/api/payments/%d/status" % pid, role="admin", json=body)


def payment_deliveries_of(net, path, pid):
    out = []
    for r in net.of(path):
        b = json.loads(r["body"])
        if b["data"]["payment"] and b["data"]["payment"]["paymentId"] == pid:
            out.append((r, b))
    return out


# ---- endpoints, events, signatures ----------------------------------------

def test_signed_event_verifies_and_carries_the_payment(stack, net):
    recv, _ = net
    path = "/ok/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path)
    assert ep["secret"].startswith("whsec_") and len(base64.b64decode(ep["secret"][6:])) >= 24
    # Shown once: never in a read.
    got = stack.get("/api/webhook-endpoints/%d" % ep["id"], role="client").json()
    assert "secret" not in got["webhookEndpoint"]
    p = pay(stack, amount="1500.50")
    reqs = recv.wait(path)
    try:
        r = reqs[0]
        # Money with the currency's digits, as the API writes it.
        assert b'"amount":1500.50,' in r["body"], r["body"]
        h = {k.lower(): v for k, v in r["headers"].items()}
        assert signature_ok(ep["secret"], h, r["body"])
        assert h["webhook-id"].startswith("msg_")
        assert abs(int(h["webhook-timestamp"]) - time.time()) < 60
        assert h["content-type"] == "application/json"
        body = json.loads(r["body"])
        assert body["type"] == "payment.created"
        assert body["timestamp"].endswith("Z")
        assert body["data"]["paymentVersion"] == 1
        # The payment as GET /api/payments/{id} shows it.
        api = stack.get("/api/payments/%d" % p["paymentId"], role="client").json()["payment"]
        assert body["data"]["payment"]["paymentId"] == p["paymentId"]
        assert set(body["data"]["payment"]) == set(api)
        # A tampered body does not verify with the same headers.
        assert not signature_ok(ep["secret"], h, r["body"].replace(b"created", b"crated"))
        d = wait_delivery(stack, p["paymentId"], ep["id"], "succeeded")
        assert d["attempts"] == 1 and d["lastStatus"] == 200
        assert d["webhookId"] == h["webhook-id"]
        log = d["attemptLog"]
        assert len(log) == 1 and log[0]["status"] == 200
        assert log[0]["responseHead"] == '{"received": true}' and log[0]["latencyMs"] >= 0
    finally:
        disable(stack, ep)


def test_events_follow_the_lifecycle_and_subscriptions(stack, net):
    recv, _ = net
    path = "/ok/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.validated", "payment.applied",
                                                  "payment.rejected"])
    assert ep["events"] == ["payment.validated", "payment.applied", "payment.rejected"]
    try:
        p = pay(stack)
        pid = p["paymentId"]
        assert set_status(stack, pid, "validado").status_code == 200
        assert set_status(stack, pid, "rechazado", reason="no llegó").status_code == 200
        got = recv.wait(path, 2)
        # Nothing else will come: every event is fanned out, and this
        # endpoint has exactly these two (created is not subscribed).
        wait_fanned_out(stack, pid)
        mine = sorted(x["type"] for x in deliveries(stack, paymentId=pid)
                      if x["endpointId"] == ep["id"])
        assert mine == ["payment.rejected", "payment.validated"], mine
        types = [json.loads(r["body"])["type"] for r in recv.of(path)]
        assert sorted(types) == ["payment.rejected", "payment.validated"], types
        by_type = {json.loads(r["body"])["type"]: json.loads(r["body"]) for r in got}
        # Receivers order by version: the rejection's is the higher.
        assert by_type["payment.rejected"]["data"]["paymentVersion"] > \
            by_type["payment.validated"]["data"]["paymentVersion"]
        ids = {r["headers"]["webhook-id"] for r in got}
        assert len(ids) == 2
    finally:
        disable(stack, ep)


def test_unknown_event_and_bad_urls_are_refused_at_registration(stack, net):
    recv, trap = net
    r = stack.request("POST", "/api/webhook-endpoints", role="client",
                      json={"url": recv.url + "/ok", "events": ["payment.exploded"]})
    assert_problem(r, 422, [("#/events/0", "not_allowed")])
    before = trap.count
    cases = {
        "http://127.0.0.1:%d/hook" % trap.port: "address_denied",
        "http://169.254.169.254/latest/meta-data/": "address_denied",
        "http://[::1]:%d/hook" % trap.port: "address_denied",
        "http://[::ffff:127.0.0.1]:%d/hook" % trap.port: "address_denied",
        "http://10.1.2.3/hook": "address_denied",
        "http://localhost:%d/hook" % trap.port: "address_denied",
        "file:///etc/passwd": "scheme_not_allowed",
        "gopher://127.0.0.2:70/1": "scheme_not_allowed",
        "not a url": "invalid",
    }
    for url, code in cases.items():
        r = stack.request("POST", "/api/webhook-endpoints", role="client", json={"url": url})
        body = assert_problem(r, 422, [("#/url", code)])
        assert body["errors"][0]["detail"], body
    assert trap.count == before


def test_500_is_retried_on_the_schedule_with_a_stable_id_then_fails(stack, net):
    recv, _ = net
    path = "/500/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.created"])
    try:
        p = pay(stack)
        d = wait_delivery(stack, p["paymentId"], ep["id"], "failed", timeout=30)
        reqs = recv.of(path)
        # The schedule is 0,1,2: three attempts, then failed.
        assert len(reqs) == 3 and d["attempts"] == 3
        assert len({r["headers"]["webhook-id"] for r in reqs}) == 1
        assert len({r["headers"]["webhook-timestamp"] for r in reqs}) >= 2
        gaps = [reqs[i + 1]["at"] - reqs[i]["at"] for i in range(2)]
        assert 0.8 <= gaps[0] < 3.5 and 1.8 <= gaps[1] < 4.5, gaps
        log = d["attemptLog"]
        assert [a["status"] for a in log] == [500, 500, 500]
        # Each failure scheduled the next by the schedule (no jitter in tests).
        assert next_delays(stack, d["id"]) == [1000, 2000, None]
        assert log[0]["nextAttemptAt"] and log[1]["nextAttemptAt"]
        assert log[2]["nextAttemptAt"] is None
        # The answer's first bytes, made storable text.
        assert log[0]["responseHead"].startswith("internal trouble")
        assert d["lastError"] == "HTTP 500"
        # Manual redelivery: the same webhook-id, a new attempt.
        r = stack.request("POST", "/api/webhook-deliveries/%d/redeliver" % d["id"], role="client")
        assert r.status_code == 200, r.text
        recv.wait(path, 4)
        assert recv.of(path)[3]["headers"]["webhook-id"] == reqs[0]["headers"]["webhook-id"]
        got = stack.get("/api/webhook-endpoints/%d" % ep["id"], role="client").json()
        assert got["webhookEndpoint"]["failingSince"] is not None
    finally:
        disable(stack, ep)


def test_timeout_redirect_and_429_retry_after(stack, net):
    recv, trap = net
    tag = uuid.uuid4().hex
    eps = {k: endpoint(stack, "%s/%s/%s" % (recv.url, k, tag), events=["payment.created"])
           for k in ("slow", "301", "429")}
    before = trap.count
    try:
        p = pay(stack)
        pid = p["paymentId"]
        slow = wait_delivery(stack, pid, eps["slow"]["id"], "failed", timeout=40)
        assert "timed out" in slow["attemptLog"][0]["error"], slow
        assert slow["attemptLog"][0]["latencyMs"] >= 1900
        moved = wait_delivery(stack, pid, eps["301"]["id"], "failed", timeout=30)
        assert moved["attemptLog"][0]["status"] == 301
        assert "redirects are not followed" in moved["attemptLog"][0]["error"]
        assert trap.count == before  # the Location was never visited
        # 429 with Retry-After: 3 beats the schedule's 1 s.
        end = time.time() + 20
        while True:
            ds = [d for d in deliveries(stack, paymentId=pid) if d["endpointId"] == eps["429"]["id"]]
            if ds and ds[0]["attempts"] >= 1:
                break
            assert time.time() < end
            time.sleep(0.2)
        reqs = recv.wait("/429/" + tag, 2, timeout=20)
        assert reqs[1]["at"] - reqs[0]["at"] >= 2.8, [r["at"] for r in reqs]
        d = delivery(stack, ds[0]["id"])
        first = d["attemptLog"][0]
        assert first["status"] == 429
        # Retry-After: 3 beats the schedule's 1 s.
        assert next_delays(stack, d["id"])[0] == 3000
    finally:
        for ep in eps.values():
            disable(stack, ep)


def test_410_disables_the_endpoint(stack, net):
    recv, _ = net
    ep = endpoint(stack, recv.url + "/410/" + uuid.uuid4().hex, events=["payment.created"])
    p = pay(stack)
    d = wait_delivery(stack, p["paymentId"], ep["id"], "failed")
    assert d["attempts"] == 1 and d["lastStatus"] == 410
    got = stack.get("/api/webhook-endpoints/%d" % ep["id"], role="client").json()["webhookEndpoint"]
    assert got["enabled"] is False and "410" in got["disabledReason"] and got["disabledAt"]
    # Disabled: the next payment is not sent there.
    p2 = pay(stack)
    wait_fanned_out(stack, p2["paymentId"])
    assert not [x for x in deliveries(stack, paymentId=p2["paymentId"]) if x["endpointId"] == ep["id"]]
    # Enabling again clears the reason.
    r = stack.request("PATCH", "/api/webhook-endpoints/%d" % ep["id"], role="client",
                      json={"enabled": True}, headers={"If-Match": '"v%d"' % got["version"]})
    assert r.status_code == 200, r.text
    assert r.json()["webhookEndpoint"]["disabledReason"] is None
    stale = stack.request("PATCH", "/api/webhook-endpoints/%d" % ep["id"], role="client",
                          json={"enabled": False}, headers={"If-Match": '"v%d"' % got["version"]})
    assert_problem(stale, 412)
    disable(stack, ep)


def test_failing_for_days_disables_and_the_client_sees_why(stack, net):
    recv, _ = net
    ep = endpoint(stack, recv.url + "/500/" + uuid.uuid4().hex, events=["payment.created"])
    # Five days of failures, without waiting five days.
    stack.sql("UPDATE comprobar.webhook_endpoints SET failing_since ="
              " UTC_TIMESTAMP() - INTERVAL 121 HOUR WHERE id = %d" % ep["id"])
    pay(stack)
    end = time.time() + 20
    while True:
        got = stack.get("/api/webhook-endpoints/%d" % ep["id"], role="client").json()["webhookEndpoint"]
        if not got["enabled"]:
            break
        assert time.time() < end, got
        time.sleep(0.2)
    assert "has failed since" in got["disabledReason"]


def test_secret_rotation_signs_with_both_during_the_overlap(stack, net):
    recv, _ = net
    path = "/ok/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.created"])
    try:
        r = stack.request("POST", "/api/webhook-endpoints/%d/rotate-secret" % ep["id"], role="client")
        assert r.status_code == 200, r.text
        new = r.json()["webhookEndpoint"]
        assert new["secret"] != ep["secret"] and new["previousSecretValidUntil"]
        pay(stack)
        req = recv.wait(path)[0]
        h = {k.lower(): v for k, v in req["headers"].items()}
        assert len(h["webhook-signature"].split(" ")) == 2
        assert signature_ok(new["secret"], h, req["body"])
        assert signature_ok(ep["secret"], h, req["body"])
    finally:
        disable(stack, ep)


def test_clients_see_only_their_deliveries(stack, net):
    recv, _ = net
    ep = endpoint(stack, recv.url + "/ok/" + uuid.uuid4().hex, events=["payment.created"])
    try:
        p = pay(stack)
        d = wait_delivery(stack, p["paymentId"], ep["id"], "succeeded")
        assert stack.get("/api/webhook-deliveries/%d" % d["id"], role="admin").status_code == 200
        assert stack.get("/api/webhook-deliveries/%d" % d["id"], role="reviewer").status_code == 403
        # Another client's key sees nothing of it.
        r = stack.request("POST", "/api/api-keys", role="admin", json={"name": "other", "role": "client"})
        other = {"Authorization": "Bearer " + r.json()["key"]}
        assert stack.get("/api/webhook-deliveries/%d" % d["id"], headers=other).status_code == 404
        assert stack.get("/api/webhook-endpoints/%d" % ep["id"], headers=other).status_code == 404
        assert stack.get("/api/webhook-deliveries", headers=other,
                         params={"paymentId": p["paymentId"]}).json()["webhookDeliveries"] == []
    finally:
        disable(stack, ep)


def test_worker_killed_mid_delivery_delivers_later(stack, net):
    recv, _ = net
    path = "/hang-once/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.created"])
    try:
        p = pay(stack)
        recv.wait(path, 1)
        for w in stack.worker_pids():
            os.kill(w, signal.SIGKILL)
        stack.wait_ready()
        d = wait_delivery(stack, p["paymentId"], ep["id"], "succeeded", timeout=40)
        reqs = recv.of(path)
        assert len(reqs) == 2
        assert reqs[0]["headers"]["webhook-id"] == reqs[1]["headers"]["webhook-id"]
        log = d["attemptLog"]
        # One line per attempt: the interrupted one, then the success.
        assert len(log) == 2, log
        assert "interrupted" in log[0]["error"] and log[1]["status"] == 200
    finally:
        disable(stack, ep)


def test_outbox_is_not_written_when_the_change_rolls_back(stack, net):
    recv, _ = net
    path = "/ok/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.validated"], role="admin")
    try:
        p = pay(stack, role="admin")
        pid = p["paymentId"]
        # In SQL: a change rolled back writes no event …
        stack.sql("START TRANSACTION; UPDATE comprobar.payments SET status = 'validado',"
                  " version = version + 1 WHERE id = %d; ROLLBACK" % pid)
        # … and through the API: a worker killed before its commit.
        done = {}

        def slow():
            try:
                done["r"] = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                                          json={"status": "validado"},
                                          headers={"Idempotency-Key": uuid.uuid4().hex,
                                                   "X-Debug-Delay-Ms": "3000"})
            except Exception as e:  # the connection dies with the worker
                done["e"] = e
        t = threading.Thread(target=slow)
        t.start()
        time.sleep(1.0)
        for w in stack.worker_pids():
            os.kill(w, signal.SIGKILL)
        t.join()
        stack.wait_ready()
        wait_fanned_out(stack, pid)
        n = stack.sql("SELECT COUNT(*) FROM comprobar.webhook_events WHERE payment_id = %d"
                      " AND type = 'payment.validated'" % pid).strip()
        assert n == "0"
        assert payment_deliveries_of(recv, path, pid) == []
        assert stack.get("/api/payments/%d" % pid, role="admin").json()["payment"]["status"] == "pendiente"
        # The committed change is told exactly once.
        assert set_status(stack, pid, "validado").status_code == 200
        recv.wait(path, 1)
        wait_fanned_out(stack, pid)
        mine = [x for x in deliveries(stack, role="admin", paymentId=pid)
                if x["type"] == "payment.validated" and x["endpointId"] == ep["id"]]
        assert len(mine) == 1, mine
        assert len(payment_deliveries_of(recv, path, pid)) == 1
    finally:
        disable(stack, ep, role="admin")


def test_payment_webhook_url_gets_validation_and_ssrf_is_checked_at_send(stack, net):
    recv, trap = net
    path = "/ok/" + uuid.uuid4().hex
    p = pay(stack, webhookUrl=recv.url + path)
    assert p["webhookUrl"] == recv.url + path
    # created is not a callback event; validated is (seed 002).
    assert set_status(stack, p["paymentId"], "validado").status_code == 200
    req = recv.wait(path)[0]
    assert json.loads(req["body"])["type"] == "payment.validated"
    assert req["headers"]["webhook-signature"].startswith("v1,")
    # The client learns (rotates) the secret that signs these calls.
    r = stack.request("POST", "/api/webhook-callback-secret", role="client")
    assert r.status_code == 200 and r.json()["secret"].startswith("whsec_")
    # A name that resolves to loopback passes registration, not the connect.
    before = trap.count
    q = pay(stack, webhookUrl="http://localhost:%d/cb" % trap.port)
    assert set_status(stack, q["paymentId"], "validado").status_code == 200
    end = time.time() + 20
    while True:
        ds = deliveries(stack, paymentId=q["paymentId"])
        if ds and ds[0]["attempts"] >= 1:
            break
        assert time.time() < end
        time.sleep(0.2)
    d = delivery(stack, ds[0]["id"])
    assert "refused to connect" in d["attemptLog"][0]["error"], d
    assert trap.count == before
    # Literal denied addresses are refused when the payment is created.
    for url in ("http://127.0.0.1:%d/" % trap.port, "http://169.254.169.254/",
                "gopher://127.0.0.2/"):
        r = stack.request("POST", "/api/payments", role="client", json={
            "customerId": customer(stack), "amount": "1.00", "paymentMethod": "transferencia",
            "webhookUrl": url})
        assert_problem(r, 422)


# ---- receipt URLs ------------------------------------------------------------

def wait_receipt(stack, pid, timeout=40):
    end = time.time() + timeout
    while True:
        p = stack.get("/api/payments/%d" % pid, role="client").json()["payment"]
        if p["receipt"]["status"] != "fetching":
            return p
        assert time.time() < end, p
        time.sleep(0.2)


def test_receipt_url_is_fetched_and_read(stack, net):
    recv, _ = net
    p = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "receiptUrl": recv.url + "/redirect-ok"})
    assert p.status_code == 201, p.text
    pid = p.json()["payment"]["paymentId"]
    assert p.json()["payment"]["receipt"]["status"] == "fetching"
    got = wait_receipt(stack, pid)
    assert got["receipt"]["status"] == "fetched", got
    assert got["document"]["type"] == "image/png"
    with open(PNG, "rb") as f:
        assert got["document"]["sha256"] == hashlib.sha256(f.read()).hexdigest()
    # Then OCR, as for an upload.
    end = time.time() + 90
    while True:
        st = stack.sql("SELECT ocr_status FROM comprobar.payments WHERE id = %d" % pid).strip()
        if st in ("done", "failed"):
            break
        assert time.time() < end, st
        time.sleep(0.3)
    assert st == "done"


@pytest.mark.parametrize("path,why", [
    ("/404", "HTTP 404"),
    ("/text", "unsupported_type"),
    ("/huge", "larger than 10485760 bytes"),
    ("/redirect-private", "refused to connect to 127.0.0.1"),
    ("/redirect-file", "scheme is not allowed"),
    ("/big.bmp", "pixels is more than"),
])
def test_receipt_failures_leave_a_clear_reason(stack, net, path, why):
    recv, trap = net
    before = trap.count
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "receiptUrl": recv.url + path})
    assert r.status_code == 201, r.text
    got = wait_receipt(stack, r.json()["payment"]["paymentId"])
    assert got["receipt"]["status"] == "failed"
    assert why in got["receipt"]["error"], got["receipt"]
    assert got["requiresManualReview"] is True and "receipt" in got["reviewReason"]
    assert "document" not in got
    assert trap.count == before


def test_slow_drip_receipt_times_out(stack, net):
    recv, _ = net
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "receiptUrl": recv.url + "/drip/" + uuid.uuid4().hex})
    assert r.status_code == 201, r.text
    got = wait_receipt(stack, r.json()["payment"]["paymentId"], timeout=60)
    assert got["receipt"]["status"] == "failed"
    assert "timed out" in got["receipt"]["error"]


def test_receipt_name_resolving_to_loopback_is_never_connected(stack, net):
    _, trap = net
    before = trap.count
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "receiptUrl": "http://localhost:%d/r.png" % trap.port})
    assert r.status_code == 201, r.text
    got = wait_receipt(stack, r.json()["payment"]["paymentId"])
    assert got["receipt"]["status"] == "failed"
    assert "refused to connect" in got["receipt"]["error"]
    assert trap.count == before


def test_receipt_urls_refused_at_create(stack, net):
    recv, trap = net
    before = trap.count
    cases = [
        ("http://127.0.0.1:%d/r.png" % trap.port, "address_denied"),
        ("http://169.254.169.254/r.png", "address_denied"),
        ("http://[::1]:%d/r.png" % trap.port, "address_denied"),
        ("http://[::ffff:127.0.0.1]:%d/r.png" % trap.port, "address_denied"),
        ("file:///etc/passwd", "scheme_not_allowed"),
        ("gopher://127.0.0.2/", "scheme_not_allowed"),
    ]
    for url, code in cases:
        r = stack.request("POST", "/api/payments", role="client", json={
            "customerId": customer(stack), "receiptUrl": url})
        assert_problem(r, 422, [("#/receiptUrl", code)])
    assert trap.count == before


def test_unsupported_receipt_invalidates_a_bank_validation_voucher(stack, net):
    recv, _ = net
    acct = "WH-" + uuid.uuid4().hex[:8]
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": acct, "bankCode": "BI", "numberKind": "account",
        "number": str(uuid.uuid4().int)[:12], "currency": "GTQ"})
    assert r.status_code == 201, r.text
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "amount": "123.30", "transactionDate": "2026-03-02",
        "bankAccountId": acct, "bankValidation": True, "receiptUrl": recv.url + "/text"})
    assert r.status_code == 201, r.text
    got = wait_receipt(stack, r.json()["payment"]["paymentId"])
    assert got["status"] == "rechazado", got
    assert got["receipt"]["status"] == "failed"


def test_finished_deliveries_are_purged_after_the_retention(stack, net):
    recv, _ = net
    ep = endpoint(stack, recv.url + "/ok/" + uuid.uuid4().hex, events=["payment.created"])
    try:
        old, new = pay(stack), pay(stack)
        d_old = wait_delivery(stack, old["paymentId"], ep["id"], "succeeded")
        d_new = wait_delivery(stack, new["paymentId"], ep["id"], "succeeded")
        stack.sql("UPDATE comprobar.webhook_deliveries SET next_at = next_at - INTERVAL 31 DAY,"
                  " updated_at = updated_at - INTERVAL 31 DAY WHERE id = %d;"
                  " UPDATE comprobar.webhook_events SET occurred_at = occurred_at - INTERVAL 31 DAY"
                  " WHERE id = %d" % (d_old["id"], d_old["eventId"]))
        r = stack.ctl("webhooks", "purge")
        assert r.returncode == 0 and "purged" in r.stdout, r.stderr
        assert stack.get("/api/webhook-deliveries/%d" % d_old["id"], role="client").status_code == 404
        assert stack.sql("SELECT COUNT(*) FROM comprobar.webhook_attempts WHERE delivery_id = %d"
                         % d_old["id"]).strip() == "0"
        assert stack.sql("SELECT COUNT(*) FROM comprobar.webhook_events WHERE id = %d"
                         % d_old["eventId"]).strip() == "0"
        assert delivery(stack, d_new["id"])["attemptLog"]
    finally:
        disable(stack, ep)


@pytest.mark.parametrize("path", ["/receipt.gif", "/receipt.bmp"])
def test_other_image_formats_of_seed_002_are_kept_as_png(stack, net, path):
    recv, _ = net
    r = stack.request("POST", "/api/payments", role="client", json={
        "customerId": customer(stack), "amount": "5.00", "paymentMethod": "transferencia",
        "receiptUrl": recv.url + path})
    assert r.status_code == 201, r.text
    got = wait_receipt(stack, r.json()["payment"]["paymentId"])
    assert got["receipt"]["status"] == "fetched", got["receipt"]
    assert got["document"]["type"] == "image/png"
    doc = stack.get("/api/payments/%d/document" % got["paymentId"], role="client")
    assert doc.status_code == 200 and doc.content.startswith(b"\x89PNG")


def test_batch_reconcile_tells_listeners(stack, net):
    """The matching pass reconciles in batches (one UPDATE for many
    payments); with a listener, each payment's payment.reconciled is told."""
    from test_bank import camt, imported, ntry
    recv, _ = net
    number = "7" + str(uuid.uuid4().int)[:11]
    acct = "WHR-" + uuid.uuid4().hex[:6]
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": acct, "bankCode": "BBVA_PE", "numberKind": "account",
        "number": number, "currency": "PEN"})
    assert r.status_code == 201, r.text
    path = "/ok/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.reconciled"])
    try:
        pids = []
        for ref, amount in (("8181", "181.00"), ("8282", "282.00")):
            pids.append(pay(stack, amount=amount, currency="PEN", transactionDate="2026-06-02",
                            reference=ref, bankAccountId=acct, bankValidation=True)["paymentId"])
        doc = camt("WH-" + acct, number, [ntry("181.00", "2026-06-03", "00008181"),
                                          ntry("282.00", "2026-06-03", "00008282")])
        assert imported(stack, "wh.xml", doc)["status"] == "done"
        reqs = recv.wait(path, 2)
        told = sorted(json.loads(q["body"])["data"]["payment"]["paymentId"] for q in reqs)
        assert told == sorted(pids)
        for q in reqs:
            b = json.loads(q["body"])
            assert b["type"] == "payment.reconciled"
            assert b["data"]["payment"]["status"] == "conciliado"
            assert b["data"]["payment"]["bankOperationNumber"] in ("00008181", "00008282")
    finally:
        disable(stack, ep)


def test_disabling_an_endpoint_stops_its_retries(stack, net):
    recv, _ = net
    path = "/500/" + uuid.uuid4().hex
    ep = endpoint(stack, recv.url + path, events=["payment.created"])
    p = pay(stack)
    recv.wait(path, 1)
    disable(stack, ep)
    d = wait_delivery(stack, p["paymentId"], ep["id"], "failed", timeout=30)
    assert "endpoint was disabled" in d["lastError"], d
    assert len(recv.of(path)) < 3
    got = stack.get("/api/webhook-endpoints/%d" % ep["id"], role="client").json()["webhookEndpoint"]
    assert got["disabledReason"] == "disabled by the client"
