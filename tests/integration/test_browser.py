"""The review pages in a real browser: Debian's chromium driven by
playwright-core (tests/browser/drive.mjs) against the stack.  Each test
prepares its payments through the API, runs one browser scenario, then
checks in the API and the database what the clicks wrote.  Screenshots
of every page go to $CB_BUILD_DIR/browser-shots/."""
import json
import os
import subprocess
import sys
import uuid

import pytest

from test_bank import camt, imported, ntry
from test_documents import read, upload
from test_payments import new_customer
from test_web import new_user

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DRIVER = os.path.join(SRC, "tests", "browser", "drive.mjs")
SAMPLE = os.path.join(SRC, "tests", "corpus", "sample")
sys.path.insert(0, os.path.join(SRC, "tests", "corpus"))
import boxes  # noqa: E402  (tests/corpus/boxes.py)


def drive(stack, scenario, **args):
    args.setdefault("user", {"name": stack.env["CB_REVIEWER_USER"],
                             "password": stack.env["CB_REVIEWER_PASSWORD"]})
    shots = os.path.join(stack.build, "browser-shots", scenario)
    env = dict(os.environ, CB_URL=stack.url, CB_ARGS=json.dumps(args), CB_SHOTS=shots)
    r = subprocess.run(["node", DRIVER, scenario], env=env, capture_output=True,
                       text=True, timeout=180)
    assert r.returncode == 0, "browser scenario %s failed:\n%s%s" % (
        scenario, r.stdout[-3000:], r.stderr[-3000:])
    return json.loads(r.stdout.strip().splitlines()[-1])


def review_item(stack, doc="0000-photo.jpg", customer=None, fields=None, name=None):
    """A pending payment with a receipt read by OCR, in the review queue."""
    r = upload(stack, name or doc, read(doc), fields=fields, customer=customer)
    assert r.status_code in (200, 201), r.text
    pid = r.json()["payment"]["paymentId"]
    stack.sql("UPDATE comprobar.payments SET requires_manual_review = 1,"
              " review_reason = COALESCE(review_reason, 'browser test')"
              " WHERE id = %d" % pid)
    return pid


def payment(stack, pid):
    r = stack.get("/api/payments/%d" % pid, role="admin")
    assert r.status_code == 200, r.text
    return r.json()["payment"]


def history(stack, pid):
    r = stack.get("/api/payments/%d/history" % pid, role="admin")
    assert r.status_code == 200, r.text
    return r.json()["events"]


def test_approve_by_keyboard_with_overlay_on_a_photo(stack):
    cust = new_customer(stack)
    pid = review_item(stack, customer=cust)
    # The queue is shared with the other tests: this customer's part of it.
    out = drive(stack, "approve_keyboard", id=pid, queue="/review?customer=%d" % cust)
    assert out["words"] > 5
    p = payment(stack, pid)
    assert p["status"] == "validado"
    last = history(stack, pid)[-1]
    assert last["toStatus"] == "validado"
    assert last["actor"]["type"] == "user"
    assert last["actor"]["name"] == stack.env["CB_REVIEWER_USER"]
    assert last["actor"]["remoteAddr"] == "127.0.0.1"
    # The page and the API wrote the same activity a client would.
    n = stack.sql("SELECT COUNT(*) FROM comprobar.activity_log WHERE action ="
                  " 'REVIEW_APPROVE' AND target = 'payment:%d'" % pid)
    assert n.strip() == "1"


def test_correct_and_approve(stack):
    pid = review_item(stack)
    drive(stack, "correct", id=pid, amount="12345.67", reference="REF-CORREGIDA-1")
    p = payment(stack, pid)
    assert p["status"] == "validado"
    assert str(p["amount"]) == "12345.67" and p["reference"] == "REF-CORREGIDA-1"
    ev = history(stack, pid)
    corrected = [e for e in ev if e["kind"] == "corrected"]
    assert len(corrected) == 1
    assert str(corrected[0]["changes"]["amount"]["new"]) == "12345.67"
    assert corrected[0]["actor"]["type"] == "user"
    assert ev[-1]["toStatus"] == "validado"


def test_fields_filled_from_what_ocr_read_are_recorded_as_clicked(stack):
    """The reference taken from its candidate button, the date from its box
    on the receipt (a plain word clicked fills its text): the correction
    says which candidate was right and that it was clicked, not typed."""
    from test_ocr_corrections import VOUCHER, upload as upload_pdf
    p = upload_pdf(stack, VOUCHER)
    pid = p["paymentId"]
    assert p["requiresManualReview"] and p["reference"] == "90817263"
    out = drive(stack, "pick_candidates", id=pid, reference="55667788", word="servicios",
                date="2026-05-14")
    assert out["candidates"] >= 2
    got = payment(stack, pid)
    assert got["status"] == "validado" and got["reference"] == "55667788"
    rows = stack.sql("SELECT field, ocr_value, value, how FROM comprobar.ocr_corrections"
                     " WHERE payment_id = %d ORDER BY id" % pid).strip().split("\n")
    # The date was right as read: nothing to learn from it.
    assert rows == ["reference\t90817263\t55667788\tclicked"], rows


def test_reject_needs_a_reason(stack):
    pid = review_item(stack)
    drive(stack, "reject", id=pid, reason="El comprobante no corresponde al cliente")
    p = payment(stack, pid)
    assert p["status"] == "rechazado"
    assert history(stack, pid)[-1]["reason"] == "El comprobante no corresponde al cliente"


def test_skip_changes_nothing_and_j_k_walk_the_queue(stack):
    a = review_item(stack)
    b = review_item(stack)
    # Nothing else may sit between them in the queue for j/k to be exact.
    stack.sql("UPDATE comprobar.payments SET requires_manual_review = 0 WHERE"
              " id > %d AND id < %d" % (a, b))
    before = payment(stack, a)["version"]
    drive(stack, "skip_and_walk", first=a, second=b)
    p = payment(stack, a)
    assert p["status"] == "pendiente" and p["version"] == before


def test_overlay_on_a_pdf_page_rendered_on_the_server(stack):
    pid = review_item(stack, doc="0003-scanpdf.pdf")
    drive(stack, "pdf_overlay", id=pid)
    # Drawn once, then served from the cache in storage.
    cached = [f for f in os.listdir(os.path.join(stack.run, "documents", "cache", "pages"))
              if f.endswith("-1-110.png")]
    assert cached


@pytest.mark.parametrize("photo", ["layout-photo-tilted", "layout-photo-sideways"])
def test_word_boxes_drawn_on_a_photo_sit_on_the_words(stack, photo):
    """The boxes the review page draws on a phone photo (one turned 6°,
    one stored sideways) against where the words truly are on it: the
    browser's layout of the voucher carried through the photo's
    perspective and turns by corpus-gen (tests/corpus/boxes.py).  Boxes
    were turned back by a skew Leptonica had found but not applied, and
    sat off their words on most photos."""
    pid = review_item(stack, doc=photo + ".jpg")
    drawn = drive(stack, "drawn_boxes", id=pid)["boxes"]
    truth = boxes.truth_words(os.path.join(SAMPLE, photo + ".tsv"))
    s = boxes.score(boxes.pairs(truth, drawn))
    assert s["pairs"] >= 15 and s["centres"] >= 0.9, s


def test_concurrent_reviewers_second_told_stale_decision_refused(stack):
    pid = review_item(stack)
    other = new_user(stack, "otra" + uuid.uuid4().hex[:6])
    drive(stack, "concurrent", id=pid, other={"name": other[0], "password": other[1]})
    p = payment(stack, pid)
    assert p["status"] == "validado"  # the first decision, not the stale one
    assert [e["toStatus"] for e in history(stack, pid) if e["kind"] == "status"] == ["validado"]


def test_csrf_token_missing_or_wrong_is_refused(stack):
    pid = review_item(stack)
    before = payment(stack, pid)
    drive(stack, "csrf", id=pid)
    after = payment(stack, pid)
    assert after["status"] == "pendiente" and after["version"] == before["version"]


def test_logout_makes_the_old_cookie_useless(stack):
    drive(stack, "logout")


def test_spanish_and_english(stack):
    pid = review_item(stack)
    drive(stack, "languages", id=pid)


def test_decisions_work_without_javascript(stack):
    pid = review_item(stack)
    rej = review_item(stack)
    drive(stack, "no_javascript", id=pid, reject=rej, amount="777.00")
    assert str(payment(stack, pid)["amount"]) == "777.0"
    assert payment(stack, pid)["status"] == "validado"
    assert payment(stack, rej)["status"] == "rechazado"


def test_bank_candidates_beside_the_receipt_match_and_undo(stack):
    r = stack.request("POST", "/api/bank-accounts", role="admin", json={
        "bankAccountId": "BROWSER-PEN", "bankCode": "BBVA_PE",
        "number": "0011-0777-0200333333", "currency": "PEN"})
    assert r.status_code in (201, 422), r.text
    pid = review_item(stack, fields={"amount": "515.00", "currency": "PEN",
                                     "transactionDate": "2026-06-01",
                                     "bankAccountId": "BROWSER-PEN"})
    r = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                      json={"status": "validado"})
    assert r.status_code == 200, r.text
    doc = camt("BROWSER-1", "0011-0777-0200333333", [ntry("515.00", "2026-06-01", "BR-1"),
                                                      ntry("515.00", "2026-06-01", "BR-2")])
    assert imported(stack, "browser.xml", doc)["status"] == "done"
    # Two equal deposits: the engine leaves it to a person.
    assert payment(stack, pid)["status"] == "validado"
    out = drive(stack, "bank_side_by_side", id=pid)
    assert out["candidates"] == 2
    p = payment(stack, pid)
    assert p["status"] == "validado" and p["bankOperationNumber"] is None
    events = history(stack, pid)
    assert [(e["fromStatus"], e["toStatus"]) for e in events[-2:]] == [
        ("validado", "conciliado"), ("conciliado", "validado")]
    assert "era de otro cliente" in events[-1]["reason"]


PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'&"


def test_xss_payloads_render_as_text(stack):
    cust = new_customer(stack, name="ACME " + PAYLOAD)
    pid = review_item(stack, customer=cust, fields={"notes": "nota " + PAYLOAD},
                      name="<img src=x onerror=alert(3)>.jpg")
    # What OCR read and why it was flagged reach the pages too.
    stack.sql("UPDATE comprobar.payments SET review_reason = %s,"
              " ocr_data = JSON_SET(ocr_data, '$.fields.reference.value', %s)"
              " WHERE id = %d" % (sql_str("motivo " + PAYLOAD), sql_str("ref " + PAYLOAD), pid))
    # And a rejection reason typed by someone, in the history.
    r = stack.request("POST", "/api/payments/%d/status" % pid, role="admin",
                      json={"status": "rechazado", "reason": "razón " + PAYLOAD})
    assert r.status_code == 200, r.text
    stack.sql("UPDATE comprobar.payments SET status = 'pendiente' WHERE id = %d" % pid)
    drive(stack, "xss", id=pid, payload=PAYLOAD, customer="ACME")


def sql_str(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"
