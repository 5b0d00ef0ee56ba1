#!/usr/bin/env bash
# Set up the kiosk on a fresh Debian 12 box (root or sudo) and run it or its tests.
#   bash scripts/bootstrap.sh run [kiosk run options]   e.g. --headless --demo --screenshots shots
#   bash scripts/bootstrap.sh test [pytest options]
#   bash scripts/bootstrap.sh install [kiosk install options]   the kiosk appliance (README)
# Idempotent: a second run installs nothing and starts at once. In a folder unpacked from the
# offline bundle (scripts/bundle.sh) it installs from offline/ and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}; shift || true

RUN_DEBS="python3-venv python3-pip ca-certificates libgl1 libegl1 libegl-mesa0 libmtdev1 espeak-ng libespeak-ng1 libportaudio2 libusb-1.0-0"
APPLIANCE_DEBS="cage xwayland systemd systemd-sysv udev dbus libpam-systemd libgl1-mesa-dri"
TEST_DEBS="sox chromium chromium-driver systemd cage postgresql postgresql-common"  # systemd-analyze verify checks the units and their cage; PostgreSQL for the central tests
# npm fetches axe-core: Debian's npm only where no Node.js with npm is installed already (a
# machine with NodeSource's nodejs has its own npm, which Debian's npm package would conflict with)
command -v npm >/dev/null 2>&1 || TEST_DEBS="$TEST_DEBS npm"
AXE_CORE="axe-core@4.14.1"  # the browser tests' accessibility engine (tests/axe_helpers.py has the same pin)

say() { printf '[bootstrap] %s\n' "$*" >&2; }

# axe-core for the console's accessibility tests, from npm into build/node/ (not committed).
setup_axe() {
  local have
  have=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' build/node/node_modules/axe-core/package.json 2>/dev/null | head -1 || true)
  [ "axe-core@$have" = "$AXE_CORE" ] && return 0
  if [ -d offline ] && [ ! -d offline/npm ]; then say "no axe-core in the offline bundle; the browser accessibility test will fail"; return 0; fi
  say "installing $AXE_CORE (npm) into build/node"
  mkdir -p build/node
  npm install --prefix build/node --no-save --no-audit --no-fund --loglevel=error "$AXE_CORE" >/dev/null
}

need_debs() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
    sudo="sudo"
  fi
  say "installing Debian packages: ${missing[*]}"
  local apt=(apt-get)
  [ -f offline/debs/Packages ] && apt=(apt-get $(offline_apt_options))
  $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The bundle's packages as the only apt source, its lists kept apart from the system's.
offline_apt_options() {
  local d; d=$(mktemp -d)
  mkdir -p "$d/lists/partial" "$d/parts"
  chmod -R a+rX "$d"; chown -R _apt "$d/lists/partial" 2>/dev/null || true  # apt fetches as _apt
  echo "deb [trusted=yes] file:$PWD/offline/debs ./" > "$d/sources.list"
  echo "-o Dir::Etc::SourceList=$d/sources.list -o Dir::Etc::SourceParts=$d/parts -o Dir::State::Lists=$d/lists"
}

setup_venv() {  # $1: pip extra ("" or "test")
  local extra=$1 spec="." stamp
  [ -n "$extra" ] && spec=".[$extra]"
  [ -x .venv/bin/python ] || { say "creating .venv"; python3 -m venv .venv; }
  stamp=".venv/.setup-stamp-${extra:-run}"
  if [ -d offline/wheels ]; then  # the offline bundle: its wheels only, no index
    export PIP_NO_INDEX=1 PIP_FIND_LINKS="$PWD/offline/wheels"
  fi
  local want; want=$(cat pyproject.toml scripts/bootstrap.sh | sha256sum | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing Python packages into .venv (${spec})"
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
    .venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec"
    echo "$want" > "$stamp"
  fi
}

case "$mode" in
  run)
    need_debs $RUN_DEBS
    setup_venv ""
    # Bytecode for the kiosk's own modules, as a regular install would have it (an editable
    # install leaves that to the first start; with PYTHONDONTWRITEBYTECODE, to every start).
    .venv/bin/python -m compileall -q kiosk >/dev/null || true
    exec .venv/bin/kiosk run "$@"
    ;;
  test)
    need_debs $RUN_DEBS $TEST_DEBS
    # The browser tests reach chromedriver as "localhost"; a bare container may lack /etc/hosts.
    if ! getent hosts localhost >/dev/null && [ "$(id -u)" -eq 0 ]; then
      say "adding localhost to /etc/hosts"
      printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n' >> /etc/hosts
    fi
    setup_venv test
    setup_axe
    exec .venv/bin/python -m pytest "$@"
    ;;
  setup)
    need_debs $RUN_DEBS $TEST_DEBS
    setup_venv test
    setup_axe
    ;;
  install)  # the kiosk appliance: Debian packages, .venv, then `kiosk install` (units, user)
    need_debs $RUN_DEBS $APPLIANCE_DEBS
    setup_venv ""
    .venv/bin/python -m compileall -q kiosk >/dev/null || true
    exec .venv/bin/kiosk install "$@"
    ;;
  *)
    say "usage: bash scripts/bootstrap.sh run|test|setup|install [options]"; exit 2 ;;
esac
