"""The recordings folder in the data directory, and how often each line was heard.

    DATA/narration/ID.wav          the processed recording (mono 16-bit, PLAY_RATE)
    DATA/narration/manifest.json   per id: text and text_hash it was made for, status, score...
    DATA/narration/heard.sqlite3   one row per line played to a visitor: line id, voice, words

A recording is played only while its status is ``accepted`` and its text hash is the line's
current one; a changed text makes it stale (the synthetic voice speaks until it is recorded
again); ``flagged`` (nghi đọc nhầm) and ``to_confirm`` (matched by its transcript, waiting for
a person) are kept but not played. The heard counts live beside the recordings, not in the
visitor log: they hold no session, and the log's event order stays what the flow wrote.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
from pathlib import Path

from kiosk.narration.catalogue import SAFE_ID, Line, text_hash

STATUSES = ("accepted", "to_confirm", "flagged")
#: a line's state for people (console, status): id -> Vietnamese label
LABELS = {"none": "chưa ghi", "recorded": "đã ghi", "stale": "chữ đã đổi – cần ghi lại",
          "flagged": "nghi đọc nhầm", "to_confirm": "chờ xác nhận"}

_lock = threading.Lock()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class NarrationStore:
    def __init__(self, data_dir: Path | str):
        self.dir = Path(data_dir) / "narration"
        self.manifest_path = self.dir / "manifest.json"

    # --- manifest ------------------------------------------------------------------------------

    def entries(self) -> dict[str, dict]:
        try:
            return json.loads(self.manifest_path.read_text("utf-8")).get("lines", {})
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as e:
            raise OSError(f"{self.manifest_path}: unreadable narration manifest ({e})") from None

    def _save(self, entries: dict[str, dict]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=self.dir)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"version": 1, "lines": entries}, fh, ensure_ascii=False, indent=1,
                      sort_keys=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.manifest_path)

    def wav_path(self, line_id: str) -> Path:
        if not SAFE_ID.match(line_id):
            raise ValueError(f"not a line id: {line_id!r}")
        return self.dir / f"{line_id}.wav"

    def put(self, line: Line, samples, status: str, **info) -> dict:
        """Keep a processed recording of ``line`` (replacing an earlier one)."""
        from kiosk.narration.process import write_wav
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        self.dir.mkdir(parents=True, exist_ok=True)
        target = self.wav_path(line.id)
        fd, tmp = tempfile.mkstemp(suffix=".wav", prefix=".rec-", dir=self.dir)
        os.close(fd)
        try:
            write_wav(tmp, samples)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        entry = {"file": target.name, "text": line.text, "text_hash": text_hash(line.text),
                 "status": status, "at": _now(), **info}
        with _lock:
            entries = self.entries()
            entries[line.id] = entry
            self._save(entries)
        return entry

    def set_status(self, line_id: str, status: str) -> bool:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        with _lock:
            entries = self.entries()
            if line_id not in entries:
                return False
            entries[line_id]["status"] = status
            entries[line_id]["at"] = _now()
            self._save(entries)
        return True

    def remove(self, line_id: str) -> None:
        with _lock:
            entries = self.entries()
            entries.pop(line_id, None)
            self._save(entries)
        self.wav_path(line_id).unlink(missing_ok=True)

    # --- what a line's state is ----------------------------------------------------------------

    @staticmethod
    def state_of(line: Line, entry: dict | None) -> str:
        """none | recorded | stale | flagged | to_confirm (see LABELS)."""
        if not entry:
            return "none"
        if entry.get("text_hash") != text_hash(line.text):
            return "stale"
        return {"accepted": "recorded"}.get(entry.get("status"), entry.get("status", "none"))

    def playable(self, line: Line, entries: dict | None = None) -> Path | None:
        """The recording to play for ``line``, or None (not recorded, stale, flagged...)."""
        entries = self.entries() if entries is None else entries
        if self.state_of(line, entries.get(line.id)) != "recorded":
            return None
        path = self.wav_path(line.id)
        return path if path.is_file() else None

    # --- heard ---------------------------------------------------------------------------------

    def _heard_db(self):
        import sqlite_utils
        self.dir.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(self.dir / "heard.sqlite3")
        if "heard" not in db.table_names():
            db["heard"].create({"at": str, "line": str, "voice": str, "words": int})
            db["heard"].create_index(["at"])
        return db

    def note_heard(self, parts: list[tuple[str, str, int]], at: str | None = None) -> None:
        """Lines just played: (line id, 'human' | 'synthetic', words)."""
        when = at or _now()
        db = self._heard_db()
        try:
            db["heard"].insert_all({"at": when, "line": i, "voice": voice, "words": words}
                                   for i, voice, words in parts)
        finally:
            db.close()

    def heard_counts(self) -> dict[str, int]:
        if not (self.dir / "heard.sqlite3").is_file():
            return {}
        db = self._heard_db()
        try:
            return {line: n for line, n in db.execute(
                "SELECT line, count(*) FROM heard GROUP BY line")}
        finally:
            db.close()

    def human_share(self, days: int = 30, now: dt.datetime | None = None) -> float | None:
        """Share of the words visitors heard in the last ``days`` that a person had recorded."""
        if not (self.dir / "heard.sqlite3").is_file():
            return None
        now = now or dt.datetime.now(dt.timezone.utc)
        since = (now - dt.timedelta(days=days)).isoformat(timespec="seconds")
        db = self._heard_db()
        try:
            human, total = db.execute(
                "SELECT coalesce(sum(CASE WHEN voice = 'human' THEN words END), 0), "
                "coalesce(sum(words), 0) FROM heard WHERE at >= ?", [since]).fetchone()
        finally:
            db.close()
        return round(human / total, 3) if total else None
