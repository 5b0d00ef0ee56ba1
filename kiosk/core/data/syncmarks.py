"""The kiosk's side of the central sync: what has been sent, what is final, what purge keeps.

Plain SQLite (no PostgreSQL driver here, so the purge can use it on any kiosk). Events are
append-only with ids that grow in commit order (one writer at a time), so one high-water mark
says what the server has. Sessions and tickets change until they are over, so each is sent once,
when final, and marked `synced_at`. A mark is written only after the server has committed the
rows: a sync killed in between sends them again, and the server ignores what it has.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3

from kiosk.core.data.timeutil import now_utc, stamp

EVENTS = "events"
# a session still open (or a ticket still in the queue) a day later is sent as it is then
FINAL_AFTER = dt.timedelta(days=1)


def mark(conn: sqlite3.Connection, name: str = EVENTS) -> int:
    row = conn.execute("SELECT value FROM sync_marks WHERE name = ?", (name,)).fetchone()
    return row[0] if row else 0


def set_mark(conn: sqlite3.Connection, value: int, name: str = EVENTS) -> None:
    conn.execute("INSERT INTO sync_marks (name, value) VALUES (?, ?) "
                 "ON CONFLICT(name) DO UPDATE SET value = MAX(value, excluded.value)", (name, value))


def final_before(now: dt.datetime | None = None) -> str:
    return stamp((now or now_utc()) - FINAL_AFTER)


def configured(conn: sqlite3.Connection) -> bool:
    """A central database is in use: set for this kiosk, or a sync has already run."""
    if os.environ.get("KIOSK_CENTRAL_DB", "").strip():
        return True
    return conn.execute("SELECT 1 FROM sync_marks LIMIT 1").fetchone() is not None


def purge_guard(conn: sqlite3.Connection) -> dict[str, str]:
    """SQL conditions that keep unsent rows out of a purge (empty when no central database)."""
    if not configured(conn):
        return {"events": "", "sessions": "", "tickets": ""}
    return {"events": f" AND id <= {int(mark(conn))}", "sessions": " AND synced_at IS NOT NULL",
            "tickets": " AND synced_at IS NOT NULL"}
