#!/usr/bin/env bash
# One file for installing or updating the kiosk where the internet is slow or absent:
#   bash scripts/bundle.sh [OUT_DIR]     -> OUT_DIR/hcc-kiosk-VERSION-debian12-amd64.tar
# It holds the project (git HEAD: commit first), offline/wheels (every Python package as a wheel,
# built for Debian 12's python3.11) and offline/debs (the Debian packages of the kiosk and the
# appliance with all their dependencies, resolved as for a brand-new Debian 12 amd64, plus a
# Packages index). `scripts/bootstrap.sh` uses offline/ instead of the network when it is there,
# so the README's two steps work from the file alone. Run on Debian 12 amd64 with network (root
# not needed); needs git, python3-venv and apt-utils (apt-ftparchive).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-dist}")
say() { printf '[bundle] %s\n' "$*" >&2; }

# the Debian package names live in bootstrap.sh, the one list for both ways of installing
eval "$(grep -E '^(RUN_DEBS|APPLIANCE_DEBS)=' scripts/bootstrap.sh)"
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
name="hcc-kiosk-$version-debian12-amd64"
for tool in git apt-get apt-ftparchive python3; do
  command -v "$tool" >/dev/null || { say "missing $tool (apt-get install git apt-utils python3-venv)"; exit 1; }
done
[ "$(dpkg --print-architecture)" = amd64 ] || { say "build on an amd64 machine"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
proj="$work/hcc-kiosk"
mkdir -p "$proj/offline/wheels" "$proj/offline/debs"
git archive --format=tar HEAD | tar -x -C "$proj"
say "project $(git rev-parse --short HEAD) ($version)"

# --- wheels: the project, every dependency, and what pip needs to install the project itself
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip wheel -q --wheel-dir "$proj/offline/wheels" "$proj"
"$work/venv/bin/python" -m pip download -q --dest "$proj/offline/wheels" --only-binary=:all: \
  pip "setuptools>=77" wheel
rm -f "$proj"/offline/wheels/hcc_kiosk-*.whl   # the project is installed from its own folder
say "wheels: $(ls "$proj/offline/wheels" | wc -l) files"

# --- Debian packages, resolved against an empty package database (a fresh machine), from
# Debian 12 only, with apt's state kept in $work so this machine's own set-up plays no part
apt="$work/apt"
mkdir -p "$apt/lists/partial" "$apt/cache" "$apt/parts" "$proj/offline/debs/partial"
: > "$apt/status"
cat > "$apt/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
SOURCES
opts=(-o Dir::State::Lists="$apt/lists" -o Dir::State::status="$apt/status" -o Dir::Cache="$apt/cache"
      -o Dir::Cache::archives="$proj/offline/debs" -o Dir::Etc::SourceList="$apt/sources.list"
      -o Dir::Etc::SourceParts="$apt/parts" -o APT::Architecture=amd64 -o Debug::NoLocking=1
      -o APT::Sandbox::User=root)
apt-get "${opts[@]}" -qq update
apt-get "${opts[@]}" -qq -y --download-only --no-install-recommends install $RUN_DEBS $APPLIANCE_DEBS >/dev/null
rm -rf "$proj/offline/debs/partial" "$proj/offline/debs/lock"
(cd "$proj/offline/debs" && apt-ftparchive packages . > Packages 2>/dev/null)
say "Debian packages: $(ls "$proj"/offline/debs/*.deb | wc -l) files"

mkdir -p "$out"
tar -cf "$out/$name.tar" -C "$work" hcc-kiosk
say "wrote $out/$name.tar ($(du -h "$out/$name.tar" | cut -f1))"
echo "$out/$name.tar"
