"""One queue for a centre with several kiosks: the kiosk's side, plain Python.

A centre with more than one kiosk keeps its queue in the centre's PostgreSQL (KIOSK_QUEUE_DB),
so the console and every kiosk see one list with one numbering. The database access lives in
an outer layer (kiosk.central.queue_db) behind the small `SharedQueue` interface below; the core
only decides what happens when it does not answer:

- a visitor never waits on the network: each call has short timeouts (set by the outer layer),
  and after a failure the shared queue is not tried again for RETRY_AFTER seconds;
- while it is down the kiosk numbers tickets in its own log, under a letter that the shared
  queue gave this kiosk alone (X001, Y001 ...: see kiosk.central.queue_db), so the numbers it
  hands out offline can never be a number the shared queue hands out or another kiosk's;
- once it answers again, `flush` sends those offline tickets (with their priority) into the
  shared queue, in order, each exactly once: the server keys them by (kiosk, local id) and
  ignores one it has, and the kiosk moves its mark only after the server's commit.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Protocol

from kiosk.core.data import identity
from kiosk.core.data import queue as local_queue
from kiosk.core.data.store import Store, StoreError, put_setting, setting, utcnow

log = logging.getLogger("kiosk.shared_queue")

RETRY_AFTER = 5.0                 # seconds without trying the shared queue after it failed
LETTER_KEY = "shared_queue_letter"   # in the log's settings: this kiosk's offline letter
MARK_KEY = "shared_queue_sent"       # in the log's settings: the last offline ticket sent
FALLBACK_LETTER = "Z"             # before the shared queue ever answered (README: set one)
OFFLINE_COLUMNS = ("id", "number", "day", "session_id", "created_at", "lesson", "step", "context",
                   "priority")


class SharedQueueDown(Exception):
    """The shared queue did not answer in time or refused (English, for the log)."""


class SharedQueueError(StoreError):
    """The shared queue's store-like side could not read or write (the console says which
    database did not answer: the centre's queue, not its own log)."""


class SharedQueue(Protocol):
    """What the kiosk needs from the centre's queue (kiosk.central.queue_db.QueueDb)."""

    def letter(self, kiosk: str) -> str: ...
    def create_ticket(self, kiosk: str, session_id: str | None, context: dict, at: str) -> str: ...
    def ticket_call(self, session_id: str) -> local_queue.Call | None: ...
    def ticket_place(self, session_id: str): ...
    def set_priority(self, session_id: str, group: str | None) -> None: ...
    def merge(self, kiosk: str, tickets: list[dict]) -> int: ...


class Tickets:
    """The kiosk's queue calls, through the shared queue when it answers, else its own log."""

    def __init__(self, shared: SharedQueue, clock=time.monotonic):
        self.shared = shared
        self.clock = clock
        self.down_until = 0.0
        self.error = ""

    @property
    def up(self) -> bool:
        return self.clock() >= self.down_until

    def _try(self, what: str, fn, store: Store | None = None):
        """fn() (or fn(kiosk id) when `store` is given) through the shared queue; SharedQueueDown
        at once while it is known down."""
        if not self.up:
            raise SharedQueueDown(self.error or "the shared queue is down")
        try:
            if store is None:
                return fn()
            kiosk = identity.current(store.conn).kiosk
            if not kiosk:  # (kiosk, local id) keys offline tickets: two kiosks without ids would clash
                raise SharedQueueDown("this kiosk has no identity (`kiosk identity set`), so it "
                                      "cannot use the shared queue")
            return fn(kiosk)
        except SharedQueueDown as e:
            if self.up:
                log.warning("shared queue: %s failed (%s); the kiosk's own log is used for %.0f s",
                            what, e, RETRY_AFTER)
            self.down_until, self.error = self.clock() + RETRY_AFTER, str(e)
            raise

    # --- the visitor's calls (the log writer's asks) -------------------------------------------

    def create_ticket(self, store: Store, session_id: str | None, context: dict,
                      at: str | None = None) -> str:
        at = at or utcnow()
        try:
            self.flush(store)  # offline tickets first: they came first
            if setting(store.conn, LETTER_KEY) is None:  # known before it is needed offline
                self.learn_letter(store)
            return self._try("a new ticket",
                             lambda k: self.shared.create_ticket(k, session_id, context, at), store)
        except SharedQueueDown:
            letter = setting(store.conn, LETTER_KEY) or FALLBACK_LETTER
            number = store.create_ticket(session_id, dict(context, offline=True), at=at, letter=letter)
            log.warning("shared queue unreachable: offline number %s from this kiosk's log", number)
            return number

    def ticket_call(self, store: Store, session_id: str) -> local_queue.Call | None:
        try:
            self.flush(store)
            return self._try("reading a call", lambda: self.shared.ticket_call(session_id))
        except SharedQueueDown:
            return local_queue.ticket_call(store, session_id)

    def ticket_place(self, store: Store, session_id: str):
        try:
            self.flush(store)
            return self._try("reading a place", lambda: self.shared.ticket_place(session_id))
        except SharedQueueDown:
            return local_queue.ticket_place(store, session_id)

    def set_priority(self, store: Store, session_id: str, group: str | None) -> None:
        """Always in the kiosk's log (its report, its offline ticket); on the shared ticket too."""
        local_queue.set_priority(store, session_id, group)
        try:
            self._try("a priority", lambda: self.shared.set_priority(session_id, group))
        except SharedQueueDown:
            pass  # an offline ticket carries it when flushed; a shared one keeps its first group

    # --- offline tickets into the shared queue -------------------------------------------------

    def unsent(self, store: Store) -> list[dict]:
        mark = int(setting(store.conn, MARK_KEY) or 0)
        rows = store.conn.execute(
            f"SELECT {', '.join(OFFLINE_COLUMNS)} FROM tickets WHERE id > ? ORDER BY id", (mark,)).fetchall()
        out = []
        for row in rows:
            t = dict(zip(OFFLINE_COLUMNS, row))
            if json.loads(t["context"] or "{}").get("offline"):
                out.append(t)
        return out

    def flush(self, store: Store) -> int:
        """Send the offline tickets the shared queue does not have yet. Returns how many were new;
        raises SharedQueueDown when it does not answer (they stay, marked unsent)."""
        todo = self.unsent(store)
        if not todo:
            return 0
        new = self._try("sending offline tickets", lambda k: self.shared.merge(k, todo), store)
        ids = [t["id"] for t in todo]

        def mark(c):
            # its state lives in the shared queue from now on: 'shared' here, so that this log
            # never counts it as waiting (a later offline place) and its report says where it went
            c.execute(f"UPDATE tickets SET status = 'shared', updated_at = ? WHERE status = 'waiting' "
                      f"AND id IN ({', '.join('?' for _ in ids)})", (utcnow(), *ids))
            put_setting(c, MARK_KEY, str(ids[-1]))
        store.transact(mark)
        log.warning("shared queue back: %d offline tickets sent (%d new)", len(todo), new)
        return new

    def tick(self, store: Store) -> None:
        """The log writer's timer: learn the letter if unknown, send offline tickets. Without
        either to do it costs no network round trip. Raises SharedQueueDown."""
        if setting(store.conn, LETTER_KEY) is None:
            self.learn_letter(store)
        self.flush(store)

    def learn_letter(self, store: Store) -> str | None:
        """Ask the shared queue for this kiosk's offline letter and keep it in the log."""
        try:
            letter = self._try("asking the offline letter", self.shared.letter, store)
        except SharedQueueDown:
            return setting(store.conn, LETTER_KEY)
        if setting(store.conn, LETTER_KEY) != letter:
            store.transact(lambda c: put_setting(c, LETTER_KEY, letter))
        return letter
