#!/usr/bin/env bash
# Run inside a fresh Debian 12 root with no network (scripts/bundle-check.sh): the README's two
# install steps from the bundle, then the kiosk headless as the kiosk user, then the backup job.
set -euo pipefail
bundle=$1
step() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
step "no network"
if getent ahosts deb.debian.org >/dev/null 2>&1 || python3 -c 'import socket; socket.create_connection(("1.1.1.1", 80), 3)' 2>/dev/null; then
  echo "the network is reachable: this check must run without it"; exit 1
fi
ip -o link 2>/dev/null || cat /proc/net/dev
step "step 1: tar -xf $(basename "$bundle") -C /opt"
tar -xf "$bundle" -C /opt
du -sh /opt/hcc-kiosk/offline/*
step "step 2: bash /opt/hcc-kiosk/scripts/bootstrap.sh install (this machine's pip settings ignored)"
PIP_CONFIG_FILE=/dev/null bash /opt/hcc-kiosk/scripts/bootstrap.sh install --console-host 127.0.0.1
step "the kiosk headless, as the hcc-kiosk user, for 20 s"
kiosk=/opt/hcc-kiosk/.venv/bin/kiosk
runuser -u hcc-kiosk -- env KIOSK_DATA=/var/lib/hcc-kiosk "$kiosk" run --headless --no-console \
  --exit-after 20 --screenshots /var/lib/hcc-kiosk/shots
ls -l /var/lib/hcc-kiosk/shots
test -s /var/lib/hcc-kiosk/shots/*.png
step "the backup unit's ExecStart, as written"
cmd=$(sed -n 's/^ExecStart=//p' /etc/systemd/system/hcc-kiosk-backup.service)
echo "$cmd"
runuser -u hcc-kiosk -- $cmd
step "kiosk doctor"
"$kiosk" doctor --data /var/lib/hcc-kiosk || true
step "systemd-analyze verify"
systemd-analyze verify --man=no /etc/systemd/system/hcc-kiosk*.service /etc/systemd/system/hcc-kiosk*.timer
echo "BUNDLE CHECK OK"
