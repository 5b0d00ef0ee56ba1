"""`kiosk narration import DIR|ZIP`: phone recordings into the recordings folder.

A file named by a line id (``lesson.thu-wifi.step.1.m4a``) is that line's recording; any other
name is transcribed and matched to the closest line text. Every file is processed (see
kiosk.narration.process) and compared with its line before it is kept:

- named, within FLAG_WER: ``accepted``; beyond it: ``flagged`` (kept, not played);
- matched by transcript, confident (close, and clearly closer than the next line): ``accepted``
  with ``--accept``, else ``to_confirm`` (a person confirms); close but not confident:
  ``to_confirm``; nothing close: ``refused``;
- unreadable, clipped, silent: ``refused`` with the reason (nothing kept).
"""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

from kiosk.narration.match import FLAG_WER, closest, word_error_rate
from kiosk.narration.process import PLAY_RATE, Refused, process

AUDIO_SUFFIXES = {".wav", ".mp3", ".m4a", ".ogg", ".oga", ".opus", ".aac", ".flac", ".webm"}


def audio_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in AUDIO_SUFFIXES
                  and not p.name.startswith("."))


def _unzip(archive: Path, into: Path) -> Path:
    """Only the sound files, each by its base name (no path from the archive is trusted)."""
    try:
        with zipfile.ZipFile(archive) as z:
            for info in z.infolist():
                name = Path(info.filename).name
                if info.is_dir() or Path(name).suffix.lower() not in AUDIO_SUFFIXES:
                    continue
                (into / name).write_bytes(z.read(info))
    except zipfile.BadZipFile as e:
        raise ValueError(f"{archive}: not a ZIP archive ({e})") from None
    return into


def import_recordings(source: Path, store, lines, transcribe, accept: bool = False) -> list[dict]:
    """One result per sound file: file, id, score, status, reason (and transcript)."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="narration-import-") as tmp:
            return _import_folder(_unzip(source, Path(tmp)), store, lines, transcribe, accept)
    if source.is_dir():
        return _import_folder(source, store, lines, transcribe, accept)
    if source.is_file():
        return [import_one(source, store, lines, transcribe, accept)]
    raise FileNotFoundError(f"{source}: no such folder or ZIP archive")


def _import_folder(folder, store, lines, transcribe, accept) -> list[dict]:
    return [import_one(p, store, lines, transcribe, accept) for p in audio_files(folder)]


def import_one(path: Path, store, lines, transcribe, accept: bool = False,
               line_id: str | None = None) -> dict:
    """Process one file and keep it (or not); ``line_id`` names its line when the name does not."""
    by_id = {l.id: l for l in lines}
    named = line_id or (path.stem if path.stem in by_id else None)
    result = {"file": path.name, "id": named, "score": None, "status": "refused", "reason": ""}
    try:
        clip = process(path)
    except Refused as e:
        result["reason"] = str(e)
        return result
    heard = transcribe(clip.samples, PLAY_RATE)
    result["transcript"] = heard
    if named:
        score = round(word_error_rate(by_id[named].text, heard), 3)
        status = "accepted" if score <= FLAG_WER else "flagged"
        reason = ("" if status == "accepted" else
                  f"nghi đọc nhầm: {score:.0%} of the words differ from the line")
        how = "named"
    else:
        m = closest(heard, lines)
        named, score = m.id, m.score
        if m.id is None or score > FLAG_WER:
            result.update(id=None, score=score, reason=f"no line is close to what was heard: {heard!r}")
            return result
        status = "accepted" if (m.confident and accept) else "to_confirm"
        reason = ("" if status == "accepted" else
                  "matched by its words: confirm it" if m.confident else
                  f"matched by its words, but close to another line too (next {m.runner_up:.0%})")
        how = "matched"
    store.put(by_id[named], clip.samples, status, score=score, transcript=heard,
              source=path.name, how=how, seconds=round(clip.seconds, 2),
              lufs_before=round(clip.lufs_before, 1))
    result.update(id=named, score=score, status=status, reason=reason)
    return result
