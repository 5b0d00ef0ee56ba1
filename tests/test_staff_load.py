"""A small, fast version of bench/staff_load.py: staff sessions polling the live queue while
kiosk writers raise tickets into the same file, against 127.0.0.1 only."""

import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_polling_staff_and_busy_kiosks_lose_nothing():
    sys.path.insert(0, str(ROOT))
    from bench.staff_load import run
    r = run(tickets=150, sessions=8, kiosks=3, min_poll_s=4.0, time_limit=90)
    print({k: r[k] for k in ("requests", "p95_ms", "max_ms", "served_by_staff", "total_s")})
    assert r["errors"] == 0, r["error_samples"]
    assert r["tickets_raised"] == 150 and r["tickets_lost"] == 0
    assert r["requests"] >= 8 * 3 and r["served_by_staff"] >= 1
    # no latency limit here: the machine is shared; `python -m bench --only staff_load` holds
    # the p95 <= 500 ms target
