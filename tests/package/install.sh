#!/usr/bin/env bash
# install.sh DEB — the package's install test, on a clean Debian bookworm
# root made with debootstrap (no PID-1 systemd there):
#   apt-get install ./comprobar_*.deb mariadb-server nginx, then inside a
#   network namespace that has only loopback (tests/package/inside.sh):
#   mariadbd, comprobarctl setup-db, the service through
#   systemd-socket-activate as the units say, nginx with the shipped site,
#   an upload through nginx read back, the review pages, remove, purge, and
#   nothing of ours left.
# The finished base root is cached as a tarball in $CB_DEBOOTSTRAP_CACHE
# (default /var/cache/comprobar-test); apt's mirror comes from this
# machine's own sources.  Prints TAP; exits non-zero on failure.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "install.sh: needs root (debootstrap, chroot)" >&2; exit 2; }
deb=$(readlink -f "$1")
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
cache=${CB_DEBOOTSTRAP_CACHE:-/var/cache/comprobar-test}
work=$(mktemp -d /tmp/comprobar-install.XXXXXX)
root=$work/root
keep=${CB_INSTALL_KEEP:-0}
cleanup() { [ "$keep" = 1 ] && { echo "# kept $work" >&2; return; }; rm -rf "$work"; }
trap cleanup EXIT

# Where this machine's apt fetches bookworm from: nothing is hard-coded.
targets=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' | sort -u)
mirror=$(awk '$2 == "bookworm" {print $1; exit}' <<<"$targets")
[ -n "$mirror" ] || { echo "install.sh: no bookworm mirror in apt's sources" >&2; exit 2; }

mkdir -p "$cache" "$root"
base=$cache/bookworm-minbase-$(dpkg --print-architecture).tar
if [ ! -s "$base" ]; then
  echo "# debootstrap bookworm (minbase) from $mirror; cached in $base" >&2
  debootstrap --variant=minbase bookworm "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -30 "$work/debootstrap.log"; exit 1; }
  tar -C "$work/base" -cf "$base.tmp" . && mv "$base.tmp" "$base"
  rm -rf "$work/base"
fi
tar -C "$root" -xf "$base"

# The machine's own bookworm suites (not its other repositories).
awk '$2 ~ /^bookworm(-updates|-security)?$/ {print "deb " $1 " " $2 " main"}' \
  <<<"$targets" >"$root/etc/apt/sources.list"
rm -f "$root"/etc/apt/sources.list.d/*
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No init system here: maintainer scripts must not start daemons.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp "$deb" "$root/root/"
cp "$here/inside.sh" "$root/root/inside.sh"
cp "$src/tests/corpus/sample/0003-clean.png" "$root/root/receipt.png"

# In a private mount namespace the mounts vanish with the test.
in_root() { # in_root [unshare options] -- command…
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done; shift
  unshare --mount --propagation private "${opts[@]}" -- bash -c '
    root=$1; shift
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mount -t tmpfs tmpfs "$root/run"
    mount -t tmpfs tmpfs "$root/tmp"
    [ -n "${CB_NET_LO:-}" ] && ip link set lo up
    exec chroot "$root" "$@"' bash "$root" "$@"
}

echo "# apt-get install ./$(basename "$deb") mariadb-server nginx" >&2
if ! in_root -- env DEBIAN_FRONTEND=noninteractive bash -c "
    apt-get update -q && apt-get install -y -q --no-install-recommends \
      ./root/$(basename "$deb") mariadb-server nginx curl openssl man-db" \
    >"$work/apt.log" 2>&1; then
  tail -40 "$work/apt.log"
  echo "not ok 1 - apt-get install ./$(basename "$deb") mariadb-server nginx"
  exit 1
fi
echo "ok 1 - apt-get install ./$(basename "$deb") mariadb-server nginx"
grep -E '^(Setting up comprobar|W: |E: )' "$work/apt.log" | sed 's/^/# /' >&2 || true

# Everything else runs with loopback only: nothing reaches out.
CB_NET_LO=1 in_root --net -- bash /root/inside.sh
