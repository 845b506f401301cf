#!/usr/bin/env bash
# build.sh OUTDIR — builds the Debian package from this checkout (tracked
# and new files, not build trees) in OUTDIR/src with dpkg-buildpackage
# -us -uc -b, then runs lintian on it: any error or warning fails (overrides
# only in debian/*.lintian-overrides, each with its reason).  The .deb lands
# in OUTDIR.  Prints TAP.
# The build runs make check (unit tests, style, man pages) as Debian builds
# do; CB_PACKAGE_NOCHECK=1 skips it.
set -uo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$out/src" "$out"/comprobar*_* && mkdir -p "$out/src"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$src" ls-files -co --exclude-standard -z |
    (cd "$src" && tar --null -T - -cf -) | tar -C "$out/src" -xf -
else # a release tarball: everything but build trees
  tar -C "$src" --exclude='./build*' --exclude='./package' -cf - . | tar -C "$out/src" -xf -
fi
echo "1..2"
opts="parallel=$(nproc)" profiles=
[ "${CB_PACKAGE_NOCHECK:-0}" = 1 ] && { opts="$opts nocheck"; profiles=nocheck; }
if (cd "$out/src" && DEB_BUILD_OPTIONS="$opts" DEB_BUILD_PROFILES="$profiles" \
    dpkg-buildpackage -us -uc -b) \
    >"$out/build.log" 2>&1; then
  echo "ok 1 - dpkg-buildpackage -us -uc -b"
else
  echo "not ok 1 - dpkg-buildpackage -us -uc -b"
  tail -30 "$out/build.log" | sed 's/^/# /'
  echo "not ok 2 - lintian # SKIP no package"
  exit 1
fi
changes=$(ls "$out"/comprobar_*.changes)
if lintian --fail-on error,warning --display-info "$changes" >"$out/lintian.log" 2>&1; then
  echo "ok 2 - lintian --fail-on error,warning"
  grep -v 'root privileges' "$out/lintian.log" | sed 's/^/# /'
else
  echo "not ok 2 - lintian --fail-on error,warning"
  sed 's/^/# /' "$out/lintian.log"
  exit 1
fi
