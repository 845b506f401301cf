"""Receipts through the real stack: documents uploaded through nginx, OCR by
the workers' job threads (Tesseract), the stored file served back, hostile
files refused with nothing half-stored, duplicates, manual data winning,
re-runs, the dead-job review flag, a worker killed in mid-OCR, the janitor.
The fixed corpus sample (tests/corpus/sample) was made by tests/corpus/gen.c."""
import json
import os
import signal
import struct
import subprocess
import time
import zlib

import pytest
import requests

from conftest import SRC, assert_problem
from test_payments import new_customer

SAMPLE = os.path.join(SRC, "tests", "corpus", "sample")
TRUTH = {}
with open(os.path.join(SAMPLE, "truth.jsonl")) as _f:
    for _line in _f:
        _t = json.loads(_line)
        TRUTH[_t["id"]] = _t
FILES = sorted(f for f in os.listdir(SAMPLE) if f[0].isdigit())
MIME = {"png": "image/png", "jpg": "image/jpeg", "pdf": "application/pdf"}


def read(name):
    with open(os.path.join(SAMPLE, name), "rb") as f:
        return f.read()


def upload(stack, filename, data, fields=None, prefer="wait=60", role="client",
           ctype="application/octet-stream", customer=None):
    form = {"customerId": (None, str(customer or new_customer(stack)))}
    for k, v in (fields or {}).items():
        form[k] = (None, v)
    form["document"] = (filename, data, ctype)
    h = stack.auth(role)
    if prefer:
        h["Prefer"] = prefer
    return requests.post(stack.url + "/api/payments", headers=h, files=form, timeout=120)


def docs_dir(stack):
    return os.path.join(stack.run, "documents", "payments", "documents")


def stored_files(stack):
    d = docs_dir(stack)
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def payment_count(stack):
    return int(stack.sql("SELECT COUNT(*) FROM comprobar.payments").strip())


@pytest.mark.parametrize("name", FILES)
def test_corpus_sample_is_read(stack, name):
    t = TRUTH[name[:4]]
    r = upload(stack, name, read(name), ctype=MIME[name.rsplit(".", 1)[1]])
    assert r.status_code == 201, r.text
    body = r.json()
    p, res = body["payment"], body["ocrResult"]
    assert res["status"] == "done", res
    ocr = p["ocrData"]
    assert set(res["confidence"]) >= {"amount", "date", "reference", "bankCode",
                                      "paymentMethod", "currency"}
    # What OCR is sure of must be right; clean sources must be fully read.
    pairs = [("amount", "extractedAmount"), ("date", "extractedDate"),
             ("reference", "extractedReference"), ("bankCode", "extractedBankCode"),
             ("currency", "extractedCurrency"), ("paymentMethod", "extractedPaymentMethod")]
    for key, member in pairs:
        got = ocr[member]
        conf = res["confidence"][key]
        want = t[key]
        if key == "amount" and got is not None:
            got = "%.2f" % float(got)  # the JSON number, as the truth spells it
        if conf is not None and conf >= 0.85:
            assert str(got) == want, (name, key, got, want, conf)
    exact = lambda k, m: ("%.2f" % float(ocr[m]) if k == "amount" and ocr[m] is not None
                          else ocr[m]) == t[k]
    if "-photo" not in name:
        assert exact("amount", "extractedAmount"), (name, ocr)
        assert exact("date", "extractedDate"), (name, ocr)
    # Every field OCR found is on the payment (no manual values were sent).
    if ocr["extractedAmount"] is not None and ocr["extractedCurrency"]:
        assert p["amount"] == ocr["extractedAmount"] and p["currency"] == ocr["extractedCurrency"]
    assert p["transactionDate"] == ocr["extractedDate"]
    assert p["reference"] == ocr["extractedReference"]
    # Review exactly when a required field is missing or doubtful (or reused).
    doubtful = any(res["confidence"][k] is None or res["confidence"][k] < 0.85
                   for k in ("amount", "date", "reference"))
    reused = res["duplicateOf"] is not None or any("another client" in w
                                                    for w in res["reasons"])
    assert res["requiresManualReview"] == (doubtful or reused), res
    assert p["requiresManualReview"] == res["requiresManualReview"]
    # Boxes are kept for the review pages.
    if ocr["extractedAmount"] is not None:
        assert ocr["boxes"]["amount"]["page"] == 0 and len(ocr["boxes"]["amount"]["box"]) == 4
    assert ocr["source"] == ("text-layer" if "textpdf" in name else "ocr")
    # Boxes are on the document as a viewer shows it: a PNG's own size.
    if name.endswith(".png"):
        w, h = struct.unpack(">II", read(name)[16:24])
        assert ocr["pages"][0] == [w, h], ocr["pages"]
        x0, y0, x1, y1 = ocr["boxes"]["amount"]["box"]
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
    full = stack.get("/api/payments/%d/ocr" % p["paymentId"], role="client").json()
    assert len(full["ocr"]["words"]) > 5


def test_document_is_served_back_safely(stack):
    data = read("0003-clean.png")
    r = upload(stack, "Recibo de depósito.png", data, prefer="respond-async")
    assert r.status_code == 201, r.text
    p = r.json()["payment"]
    assert p["documentUrl"] == "/api/payments/%d/document" % p["paymentId"]
    assert p["document"]["type"] == "image/png" and p["document"]["size"] == len(data)
    import hashlib
    assert p["document"]["sha256"] == hashlib.sha256(data).hexdigest()
    d = stack.get(p["documentUrl"], role="reviewer")
    assert d.status_code == 200 and d.content == data
    assert d.headers["Content-Type"] == "image/png"
    assert d.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in d.headers["Content-Security-Policy"]
    assert "default-src 'none'" in d.headers["Content-Security-Policy"]
    cd = d.headers["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''Recibo%20de%20dep%C3%B3sito.png" in cd
    assert stack.get(p["documentUrl"]).status_code == 401
    assert_problem(stack.get("/api/payments/999999/document", role="client"), 404)
    # The seed's path layout, on disk.
    assert "%d-Recibo de depósito.png" % p["paymentId"] in stored_files(stack)
    # A payment without a document has none to serve.
    c = new_customer(stack)
    r = stack.request("POST", "/api/payments", role="client",
                      json={"customerId": c, "amount": "5.00", "paymentMethod": "efectivo"})
    assert r.json()["payment"]["documentUrl"] is None and r.json()["ocrResult"] is None
    assert_problem(stack.get("/api/payments/%d/document" % r.json()["payment"]["paymentId"],
                             role="client"), 404)


def test_respond_async_then_get_shows_the_result(stack):
    r = upload(stack, "0006-clean.png", read("0006-clean.png"), prefer="respond-async")
    assert r.status_code == 201, r.text
    assert r.headers.get("Preference-Applied") == "respond-async"
    pid = r.json()["payment"]["paymentId"]
    assert r.json()["ocrResult"]["status"] in ("processing", "done")
    end = time.time() + 60
    while time.time() < end:
        g = stack.get("/api/payments/%d" % pid, role="client").json()
        if g["ocrResult"]["status"] == "done":
            break
        time.sleep(0.2)
    assert g["ocrResult"]["status"] == "done", g
    assert g["payment"]["reference"] == TRUTH["0006"]["reference"]
    assert g["payment"]["version"] == 2  # created, then OCR
    h = stack.get("/api/payments/%d/history" % pid, role="client").json()
    kinds = [e["kind"] for e in h["events"]] if "events" in h else [e["kind"] for e in h["history"]]
    assert kinds == ["created", "ocr"]


def test_manual_data_wins_and_disagreement_is_reviewed(stack):
    t = TRUTH["0008"]
    r = upload(stack, "sinpe.png", read("0008-clean.png"),
               fields={"amount": "100.00", "currency": "CRC", "reference": t["reference"]})
    assert r.status_code == 201, r.text
    p, res = r.json()["payment"], r.json()["ocrResult"]
    assert p["amount"] == 100.00 and p["reference"] == t["reference"]
    assert "%.2f" % p["ocrData"]["extractedAmount"] == t["amount"]
    assert res["requiresManualReview"] is True
    assert any("amount" in why for why in res["reasons"]), res
    assert p["transactionDate"] == t["date"]  # filled by OCR: the client sent none


def same_voucher_ids(stack, reference, truth=None):
    """The demo client's payments of this voucher — its bank, reference and
    amount, as the duplicate rule sees one (other tests' photos of it may
    carry the reference with another amount read): a duplicate is named
    within one client (another client's is flagged, never named)."""
    same = ""
    if truth:
        same = " AND bank_code = '%s' AND amount_minor = %d" % (
            truth["bankCode"], round(float(truth["amount"]) * 100))
    return [int(x) for x in stack.sql(
        "SELECT id FROM comprobar.payments WHERE reference = '%s' AND status <> 'rechazado'"
        " AND registered_by = (SELECT id FROM comprobar.api_keys WHERE name = 'demo-client')"
        "%s ORDER BY id" % (reference, same)).split()]


def test_same_receipt_twice_is_flagged_duplicate(stack):
    data = read("0000-clean.png")
    ref = TRUTH["0000"]["reference"]
    first = upload(stack, "a.png", data).json()["payment"]
    second = upload(stack, "b.png", data).json()
    # The oldest payment still standing for this voucher is named.
    assert second["payment"]["duplicateOf"] == same_voucher_ids(stack, ref, TRUTH["0000"])[0]
    assert second["payment"]["duplicateOf"] <= first["paymentId"]
    assert second["ocrResult"]["duplicateOf"] == second["payment"]["duplicateOf"]
    assert second["payment"]["requiresManualReview"] is True
    assert any("already used" in w for w in second["ocrResult"]["reasons"])
    # Once every earlier payment with it is rejected, it is new again.
    for pid in same_voucher_ids(stack, ref, TRUTH["0000"]):
        r = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                          json={"status": "rechazado", "reason": "test"})
        assert r.status_code == 200, r.text
    third = upload(stack, "c.png", data).json()
    assert third["payment"]["duplicateOf"] is None, third


def test_same_bank_reference_amount_is_a_duplicate(stack):
    # Two different files (PNG and its text PDF) of one voucher.
    first = upload(stack, "v.png", read("0003-clean.png")).json()["payment"]
    second = upload(stack, "v.pdf", read("0003-textpdf.pdf")).json()["payment"]
    assert second["duplicateOf"] is not None
    assert second["duplicateOf"] <= first["paymentId"]
    assert second["duplicateOf"] == same_voucher_ids(stack, TRUTH["0003"]["reference"],
                                                    TRUTH["0003"])[0]


def test_rerun_ocr_is_admin_only(stack):
    p = upload(stack, "0006-textpdf.pdf", read("0006-textpdf.pdf")).json()["payment"]
    assert_problem(stack.request("POST", "/api/payments/%d/ocr" % p["paymentId"],
                                 role="client"), 403)
    r = stack.request("POST", "/api/payments/%d/ocr" % p["paymentId"], role="admin",
                      headers={"Prefer": "wait=60"})
    assert r.status_code == 200, r.text
    assert r.json()["ocrResult"]["status"] == "done"
    assert r.json()["payment"]["version"] == p["version"] + 1
    c = new_customer(stack)
    q = stack.request("POST", "/api/payments", role="client",
                      json={"customerId": c, "amount": "5.00", "paymentMethod": "efectivo"})
    assert_problem(stack.request("POST", "/api/payments/%d/ocr" % q.json()["payment"]["paymentId"],
                                 role="admin"), 409)


def test_missing_file_makes_the_job_dead_and_the_payment_reviewed(stack):
    p = upload(stack, "x.pdf", read("0005-textpdf.pdf")).json()["payment"]
    os.unlink(os.path.join(docs_dir(stack), "%d-x.pdf" % p["paymentId"]))
    r = stack.request("POST", "/api/payments/%d/ocr" % p["paymentId"], role="admin",
                      headers={"Prefer": "wait=30"})
    assert r.status_code == 200, r.text
    g = r.json()
    assert g["ocrResult"]["status"] == "failed"
    assert g["payment"]["requiresManualReview"] is True
    assert g["payment"]["reviewReason"].startswith("OCR failed"), g["payment"]


def pdf_of(objs):
    """A PDF of these objects (numbered from 1, the first the catalog)."""
    out, offs = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs):
        offs.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offs:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
    return bytes(out)


def big_pdf(pages):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            ("<< /Type /Pages /Count %d /Kids [%s] >>" % (
                pages, " ".join("%d 0 R" % (3 + i) for i in range(pages)))).encode()]
    return pdf_of(objs + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"] * pages)


def looping_pdf():
    """A page tree whose Pages node is its own kid: it counts pages it
    cannot give."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Count 3 /Kids [2 0 R 3 0 R] >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"]
    return pdf_of(objs)


def png_declaring(w, h):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def encrypted_pdf(tmp_path):
    src, dst = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(read("0000-textpdf.pdf"))
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--",
                    str(src), str(dst)], check=True)
    return dst.read_bytes()


def test_hostile_files_are_refused_with_nothing_stored(stack, tmp_path):
    photo = read("0000-photo.jpg")
    cases = [
        ("zero.pdf", b"", 422, "empty"),
        ("truncated.jpg", photo[:len(photo) // 2], 422, "corrupt"),
        ("bomb.png", png_declaring(100000, 100000), 422, "pixel_limit"),
        ("pages.pdf", big_pdf(5000), 422, "page_limit"),
        ("locked.pdf", encrypted_pdf(tmp_path), 422, "encrypted"),
        ("loop.pdf", looping_pdf(), 422, "corrupt"),
        ("polyglot.jpg", photo + read("0000-textpdf.pdf"), 422, "corrupt"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj garbage\n%%EOF\n", 422, "corrupt"),
        ("anim.gif", b"GIF89a" + b"\x00" * 64, 415, "unsupported_type"),
        ("page.html", b"<html><script>alert(1)</script></html>", 415, "unsupported_type"),
    ]
    before_rows, before_files = payment_count(stack), stored_files(stack)
    for name, data, status, code in cases:
        r = upload(stack, name, data, ctype="image/jpeg")
        problem = assert_problem(r, status, [("#/document", code)])
        if status == 415:
            assert "image/jpeg, image/png, application/pdf" in json.dumps(problem)
    assert payment_count(stack) == before_rows
    assert stored_files(stack) == before_files
    assert not [f for f in os.listdir(docs_dir(stack)) if f.startswith(".tmp-")]


def test_oversized_upload_is_413(stack):
    before = payment_count(stack)
    r = upload(stack, "big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10))
    assert_problem(r, 413)
    assert payment_count(stack) == before


def test_a_pdf_named_jpg_is_stored_as_what_it_is(stack):
    r = upload(stack, "recibo.jpg", read("0007-textpdf.pdf"), ctype="image/jpeg")
    assert r.status_code == 201, r.text
    doc = r.json()["payment"]["document"]
    assert doc["type"] == "application/pdf" and doc["name"] == "recibo.pdf"


def raw_upload(stack, filename_bytes, data):
    c = str(new_customer(stack)).encode()
    body = (b"--B0\r\nContent-Disposition: form-data; name=\"customerId\"\r\n\r\n" + c +
            b"\r\n--B0\r\nContent-Disposition: form-data; name=\"document\"; filename=\"" +
            filename_bytes + b"\"\r\nContent-Type: image/png\r\n\r\n" + data + b"\r\n--B0--\r\n")
    return stack.request("POST", "/api/payments", role="client", data=body,
                         headers={"Content-Type": "multipart/form-data; boundary=B0",
                                  "Prefer": "respond-async"})


def test_hostile_file_names(stack):
    png = read("0006-clean.png")
    before = set(stored_files(stack))
    r = raw_upload(stack, b"../../etc/passwd", png)
    assert r.status_code == 201, r.text
    p = r.json()["payment"]
    assert p["document"]["name"] == "passwd.png"
    r = raw_upload(stack, b"\xff\xfe\x80.png", png)
    assert r.status_code == 201, r.text
    assert r.json()["payment"]["document"]["name"] == "___.png"
    # A raw newline inside the quoted name: the name is cleaned (and its
    # extension made to match the bytes: this is a PNG).
    r = raw_upload(stack, b"a\nb.pdf", png)
    assert r.status_code == 201, r.text
    assert r.json()["payment"]["document"]["name"] == "a_b.png"
    # Percent-encoded control characters never reach the name.
    r = upload(stack, "a\nb.png", png, prefer="respond-async")
    assert r.status_code == 201, r.text
    name = r.json()["payment"]["document"]["name"]
    assert "\n" not in name and "/" not in name
    # A name that would open as another type gets its type's extension,
    # on the payment and on the download.
    for sent, kept in ((b"x.html", "x.html.png"), (b"x.svg", "x.svg.png"),
                       ("\u202egnp.exe".encode(), "___gnp.exe.png")):
        r = raw_upload(stack, sent, png)
        assert r.status_code == 201, r.text
        p = r.json()["payment"]
        assert p["document"]["name"] == kept
        d = stack.get("/api/payments/%d/document" % p["paymentId"], role="client")
        assert d.headers["Content-Type"] == "image/png"
        assert 'filename="%s"' % kept in d.headers["Content-Disposition"], d.headers
    new = set(stored_files(stack)) - before
    assert len(new) == 7 and all("/" not in f and "\n" not in f for f in new)
    assert not os.path.exists(os.path.join(stack.run, "documents", "etc"))


def test_worker_killed_in_mid_ocr_is_taken_over_and_completes_once(stack, tmp_path):
    # Ten scanned pages: seconds of OCR, time to kill the worker doing it.
    page = tmp_path / "p.pdf"
    page.write_bytes(read("0008-scanpdf.pdf"))
    out = tmp_path / "ten.pdf"
    subprocess.run(["pdfunite"] + [str(page)] * 10 + [str(out)], check=True)
    r = upload(stack, "ten.pdf", out.read_bytes(), prefer="respond-async")
    assert r.status_code == 201, r.text
    pid = r.json()["payment"]["paymentId"]
    owner = ""
    end = time.time() + 30
    while time.time() < end and not owner:
        owner = stack.sql("SELECT lease_owner FROM comprobar.jobs WHERE kind='ocr.payment'"
                          " AND state='running' AND payload LIKE '%%:%d}'" % pid).strip()
        time.sleep(0.05)
    assert owner, "the OCR job never started"
    os.kill(int(owner.split(":")[1]), signal.SIGKILL)
    end = time.time() + 90
    while time.time() < end:
        g = stack.get("/api/payments/%d" % pid, role="client").json()
        if g["ocrResult"]["status"] != "processing":
            break
        time.sleep(0.3)
    assert g["ocrResult"]["status"] == "done", g
    st = stack.sql("SELECT state, attempts FROM comprobar.jobs WHERE kind='ocr.payment'"
                   " AND payload LIKE '%%:%d}'" % pid).split()
    assert st[0] == "done" and int(st[1]) >= 2, st
    events = stack.sql("SELECT COUNT(*) FROM comprobar.payment_events WHERE payment_id=%d"
                       " AND kind='ocr'" % pid).strip()
    assert events == "1"
    assert g["payment"]["reference"] == TRUTH["0008"]["reference"]
    stack.wait_ready()


def test_janitor_removes_strays_only(stack):
    d = docs_dir(stack)
    os.makedirs(d, exist_ok=True)
    kept = upload(stack, "k.png", read("0006-clean.png"), prefer="respond-async").json()
    kept_name = "%d-k.png" % kept["payment"]["paymentId"]
    old = time.time() - 3 * 3600
    for n in ("999999-stray.pdf", ".tmp-zzzzzz"):
        with open(os.path.join(d, n), "wb") as f:
            f.write(b"x")
        os.utime(os.path.join(d, n), (old, old))
    os.utime(os.path.join(d, kept_name), (old, old))
    with open(os.path.join(d, "999998-young.pdf"), "wb") as f:
        f.write(b"x")
    # Sign-in forms never sent back: past their hour they go, younger stay.
    stack.sql("INSERT INTO comprobar.login_pre_sessions VALUES"
              " (REPEAT('a', 64), 'x', UTC_TIMESTAMP(6) - INTERVAL 2 HOUR),"
              " (REPEAT('b', 64), 'y', UTC_TIMESTAMP(6))")
    r = stack.request("POST", "/api/debug/jobs", json={"kind": "storage.janitor"})
    assert r.status_code == 201, r.text
    end = time.time() + 30
    while time.time() < end and os.path.exists(os.path.join(d, "999999-stray.pdf")):
        time.sleep(0.2)
    files = os.listdir(d)
    assert "999999-stray.pdf" not in files and ".tmp-zzzzzz" not in files
    assert kept_name in files and "999998-young.pdf" in files
    os.unlink(os.path.join(d, "999998-young.pdf"))
    end = time.time() + 30
    left = lambda: stack.sql("SELECT GROUP_CONCAT(LEFT(id_hash, 1)) FROM"
                             " comprobar.login_pre_sessions WHERE id_hash IN"
                             " (REPEAT('a', 64), REPEAT('b', 64))").strip()
    while time.time() < end and left() != "b":
        time.sleep(0.2)
    assert left() == "b"


def test_idempotent_upload_replays_and_refuses_another_file(stack):
    c = new_customer(stack)
    key = "receipt-%d" % time.time_ns()

    def send(data):
        h = stack.auth("client")
        h.update({"Idempotency-Key": key, "Prefer": "wait=60"})
        return requests.post(stack.url + "/api/payments", headers=h, timeout=120,
                             files={"customerId": (None, str(c)),
                                    "document": ("r.png", data, "image/png")})
    first = send(read("0006-clean.png"))
    assert first.status_code == 201, first.text
    again = send(read("0006-clean.png"))
    assert again.status_code == 200 and again.json()["cached"] is True, again.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["payment"]["paymentId"] == first.json()["payment"]["paymentId"]
    # The replay shows what the first answer showed: OCR done.
    assert again.json()["ocrResult"]["status"] == first.json()["ocrResult"]["status"]
    files_before = stored_files(stack)
    other = send(read("0008-clean.png"))
    assert_problem(other, 422)
    assert stored_files(stack) == files_before


def test_a_stray_file_under_the_next_key_is_replaced(stack):
    # A crash (or a restored database) can leave a file under the key the
    # next payment will get: the upload still succeeds and stores its own.
    nxt = int(stack.sql("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE"
                        " TABLE_SCHEMA='comprobar' AND TABLE_NAME='payments'").strip())
    os.makedirs(docs_dir(stack), exist_ok=True)
    stray = os.path.join(docs_dir(stack), "%d-s.png" % nxt)
    with open(stray, "wb") as f:
        f.write(b"stale")
    data = read("0006-clean.png")
    r = upload(stack, "s.png", data, prefer="respond-async")
    assert r.status_code == 201, r.text
    assert r.json()["payment"]["paymentId"] == nxt
    with open(stray, "rb") as f:
        assert f.read() == data


def white_png(w=400, h=300):
    """A readable, entirely white image: nothing for OCR to find."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xffffffff)
    rows = b"".join(b"\x00" + b"\xff" * w for _ in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_receipt_with_no_text_goes_to_review_whatever_the_client_filled(stack):
    r = upload(stack, "blank.png", white_png(), ctype="image/png", fields={
        "amount": "150.00", "currency": "GTQ", "reference": "ABC123",
        "transactionDate": "2026-03-03", "bankCode": "BI"})
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["ocrResult"]["status"] == "done", got
    assert got["payment"]["requiresManualReview"] is True, got
    assert any("no text" in w for w in got["ocrResult"]["reasons"]), got


def test_every_field_disagreeing_with_a_long_reference_keeps_the_ocr(stack):
    """The review reason once overflowed its column: the OCR job died and
    the payment kept ocrData null."""
    r = upload(stack, "a.png", read("0000-clean.png"), ctype="image/png", fields={
        "amount": "1.23", "currency": "GTQ", "transactionDate": "2020-01-01",
        "reference": "Ñ" * 64, "bankCode": "BI"})
    assert r.status_code == 201, r.text
    got = r.json()
    assert got["ocrResult"]["status"] == "done", got
    assert got["payment"]["ocrData"] is not None
    assert got["payment"]["requiresManualReview"] is True
    reasons = "; ".join(got["ocrResult"]["reasons"])
    for field in ("amount", "transactionDate", "reference"):
        assert field in reasons, reasons


def test_a_receipt_another_client_used_is_flagged_without_naming_it(stack):
    data = read("0005-clean.png")
    first = upload(stack, "a.png", data, ctype="image/png").json()["payment"]
    other = upload(stack, "b.png", data, ctype="image/png", role="client2",
                   customer=new_customer(stack, role="client2")).json()
    assert other["payment"]["requiresManualReview"] is True, other
    assert other["payment"]["duplicateOf"] is None, other
    text = json.dumps(other)
    assert "another client" in text and str(first["paymentId"]) not in \
        other["ocrResult"]["reasons"][-1]


def test_a_pdf_with_only_an_owner_password_is_read(stack, tmp_path):
    """It opens without a password (the owner's only restricts printing
    and copying): accepted, read, and its page shown, like any other."""
    src, dst = tmp_path / "in.pdf", tmp_path / "owner.pdf"
    src.write_bytes(read("0000-textpdf.pdf"))
    subprocess.run(["qpdf", "--encrypt", "", "owner-pw", "256", "--",
                    str(src), str(dst)], check=True)
    r = upload(stack, "owner.pdf", dst.read_bytes(), ctype="application/pdf")
    assert r.status_code == 201, r.text
    assert r.json()["ocrResult"]["status"] == "done", r.json()


def test_document_url_is_absolute_with_a_public_url(stack):
    """Seed 000 shows documentUrl as an absolute URL: with [server]
    public_url set (a drop-in, then a reload) it is one."""
    p = upload(stack, "r.png", read("0006-clean.png"), ctype="image/png",
               prefer="respond-async").json()["payment"]
    d = stack.env["CB_CONF"] + ".d"
    os.makedirs(d, exist_ok=True)
    dropin = os.path.join(d, "90-public-url.conf")

    def url_after_reload(want_prefix):
        stack.reload()
        got = stack.get("/api/payments/%d" % p["paymentId"], role="client").json()
        assert got["payment"]["documentUrl"].startswith(want_prefix), got["payment"]
        return got["payment"]["documentUrl"]

    with open(dropin, "w") as f:
        f.write("[server]\npublic_url = https://pagos.example.com\n")
    try:
        assert url_after_reload("https://") == \
            "https://pagos.example.com/api/payments/%d/document" % p["paymentId"]
    finally:
        os.unlink(dropin)
    assert url_after_reload("/api/") == "/api/payments/%d/document" % p["paymentId"]
