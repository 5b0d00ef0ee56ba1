"""`kiosk sync`: a kiosk's log into the province's PostgreSQL, idempotently, in batches.

Each batch is COPYed into a temporary staging table and moved into the real table with
`INSERT … SELECT … ON CONFLICT DO NOTHING` in one server transaction (COPY is PostgreSQL's
fastest way in; the staging step is what lets the server ignore rows it already has, since
COPY alone cannot). Only after the server's commit does the kiosk write its own mark
(kiosk/core/data/syncmarks.py). Killed anywhere, the next run sends at most one batch again and
the server keeps every row exactly once, by its key (kiosk id, local id).
"""

from __future__ import annotations

import logging

import psycopg

from kiosk.central.schema import COLUMNS, CentralError, check_version, connect
from kiosk.core.data import identity, syncmarks
from kiosk.core.data.store import Store
from kiosk.core.data.timeutil import utcnow

log = logging.getLogger(__name__)

_LOCAL = {  # the local columns in the server's order, after commune and kiosk
    "events": "id, session_id, ts, kind, screen, lesson, step, data",
    "sessions": "id, started_at, ended_at, end_reason, source, modes, visitor_group",
    "tickets": "id, number, day, session_id, created_at, status, lesson, step, context, priority, "
               "counter, calls, called_at, first_called_at, served_at, outcome, category, staff, updated_at",
}


class SyncError(Exception):
    """This kiosk cannot sync as it is (no identity). English message for the CLI."""


def _stage(cur, table: str) -> None:
    cols = ", ".join(f"{c} {t.replace(' NOT NULL', '')}" for c, t in COLUMNS[table])
    cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS stage_{table} ({cols}) ON COMMIT DELETE ROWS")


def _copy_in(cur, table: str, rows: list[tuple]) -> int:
    """Rows into `table`, skipping those the server has. Returns how many were new."""
    if not rows:
        return 0
    _stage(cur, table)
    names = ", ".join(c for c, _ in COLUMNS[table])
    with cur.copy(f"COPY stage_{table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cur.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM stage_{table} ON CONFLICT DO NOTHING")
    return cur.rowcount


def _events(store: Store, pg, who: tuple[str, str], batch: int) -> int:
    sent = 0
    while True:
        last = syncmarks.mark(store.conn)
        rows = store.conn.execute(
            f"SELECT COALESCE(commune, ?), COALESCE(kiosk, ?), {_LOCAL['events']} FROM events "
            "WHERE id > ? ORDER BY id LIMIT ?", (*who, last, batch)).fetchall()
        if not rows:
            return sent
        with pg.transaction(), pg.cursor() as cur:
            sent += _copy_in(cur, "events", rows)
        store.transact(lambda c: syncmarks.set_mark(c, rows[-1][2]))


def _sessions(store: Store, pg, who: tuple[str, str], batch: int, before: str) -> tuple[int, int]:
    """Final sessions with their lesson progress, in the same server transaction."""
    sent = progress = 0
    while True:
        rows = store.conn.execute(
            f"SELECT COALESCE(commune, ?), COALESCE(kiosk, ?), {_LOCAL['sessions']} FROM sessions "
            "WHERE synced_at IS NULL AND (ended_at IS NOT NULL OR started_at < ?) "
            "ORDER BY started_at LIMIT ?", (*who, before, batch)).fetchall()
        if not rows:
            return sent, progress
        ids = [r[2] for r in rows]
        marks = ", ".join("?" for _ in ids)
        places = {r[2]: (r[0], r[1]) for r in rows}
        lp = [(*places[r[0]], *r) for r in store.conn.execute(
            "SELECT session_id, lesson, topic, started_at, max_step, steps, finished, finished_at "
            f"FROM lesson_progress WHERE session_id IN ({marks})", ids)]
        with pg.transaction(), pg.cursor() as cur:
            sent += _copy_in(cur, "sessions", rows)
            progress += _copy_in(cur, "lesson_progress", lp)
        now = utcnow()
        store.transact(lambda c: c.execute(
            f"UPDATE sessions SET synced_at = ? WHERE id IN ({marks})", (now, *ids)))


def _tickets(store: Store, pg, who: tuple[str, str], batch: int, before: str) -> int:
    sent = 0
    while True:
        rows = store.conn.execute(
            f"SELECT COALESCE(commune, ?), COALESCE(kiosk, ?), {_LOCAL['tickets']} FROM tickets "
            "WHERE synced_at IS NULL AND (status IN ('served', 'no_show') OR created_at < ?) "
            "ORDER BY id LIMIT ?", (*who, before, batch)).fetchall()
        if not rows:
            return sent
        with pg.transaction(), pg.cursor() as cur:
            sent += _copy_in(cur, "tickets", rows)
        ids = [r[2] for r in rows]
        now = utcnow()
        store.transact(lambda c: c.execute(
            f"UPDATE tickets SET synced_at = ? WHERE id IN ({', '.join('?' for _ in ids)})", (now, *ids)))


def _first(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def pending(store: Store) -> int:
    """Sessions and tickets not sent yet (still open, or a sync still to run)."""
    c = store.conn
    return (c.execute("SELECT COUNT(*) FROM sessions WHERE synced_at IS NULL").fetchone()[0]
            + c.execute("SELECT COUNT(*) FROM tickets WHERE synced_at IS NULL").fetchone()[0])


def sync(store: Store, url: str, batch: int = 5000) -> dict:
    """Send what the server does not have. Raises SyncError (this kiosk) or CentralError (the
    server: unreachable, refused, other schema version). Returns counts of new rows."""
    ident = identity.current(store.conn)
    if not ident.complete:
        raise SyncError("this kiosk has no identity yet: run `kiosk identity set --commune CODE --kiosk ID`")
    who = (ident.commune, ident.kiosk)
    before = syncmarks.final_before()
    with connect(url) as pg:
        try:
            check_version(pg)
            events = _events(store, pg, who, batch)
            sessions, progress = _sessions(store, pg, who, batch, before)
            tickets = _tickets(store, pg, who, batch, before)
        except psycopg.errors.InsufficientPrivilege as e:
            raise CentralError(f"the central database refused this kiosk's rows ({e.diag.message_primary}); "
                               f"is this login registered for kiosk {ident.kiosk} of commune "
                               f"{ident.commune} (`kiosk central add-kiosk`)?") from e
        except psycopg.OperationalError as e:
            raise CentralError(f"the connection to the central database was lost: {_first(e)}") from e
        except psycopg.Error as e:
            raise CentralError(f"the central database refused the rows: {_first(e)}") from e
    result = {"sent": {"events": events, "sessions": sessions, "lesson_progress": progress,
                       "tickets": tickets}, "pending": pending(store)}
    log.info("sync: %s", result)
    return result
