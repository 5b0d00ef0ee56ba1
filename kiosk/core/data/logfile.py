"""The log database file itself: open it, move a damaged one aside, follow a deleted or replaced one.

Used by the log writer (kiosk.core.data.writer), which owns the connection.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
from pathlib import Path

from kiosk.core.data.store import Store, StoreError

log = logging.getLogger("kiosk.writer")

JUNK_CODES = (sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT)


def open_log(path: Path, busy_ms: int | None = None) -> tuple[Store, Path | None]:
    """The store, and where a damaged file was moved (None if it was fine)."""
    kept = None
    try:
        store = Store(path)
    except StoreError as e:
        if not is_junk(e):
            raise
        kept = move_aside(path)
        store = Store(path)
    if busy_ms is not None:
        store.conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    return store, kept


def is_junk(error: StoreError) -> bool:
    cause = error.__cause__
    return isinstance(cause, sqlite3.Error) and getattr(cause, "sqlite_errorcode", None) in JUNK_CODES


def move_aside(path: Path) -> Path:
    """Keep a damaged log for the staff, named with the UTC time; a fresh one can then be made."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    kept = path.with_name(f"{path.name}.junk-{stamp}")
    try:
        os.replace(path, kept)
        for tail in ("-wal", "-shm"):
            side = path.with_name(path.name + tail)
            if side.exists():
                os.replace(side, kept.with_name(kept.name + tail))
    except OSError as e:
        raise StoreError(f"the log database {path} is damaged and cannot be moved aside: {e}") from e
    log.error("the log database %s was not a usable SQLite database; kept it as %s for the staff "
              "and started a fresh log", path, kept)
    return kept


def follow(old: Store, path: Path, deleted: bool) -> None:
    """The file under `path` changed. Deleted: copy what the open connection still reads into a
    new file (nothing lost). Replaced (e.g. `kiosk restore`): leave it, the caller opens it."""
    if deleted:
        _rewrite(old, path)
    else:
        log.warning("the log database %s was replaced; writing to the new file", path)
    try:
        old.close()
    except sqlite3.Error:
        pass


def _rewrite(old: Store, path: Path) -> None:
    try:
        for tail in ("-wal", "-shm"):  # the deleted file's: they must not meet a new one
            path.with_name(path.name + tail).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(str(path))
        try:
            old.conn.backup(dst)
        finally:
            dst.close()
        log.error("the log database %s was deleted while in use; rewrote it from the open connection",
                  path)
    except (sqlite3.Error, OSError) as e:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass
        log.error("the log database %s was deleted and cannot be rewritten (%s); starting a fresh log",
                  path, e)


def identity(path: Path):
    """(device, inode) of the file, None if it is gone: tells a deleted or replaced log."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def junk_files(db_path: Path) -> list[Path]:
    """Damaged log files moved aside (oldest first), for the staff console's notice."""
    return sorted(p for p in Path(db_path).parent.glob(Path(db_path).name + ".junk-*")
                  if not p.name.endswith(("-wal", "-shm")))
