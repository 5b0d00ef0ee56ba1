"""Sync under faults: killed at random points, the server stopped mid-sync, two kiosks at once,
a kiosk's clock an hour off. Real `kiosk sync` processes, real SQLite logs, real PostgreSQL."""

import datetime as dt
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.central_helpers import fill_kiosk, start_cluster
from tests.conftest import ROOT, kiosk_cmd, kiosk_env, missing_part

pytestmark = pytest.mark.slow
KILLS = int(os.environ.get("KIOSK_SYNC_KILLS", "100"))


@pytest.fixture(scope="module")
def pg():
    cluster = start_cluster(missing_part, fast=False)  # the server is crashed here: durable commits
    yield cluster
    cluster.close()


def central(pg, name, *kiosks):
    from kiosk.central import roles, schema
    url = pg.create_db(name)
    with schema.connect(url) as c:
        schema.init(c)
        return url, [roles.add_kiosk(c, url, commune, k)["url"] for commune, k in kiosks]


def keys(url, table, kiosk):
    import psycopg
    col = "id" if table != "lesson_progress" else "session_id || '/' || lesson"
    with psycopg.connect(url) as c:
        rows = [r[0] for r in c.execute(f"SELECT {col} FROM {table} WHERE kiosk = %s", (kiosk,))]
    return rows


def local_keys(data, table, where=""):
    col = "id" if table != "lesson_progress" else "session_id || '/' || lesson"
    c = sqlite3.connect(data / "kiosk.sqlite3")
    try:
        return [r[0] for r in c.execute(f"SELECT {col} FROM {table} {where}")]
    finally:
        c.close()


def assert_exactly_once(url, data, kiosk):
    """Every local row is on the server, once; nothing else is (sessions and tickets: the final ones)."""
    figures = {}
    for table, where in (("events", ""), ("sessions", "WHERE synced_at IS NOT NULL"),
                         ("tickets", "WHERE synced_at IS NOT NULL"), ("lesson_progress", "")):
        here, there = local_keys(data, table, where), keys(url, table, kiosk)
        if table == "lesson_progress":
            sent = set(local_keys(data, "sessions", "WHERE synced_at IS NOT NULL"))
            here = [k for k in here if k.split("/")[0] in sent]
        assert len(there) == len(set(there)), f"{table}: duplicated on the server"
        assert sorted(map(str, here)) == sorted(map(str, there)), f"{table}: lost or extra rows"
        figures[table] = len(there)
    return figures


def sync_proc(url, data, batch=10):
    return subprocess.Popen([sys.executable, "-m", "kiosk", "sync", "--to", url, "--data", str(data),
                             "--batch", str(batch)], env=kiosk_env(), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def server_events(url, kiosk):
    import psycopg
    with psycopg.connect(url) as c:
        return c.execute("SELECT count(*) FROM events WHERE kiosk = %s", (kiosk,)).fetchone()[0]


def test_sync_killed_at_random_points_loses_and_duplicates_nothing(pg, tmp_path):
    from kiosk.core.data.store import Store
    url, (login,) = central(pg, "kills", ("21130", "k-1"))
    fill_kiosk(tmp_path, "21130", "k-1", sessions=1500, seed=21, start="2026-01-01T00:00:00")
    store = Store(tmp_path / "kiosk.sqlite3")
    rnd = random.Random(19)
    mid_send = 0
    for i in range(KILLS):
        before = server_events(url, "k-1")
        p = sync_proc(login, tmp_path)
        # kill at a random moment of the sync itself, not of Python's start or its login (whose
        # length depends on the machine): from its first batch on the server
        while p.poll() is None and server_events(url, "k-1") == before:
            time.sleep(0.005)
        time.sleep(rnd.uniform(0, 0.1))
        p.send_signal(signal.SIGKILL)
        p.communicate()
        if p.returncode == -signal.SIGKILL and server_events(url, "k-1") > before:
            mid_send += 1  # killed while it was sending
        # the kiosk goes on logging meanwhile (enough that the next run has several batches to
        # send, so that its kill lands mid-send however fast this machine is)
        sid = store.start_session()
        store.log_many([dict(session_id=sid, kind="screen", screen="home") for _ in range(60)])
        store.end_session(sid, "done")
    r = kiosk_cmd("sync", "--to", login, "--data", tmp_path, "--json")
    assert r.returncode == 0, r.stderr
    figures = assert_exactly_once(url, tmp_path, "k-1")
    print(f"\nsync killed {KILLS} times ({mid_send} while sending), then completed: "
          f"0 lost, 0 duplicated; {json.dumps(figures)}")
    assert mid_send >= KILLS // 2  # most kills must land in the middle of real work


def test_postgresql_stopped_mid_sync_then_the_next_run_completes(pg, tmp_path):
    url, (login,) = central(pg, "stopped", ("21130", "k-1"))
    fill_kiosk(tmp_path, "21130", "k-1", sessions=600, seed=22, start="2026-01-01T00:00:00")
    p = sync_proc(login, tmp_path, batch=5)
    deadline = time.monotonic() + 120
    while server_events(url, "k-1") == 0:  # wait for the sync to be under way
        assert p.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    pg.stop("immediate")
    try:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 1, err
        assert "central database" in err and "next run sends it" in err and "Traceback" not in err
        r = kiosk_cmd("sync", "--to", login, "--data", tmp_path)  # still down: said plainly
        assert r.returncode == 1 and "cannot reach the central database" in r.stderr
    finally:
        pg.start()
        pg.wait_ready()
    r = kiosk_cmd("sync", "--to", login, "--data", tmp_path)
    assert r.returncode == 0, r.stderr
    assert_exactly_once(url, tmp_path, "k-1")


def test_two_kiosks_syncing_at_once(pg, tmp_path):
    url, logins = central(pg, "two", ("21130", "k-1"), ("21130", "k-2"))
    dirs = [tmp_path / "k-1", tmp_path / "k-2"]
    for i, d in enumerate(dirs):
        fill_kiosk(d, "21130", f"k-{i + 1}", sessions=400, seed=30 + i, start="2026-02-01T00:00:00")
    procs = [sync_proc(login, d, batch=50) for login, d in zip(logins, dirs)]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    for i, d in enumerate(dirs):
        assert_exactly_once(url, d, f"k-{i + 1}")


@pytest.mark.parametrize("hours", [1, -1])
def test_a_kiosk_clock_an_hour_off(pg, tmp_path, hours):
    """Sync goes by ids, not clocks: a kiosk an hour ahead or behind sends everything once, its
    visitors still at the kiosk wait (by its own clock), and the report counts its own days."""
    import time_machine

    from kiosk.central.schema import connect
    from kiosk.central.report import build_central_report
    from kiosk.central.sync import sync
    from kiosk.core.data.store import Store
    url, (login,) = central(pg, f"clock{'ahead' if hours > 0 else 'behind'}", ("21130", "k-1"))
    off = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=hours)
    with time_machine.travel(off, tick=True):
        fill_kiosk(tmp_path, "21130", "k-1", sessions=50, seed=40, start="2026-03-01T00:00:00",
                   open_sessions=3)
        store = Store(tmp_path / "kiosk.sqlite3")
        sent = sync(store, login, batch=20)
        assert sent["pending"] == 3  # open by the kiosk's own clock: they wait
        with time_machine.travel(off + dt.timedelta(days=1, minutes=1), tick=False):
            assert sync(store, login)["sent"]["sessions"] == 3  # a day later by its clock: sent as they are
    assert_exactly_once(url, tmp_path, "k-1")
    with connect(url) as c:
        report = build_central_report(c)
    assert report["sessions"] == 53
    assert sum(report["visitors"]["by_day"].values()) == 53
