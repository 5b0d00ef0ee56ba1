"""The ticket in the real app, replayed in an offscreen window on a real SQLite file: place and
wait followed live, the walk-away journey (the call shown and said on the welcome screen), the
printed slip read back from the printer's bytes, a new slip after a priority choice, and
"In ra giấy" with a printer on the network and with one that is off."""

import contextlib
import datetime as dt
import socket
import sqlite3
import subprocess
import sys
import threading

import pytest

from conftest import FIXTURE_LESSONS, ROOT, kiosk_cmd, need_tool, write_script
from staff_helpers import kiosk_env, wait_for
from test_printer import decode_raster, same_picture

pytestmark = [pytest.mark.gui, pytest.mark.slow]

CUT = b"\x1dV\x00"   # GS V 0: every slip ends with its cut


def _slip(number, created, before, minutes, doing=None, priority=None):
    from kiosk.core.data.timeutil import centre_zone
    from kiosk.printer import device, slip
    issued = dt.datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(centre_zone())
    return slip.ticket_image(slip.TicketSlip(number, issued, before, doing, priority, minutes),
                             device.paper_width())


@contextlib.contextmanager
def replaying(script, shots, data, env, *flags):
    """A `kiosk replay` process running while the test acts as the staff; killed if it is still
    running when the test leaves."""
    replay = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *flags, "replay", str(script), "--screenshots", str(shots),
         "--data", str(data)], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield replay
    finally:
        if replay.poll() is None:
            replay.kill()


def _ticket(db, number):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id, created_at, status FROM tickets WHERE number = ?", (number,)).fetchone()


def test_walk_away_the_call_is_shown_and_said_on_the_welcome_screen(tmp_path):
    """Two people wait; the visitor gets A003 and a slip ("Trước bạn còn 2 người, khoảng 10
    phút"), sees the place change live when A001 is called, taps Về trang đầu; the staff then
    call A003 (through the queue API, as the console does) and the welcome screen shows and says it."""
    need_tool("espeak-ng")
    from kiosk.core.data.queue import Queue
    from kiosk.core.data.store import Store
    data, shots, lp0 = tmp_path / "data", tmp_path / "shots", tmp_path / "lp0"
    data.mkdir()
    db = data / "kiosk.sqlite3"
    store = Store(db)
    for _ in range(2):
        store.create_ticket(store.start_session(), {})
    script = write_script(tmp_path / "walk.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "VNeID"}, {"tap": "Gọi nhân viên"},
        {"expect": "Số thứ tự của bạn"}, {"expect": "A003"},
        {"wait_for": "Trước bạn còn 2 người, khoảng 10 phút."},
        {"expect": "Khi nghe gọi số A003, mời bạn đến quầy được gọi."},
        {"screenshot": "ticket"},
        {"wait_for": "Trước bạn còn 1 người, khoảng 5 phút."},   # A001 called meanwhile
        {"tap": "Về trang đầu"}, {"expect": "Bắt đầu"},
        {"wait_for": "A003 » Quầy 2"},                          # the staff call A003 now
        {"expect": "A001 » Quầy 1"}, {"expect": "Đang gọi"},
        {"wait_for_voice": "playing"}, {"screenshot": "welcome-call"}])
    try:
        with replaying(script, shots, data, {**kiosk_env(), "KIOSK_PRINTER": f"file:{lp0}"},
                       "-v") as replay:
            q = Queue(store)
            wait_for(lambda: lp0.exists() and lp0.read_bytes().endswith(CUT), timeout=90,
                     what="the slip")
            slip_bytes = lp0.read_bytes()
            # the replay's screenshot after "2 người" was seen: only then does the queue move
            wait_for(lambda: (shots / "ticket.png").exists(), timeout=90, what="the ticket screen")
            q.call_next(1, "lan")                                       # A001
            def session_done():
                row = store.conn.execute("SELECT end_reason FROM sessions s JOIN tickets t "
                                         "ON t.session_id = s.id WHERE t.number = 'A003'").fetchone()
                return row and row[0] == "done"
            wait_for(session_done, timeout=90, what="Về trang đầu")
            q.call(_ticket(db, "A003")[0], 2, "minh")
            out, err = replay.communicate(timeout=120)
    finally:
        store.close()
    assert replay.returncode == 0, err[-3000:]
    said = [line for line in err.splitlines() if "speech: playing" in line]
    assert any("Mời số A, không, không, ba đến quầy 2." in line for line in said), said
    _, created, _ = _ticket(db, "A003")
    assert same_picture(decode_raster(slip_bytes), _slip("A003", created, 2, 10))
    (tmp_path / "replay-output.txt").write_text(out + err, "utf-8")


def test_a_staff_call_in_captions_mode_flashes_and_shows_chuong_bao_in_the_window(tmp_path):
    """A deaf visitor waiting on the ticket screen with Phụ đề on: the staff call is seen, not
    only heard (the frame flashes and the caption starts with "(Chuông báo)")."""
    from kiosk.core.data.queue import Queue
    from kiosk.core.data.store import Store
    data, shots = tmp_path / "data", tmp_path / "shots"
    data.mkdir()
    store = Store(data / "kiosk.sqlite3")
    script = write_script(tmp_path / "deaf.jsonl", [
        {"tap": "Phụ đề"}, {"tap": "Bắt đầu"}, {"tap": "Gọi nhân viên"}, {"expect": "A001"},
        {"screenshot": "ticket"},
        {"wait_for": "(Chuông báo)"}, {"expect": "Mời số A001 đến quầy 1"},
        {"screenshot": "called"}])
    try:
        with replaying(script, shots, data, kiosk_env()) as replay:
            wait_for(lambda: (shots / "ticket.png").exists(), timeout=90, what="the ticket screen")
            Queue(store).call_next(1, "lan")
            out, err = replay.communicate(timeout=120)
    finally:
        store.close()
    assert replay.returncode == 0, err[-3000:]
    assert (shots / "called.png").stat().st_size > 10_000


class NetworkPrinter:
    """A receipt printer on loopback: every connection is one print job."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.jobs: list[bytes] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            job = bytearray()
            with conn:
                while chunk := conn.recv(65536):
                    job.extend(chunk)
            self.jobs.append(bytes(job))

    def close(self):
        self.server.close()


def test_in_ra_giay_prints_the_checklist_and_a_priority_gets_a_new_slip(tmp_path):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.screens.views import PRIORITY_LABELS
    from kiosk.printer import device, slip
    lesson = load_catalog(FIXTURE_LESSONS).get("thu-wifi")
    printer = NetworkPrinter()
    data = tmp_path / "data"
    steps = [{"tap": "Tiếp"}] * (len(lesson.steps) - 1) + [{"tap": "Xong"}]
    script = write_script(tmp_path / "paper.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": lesson.title}, {"tap": "Bắt đầu"}, *steps,
        {"expect": "Bạn đã làm xong"}, {"tap": "In ra giấy"},
        {"wait_for": "Đã in xong. Mời bạn lấy giấy ở khe máy in."},
        {"tap": "Gọi nhân viên"}, {"expect": "A001"}, {"tap": "Người cao tuổi"},
        {"wait_for": "Đã in lại phiếu theo lựa chọn ưu tiên"}, {"expect": "Số ưu tiên. Bạn là người tiếp theo."}])
    try:
        r = kiosk_cmd("-v", "replay", script, "--lessons", FIXTURE_LESSONS, data=data,
                      env={"KIOSK_PRINTER": f"network:127.0.0.1:{printer.port}"})
        wait_for(lambda: len(printer.jobs) >= 3, timeout=10, what="three print jobs")
    finally:
        printer.close()
    assert r.returncode == 0, r.stderr[-3000:]
    checklist, first, second = printer.jobs[:3]
    width = device.paper_width()
    expected = slip.checklist_image(slip.ChecklistSlip(lesson.title, list(lesson.take_home_lines),
                                                       lesson.link), width)
    assert same_picture(decode_raster(checklist), expected)
    with sqlite3.connect(data / "kiosk.sqlite3") as c:
        created, priority = c.execute("SELECT created_at, priority FROM tickets").fetchone()
    doing = f"{lesson.title} – Bước {len(lesson.steps)}/{len(lesson.steps)}"
    assert same_picture(decode_raster(first), _slip("A001", created, 0, None, doing))
    assert priority == "elderly"
    assert same_picture(decode_raster(second), _slip("A001", created, 0, None, doing,
                                                     PRIORITY_LABELS["elderly"]))
    assert "checklist of thu-wifi printed" in r.stderr and "(priority elderly)" in r.stderr


def test_a_printer_that_is_off_and_no_printer_leave_the_kiosk_usable(tmp_path):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now: the printer "is off"
    lesson_steps = [{"tap": "Tiếp"}, {"tap": "Tiếp"}, {"tap": "Xong"}]
    start = [{"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"}, {"tap": "Bắt đầu"},
             *lesson_steps, {"expect": "Bạn đã làm xong"}]
    off = write_script(tmp_path / "off.jsonl", start + [
        {"tap": "In ra giấy"}, {"wait_for": "Máy in chưa in được. Danh sách vẫn còn trên màn hình"},
        {"expect": "Bạn đã làm xong"}, {"tap": "Về trang đầu"}, {"expect": "Bắt đầu"}])
    r = kiosk_cmd("replay", off, "--lessons", FIXTURE_LESSONS, data=tmp_path / "d1",
                  env={"KIOSK_PRINTER": f"network:127.0.0.1:{port}"})
    assert r.returncode == 0, r.stderr[-2000:]
    assert "checklist of thu-wifi not printed" in r.stderr
    none = write_script(tmp_path / "none.jsonl", start + [{"tap": "In ra giấy"}])
    r = kiosk_cmd("replay", none, "--lessons", FIXTURE_LESSONS, data=tmp_path / "d2",
                  env={"KIOSK_PRINTER": ""})
    assert r.returncode == 1 and "no visible button with 'In ra giấy'" in r.stderr  # not offered
