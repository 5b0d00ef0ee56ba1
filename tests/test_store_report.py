import json
import sqlite3

import pytest

from kiosk.core.data.report import build_report, report_csv
from kiosk.core.runtime import Runtime
from kiosk.core.data.store import Store, StoreError


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def test_schema_wal_and_migrations_are_idempotent(tmp_path):
    path = tmp_path / "k.sqlite3"
    Store(path).close()
    s = Store(path)  # re-applying migrations is a no-op
    assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert set(s.db.table_names()) >= {"sessions", "events", "tickets", "lesson_progress"}
    applied = s.conn.execute("SELECT COUNT(*) FROM _sqlite_migrations").fetchone()[0]
    from kiosk.core.data.store import migrations
    assert applied == len(migrations._migrations)  # each applied exactly once


def test_session_ids_are_random_and_nothing_personal_is_stored(store):
    ids = {store.start_session() for _ in range(50)}
    assert len(ids) == 50 and all(len(i) == 16 for i in ids)
    cols = {c.name for t in ("sessions", "events", "tickets") for c in store.db[t].columns}
    assert not cols & {"name", "phone", "id_number", "cccd", "audio"}


def test_ticket_numbers_count_per_day_and_roll_letters(store):
    numbers = [store.create_ticket(None, {}) for _ in range(1001)]
    assert numbers[:3] == ["A001", "A002", "A003"]
    assert numbers[998] == "A999" and numbers[999] == "B001"
    assert len(set(numbers)) == 1001


def journey(rt, lesson, steps, finish=True, staff=False):
    rt.tap("start")
    rt.tap("lesson", lesson)
    rt.tap("begin")
    for _ in range(steps - 1):
        rt.tap("next")
    if staff:
        rt.tap("call_staff")
    if finish:
        if staff:
            rt.tap("resume")
        rt.tap("done")
    rt.tap("exit")


def test_report_counts_sessions_lessons_dropoff_and_escalations(store, fixture_catalog):
    rt = Runtime(fixture_catalog, store)
    journey(rt, "thu-wifi", 3)
    journey(rt, "thu-wifi", 2, finish=False)
    journey(rt, "thu-wifi", 1, finish=False, staff=True)
    journey(rt, "thu-otp", 2)
    r = build_report(store, catalog=fixture_catalog)
    assert r["sessions"] == 4
    assert r["lessons_started"] == 4 and r["lessons_finished"] == 2
    wifi = next(l for l in r["lessons"] if l["lesson"] == "thu-wifi")
    assert (wifi["started"], wifi["finished"], wifi["steps"]) == (3, 1, 3)
    assert wifi["dropoff"] == {"1": 1, "2": 1}
    assert wifi["title"] == "Kết nối Wi-Fi"
    assert r["escalations"]["total"] == 1
    assert r["end_reasons"] == {"done": 4}
    assert r["median_session_seconds"] is not None
    topics = {t["topic"]: t for t in r["topics"]}
    assert topics["internet"]["started"] == 3 and topics["safety"]["finished"] == 1
    csv_text = report_csv(r)
    assert "stopped_at_step,internet,thu-wifi,2,1" in csv_text
    json.dumps(r)  # serialisable


def test_report_since_filters_by_start_date(store, fixture_catalog):
    store.start_session(at="2026-01-05T10:00:00.000000Z")
    store.start_session(at="2026-11-20T10:00:00.000000Z")
    assert build_report(store, "2026-11-01")["sessions"] == 1
    assert build_report(store)["sessions"] == 2


def test_locked_database_keeps_kiosk_usable_and_loses_nothing(tmp_path, fixture_catalog):
    path = tmp_path / "k.sqlite3"
    store = Store(path)
    store.conn.execute("PRAGMA busy_timeout=50")
    rt = Runtime(fixture_catalog, store)
    rt.tap("start")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    rt.tap("lesson", "thu-wifi")
    rt.tap("begin")
    rt.tap("call_staff")
    # no number the staff could never see: the visitor is sent to the counter (issue #11)
    assert rt.state.screen == "ticket" and rt.state.ticket is None
    assert rt.view().title == "Mời bạn đến quầy tiếp nhận"
    assert "store" in rt.notices and rt.pending
    blocker.execute("ROLLBACK")
    blocker.close()
    rt.tick()
    assert not rt.pending and "store" not in rt.notices
    kinds = [e["kind"] for e in store.events()]
    assert kinds.count("lesson_start") == 1 and "ticket_unavailable" in kinds
    assert "ticket_shown" not in kinds and store.tickets() == []


def test_unwritable_location_gives_clear_error(tmp_path):
    bad = tmp_path / "file"
    bad.write_text("x")
    with pytest.raises(StoreError, match="cannot open the log database"):
        Store(bad / "k.sqlite3")
