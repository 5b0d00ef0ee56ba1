"""Text to speech: pyttsx3 driving espeak-ng, rendered once into a verified WAV cache.

    sp = Speaker(cache_dir)                  # voice vi-vn-x-central by default
    wav = sp.render("Chạm vào nút Tiếp theo.", rate="slow")

Each line is rendered once per (text, voice, rate) into ``cache_dir/<hash>.wav``
and checked before it is kept: it parses as a WAV, its length fits the text, it
is not silence. pyttsx3's ``save_to_file`` is unreliable when an engine is
reused (see STACK.md), so each file is rendered by a fresh engine in a child
process; if that fails or gives a bad file, the ``espeak-ng`` command line is
used; if neither works, :class:`TTSError`.

Digit strings that look like an ID number, OTP, PIN or phone number are never
spoken: :func:`redact_for_speech` replaces them before rendering.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import wave
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.lexicon import spoken_form

__all__ = [
    "Speaker",
    "TTSError",
    "WavCheck",
    "RATES",
    "DEFAULT_VOICE",
    "REDACTED",
    "SENSITIVE_NOTICE",
    "redact_for_speech",
    "verify_wav",
    "spoken_line",
    "lesson_lines",
    "espeak_available",
    "voice_available",
]

DEFAULT_VOICE = "vi-vn-x-central"
#: visitor's speed -> espeak words per minute
RATES = {"slow": 120, "normal": 155, "fast": 190}
#: what is said instead of an ID number, OTP, PIN or phone number
REDACTED = "(số đã ẩn)"
#: what is said for a step marked ``sensitive`` in its lesson
SENSITIVE_NOTICE = "Bước này có thông tin riêng, xin bác xem trên màn hình, kiosk không đọc to."

_SUBPROCESS_TIMEOUT = 30.0


class TTSError(RuntimeError):
    """Neither pyttsx3 nor the espeak-ng command line produced a good WAV."""


# --------------------------------------------------------------------------
# never say an ID number, OTP, PIN or phone number

# six or more digits in a row, or digit groups joined by spaces, dots or
# hyphens that add up to six or more digits (OTPs, phone and ID numbers in groups)
_LONG_DIGITS = re.compile(r"\d{6,}")
_GROUPED = re.compile(r"\d+(?:[ .\-]\d+)+")
_DATE = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[.\-]\d{1,2}[.\-]\d{4})$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 1.000.000: an amount, not an ID
_MONEY_AFTER = re.compile(r"^\s*(?:đồng|đ|vnđ|vnd|triệu|tỷ|nghìn|ngàn)\b", re.IGNORECASE)


def redact_for_speech(text: str) -> str:
    """``text`` with ID/OTP/PIN-like digit strings replaced by "(số đã ẩn)".

    Redacted: 6+ consecutive digits ("mã OTP 123456"), and groups of digits
    separated by spaces, dots or hyphens totalling 6+ digits ("0912 345 678",
    "12 34 56"). Kept: dates ("25-11-2026") and amounts ("1.000.000 đồng").
    """
    text = unicodedata.normalize("NFC", text or "")

    def grouped(m: re.Match) -> str:
        s = m.group(0)
        digits = sum(ch.isdigit() for ch in s)
        if _DATE.match(s) or _THOUSANDS.match(s) or _MONEY_AFTER.match(text[m.end():]):
            return s
        if digits >= 6:
            return REDACTED
        return s

    text = _GROUPED.sub(grouped, text)
    return _LONG_DIGITS.sub(REDACTED, text)


def for_engine(text: str) -> str:
    """The one way to the speech engine: codes redacted, then the pronunciation lexicon
    (lessons/lexicon.yaml) turns the written words into spoken ones."""
    return spoken_form(redact_for_speech(text)).strip()


def spoken_line(step) -> str:
    """What the kiosk says for a lesson step: its ``spoken`` text (``say`` or
    ``text``), redacted; for a ``sensitive`` step, a notice instead."""
    if getattr(step, "sensitive", False):
        return SENSITIVE_NOTICE
    spoken = getattr(step, "spoken", None)
    if callable(spoken):
        spoken = spoken()
    if not spoken:
        spoken = getattr(step, "say", None) or getattr(step, "text", "") or ""
    return redact_for_speech(spoken)


def lesson_lines(lesson) -> list[str]:
    """Every line the kiosk may say for ``lesson`` (title, summary, steps, quiz)."""
    lines = []
    for attr in ("title", "summary"):
        v = getattr(lesson, attr, None)
        if v:
            lines.append(redact_for_speech(v))
    for step in getattr(lesson, "steps", ()) or ():
        lines.append(spoken_line(step))
    for q in getattr(lesson, "quiz", ()) or ():
        for attr in ("question", "why"):
            v = getattr(q, attr, None)
            if v:
                lines.append(redact_for_speech(v))
        for c in getattr(q, "choices", ()) or ():
            lines.append(redact_for_speech(c))
    seen: dict[str, None] = {}
    for line in lines:
        if line.strip():
            seen.setdefault(line, None)
    return list(seen)


# --------------------------------------------------------------------------
# checking a rendered file


def _loud_tail(samples, per_second: int, seconds: float, min_rms: float) -> bool:
    """True when the last ``seconds`` of ``samples`` hold sound above ``min_rms``."""
    tail = samples[-max(1, int(per_second * seconds)):]
    return math.sqrt(sum(s * s for s in tail) / len(tail)) >= min_rms


@dataclass
class WavCheck:
    ok: bool
    reason: str
    seconds: float = 0.0
    rms: float = 0.0
    rate: int = 0


def _expected_seconds(text: str, wpm: int) -> tuple[float, float]:
    """A generous (min, max) duration for ``text`` spoken at ``wpm``."""
    words = max(1, len(re.findall(r"\w+", text)))
    nominal = words * 60.0 / wpm
    return max(0.15, 0.25 * nominal), 4.0 * nominal + 2.0


#: a whole espeak-ng render ends in at least 0.36 s of near-silence (all 316 lesson lines);
#: a file the engine stopped writing early ends mid-sound
RENDER_TAIL_SECONDS = 0.15


def verify_wav(path: Path | str, text: str | None = None, wpm: int = RATES["normal"],
               min_rms: float = 100.0, quiet_tail: float = 0.0) -> WavCheck:
    """Check that ``path`` is a WAV of plausible length for ``text`` and not silence.

    ``min_rms`` is on the int16 scale (100 is about -50 dBFS). ``quiet_tail`` (seconds): the
    file must end in that much near-silence, which catches a synthesis cut off mid-word.
    """
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as w:
            nch, width, rate, nframes = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            data = w.readframes(nframes)
    except (wave.Error, EOFError, OSError) as e:
        return WavCheck(False, f"not a readable WAV file ({e})")
    if width != 2 or rate <= 0 or nch < 1:
        return WavCheck(False, f"unexpected WAV format: {width * 8}-bit, {rate} Hz, {nch} ch")
    if len(data) < nframes * nch * width or nframes == 0:
        return WavCheck(False, "WAV file is empty or truncated", rate=rate)
    seconds = nframes / rate
    import array

    samples = array.array("h")
    samples.frombytes(data[: nframes * nch * width])
    if sys.byteorder == "big":
        samples.byteswap()
    step = max(1, len(samples) // 200_000)  # enough samples for an RMS, fast on long files
    picked = samples[::step]
    rms = math.sqrt(sum(s * s for s in picked) / max(1, len(picked)))
    if rms < min_rms:
        return WavCheck(False, f"silence (RMS {rms:.0f} < {min_rms:.0f})", seconds, rms, rate)
    if quiet_tail and _loud_tail(samples, nch * rate, quiet_tail, min_rms):
        return WavCheck(False, f"cut off: the last {quiet_tail:.2f} s is not silence",
                        seconds, rms, rate)
    if text is not None:
        lo, hi = _expected_seconds(text, wpm)
        if not lo <= seconds <= hi:
            return WavCheck(False, f"duration {seconds:.2f} s implausible for the text "
                                   f"(expected {lo:.2f}-{hi:.2f} s)", seconds, rms, rate)
    return WavCheck(True, "ok", seconds, rms, rate)


# --------------------------------------------------------------------------
# engines


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def voice_available(voice: str = DEFAULT_VOICE) -> bool:
    """True when espeak-ng knows ``voice`` (checked with ``espeak-ng --voices``)."""
    exe = shutil.which("espeak-ng")
    if not exe:
        return False
    try:
        out = subprocess.run([exe, "--voices"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    wanted = voice.lower()
    for line in out.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5 and (parts[1].lower() == wanted or parts[4].lower().endswith(wanted)):
            return True
    return False


#: prefix of a render error that came from checking the file (not from the engine failing)
_BAD_WAV = "bad file: "

# run in a fresh interpreter: one engine, one file, then exit
_PYTTSX3_CHILD = r"""
import sys, pyttsx3
text, out, voice, wpm = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
eng = pyttsx3.init()
chosen = None
for v in eng.getProperty("voices"):
    vid = (v.id or "").lower()
    langs = [str(l).lower() for l in (v.languages or [])]
    if vid == voice.lower() or vid.endswith("/" + voice.lower()) or voice.lower() in langs:
        chosen = v.id
        break
if chosen is None:
    sys.stderr.write("voice not found: %s\n" % voice)
    sys.exit(3)
# Voice and rate go straight to espeak, which is then let to take them (Synchronize), not through
# pyttsx3's queue: runAndWait's endLoop calls the driver's stop, which cancels espeak when its own
# queue is still busy, and a cancel drops the queued rate and restores older settings. On a loaded
# machine the slow line then came out at 200 words a minute (2.15 s where 3.53 s was asked for).
from pyttsx3.drivers import _espeak, espeak as espeak_driver
espeak_driver.EspeakDriver.setProperty("voice", chosen)
espeak_driver.EspeakDriver.setProperty("rate", wpm)
_espeak.Synchronize()
import threading
# pyttsx3 2.99's espeak driver synthesises in espeak's own thread and its runAndWait returns as
# soon as the synthesis has *started* (the queued endLoop runs in the same pump as save_to_file).
# Polling the file and asking again raced that thread: a second save_to_file emptied the buffer
# mid-synthesis, and the file then held only the end of the line. The driver announces the file
# written with "finished-utterance", so the child waits for exactly that.
done = threading.Event()
eng.connect("finished-utterance", lambda **kw: done.set())
eng.save_to_file(text, out)
eng.runAndWait()
if not done.wait(float(sys.argv[5])):
    sys.stderr.write("synthesis did not finish\n")
    sys.exit(4)
"""


class Speaker:
    """Renders lines to cached, verified WAV files.

    ``engine``: "auto" (pyttsx3, then the espeak-ng command line), "pyttsx3"
    or "espeak" (one only).
    """

    def __init__(self, cache_dir: Path | str, voice: str = DEFAULT_VOICE, engine: str = "auto",
                 python: str | None = None):
        if engine not in ("auto", "pyttsx3", "espeak"):
            raise ValueError(f"unknown TTS engine {engine!r}")
        self.cache_dir = Path(cache_dir)
        self.voice = voice
        self.engine = engine
        self.python = python or sys.executable
        #: which engine made the last file ("cache", "pyttsx3", "espeak-ng")
        self.last_source = ""
        #: why the engines failed on the last render, if they did
        self.last_errors: list[str] = []

    # -- cache ------------------------------------------------------------
    def key(self, text: str, rate: str = "normal") -> str:
        return self._key(for_engine(text), rate)

    def _key(self, said: str, rate: str) -> str:
        h = hashlib.sha256(f"{self.voice}\x00{rate}\x00{said}".encode("utf-8"))
        return h.hexdigest()[:32]

    def cache_path(self, text: str, rate: str = "normal") -> Path:
        return self.cache_dir / f"{self.key(text, rate)}.wav"

    def cached(self, text: str, rate: str = "normal") -> Path | None:
        """The cached file for this line, or None (cheap: header check only)."""
        return self._cached(self.cache_dir / f"{self.key(text, rate)}.wav")

    @staticmethod
    def _cached(p: Path) -> Path | None:
        try:
            with wave.open(str(p), "rb") as w:
                if w.getnframes() > 0 and p.stat().st_size >= 44 + w.getnframes() * w.getsampwidth():
                    return p
        except (wave.Error, EOFError, OSError):
            pass
        return None

    # -- rendering ---------------------------------------------------------
    def render(self, text: str, rate: str = "normal") -> Path:
        """Path of a verified WAV of ``text`` spoken at ``rate`` (slow|normal|fast)."""
        if rate not in RATES:
            raise ValueError(f"unknown rate {rate!r}; expected slow, normal or fast")
        safe = for_engine(text)
        if not re.search(r"\w", safe):
            raise TTSError("nothing to say: the text is empty")
        target = self.cache_dir / f"{self._key(safe, rate)}.wav"
        hit = self._cached(target)
        if hit is not None:
            self.last_source = "cache"
            return hit
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        wpm = RATES[rate]
        self.last_errors = []
        engines = {"auto": ("pyttsx3", "espeak-ng"), "pyttsx3": ("pyttsx3",),
                   "espeak": ("espeak-ng",)}[self.engine]
        for name in engines:
            err = self._render_with(name, safe, target, wpm)
            if err is not None and name == "pyttsx3" and err.startswith(_BAD_WAV):
                # a file that fails its check (empty, cut, silent) gets one more fresh child
                # before pyttsx3 is given up for the espeak-ng command line
                self.last_errors.append(f"{name}: {err}")
                err = self._render_with(name, safe, target, wpm)
            if err is None:
                self.last_source = name
                return target
            self.last_errors.append(f"{name}: {err}")
        raise TTSError("could not render speech with the voice "
                       f"{self.voice!r}: " + "; ".join(self.last_errors))

    def _render_with(self, name: str, safe: str, target: Path, wpm: int) -> str | None:
        """Render with one engine into a temp file, verify it, move it to ``target``.
        None when done, else why not (a failed check starts with ``_BAD_WAV``)."""
        fd, tmp = tempfile.mkstemp(suffix=".wav", prefix=".render-", dir=self.cache_dir)
        os.close(fd)
        tmp_path = Path(tmp)
        try:
            err = (self._pyttsx3 if name == "pyttsx3" else self._espeak)(safe, tmp_path, wpm)
            if err is not None:
                return err
            check = verify_wav(tmp_path, safe, wpm, quiet_tail=RENDER_TAIL_SECONDS)
            if not check.ok:
                return f"{_BAD_WAV}{check.reason}"
            os.replace(tmp_path, target)
            return None
        finally:
            tmp_path.unlink(missing_ok=True)

    def _pyttsx3(self, text: str, out: Path, wpm: int) -> str | None:
        try:
            proc = subprocess.run(
                [self.python, "-c", _PYTTSX3_CHILD, text, str(out), self.voice, str(wpm),
                 str(_SUBPROCESS_TIMEOUT - 5)],
                capture_output=True, text=True, timeout=_SUBPROCESS_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return "timed out"
        except OSError as e:
            return f"cannot start Python ({e})"
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            return f"exit {proc.returncode}: {last}"
        return None

    def _espeak(self, text: str, out: Path, wpm: int) -> str | None:
        exe = shutil.which("espeak-ng")
        if not exe:
            return "espeak-ng is not installed"
        try:
            proc = subprocess.run(
                [exe, "-v", self.voice, "-s", str(wpm), "-w", str(out), "--", text],
                capture_output=True, text=True, timeout=_SUBPROCESS_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            return "timed out"
        except OSError as e:
            return f"cannot run espeak-ng ({e})"
        if proc.returncode != 0:
            return f"exit {proc.returncode}: {proc.stderr.strip()[:200]}"
        return None
