#!/bin/bash
# inside.sh — runs inside the debootstrapped root (tests/package/install.sh),
# with loopback only.  Brings up what an admin would, from what the package
# installed: mariadbd, comprobarctl setup-db, the service as its systemd
# units describe it (through systemd-socket-activate: no PID-1 systemd here),
# nginx with the shipped site; then uses it through nginx, removes and
# purges the package and looks for anything of ours left.  TAP from 2 on.
set -uo pipefail
n=1 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { # check NAME COMMAND… — one test: the command succeeds
  local name=$1 out; shift
  if out=$("$@" 2>&1); then ok "$name"; else not_ok "$name" "$(printf '%s\n' "$out" | tail -15)"; fi
}
fatal() { not_ok "$@"; echo "# stopping: the rest needs this"; finish; }
finish() {
  nginx -s stop 2>/dev/null
  [ -n "${svc:-}" ] && kill "$svc" 2>/dev/null && wait "$svc" 2>/dev/null
  [ -n "${db:-}" ] && kill "$db" 2>/dev/null && wait "$db" 2>/dev/null
  echo "1..$n"
  exit $((failed > 0))
}
unit_value() { sed -n "s/^$2=//p" "/lib/systemd/system/$1" | head -n 1; }
host=comprobar.example.org
api() { curl -sS -k --resolve "$host:443:127.0.0.1" "$@"; }
json_field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1; }

# -- what the package installed ---------------------------------------------
check "comprobar user is a system user with no shell" \
  bash -c 'u=$(getent passwd comprobar) && [ "$(echo "$u" | cut -d: -f3)" -lt 1000 ] &&
           [ "$(echo "$u" | cut -d: -f7)" = /usr/sbin/nologin ]'
check "config is 0640 root:comprobar, the store 0750 comprobar" bash -c '
  [ "$(stat -c "%a %U:%G" /etc/comprobar/comprobar.conf)" = "640 root:comprobar" ] &&
  [ "$(stat -c "%a %U:%G" /var/lib/comprobar)" = "750 comprobar:comprobar" ] &&
  [ "$(stat -c "%a %U:%G" /var/lib/comprobar/documents)" = "750 comprobar:comprobar" ] &&
  [ "$(stat -c "%a %U:%G" /etc/comprobar/comprobar.conf.d)" = "750 root:comprobar" ]'
check "conffiles: the config, CSV profiles, nginx site and snippets" bash -c '
  c=$(dpkg-query -W -f="\${Conffiles}" comprobar) &&
  for f in /etc/comprobar/comprobar.conf /etc/comprobar/csv-profiles/bi-gt.conf \
           /etc/nginx/sites-available/comprobar /etc/nginx/snippets/comprobar-fastcgi.conf; do
    echo "$c" | grep -q " $f " || { echo "not a conffile: $f"; exit 1; }; done'
check "the site is installed but not enabled" \
  bash -c '[ -f /etc/nginx/sites-available/comprobar ] && [ ! -e /etc/nginx/sites-enabled/comprobar ]'
check "the socket unit is enabled, the service starts by it" \
  bash -c '[ -L /etc/systemd/system/sockets.target.wants/comprobar.socket ]'
check "man pages: comprobar-fcgi(8), comprobarctl(8), comprobar.conf(5)" \
  bash -c 'man -w comprobar-fcgi && man -w 8 comprobarctl && man -w 5 comprobar.conf'
check "systemd-analyze verify comprobar.socket comprobar.service" \
  systemd-analyze verify /lib/systemd/system/comprobar.socket /lib/systemd/system/comprobar.service
check "the service's hardening is in the unit" bash -c '
  for k in NoNewPrivileges=yes ProtectSystem=strict ReadWritePaths=/var/lib/comprobar \
           PrivateTmp=yes ProtectHome=yes SystemCallFilter=@system-service \
           "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6" MemoryDenyWriteExecute=yes \
           Restart=on-failure StandardOutput=journal "ExecReload=/bin/kill -HUP \$MAINPID"; do
    grep -qx "$k" /lib/systemd/system/comprobar.service || { echo "missing: $k"; exit 1; }; done'

# -- MariaDB and setup-db --------------------------------------------------
mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
/usr/sbin/mariadbd --user=mysql --skip-networking >/tmp/mariadb.log 2>&1 &
db=$!
for _ in $(seq 1 120); do mariadb-admin --no-defaults -uroot ping >/dev/null 2>&1 && break; sleep 0.5; done
mariadb-admin --no-defaults -uroot ping >/dev/null 2>&1 || fatal "mariadbd starts" "$(tail -20 /tmp/mariadb.log)"
ok "mariadbd starts"
out=$(comprobarctl setup-db 2>&1) || fatal "comprobarctl setup-db" "$out"
ok "comprobarctl setup-db"
check "credentials in comprobar.conf.d, 0640 root:comprobar; the conffile untouched" bash -c '
  f=/etc/comprobar/comprobar.conf.d/50-database.conf
  [ "$(stat -c "%a %U:%G" $f)" = "640 root:comprobar" ] && grep -q "^password = ..*" $f &&
  dpkg-query -W -f="\${Conffiles}" comprobar | grep " /etc/comprobar/comprobar.conf " |
    { read -r path sum; [ "$(md5sum </etc/comprobar/comprobar.conf | cut -d" " -f1)" = "$sum" ]; }'
check "the schema is current" comprobarctl migrate --status
check "setup-db again changes nothing" bash -c 'comprobarctl setup-db | grep -q "password kept"'

# -- the service, as comprobar.socket and comprobar.service say -----------
listen=$(unit_value comprobar.socket ListenStream)
sgroup=$(unit_value comprobar.socket SocketGroup)
smode=$(unit_value comprobar.socket SocketMode)
user=$(unit_value comprobar.service User)
group=$(unit_value comprobar.service Group)
umask_=$(unit_value comprobar.service UMask)
exec_start=$(unit_value comprobar.service ExecStart)
mkdir -p "$(dirname "$listen")"
(umask "$umask_"; exec systemd-socket-activate -l "$listen" \
  setpriv --reuid="$user" --regid="$group" --init-groups $exec_start) >/tmp/comprobar.log 2>&1 &
svc=$!
for _ in $(seq 1 50); do [ -S "$listen" ] && break; sleep 0.1; done
# systemd sets the socket's group and mode; systemd-socket-activate cannot.
chgrp "$sgroup" "$listen" && chmod "$smode" "$listen"
check "the socket is $smode, group $sgroup" \
  bash -c "[ \"\$(stat -c '%a %G' $listen)\" = '${smode#0} $sgroup' ]"

# -- nginx with the shipped site -----------------------------------------
mkdir -p /etc/ssl/private
openssl req -x509 -newkey rsa:2048 -nodes -subj "/CN=$host" -days 2 \
  -keyout /etc/ssl/private/comprobar.key -out /etc/ssl/certs/comprobar.pem >/dev/null 2>&1
rm -f /etc/nginx/sites-enabled/default
ln -s ../sites-available/comprobar /etc/nginx/sites-enabled/comprobar
out=$(nginx -t 2>&1) || fatal "nginx -t with the shipped site" "$out"
ok "nginx -t with the shipped site"
nginx || fatal "nginx starts"

for _ in $(seq 1 100); do
  [ "$(api -o /dev/null -w '%{http_code}' "https://$host/healthz" 2>/dev/null)" = 200 ] && break
  sleep 0.2
done
check "GET /healthz through nginx: 200" \
  bash -c "[ \"\$(curl -sS -k --resolve $host:443:127.0.0.1 -o /dev/null -w '%{http_code}' https://$host/healthz)\" = 200 ]"
# The master and its workers (no procps in a minimal root: /proc): the
# comprobar-fcgi processes this test started, not a developer's demo
# running beside it on the same machine.
descends() { # descends PID — true if PID is $svc or below it
  local p=$1
  while [ -n "$p" ] && [ "$p" -gt 1 ]; do
    [ "$p" = "$svc" ] && return 0
    p=$(awk '{print $4}' "/proc/$p/stat" 2>/dev/null)
  done
  return 1
}
fcgi_pids() {
  for p in $(grep -lx comprobar-fcgi /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3); do
    descends "$p" && echo "$p"
  done
}
owners=$(for p in $(fcgi_pids); do stat -c %U "/proc/$p"; done | sort | uniq -c)
if [ "$(echo "$owners" | wc -l)" = 1 ] && echo "$owners" | grep -Eq "^ *[2-9][0-9]* $user\$"; then
  ok "the master and its workers run as $user"
else not_ok "the master and its workers run as $user" "$owners" "$(cat /proc/[0-9]*/comm | sort | uniq -c)"; fi
check "http redirects to https" \
  bash -c "curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H 'Host: $host' http://127.0.0.1/api/me |
           grep -qx '301 https://$host/api/me'"
check "comprobarctl doctor: every check passes" comprobarctl doctor
check "the config is logged at start, the password redacted" bash -c "
  grep -q 'config database.password = (redacted)' /tmp/comprobar.log &&
  ! grep -qF \"\$(sed -n 's/^password = //p' /etc/comprobar/comprobar.conf.d/50-database.conf)\" /tmp/comprobar.log"

# -- use it through nginx --------------------------------------------------
admin=$(comprobarctl apikey create --name install-admin --role admin 2>/dev/null | sed -n 's/^key: //p')
client=$(comprobarctl apikey create --name install-client --role client 2>/dev/null | sed -n 's/^key: //p')
[ -n "$admin" ] && [ -n "$client" ] && ok "comprobarctl apikey create" || fatal "comprobarctl apikey create"
cust=$(api -H "Authorization: Bearer $client" -H 'Content-Type: application/json' \
  -d '{"name":"Cliente Instalación","documentType":"NIT","documentId":"1234567-8","email":"pagos@example.gt"}' \
  "https://$host/api/customers" | json_field customerId)
[ -n "$cust" ] || fatal "POST /api/customers"
resp=$(api -H "Authorization: Bearer $client" -F customerId="$cust" -F paymentMethod=deposito \
  -F bankCode=BI -F document=@/root/receipt.png -w '\n%{http_code}' "https://$host/api/payments")
pid=$(echo "$resp" | json_field paymentId)
if [ "$(echo "$resp" | tail -n 1)" = 201 ] && [ -n "$pid" ]; then ok "upload a receipt through nginx: 201"
else fatal "upload a receipt through nginx: 201" "$resp"; fi
got=$(api -H "Authorization: Bearer $client" "https://$host/api/payments/$pid")
check "read it back: GET /api/payments/$pid" bash -c "echo '$got' | grep -q '\"paymentId\":$pid'"
api -H "Authorization: Bearer $client" -o /tmp/back.png "https://$host/api/payments/$pid/document"
check "the document comes back byte for byte" cmp /root/receipt.png /tmp/back.png
check "the document is stored under /var/lib/comprobar, not readable by others" bash -c '
  f=$(find /var/lib/comprobar/documents -type f | head -n 1) && [ -n "$f" ] &&
  [ "$(stat -c %U "$f")" = comprobar ] && [ "$(stat -c %A "$f" | cut -c8-10)" = "---" ]'
ocr_done() { api -H "Authorization: Bearer $client" "https://$host/api/payments/$pid" |
  grep -q '"ocrResult":{[^}]*"status":"done"'; }
for _ in $(seq 1 100); do ocr_done && break; sleep 0.3; done
if ocr_done; then ok "OCR read the receipt (tesseract from the package's Depends)"
else not_ok "OCR read the receipt (tesseract from the package's Depends)" \
  "$(api -H "Authorization: Bearer $client" "https://$host/api/payments/$pid")" "$(tail -5 /tmp/comprobar.log)"; fi

# -- the review pages ------------------------------------------------------
echo "correct horse battery staple" | comprobarctl user add revisora --role reviewer --password-stdin >/dev/null
jar=/tmp/jar
tok=$(api -c $jar -b $jar "https://$host/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
code=$(api -c $jar -b $jar -o /dev/null -w '%{http_code} %{redirect_url}' \
  --data-urlencode username=revisora --data-urlencode "password=correct horse battery staple" \
  --data-urlencode "csrf=$tok" "https://$host/login")
check "sign in on the review pages: 303 to /review" bash -c "[ '$code' = '303 https://$host/review' ]"
page=$(api -c $jar -b $jar -w '\n%{http_code}' "https://$host/review")
check "open the review page: 200, HTML" bash -c "echo \"\$0\" | tail -n 1 | grep -qx 200 && echo \"\$0\" | grep -qi '<html'" "$page"
check "static files from /usr/share/comprobar/static" \
  bash -c "curl -sS -k --resolve $host:443:127.0.0.1 https://$host/static/review.css | cmp - /usr/share/comprobar/static/review.css"
check "/metrics from loopback: Prometheus text" \
  bash -c "curl -sS -k --resolve $host:443:127.0.0.1 https://$host/metrics | grep -q '^comprobar_http_requests_total{'"
check "SIGHUP (ExecReload) re-reads the config and it still answers" bash -c "
  kill -HUP $svc && sleep 2 && grep -q 'reloading: replacing workers' /tmp/comprobar.log &&
  [ \"\$(curl -sS -k --resolve $host:443:127.0.0.1 -o /dev/null -w '%{http_code}' https://$host/healthz)\" = 200 ]"

# -- remove keeps everything; purge leaves nothing -------------------------
nginx -s stop
kill "$svc"; wait "$svc" 2>/dev/null; svc=
# -- an upgrade migrates from the postinst ---------------------------------
# The database as a build one schema older (before 015) left it, the
# payments made above still in it; then the package installed over itself:
# dpkg runs postinst configure OLD-VERSION.
mariadb --no-defaults -uroot comprobar -e "ALTER TABLE bank_movements
    DROP KEY ix_bank_movements_ref,
    DROP COLUMN raw, DROP COLUMN entry_svcr_ref, DROP COLUMN creditor_ref;
  ALTER TABLE bank_statements DROP COLUMN available_opening,
    DROP COLUMN available_closing;
  DROP TABLE bank_statement_profiles;
  DELETE FROM schema_migrations WHERE version = 15"
check "the schema is one behind" bash -c '! comprobarctl migrate --status'
check "apt-get install --reinstall (postinst configure OLD-VERSION)" env DEBIAN_FRONTEND=noninteractive \
  apt-get install --reinstall -y -q "$(ls /root/comprobar_*.deb)"
check "the upgrade migrated: schema current, 015's table and columns there" bash -c '
  comprobarctl migrate --status &&
  [ "$(mariadb --no-defaults -uroot -N comprobar -e "SELECT COUNT(*) FROM bank_statement_profiles")" = 0 ] &&
  [ "$(mariadb --no-defaults -uroot -N comprobar -e "SELECT COUNT(*) FROM information_schema.columns
      WHERE table_schema = \"comprobar\" AND table_name = \"bank_movements\"
        AND column_name IN (\"raw\", \"entry_svcr_ref\", \"creditor_ref\")")" = 3 ]'

check "apt-get remove comprobar" env DEBIAN_FRONTEND=noninteractive apt-get remove -y -q comprobar
check "remove keeps config, credentials, documents, user and database" bash -c '
  [ -f /etc/comprobar/comprobar.conf ] && [ -f /etc/comprobar/comprobar.conf.d/50-database.conf ] &&
  [ -n "$(find /var/lib/comprobar/documents -type f)" ] && getent passwd comprobar >/dev/null &&
  [ "$(mariadb --no-defaults -uroot -N -e "SHOW DATABASES LIKE \"comprobar\"")" = comprobar ]'
check "apt-get purge comprobar" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q comprobar
check "purge leaves no file of ours" bash -c '
  # Not ours: the test'"'"'s own files (/root, the certificate it made in
  # /etc/ssl) and man-db'"'"'s cache of formatted pages (systemd-analyze
  # verify looked the pages up).
  left=$(find / -xdev \( -path /proc -o -path /root -o -path /etc/ssl -o -path /var/cache/man \) -prune -o \
           -name "*comprobar*" -print; ls -d /etc/comprobar /var/lib/comprobar 2>/dev/null)
  [ -z "$left" ] || { echo "$left"; exit 1; }'
check "purge removes the system user and group" \
  bash -c '! getent passwd comprobar && ! getent group comprobar'
check "purge drops the database and its user" bash -c '
  [ -z "$(mariadb --no-defaults -uroot -N -e "SHOW DATABASES LIKE \"comprobar\"")" ] &&
  [ "$(mariadb --no-defaults -uroot -N -e "SELECT COUNT(*) FROM mysql.user WHERE user=\"comprobar\"")" = 0 ]'
check "dpkg forgets it" bash -c '! dpkg-query -W comprobar 2>/dev/null | grep -q .'
finish
