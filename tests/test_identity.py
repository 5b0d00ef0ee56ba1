"""Kiosk identity: commune and kiosk id on every session, event and ticket (real SQLite file)."""

import sqlite3

import pytest
import sqlite_utils

from kiosk.core.data import identity
from kiosk.core.data.queue import Queue
from kiosk.core.data.store import Store, migrations
from tests.conftest import kiosk_cmd


def rows(store, table):
    return store.conn.execute(f"SELECT commune, kiosk FROM {table}").fetchall()


def test_rows_written_before_the_identity_get_it_when_it_is_set(tmp_path, monkeypatch):
    monkeypatch.delenv("KIOSK_COMMUNE", raising=False)
    monkeypatch.delenv("KIOSK_ID", raising=False)
    store = Store(tmp_path / "kiosk.sqlite3")
    sid = store.start_session()
    store.log(sid, "screen", screen="home")
    store.create_ticket(sid, {})
    assert rows(store, "events") == [(None, None)]
    stamped = store._write(lambda c: identity.write(c, "21130", "k-1", "test"))
    assert stamped == 3  # session, event, ticket
    sid2 = store.start_session()
    store.log(sid2, "screen", screen="home")
    store.create_ticket(sid2, {})
    Queue(store).call_next(1, "lan")  # a console write is stamped too
    for table in ("sessions", "events", "tickets"):
        assert set(rows(store, table)) == {("21130", "k-1")}, table
    # changing the identity later does not rewrite what is already stamped
    store._write(lambda c: identity.write(c, "21130", "k-2", "test"))
    store.log(sid2, "screen", screen="home")
    assert rows(store, "events")[-1] == ("21130", "k-2")
    assert ("21130", "k-1") in rows(store, "events")


def test_environment_overrides_and_is_written_into_the_log(tmp_path, monkeypatch):
    path = tmp_path / "kiosk.sqlite3"
    store = Store(path)
    store._write(lambda c: identity.write(c, "21130", "k-1", "test"))
    store.close()
    monkeypatch.setenv("KIOSK_COMMUNE", "21131")
    monkeypatch.setenv("KIOSK_ID", "k-9")
    store = Store(path)
    assert identity.current(store.conn).as_dict() == {"commune": "21131", "kiosk": "k-9",
                                                      "source": "environment"}
    store.log(None, "screen")
    assert rows(store, "events")[-1] == ("21131", "k-9")
    monkeypatch.setenv("KIOSK_ID", "not valid!")  # a typo never stops the kiosk
    store = Store(path)
    store.log(None, "screen")
    assert rows(store, "events")[-1] == ("21131", "k-9")


def test_an_older_log_is_migrated_and_stamped_with_the_environment(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    db = sqlite_utils.Database(sqlite3.connect(path))
    old = migrations._migrations[:2]  # the schema before identities
    for m in old:
        m.fn(db)
    db.execute("CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT)")
    for m in old:
        db.execute("INSERT INTO _sqlite_migrations VALUES ('hcc-kiosk', ?, '2026-01-01')", (m.name,))
    db.execute("INSERT INTO sessions (id, started_at, modes) VALUES ('s1', '2026-01-01T00:00:00.000000Z', '[]')")
    db.execute("INSERT INTO events (session_id, ts, kind, data) VALUES ('s1', '2026-01-01T00:00:00.000000Z', 'x', '{}')")
    db.conn.commit()
    db.conn.close()
    monkeypatch.setenv("KIOSK_COMMUNE", "21130")
    monkeypatch.setenv("KIOSK_ID", "k-1")
    store = Store(path)
    assert rows(store, "sessions") == [("21130", "k-1")]
    assert set(rows(store, "events")) == {("21130", "k-1")}


@pytest.mark.parametrize("commune,kiosk", [("", "k"), ("21130", "a b"), ("ư", "k"), ("x" * 41, "k")])
def test_bad_identities_are_refused(commune, kiosk):
    with pytest.raises(identity.IdentityError):
        identity.check(commune, kiosk)


def test_cli_sets_and_shows_the_identity_and_doctor_says_it(tmp_path):
    env = {"KIOSK_COMMUNE": "", "KIOSK_ID": ""}
    r = kiosk_cmd("identity", "set", "--commune", "21130", "--kiosk", "k-1", "--data", tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    r = kiosk_cmd("identity", "show", "--json", "--data", tmp_path, env=env)
    assert r.stdout.strip() == '{"commune": "21130", "kiosk": "k-1", "source": "settings"}'
    r = kiosk_cmd("identity", "set", "--commune", "21 130", "--kiosk", "k-1", "--data", tmp_path, env=env)
    assert r.returncode == 2 and "commune code" in r.stderr
    r = kiosk_cmd("doctor", "--json", "--data", tmp_path, env=env, timeout=300)
    import json
    assert json.loads(r.stdout)["identity"] == {"commune": "21130", "kiosk": "k-1", "source": "settings"}
