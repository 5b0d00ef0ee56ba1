"""The log writer: one owner of the SQLite connection; the screen only hands it writes, in order.

Why: a locked database (another process holding BEGIN EXCLUSIVE), a full disk, a read-only
folder, a deleted or damaged file must never freeze a tap nor lose a visitor's session, also when
the trouble is already there at start. Writes wait in order in memory, and in a spill file (JSON
lines, fsync; kiosk.core.data.spill) in a second writable place, and are written as soon as the cause
clears. A damaged ("junk") database is moved aside with the time in its name and a fresh one made,
a deleted one rewritten from the open connection (kiosk.core.data.logfile).

Two ways to drive it, one code path: `threaded=True` (the kiosk: a background thread drains the
queue with backoff, taps never wait for SQLite) and `threaded=False` (unit tests and tools: each
submit drains at once, `pump()` retries), so tests can read the log right after a tap.

Standard library only (threading, collections.deque, concurrent.futures.Future): a persistent
queue library (persist-queue, diskcache) would keep its queue in the very folder that is failing.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.data import logfile, queue
from kiosk.core.data.shared_queue import SharedQueueDown
from kiosk.core.data.spill import Spill, spill_for
from kiosk.core.data.store import Store, StoreError

log = logging.getLogger("kiosk.writer")

MAX_PENDING = 10_000          # writes kept in memory; beyond that the oldest is dropped (counted)
BACKOFF_MIN, BACKOFF_MAX = 0.2, 2.0   # seconds between attempts while the log cannot be written
THREAD_BUSY_MS = 1000         # the writer's own busy timeout: it retries anyway, and a ticket waits

# The writes a spill file may hold: name -> how to apply it (see _apply).
DURABLE = ("start_session", "end_session", "set_session_modes", "log_many", "set_priority")
ASKS = ("create_ticket", "ticket_call", "ticket_place")   # answered to a waiting caller; never spilled or retried
SHARED = ("create_ticket", "ticket_call", "ticket_place", "set_priority")  # via a shared queue if any
FLUSH_EVERY = 10.0            # seconds between tries to send offline tickets to a shared queue


@dataclass
class Op:
    name: str
    kw: dict
    future: Future | None = None    # an ask: answered once, dropped if it fails or times out
    spilled: bool = False           # also in the spill file
    replay: bool = False            # read back from a spill file: skip what the log already has

    def line(self) -> str:
        return json.dumps({"op": self.name, "kw": self.kw}, ensure_ascii=False)


@dataclass
class CloseReport:
    written: int = 0
    spilled: int = 0        # kept in the spill file: written at the next start
    lost: int = 0
    spill_path: str | None = None


class Writer:
    def __init__(self, path: Path | None = None, *, store: Store | None = None,
                 threaded: bool = False, spill: Spill | None | bool = True,
                 busy_ms: int | None = None, tickets=None):
        self.path = Path(path) if path is not None else store.path
        self.store = store
        self.threaded = threaded
        self.busy_ms = busy_ms if busy_ms is not None else (THREAD_BUSY_MS if threaded else None)
        self.spill = spill_for(self.path) if spill is True else (spill or None)
        self.failing = False
        self.error = ""             # the last failure, English
        self.moved_aside: list[Path] = []
        self.written = 0
        self.lost = 0
        # a centre's shared queue (kiosk.core.data.shared_queue.Tickets), or None: this log only
        self.tickets = tickets
        self._flush_at = 0.0
        self._identity = logfile.identity(self.path) if store is not None else None
        self._queue: deque[Op] = deque()
        self._cv = threading.Condition()
        self._retry_at = 0.0
        self._backoff = BACKOFF_MIN
        self._in_spill = 0
        self._spill_ok = True       # the last spill append worked (else wait for the next retry)
        self._closing = self._abort = False
        self._thread: threading.Thread | None = None
        self._load_spill()
        if threaded:
            self._thread = threading.Thread(target=self._run, name="log-writer", daemon=True)
            self._thread.start()
        elif self._queue:
            self._drain()

    # --- the screen's side: never waits on SQLite ---------------------------------------------

    def submit(self, name: str, **kw) -> None:
        """A write that must reach the log, in order (spilled while the log is down)."""
        assert name in DURABLE, name
        self._put(Op(name, kw))

    def ask(self, name: str, **kw) -> Future:
        """A write or read whose answer someone waits for (a queue number, a staff call). Tried
        once when its turn comes; cancel() it while queued and it is never done (no ticket that
        nobody holds)."""
        assert name in ASKS, name
        op = Op(name, kw, future=Future())
        self._put(op)
        return op.future

    def pump(self) -> None:
        """Retry now (the unthreaded writer; the threaded one retries on its own)."""
        if not self.threaded and self._queue:
            self._drain()

    @property
    def backlog(self) -> int:
        return len(self._queue)

    @property
    def healthy(self) -> bool:
        return not self.failing

    def _put(self, op: Op) -> None:
        with self._cv:
            if self._closing:
                raise RuntimeError("the log writer is closed")
            if len(self._queue) >= MAX_PENDING:
                self._drop_oldest()
            self._queue.append(op)
            self._cv.notify()
        if not self.threaded:
            self._drain()

    def _drop_oldest(self) -> None:
        """Memory is bounded. A dropped write that is in the spill file is not lost: the file is
        then kept (its count never reaches zero) and written, without duplicates, at the next start."""
        old = self._queue.popleft()
        if old.future is not None:
            old.future.cancel()
        elif not old.spilled:
            self.lost += 1
            log.error("log backlog full (%d writes) and no spill file; dropped the oldest (%s)",
                      MAX_PENDING, old.name)

    # --- the writer's side ------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cv:
                while True:
                    if self._abort or (self._closing and not self._queue):
                        return
                    now = time.monotonic()
                    due = self._queue or self.failing or self.store is None
                    if due and now >= self._retry_at:
                        break  # writes to do, or a log to (re)open: also with nothing queued
                    if self.failing and self._spill_ok and self._unspilled():
                        break  # spill a new write now, not at the next retry
                    if self.tickets is not None and now >= self._flush_at and not self.failing:
                        break  # offline tickets to send to the shared queue, if it is back
                    wait = self._retry_at - now if due else None
                    if self.tickets is not None and not self.failing:  # wake for the next flush
                        wait = max(0.0, min(wait if wait is not None else FLUSH_EVERY,
                                            self._flush_at - now))
                    self._cv.wait(wait)
            if self.failing:
                self._spill_waiting()
            if time.monotonic() >= self._retry_at:
                self._drain()
            self._flush_offline()

    def _flush_offline(self) -> None:
        """Every FLUSH_EVERY seconds: tickets numbered offline go to the shared queue once it
        answers again (kiosk.core.data.shared_queue), so the console sees them without waiting for
        this kiosk's next visitor."""
        if self.tickets is None or time.monotonic() < self._flush_at:
            return
        self._flush_at = time.monotonic() + FLUSH_EVERY
        if self.failing or self.store is None:
            return  # the log itself is down: its offline tickets wait for it
        try:
            self.tickets.tick(self.store)
        except SharedQueueDown:
            pass  # said once by Tickets; tried again later
        except (StoreError, sqlite3.Error) as e:
            log.warning("cannot read offline tickets to send: %s", e)

    def send_offline(self) -> int:
        """Send offline tickets to the shared queue now (`kiosk queue flush`): how many were new.
        Raises SharedQueueDown or StoreError. The unthreaded writer only: it owns no thread."""
        assert not self.threaded and self.tickets is not None
        self._ensure_store()
        return self.tickets.flush(self.store)

    def _unspilled(self) -> bool:
        return self.spill is not None and any(not op.spilled and op.future is None
                                              for op in reversed(self._queue))

    def _drain(self) -> None:
        """Write queued ops in order until the queue is empty or the log fails."""
        try:  # open early: a damaged file is moved aside, the notice shown, before any write
            self._ensure_store()
            if self.failing and not self._queue:  # only an ask failed: is the lock gone now?
                self.store.transact(lambda c: None)
        except StoreError as e:
            self._note_failure(e)
            return
        while True:
            with self._cv:
                if not self._queue or self._abort:
                    break
                op = self._queue.popleft()
            if op.future is not None and not op.future.set_running_or_notify_cancel():
                continue  # the caller gave up waiting: never write it
            try:
                result = self._apply_checked(op)
            except StoreError as e:
                self._failed(e, op)
                return
            except Exception as e:  # a bug in one write must not block every later one
                log.exception("log write %s failed for good", op.name)
                if op.future is not None:
                    op.future.set_exception(e)
                else:
                    self.lost += 1
                    self._in_spill -= op.spilled  # else its spill file would be replayed forever
                continue
            self._done(op, result)
        self._recovered()

    def _apply_checked(self, op: Op):
        self._ensure_store()
        if self.tickets is not None and op.name in SHARED:
            try:
                return getattr(self.tickets, op.name)(self.store, **op.kw)
            except sqlite3.Error as e:
                raise StoreError(f"cannot read the log database {self.store.path}: {e}") from e
        return _apply(self.store, op)

    def _done(self, op: Op, result) -> None:
        if op.future is not None:
            op.future.set_result(result)
            return
        self.written += 1
        if op.spilled:
            with self._cv:
                self._in_spill -= 1

    def _failed(self, error: StoreError, op: Op) -> None:
        if op.future is None:
            with self._cv:
                self._queue.appendleft(op)
        self._note_failure(error)  # first: whoever waits for the answer then sees the notice too
        if op.future is not None:
            op.future.set_exception(error)   # a ticket is not kept for later: the visitor is told

    def _note_failure(self, error: StoreError) -> None:
        if not self.failing:
            log.error("%s; keeping writes in memory%s and retrying", error,
                      " and in a spill file" if self.spill else "")
        self.failing, self.error = True, str(error)
        self._retry_at = time.monotonic() + self._backoff
        self._backoff = min(BACKOFF_MAX, self._backoff * 2)
        self._spill_waiting()

    def _recovered(self) -> None:
        if self.failing and not self._queue:
            log.warning("log database writable again; backlog written (%d writes so far)", self.written)
            self.failing, self.error = False, ""
        if not self.failing:
            self._backoff = BACKOFF_MIN
        if self.spill is not None and self._in_spill <= 0 and self.spill.exists():
            self._in_spill = 0
            self.spill.remove()

    # --- the spill file ------------------------------------------------------------------------

    def _spill_waiting(self) -> None:
        if self.spill is None:
            return
        with self._cv:
            todo = [op for op in self._queue if not op.spilled and op.future is None]
        if not todo:
            return
        self._spill_ok = self.spill.append([op.line() for op in todo])
        if self._spill_ok:
            with self._cv:
                for op in todo:
                    op.spilled = True
                self._in_spill += len(todo)

    def _load_spill(self) -> None:
        if self.spill is None:
            return
        ops = []
        for item in self.spill.read():
            if item.get("op") in DURABLE and isinstance(item.get("kw"), dict):
                ops.append(Op(item["op"], item["kw"], spilled=True, replay=True))
            else:
                log.error("spill file %s: skipped an unknown line", self.spill.path)
        if ops:
            log.warning("%d writes from %s (an earlier run) are written to the log first",
                        len(ops), self.spill.path)
            self._queue.extend(ops)
            self._in_spill = len(ops)

    # --- opening, damaged and deleted files ----------------------------------------------------

    def _ensure_store(self) -> None:
        if self.store is not None:
            now = logfile.identity(self.path)
            if now == self._identity:
                return
            logfile.follow(self.store, self.path, deleted=now is None)
            self.store = None
        if self.store is None:
            self.store, kept = logfile.open_log(self.path, self.busy_ms)
            self._identity = logfile.identity(self.path)
            if kept is not None:
                self.moved_aside.append(kept)

    # --- shutdown -------------------------------------------------------------------------------

    def close(self, wait: float = 5.0) -> CloseReport:
        """Write what can be written within `wait` seconds; spill the rest; count what is lost."""
        with self._cv:
            self._closing = True
            self._retry_at = 0.0
            self._cv.notify()
        if self._thread is not None:
            self._thread.join(wait)
            if self._thread.is_alive():
                with self._cv:
                    self._abort = True
                    self._cv.notify()
                self._thread.join((self.busy_ms or 5000) / 1000 + 2)
        else:
            deadline = time.monotonic() + wait
            while self._queue and time.monotonic() < deadline:
                self._drain()
                if self._queue:
                    time.sleep(min(self._backoff, max(0.0, deadline - time.monotonic())))
        return self._final_report()

    def _final_report(self) -> CloseReport:
        with self._cv:
            left = [op for op in self._queue if op.future is None]
            for op in self._queue:
                if op.future is not None:
                    op.future.cancel()
            self._queue.clear()
        report = CloseReport(written=self.written, lost=self.lost)
        unspilled = [op for op in left if not op.spilled]
        if unspilled and self.spill is not None and self.spill.append([op.line() for op in unspilled]):
            for op in unspilled:
                op.spilled = True
        report.spilled = sum(op.spilled for op in left)
        report.lost += sum(not op.spilled for op in left)
        report.spill_path = str(self.spill.path) if self.spill and report.spilled else None
        if report.spilled:
            log.warning("%d log writes could not reach %s (%s); kept in %s and written at the next start",
                        report.spilled, self.path, self.error or "closing", report.spill_path)
        if report.lost:
            log.error("%d log writes LOST at shutdown: %s, and no spill file could be written",
                      report.lost, self.error or "the log database could not be written")
        if self.store is not None:
            try:
                self.store.close()
            except sqlite3.Error:
                pass
        return report


def _apply(store: Store, op: Op):
    kw = op.kw
    if op.name == "log_many":
        records = kw["records"]
        if op.replay:
            records = [r for r in records if not _logged(store, r)]
        return store.log_many(records) if records else None
    if op.name == "start_session":
        if op.replay and store.conn.execute("SELECT 1 FROM sessions WHERE id = ?",
                                            (kw["session_id"],)).fetchone():
            return None
        return store.start_session(**kw)
    if op.name in ("set_priority", "ticket_call", "ticket_place"):
        try:
            return getattr(queue, op.name)(store, **kw)
        except sqlite3.Error as e:  # the reads of ticket_call are not wrapped by the store
            raise StoreError(f"cannot read the log database {store.path}: {e}") from e
    if op.name in ("end_session", "set_session_modes", "create_ticket"):
        return getattr(store, op.name)(**kw)
    raise ValueError(f"unknown log write {op.name!r}")


def _logged(store: Store, r: dict) -> bool:
    """Is this event from a spill file already in the log? (A crash after its commit but before
    the spill file was removed.) Session, time to the microsecond, kind and data tell it apart;
    no extra column or table is needed."""
    data = json.dumps(r.get("data") or {}, ensure_ascii=False)
    return store.conn.execute(
        "SELECT 1 FROM events WHERE session_id IS ? AND ts = ? AND kind = ? AND data = ? LIMIT 1",
        (r.get("session_id"), r.get("at"), r["kind"], data)).fetchone() is not None
