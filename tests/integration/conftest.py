"""Integration fixtures: one real stack (mariadbd + comprobar-fcgi + nginx)
per test session, started by scripts/stack on a free loopback port."""
import os
import signal
import shutil
import socket
import subprocess
import tempfile
import time

import pytest
import requests

SRC = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STACK = os.path.join(SRC, "scripts", "stack")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Stack:
    def __init__(self, run, build):
        self.run = run
        self.build = build
        self.env = {}

    def load_env(self):
        with open(os.path.join(self.run, "env")) as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                self.env[k] = v
        self.url = self.env["CB_URL"]

    def sh(self, *args, check=True):
        return subprocess.run([STACK, *args, self.run], check=check,
                              capture_output=True, text=True)

    def key(self, role):
        return self.env["CB_%s_KEY" % role.upper()]

    def auth(self, role):
        return {"Authorization": "Bearer " + self.key(role)}

    def get(self, path, role=None, **kw):
        h = kw.pop("headers", {})
        if role:
            h.update(self.auth(role))
        return requests.get(self.url + path, headers=h, timeout=30, **kw)

    def request(self, method, path, role=None, **kw):
        h = kw.pop("headers", {})
        if role:
            h.update(self.auth(role))
        return requests.request(method, self.url + path, headers=h, timeout=30, **kw)

    def master_pid(self):
        with open(self.env["CB_FCGI_PID_FILE"]) as f:
            return int(f.read().strip())

    def worker_pids(self):
        out = subprocess.run(["pgrep", "-P", str(self.master_pid())],
                             capture_output=True, text=True).stdout.split()
        return sorted(int(p) for p in out)

    def ctl(self, *args, input=None):
        return subprocess.run([os.path.join(self.build, "comprobarctl"),
                               "--config", self.env["CB_CONF"], *args],
                              capture_output=True, text=True, input=input)

    def sql(self, statement):
        return subprocess.run(["mariadb", "--no-defaults", "-uroot",
                               "--socket", self.env["CB_DB_SOCKET"], "-N", "-e", statement],
                              capture_output=True, text=True, check=True).stdout

    def wait_ready(self, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            try:
                if requests.get(self.url + "/readyz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise AssertionError("stack not ready")

    def reload(self):
        """SIGHUP, then wait until every worker was replaced (none of the
        old ones left, so that what follows meets a settled stack)."""
        old = set(self.worker_pids())
        os.kill(self.master_pid(), signal.SIGHUP)
        end = time.time() + 60
        while time.time() < end:
            now = set(self.worker_pids())
            if len(now) == len(old) and not now & old:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the workers were not replaced")
        self.wait_ready()

    def log(self):
        with open(self.env["CB_FCGI_LOG"], errors="replace") as f:
            return f.read()


@pytest.fixture(scope="session")
def stack():
    build = os.environ.get("CB_BUILD_DIR", os.path.join(SRC, "build"))
    own_run = not os.environ.get("CB_RUN_DIR")
    run = os.environ.get("CB_RUN_DIR") or tempfile.mkdtemp(prefix="comprobar-it.", dir="/tmp")
    os.chmod(run, 0o755)  # mysql and www-data must traverse it
    st = Stack(run, build)
    env = dict(os.environ, CB_STACK_DEBUG_ROUTES="1")
    r = subprocess.run([STACK, "up", run, build, str(free_port())], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("stack up failed:\n" + r.stdout + r.stderr)
    st.load_env()
    yield st
    subprocess.run([STACK, "down", run], capture_output=True)
    if own_run:
        shutil.rmtree(run, ignore_errors=True)


def assert_problem(r, status, code_pointer=None):
    """An RFC 9457 body with the HTTP status, the request id as instance."""
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"].startswith("application/problem+json"), r.headers
    body = r.json()
    for k in ("type", "title", "status", "detail", "instance"):
        assert k in body, body
    assert body["status"] == status
    # The id nginx and the server log the request under, never compared
    # with itself.
    assert r.headers.get("X-Request-Id"), r.headers
    assert body["instance"] == r.headers["X-Request-Id"]
    if code_pointer:
        pointers = {(e["pointer"], e["code"]) for e in body.get("errors", [])}
        for cp in code_pointer:
            assert cp in pointers, body
    return body
