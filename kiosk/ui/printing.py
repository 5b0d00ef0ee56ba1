"""The receipt printer in the running kiosk: a queue slip for every number that is on disk.

Printing runs on its own thread (a slow or missing printer never holds the screen). When it
fails the kiosk says so plainly in the notice strip and carries on; the number stays on screen.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from pathlib import Path

from kivy.clock import Clock

from kiosk.core.data.queue import place_in_queue
from kiosk.core.data.timeutil import centre_zone
from kiosk.printer import device, slip

log = logging.getLogger("kiosk.printer")

PRINT_WAIT = 10.0  # seconds the kiosk waits at shutdown for slips still being sent
PRINT_FAILED = "Máy in chưa in được phiếu. Bạn nhớ giúp số thứ tự trên màn hình nhé."


def attach_printer(app, runtime, db: Path):
    """Print a slip for each committed queue number when KIOSK_PRINTER names a printer."""
    try:
        spec = device.configured()
        width = device.paper_width() if spec else 0
    except device.PrinterError as e:
        log.warning("receipt printer not used: %s", e)
        return None
    if spec is None:
        return None
    printer = SlipPrinter(app, runtime, spec, width, Path(db))
    runtime.on_ticket.append(printer.ticket)
    app.bind(on_stop=lambda *_: printer.wait(PRINT_WAIT))  # a slip being sent is not cut off
    return printer


class SlipPrinter:
    def __init__(self, app, runtime, spec, width: int, db: Path):
        self.app, self.runtime, self.spec, self.width, self.db = app, runtime, spec, width, db
        self.printed = 0
        self._threads: list[threading.Thread] = []

    def ticket(self, info: dict) -> None:
        lesson = self.runtime.catalog.get(info["lesson"]) if info.get("lesson") else None
        doing = lesson.title if lesson else None
        if doing and info.get("step") and info.get("steps"):
            doing += f" – Bước {info['step']}/{info['steps']}"
        t = threading.Thread(target=self._print, args=(info["number"], doing), daemon=True,
                             name="slip-printer")
        self._threads = [x for x in self._threads if x.is_alive()] + [t]
        t.start()

    def wait(self, timeout: float) -> None:
        for t in list(self._threads):
            t.join(timeout)

    def _print(self, number: str, doing: str | None) -> None:
        try:
            place = self._place(number)
            before, created = place if place else (None, None)
            issued = (dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if created
                      else dt.datetime.now(dt.timezone.utc)).astimezone(centre_zone())
            image = slip.ticket_image(slip.TicketSlip(number, issued, before, doing), self.width)
            device.print_image(self.spec, image)
        except Exception as e:  # PrinterError, or a read that failed: the visitor is told either way
            log.warning("queue slip %s not printed: %s", number, e)
            Clock.schedule_once(lambda dt: self._show(PRINT_FAILED), 0)
            return
        self.printed += 1
        log.info("queue slip %s printed on %s", number, self.spec)
        Clock.schedule_once(lambda dt: self._show(None), 0)

    def _place(self, number: str):
        # a read-only connection of its own: this thread never shares the writer's
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=2.0)
        try:
            return place_in_queue(conn, number)
        finally:
            conn.close()

    def _show(self, notice: str | None) -> None:
        had = "printer" in self.runtime.notices
        if notice:
            self.runtime.notices["printer"] = notice
        else:
            self.runtime.notices.pop("printer", None)
        if had != bool(notice):
            self.app.render()
