"""GET /metrics through nginx: Prometheus text that adds up the requests of
every worker process (shared memory), with latency histograms, OCR
seconds, webhook outcomes, and the database's own gauges."""
import os
import re

import requests

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LINE = re.compile(r'^[a-z_]+(\{([a-z_]+="[^"]*",?)*\})? -?[0-9.eE+-]+$')


def scrape(stack):
    r = requests.get(stack.url + "/metrics", timeout=30)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    for line in r.text.splitlines():
        if not line.startswith("#"):
            assert LINE.match(line), line
    return r.text


def value(text, name, **labels):
    want = ",".join('%s="%s"' % kv for kv in labels.items())
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            lab = line[len(name):].split(" ")[0].strip("{}")
            if all('%s="%s"' % kv in lab.split(",") for kv in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    return 0.0 if want else None


def test_requests_of_every_worker_add_up(stack):
    before = scrape(stack)
    n0 = value(before, "comprobar_http_requests_total", route="/healthz", status="200")
    for _ in range(20):
        assert requests.get(stack.url + "/healthz", timeout=10).status_code == 200
    after = scrape(stack)
    assert value(after, "comprobar_http_requests_total", route="/healthz",
                 status="200") == n0 + 20
    count = value(after, "comprobar_http_request_duration_seconds_count", route="/healthz")
    inf = value(after, "comprobar_http_request_duration_seconds_bucket", route="/healthz",
                le="+Inf")
    assert count == inf >= 20
    # A 404 is counted under no route, by its status.
    requests.get(stack.url + "/no/such/path", timeout=10)
    assert value(scrape(stack), "comprobar_http_requests_total", route="(none)",
                 status="404") >= 1


def test_database_gauges_and_ocr_seconds(stack):
    text = scrape(stack)
    assert value(text, "comprobar_jobs", kind="storage.janitor") is not None
    assert "comprobar_db_connections " in text
    assert 'comprobar_webhook_attempts_total{outcome="succeeded"}' in text
    n0 = value(text, "comprobar_ocr_seconds_count")
    with open(os.path.join(SRC, "tests", "corpus", "sample", "0003-clean.png"), "rb") as f:
        r = requests.post(stack.url + "/api/payments", headers=dict(
            stack.auth("client"), Prefer="wait=60"), files={
            "document": ("r.png", f.read(), "image/png")}, data={"customerId": _customer(stack)},
            timeout=90)
    assert r.status_code == 201, r.text
    assert value(scrape(stack), "comprobar_ocr_seconds_count") >= n0 + 1


def _customer(stack):
    import uuid
    r = stack.request("POST", "/api/customers", role="client", json={
        "name": "Metrics", "documentType": "NIT", "documentId": uuid.uuid4().hex[:10]})
    return r.json()["customer"]["customerId"]
