#!/bin/sh
# man.sh — the man pages: they format without warnings (groff, when
# installed), comprobar.conf(5) describes every key of the sample config,
# and comprobarctl(8) every command of its usage text.  Prints TAP.
top=${top_srcdir:-.}
echo "1..3"
if command -v groff >/dev/null 2>&1; then
  out=$(for f in "$top"/man/*.[0-9]; do groff -k -mdoc -ww -z -Tutf8 "$f" 2>&1; done)
  if [ -z "$out" ]; then echo "ok 1 - man pages format without warnings"; else
    echo "not ok 1 - groff warns"; echo "$out" | sed 's/^/# /'; fi
else
  echo "ok 1 - # SKIP groff is not installed"
fi
missing=$(sed -n 's/^\([a-z_0-9]*\) *=.*/\1/p' "$top/etc/comprobar.conf.sample" |
  while read -r k; do grep -q "^\.It Cm $k No" "$top/man/comprobar.conf.5" || echo "$k"; done)
if [ -z "$missing" ]; then echo "ok 2 - comprobar.conf(5) has every key"; else
  echo "not ok 2 - comprobar.conf(5) lacks keys"; echo "$missing" | sed 's/^/# /'; fi
missing=$(sed -n 's/^[[:space:]]*"  \([a-z][a-z-]*\).*/\1/p' "$top/fcgi/ctl/comprobarctl.c" | sort -u |
  while read -r c; do grep -q "^\.It Cm $c" "$top/man/comprobarctl.8" || echo "$c"; done)
if [ -z "$missing" ]; then echo "ok 3 - comprobarctl(8) has every command"; else
  echo "not ok 3 - comprobarctl(8) lacks commands"; echo "$missing" | sed 's/^/# /'; fi
