"""The demo's seed 002 path, end to end, as scripts/demo prints it: its own
stack (the receipt server's config drop-in must not reach the shared one),
scripts/demo-receipts-up serving the sample receipts over https on
127.0.0.3, scripts/demo-data, then the two curl lines the demo prints run
as printed: the register fetches its receipt from that server, the demo
statement's movement 00010915 validates it, and the webhook reaches the
receipt server."""
import json
import re
import os
import shutil
import subprocess
import tempfile
import time

import pytest

from conftest import SRC, STACK, free_port


@pytest.fixture(scope="module")
def demo():
    build = os.environ.get("CB_BUILD_DIR", os.path.join(SRC, "build"))
    run = tempfile.mkdtemp(prefix="comprobar-demo-it.", dir="/tmp")
    os.chmod(run, 0o755)
    r = subprocess.run([STACK, "up", run, build, str(free_port())],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    try:
        up = subprocess.run([os.path.join(SRC, "scripts", "demo-receipts-up"),
                             run, str(free_port())], capture_output=True, text=True)
        assert up.returncode == 0, up.stdout + up.stderr
        env = dict(l.strip().partition("=")[::2]
                   for l in open(os.path.join(run, "env")) if "=" in l)
        data = subprocess.run([os.path.join(SRC, "scripts", "demo-data"),
                               env["CB_URL"], env["CB_ADMIN_KEY"]],
                              capture_output=True, text=True, timeout=300)
        assert data.returncode == 0, data.stdout + data.stderr
        yield run
    finally:
        pid = os.path.join(run, "demo-receipts.pid")
        if os.path.exists(pid):
            subprocess.run(["kill", open(pid).read().strip()])
        subprocess.run([STACK, "down", run], capture_output=True)
        # scripts/check looks for sanitizer reports in the shared stack's
        # log only; this stack's log is looked at here.
        log = open(os.path.join(run, "fcgi.log"), errors="replace").read()
        shutil.rmtree(run, ignore_errors=True)
        assert not re.search(r"ERROR: (Address|Leak)Sanitizer|WARNING: ThreadSanitizer"
                             r"|runtime error:", log), log[-4000:]


def printed(run):
    """The curl lines scripts/demo prints, as commands to run."""
    with open(os.path.join(run, "demo-apagos.txt")) as f:
        lines = [l.strip() for l in f if l.strip()]
    assert len(lines) == 2 and all(l.startswith("curl ") for l in lines), lines
    return lines


def sh(cmd):
    r = subprocess.run(["bash", "-c", cmd + " -sS -w '\\n%{http_code}'"],
                       capture_output=True, text=True, timeout=60)
    body, _, code = r.stdout.rpartition("\n")
    return int(code), body


def test_printed_register_is_fetched_validated_and_told(demo):
    register, info = printed(demo)
    code, body = sh(register)
    assert code == 200, body
    rid = json.loads(body)["request_id"]

    # The receipt came from the demo's https server, not from a refusal.
    end = time.time() + 60
    while True:
        code, body = sh(info.replace("REQUEST_ID", rid))
        assert code == 200, body
        got = json.loads(body)
        if got["status"] == "VALIDATED" or time.time() > end:
            break
        time.sleep(0.3)
    assert got["status"] == "VALIDATED", got
    assert got["request_id"] == rid and got["bank_account_id"] == "BCP-SOLES"

    log = os.path.join(demo, "demo-receipts.log")
    end = time.time() + 60
    while True:
        text = open(log, errors="replace").read()
        hooks = [json.loads(l.split(": ", 1)[1]) for l in text.splitlines()
                 if l.startswith("webhook /hook: ")]
        if hooks or time.time() > end:
            break
        time.sleep(0.3)
    assert "GET /0005-clean.png" in text, text
    assert any(h.get("request_id") == rid and h.get("status") == "VALIDATED"
               for h in hooks), text


def test_receipt_server_is_the_only_loopback_allowed(demo):
    """The drop-in opens 127.0.0.3 only: a receipt on another loopback
    address is still refused with seed 002's words."""
    register, _ = printed(demo)
    other = register.replace("https://127.0.0.3:", "https://127.0.0.2:")
    other = other.replace('"order_id": "', '"order_id": "x')
    code, body = sh(other)
    assert code == 400 and "receipt" in body, body
