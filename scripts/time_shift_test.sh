#!/usr/bin/env bash
# Run tests with the wall clock moved, in this process and every Python subprocess.
#
#   scripts/time_shift_test.sh [--days N | --at ISO-MOMENT] [--tz ZONE] [pytest args...]
#
#   --days N     move the clock N days ahead (default 365)
#   --at MOMENT  start the run at MOMENT, e.g. 2027-11-29T23:59:50+07:00 (10 s before local
#                midnight in Vietnam), and let it run on from there
#   --tz ZONE    also set the machine time zone (TZ), e.g. Asia/Ho_Chi_Minh
#
# How: tests/timeshift/ goes first on PYTHONPATH, so its sitecustomize.py starts time-machine
# in every Python process with the same offset from the real clock (KIOSK_TIME_SHIFT_SECONDS).
# Default pytest args: tests/ (the whole suite).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
days=365 at="" tz=""
while [ $# -gt 0 ]; do
    case "$1" in
        --days) days="$2"; shift 2 ;;
        --at) at="$2"; shift 2 ;;
        --tz) tz="$2"; shift 2 ;;
        *) break ;;
    esac
done
if [ -n "$at" ]; then
    shift_s="$("$PY" -c 'import sys, datetime as d; t = d.datetime.fromisoformat(sys.argv[1]);
assert t.tzinfo, "--at needs an offset, e.g. +07:00"; print((t - d.datetime.now(d.timezone.utc)).total_seconds())' "$at")"
else
    shift_s="$((days * 86400))"
fi
"$PY" -c 'import time_machine' 2>/dev/null || {
    echo "time-machine is not installed: .venv/bin/pip install time-machine" >&2; exit 2; }
export KIOSK_TIME_SHIFT_SECONDS="$shift_s"
export PYTHONPATH="$ROOT/tests/timeshift:$ROOT${PYTHONPATH:+:$PYTHONPATH}"
[ -n "$tz" ] && export TZ="$tz"
cd "$ROOT"
"$PY" -c 'import datetime as d; print("time_shift_test: now is", d.datetime.now().astimezone().isoformat(timespec="seconds"), "(TZ=" + __import__("os").environ.get("TZ", "") + ")")'
[ $# -eq 0 ] && set -- tests/
exec "$PY" -m pytest "$@"
