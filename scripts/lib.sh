# shellcheck shell=bash
# lib.sh — shared by scripts/demo, scripts/check and scripts/stack.
# Sourced, not run.  Everything here is idempotent.

CB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cb_say() { printf '==> %s\n' "$*" >&2; }
cb_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Installs whatever of scripts/packages.txt is missing (needs root then).
# apt's mirror comes from the machine's own sources; nothing is hard-coded.
cb_install_packages() {
  local missing=() p
  while read -r p; do
    [ -z "$p" ] && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done < <(sed 's/#.*//; s/[[:space:]]//g; /^$/d' "$CB_SRC/scripts/packages.txt")
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || cb_die "missing packages (run as root to install): ${missing[*]}"
  cb_say "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Installing mariadb-server or nginx must not start the system services.
  local policy=/usr/sbin/policy-rc.d created_policy=
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1
  fi
  apt-get update -qq || cb_die "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { [ -n "$created_policy" ] && rm -f "$policy"; cb_die "apt-get install failed"; }
  [ -n "$created_policy" ] && rm -f "$policy"
  return 0
}

# Node.js, npm and the browser tests' npm packages (playwright-core, pinned
# in tests/browser/package-lock.json).  The machine's own node is used when
# it has one; apt's otherwise.
cb_install_node_modules() {
  local dir=$CB_SRC/tests/browser
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    [ "$(id -u)" = 0 ] || cb_die "node and npm are missing (run as root to install)"
    cb_say "installing: nodejs npm"
    apt-get update -qq || cb_die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      nodejs npm >/dev/null || cb_die "apt-get install nodejs npm failed"
  fi
  if [ ! -f "$dir/node_modules/playwright-core/package.json" ] \
     || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    cb_say "npm ci (tests/browser)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
      || cb_die "npm ci in tests/browser failed"
  fi
}

# cb_build BUILDDIR [configure args…] — out-of-tree build.
cb_build() {
  local dir=$1; shift
  if [ ! -x "$CB_SRC/configure" ] || [ "$CB_SRC/configure.ac" -nt "$CB_SRC/configure" ] \
     || [ "$CB_SRC/Makefile.am" -nt "$CB_SRC/Makefile.in" ]; then
    cb_say "autoreconf"
    (cd "$CB_SRC" && autoreconf -fi >/dev/null 2>&1) || (cd "$CB_SRC" && autoreconf -fi) || cb_die "autoreconf failed"
  fi
  mkdir -p "$dir"
  local stamp="$dir/.configure-args" want="$*"
  if [ ! -f "$dir/Makefile" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    cb_say "configure $want ($dir)"
    (cd "$dir" && "$CB_SRC/configure" "$@" >configure.out 2>&1) \
      || { tail -20 "$dir/configure.out"; cb_die "configure failed"; }
    echo "$want" > "$stamp"
  fi
  cb_say "make ($dir)"
  make -C "$dir" -j"$(nproc)" >"$dir/make.out" 2>&1 \
    || { grep -E 'error|Error' "$dir/make.out" | head -30; cb_die "build failed"; }
}

# A free TCP port on 127.0.0.1.
cb_free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
