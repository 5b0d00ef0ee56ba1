"""Keeps the kiosk's view of the staff queue fresh: the visitor's place and wait, and the numbers
being called (for the welcome screen's board).

A Kivy Clock poll every POLL_SECONDS hands one read to a worker thread with a read-only SQLite
connection of its own (the log is in WAL mode: readers never wait for the writer), and passes
its answer to the runtime at a later poll. The screen never waits on the database; a failing
read is logged once and tried again. What the answers mean is decided in kiosk.core
(queue_wait, queue_flow). A kiosk of a centre with a shared queue (KIOSK_QUEUE_DB) reads that
queue, and its own log while the shared one does not answer (kiosk.core.data.shared_queue).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from kivy.clock import Clock

from kiosk.core.data.queue_wait import CallBoard, calls_now, place_of
from kiosk.core.data.shared_queue import RETRY_AFTER
from kiosk.core.data.store import StoreError
from kiosk.core.data.timeutil import now_utc

log = logging.getLogger("kiosk.queue")

POLL_SECONDS = 1.0
WARN_AFTER = 10   # failed reads in a row before a warning (at start the log is still being made)


class QueueWatch:
    def __init__(self, runtime, db: Path, shared=None):
        self.runtime = runtime
        self.db = Path(db)
        self.shared = shared        # kiosk.central.queue_db.QueueDb, used on the worker thread
        self._shared_down_until = 0.0
        self.board = CallBoard()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="queue-watch")
        self._conn: sqlite3.Connection | None = None   # used only on the worker thread
        self._pending: tuple[Future, str | None] | None = None  # a read, and whose place it asked
        self._failing = 0
        self._event = Clock.schedule_interval(self._poll, POLL_SECONDS)

    def stop(self) -> None:
        if self._event is None:
            return
        self._event.cancel()
        self._event = None
        self._pool.submit(self._close)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _poll(self, _dt=None) -> None:
        if self._pending is not None:
            done, asked = self._pending
            if not done.done():
                return
            self._pending = None
            self._deliver(done, asked)
        sid = self._wanted()
        self._pending = (self._pool.submit(self._read, sid), sid)

    def _wanted(self) -> str | None:
        """The session whose place to read: the visitor's while their number waits."""
        rt = self.runtime
        return rt.session_id if rt.state.ticket and rt.state.called_to is None else None

    def _deliver(self, done: Future, asked: str | None = None) -> None:
        try:
            place, calls = done.result()
        except Exception as e:  # locked for long, damaged, not created yet: try again later
            self._failing += 1
            (log.warning if self._failing == WARN_AFTER else log.debug)("cannot read the queue: %s", e)
            return
        if self._failing >= WARN_AFTER:
            log.info("the queue can be read again")
        self._failing = 0
        if asked != self._wanted():
            # asked for another moment (before this visitor's number existed, or another
            # session): its place is stale. Keep the place the kiosk has, said with the number;
            # else the place left the screen and R for a second after every new ticket.
            place = self.runtime.state.place
        self.runtime.queue_seen(place, calls, self.board.update(calls))

    # --- on the worker thread --------------------------------------------------------------

    def _read(self, session_id: str | None):
        if self.shared is not None and time.monotonic() >= self._shared_down_until:
            try:
                return self._read_from(self.shared.conn, session_id)
            except StoreError as e:
                log.debug("shared queue not read (%s); reading this kiosk's log", e)
                self._shared_down_until = time.monotonic() + RETRY_AFTER
        try:
            return self._read_from(self._connect(), session_id)
        except sqlite3.Error:
            self._close()
            raise

    @staticmethod
    def _read_from(conn, session_id: str | None):
        now = now_utc()
        place = place_of(conn, session_id, now) if session_id else None
        return place, calls_now(conn, now)

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=0.5)
        return self._conn

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def attach_queue_watch(app, runtime, db: Path, shared=None) -> QueueWatch:
    watch = QueueWatch(runtime, db, shared)
    app.bind(on_stop=lambda *_: watch.stop())
    return watch
