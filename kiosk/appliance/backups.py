"""Nightly backups: a checked copy of the log into a folder (or a mounted USB disk), the last N
kept. The copy itself is kiosk.core.data.datacare.backup (SQLite's online backup API, then
PRAGMA integrity_check on the copy before it gets its final name)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from kiosk.core.data.datacare import DataError, backup

PREFIX, SUFFIX = "kiosk-", ".sqlite3"


def backup_files(folder: Path) -> list[Path]:
    """The rotated backups in `folder`, oldest first (their names sort by UTC time)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p.is_file()), key=_order)


def _order(path: Path) -> tuple[str, int]:
    """kiosk-20261129T023000Z.sqlite3 before kiosk-20261129T023000Z-2.sqlite3 (same second)."""
    stamp, _, n = path.name[len(PREFIX):-len(SUFFIX)].partition("-")
    return stamp, int(n) if n.isdigit() else 1


def _name(now: dt.datetime, folder: Path) -> Path:
    stem = PREFIX + now.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target, n = folder / (stem + SUFFIX), 1
    while target.exists():  # two runs in one second: never overwrite a backup
        n += 1
        target = folder / f"{stem}-{n}{SUFFIX}"
    return target


def rotate(db_path: Path, folder: Path, keep: int, *, mounted: bool = False,
           now: dt.datetime | None = None) -> dict:
    """Write a new checked backup into `folder`, then delete all but the newest `keep`.

    mounted=True refuses a folder that is not on a mounted disk of its own (a USB disk that was
    unplugged leaves an empty mount point, and the backup must not fill the system disk)."""
    folder = Path(folder)
    if keep < 1:
        raise DataError("keep must be at least 1")
    if mounted and not _on_mounted_disk(folder):
        raise DataError(f"{folder} is not on a mounted disk (is the USB disk plugged in?)")
    target = _name(now or dt.datetime.now(dt.timezone.utc), folder)
    result = backup(db_path, target)
    removed = [p for p in backup_files(folder)[:-keep] if p != target]
    for old in removed:
        old.unlink(missing_ok=True)
    result["removed"] = [p.name for p in removed]
    result["kept"] = len(backup_files(folder))
    return result


def _on_mounted_disk(folder: Path) -> bool:
    """True if `folder` (or the folder above it that exists) is inside a mount point other
    than the root file system's."""
    p = Path(os.path.abspath(folder))
    while not p.exists():
        p = p.parent
    while p != p.parent:
        if os.path.ismount(p):
            return True
        p = p.parent
    return False


def last_backup(folder: Path) -> dict | None:
    """The newest backup in `folder`: file, size, age; None if there is none."""
    files = backup_files(folder)
    if not files:
        return None
    newest = files[-1]
    st = newest.stat()
    age = dt.datetime.now(dt.timezone.utc).timestamp() - st.st_mtime
    return {"file": str(newest), "bytes": st.st_size, "age_hours": round(age / 3600, 1),
            "count": len(files)}


def free_disk(folder: Path) -> dict | None:
    """Free space where `folder` lives (or the nearest folder above it that exists)."""
    p = Path(os.path.abspath(folder))
    while not p.exists():
        p = p.parent
    try:
        usage = shutil.disk_usage(p)
    except OSError:
        return None
    return {"path": str(p), "free_bytes": usage.free, "total_bytes": usage.total}
