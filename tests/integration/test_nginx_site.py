"""The production nginx site (nginx/comprobar.conf) parses with nginx -t,
given a certificate where the admin would put theirs."""
import os
import subprocess
import tempfile

from conftest import SRC


def test_production_site_is_valid_nginx(stack):
    with tempfile.TemporaryDirectory() as tmp:
        crt, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "c.key")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-subj", "/CN=localhost", "-days", "1", "-keyout", key, "-out", crt],
                       check=True, capture_output=True)
        site = open(os.path.join(SRC, "nginx", "comprobar.conf")).read()
        site = (site.replace("snippets/", os.path.join(SRC, "nginx") + "/")
                    .replace("/etc/ssl/certs/comprobar.pem", crt)
                    .replace("/etc/ssl/private/comprobar.key", key)
                    .replace("listen 80;", "listen 127.0.0.1:1;")
                    .replace("listen [::]:80;", "")
                    .replace("listen 443 ssl http2;", "listen 127.0.0.1:2 ssl http2;")
                    .replace("listen [::]:443 ssl http2;", ""))
        assert "client_max_body_size 11m" in site
        assert "fastcgi_pass unix:/run/comprobar/fcgi.sock" in site
        assert "limit_req zone=comprobar_login" in site
        open(os.path.join(tmp, "site.conf"), "w").write(site)
        open(os.path.join(tmp, "nginx.conf"), "w").write(
            "pid %s/n.pid; error_log stderr; events {}\n"
            "http { include site.conf; }\n" % tmp)
        r = subprocess.run(["nginx", "-t", "-p", tmp, "-c", os.path.join(tmp, "nginx.conf")],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        # The shared snippets pass the request id and empty HTTP_PROXY.
        snippet = open(os.path.join(SRC, "nginx", "comprobar-fastcgi.conf")).read()
        assert "REQUEST_ID      $request_id" in snippet
        assert 'HTTP_PROXY      ""' in snippet
        assert "fastcgi_keep_conn off" in snippet
