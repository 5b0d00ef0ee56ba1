"""The staff queue on top of the log: priority, call, recall, serve, no-show, transfer.

Plain Python (no Kivy, no web framework). Every staff action is one transaction that changes the
ticket, appends a row to `ticket_history` and writes an event in the log, so the three can never
disagree, and nothing is reported done before it is on disk.

Order of the queue: visitors who said they are elderly, disabled or pregnant first (as Vietnamese
service counters do), then first come, first served.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from dataclasses import dataclass

from kiosk.core.data.queue_wait import place_of
from kiosk.core.data.store import Store, StoreError, utcnow
from kiosk.core.data.timeutil import now_utc

PRIORITY_GROUPS = ("elderly", "disabled", "pregnant")
OUTCOMES = ("resolved_at_kiosk", "done_at_counter", "referred", "not_possible")
CATEGORIES = ("vneid", "dvc", "payment", "health", "safety", "internet", "kiosk", "other")
STATUSES = ("waiting", "called", "served", "no_show")
OPEN = ("waiting", "called")

TICKET_COLUMNS = ("id, number, day, session_id, created_at, status, lesson, step, context, priority, "
                  "counter, calls, called_at, first_called_at, served_at, outcome, category, staff, "
                  "updated_at, (SELECT end_reason FROM sessions s WHERE s.id = tickets.session_id) AS session_end")
_COLUMN_NAMES = [c.split(" AS ")[-1].strip() for c in TICKET_COLUMNS.split(",")]


class QueueError(Exception):
    """A staff action that does not fit the ticket's state. `code` names it for the console."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Call:
    """What the kiosk must announce: the visitor's number, the counter, and which call it is."""
    ticket_id: int
    number: str
    counter: int
    calls: int


def parse_ts(ts: str | None) -> dt.datetime | None:
    if not ts:
        return None
    return dt.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.timezone.utc)


def seconds_between(a: str | None, b: str | None) -> float | None:
    ta, tb = parse_ts(a), parse_ts(b)
    if ta is None or tb is None:
        return None
    return (tb - ta).total_seconds()


def is_busy(error: BaseException) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text


def with_retries(fn, attempts: int = 4, delay: float = 0.25):
    """Run a write; when the database is locked by the other process, wait and try again.

    Any other failure (disk full, read-only, damaged) is raised at once: retrying cannot help
    and the caller must say that the action was not saved.
    """
    for i in range(attempts):
        try:
            return fn()
        except StoreError as e:
            if not is_busy(e) or i == attempts - 1:
                raise
            time.sleep(delay * (i + 1))


def _ticket_row(row: sqlite3.Row | tuple, now: str | None = None) -> dict:
    t = dict(zip(_COLUMN_NAMES, row))
    t["context"] = json.loads(t["context"] or "{}")
    t["shown_number"] = t["context"].get("local_number") or t["number"]
    end = t["first_called_at"] or (now or utcnow())
    t["waited_seconds"] = seconds_between(t["created_at"], end)
    return t


class Queue:
    def __init__(self, store: Store, retries: int = 4):
        self.store = store
        self.retries = retries

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.conn

    # --- reading -----------------------------------------------------------------------------

    def waiting(self, limit: int | None = None) -> list[dict]:
        sql = (f"SELECT {TICKET_COLUMNS} FROM tickets WHERE status = 'waiting' "
               "ORDER BY (priority IS NULL), created_at, id")
        if limit:
            sql += f" LIMIT {int(limit)}"
        now = utcnow()
        return [_ticket_row(r, now) for r in self.conn.execute(sql)]

    def called(self, counter: int | None = None) -> list[dict]:
        sql = f"SELECT {TICKET_COLUMNS} FROM tickets WHERE status = 'called'"
        args: list = []
        if counter is not None:
            sql += " AND counter = ?"
            args.append(counter)
        now = utcnow()
        return [_ticket_row(r, now) for r in self.conn.execute(sql + " ORDER BY called_at", args)]

    def counts(self) -> dict:
        rows = self.conn.execute(
            "SELECT status, COUNT(*), SUM(CASE WHEN priority IS NOT NULL THEN 1 ELSE 0 END) FROM tickets "
            "WHERE status IN ('waiting', 'called') GROUP BY status").fetchall()
        out = {"waiting": 0, "called": 0, "priority_waiting": 0}
        for status, n, prio in rows:
            out[status] = n
            if status == "waiting":
                out["priority_waiting"] = prio or 0
        return out

    def ticket(self, ticket_id: int) -> dict | None:
        row = self.conn.execute(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?",
                                (ticket_id,)).fetchone()
        return _ticket_row(row) if row else None

    def recent(self, limit: int = 200, status: str | None = None, day: str | None = None) -> list[dict]:
        """Tickets, newest first (the history page)."""
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if day:
            where.append("day = ?")
            args.append(day)
        sql = f"SELECT {TICKET_COLUMNS} FROM tickets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY id DESC LIMIT {int(limit)}"
        return [_ticket_row(r) for r in self.conn.execute(sql, args)]

    def history(self, ticket_id: int) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, ts, action, status, counter, staff, data FROM ticket_history "
            "WHERE ticket_id = ? ORDER BY id", (ticket_id,)).fetchall()
        return [{"id": r[0], "ts": r[1], "action": r[2], "status": r[3], "counter": r[4],
                 "staff": r[5], "data": json.loads(r[6] or "{}")} for r in rows]

    def counters(self) -> list[dict]:
        return [{"id": r[0], "name": r[1]} for r in self.conn.execute(
            "SELECT id, name FROM counters WHERE active = 1 ORDER BY id")]

    def version(self) -> str:
        """Changes whenever the queue changes (a new ticket, an action, a priority)."""
        (h,) = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM ticket_history").fetchone()
        (t,) = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM tickets").fetchone()
        (p,) = self.conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND priority IS NOT NULL").fetchone()
        return f"{t}.{h}.{p}"

    # --- staff actions -----------------------------------------------------------------------

    def call_next(self, counter: int, staff: str) -> dict | None:
        """Call the first waiting ticket (priority first). None when nobody is waiting."""
        def act(c):
            self._check_counter(c, counter)
            row = c.execute("SELECT id FROM tickets WHERE status = 'waiting' "
                            "ORDER BY (priority IS NULL), created_at, id LIMIT 1").fetchone()
            if row is None:
                return None
            return self._call(c, row[0], counter, staff, "call")
        return self._tx(act)

    def call(self, ticket_id: int, counter: int, staff: str) -> dict:
        """Call a chosen waiting ticket."""
        def act(c):
            self._check_counter(c, counter)
            t = self._get(c, ticket_id)
            if t["status"] != "waiting":
                raise QueueError("not_waiting", f"ticket {t['number']} is {t['status']}, not waiting")
            return self._call(c, ticket_id, counter, staff, "call")
        return self._tx(act)

    def recall(self, ticket_id: int, staff: str) -> dict:
        """Call the same ticket again at the same counter."""
        def act(c):
            t = self._get(c, ticket_id)
            if t["status"] != "called":
                raise QueueError("not_called", f"ticket {t['number']} has not been called")
            return self._call(c, ticket_id, t["counter"], staff, "recall")
        return self._tx(act)

    def transfer(self, ticket_id: int, counter: int, staff: str) -> dict:
        """Send a called visitor to another counter: the kiosk announces the new counter."""
        def act(c):
            self._check_counter(c, counter)
            t = self._get(c, ticket_id)
            if t["status"] not in OPEN:
                raise QueueError("closed", f"ticket {t['number']} is already {t['status']}")
            if t["status"] == "called" and t["counter"] == counter:
                raise QueueError("same_counter", f"ticket {t['number']} is already at counter {counter}")
            return self._call(c, ticket_id, counter, staff, "transfer", {"from": t["counter"]})
        return self._tx(act)

    def serve(self, ticket_id: int, outcome: str, category: str | None, staff: str) -> dict:
        if outcome not in OUTCOMES:
            raise QueueError("bad_outcome", f"outcome must be one of {', '.join(OUTCOMES)}")
        if category is not None and category not in CATEGORIES:
            raise QueueError("bad_category", f"category must be one of {', '.join(CATEGORIES)}")

        def act(c):
            t = self._get(c, ticket_id)
            if t["status"] != "called":
                raise QueueError("not_called", f"ticket {t['number']} must be called before it is served")
            now = utcnow()
            c.execute("UPDATE tickets SET status = 'served', served_at = ?, outcome = ?, category = ?, "
                      "staff = ?, updated_at = ? WHERE id = ?",
                      (now, outcome, category, staff, now, ticket_id))
            return self._record(c, t, "serve", "served", t["counter"], staff,
                                {"outcome": outcome, "category": category}, now)
        return self._tx(act)

    def no_show(self, ticket_id: int, staff: str) -> dict:
        """The visitor did not come after a recall."""
        def act(c):
            t = self._get(c, ticket_id)
            if t["status"] != "called":
                raise QueueError("not_called", f"ticket {t['number']} has not been called")
            if t["calls"] < 2:
                raise QueueError("recall_first", f"recall ticket {t['number']} before marking it a no-show")
            now = utcnow()
            c.execute("UPDATE tickets SET status = 'no_show', served_at = ?, staff = ?, updated_at = ? "
                      "WHERE id = ?", (now, staff, now, ticket_id))
            return self._record(c, t, "no_show", "no_show", t["counter"], staff, {}, now)
        return self._tx(act)

    # --- internals ---------------------------------------------------------------------------

    def _tx(self, fn):
        return with_retries(lambda: self.store.transact(fn), attempts=self.retries)

    @staticmethod
    def _check_counter(c, counter) -> None:
        ok = c.execute("SELECT 1 FROM counters WHERE id = ? AND active = 1", (counter,)).fetchone()
        if not ok:
            raise QueueError("bad_counter", f"counter {counter} does not exist")

    @staticmethod
    def _get(c, ticket_id) -> dict:
        row = c.execute(f"SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise QueueError("no_ticket", f"no ticket with id {ticket_id}")
        return _ticket_row(row)

    def _call(self, c, ticket_id, counter, staff, action, extra=None) -> dict:
        now = utcnow()
        c.execute("UPDATE tickets SET status = 'called', counter = ?, calls = calls + 1, called_at = ?, "
                  "first_called_at = COALESCE(first_called_at, ?), staff = ?, updated_at = ? WHERE id = ?",
                  (counter, now, now, staff, now, ticket_id))
        t = self._get(c, ticket_id)
        return self._record(c, t, action, "called", counter, staff,
                            dict(extra or {}, calls=t["calls"]), now)

    @staticmethod
    def _record(c, t, action, status, counter, staff, data, now) -> dict:
        payload = dict(data, ticket=t["number"], counter=counter, staff=staff)
        c.execute("INSERT INTO ticket_history (ticket_id, ts, action, status, counter, staff, data) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (t["id"], now, action, status, counter, staff, json.dumps(data, ensure_ascii=False)))
        c.execute("INSERT INTO events (session_id, ts, kind, data) VALUES (?, ?, ?, ?)",
                  (t["session_id"], now, f"staff_{action}", json.dumps(payload, ensure_ascii=False)))
        out = Queue._get(c, t["id"])
        return out


# --- the kiosk's side ------------------------------------------------------------------------

def place_in_queue(conn: sqlite3.Connection, number: str) -> tuple[int, str] | None:
    """(people called before the newest waiting ticket of this number, its created_at); None
    when no such ticket waits. Same order as the staff's queue: priority first, then first come.
    (Numbers restart each day, so an old unserved ticket may share the number: the newest wins.)"""
    rows = conn.execute("SELECT number, created_at FROM tickets WHERE status = 'waiting' "
                        "ORDER BY (priority IS NULL), created_at, id").fetchall()
    mine = [(created, place) for place, (n, created) in enumerate(rows) if n == number]
    if not mine:
        return None
    created, place = max(mine)
    return place, created


def ticket_call(store: Store, session_id: str) -> Call | None:
    """The current call for this visitor session's ticket, if a staff member has called it."""
    row = store.conn.execute(
        "SELECT id, number, context, counter, calls FROM tickets "
        "WHERE session_id = ? AND status = 'called' ORDER BY id DESC LIMIT 1", (session_id,)).fetchone()
    if row is None:
        return None
    context = json.loads(row[2] or "{}")
    return Call(row[0], context.get("local_number") or row[1], row[3], row[4])


def ticket_place(store: Store, session_id: str):
    """This session's place and estimated wait (kiosk.core.data.queue_wait.Place), or None."""
    return place_of(store.conn, session_id, now_utc())


def set_priority(store: Store, session_id: str, group: str | None) -> None:
    """The visitor's self-declared group: on the session, and on its waiting ticket (priority)."""
    if group is not None and group not in PRIORITY_GROUPS:
        raise ValueError(f"unknown group {group!r}")

    def write(c):
        now = utcnow()
        c.execute("UPDATE sessions SET visitor_group = ? WHERE id = ?", (group, session_id))
        c.execute("UPDATE tickets SET priority = ?, updated_at = ? "
                  "WHERE session_id = ? AND status = 'waiting'", (group, now, session_id))
    store.transact(write)
