#!/usr/bin/env bash
# Boot the appliance in a container with systemd (systemd-nspawn --boot): a Debian 12 root,
# the offline bundle installed in it with the network cut (the README's two steps), then
# booted; checks that the units come up, the staff console answers, and the kiosk is restarted
# by systemd after `kill -9` and after freezing (watchdog). Slow and needs root and
# systemd-container; not part of `bootstrap.sh test`.
#   bash scripts/boot-check.sh dist/hcc-kiosk-VERSION-debian12-amd64.tar [DEBIAN12_ROOT.tar]
# DEBIAN12_ROOT.tar: a minimal root, e.g. `mmdebstrap --variant=apt --include=python3,ca-certificates
# bookworm root.tar` (default: the fresh-root runner's cached one).
# A container has no screen or console of its own: a drop-in runs the kiosk headless in the
# kiosk unit instead of under cage on tty1; everything else is the installed unit.
set -euo pipefail
bundle=$(realpath "$1")
base=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/fresh-root/bookworm.tar}
say() { printf '\n== %s (%s)\n' "$*" "$(date -u +%H:%M:%S)"; }
root=$(mktemp -d /var/tmp/hcc-boot.XXXXXX)
nspawn_pid=""
cleanup() {
  [ -n "$nspawn_pid" ] && kill "$nspawn_pid" 2>/dev/null && wait "$nspawn_pid" 2>/dev/null
  for m in /dev /sys /proc; do umount -l "$root$m" 2>/dev/null || true; done
  rm -rf --one-file-system "$root" "$root.console.log"
}
trap cleanup EXIT

say "a Debian 12 root from $(basename "$base")"
tar -xf "$base" -C "$root"
mount -t proc proc "$root/proc"; mount --rbind /sys "$root/sys"; mount --rbind /dev "$root/dev"
cp "$bundle" "$root/root/"
say "install from the bundle, network cut"
unshare -n chroot "$root" /bin/bash -c "set -e; tar -xf /root/$(basename "$bundle") -C /opt
  PIP_CONFIG_FILE=/dev/null bash /opt/hcc-kiosk/scripts/bootstrap.sh install --console-host 127.0.0.1 --watchdog 10"
for m in /dev /sys /proc; do umount -l "$root$m"; done
mkdir -p "$root/etc/systemd/system/hcc-kiosk.service.d"
cat > "$root/etc/systemd/system/hcc-kiosk.service.d/container.conf" <<'DROPIN'
# boot-check only: no screen and no tty1 in a container, so the kiosk runs headless, not in cage
[Service]
PAMName=
TTYPath=
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
UtmpIdentifier=
StandardInput=null
ExecStart=
ExecStart=/opt/hcc-kiosk/.venv/bin/kiosk run --headless --data /var/lib/hcc-kiosk
DROPIN

say "boot"
systemd-nspawn -q --register=no --keep-unit --private-network -D "$root" --boot > "$root.console.log" 2>&1 &
nspawn_pid=$!
find_init() {  # the container's PID 1: the first `systemd` below systemd-nspawn
  local p
  for p in $(pgrep -P "$1"); do
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = systemd ] && { echo "$p"; return 0; }
    find_init "$p" && return 0
  done
  return 1
}
leader=""
for _ in $(seq 150); do
  leader=$(find_init "$nspawn_pid" || true)
  [ -n "$leader" ] && break
  sleep 0.2
done
[ -n "$leader" ] || { echo "the container did not start"; cat "$root.console.log"; exit 1; }
inside() { nsenter -t "$leader" -m -u -i -n -p -- "$@"; }
for _ in $(seq 300); do  # systemctl talks to init over this socket, made early in the boot
  inside test -S /run/systemd/private 2>/dev/null && break
  sleep 0.2
done
state=$(inside timeout 180 systemctl is-system-running --wait || true)
echo "system: $state"
inside systemctl --no-pager list-units 'hcc-kiosk*' --all || true
inside systemctl --no-pager list-timers 'hcc-kiosk*' || true
wait_active() {  # unit, restarts wanted, seconds
  local t0=$SECONDS
  while (( SECONDS - t0 < $3 )); do
    if [ "$(inside systemctl is-active "$1")" = active ] &&
       [ "$(inside systemctl show -p NRestarts --value "$1")" -ge "$2" ]; then
      echo "$1 active, restarts $(inside systemctl show -p NRestarts --value "$1"), after $((SECONDS - t0)) s"
      return 0
    fi
    sleep 0.5
  done
  echo "$1 not active with $2 restart(s) after $3 s"; inside journalctl --no-pager -u "$1" | tail -30; return 1
}
wait_active hcc-kiosk.service 0 180
wait_active hcc-kiosk-console.service 0 60

say "the staff console answers"
inside python3 - <<'PY'
import time, urllib.request
for _ in range(120):
    try:
        body = urllib.request.urlopen("http://127.0.0.1:8080/login", timeout=2).read().decode()
        print("console /login:", "Đăng nhập" in body and "answers with the login page" or body[:200]); break
    except OSError:
        time.sleep(0.5)
else:
    raise SystemExit("the console did not answer")
PY

say "kill -9 the kiosk"
pid=$(inside systemctl show -p MainPID --value hcc-kiosk.service)
inside sh -c "kill -9 $pid"  # the shell's kill: a minimal root has no procps
echo "killed $pid"
wait_active hcc-kiosk.service 1 120
echo "new kiosk: $(inside systemctl show -p MainPID --value hcc-kiosk.service)"

say "freeze the kiosk (SIGSTOP): the watchdog (10 s here) must restart it"
pid=$(inside systemctl show -p MainPID --value hcc-kiosk.service)
inside sh -c "kill -STOP $pid"
echo "stopped $pid"
wait_active hcc-kiosk.service 2 120
echo "new kiosk: $(inside systemctl show -p MainPID --value hcc-kiosk.service)"

say "the backup job, run by systemd"
inside systemctl start hcc-kiosk-backup.service
inside journalctl --no-pager -u hcc-kiosk-backup.service | tail -3
ls -l "$root/var/backups/hcc-kiosk"

say "journal of the kiosk unit"
inside journalctl --no-pager -u hcc-kiosk.service | grep -v "^--" | tail -25
inside systemctl poweroff || true
wait "$nspawn_pid" 2>/dev/null || true
nspawn_pid=""
echo "BOOT CHECK OK"
