"""The log writer (issue #11): in order, never blocking the screen, nothing lost without a count.

Real SQLite files and real locks from a second connection; the full-disk case uses a fault at the
store's I/O boundary (a Store whose writes fail like a full disk), the subprocess tests in
test_durable_start.py use a real file-size limit.
"""

import json
import sqlite3
import time

import pytest

from kiosk.core.data.spill import Spill
from kiosk.core.data.store import Store, StoreError
from kiosk.core.data.logfile import junk_files
from kiosk.core.data.writer import Writer


def wait_for(cond, timeout=120.0, what="condition"):
    """Wait for a condition (never a fixed sleep); the timeout only stops a hung test."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class FullDisk(Store):
    """A real store whose writes fail as SQLite reports a full disk, while `full` is set."""
    full = True

    def _write(self, fn):
        if FullDisk.full:
            raise StoreError(f"cannot write to the log database {self.path}: database or disk is full")
        return super()._write(fn)


def spill_in(tmp_path):
    return Spill([tmp_path / "spill"], "spill-test.jsonl")


def record(sid, n):
    return {"session_id": sid, "kind": "step", "data": {"n": n}, "lesson": "thu-wifi", "step": 1,
            "at": f"2026-01-01T00:00:{n:02d}.000000Z"}


def lock(path):
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    return blocker


def test_threaded_writer_does_not_wait_for_a_locked_database(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    Store(path).close()
    blocker = lock(path)
    w = Writer(path, threaded=True, spill=spill_in(tmp_path))
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    for n in range(20):
        w.submit("log_many", records=[record("s1", n)])
    # every submit returned while the other process still holds the lock
    wait_for(lambda: w.failing, what="the writer to notice the lock")
    wait_for(lambda: w.spill.exists(), what="the spill file")
    assert blocker.in_transaction
    blocker.execute("ROLLBACK")
    blocker.close()
    wait_for(lambda: w.backlog == 0 and not w.failing, what="the backlog to be written")
    report = w.close()
    assert (report.lost, report.spilled) == (0, 0)
    rows = [json.loads(e["data"])["n"] for e in Store(path).events()]
    assert rows == list(range(20))           # all of them, in order
    assert not w.spill.exists()               # written: the spill file is gone


def test_a_ticket_given_up_on_is_never_written_later(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    Store(path).close()
    blocker = lock(path)
    w = Writer(path, threaded=True, spill=None)
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    ask = w.ask("create_ticket", session_id="s1", context={})
    wait_for(lambda: w.failing, what="the writer to notice the lock")
    assert ask.cancel()                   # the visitor was sent to the counter
    blocker.execute("ROLLBACK")
    blocker.close()
    wait_for(lambda: w.backlog == 0 and not w.failing, what="the backlog to be written")
    assert w.ask("create_ticket", session_id="s1", context={}).result(timeout=30) == "A001"
    w.close()
    assert [t["number"] for t in Store(path).tickets()] == ["A001"]
    assert [s["id"] for s in Store(path).sessions()] == ["s1"]


def test_full_disk_spills_then_the_next_start_writes_it_once(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    FullDisk.full = True
    w = Writer(store=FullDisk(path), spill=spill_in(tmp_path))
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    for n in range(5):
        w.submit("log_many", records=[record("s1", n)])
    assert w.failing and w.backlog == 6
    report = w.close(wait=0)
    assert (report.spilled, report.lost) == (6, 0)
    lines = spill_in(tmp_path).read()
    assert [l["op"] for l in lines] == ["start_session"] + ["log_many"] * 5

    FullDisk.full = False
    # the first batch reached the log before a crash, the spill file was not yet removed
    Store(path).start_session(source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    Store(path).log_many([record("s1", 0)])
    w2 = Writer(store=Store(path), spill=spill_in(tmp_path))
    assert w2.backlog == 0 and not w2.spill.exists()
    w2.close()
    store = Store(path)
    assert [json.loads(e["data"])["n"] for e in store.events()] == [0, 1, 2, 3, 4]  # no duplicate
    assert len(store.sessions()) == 1


def test_writes_nobody_can_keep_are_counted_as_lost(tmp_path, caplog):
    FullDisk.full = True
    nowhere = Spill([tmp_path / "file" / "spill"], "x.jsonl")
    (tmp_path / "file").write_text("not a folder")
    w = Writer(store=FullDisk(tmp_path / "kiosk.sqlite3"), spill=nowhere)
    for n in range(3):
        w.submit("log_many", records=[record(None, n)])
    report = w.close(wait=0)
    assert (report.lost, report.spilled) == (3, 0)
    assert "3 log writes LOST at shutdown" in caplog.text


def test_junk_database_is_moved_aside_and_a_fresh_one_made(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"this is not SQLite " * 500)
    w = Writer(path, spill=None)
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    assert not w.failing
    kept = junk_files(path)
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not SQLite")
    w.close()
    assert [s["id"] for s in Store(path).sessions()] == ["s1"]


def test_a_deleted_database_is_rewritten_from_the_open_connection(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    w = Writer(path, spill=None)
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    w.submit("log_many", records=[record("s1", 1)])
    for p in tmp_path.glob("kiosk.sqlite3*"):
        p.unlink()
    w.submit("log_many", records=[record("s1", 2)])
    w.close()
    assert [json.loads(e["data"])["n"] for e in Store(path).events()] == [1, 2]


def test_runtime_shows_the_notice_and_sends_the_visitor_to_the_counter(tmp_path, fixture_catalog):
    from kiosk.core import runtime as rtmod
    path = tmp_path / "kiosk.sqlite3"
    Store(path).close()
    w = Writer(path, threaded=True, spill=spill_in(tmp_path))
    rt = rtmod.Runtime(fixture_catalog, w)
    blocker = lock(path)
    rt.tap("start")
    rt.tap("lesson", "thu-wifi")
    rt.tap("begin")
    rt.tap("next")

    def noticed():
        rt.tick()
        return "store" in rt.notices
    wait_for(noticed, what="the notice")
    rt.tap("call_staff")
    assert rt.state.ticket is None and rt.view().title == "Mời bạn đến quầy tiếp nhận"
    blocker.execute("ROLLBACK")
    blocker.close()

    def cleared():
        rt.tick()
        return "store" not in rt.notices and rt.pending == 0
    wait_for(cleared, what="the backlog to be written")
    rt.tap("resume")
    rt.tap("call_staff")

    def numbered():
        rt.tick()
        return rt.state.ticket
    wait_for(numbered, what="the queue number")   # at once, or "Đang lấy số thứ tự…" a moment
    assert rt.state.ticket == "A001" and rt.view().big == "A001"
    report = rt.close_log()
    assert report.lost == 0
    kinds = [e["kind"] for e in Store(path).events()]
    assert kinds.index("lesson_start") < kinds.index("ticket_unavailable") < kinds.index("ticket_shown")
    assert [t["number"] for t in Store(path).tickets()] == ["A001"]


def test_staff_console_tells_about_a_junk_log_moved_aside(tmp_path):
    import warnings
    with warnings.catch_warnings():  # Starlette prefers "httpx2"; httpx works the same here
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from kiosk.staff import auth
    from kiosk.staff.app import create_app
    from staff_helpers import PIN, csrf_of
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"junk " * 1000)
    w = Writer(path, spill=None)
    w.submit("start_session", source="test", session_id="s1", at="2026-01-01T00:00:00.000000Z")
    w.close()
    auth.add_staff(Store(path), "lan", PIN)
    client = TestClient(create_app(path, busy_ms=100), client=("127.0.0.1", 50000))
    page = client.get("/login")
    client.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN})
    text = client.get("/queue").text
    assert "Nhật ký cũ bị hỏng đã được cất sang tệp kiosk.sqlite3.junk-" in text


def test_the_kiosk_writer_moves_junk_aside_before_any_write(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    path.write_bytes(b"junk " * 1000)
    w = Writer(path, threaded=True, spill=None)
    wait_for(lambda: junk_files(path), what="the junk moved aside")   # nobody has tapped yet
    wait_for(lambda: w.store is not None, what="a fresh log")
    assert not w.failing
    w.close()
    assert Store(path).sessions() == []


def test_spill_goes_to_the_first_place_that_takes_it(tmp_path, monkeypatch):
    from kiosk.core.data.spill import spill_dirs
    (tmp_path / "afile").write_text("not a folder")
    spill = Spill([tmp_path / "afile" / "spill", tmp_path / "second"], "s.jsonl")
    assert spill.append(['{"op": "log_many", "kw": {"records": []}}'])
    assert spill.path == tmp_path / "second" / "s.jsonl" and len(spill.read()) == 1
    spill.remove()
    assert not spill.exists()
    monkeypatch.setenv("KIOSK_SPILL_DIR", str(tmp_path / "chosen"))
    assert spill_dirs(tmp_path / "kiosk.sqlite3") == [tmp_path / "chosen"]
    monkeypatch.delenv("KIOSK_SPILL_DIR")
    assert len(spill_dirs(tmp_path / "kiosk.sqlite3")) >= 2   # a second place when the first fails
