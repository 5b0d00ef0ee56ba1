"""The receipt printer in the running kiosk: a queue slip for every number that is on disk, a new
slip when the visitor declares a priority afterwards, and a lesson's checklist ("In ra giấy").

Printing runs on its own thread (a slow or missing printer never holds the screen). When it
fails the kiosk says so plainly (notice strip and voice) and carries on; the number stays on
screen, the checklist on the finish screen.

Priority after the ticket: the first slip is printed at once (the visitor may walk away with it);
a priority declared afterwards moves the visitor up the queue, so the slip is printed again with
"Ưu tiên: …" and the new place, once the choice has stood for PRIORITY_SETTLE seconds (a mis-tap
undone at once costs no paper).
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

from kivy.clock import Clock

from kiosk.core.screens.paper import NOT_PRINTED, PRINTED
from kiosk.core.data.queue import place_in_queue
from kiosk.core.data.queue_wait import place_of
from kiosk.core.data.store import StoreError
from kiosk.core.data.timeutil import centre_zone, now_utc
from kiosk.core.screens.views import PRIORITY_LABELS
from kiosk.printer import device, slip
from kiosk.ui.screen_body import UNPRINTED

log = logging.getLogger("kiosk.printer")

PRINT_WAIT = 10.0  # seconds the kiosk waits at shutdown for slips still being sent
PRINT_FAILED = "Máy in chưa in được phiếu. Bạn nhớ giúp số thứ tự trên màn hình nhé."
# its key among the notices: the ticket screen then shows the number much larger
PRINTER_NOTICE = UNPRINTED
REPRINTED = "Đã in lại phiếu theo lựa chọn ưu tiên. Mời bạn lấy phiếu mới."
PRIORITY_SETTLE = 4.0  # seconds a priority choice stands before its slip is printed
PAPER_NOTICE_FOR = 30.0  # seconds "Đã in xong" / "chưa in được" stays in the notice strip


def attach_printer(app, runtime, db: Path, shared=None):
    """Print a slip for each committed queue number when KIOSK_PRINTER names a printer.
    `shared`: the centre's shared queue (a QueueDb of the printer's own), where the place is read."""
    try:
        spec = device.configured()
        width = device.paper_width() if spec else 0
    except device.PrinterError as e:
        log.warning("receipt printer not used: %s", e)
        return None
    if spec is None:
        return None
    printer = SlipPrinter(app, runtime, spec, width, Path(db), shared)
    runtime.on_ticket.append(printer.ticket)
    runtime.on_priority.append(printer.priority_changed)
    runtime.on_print.append(printer.checklist)
    runtime.set_printer(True)
    app.bind(on_stop=lambda *_: printer.wait(PRINT_WAIT))  # a slip being sent is not cut off
    return printer


class SlipPrinter:
    def __init__(self, app, runtime, spec, width: int, db: Path, shared=None):
        self.app, self.runtime, self.spec, self.width, self.db = app, runtime, spec, width, db
        self.shared = shared  # kiosk.central.queue_db.QueueDb: online tickets are only there
        self.printed = 0
        self._threads: list[threading.Thread] = []
        self._last: dict | None = None     # the last ticket printed: number, session, doing, group
        self._settle = None                # a pending reprint (Kivy Clock event)

    # --- what to print ------------------------------------------------------------------------

    def ticket(self, info: dict) -> None:
        lesson = self.runtime.catalog.get(info["lesson"]) if info.get("lesson") else None
        doing = lesson.title if lesson else None
        if doing and info.get("step") and info.get("steps"):
            doing += f" – Bước {info['step']}/{info['steps']}"
        self._last = {"number": info["number"], "session": info.get("session_id"), "doing": doing,
                      "group": info.get("group")}
        self._start(self._print_ticket, dict(self._last), None)

    def priority_changed(self, group: str | None) -> None:
        if self._settle is not None:
            self._settle.cancel()
        self._settle = Clock.schedule_once(lambda dt: self._reprint(group), PRIORITY_SETTLE)

    def _reprint(self, group: str | None) -> None:
        self._settle = None
        last = self._last
        if last is None or last["group"] == group or self.runtime.state.ticket != last["number"]:
            return
        last["group"] = group
        self._start(self._print_ticket, dict(last), REPRINTED)

    def checklist(self, lesson_id: str) -> None:
        lesson = self.runtime.catalog.get(lesson_id)
        if lesson is None:
            return
        image = slip.checklist_image(slip.ChecklistSlip(lesson.title, list(lesson.take_home_lines),
                                                        lesson.link), self.width)
        self._start(self._print_checklist, lesson_id, image)

    def wait(self, timeout: float) -> None:
        for t in list(self._threads):
            t.join(timeout)

    # --- on the printing thread ------------------------------------------------------------------

    def _start(self, target, *args) -> None:
        t = threading.Thread(target=target, args=args, daemon=True, name="slip-printer")
        self._threads = [x for x in self._threads if x.is_alive()] + [t]
        t.start()

    def _print_ticket(self, last: dict, done_notice: str | None) -> None:
        number = last["number"]
        try:
            read = self._read(number, last["session"])
            if read is None and done_notice:  # called (or served) meanwhile: no new slip
                return
            before, minutes, created = read or (None, None, None)
            issued = (dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if created
                      else now_utc()).astimezone(centre_zone())
            image = slip.ticket_image(slip.TicketSlip(
                number, issued, before, last["doing"], PRIORITY_LABELS.get(last["group"] or ""),
                minutes), self.width)
            device.print_image(self.spec, image)
        except Exception as e:  # PrinterError, or a read that failed: the visitor is told either way
            log.warning("queue slip %s not printed: %s", number, e)
            self._main(self._notice, PRINTER_NOTICE, PRINT_FAILED)
            return
        self.printed += 1
        log.info("queue slip %s printed on %s%s", number, self.spec,
                 f" (priority {last['group']})" if last["group"] else "")
        self._main(self._notice, PRINTER_NOTICE, None)
        if done_notice:
            self._main(self._paper, done_notice)

    def _print_checklist(self, lesson_id: str, image) -> None:
        try:
            device.print_image(self.spec, image)
        except Exception as e:
            log.warning("checklist of %s not printed: %s", lesson_id, e)
            self._main(self._paper, NOT_PRINTED)
            return
        self.printed += 1
        log.info("checklist of %s printed on %s", lesson_id, self.spec)
        self._main(self._paper, PRINTED)

    def _read(self, number: str, session_id: str | None):
        """(people before, estimated minutes, created_at) of the waiting ticket, or None. With a
        shared queue its place is read there (the number was given there), else, or while it
        does not answer, in the kiosk's log (where an offline number waits)."""
        if self.shared is not None:
            try:
                found = self._read_from(self.shared.conn, number, session_id)
                if found is not None:
                    return found
            except StoreError as e:
                log.info("shared queue not read for the slip (%s); reading this kiosk's log", e)
        # a read-only connection of its own: this thread never shares the writer's
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=2.0)
        try:
            return self._read_from(conn, number, session_id)
        finally:
            conn.close()

    @staticmethod
    def _read_from(conn, number: str, session_id: str | None):
        found = place_in_queue(conn, number)
        if found is None:
            return None
        before, created = found
        place = place_of(conn, session_id, now_utc()) if session_id else None
        if place is not None and place.number == number:
            return place.before, place.minutes, created
        return before, None, created

    # --- on the main thread ----------------------------------------------------------------------

    @staticmethod
    def _main(fn, *args) -> None:
        Clock.schedule_once(lambda dt: fn(*args), 0)

    def _notice(self, key: str, notice: str | None) -> None:
        had = self.runtime.notices.get(key)
        if notice:
            self.runtime.notices[key] = notice
        else:
            self.runtime.notices.pop(key, None)
        if had != notice:
            self.app.render()

    def _paper(self, words: str) -> None:
        """A printed (or not printed) checklist or new slip: shown for a while, and said."""
        self._notice("paper", words)
        self.runtime.say(words, "feedback")

        def clear(dt):
            if self.runtime.notices.get("paper") == words:
                self._notice("paper", None)
        Clock.schedule_once(clear, PAPER_NOTICE_FOR)
