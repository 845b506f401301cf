"""Many request threads at once, with jobs running beside them.

Pages are rendered from catalogues every thread shares (web/web.c), and
OCR, receipt and webhook jobs run on the same workers' job threads.  Under
scripts/check's ThreadSanitizer pass any data race these requests drive is
reported in the server log, which fails the run; in every pass the answers
must all be right and no worker may die."""
import os
import threading
import time
import uuid

import requests

from test_web import login

SAMPLE = os.path.join(os.path.dirname(__file__), "..", "corpus", "sample")


def upload(stack, key, customer, name):
    with open(os.path.join(SAMPLE, name), "rb") as f:
        data = f.read()
    return requests.post(stack.url + "/api/payments", timeout=60,
                         headers={"Authorization": "Bearer " + key,
                                  "Prefer": "respond-async"},
                         files={"customerId": (None, str(customer)),
                                "reference": (None, "C" + uuid.uuid4().hex[:8]),
                                "document": (name, data, "image/png")})


def steady_workers(stack, timeout=60):
    """The workers once no reload of an earlier test is still replacing
    them: the same set seen twice a second apart."""
    end, last = time.time() + timeout, None
    while time.time() < end:
        now = stack.worker_pids()
        if now and now == last:
            return now
        last = now
        time.sleep(1.0)
    raise AssertionError("the workers kept changing")


def test_pages_and_jobs_from_many_threads_at_once(stack):
    workers = steady_workers(stack)
    # A client of its own: its receipts are nobody else's duplicates.
    key = stack.request("POST", "/api/api-keys", role="admin", json={
        "name": "concurrency", "role": "client"}).json()["key"]
    customer = requests.post(stack.url + "/api/customers", timeout=30, headers={
        "Authorization": "Bearer " + key}, json={
        "name": "Concurrente", "documentType": "NIT",
        "documentId": uuid.uuid4().hex[:10]}).json()["customer"]["customerId"]
    pids = [upload(stack, key, customer, n).json()["payment"]["paymentId"]
            for n in ("0000-clean.png", "0003-clean.png")]
    session, r = login(stack)
    assert r.status_code == 303, r.text
    failures, lock = [], threading.Lock()

    def hammer(n, lang):
        s = requests.Session()
        for i in range(n):
            for path in ("/login?lang=" + lang, "/login"):
                r = s.get(stack.url + path, timeout=30)
                if r.status_code != 200 or "<form" not in r.text:
                    with lock:
                        failures.append((path, r.status_code))
            r = session.get(stack.url + "/payments/%d" % pids[i % 2], timeout=30)
            if r.status_code != 200:
                with lock:
                    failures.append(("payment page", r.status_code))

    threads = [threading.Thread(target=hammer, args=(25, ("es", "en")[k % 2]))
               for k in range(8)]
    for t in threads:
        t.start()
    # Jobs beside the pages: more receipts to read while they render.
    more = [upload(stack, key, customer, "0005-clean.png") for _ in range(3)]
    for t in threads:
        t.join()
    assert all(r.status_code in (201, 202) for r in more), [r.text for r in more]
    assert not failures, failures[:10]
    # Every receipt read: the job threads did their work meanwhile.
    end = time.time() + 120
    for r in more:
        pid = r.json()["payment"]["paymentId"]
        while stack.get("/api/payments/%d" % pid, role="admin").json()[
                "ocrResult"]["status"] == "processing":
            assert time.time() < end, pid
            time.sleep(0.2)
    assert stack.worker_pids() == workers, "a worker died"
