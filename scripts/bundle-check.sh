#!/usr/bin/env bash
# Install the offline bundle in a brand-new Debian 12 root with the network cut, then run the
# kiosk headless from it and the nightly backup job. Slow and needs root; not part of
# `bootstrap.sh test`.
#   bash scripts/bundle-check.sh dist/hcc-kiosk-VERSION-debian12-amd64.tar [FRESH_CHECK]
# FRESH_CHECK: the workplace's fresh-root runner (default ../shared/tools/fresh-check), which
# builds the root and runs one command in it as root, with network: `unshare -n` cuts it.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(realpath "$1")
fresh=${2:-../shared/tools/fresh-check}
carry=$(mktemp -d)
trap 'rm -rf "$carry"' EXIT
ln "$bundle" "$carry/" 2>/dev/null || cp "$bundle" "$carry/"
cp scripts/bundle-inside.sh "$carry/"
"$fresh" . "$carry" "unshare -n bash /root/shared/bundle-inside.sh /root/shared/$(basename "$bundle")"
