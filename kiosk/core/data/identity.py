"""Which kiosk this is: the commune's code and the kiosk's id, on every row it logs.

Plain Python on an SQLite connection (no Kivy, no import of the store: the store calls in).
The identity lives in the log's own `settings` table (keys `commune` and `kiosk_id`), so it
travels with backups; `KIOSK_COMMUNE` / `KIOSK_ID` in the environment override it and are
written there when the log is opened. SQLite triggers stamp every new session, event and
ticket with it, so no write path of the kiosk or the console has to remember to; rows written
before an identity existed get it when it is first set (never changed afterwards).

Rows are told apart across kiosks by (kiosk id, local row id): the local integer ids stay as
they are (no change to the kiosk's hot path, the console's URLs or the JSON shapes), the kiosk
id is unique in the province (the central `kiosks` table), and a per-kiosk high-water mark is
then all that a sync needs to know what the server has not seen.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from dataclasses import dataclass

from kiosk.core.data.timeutil import utcnow

COMMUNE_KEY, KIOSK_KEY = "commune", "kiosk_id"
STAMPED = ("sessions", "events", "tickets")
# Official administrative codes are digits (e.g. 21130); ids are short names an installer types.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


class IdentityError(ValueError):
    """A commune code or kiosk id that cannot be used. English message for the CLI."""


@dataclass(frozen=True)
class Identity:
    commune: str | None
    kiosk: str | None
    source: str  # "settings", "environment" or "unset"

    @property
    def complete(self) -> bool:
        return bool(self.commune and self.kiosk)

    def as_dict(self) -> dict:
        return {"commune": self.commune, "kiosk": self.kiosk, "source": self.source}


def check(commune: str, kiosk: str) -> None:
    for label, value in (("commune code", commune), ("kiosk id", kiosk)):
        if not value or not _NAME.match(value):
            raise IdentityError(f"the {label} must be 1-40 letters, digits, '.', '_' or '-' "
                                f"(starting with a letter or digit), not {value!r}")


def _env() -> tuple[str | None, str | None]:
    return (os.environ.get("KIOSK_COMMUNE", "").strip() or None,
            os.environ.get("KIOSK_ID", "").strip() or None)


def stored(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    rows = dict(conn.execute("SELECT key, value FROM settings WHERE key IN (?, ?)",
                             (COMMUNE_KEY, KIOSK_KEY)).fetchall())
    return rows.get(COMMUNE_KEY), rows.get(KIOSK_KEY)


def current(conn: sqlite3.Connection) -> Identity:
    """The identity in force: the environment's where set, else the stored one."""
    env_c, env_k = _env()
    commune, kiosk = stored(conn)
    if env_c or env_k:
        return Identity(env_c or commune, env_k or kiosk, "environment")
    return Identity(commune, kiosk, "settings" if (commune or kiosk) else "unset")


def write(conn: sqlite3.Connection, commune: str, kiosk: str, by: str) -> int:
    """Store the identity and stamp older unstamped rows, inside the caller's transaction.
    Returns how many rows were stamped. Logged as an `identity_set` event."""
    check(commune, kiosk)
    for key, value in ((COMMUNE_KEY, commune), (KIOSK_KEY, kiosk)):
        conn.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
    stamped = 0
    for table in STAMPED:
        stamped += conn.execute(f"UPDATE {table} SET commune = ?, kiosk = ? WHERE kiosk IS NULL",
                                (commune, kiosk)).rowcount
    conn.execute("INSERT INTO events (ts, kind, data) VALUES (?, 'identity_set', ?)",
                 (utcnow(), json.dumps({"commune": commune, "kiosk": kiosk, "by": by, "stamped": stamped}),))
    return stamped


def env_differs(conn: sqlite3.Connection) -> bool:
    """The environment names an identity the log does not hold yet (checked on every open,
    written only when it changes, so opening the log stays read-only otherwise)."""
    env_c, env_k = _env()
    if not (env_c and env_k):
        return False
    try:
        check(env_c, env_k)
    except IdentityError:
        return False  # a typo must not stop the kiosk; `kiosk doctor` and `kiosk sync` say why
    return (env_c, env_k) != stored(conn)


def apply_env(conn: sqlite3.Connection) -> None:
    """Write KIOSK_COMMUNE/KIOSK_ID into the log, in the caller's transaction."""
    env_c, env_k = _env()
    write(conn, env_c, env_k, "environment")


def migrate(db) -> None:
    """Schema for identity and sync (sqlite-utils migration, called from the store):
    commune/kiosk columns, the stamping triggers, `synced` marks and the sync high-water table."""
    for table in STAMPED:
        db[table].add_column("commune", str)
        db[table].add_column("kiosk", str)
        # AFTER INSERT: SQLite triggers cannot rewrite NEW; the update is in the same commit.
        db.execute(
            f"CREATE TRIGGER {table}_identity AFTER INSERT ON {table} WHEN NEW.kiosk IS NULL "
            f"BEGIN UPDATE {table} SET "
            f"commune = (SELECT value FROM settings WHERE key = '{COMMUNE_KEY}'), "
            f"kiosk = (SELECT value FROM settings WHERE key = '{KIOSK_KEY}') "
            f"WHERE rowid = NEW.rowid; END")
    for table, when in (("sessions", "started_at"), ("tickets", "created_at")):
        # sessions and tickets change until they are over; they are sent once, when final
        db[table].add_column("synced_at", str)
        db.execute(f"CREATE INDEX idx_{table}_unsynced ON {table}({when}) WHERE synced_at IS NULL")
    db["sync_marks"].create({"name": str, "value": int}, pk="name")
    commune, kiosk = stored(db.conn)
    env_c, env_k = _env()
    commune, kiosk = env_c or commune, env_k or kiosk
    if commune and kiosk:
        try:
            check(commune, kiosk)
        except IdentityError:
            return
        for table in STAMPED:
            db.execute(f"UPDATE {table} SET commune = ?, kiosk = ? WHERE kiosk IS NULL", (commune, kiosk))
