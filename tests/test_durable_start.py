"""Trouble at start must not lose a visitor's session (issue #11, part 3).

Each case replays the same visit (two "Gọi nhân viên") with the real `kiosk replay` in a
subprocess and a real data folder, with the trouble there from the start: a junk database (then
deleted while in use), an exclusive lock held by another process, a read-only data folder
(immutable attribute; root ignores file modes), a full disk (a real file-size limit, RLIMIT_FSIZE,
in the kiosk process). Events expected are those of the same visit on a healthy log; events written
are counted once the cause clears.
"""

import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import FIXTURE_LESSONS, ROOT, kiosk_env, write_script

pytestmark = pytest.mark.gui

NUMBER, COUNTER = "Số thứ tự", "quầy tiếp nhận"
NOTICE = "Máy tạm thời không ghi được nhật ký"


def visit(ticket_text: str, pause: float = 0, end_shot: bool = False) -> list[dict]:
    # with the log down the visitor is sent to the counter and the staff notice is on screen
    shown = [{"expect": ticket_text}] + ([{"expect": NOTICE}] if ticket_text == COUNTER else [])
    lines = [{"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"}, {"tap": "Bắt đầu"},
             {"tap": "Tiếp"}, {"tap": "Gọi nhân viên"}, *shown]
    if pause:
        lines.append({"wait": pause})
    lines += [{"tap": "Quay lại bài"}, {"tap": "Tiếp"}, {"tap": "Gọi nhân viên"},
              *shown, {"tap": "Về trang đầu"}, {"expect": "Xin chào"}]
    if end_shot:
        lines.append({"screenshot": "end"})
    return lines


def start(script: Path, data: Path, spill: Path, *, shots: Path | None = None, close_wait=120,
          fsize: int | None = None) -> subprocess.Popen:
    env = kiosk_env(data, {"KIOSK_SPILL_DIR": str(spill), "KIOSK_NO_CONSOLE": "1",
                           "KIOSK_LOG_CLOSE_WAIT": str(close_wait)})

    def limit():  # a disk that is full for this process: no file may grow beyond `fsize` bytes
        resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    args = [sys.executable, "-m", "kiosk", "replay", str(script), "--lessons", str(FIXTURE_LESSONS)]
    if shots is not None:
        args += ["--screenshots", str(shots)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            cwd=ROOT, preexec_fn=limit if fsize else None)


def finish(proc: subprocess.Popen, timeout=300) -> tuple[int, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out + err


def wait_for(cond, proc=None, timeout=300.0, what="condition", state=lambda: ""):
    deadline = time.monotonic() + timeout
    while not cond():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the kiosk ended before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            if proc is not None:
                proc.kill()
                state_now = f"{state()}; kiosk said: {proc.communicate()[1]}"
            raise AssertionError(f"timed out waiting for {what} ({state_now if proc else state()})")
        time.sleep(0.02)


def kinds(db: Path) -> list[str]:
    """Event kinds in the order written; the ticket event counts the same either way."""
    conn = sqlite3.connect(db)
    rows = [k for (k,) in conn.execute("SELECT kind FROM events ORDER BY id")]
    conn.close()
    return ["ticket" if k in ("ticket_shown", "ticket_unavailable") else k for k in rows]


def table(db: Path, sql: str) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def spill_files(spill: Path) -> list[Path]:
    return sorted(spill.glob("spill-*.jsonl")) if spill.is_dir() else []


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """The same visit on a healthy log: the events that must be there in the end."""
    tmp = tmp_path_factory.mktemp("healthy")
    script = write_script(tmp / "visit.jsonl", visit(NUMBER))
    code, out = finish(start(script, tmp / "data", tmp / "spill"))
    assert code == 0, out
    got = kinds(tmp / "data" / "kiosk.sqlite3")
    assert got.count("ticket") == 2 and "session_end" in got
    return got


def test_junk_database_deleted_while_in_use_loses_nothing(tmp_path, expected):
    data, spill = tmp_path / "data", tmp_path / "spill"
    data.mkdir()
    db = data / "kiosk.sqlite3"
    db.write_bytes(b"\x00junk, not a database\n" * 2000)
    script = write_script(tmp_path / "visit.jsonl", visit(NUMBER, pause=5))
    proc = start(script, data, spill)

    def fresh_log_in_use():
        try:
            return list(data.glob("kiosk.sqlite3.junk-*")) and table(db, "SELECT count(*) FROM sessions")[0][0]
        except sqlite3.Error:
            return False
    wait_for(fresh_log_in_use, proc, what="the junk moved aside and a fresh log in use")
    db.unlink()  # then someone deletes the (fresh) log while the kiosk writes to it
    code, out = finish(proc)
    assert code == 0, out
    assert kinds(db) == expected                                  # events expected vs written
    assert len(table(db, "SELECT number FROM tickets")) == 2       # both numbers the visitor saw
    kept = list(data.glob("kiosk.sqlite3.junk-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\x00junk")
    assert "kept it as" in out and "deleted while in use" in out, out


def _holder(db: Path) -> subprocess.Popen:
    code = ("import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('ROLLBACK')\n")
    p = subprocess.Popen([sys.executable, "-c", code, str(db)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def _replayed_while_down(tmp_path, data, spill, release) -> str:
    """Replay the visit while the log is down; once it is over (and spilled), clear the cause."""
    shots = tmp_path / "shots"
    script = write_script(tmp_path / "visit.jsonl", visit(COUNTER, end_shot=True))
    proc = start(script, data, spill, shots=shots)
    wait_for(lambda: (shots / "end.png").exists() and spill_files(spill), proc,
             what="the visit to end with its writes spilled",
             state=lambda: f"end.png: {(shots / 'end.png').exists()}, spill: {spill_files(spill)}")
    release()
    code, out = finish(proc)
    assert code == 0, out
    return out


def test_exclusive_lock_held_at_start_loses_nothing(tmp_path, expected):
    from kiosk.core.data.store import Store
    data, spill = tmp_path / "data", tmp_path / "spill"
    Store(data / "kiosk.sqlite3").close()
    holder = _holder(data / "kiosk.sqlite3")

    def release():
        holder.stdin.write("go\n")
        holder.stdin.flush()
        holder.wait(30)

    try:
        out = _replayed_while_down(tmp_path, data, spill, release)
    finally:
        holder.kill()
    db = data / "kiosk.sqlite3"
    assert kinds(db) == expected
    # no number was shown, so none may appear for the staff
    assert table(db, "SELECT count(*) FROM tickets") == [(0,)]
    assert not spill_files(spill) and "database is locked" in out


def _immutable(path: Path, on: bool) -> bool:
    r = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return r.returncode == 0


def test_read_only_data_folder_at_start_loses_nothing(tmp_path, expected):
    data, spill = tmp_path / "data", tmp_path / "spill"
    data.mkdir()
    if shutil.which("chattr") is None or not _immutable(data, True):
        pytest.skip("cannot make a folder read-only here (chattr +i needs root on ext4/xfs)")
    try:
        try:
            (data / "probe").write_text("x")
            pytest.skip("the immutable attribute does not stop writes here")
        except OSError:
            pass
        _replayed_while_down(tmp_path, data, spill, lambda: _immutable(data, False))
    finally:
        _immutable(data, False)
    assert kinds(data / "kiosk.sqlite3") == expected
    assert not spill_files(spill)


def test_full_disk_at_start_and_shutdown_writes_everything_at_the_next_start(tmp_path, expected):
    data, spill = tmp_path / "data", tmp_path / "spill"
    script = write_script(tmp_path / "visit.jsonl", visit(COUNTER))
    code, out = finish(start(script, data, spill, close_wait=1, fsize=16 * 1024))
    assert code == 0, out                    # it started, and nothing was lost: all spilled
    assert "kept in" in out and len(spill_files(spill)) == 1
    lines = [json.loads(l) for l in spill_files(spill)[0].read_text().splitlines()]
    assert sum(len(l["kw"]["records"]) for l in lines if l["op"] == "log_many") == len(expected)

    again = write_script(tmp_path / "again.jsonl", [{"expect": "Bắt đầu"}])
    code, out = finish(start(again, data, spill))   # the disk has room again
    assert code == 0, out
    assert kinds(data / "kiosk.sqlite3") == expected
    assert not spill_files(spill)


def test_full_disk_at_shutdown_with_nowhere_to_spill_counts_the_loss(tmp_path, expected):
    from kiosk.core.data.store import Store
    data = tmp_path / "data"
    Store(data / "kiosk.sqlite3").close()
    (tmp_path / "afile").write_text("not a folder")
    script = write_script(tmp_path / "visit.jsonl", visit(COUNTER))
    code, out = finish(start(script, data, tmp_path / "afile" / "spill", close_wait=1,
                             fsize=16 * 1024))
    assert code == 3, out
    lost = [l for l in out.splitlines() if "log writes LOST at shutdown" in l]
    assert len(lost) == 1 and int(lost[0].split("kiosk.writer: ")[1].split()[0]) > 0
    assert table(data / "kiosk.sqlite3", "SELECT count(*) FROM events") == [(0,)]
