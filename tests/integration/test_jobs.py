"""The durable job queue through the real stack: the test-only debug job
kinds are enqueued over HTTP and run by the workers' job threads.
(Stack config: lease 3 s, retries without delay, 3 attempts, poll 200 ms.)"""
import os
import re
import signal
import threading
import time

from conftest import assert_problem


def enqueue(stack, kind, payload=None, max_attempts=None):
    body = {"kind": kind}
    if payload is not None:
        body["payload"] = payload
    if max_attempts:
        body["maxAttempts"] = max_attempts
    r = stack.request("POST", "/api/debug/jobs", json=body)
    assert r.status_code == 201, r.text
    return r.json()["jobId"]


def job(stack, jid):
    r = stack.get("/api/debug/jobs/%d" % jid)
    assert r.status_code == 200, r.text
    return r.json()


def wait_state(stack, jid, states, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        j = job(stack, jid)
        if j["state"] in states:
            return j
        time.sleep(0.1)
    raise AssertionError("job %d stuck: %r" % (jid, job(stack, jid)))


def runs(stack, jid):
    return len(re.findall(r"job %d ran " % jid, stack.log()))


def test_a_job_runs_once(stack):
    jid = enqueue(stack, "debug.log")
    j = wait_state(stack, jid, {"done"})
    assert j["attempts"] == 1 and j["lastError"] is None
    assert runs(stack, jid) == 1


def test_failing_job_retries_then_dies_and_hook_runs(stack):
    jid = enqueue(stack, "debug.fail", max_attempts=3)
    j = wait_state(stack, jid, {"dead"})
    assert j["attempts"] == 3
    assert "asked to fail (attempt 3)" in j["lastError"]
    log = stack.log()
    assert "job %d (debug.fail) failed, attempt 1 of 3" % jid in log
    assert "job %d dead hook ran" % jid in log


def test_unknown_kind_is_dead_at_once(stack):
    jid = enqueue(stack, "no.such.kind")
    j = wait_state(stack, jid, {"dead"})
    assert j["attempts"] == 1 and "no handler" in j["lastError"]


def test_many_jobs_each_run_exactly_once(stack):
    ids = [enqueue(stack, "debug.log") for _ in range(120)]
    for jid in ids:
        assert wait_state(stack, jid, {"done"})["attempts"] == 1
    log = stack.log()
    for jid in ids:
        assert len(re.findall(r"job %d ran " % jid, log)) == 1, jid


def test_job_of_a_killed_worker_is_taken_over_after_its_lease(stack):
    jid = enqueue(stack, "debug.sleep", payload='{"ms": 2500}', max_attempts=3)
    wait_state(stack, jid, {"running"})
    for w in stack.worker_pids():
        os.kill(w, signal.SIGKILL)
    j = wait_state(stack, jid, {"done"}, timeout=40)
    assert j["attempts"] == 2, j
    assert runs(stack, jid) == 1  # the killed attempt never got to finish


def test_graceful_stop_lets_a_running_job_finish(stack):
    jid = enqueue(stack, "debug.sleep", payload='{"ms": 1500}')
    wait_state(stack, jid, {"running"})
    master = stack.master_pid()
    os.kill(master, signal.SIGTERM)
    end = time.time() + 30
    while os.path.exists("/proc/%d" % master) and time.time() < end:
        time.sleep(0.1)
    stack.sh("fcgi-start")
    stack.wait_ready()
    j = job(stack, jid)
    assert j["state"] == "done" and j["attempts"] == 1, j


def test_debug_job_routes_validate(stack):
    assert_problem(stack.request("POST", "/api/debug/jobs", json={"kind": 5}), 422)
    assert_problem(stack.request("POST", "/api/debug/jobs",
                                 json={"kind": "x", "maxAttempts": 0}), 422)
    assert_problem(stack.get("/api/debug/jobs/999999999"), 404)
