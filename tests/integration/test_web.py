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
    page = s.get(stack.url + "/review", timeout=30).text
    assert 'data-payment="%d"' % p["paymentId"] in page
    assert evil not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    # Without a session the page sends the browser to sign in.
    r = requests.get(stack.url + "/review", allow_redirects=False, timeout=30)
    assert r.status_code == 303 and r.headers["Location"] == "/login"


def flagged_receipt(stack):
    import os
    from conftest import SRC
    data = open(os.path.join(SRC, "tests", "corpus", "sample", "0005-clean.png"), "rb").read()
    r = requests.post(stack.url + "/api/payments", headers=dict(stack.auth("client"),
                      Prefer="wait=60"), timeout=120,
                      files={"customerId": (None, str(new_customer(stack))),
                             "document": ("spei.png", data, "image/png")})
    assert r.status_code == 201, r.text
    p = r.json()["payment"]
    assert p["requiresManualReview"], p  # the SPEI reference is doubtful
    return p, data


def test_review_item_shows_fields_boxes_and_claims(stack):
    p, data = flagged_receipt(stack)
    s, _ = login(stack)
    queue = s.get(stack.url + "/review", timeout=30).text
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
