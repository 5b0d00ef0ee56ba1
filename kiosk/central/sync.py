"""`kiosk sync`: a kiosk's log into the province's PostgreSQL, idempotently, in batches.

Each batch is COPYed into a temporary staging table and moved into the real table with
`INSERT … SELECT … ON CONFLICT DO NOTHING` in one server transaction (COPY is PostgreSQL's
fastest way in; the staging step is what lets the server ignore rows it already has, since
COPY alone cannot). Only after the server's commit does the kiosk write its own mark
(kiosk/core/data/syncmarks.py). Killed anywhere, the next run sends at most one batch again and
the server keeps every row exactly once, by its key (kiosk id, local id).

A kiosk of a centre with a shared queue (KIOSK_QUEUE_DB) issues most of its tickets there, not
in its log; `sync` then also sends this kiosk's tickets of the shared queue, under the id
−(their id in the shared queue): SQLite ids are positive, so the two can never meet under one
key. An offline ticket that the kiosk later handed to the shared queue goes from there too (with
the counter's outcome), and its row in the log, status 'shared', is marked sent with it.
"""

from __future__ import annotations

import logging

import psycopg

from kiosk.central.schema import COLUMNS, CentralError, check_version, connect
from kiosk.core.data import identity, syncmarks
from kiosk.core.data.store import Store, StoreError, put_setting, setting
from kiosk.core.data.timeutil import utcnow

log = logging.getLogger(__name__)

SHARED_MARK = "shared_tickets_synced"  # the log's settings: see _shared_tickets

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


def _tickets(store: Store, pg, who: tuple[str, str], batch: int, before: str,
             shared: bool = False) -> int:
    """The log's final tickets. With a shared queue (`shared`) the ones handed to it are left
    to `_shared_tickets`, which knows how they ended."""
    sent = 0
    skip = "AND status IS NOT 'shared' " if shared else ""
    while True:
        rows = store.conn.execute(
            f"SELECT COALESCE(commune, ?), COALESCE(kiosk, ?), {_LOCAL['tickets']} FROM tickets "
            f"WHERE synced_at IS NULL {skip}AND (status IN ('served', 'no_show') OR created_at < ?) "
            "ORDER BY id LIMIT ?", (*who, before, batch)).fetchall()
        if not rows:
            return sent
        with pg.transaction(), pg.cursor() as cur:
            sent += _copy_in(cur, "tickets", rows)
        ids = [r[2] for r in rows]
        now = utcnow()
        store.transact(lambda c: c.execute(
            f"UPDATE tickets SET synced_at = ? WHERE id IN ({', '.join('?' for _ in ids)})", (now, *ids)))


def _shared_tickets(store: Store, pg, queue, who: tuple[str, str], batch: int, before: str) -> int:
    """This kiosk's final tickets of the centre's shared queue. A local mark keeps the shared id
    up to which all of them are sent; finished tickets after an open one are sent now and again
    later (the server ignores a row it has), so an open ticket never holds back the others."""
    sent = 0
    while True:
        mark = int(setting(store.conn, SHARED_MARK) or 0)
        rows = queue.conn.execute(
            f"SELECT id, local_id, {_LOCAL['tickets'].replace('id, ', '', 1)} FROM tickets "
            "WHERE kiosk = ? AND id > ? ORDER BY id LIMIT ?", (who[1], mark, batch)).fetchall()
        final = [r for r in rows if r[6] in ("served", "no_show") or (r[5] or "") < before]
        with pg.transaction(), pg.cursor() as cur:
            sent += _copy_in(cur, "tickets", [(*who, -r[0], *r[2:]) for r in final])
        sent_ids = {r[0] for r in final}
        done = next((i for i, r in enumerate(rows) if r[0] not in sent_ids), len(rows))
        handed = [r[1] for r in final if r[1] is not None]  # offline tickets of this log

        def note(c):
            if handed:
                c.execute(f"UPDATE tickets SET synced_at = ? WHERE id IN ({', '.join('?' for _ in handed)})",
                          (utcnow(), *handed))
            if done:
                put_setting(c, SHARED_MARK, str(rows[done - 1][0]))
        store.transact(note)
        if done < len(rows) or len(rows) < batch:
            return sent


def _first(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _shared_or_why(store: Store, pg, queue, who, batch: int, before: str) -> tuple[int, str]:
    if queue is None:
        return 0, ""
    try:
        return _shared_tickets(store, pg, queue, who, batch, before), ""
    except StoreError as e:  # the shared queue, not the central database: the rest still goes
        log.warning("sync: the shared queue's tickets wait: %s", e)
        return 0, str(e)


def pending(store: Store) -> int:
    """Sessions and tickets not sent yet (still open, or a sync still to run)."""
    c = store.conn
    return (c.execute("SELECT COUNT(*) FROM sessions WHERE synced_at IS NULL").fetchone()[0]
            + c.execute("SELECT COUNT(*) FROM tickets WHERE synced_at IS NULL").fetchone()[0])


def sync(store: Store, url: str, batch: int = 5000, queue=None) -> dict:
    """Send what the server does not have. Raises SyncError (this kiosk) or CentralError (the
    server: unreachable, refused, other schema version). Returns counts of new rows.

    `queue`: the centre's shared queue (kiosk.central.queue_db.QueueDb), whose tickets of this
    kiosk are sent too. When it does not answer, the rest is sent and `shared_queue` says why
    its tickets wait for the next run."""
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
            tickets = _tickets(store, pg, who, batch, before, shared=queue is not None)
            shared, shared_error = _shared_or_why(store, pg, queue, who, batch, before)
        except psycopg.errors.InsufficientPrivilege as e:
            raise CentralError(f"the central database refused this kiosk's rows ({e.diag.message_primary}); "
                               f"is this login registered for kiosk {ident.kiosk} of commune "
                               f"{ident.commune} (`kiosk central add-kiosk`)?") from e
        except psycopg.OperationalError as e:
            raise CentralError(f"the connection to the central database was lost: {_first(e)}") from e
        except psycopg.Error as e:
            raise CentralError(f"the central database refused the rows: {_first(e)}") from e
    result = {"sent": {"events": events, "sessions": sessions, "lesson_progress": progress,
                       "tickets": tickets, "shared_tickets": shared}, "pending": pending(store)}
    if shared_error:
        result["shared_queue"] = shared_error
    log.info("sync: %s", result)
    return result
