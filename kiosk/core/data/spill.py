"""The spill file: log writes that could not reach the database yet, as JSON lines, fsynced.

It lives in a second writable place, not beside the database (that folder may be the one that
is full or read-only): $KIOSK_SPILL_DIR if set, else the per-user cache directory, /dev/shm or the
temporary directory: the first that takes the lines (a disk that is full under the log is
usually full under the cache too; the temporary directory is often another file system). One file per log
database (named by a hash of its path), so a test or a second data folder never takes another's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger("kiosk.spill")


class Spill:
    def __init__(self, candidates: list[Path], name: str):
        self.candidates = candidates
        self.name = name
        self.path: Path | None = self._existing()
        self._warned = False

    def _existing(self) -> Path | None:
        found = [d / self.name for d in self.candidates if (d / self.name).is_file()]
        return max(found, key=lambda p: p.stat().st_mtime) if found else None

    def exists(self) -> bool:
        return self.path is not None and self.path.exists()

    def append(self, lines: list[str]) -> bool:
        """Append and fsync; False when no place can take them (they stay in memory)."""
        places = [self.path] if self.path is not None else [d / self.name for d in self.candidates]
        for path in places:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                with open(path, "a", encoding="utf-8") as fh:
                    fh.write("".join(line + "\n" for line in lines))
                    fh.flush()
                    os.fsync(fh.fileno())
            except OSError as e:
                if not self._warned:
                    log.error("cannot write the spill file %s: %s", path, e)
                    self._warned = True
                continue
            self.path = path
            return True
        return False

    def read(self) -> list[dict]:
        if not self.exists():
            return []
        out = []
        try:
            text = self.path.read_text(encoding="utf-8")
        except OSError as e:
            log.error("cannot read the spill file %s: %s", self.path, e)
            return []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except ValueError:  # a line cut by a crash in the middle of a write
                log.error("spill file %s: line %d is not JSON; skipped", self.path, n)
        return out

    def remove(self) -> None:
        if self.path is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        except OSError as e:
            log.error("cannot remove the spill file %s: %s", self.path, e)
            return
        self.path = None


def spill_dirs(db_path: Path) -> list[Path]:
    """Where a spill file may go, best first."""
    if os.environ.get("KIOSK_SPILL_DIR"):
        return [Path(os.environ["KIOSK_SPILL_DIR"])]
    from platformdirs import user_cache_dir
    uid = os.getuid() if hasattr(os, "getuid") else 0
    # survives a power cut first; RAM-backed places last (they still survive a crash)
    dirs = [Path(user_cache_dir("hcc-kiosk", appauthor=False)) / "spill",
            Path(tempfile.gettempdir()) / f"hcc-kiosk-{uid}"]
    if Path("/dev/shm").is_dir():
        dirs.append(Path("/dev/shm") / f"hcc-kiosk-{uid}")
    return dirs


def spill_for(db_path: Path) -> Spill:
    key = hashlib.sha256(str(Path(db_path).resolve()).encode()).hexdigest()[:16]
    return Spill(spill_dirs(Path(db_path)), f"spill-{key}.jsonl")

