"""The province's PostgreSQL: schema versions, least privilege, sync (real cluster, real logs)."""

import json

import pytest

from tests.central_helpers import fill_kiosk, start_cluster
from tests.conftest import kiosk_cmd, missing_part

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg():
    cluster = start_cluster(missing_part)
    yield cluster
    cluster.close()


@pytest.fixture
def central(pg, request):
    """A fresh central database with the schema, its admin URL."""
    from kiosk.central import schema
    url = pg.create_db(f"t_{request.node.name[:40].lower()}".replace("[", "_").replace("]", "_"))
    with schema.connect(url) as c:
        schema.init(c)
    return url


def add_kiosk(url, commune, kiosk):
    from kiosk.central import roles, schema
    with schema.connect(url) as c:
        return roles.add_kiosk(c, url, commune, kiosk)["url"]


def server_counts(url, kiosk=None):
    import psycopg
    with psycopg.connect(url) as c:
        where = " WHERE kiosk = %s" if kiosk else ""
        args = (kiosk,) if kiosk else ()
        return {t: c.execute(f"SELECT count(*) FROM {t}{where}", args).fetchone()[0]
                for t in ("sessions", "events", "tickets", "lesson_progress")}


def local_counts(data):
    import sqlite3
    c = sqlite3.connect(data / "kiosk.sqlite3")
    return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("sessions", "events", "tickets", "lesson_progress")}


def test_sync_sends_everything_once_and_twice_is_a_no_op(central, tmp_path):
    fill_kiosk(tmp_path, "21130", "k-1", sessions=300, seed=1, open_sessions=2)
    url = add_kiosk(central, "21130", "k-1")
    r = kiosk_cmd("sync", "--to", url, "--data", tmp_path, "--batch", "500", "--json")
    assert r.returncode == 0, r.stderr
    first = json.loads(r.stdout)
    local = local_counts(tmp_path)
    # open sessions wait (until over, or a day old); everything else is there, once
    assert first["pending"] == 2
    have = server_counts(central)
    assert have["events"] == local["events"] and have["tickets"] == local["tickets"]
    assert have["sessions"] == local["sessions"] - 2
    assert first["sent"]["events"] == local["events"]
    r = kiosk_cmd("sync", "--to", url, "--data", tmp_path, "--json")
    assert json.loads(r.stdout)["sent"] == {"events": 0, "sessions": 0, "lesson_progress": 0, "tickets": 0,
                                            "shared_tickets": 0}
    assert server_counts(central) == have


def test_the_kiosk_role_adds_only_its_own_rows_and_the_reader_only_reads(central, tmp_path):
    import psycopg
    from kiosk.central import roles, schema
    fill_kiosk(tmp_path / "a", "21130", "k-1", sessions=20, seed=2)
    url1, url2 = add_kiosk(central, "21130", "k-1"), add_kiosk(central, "21131", "k-2")
    with schema.connect(central) as c:
        reader = roles.add_reader(c, central, "province")["url"]
    assert kiosk_cmd("sync", "--to", url1, "--data", tmp_path / "a").returncode == 0
    # a log of kiosk 1 sent with kiosk 2's login: refused, plainly, and nothing lands
    fill_kiosk(tmp_path / "b", "21130", "k-1", sessions=20, seed=9, start="2026-03-01T00:00:00")
    before = server_counts(central)
    r = kiosk_cmd("sync", "--to", url2, "--data", tmp_path / "b")
    assert r.returncode == 1 and "refused this kiosk's rows" in r.stderr
    assert server_counts(central) == before
    with psycopg.connect(url2) as k2:
        assert k2.execute("SELECT count(*) FROM events").fetchone()[0] == 0  # cannot read k-1's rows
        for sql in ("UPDATE events SET kind = 'x'", "DELETE FROM events", "TRUNCATE events",
                    "INSERT INTO events (commune, kiosk, id) VALUES ('21130', 'k-1', 999999)",
                    "INSERT INTO events (commune, kiosk, id) VALUES ('21130', 'k-2', 999999)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                k2.execute(sql)
            k2.rollback()
    with psycopg.connect(url1) as k1:
        assert k1.execute("SELECT count(*) FROM events").fetchone()[0] > 0  # its own rows
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            k1.execute("DELETE FROM events")
    with psycopg.connect(reader) as rd:
        assert rd.execute("SELECT count(*) FROM events").fetchone()[0] == server_counts(central)["events"]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            rd.execute("INSERT INTO events (commune, kiosk, id) VALUES ('21130', 'k-1', 999999)")


def test_schema_versions_older_or_newer_are_told_plainly(pg, tmp_path):
    import psycopg
    from kiosk.central import schema
    url = pg.create_db("t_versions")
    r = kiosk_cmd("central", "upgrade", "--db", url)
    assert r.returncode == 1 and "kiosk central init" in r.stderr
    with schema.connect(url) as c:
        schema.init(c, upto=1)  # a server still at version 1
    fill_kiosk(tmp_path, "21130", "k-1", sessions=5, seed=3)
    kurl = add_kiosk(url, "21130", "k-1")
    r = kiosk_cmd("sync", "--to", kurl, "--data", tmp_path)
    assert r.returncode == 1 and "older than this kiosk's" in r.stderr and "central upgrade" in r.stderr
    r = kiosk_cmd("central", "upgrade", "--db", url)
    assert r.returncode == 0 and f"version {schema.SCHEMA_VERSION}" in r.stdout
    assert kiosk_cmd("sync", "--to", kurl, "--data", tmp_path).returncode == 0
    with psycopg.connect(url) as c:
        c.execute("INSERT INTO schema_versions (version, description) VALUES (99, 'from the future')")
    r = kiosk_cmd("sync", "--to", kurl, "--data", tmp_path)
    assert r.returncode == 1 and "newer than this kiosk's" in r.stderr and "update this kiosk" in r.stderr
    r = kiosk_cmd("central", "init", "--db", url)
    assert r.returncode == 1 and "already has schema version 99" in r.stderr


def test_unreachable_server_or_no_identity_is_said_plainly(pg, tmp_path):
    from tests.staff_helpers import free_port
    fill_kiosk(tmp_path, "21130", "k-1", sessions=3, seed=4)
    r = kiosk_cmd("sync", "--to", f"postgresql://kiosk_k_1:x@127.0.0.1:{free_port()}/nope", "--data", tmp_path)
    assert r.returncode == 1 and "cannot reach the central database" in r.stderr
    assert "next run sends it" in r.stderr and "Traceback" not in r.stderr
    r = kiosk_cmd("sync", "--to", "mysql://x", "--data", tmp_path)
    assert r.returncode == 1 and "postgresql:// URL" in r.stderr
    fresh = tmp_path / "fresh"
    kiosk_cmd("identity", "show", "--data", fresh, env={"KIOSK_COMMUNE": "", "KIOSK_ID": ""})
    r = kiosk_cmd("sync", "--to", pg.url(), "--data", fresh, env={"KIOSK_COMMUNE": "", "KIOSK_ID": ""})
    assert r.returncode == 2 and "kiosk identity set" in r.stderr


def test_purge_keeps_what_the_server_does_not_have(central, tmp_path, monkeypatch):
    from kiosk.core.data.datacare import purge
    from kiosk.core.data.store import Store
    monkeypatch.setenv("KIOSK_CENTRAL_DB", "postgresql://configured/but/not/yet/synced")
    fill_kiosk(tmp_path, "21130", "k-1", sessions=40, seed=5, start="2025-01-01T00:00:00")
    before = local_counts(tmp_path)
    store = Store(tmp_path / "kiosk.sqlite3")
    gone = purge(store, 30)
    assert gone["events"] == gone["sessions"] == gone["tickets"] == 0
    url = add_kiosk(central, "21130", "k-1")
    assert kiosk_cmd("sync", "--to", url, "--data", tmp_path).returncode == 0
    gone = purge(store, 30)
    assert gone["sessions"] == before["sessions"] and gone["events"] >= before["events"] - 1
    # and what was purged locally is still on the server
    assert server_counts(central)["sessions"] == before["sessions"]
