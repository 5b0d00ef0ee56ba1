"""The session log: SQLite through sqlite-utils, WAL mode, one commit per event.

What is stored is what the commune needs to count and the staff need to help: random session
ids, UTC times, screens, lessons, steps, modes, tickets. Never names, ID numbers, phone numbers
or audio.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from kiosk.core.data import identity
from kiosk.core.data.timeutil import local_day, utcnow

SCHEMA_NAME = "hcc-kiosk"
migrations = Migrations(SCHEMA_NAME)


class StoreError(Exception):
    """The log cannot be written (locked, full, read-only, damaged). Message in English."""


@migrations()
def m001_initial(db: sqlite_utils.Database):
    db["sessions"].create({
        "id": str, "started_at": str, "ended_at": str, "end_reason": str, "source": str,
        "modes": str, "visitor_group": str,
    }, pk="id")
    db["events"].create({
        "id": int, "session_id": str, "ts": str, "kind": str, "screen": str, "lesson": str,
        "step": int, "data": str,
    }, pk="id")
    db["events"].create_index(["session_id"])
    db["events"].create_index(["kind", "ts"])
    db["tickets"].create({
        "id": int, "number": str, "day": str, "session_id": str, "created_at": str,
        "status": str, "lesson": str, "step": int, "context": str,
    }, pk="id")
    db["tickets"].create_index(["day", "number"], unique=True)
    db["lesson_progress"].create({
        "session_id": str, "lesson": str, "topic": str, "started_at": str, "max_step": int,
        "steps": int, "finished": int, "finished_at": str,
    }, pk=("session_id", "lesson"))
    db["sessions"].create_index(["started_at"])


@migrations()
def m002_staff_queue(db: sqlite_utils.Database):
    """The staff side: queue state of tickets, their history, counters, staff accounts,
    login lockouts, console sessions and settings (retention)."""
    t = db["tickets"]
    for col, kind in (("priority", str), ("counter", int), ("called_at", str),
                      ("first_called_at", str), ("served_at", str), ("outcome", str),
                      ("category", str), ("staff", str), ("updated_at", str)):
        t.add_column(col, kind)
    t.add_column("calls", int, not_null_default=0)
    t.create_index(["status"])
    t.create_index(["session_id"])
    db["ticket_history"].create({
        "id": int, "ticket_id": int, "ts": str, "action": str, "status": str, "counter": int,
        "staff": str, "data": str,
    }, pk="id")
    db["ticket_history"].create_index(["ticket_id"])
    db["counters"].create({"id": int, "name": str, "active": int}, pk="id")
    db["staff"].create({
        "name": str, "pin_hash": str, "disabled": int, "created_at": str, "last_login_at": str,
    }, pk="name", not_null={"pin_hash"}, defaults={"disabled": 0})
    db["lockouts"].create({
        "key": str, "failures": int, "first_failed_at": str, "locked_until": str,
    }, pk="key")
    db["staff_sessions"].create({
        "token_hash": str, "staff": str, "counter": int, "csrf": str, "addr": str,
        "created_at": str, "last_seen": str,
    }, pk="token_hash")
    db["settings"].create({"key": str, "value": str}, pk="key")
    db["settings"].insert_all([{"key": "retention_days", "value": "365"},
                               {"key": "session_minutes", "value": "30"}])
    db["counters"].insert_all([{"id": n, "name": f"Quầy {n}", "active": 1} for n in (1, 2, 3)])


@migrations()
def m003_identity_sync(db: sqlite_utils.Database):
    """Commune and kiosk on every session, event and ticket; marks for the central sync."""
    identity.migrate(db)


def migration_names() -> set[str]:
    """The schema's migrations this kiosk version knows (on an empty database all are pending)."""
    return {m.name for m in migrations.pending(sqlite_utils.Database(memory=True))}


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=5.0, isolation_level=None,
                                   check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit is on disk before the visitor sees its result (power-cut safe).
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA busy_timeout=5000")
            self.db.execute("PRAGMA foreign_keys=ON")
            if migrations.pending(self.db):
                # The kiosk and the staff console may open a fresh file at the same moment:
                # take the write lock first so that only one of them migrates.
                self.db.execute("BEGIN IMMEDIATE")
                try:
                    migrations.apply(self.db)
                except BaseException:
                    self.db.execute("ROLLBACK")
                    raise
                self.db.execute("COMMIT")
            if identity.env_differs(self.conn):  # KIOSK_COMMUNE/KIOSK_ID: stamped from now on
                self._write(identity.apply_env)
        except (sqlite3.Error, OSError, StoreError) as e:
            if conn is not None:  # the log writer retries: do not leak a handle per attempt
                conn.close()
            raise StoreError(f"cannot open the log database {self.path}: {e}") from e

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    def close(self) -> None:
        self.conn.close()

    def transact(self, fn):
        """Run `fn(connection)` in one write transaction (BEGIN IMMEDIATE ... COMMIT) and return
        its result; any SQLite error becomes a StoreError. What other modules call."""
        return self._write(fn)

    def _write(self, fn):  # the one place a write happens (tests wrap it to simulate a locked log)
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(self.conn)
            except BaseException:
                if self.conn.in_transaction:  # SQLite already rolled back on a full disk
                    self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return result
        except sqlite3.Error as e:
            raise StoreError(f"cannot write to the log database {self.path}: {e}") from e

    # --- sessions ------------------------------------------------------------------------

    def start_session(self, source: str = "kiosk", session_id: str | None = None,
                      at: str | None = None) -> str:
        sid = session_id or secrets.token_hex(8)
        self._write(lambda c: c.execute(
            "INSERT INTO sessions (id, started_at, source, modes) VALUES (?, ?, ?, '[]')",
            (sid, at or utcnow(), source)))
        return sid

    def end_session(self, session_id: str, reason: str, modes: list[str] | None = None,
                    at: str | None = None) -> None:
        self._write(lambda c: c.execute(
            "UPDATE sessions SET ended_at = ?, end_reason = ?, modes = COALESCE(?, modes) "
            "WHERE id = ? AND ended_at IS NULL",
            (at or utcnow(), reason, json.dumps(modes) if modes is not None else None, session_id)))

    def set_session_modes(self, session_id: str, modes: list[str]) -> None:
        """The accessibility modes used so far (kept up to date while the session is open)."""
        self._write(lambda c: c.execute("UPDATE sessions SET modes = ? WHERE id = ?",
                                        (json.dumps(modes), session_id)))

    # --- events --------------------------------------------------------------------------

    def log(self, session_id: str | None, kind: str, data: dict | None = None, *,
            screen: str | None = None, lesson: str | None = None, step: int | None = None,
            topic: str | None = None, steps: int | None = None, at: str | None = None) -> int:
        """Write one event (and the lesson progress it implies) in one commit."""
        ts = at or utcnow()
        payload = json.dumps(data or {}, ensure_ascii=False)

        def write(c: sqlite3.Connection) -> int:
            cur = c.execute(
                "INSERT INTO events (session_id, ts, kind, screen, lesson, step, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)", (session_id, ts, kind, screen, lesson, step, payload))
            if session_id and lesson:
                self._progress(c, session_id, kind, lesson, topic, step, steps, ts)
            return cur.lastrowid

        return self._write(write)

    def log_many(self, records: list[dict]) -> None:
        """Write the events of one visitor action in one commit (each record: log()'s arguments)."""
        def write(c: sqlite3.Connection) -> None:
            for r in records:
                ts = r.get("at") or utcnow()
                c.execute(
                    "INSERT INTO events (session_id, ts, kind, screen, lesson, step, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (r["session_id"], ts, r["kind"], r.get("screen"), r.get("lesson"), r.get("step"),
                     json.dumps(r.get("data") or {}, ensure_ascii=False)))
                if r["session_id"] and r.get("lesson"):
                    self._progress(c, r["session_id"], r["kind"], r["lesson"], r.get("topic"),
                                   r.get("step"), r.get("steps"), ts)
        self._write(write)

    @staticmethod
    def _progress(c, session_id, kind, lesson, topic, step, steps, ts):
        if kind == "lesson_start":
            c.execute(
                "INSERT INTO lesson_progress (session_id, lesson, topic, started_at, max_step, steps, finished) "
                "VALUES (?, ?, ?, ?, 0, ?, 0) ON CONFLICT(session_id, lesson) DO NOTHING",
                (session_id, lesson, topic, ts, steps))
        elif kind == "step" and step:
            c.execute(
                "UPDATE lesson_progress SET max_step = MAX(max_step, ?), steps = COALESCE(?, steps) "
                "WHERE session_id = ? AND lesson = ?", (step, steps, session_id, lesson))
        elif kind == "lesson_finish":
            c.execute(
                "UPDATE lesson_progress SET finished = 1, finished_at = ?, max_step = COALESCE(steps, max_step) "
                "WHERE session_id = ? AND lesson = ?", (ts, session_id, lesson))

    # --- tickets -------------------------------------------------------------------------

    def create_ticket(self, session_id: str | None, context: dict, at: str | None = None,
                      letter: str | None = None) -> str:
        """A short queue number, counted per day (see new_ticket)."""
        now = at or utcnow()
        return self._write(lambda c: new_ticket(c, session_id, context, now, letter))

    def tickets(self, status: str | None = None) -> list[dict]:
        where, args = ("status = ?", [status]) if status else (None, None)
        rows = list(self.db["tickets"].rows_where(where, args, order_by="id"))
        for r in rows:
            r["context"] = json.loads(r["context"] or "{}")
        return rows

    def events(self, session_id: str | None = None) -> list[dict]:
        where, args = ("session_id = ?", [session_id]) if session_id else (None, None)
        return list(self.db["events"].rows_where(where, args, order_by="id"))

    def sessions(self) -> list[dict]:
        return list(self.db["sessions"].rows_where(order_by="started_at"))


def new_ticket(c, session_id: str | None, context: dict, now: str, letter: str | None = None) -> str:
    """Insert a waiting ticket and return its number: A001 ... A999, then B001 ... counted per day.

    The day is the centre's (KIOSK_TZ), so numbering restarts at local midnight, not at 07:00 in
    Vietnam as a UTC day would. `letter`: a kiosk of a shared queue that cannot reach it numbers
    its own tickets under a letter of its own (X001 ...), so they never collide with the shared
    queue's numbers when they reach it (kiosk.core.data.shared_queue). `c` is any connection with
    SQLite's `?` parameters (the shared queue's adapter translates them), inside a transaction."""
    day = local_day(now)
    (count,) = c.execute("SELECT COUNT(*) FROM tickets WHERE day = ?", (day,)).fetchone()
    if letter:
        number = f"{letter}{count % 999 + 1:03d}"
    else:
        number = f"{chr(ord('A') + count // 999 % 26)}{count % 999 + 1:03d}"
    c.execute(
        "INSERT INTO tickets (number, day, session_id, created_at, status, lesson, step, context, "
        "priority) VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?, ?)",
        (number, day, session_id, now, context.get("lesson"), context.get("step"),
         json.dumps(context, ensure_ascii=False), context.get("group")))
    return number


# --- the settings table: one key, one text value ----------------------------------------------

def setting(conn, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def put_setting(c, key: str, value: str) -> None:
    """Inside a transaction (`c`): set `key`, whether it was there or not."""
    c.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
              "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
