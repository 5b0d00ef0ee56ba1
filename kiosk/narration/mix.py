"""What the kiosk plays for a spoken line: recorded parts where a valid recording exists,
spliced parts from recorded pieces, the synthetic voice for the rest.

    narrator = Narrator(data_dir, speaker, lambda: catalog)
    plan = narrator.plan(text)          # the parts and who says each
    wav = narrator.render(plan, rate)   # None when no part is human: play the synthetic line

Rate: recordings are played at their own pace (a person reads slowly and clearly enough; time
stretching would make them sound wrong). The visitor's rate setting still changes the synthetic
parts, and the pause between parts (longer when slow, shorter when fast).
A spliced sentence needs every piece: one missing and the whole sentence is synthetic, never a
mix inside one sentence.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kiosk.narration.catalogue import lines as catalogue_lines
from kiosk.narration.process import PLAY_RATE, resample
from kiosk.narration.split import Part, split
from kiosk.core.content.lexicon import word_forms
from kiosk.narration.store import NarrationStore

#: silence between two parts, by the visitor's rate
PAUSE = {"slow": 0.45, "normal": 0.25, "fast": 0.15}
CROSSFADE = 0.02  # seconds of overlap between spliced pieces (no click at the joins)


@dataclass(frozen=True)
class Planned:
    part: Part
    voice: str                   # "human" or "synthetic"
    files: tuple[Path, ...] = ()  # the recording, or the pieces in order

    def heard(self) -> list[tuple[str, str, int]]:
        """(line id, voice, words) rows for the heard counts; a dynamic sentence has id ''."""
        words = len(self.part.text.split())
        if self.part.pieces:
            return [(p, self.voice, max(1, words // len(self.part.pieces))) for p in self.part.pieces]
        return [(self.part.id or "", self.voice, words)]


def read_samples(path: Path) -> np.ndarray:
    """A WAV as int16 mono at PLAY_RATE (espeak-ng's own files are already at that rate)."""
    import soundfile as sf
    if sf.info(str(path)).samplerate == PLAY_RATE and sf.info(str(path)).channels == 1:
        return sf.read(str(path), dtype="int16")[0]  # a recording is played sample for sample
    x, rate = sf.read(str(path), dtype="float32", always_2d=True)
    y = resample(x.mean(axis=1), rate, PLAY_RATE)
    return np.clip(np.round(y * 32767), -32768, 32767).astype(np.int16)


def crossfade_join(chunks: list[np.ndarray], overlap: float = CROSSFADE) -> np.ndarray:
    """Pieces joined end to start with an equal-power fade over ``overlap`` seconds."""
    n = int(overlap * PLAY_RATE)
    out = chunks[0].astype(np.float32)
    for nxt in chunks[1:]:
        nxt = nxt.astype(np.float32)
        k = min(n, len(out), len(nxt))
        if k:
            t = np.linspace(0, np.pi / 2, k, dtype=np.float32)
            mixed = out[-k:] * np.cos(t) + nxt[:k] * np.sin(t)
            out = np.concatenate([out[:-k], mixed, nxt[k:]])
        else:
            out = np.concatenate([out, nxt])
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)


class Narrator:
    def __init__(self, data_dir: Path | str, speaker, catalog_fn, cache_dir: Path | None = None):
        self.store = NarrationStore(data_dir)
        self.speaker = speaker
        self._catalog_fn = catalog_fn
        self.cache_dir = Path(cache_dir) if cache_dir else Path(data_dir) / "narration-cache"
        self._lines = None
        self._catalog = None

    def lines(self):
        catalog = self._catalog_fn()
        if catalog is not self._catalog:  # lessons arrive after the first frame
            self._lines = catalogue_lines(catalog)
            self._catalog = catalog
        return self._lines

    def ready(self) -> bool:
        """True when the catalogue of the current lessons is built (half a second for the
        project's lessons); otherwise it is built now on a background thread, and False: the
        player does not make the screen wait for it (the synthetic voice speaks meanwhile)."""
        if self._catalog is not None and self._catalog is self._catalog_fn():
            return True
        if not getattr(self, "_building", False):
            import threading
            self._building = True

            def build():
                try:
                    self.lines()
                finally:
                    self._building = False
            threading.Thread(target=build, name="narration-lines", daemon=True).start()
        return False

    def line(self, line_id: str):
        return next((l for l in self.lines() if l.id == line_id), None)

    # --- plan ----------------------------------------------------------------------------------

    def plan(self, text: str) -> list[Planned]:
        entries = self.store.entries()
        by_id = {l.id: l for l in self.lines()}
        # the kiosk passes the written line (VNeID); the catalogue holds its words as said
        # (Vê nê ai đi) with numbers as written, which the spliced lines are made of
        spoken = " ".join(word_forms(text).split())
        return [self._planned(part, by_id, entries) for part in split(spoken, self.lines())]

    def _planned(self, part: Part, by_id, entries) -> Planned:
        if part.id:
            path = self.store.playable(by_id[part.id], entries)
            return Planned(part, "human", (path,)) if path else Planned(part, "synthetic")
        if part.pieces:
            paths = [self.store.playable(by_id[p], entries) if p in by_id else None
                     for p in part.pieces]
            if all(paths):
                return Planned(part, "human", tuple(paths))
        return Planned(part, "synthetic")

    # --- render --------------------------------------------------------------------------------

    def render(self, plan: list[Planned], rate: str = "normal") -> Path | None:
        """One WAV of the whole line, or None when no part is human (the caller then plays the
        synthetic voice's own rendering of the line, as without recordings)."""
        if not any(p.voice == "human" for p in plan):
            return None
        key = self._key(plan, rate)
        target = self.cache_dir / f"mix-{key}.wav"
        if target.is_file():
            return target
        pause = np.zeros(int(PAUSE.get(rate, PAUSE["normal"]) * PLAY_RATE), dtype=np.int16)
        chunks: list[np.ndarray] = []
        for p in plan:
            if chunks:
                chunks.append(pause)
            chunks.append(self._samples(p, rate))
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        from kiosk.narration.process import write_wav
        fd, tmp = tempfile.mkstemp(suffix=".wav", prefix=".mix-", dir=self.cache_dir)
        os.close(fd)
        try:
            write_wav(tmp, np.concatenate(chunks))
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return target

    def _samples(self, p: Planned, rate: str) -> np.ndarray:
        if p.voice == "human" and len(p.files) == 1 and not p.part.pieces:
            return read_samples(p.files[0])
        if p.voice == "human":
            return crossfade_join([read_samples(f) for f in p.files])
        return read_samples(self.speaker.render(p.part.text, rate))

    def _key(self, plan: list[Planned], rate: str) -> str:
        h = hashlib.sha256(f"{rate}\x00{getattr(self.speaker, 'voice', '')}".encode())
        for p in plan:
            h.update(p.part.text.encode("utf-8") + b"\x00")
            for f in p.files:
                st = f.stat()
                h.update(f"{f}\x00{st.st_mtime_ns}\x00{st.st_size}\x00".encode())
        return h.hexdigest()[:32]

    # --- one line (kiosk say --line) -----------------------------------------------------------

    def line_wav(self, line_id: str, rate: str = "normal") -> tuple[Path, str]:
        """The file the kiosk plays for this line alone, and 'human' or 'synthetic'."""
        line = self.line(line_id)
        if line is None:
            raise KeyError(line_id)
        path = self.store.playable(line)
        if path is not None:
            return path, "human"
        return self.speaker.render(line.text, rate), "synthetic"
