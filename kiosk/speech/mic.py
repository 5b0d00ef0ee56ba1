"""Push-to-talk capture: microphone -> 16 kHz int16 samples, ended by a VAD.

    try:
        ptt = PushToTalk()
        samples = ptt.record(stop=button_released_event)   # blocks; run it off the UI thread
    except MicUnavailable as e:
        ...  # touch only; show/say e.message to staff

Recording starts when the visitor presses the microphone button (or the fixed
key) and ends at whichever comes first: the voice-activity detector hears the
end of speech, the button is released (``stop`` event), or ``max_seconds``.
The samples are returned in memory; nothing recorded is written to disk.

No microphone is not an error for the kiosk: every way the audio stack can be
missing becomes :class:`MicUnavailable` (PortAudio library missing -> OSError
on import; no input device; PortAudioError when opening the stream).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np

__all__ = [
    "MicUnavailable",
    "Endpointer",
    "PushToTalk",
    "mic_status",
    "frames_of",
    "SAMPLE_RATE",
    "FRAME_MS",
]

SAMPLE_RATE = 16000
FRAME_MS = 30
FRAME = SAMPLE_RATE * FRAME_MS // 1000  # 480 samples


class MicUnavailable(RuntimeError):
    """No usable microphone: the kiosk stays in touch-only mode."""


def _sounddevice():
    """Import sounddevice, turning every failure into MicUnavailable."""
    try:
        import sounddevice as sd
    except OSError as e:  # libportaudio2 missing: the import itself fails
        raise MicUnavailable(f"PortAudio library not found ({e}); install libportaudio2") from None
    except ImportError as e:
        raise MicUnavailable(f"sounddevice is not installed ({e})") from None
    return sd


def _input_device(sd, device=None):
    try:
        devices = sd.query_devices()
    except Exception as e:  # PortAudioError, or anything from a broken host API
        raise MicUnavailable(f"cannot list audio devices ({e})") from None
    inputs = [i for i, d in enumerate(devices) if d.get("max_input_channels", 0) > 0]
    if not inputs:
        raise MicUnavailable("no microphone found (no audio input device)")
    if device is not None:
        return device
    try:
        default = sd.default.device[0]
    except Exception:
        default = None
    return default if default is not None and default in inputs else inputs[0]


def mic_status(device=None) -> dict:
    """{"ok": bool, "detail": str} without opening a stream (for kiosk doctor)."""
    try:
        sd = _sounddevice()
        dev = _input_device(sd, device)
        name = sd.query_devices(dev).get("name", str(dev))
        return {"ok": True, "detail": f"input device {name}"}
    except MicUnavailable as e:
        return {"ok": False, "detail": str(e)}
    except Exception as e:
        return {"ok": False, "detail": f"audio error ({e})"}


# --------------------------------------------------------------------------
# voice activity: end of speech


class _EnergyVad:
    """Fallback VAD when webrtcvad is missing: frame RMS above an adaptive floor."""

    def __init__(self, threshold: float = 500.0):
        self.threshold = threshold
        self.floor = None

    def is_speech(self, frame: bytes, rate: int) -> bool:
        x = np.frombuffer(frame, dtype=np.int16).astype(np.float64)
        rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
        # noise floor: follows quiet frames down at once, creeps up slowly
        self.floor = rms if self.floor is None or rms < self.floor else self.floor * 1.01 + 1.0
        return rms > max(self.threshold, 3.0 * (self.floor or 0.0))


@dataclass
class _State:
    started: bool = False
    speech_ms: int = 0
    silence_ms: int = 0
    done: bool = False


class Endpointer:
    """Feeds 30 ms frames to a VAD and says when the utterance has ended.

    Speech "starts" after ``start_ms`` of voiced frames; it "ends" after
    ``end_silence_ms`` of unvoiced frames once started. ``feed`` returns True
    when the end is reached. webrtcvad (``webrtcvad-wheels``) is used when
    installed, else a simple energy detector.
    """

    def __init__(self, aggressiveness: int = 2, start_ms: int = 90, end_silence_ms: int = 450,
                 rate: int = SAMPLE_RATE):
        self.rate = rate
        self.start_ms = start_ms
        self.end_silence_ms = end_silence_ms
        try:
            import webrtcvad

            self._vad = webrtcvad.Vad(aggressiveness)
            self.kind = "webrtcvad"
        except ImportError:
            self._vad = _EnergyVad()
            self.kind = "energy"
        self.state = _State()
        self._run = 0

    def reset(self) -> None:
        self.state = _State()
        self._run = 0

    def feed(self, frame: np.ndarray | bytes) -> bool:
        data = frame.tobytes() if isinstance(frame, np.ndarray) else frame
        voiced = self._vad.is_speech(data, self.rate)
        st = self.state
        if voiced:
            self._run += FRAME_MS
            st.silence_ms = 0
            if self._run >= self.start_ms:
                st.started = True
            if st.started:
                st.speech_ms += FRAME_MS
        else:
            self._run = 0
            if st.started:
                st.silence_ms += FRAME_MS
                if st.silence_ms >= self.end_silence_ms:
                    st.done = True
        return st.done


def frames_of(samples: np.ndarray) -> Iterator[np.ndarray]:
    """Split int16 samples into whole 30 ms frames (the last partial one is dropped)."""
    samples = np.asarray(samples, dtype=np.int16)
    for i in range(0, len(samples) - FRAME + 1, FRAME):
        yield samples[i:i + FRAME]


# --------------------------------------------------------------------------
# push to talk


class PushToTalk:
    """Records one utterance from the microphone into memory.

    ``stream_factory(callback)`` may replace the sounddevice stream (tests feed
    a WAV file through the same loop); it must return a context manager that
    calls ``callback(int16 frames)`` from its own thread.
    """

    def __init__(self, device=None, max_seconds: float = 8.0, lead_ms: int = 300,
                 endpointer: Endpointer | None = None,
                 stream_factory: Callable | None = None):
        self.device = device
        self.max_seconds = max_seconds
        self.lead_ms = lead_ms
        self.endpointer = endpointer or Endpointer()
        self._factory = stream_factory or self._sd_stream
        if stream_factory is None:
            sd = _sounddevice()          # fail now, not when the visitor presses the button
            _input_device(sd, device)
        #: seconds from the end of speech (last voiced frame) to return, for the bench
        self.last_end_of_speech: float | None = None

    def _sd_stream(self, callback):
        sd = _sounddevice()
        dev = _input_device(sd, self.device)

        def cb(indata, frames, time_info, status):  # sounddevice's callback signature
            callback(indata[:, 0].copy() if indata.ndim == 2 else indata.copy())

        try:
            return sd.InputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                  blocksize=FRAME, device=dev, callback=cb)
        except Exception as e:  # sd.PortAudioError: device busy, unplugged, wrong rate
            raise MicUnavailable(f"cannot open the microphone ({e})") from None

    def record(self, stop: threading.Event | None = None,
               on_frame: Callable[[np.ndarray], None] | None = None) -> np.ndarray:
        """Samples (16 kHz int16) from the press to the end of speech.

        ``on_frame`` gets every 30 ms frame as it arrives, e.g. to feed a
        streaming recognizer (``VietAsrRecognizer.stream()``) so that only the
        last bit is left to decode at the end of speech.

        Returns an empty array when nothing was said before ``stop`` or the
        time limit. Raises MicUnavailable when the microphone cannot be used.
        """
        q: queue.Queue = queue.Queue()
        ep = self.endpointer
        ep.reset()
        kept: list[np.ndarray] = []
        pending = np.zeros(0, dtype=np.int16)
        lead_frames = max(0, self.lead_ms // FRAME_MS)
        deadline = time.monotonic() + self.max_seconds
        try:
            stream = self._factory(q.put)
            with stream:
                while True:
                    if stop is not None and stop.is_set():
                        break
                    if time.monotonic() > deadline:
                        break
                    try:
                        block = q.get(timeout=0.05)
                    except queue.Empty:
                        if getattr(stream, "finished", False):
                            break
                        continue
                    pending = np.concatenate([pending, np.asarray(block, dtype=np.int16).ravel()])
                    ended = False
                    while len(pending) >= FRAME:
                        frame, pending = pending[:FRAME], pending[FRAME:]
                        kept.append(frame)
                        if on_frame is not None:
                            on_frame(frame)
                        if not ep.state.started and len(kept) > lead_frames + ep.start_ms // FRAME_MS:
                            kept.pop(0)  # keep only a short lead-in before speech
                        if ep.feed(frame):
                            ended = True
                            break
                    if ended:
                        break
        except MicUnavailable:
            raise
        except Exception as e:
            raise MicUnavailable(f"microphone failed ({e})") from None
        if not ep.state.started:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(kept) if kept else np.zeros(0, dtype=np.int16)


class ArrayStream:
    """A stand-in input stream that plays ``samples`` to the callback in 30 ms
    blocks (real time when ``realtime``); used by tests and the bench."""

    def __init__(self, samples: np.ndarray, callback, realtime: bool = False, tail_ms: int = 1000):
        pad = np.zeros(SAMPLE_RATE * tail_ms // 1000, dtype=np.int16)
        self.samples = np.concatenate([np.asarray(samples, dtype=np.int16), pad])
        self.callback = callback
        self.realtime = realtime
        self.finished = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._halt = threading.Event()

    def _run(self):
        for block in frames_of(self.samples):
            if self._halt.is_set():
                break
            self.callback(block)
            if self.realtime:
                time.sleep(FRAME_MS / 1000)
        self.finished = True

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._halt.set()
        self._thread.join(timeout=2)
        return False
