"""The process model under stress: a worker killed, a reload under load, a
graceful stop with a request in flight, and the database restarted under a
running server.  These tests disturb the stack, so they run last."""
import os
import re
import signal
import threading
import time

import requests

from conftest import assert_problem


def hammer(stack, stop, results, path="/api/me", role="client"):
    s = requests.Session()
    while not stop.is_set():
        try:
            r = s.get(stack.url + path, headers=stack.auth(role), timeout=30)
            results.append(r.status_code)
        except requests.RequestException as e:
            results.append(str(e))


def wait_for(cond, timeout=20, step=0.05):
    end = time.time() + timeout
    while time.time() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def test_killed_worker_is_restarted_and_requests_go_on(stack):
    before = stack.worker_pids()
    assert len(before) == 2
    log_before = len(stack.log())
    os.kill(before[0], signal.SIGKILL)
    stop, results = threading.Event(), []
    t = threading.Thread(target=hammer, args=(stack, stop, results))
    t.start()
    assert wait_for(lambda: len(stack.worker_pids()) == 2 and
                    before[0] not in stack.worker_pids())
    time.sleep(0.5)
    stop.set()
    t.join()
    assert results and all(c == 200 for c in results), set(map(str, results))
    # Said about this worker, in what the log gained since it was killed.
    said = stack.log()[log_before:]
    assert "worker pid=%d died (signal 9" % before[0] in said, said[-2000:]


def test_a_crashing_worker_is_restarted_with_backoff(stack):
    # Kill the replacement at once, twice: the streak of short lives
    # makes the master wait before the next start (stack: max 2 s).
    for _ in range(3):
        assert wait_for(lambda: len(stack.worker_pids()) == 2, timeout=15)
        pids = stack.worker_pids()
        os.kill(pids[-1], signal.SIGKILL)
        assert wait_for(lambda: pids[-1] not in stack.worker_pids() and
                        len(stack.worker_pids()) == 2, timeout=15)
    log = stack.log()
    assert re.search(r"died \(signal 9 \(Killed\)\) after [0-9.]+ s; restarting in [12] s", log), \
        log[-2000:]
    assert stack.get("/api/me", role="client").status_code == 200


def test_reload_replaces_workers_without_failing_a_request(stack):
    before = stack.worker_pids()
    stop, results = threading.Event(), []
    threads = [threading.Thread(target=hammer, args=(stack, stop, results)) for _ in range(4)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    os.kill(stack.master_pid(), signal.SIGHUP)
    ok = wait_for(lambda: len(stack.worker_pids()) == 2 and
                  not set(before) & set(stack.worker_pids()), timeout=30)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    assert ok, (before, stack.worker_pids())
    assert len(results) > 50
    assert all(c == 200 for c in results), [c for c in results if c != 200][:5]
    assert "reloading: replacing workers" in stack.log()


def test_reload_with_a_broken_config_keeps_serving(stack):
    conf = stack.env["CB_CONF"]
    original = open(conf).read()
    try:
        open(conf, "w").write(original.replace("[server]\n", "[server]\nbogus = 1\n"))
        before = stack.worker_pids()
        os.kill(stack.master_pid(), signal.SIGHUP)
        assert wait_for(lambda: "reload refused" in stack.log(), timeout=10)
        assert stack.worker_pids() == before
        assert stack.get("/api/me", role="client").status_code == 200
    finally:
        open(conf, "w").write(original)


def test_database_restart_gives_503_then_recovers(stack):
    master = stack.master_pid()
    stack.sh("db-stop")
    try:
        time.sleep(1.2)  # let idle connections be pinged, not trusted
        r = stack.get("/api/me", role="client")
        body = assert_problem(r, 503)
        assert int(r.headers["Retry-After"]) >= 1
        assert "unreachable" in body["detail"]
        r = stack.get("/readyz")
        assert r.status_code == 503 and r.json()["database"] == "down"
        assert stack.get("/healthz").status_code == 200
    finally:
        stack.sh("db-start")
    assert wait_for(lambda: stack.get("/api/me", role="client").status_code == 200, timeout=15)
    assert stack.get("/readyz").status_code == 200
    assert stack.master_pid() == master  # no restart of comprobar was needed
    # Every thread recovers, not just one: many requests in parallel.
    from concurrent.futures import ThreadPoolExecutor
    time.sleep(1.1)
    with ThreadPoolExecutor(16) as ex:
        codes = list(ex.map(lambda i: stack.get("/api/me", role="client").status_code,
                            range(64)))
    assert codes.count(200) >= 60, codes  # a stale connection may 503 once


def test_sigterm_lets_the_request_in_flight_finish(stack):
    out = {}

    def slow():
        try:
            out["r"] = requests.get(stack.url + "/api/debug/sleep?ms=2500", timeout=30)
        except requests.RequestException as e:
            out["e"] = e

    t = threading.Thread(target=slow)
    t.start()
    time.sleep(0.6)
    master = stack.master_pid()
    os.kill(master, signal.SIGTERM)
    t.join()
    assert "r" in out, out
    assert out["r"].status_code == 200 and out["r"].json() == {"slept": 2500}
    assert wait_for(lambda: not os.path.exists("/proc/%d" % master), timeout=30)
    assert "master stopped" in stack.log()
    assert not os.path.exists(os.path.join(stack.run, "fcgi.sock"))
    # Bring it back for whatever runs next.
    stack.sh("fcgi-start")
    stack.wait_ready()


def test_processes_are_named_for_ps_and_the_journal(stack):
    # The master restarts itself once to set OMP_THREAD_LIMIT; by the
    # binary's own path, or every process would be called "exe".
    for pid in [stack.master_pid()] + stack.worker_pids():
        with open("/proc/%d/comm" % pid) as f:
            assert f.read().strip() == "comprobar-fcgi", pid


def _deny_write_execute():
    """What MemoryDenyWriteExecute=yes in comprobar.service imposes, through
    the kernel's PR_SET_MDWE (Linux 6.3+; kept across fork and exec)."""
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(65, 1, 0, 0, 0) != 0:  # PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN
        raise OSError(ctypes.get_errno(), "PR_SET_MDWE")


def test_ocr_runs_under_memory_deny_write_execute(stack):
    import subprocess
    import pytest
    probe = subprocess.run(["/usr/bin/python3", "-c", (
        "import ctypes, mmap, sys\n"
        "if ctypes.CDLL(None).prctl(65, 1, 0, 0, 0): sys.exit(3)\n"
        "try: mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)\n"
        "except PermissionError: sys.exit(0)\n"
        "sys.exit(1)\n")], timeout=30)
    if probe.returncode == 3:
        pytest.skip("kernel without PR_SET_MDWE")
    # The restriction is real: write+execute memory is refused.
    assert probe.returncode == 0
    # Every reader the server uses (Tesseract, Leptonica, Poppler, cairo) on
    # every corpus format, as the unit test drives them, under the same rule.
    reader = os.path.join(stack.build, "tests", "unit", "test_reader")
    r = subprocess.run([reader], preexec_fn=_deny_write_execute, capture_output=True,
                       text=True, timeout=600,
                       env=dict(os.environ, CK_VERBOSITY="normal", OMP_THREAD_LIMIT="1"))
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "Failures: 0, Errors: 0" in r.stdout + r.stderr
