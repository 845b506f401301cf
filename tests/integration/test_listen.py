"""The listening socket from the other two sources the master accepts:
spawn-fcgi style (a listening socket on fd 0) and systemd socket activation
(LISTEN_PID / LISTEN_FDS with the socket on fd 3).  Spoken to with a
minimal FastCGI client, so that nginx plays no part."""
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time


def fcgi_get(path, sock_path, params_extra=None):
    """One FastCGI request (responder role); returns the raw CGI response."""
    def record(rtype, content, rid=1):
        pad = (8 - len(content) % 8) % 8
        return struct.pack("!BBHHBx", 1, rtype, rid, len(content), pad) + content + b"\0" * pad

    def pair(k, v):
        out = b""
        for x in (k, v):
            out += bytes([len(x)]) if len(x) < 128 else struct.pack("!I", len(x) | 0x80000000)
        return out + k + v

    params = {b"REQUEST_METHOD": b"GET", b"REQUEST_URI": path.encode(),
              b"QUERY_STRING": b"", b"REQUEST_ID": b"feedfacefeedface"}
    params.update(params_extra or {})
    body = b"".join(pair(k, v) for k, v in params.items())
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(10)
    s.connect(sock_path)
    s.sendall(record(1, struct.pack("!HB5x", 1, 0)) + record(4, body) + record(4, b"") +
              record(5, b""))
    out, buf = b"", b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    while len(buf) >= 8:
        _, rtype, _, clen, pad = struct.unpack("!BBHHBx", buf[:8])
        if rtype == 6:
            out += buf[8:8 + clen]
        buf = buf[8 + clen + pad:]
    return out.decode()


def listening_socket(tmp):
    path = os.path.join(tmp, "pre.sock")
    s = socket.socket(socket.AF_UNIX)
    s.bind(path)
    s.listen(16)
    return s, path


def wait_log(proc_log, needle, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if needle in open(proc_log).read():
            return True
        time.sleep(0.05)
    return False


def run_until_ready(stack, tmp, **popen):
    log = os.path.join(tmp, "fcgi.log")
    p = subprocess.Popen(popen.pop("args"), stdout=open(log, "w"), stderr=subprocess.STDOUT,
                         **popen)
    assert wait_log(log, "worker ready"), open(log).read()
    return p, log


def stop(p):
    p.send_signal(signal.SIGTERM)
    assert p.wait(timeout=30) == 0


def test_socket_on_fd0_like_spawn_fcgi(stack):
    with tempfile.TemporaryDirectory() as tmp:
        s, path = listening_socket(tmp)
        p, log = run_until_ready(stack, tmp, stdin=s.fileno(),
                                 args=[os.path.join(stack.build, "comprobar-fcgi"),
                                       "--config", stack.env["CB_CONF"]])
        try:
            resp = fcgi_get("/readyz", path)
            assert resp.startswith("Status: 200 OK"), resp
            assert json.loads(resp.split("\r\n\r\n", 1)[1])["status"] == "ready"
            assert "X-Request-Id: feedfacefeedface" in resp
            assert "socket passed on fd 0" in open(log).read()
        finally:
            stop(p)
            s.close()


def test_socket_from_systemd_activation(stack):
    with tempfile.TemporaryDirectory() as tmp:
        s, path = listening_socket(tmp)
        fd = s.fileno()
        binary = os.path.join(stack.build, "comprobar-fcgi")
        p, log = run_until_ready(
            stack, tmp, close_fds=False, preexec_fn=lambda: os.dup2(fd, 3),
            stdin=subprocess.DEVNULL,
            args=["sh", "-c", 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$0" --config "$1"',
                  binary, stack.env["CB_CONF"]])
        try:
            resp = fcgi_get("/healthz", path)
            assert resp.startswith("Status: 200 OK"), resp
            assert "socket from systemd (fd 3)" in open(log).read()
            # A request without REQUEST_ID still gets one, and a log line.
            resp = fcgi_get("/healthz", path, {b"REQUEST_ID": b"bad id with spaces"})
            rid = [l for l in resp.split("\r\n") if l.startswith("X-Request-Id: ")][0][14:]
            assert len(rid) == 32 and rid in open(log).read()
        finally:
            stop(p)
            s.close()


def test_no_socket_is_a_clear_error(stack):
    r = subprocess.run([os.path.join(stack.build, "comprobar-fcgi"), "--config",
                        stack.env["CB_CONF"]], stdin=subprocess.DEVNULL,
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 78
    assert "no listening socket" in r.stderr and "--listen" in r.stderr
