"""The staff queue, the kiosk's side of a call, data care and the report's new keys: plain Python
on a real SQLite file."""

import json
import sqlite3
from pathlib import Path

import pytest

from kiosk.core.visit import flow as f
from kiosk.core.data.datacare import (DataError, apply_retention, backup, check_kiosk_db, purge, restore,
                                 set_settings)
from kiosk.core.data.queue import Queue, QueueError, set_priority, ticket_call
from kiosk.core.data.report import build_report, report_csv
from kiosk.core.runtime import Runtime
from kiosk.core.data.store import Store, StoreError
from kiosk.core.data.timeutil import local_day


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def ticket(store, **ctx):
    sid = store.start_session()
    number = store.create_ticket(sid, ctx)
    return sid, number


def events_of(store, kind):
    return [json.loads(e["data"]) for e in store.events() if e["kind"] == kind]


def test_priority_first_then_first_come_first_served(store):
    q = Queue(store)
    ticket(store)                                  # A001
    ticket(store)                                  # A002
    sid3, _ = ticket(store)                        # A003, declares later
    ticket(store, group="pregnant")                # A004, declared at creation
    set_priority(store, sid3, "elderly")
    assert [t["number"] for t in q.waiting()] == ["A003", "A004", "A001", "A002"]
    assert q.counts() == {"waiting": 4, "called": 0, "priority_waiting": 2}
    assert q.call_next(1, "lan")["number"] == "A003"
    assert q.call_next(2, "minh")["number"] == "A004"
    assert q.call_next(1, "lan")["number"] == "A001"
    session = store.conn.execute("SELECT visitor_group FROM sessions WHERE id = ?", (sid3,)).fetchone()
    assert session == ("elderly",)
    set_priority(store, sid3, None)  # undo keeps the ticket (already called) as it was
    assert store.conn.execute("SELECT visitor_group FROM sessions WHERE id = ?", (sid3,)).fetchone() == (None,)


def test_call_recall_no_show_transfer_serve_each_logged(store):
    q = Queue(store)
    _, a1 = ticket(store, topic="vneid")
    _, a2 = ticket(store)
    t1 = q.waiting()[0]
    called = q.call(t1["id"], 1, "lan")
    assert (called["status"], called["counter"], called["calls"]) == ("called", 1, 1)
    assert called["first_called_at"] and called["waited_seconds"] >= 0
    with pytest.raises(QueueError) as e:
        q.call(t1["id"], 2, "minh")  # a second counter cannot take it from the queue again
    assert e.value.code == "not_waiting"
    with pytest.raises(QueueError) as e:
        q.no_show(t1["id"], "lan")  # not before a recall
    assert e.value.code == "recall_first"
    assert q.recall(t1["id"], "lan")["calls"] == 2
    assert q.no_show(t1["id"], "lan")["status"] == "no_show"

    t2 = q.call_next(1, "lan")
    with pytest.raises(QueueError):
        q.transfer(t2["id"], 1, "lan")  # same counter
    with pytest.raises(QueueError) as e:
        q.transfer(t2["id"], 9, "lan")
    assert e.value.code == "bad_counter"
    moved = q.transfer(t2["id"], 2, "lan")
    assert (moved["counter"], moved["calls"]) == (2, 2)
    with pytest.raises(QueueError) as e:
        q.serve(t2["id"], "went_home", None, "minh")
    assert e.value.code == "bad_outcome"
    done = q.serve(t2["id"], "done_at_counter", "vneid", "minh")
    assert (done["status"], done["outcome"], done["category"], done["staff"]) == \
        ("served", "done_at_counter", "vneid", "minh")
    with pytest.raises(QueueError):
        q.serve(t2["id"], "referred", None, "minh")  # already served
    assert q.call_next(1, "lan") is None

    actions = [h["action"] for h in q.history(t2["id"])]
    assert actions == ["call", "transfer", "serve"]
    kinds = [e["kind"] for e in store.events() if e["kind"].startswith("staff_")]
    assert kinds == ["staff_call", "staff_recall", "staff_no_show", "staff_call", "staff_transfer",
                     "staff_serve"]
    assert events_of(store, "staff_transfer")[0] == {"from": 1, "calls": 2, "ticket": a2, "counter": 2,
                                                     "staff": "lan"}


def test_kiosk_shows_and_says_the_call_and_the_recall(store, fixture_catalog):
    rt = Runtime(fixture_catalog, store)
    said = []
    rt.on_say.append(lambda text, why, rate: said.append((text, why)))
    rt.tap("start")
    rt.tap("lesson", "thu-wifi")
    rt.tap("begin")
    rt.tap("next")
    rt.tap("call_staff")
    number = rt.state.ticket
    assert number == "A001" and rt.view().options  # the optional priority row
    rt.tap("priority", "elderly")
    assert rt.state.priority == "elderly" and rt.view().options_label == "Đã ghi nhận ưu tiên:"
    q = Queue(store)
    assert q.waiting()[0]["priority"] == "elderly"
    rt.tap("resume")  # back to the lesson while waiting
    assert rt.state.screen == "step"
    rt.tick()
    assert rt.state.called_to is None  # nobody called yet

    q.call_next(1, "lan")
    rt._call_polled = 0
    rt.tick()
    view = rt.view()
    assert rt.state.screen == "ticket" and view.title == "Mời số A001 đến quầy 1"
    assert view.big == "A001" and not view.options
    assert said[-1] == ("Mời số A, không, không, một đến quầy 1. Nhân viên đang chờ bạn ở quầy 1.", "call")
    count = len(said)
    rt._call_polled = 0
    rt.tick()
    assert len(said) == count  # the same call is announced once

    q.recall(q.called()[0]["id"], "lan")
    rt._call_polled = 0
    rt.tick()
    assert len(said) == count + 1 and said[-1][1] == "call"
    q.transfer(q.called()[0]["id"], 2, "lan")
    rt._call_polled = 0
    rt.tick()
    assert rt.view().title == "Mời số A001 đến quầy 2"
    kinds = [e["kind"] for e in store.events(rt.session_id)]
    assert kinds.count("ticket_called") == 3 and "priority" in kinds
    rt.tap("resume")
    assert rt.state.screen == "step"  # back where the visitor was before the call


def test_waiting_on_the_ticket_screen_is_not_an_idle_timeout(fixture_catalog):
    machine = f.Flow(fixture_catalog, f.Config(idle_after=90, answer_within=30, ticket_wait=1800))
    s, _ = machine.next(f.State(), f.Tap("start", now=0))
    s, _ = machine.next(s, f.Tap("call_staff", now=1))
    s, _ = machine.next(s, f.TicketCreated("A001", now=1))
    s, _ = machine.next(s, f.Tick(600))
    assert s.active and not s.warning
    s, _ = machine.next(s, f.Tick(1802))
    assert s.warning  # still wiped in the end if the visitor has gone
    s, effects = machine.next(f.State(), f.TicketCalled("A001", 1, now=5))
    assert s == f.State() and effects[0].kind == "ignored"  # no session: nothing to show


def test_report_keeps_old_keys_and_adds_staff_figures(store, fixture_catalog):
    rt = Runtime(fixture_catalog, store)
    rt.tap("start")
    rt.tap("lesson", "thu-wifi")
    rt.tap("begin")
    rt.tap("next")
    rt.tap("call_staff")
    rt.tap("priority", "disabled")
    rt.tap("exit")
    q = Queue(store)
    t = q.call_next(1, "lan")
    q.serve(t["id"], "resolved_at_kiosk", "internet", "lan")
    r = build_report(store, catalog=fixture_catalog)
    old = {"generated_at", "since", "sessions", "median_session_seconds", "end_reasons", "lessons_started",
           "lessons_finished", "lessons", "topics", "escalations", "events"}
    assert old <= set(r)
    assert {"total", "by_status"} <= set(r["escalations"])
    assert r["escalations"]["by_status"] == {"served": 1}
    assert r["escalations"]["by_outcome"] == {"resolved_at_kiosk": 1}
    assert r["escalations"]["by_category"] == {"internet": 1}
    assert r["escalations"]["by_group"] == {"disabled": 1}
    assert r["escalations"]["median_wait_seconds"] >= 0
    assert r["visitor_groups"] == {"disabled": 1}
    day = local_day(store.sessions()[0]["started_at"])  # the centre's day, not the UTC one
    assert r["visitors"]["by_day"] == {day: 1} and sum(r["visitors"]["by_week"].values()) == 1
    assert r["helped"]["by_month"] == {day[:7]: 1}
    wifi = next(l for l in r["lessons"] if l["lesson"] == "thu-wifi")
    assert wifi["funnel"] == {"1": 1, "2": 1, "3": 0} and wifi["dropoff"] == {"2": 1}
    text = report_csv(r)
    lines = text.splitlines()
    assert lines[0] == "metric,topic,lesson,step,value"
    assert "escalations_outcome_resolved_at_kiosk,,,,1" in lines
    assert "reached_step,internet,thu-wifi,2,1" in lines
    # the original rows come first, unchanged
    assert lines.index("escalations,,,,1") < lines.index("median_wait_seconds,,,," + str(
        r["escalations"]["median_wait_seconds"]))


def test_purge_deletes_old_sessions_with_everything_that_belongs_to_them(store):
    old = store.start_session(at="2025-01-01T10:00:00.000000Z")
    store.log(old, "screen", {"screen": "home"}, at="2025-01-01T10:00:01.000000Z")
    store.conn.execute("INSERT INTO tickets (number, day, session_id, created_at, status, context) "
                       "VALUES ('A001', '2025-01-01', ?, '2025-01-01T10:00:02.000000Z', 'waiting', '{}')", (old,))
    new, _ = ticket(store)
    counts = purge(store, 30)
    assert counts["sessions"] == 1 and counts["tickets"] == 1 and counts["events"] >= 1
    assert [s["id"] for s in store.sessions()] == [new]
    assert len(store.tickets()) == 1
    assert events_of(store, "data_purge")[0]["deleted"]["sessions"] == 1
    with pytest.raises(DataError):
        purge(store, 0)


def test_retention_setting_applies_once_a_day(store):
    import datetime as dt
    store.start_session(at="2025-01-01T10:00:00.000000Z")
    now = dt.datetime(2026, 11, 25, 8, tzinfo=dt.timezone.utc)
    set_settings(store, {"retention_days": "0"}, "lan")
    assert apply_retention(store, now) is None  # 0 keeps everything
    set_settings(store, {"retention_days": "365"}, "lan")
    assert apply_retention(store, now)["sessions"] == 1
    assert apply_retention(store, now) is None  # already done today


def test_backup_while_writing_restore_and_refusals(tmp_path, store):
    for _ in range(20):
        ticket(store)
    out = tmp_path / "usb" / "backup.sqlite3"
    result = backup(store.path, out)
    assert result["counts"]["tickets"] == 20 and out.exists()
    assert check_kiosk_db(out)["sessions"] == 20
    ticket(store)  # the live log moves on

    restored = restore(out, store.path)
    kept = Path(restored["kept"])
    assert kept.exists() and check_kiosk_db(kept)["tickets"] == 21  # the replaced log is kept
    fresh = Store(store.path)
    assert len(fresh.tickets()) == 20
    fresh.close()

    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    for bad, words in ((other, "no migration record"), (text, "not an SQLite file"),
                       (tmp_path / "missing.db", "not a file")):
        with pytest.raises(DataError, match=words):
            restore(bad, store.path)


def test_queue_actions_wait_for_a_lock_and_fail_clearly_on_a_full_disk(tmp_path):
    path = tmp_path / "k.sqlite3"
    store = Store(path)
    ticket(store)
    store.conn.execute("PRAGMA busy_timeout=100")
    q = Queue(store, retries=2)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    with pytest.raises(StoreError, match="locked"):
        q.call_next(1, "lan")
    blocker.execute("ROLLBACK")
    assert q.waiting()[0]["status"] == "waiting"  # nothing half-done
    assert q.call_next(1, "lan")["status"] == "called"

    # a full disk: SQLite refuses to grow the file past max_page_count
    (pages,) = store.conn.execute("PRAGMA page_count").fetchone()
    store.conn.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(StoreError, match="full"):
        for _ in range(200):
            store.create_ticket(None, {"pad": "x" * 2000})
    called = q.called()[0]
    with pytest.raises(StoreError):
        for _ in range(50):
            q.recall(called["id"], "lan")
    blocker.close()


def test_backup_while_the_kiosk_keeps_writing(tmp_path):
    import threading
    path = tmp_path / "kiosk.sqlite3"
    Store(path).close()
    stop = threading.Event()
    written = []

    def kiosk():
        s = Store(path)
        while not stop.is_set():
            written.append(s.create_ticket(s.start_session(), {"topic": "vneid"}))
        s.close()

    t = threading.Thread(target=kiosk)
    t.start()
    try:
        while len(written) < 20:
            stop.wait(0.01)
        results = [backup(path, tmp_path / f"b{i}.sqlite3") for i in range(3)]
    finally:
        stop.set()
        t.join()
    counts = [r["counts"]["tickets"] for r in results]
    assert counts == sorted(counts) and counts[0] >= 20 and counts[-1] <= len(written)
    assert check_kiosk_db(tmp_path / "b2.sqlite3")["tickets"] == counts[-1]  # a whole, valid copy
