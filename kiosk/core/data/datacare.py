"""Data care: settings, retention and purge, online backup, restore with checks.

Plain Python. Backups use SQLite's online backup API, so they are consistent while the kiosk
and the console keep writing. A restore refuses any file that is not a kiosk database, keeps a
copy of the database it replaces, and goes through the same backup API into the live file.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from kiosk.core.data import syncmarks
from kiosk.core.data.store import (SCHEMA_NAME, Store, StoreError, migration_names, put_setting,
                                   setting, utcnow)
from kiosk.core.data.timeutil import local_day, now_utc, stamp as _stamp

DEFAULT_SETTINGS = {"retention_days": "365", "session_minutes": "30"}
KIOSK_TABLES = ("sessions", "events", "tickets", "lesson_progress")


class DataError(Exception):
    """A backup, restore or purge that cannot be done. English message for the CLI."""


# --- settings -------------------------------------------------------------------------------

def get_setting(store: Store, key: str, default: str | None = None) -> str | None:
    value = setting(store.conn, key)
    if value is None:
        return default if default is not None else DEFAULT_SETTINGS.get(key)
    return value


def get_int_setting(store: Store, key: str) -> int:
    try:
        return int(get_setting(store, key) or DEFAULT_SETTINGS.get(key, "0"))
    except ValueError:
        return int(DEFAULT_SETTINGS.get(key, "0"))


def set_settings(store: Store, values: dict[str, str], staff: str | None = None) -> None:
    """Change settings and log who changed what, in one commit."""
    def write(c):
        now = utcnow()
        for key, value in values.items():
            put_setting(c, key, str(value))
        c.execute("INSERT INTO events (ts, kind, data) VALUES (?, 'staff_settings', ?)",
                  (now, json.dumps({"staff": staff, "values": values}, ensure_ascii=False)))
    store.transact(write)


def set_counters(store: Store, count: int, staff: str | None = None) -> None:
    """Make counters 1..count active (names 'Quầy N'); higher ones inactive."""
    if not 1 <= count <= 50:
        raise ValueError("counters must be between 1 and 50")

    def write(c):
        for n in range(1, count + 1):
            c.execute("INSERT INTO counters (id, name, active) VALUES (?, ?, 1) "
                      "ON CONFLICT(id) DO UPDATE SET active = 1", (n, f"Quầy {n}"))
        c.execute("UPDATE counters SET active = 0 WHERE id > ?", (count,))
        c.execute("INSERT INTO events (ts, kind, data) VALUES (?, 'staff_settings', ?)",
                  (utcnow(), json.dumps({"staff": staff, "values": {"counters": count}})))
    store.transact(write)


# --- purge ----------------------------------------------------------------------------------

def cutoff_for(days: int, now: dt.datetime | None = None) -> str:
    now = now or now_utc()
    return _stamp(now - dt.timedelta(days=days))


def purge(store: Store, older_than_days: int, *, reason: str = "manual",
          now: dt.datetime | None = None) -> dict:
    """Delete visitor sessions (with their events, progress and tickets) and other log rows
    older than the given number of days. Returns what was deleted; the purge itself is logged."""
    if older_than_days < 1:
        raise DataError("--older-than must be at least 1 day")
    # One clock for the whole purge: the cutoff, the `last_purge_at` mark and the log line all
    # come from the same `now`, so a caller (or a test) that passes a time gets consistent rows.
    now = now or now_utc()
    cutoff = cutoff_for(older_than_days, now)
    stamp = _stamp(now)

    def write(c):
        # with a central database, nothing goes before the server has it (kiosk/core/data/syncmarks.py)
        keep = syncmarks.purge_guard(c)
        old = f"SELECT id FROM sessions WHERE started_at < ?{keep['sessions']}"
        gone_tickets = f"(created_at < ? OR session_id IN ({old})){keep['tickets']}"
        counts = {}
        counts["ticket_history"] = c.execute(
            f"DELETE FROM ticket_history WHERE ticket_id IN (SELECT id FROM tickets WHERE {gone_tickets})",
            (cutoff, cutoff)).rowcount
        counts["tickets"] = c.execute(f"DELETE FROM tickets WHERE {gone_tickets}", (cutoff, cutoff)).rowcount
        counts["events"] = c.execute(
            f"DELETE FROM events WHERE (ts < ? OR session_id IN ({old})){keep['events']}",
            (cutoff, cutoff)).rowcount
        counts["lesson_progress"] = c.execute(
            f"DELETE FROM lesson_progress WHERE session_id IN ({old})", (cutoff,)).rowcount
        counts["sessions"] = c.execute(f"DELETE FROM sessions WHERE started_at < ?{keep['sessions']}",
                                       (cutoff,)).rowcount
        c.execute("DELETE FROM staff_sessions WHERE last_seen < ?", (cutoff,))
        c.execute("DELETE FROM lockouts WHERE first_failed_at < ?", (cutoff,))
        c.execute("INSERT INTO settings (key, value) VALUES ('last_purge_at', ?) "
                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (stamp,))
        c.execute("INSERT INTO events (ts, kind, data) VALUES (?, 'data_purge', ?)",
                  (stamp, json.dumps({"older_than_days": older_than_days, "cutoff": cutoff,
                                         "reason": reason, "deleted": counts})))
        return counts

    return store.transact(write)


def apply_retention(store: Store, now: dt.datetime | None = None) -> dict | None:
    """The daily retention job: purge by the `retention_days` setting, at most once a day.
    0 keeps everything. Returns the counts when it purged."""
    days = get_int_setting(store, "retention_days")
    if days <= 0:
        return None
    now = now or now_utc()
    last = get_setting(store, "last_purge_at", "")
    if last and local_day(last) == local_day(now):  # once per day of the centre
        return None
    return purge(store, days, reason="retention", now=now)


# --- backup and restore ---------------------------------------------------------------------

def backup(db_path: Path, target: Path) -> dict:
    """Copy the live database to `target` with SQLite's online backup API (safe while the
    kiosk runs). The copy is written beside the target and renamed, and checked."""
    db_path, target = Path(db_path), Path(target)
    if not db_path.exists():
        raise DataError(f"no kiosk log at {db_path}")
    if target.resolve() == db_path.resolve():
        raise DataError("the backup file must not be the live database")
    if target.is_dir():
        raise DataError(f"{target} is a folder; give a file name")
    tmp = target.with_name(target.name + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
        src = sqlite3.connect(str(db_path), timeout=10)
        src.execute("PRAGMA busy_timeout=10000")
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)  # one step: a WAL reader does not block the kiosk's writes
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            counts = {t: dst.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in KIOSK_TABLES}
        finally:
            dst.close()
            src.close()
        if ok != "ok":
            raise DataError(f"the copy failed its integrity check: {ok}")
        tmp.replace(target)
    except sqlite3.Error as e:
        tmp.unlink(missing_ok=True)
        raise DataError(f"backup failed: {e}") from e
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise DataError(f"cannot write {target}: {e.strerror or e}") from e
    try:
        store = Store(db_path)
        store.log(None, "data_backup", {"file": target.name, "counts": counts})
        store.close()
    except StoreError:
        pass  # the backup itself is fine; the log line is a courtesy
    return {"file": str(target), "bytes": target.stat().st_size, "counts": counts}


def check_kiosk_db(path: Path) -> dict:
    """Refuse anything that is not a kiosk database (or one from a newer kiosk version)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path} is not a file")
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise DataError(f"{path} is not a kiosk database (not an SQLite file)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "_sqlite_migrations" not in tables:
                raise DataError(f"{path} is not a kiosk database (no migration record)")
            names = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (SCHEMA_NAME,))]
            if not names:
                raise DataError(f"{path} is not a kiosk database (no {SCHEMA_NAME} schema)")
            missing = [t for t in KIOSK_TABLES if t not in tables]
            if missing:
                raise DataError(f"{path} is not a kiosk database (missing tables: {', '.join(missing)})")
            known = migration_names()
            newer = [n for n in names if n not in known]
            if newer:
                raise DataError(f"{path} was made by a newer kiosk version (schema {', '.join(newer)}); "
                                "update the kiosk first")
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            if ok != "ok":
                raise DataError(f"{path} is damaged: {ok}")
            counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in KIOSK_TABLES}
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise DataError(f"{path} is not a kiosk database ({e})") from e
    return counts


def restore(source: Path, db_path: Path) -> dict:
    """Replace the live database with a checked backup. The current one is kept beside it."""
    source, db_path = Path(source), Path(db_path)
    counts = check_kiosk_db(source)
    if db_path.exists() and source.resolve() == db_path.resolve():
        raise DataError("that file is the live database itself")
    kept = None
    try:
        if db_path.exists():
            stamp = now_utc().strftime("%Y%m%dT%H%M%SZ")
            kept = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            backup(db_path, kept)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(str(db_path), timeout=10)
        try:
            dst.execute("PRAGMA busy_timeout=10000")
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        finally:
            src.close()
            dst.close()
    except sqlite3.Error as e:
        raise DataError(f"restore failed: {e}; the database was not changed") from e
    except OSError as e:
        raise DataError(f"restore failed: {e.strerror or e}") from e
    store = Store(db_path)  # brings an older backup up to the current schema
    store.log(None, "data_restore", {"file": source.name, "counts": counts,
                                     "kept": kept.name if kept else None})
    store.close()
    return {"restored": str(source), "counts": counts, "kept": str(kept) if kept else None}
