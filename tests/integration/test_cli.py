"""comprobarctl and the server's start-up checks, against the real database."""
import os
import subprocess
import tempfile


def test_apikey_create_list_revoke(stack):
    r = stack.ctl("apikey", "create", "--name", "cli-made", "--role", "reviewer")
    assert r.returncode == 0, r.stderr
    key = [l for l in r.stdout.splitlines() if l.startswith("key: ")][0][5:]
    kid = [l for l in r.stdout.splitlines() if l.startswith("id: ")][0][4:]
    assert stack.get("/api/me", headers={"Authorization": "Bearer " + key}).json()["role"] == "reviewer"
    listing = stack.ctl("apikey", "list").stdout
    assert "cli-made" in listing and key not in listing
    assert stack.ctl("apikey", "revoke", kid).returncode == 0
    assert stack.get("/api/me", headers={"Authorization": "Bearer " + key}).status_code == 401
    assert stack.ctl("apikey", "revoke", "987654").returncode != 0
    assert stack.ctl("apikey", "create", "--name", "x", "--role", "root").returncode == 64


def test_user_add_passwd_disable(stack):
    r = stack.ctl("user", "add", "ana.lopez", "--role", "reviewer", "--password-stdin",
                  input="correct horse battery\n")
    assert r.returncode == 0, r.stderr
    row = stack.sql("SELECT role, password_hash FROM comprobar.users WHERE username='ana.lopez'")
    role, phash = row.strip().split("\t")
    assert role == "reviewer"
    assert phash.startswith("$scrypt$ln=17,r=8,p=1$") and "correct horse" not in phash
    dup = stack.ctl("user", "add", "ana.lopez", "--role", "reviewer", "--password-stdin",
                    input="another password\n")
    assert dup.returncode != 0 and "already exists" in dup.stderr
    short = stack.ctl("user", "add", "bob", "--role", "admin", "--password-stdin", input="short\n")
    assert short.returncode != 0
    gen = stack.ctl("user", "add", "carla", "--role", "admin")
    assert gen.returncode == 0 and "password: " in gen.stdout
    assert stack.ctl("user", "passwd", "ana.lopez", "--password-stdin",
                     input="a brand new secret\n").returncode == 0
    new = stack.sql("SELECT password_hash FROM comprobar.users WHERE username='ana.lopez'").strip()
    assert new != phash
    assert stack.ctl("user", "passwd", "nobody-here", "--password-stdin",
                     input="a brand new secret\n").returncode != 0
    assert stack.ctl("user", "disable", "ana.lopez").returncode == 0
    assert stack.sql("SELECT disabled_at IS NOT NULL FROM comprobar.users "
                     "WHERE username='ana.lopez'").strip() == "1"
    assert stack.ctl("user", "add", "bad name!", "--role", "admin").returncode != 0
    actions = stack.sql("SELECT action FROM comprobar.activity_log WHERE target='user:ana.lopez'")
    assert actions.split() == ["USER_ADD", "USER_PASSWORD", "USER_DISABLE"]


def test_migrate_is_idempotent(stack):
    r = stack.ctl("migrate")
    assert r.returncode == 0 and "applied 0 migrations" in r.stdout
    s = stack.ctl("migrate", "--status")
    assert s.returncode == 0 and "schema version" in s.stdout


def write_conf(stack, tmp, db_section_extra="", server_extra=""):
    base = open(stack.env["CB_CONF"]).read()
    path = os.path.join(tmp, "c.conf")
    text = base.replace("[server]\n", "[server]\n" + server_extra)
    text = text.replace("[database]\n", "[database]\n" + db_section_extra)
    open(path, "w").write(text)
    return path


def fcgi(stack, *args):
    return subprocess.run([os.path.join(stack.build, "comprobar-fcgi"), *args],
                          capture_output=True, text=True, timeout=60)


def test_config_errors_name_file_line_and_key(stack):
    with tempfile.TemporaryDirectory() as tmp:
        p = write_conf(stack, tmp, server_extra="wrokers = 3\n")
        r = fcgi(stack, "--config", p, "--check-config")
        assert r.returncode == 78
        assert "c.conf:" in r.stderr and "unknown key 'wrokers'" in r.stderr
        p = write_conf(stack, tmp, server_extra="threads = lots\n")
        r = fcgi(stack, "--config", p, "--check-config")
        assert r.returncode == 78 and "server.threads" in r.stderr and "1..256" in r.stderr
        p = write_conf(stack, tmp, server_extra="threads = 4\nthreads = 5\n")
        assert "set twice" in fcgi(stack, "--config", p, "--check-config").stderr
        with open(p, "a") as f:
            f.write("[nonsense]\n")
        r = fcgi(stack, "--config", os.path.join(tmp, "missing.conf"), "--check-config")
        assert r.returncode == 78 and "missing.conf" in r.stderr
        # A bad secret value is never echoed.
        p = write_conf(stack, tmp)
        ok = fcgi(stack, "--config", p, "--check-config")
        assert ok.returncode == 0, ok.stderr


def test_server_refuses_outdated_schema(stack):
    stack.sql("CREATE DATABASE IF NOT EXISTS comprobar_empty; "
              "GRANT ALL ON comprobar_empty.* TO 'comprobar'@'localhost'")
    with tempfile.TemporaryDirectory() as tmp:
        conf = open(stack.env["CB_CONF"]).read().replace("name = comprobar\n",
                                                         "name = comprobar_empty\n")
        p = os.path.join(tmp, "c.conf")
        open(p, "w").write(conf)
        r = fcgi(stack, "--config", p, "--listen", os.path.join(tmp, "s.sock"))
        assert r.returncode == 78
        assert "comprobarctl migrate" in r.stderr and "version 0" in r.stderr
        assert not os.path.exists(os.path.join(tmp, "s.sock"))


def test_doctor_checks_the_installation(stack):
    sock = os.path.join(stack.run, "fcgi.sock")
    r = stack.ctl("doctor", "--socket", sock)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = {l.split()[1]: l.split()[0] for l in r.stdout.splitlines()[:-1]}
    assert lines == {"database": "ok", "schema": "ok", "documents": "ok", "ocr": "ok",
                     "socket": "ok", "jwt": "ok", "nginx": lines["nginx"]}
    assert r.stdout.rstrip().endswith("all checks passed")
    bad = stack.ctl("doctor", "--socket", "/nonexistent/fcgi.sock")
    assert bad.returncode == 1 and "FAIL  socket" in bad.stdout
    assert "some checks failed" in bad.stdout


def test_setup_db_creates_writes_dropin_and_migrates(stack):
    """setup-db as root over the unix socket: database, user, a generated
    password in CONFIG.d/50-database.conf (0640; the config itself untouched),
    migrations; a second run keeps the working password."""
    import re
    import stat
    stack.sql("DROP DATABASE IF EXISTS cb_setup; DROP USER IF EXISTS 'cb_setup'@'localhost'")
    with tempfile.TemporaryDirectory() as tmp:
        base = open(stack.env["CB_CONF"]).read()
        text = re.sub(r"\nuser = comprobar\npassword = \S+\nname = comprobar\n",
                      "\nuser = cb_setup\npassword =\nname = cb_setup\n", base)
        assert text != base
        p = os.path.join(tmp, "comprobar.conf")
        open(p, "w").write(text)
        ctl = os.path.join(stack.build, "comprobarctl")
        run = lambda *a: subprocess.run([ctl, "--config", p, *a], capture_output=True,
                                        text=True, timeout=120)
        r = run("setup-db")
        assert r.returncode == 0, r.stdout + r.stderr
        dropin = os.path.join(tmp, "comprobar.conf.d", "50-database.conf")
        assert stat.S_IMODE(os.stat(dropin).st_mode) == 0o640
        assert open(p).read() == text
        body = open(dropin).read()
        pw = re.search(r"^password = (\S+)$", body, re.M).group(1)
        assert len(pw) >= 32 and pw not in r.stdout + r.stderr
        assert "applied" in r.stdout
        s = run("migrate", "--status")
        assert s.returncode == 0, s.stdout + s.stderr
        tables = stack.sql("SELECT COUNT(*) FROM information_schema.tables "
                           "WHERE table_schema='cb_setup'")
        assert int(tables) > 10
        # Again: nothing changes, the working password is kept.
        again = run("setup-db")
        assert again.returncode == 0 and "password kept" in again.stdout, again.stdout
        assert open(dropin).read() == body
        # A password that no longer works is replaced.
        stack.sql("ALTER USER 'cb_setup'@'localhost' IDENTIFIED BY 'changed-elsewhere'")
        third = run("setup-db")
        assert third.returncode == 0, third.stderr
        assert re.search(r"^password = (\S+)$", open(dropin).read(), re.M).group(1) != pw
        assert run("migrate", "--status").returncode == 0
        # Names that are not plain identifiers never reach SQL.
        import shutil
        shutil.rmtree(os.path.dirname(dropin))
        open(p, "w").write(text.replace("name = cb_setup", "name = `x`; DROP"))
        bad = run("setup-db")
        assert bad.returncode == 78 and "letters, digits" in bad.stderr
        # A remote database is the admin's to create.
        open(p, "w").write(text.replace("[database]\n", "[database]\nhost = 192.0.2.1\n"))
        assert run("setup-db").returncode == 78
    stack.sql("DROP DATABASE cb_setup; DROP USER 'cb_setup'@'localhost'")
