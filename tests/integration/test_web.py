"""Sign-in for the review pages through nginx: the login form (Spanish by
default, English on request), login CSRF, sessions in a cookie with the
right flags, no session fixation, logout ending the session on the server,
throttled guessing, the queue page escaping what OCR and clients wrote.
(Browser tests with Chromium come with the review pages themselves.)"""
import re
import time

import requests

from test_payments import new_customer

CSP = ("default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self';"
       " form-action 'self'; frame-ancestors 'none'")


def form_token(html):
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, html
    return m.group(1)


def login(stack, user=None, password=None, s=None, lang=None):
    s = s or requests.Session()
    h = {"Accept-Language": lang} if lang else {}
    r = s.get(stack.url + "/login", headers=h, timeout=30)
    assert r.status_code == 200, r.text
    tok = form_token(r.text)
    r = s.post(stack.url + "/login", timeout=60, allow_redirects=False, headers=h,
               data={"username": user or stack.env["CB_REVIEWER_USER"],
                     "password": password or stack.env["CB_REVIEWER_PASSWORD"],
                     "csrf": tok})
    return s, r


def new_user(stack, name, password="correct horse battery"):
    r = stack.ctl("user", "add", name, "--role", "reviewer", "--password-stdin",
                  input=password + "\n")
    assert r.returncode == 0, r.stderr
    return name, password


def test_login_page_language_and_headers(stack):
    r = requests.get(stack.url + "/login", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert '<html lang="es">' in r.text and "Iniciar sesión" in r.text
    assert r.headers["Content-Security-Policy"] == CSP
    assert r.headers["X-Frame-Options"] == "DENY"
    # Scripts only from our static files, never inline (CSP forbids it too).
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
    assert scripts and all(re.search(r'src="/static/[a-z]+\.js"', a) and not body
                           for a, body in scripts), scripts
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", r.text, re.I)
    r = requests.get(stack.url + "/login", headers={"Accept-Language": "en-US,en;q=0.8"},
                     timeout=30)
    assert '<html lang="en">' in r.text and "Sign in" in r.text
    s = requests.Session()
    r = s.get(stack.url + "/login?lang=en", timeout=30)
    assert "Sign in" in r.text and s.cookies.get("cb_lang") == "en"
    r = s.get(stack.url + "/login", timeout=30)
    assert '<html lang="en">' in r.text  # the choice sticks


def test_sign_in_session_and_sign_out(stack):
    s, r = login(stack)
    assert r.status_code == 303 and r.headers["Location"] == "/review"
    cookie = [c for c in r.headers.get("Set-Cookie", "").split(", ") if "cb_session=" in c]
    raw = r.raw.headers.getlist("Set-Cookie")
    sc = [c for c in raw if c.startswith("cb_session=")]
    assert sc, raw
    assert "HttpOnly" in sc[0] and "SameSite=Lax" in sc[0] and "Path=/" in sc[0]
    sid = s.cookies.get("cb_session")
    assert sid and len(sid) >= 40
    page = s.get(stack.url + "/review", timeout=30)
    assert page.status_code == 200 and stack.env["CB_REVIEWER_USER"] in page.text
    assert page.headers["Content-Security-Policy"] == CSP
    tok = form_token(page.text)
    # Sign-out needs the form's token.
    assert s.post(stack.url + "/logout", data={}, allow_redirects=False,
                  timeout=30).status_code == 403
    assert s.post(stack.url + "/logout", data={"csrf": tok + "x"},
                  allow_redirects=False, timeout=30).status_code == 403
    r = s.post(stack.url + "/logout", data={"csrf": tok}, allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    # The old cookie is dead on the server, not just in this browser.
    r = requests.get(stack.url + "/review", cookies={"cb_session": sid},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    assert cookie is not None
    log = stack.sql("SELECT action FROM comprobar.activity_log WHERE principal_id = '%s'"
                    % stack.env["CB_REVIEWER_USER"])
    assert "LOGIN" in log and "LOGOUT" in log


def test_login_csrf_is_required(stack):
    s = requests.Session()
    s.get(stack.url + "/login", timeout=30)
    r = s.post(stack.url + "/login", allow_redirects=False, timeout=30,
               data={"username": stack.env["CB_REVIEWER_USER"],
                     "password": stack.env["CB_REVIEWER_PASSWORD"], "csrf": "x" * 32})
    assert r.status_code == 403
    # A token without its cookie (another browser's form) is refused too.
    tok = form_token(requests.get(stack.url + "/login", timeout=30).text)
    r = requests.post(stack.url + "/login", allow_redirects=False, timeout=30,
                      data={"username": stack.env["CB_REVIEWER_USER"],
                            "password": stack.env["CB_REVIEWER_PASSWORD"], "csrf": tok})
    assert r.status_code == 403
    # A cookie and token of the browser's own choosing (double submit, as
    # a planted cookie would be): refused, the token is the server's.
    r = requests.post(stack.url + "/login", allow_redirects=False, timeout=30,
                      cookies={"cb_login": "x" * 32},
                      data={"username": stack.env["CB_REVIEWER_USER"],
                            "password": stack.env["CB_REVIEWER_PASSWORD"], "csrf": "x" * 32})
    assert r.status_code == 403
    # A form's token works once: after a wrong password, the same pair is spent.
    s = requests.Session()
    tok = form_token(s.get(stack.url + "/login", timeout=30).text)
    r = s.post(stack.url + "/login", allow_redirects=False, timeout=30,
               data={"username": "nobody-" + tok[:6], "password": "wrong", "csrf": tok})
    assert r.status_code == 401
    jar = {"cb_login": r.request.headers["Cookie"].split("cb_login=")[1].split(";")[0]}
    r = requests.post(stack.url + "/login", allow_redirects=False, timeout=30, cookies=jar,
                      data={"username": stack.env["CB_REVIEWER_USER"],
                            "password": stack.env["CB_REVIEWER_PASSWORD"], "csrf": tok})
    assert r.status_code == 403
    r = requests.post(stack.url + "/login", data="{}", timeout=30,
                      headers={"Content-Type": "application/json"})
    assert r.status_code == 415


def set_cookie(r, name):
    for c in r.raw.headers.getlist("Set-Cookie"):
        if c.startswith(name + "="):
            return c.split(";")[0].split("=", 1)[1]
    return None


def test_no_session_fixation(stack):
    planted = "A" * 43
    s = requests.Session()
    s.cookies.set("cb_session", planted, domain="127.0.0.1", path="/")
    s, r = login(stack, s=s)
    assert r.status_code == 303
    given = set_cookie(r, "cb_session")
    assert given and given != planted
    r = requests.get(stack.url + "/review", cookies={"cb_session": planted},
                     allow_redirects=False, timeout=30)
    assert r.status_code == 303


def test_wrong_password_then_throttled(stack):
    user, pw = new_user(stack, "guess-%d" % time.time_ns())
    for _ in range(5):
        _, r = login(stack, user, "wrong password!")
        assert r.status_code == 401
        assert "Usuario o contraseña incorrectos" in r.text
        assert 'value="%s"' % user in r.text  # the name is kept, escaped
    _, r = login(stack, user, pw)  # even the right password waits now
    assert r.status_code == 429, r.text
    fails = stack.sql("SELECT COUNT(*) FROM comprobar.activity_log WHERE action ="
                      " 'LOGIN_FAILED' AND principal_id = '%s'" % user).strip()
    assert fails == "5"
    # An unknown account answers the same way as a wrong password.
    _, r = login(stack, "nobody-%d" % time.time_ns(), "whatever password")
    assert r.status_code == 401


def test_queue_page_lists_and_escapes(stack):
    c = new_customer(stack, name="<b>XSS</b> S.A.")
    evil = "<script>alert(1)</script>"
    p = requests.post(stack.url + "/api/payments", headers=stack.auth("client"), timeout=30,
                      json={"customerId": c, "amount": "12.00", "paymentMethod": "efectivo",
                            "reference": "R\"><img src=x onerror=alert(2)>"}).json()["payment"]
    stack.sql("UPDATE comprobar.payments SET requires_manual_review = 1, review_reason ="
              " '%s' WHERE id = %d" % (evil, p["paymentId"]))
    s, r = login(stack)
    # The queue is shared with every other test: look at this customer's.
    page = s.get(stack.url + "/review?customer=%d" % c, timeout=30).text
    assert 'data-payment="%d"' % p["paymentId"] in page
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    # Without a session the page sends the browser to sign in.
    r = requests.get(stack.url + "/review", allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"


def receipt(stack, sample, name, ctype):
    """A payment made from a corpus sample, read by OCR; (payment, bytes)."""
    import os
    from conftest import SRC
    data = open(os.path.join(SRC, "tests", "corpus", "sample", sample), "rb").read()
    r = requests.post(stack.url + "/api/payments", headers=dict(stack.auth("client"),
                      Prefer="wait=60"), timeout=120,
                      files={"customerId": (None, str(new_customer(stack))),
                             "document": (name, data, ctype)})
    assert r.status_code == 201, r.text
    return r.json()["payment"], data


def flagged_receipt(stack):
    p, data = receipt(stack, "0003-photo.jpg", "foto.jpg", "image/jpeg")
    assert p["requiresManualReview"], p  # the photo's reference is doubtful
    return p, data


def test_review_item_shows_fields_boxes_and_claims(stack):
    p, data = flagged_receipt(stack)
    s, _ = login(stack)
    queue = s.get(stack.url + "/review?customer=%d" % p["customerId"], timeout=30).text
    assert 'href="/review/%d"' % p["paymentId"] in queue
    page = s.get(stack.url + "/review/%d" % p["paymentId"], timeout=30)
    assert page.status_code == 200, page.text
    html = page.text
    assert page.headers["Content-Security-Policy"] == CSP
    # Each field with the payment's value, what OCR read and how sure.
    assert 'data-field="reference" class="conf low"' in html
    assert 'data-field="amount" class="conf ok"' in html
    # The receipt with every word's box and the fields' boxes over it.
    assert '<svg xmlns' not in html and "<svg" in html
    assert 'href="/review/%d/document"' % p["paymentId"] in html
    words = len(s.get(stack.url + "/api/payments/%d/ocr" % p["paymentId"],
                      headers=stack.auth("reviewer"), timeout=30).json()["ocr"]["words"])
    assert html.count('class="word"') == words
    assert 'class="field field-amount"' in html
    assert "En revisión por" not in html  # it is mine
    doc = s.get(stack.url + "/review/%d/document" % p["paymentId"], timeout=30)
    assert doc.status_code == 200 and doc.content == data
    assert requests.get(stack.url + "/review/%d/document" % p["paymentId"],
                        allow_redirects=False, timeout=30).status_code == 303
    # A second reviewer is told who has it.
    user, pw = new_user(stack, "second-%d" % time.time_ns())
    s2, r = login(stack, user, pw)
    assert r.status_code == 303
    other = s2.get(stack.url + "/review/%d" % p["paymentId"], timeout=30).text
    assert "En revisión por" in other and stack.env["CB_REVIEWER_USER"] in other
    # And in English.
    other = s2.get(stack.url + "/review/%d?lang=en" % p["paymentId"], timeout=30).text
    assert "Being reviewed by" in other
    assert s.get(stack.url + "/review/999999", timeout=30).status_code == 404


def test_static_assets_are_served_by_nginx_with_cache_headers(stack):
    for path, ctype in (("/static/review.css", "text/css"),
                        ("/static/review.js", "text/javascript")):
        r = requests.get(stack.url + path, timeout=30)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
        assert "max-age=604800" in r.headers["Cache-Control"]
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Request-Id" not in r.headers  # nginx answered, not comprobar
    assert requests.get(stack.url + "/static/../etc/passwd", timeout=30).status_code in (400, 404)


def flag(stack, pid, extra=""):
    stack.sql("UPDATE comprobar.payments SET requires_manual_review = 1,"
              " review_reason = 'prueba'%s WHERE id = %d" % (extra, pid))


def test_queue_filters_counts_and_pages(stack):
    name = "Filtro %d S.A." % time.time_ns()
    c = new_customer(stack, name=name)
    ids = []
    for i in range(27):
        r = requests.post(stack.url + "/api/payments", headers=stack.auth("client"), timeout=30,
                          json={"customerId": c, "amount": "%d.00" % (i + 1),
                                "paymentMethod": "efectivo"})
        assert r.status_code == 201, r.text
        ids.append(r.json()["payment"]["paymentId"])
        flag(stack, ids[-1])
    flag(stack, ids[3], ", duplicate_of = %d" % ids[0])
    flag(stack, ids[5], ", bank_code = 'BAM'")
    flag(stack, ids[7], ", created_at = UTC_TIMESTAMP(6) - INTERVAL 2 DAY")
    s, _ = login(stack)

    def page(q):
        r = s.get(stack.url + "/review", params=q, timeout=30)
        assert r.status_code == 200, r.text
        return r.text, [int(x) for x in re.findall(r'data-payment="(\d+)"', r.text)]

    html, shown = page({"customer": name})
    assert shown == ids[:25]  # oldest first, 25 a page
    assert '<strong class="count">27</strong>' in html
    nxt = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "page=2" in nxt and "customer=" in nxt
    r = s.get(stack.url + nxt, timeout=30)
    assert [int(x) for x in re.findall(r'data-payment="(\d+)"', r.text)] == ids[25:]
    assert 'rel="prev"' in r.text and 'rel="next"' not in r.text
    # By customer number too.
    assert page({"customer": str(c)})[1] == ids[:25]
    # By reason: the counts say how many of each; the filter shows them.
    html, shown = page({"customer": name, "kind": "duplicate"})
    assert shown == [ids[3]]
    assert re.search(r'kind=duplicate[^"]*"[^>]*>Duplicado</a> <span class="kind-count">1<', html)
    assert page({"customer": name, "bank": "BAM"})[1] == [ids[5]]
    assert page({"customer": name, "age": "24"})[1] == [ids[7]]
    # Unknown filter values mean "any", never an error or an injection.
    assert page({"customer": name, "kind": "<x>", "age": "-5", "page": "0"})[1] == ids[:25]
    assert page({"customer": "%_"})[1] == []  # LIKE's characters are literal
    # Decided payments leave the queue.
    r = stack.request("POST", "/api/payments/%d/status" % ids[0], role="admin",
                      json={"status": "validado"})
    assert r.status_code == 200
    assert ids[0] not in page({"customer": name})[1]


def test_pdf_pages_are_drawn_once_and_only_for_reviewers(stack):
    pid = receipt(stack, "0006-textpdf.pdf", "boleta.pdf", "application/pdf")[0]["paymentId"]
    url = stack.url + "/review/%d/pages/1" % pid
    assert requests.get(url, allow_redirects=False, timeout=30).status_code == 303
    s, _ = login(stack)
    html = s.get(stack.url + "/review/%d" % pid, timeout=30).text
    assert 'href="/review/%d/pages/1"' % pid in html
    a = s.get(url, timeout=60)
    assert a.status_code == 200 and a.headers["Content-Type"] == "image/png"
    assert a.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert a.headers["Cache-Control"].startswith("private")
    b = s.get(url, timeout=60)
    assert b.content == a.content and b.headers["ETag"] == a.headers["ETag"]
    assert s.get(stack.url + "/review/%d/pages/2" % pid, timeout=30).status_code == 404
    assert s.get(stack.url + "/review/%d/pages/0" % pid, timeout=30).status_code in (400, 404)
    # An image has no pages to draw.
    p, _ = flagged_receipt(stack)
    assert s.get(stack.url + "/review/%d/pages/1" % p["paymentId"], timeout=30).status_code == 404


def test_decision_form_refusals(stack):
    r = requests.post(stack.url + "/api/payments", headers=stack.auth("client"), timeout=30,
                      json={"customerId": new_customer(stack), "amount": "10.00",
                            "paymentMethod": "efectivo"})
    pid = r.json()["payment"]["paymentId"]
    flag(stack, pid)
    url = stack.url + "/review/%d/decision" % pid
    # No session: to sign in, nothing written.
    r = requests.post(url, data={"action": "approve", "version": "1"},
                      allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
    s, _ = login(stack)
    html = s.get(stack.url + "/review/%d" % pid, timeout=30).text
    tok, ver = form_token(html), re.search(r'name="version" value="(\d+)"', html).group(1)
    r = s.post(url, data={"csrf": tok, "version": ver, "action": "delete"},
               allow_redirects=False, timeout=30)
    assert r.status_code == 400
    r = s.post(url, data={"csrf": tok, "version": "abc", "action": "approve"},
               allow_redirects=False, timeout=30)
    assert r.status_code == 409
    r = s.post(url, data={"csrf": tok, "version": ver, "action": "reject",
                          "reason": "x" * 501}, allow_redirects=False, timeout=30)
    assert r.status_code == 422 and "500" in r.text
    r = s.post(url, data={"csrf": tok, "version": ver, "action": "correct",
                          "amount": "-3", "currency": "XXX"}, allow_redirects=False, timeout=30)
    assert r.status_code == 422
    assert 'aria-invalid="true"' in r.text and 'value="-3"' in r.text  # kept for fixing
    got = stack.get("/api/payments/%d" % pid, role="admin").json()["payment"]
    assert got["status"] == "pendiente" and str(got["version"]) == ver
    # A client's change between opening and deciding makes the page stale.
    r = stack.request("PATCH", "/api/payments/%d" % pid, role="admin", json={"notes": "cambio"})
    assert r.status_code == 200, r.text
    r = s.post(url, data={"csrf": tok, "version": ver, "action": "approve"},
               allow_redirects=False, timeout=30)
    assert r.status_code == 409 and "cambió" in r.text
    assert stack.get("/api/payments/%d" % pid, role="admin").json()["payment"]["status"] == "pendiente"


def test_pages_answer_json_too_and_mark_values_ocr_did_not_read(stack):
    p, _ = flagged_receipt(stack)
    pid = p["paymentId"]
    s, _ = login(stack)
    html = s.get(stack.url + "/review/%d" % pid, timeout=30).text
    assert 'class="manual"' not in html.split('data-field="amount"')[1].split("</tr>")[0]
    # The client corrects the reference: the page says it is not OCR's.
    r = stack.request("PATCH", "/api/payments/%d" % pid, role="client",
                      json={"reference": "REF-DEL-CLIENTE"})
    assert r.status_code == 200, r.text
    html = s.get(stack.url + "/review/%d" % pid, timeout=30).text
    row = html.split('data-field="reference"')[1].split("</tr>")[0]
    assert 'class="manual"' in row and "REF-DEL-CLIENTE" in row
    # One handler, two answers: the same view model as JSON on request.
    r = s.get(stack.url + "/review/%d" % pid, headers={"Accept": "application/json"},
              timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert "Accept" in r.headers["Vary"]
    m = r.json()
    assert m["payment"]["id"] == pid and "t" not in m
    ref = [f for f in m["fields"] if f["name"] == "reference"][0]
    assert ref["value"] == "REF-DEL-CLIENTE" and ref["manual"] is True
    q = s.get(stack.url + "/review?customer=%d" % p["customerId"],
              headers={"Accept": "application/json"}, timeout=30).json()
    assert [i["id"] for i in q["items"]] == [pid]
    # A browser's Accept still gets HTML.
    r = s.get(stack.url + "/review/%d" % pid, timeout=30, headers={
        "Accept": "text/html,application/xhtml+xml,application/json;q=0.9"})
    assert r.headers["Content-Type"].startswith("text/html")


def test_a_default_currency_is_said_to_be_one(stack):
    """A receipt whose amount OCR read without any currency sign, sent
    without a currency: GTQ is only the installation's default, and the
    page says so.  The same receipt sent with "currency": "GTQ" shows it
    as sent.  A reviewer who leaves it keeps it a default; one who changes
    it makes it chosen."""
    from test_ocr_corrections import text_pdf
    doc = text_pdf([(40, 40, 14, "Comprobante de pago"), (40, 80, 12, "Monto: 1,234.50"),
                    (40, 105, 12, "Fecha: 02/05/2026"),
                    (40, 130, 12, "No. de referencia: 44556677")])

    def make(fields):
        r = requests.post(stack.url + "/api/payments", headers=dict(stack.auth("client"),
                          Prefer="wait=60"), timeout=120,
                          files=dict({"customerId": (None, str(new_customer(stack))),
                                      "document": ("c.pdf", doc, "application/pdf")},
                                     **{k: (None, v) for k, v in fields.items()}))
        assert r.status_code == 201, r.text
        p = r.json()["payment"]
        assert p["currency"] == "GTQ" and p["ocrData"]["extractedCurrency"] is None, p
        flag(stack, p["paymentId"])
        return p["paymentId"]

    dflt, sent = make({}), make({"currency": "GTQ"})
    s, _ = login(stack)

    def currency_row(pid):
        html = s.get(stack.url + "/review/%d" % pid, timeout=30).text
        return html.split('data-field="currency"')[1].split("</tr>")[0]
    row = currency_row(dflt)
    assert "valor por defecto" in row and "enviado o corregido" not in row
    row = currency_row(sent)
    assert "enviado o corregido" in row and "valor por defecto" not in row
    assert stack.sql("SELECT currency_default FROM comprobar.payments WHERE id IN (%d, %d)"
                     " ORDER BY id" % (dflt, sent)).split() == ["1", "0"]
    # A change of anything else leaves it a default; a change of it does not.
    r = stack.request("PATCH", "/api/payments/%d" % dflt, role="client", json={"notes": "x"})
    assert r.status_code == 200, r.text
    assert "valor por defecto" in currency_row(dflt)
    r = stack.request("PATCH", "/api/payments/%d" % dflt, role="client",
                      json={"currency": "USD"})
    assert r.status_code == 200, r.text
    assert "valor por defecto" not in currency_row(dflt)


def test_review_reasons_have_codes_and_the_pages_say_them_in_the_readers_language(stack):
    import os
    from test_payments import new_customer
    with open(os.path.join(os.path.dirname(__file__), "..", "corpus", "sample",
                           "0000-clean.png"), "rb") as f:
        data = f.read()
    r = requests.post(stack.url + "/api/payments", timeout=90,
                      headers={**stack.auth("client"), "Prefer": "wait=60"},
                      files={"customerId": (None, str(new_customer(stack))),
                             "reference": (None, "NOT-ON-IT-1"),
                             "document": ("r.png", data, "image/png")})
    assert r.status_code == 201, r.text
    p = r.json()["payment"]
    codes = {(x["code"], x["field"]) for x in p["reviewReasons"]}
    assert ("disagrees", "reference") in codes, p["reviewReasons"]
    d = [x for x in p["reviewReasons"] if x["code"] == "disagrees"][0]
    assert d["values"][1] == "NOT-ON-IT-1" and d["text"] in p["reviewReason"]
    s, _ = login(stack)
    es = s.get(stack.url + "/payments/%d?lang=es" % p["paymentId"], timeout=30).text
    assert "referencia: el comprobante dice" in es and "NOT-ON-IT-1" in es
    assert "the receipt says" not in es
    en = s.get(stack.url + "/payments/%d?lang=en" % p["paymentId"], timeout=30).text
    assert "reference: the receipt says" in en


def test_admins_read_the_activity_log_on_a_page(stack):
    import uuid
    name = "adm-" + uuid.uuid4().hex[:8]
    r = stack.ctl("user", "add", name, "--role", "admin", "--password-stdin",
                  input="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    doc = "PAGE-" + uuid.uuid4().hex[:8]
    c = stack.request("POST", "/api/customers", role="client", json={
        "name": "<script>alert(1)</script>", "documentType": "NIT", "documentId": doc})
    assert c.status_code == 201, c.text
    target = "customer:%d" % c.json()["customer"]["customerId"]
    s, r = login(stack, name, "correct horse battery")
    assert r.status_code == 303
    page = s.get(stack.url + "/activity", params={"target": target, "lang": "en"}, timeout=30)
    assert page.status_code == 200, page.text
    assert "CUSTOMER_CREATE" in page.text and "<td>%s</td>" % target in page.text
    assert 'href="/activity"' in page.text  # in the admin's menu
    page = s.get(stack.url + "/activity", params={"target": target, "from": "2999-01-01"},
                 timeout=30)
    assert "<td>%s</td>" % target not in page.text and "CUSTOMER_CREATE" not in page.text
    # Reviewers are refused, and nobody signed out sees it.
    rs, _ = login(stack)
    assert rs.get(stack.url + "/activity", timeout=30).status_code == 403
    r = requests.get(stack.url + "/activity", allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"
