"""Voice out in the app: every spoken line rendered to a cached WAV and played with Kivy's audio.

    out = AudioOut(app, runtime, data_dir / "tts-cache")

- ``runtime.on_say(text, why, rate)``: the line is looked up in the TTS cache (lines pre-rendered
  by ``kiosk say --warm`` start at once); a miss is rendered by ``kiosk.speech.tts.Speaker`` on a
  worker thread, so the screen never waits; the sound is played on the main thread.
- A step's recorded narration (``audio:`` in its lesson) is played instead of the synthetic voice;
  a sensitive step never is, and ``redact_for_speech`` guards every line a second time.
- Barge-in: the flow's StopSpeech effect, any touch (on touch-down), any key and the start of
  push-to-talk stop the sound at once; a line still being rendered is dropped.
- No sound device (SDL's dummy driver, or SoundLoader giving nothing or a zero-length sound), or a
  voice that cannot be rendered: the kiosk stays usable. Captions show every line, one English
  warning is logged, and a small Vietnamese notice tells the staff.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from pathlib import Path

from kivy.clock import Clock
from kivy.core.audio import SoundLoader
from kivy.core.window import Window

from kiosk.speech.tts import DEFAULT_VOICE, Speaker, redact_for_speech

log = logging.getLogger("kiosk.audio")

NO_SOUND_NOTICE = ("Máy chưa phát được tiếng (không thấy loa). Lời đọc hiện bằng chữ; "
                   "nhân viên vui lòng kiểm tra loa.")
NO_VOICE_NOTICE = "Máy chưa đọc thành tiếng được. Lời đọc hiện bằng chữ; nhân viên đã được báo."


class AudioOut:
    def __init__(self, app, runtime, cache_dir: Path, voice: str | None = None):
        self.app = app
        self.runtime = runtime
        self.speaker = Speaker(cache_dir, voice=voice or os.environ.get("KIOSK_VOICE") or DEFAULT_VOICE)
        self.sound = None
        self.playing: Path | None = None
        self.source = ""          # "narration", "cache" or the engine that rendered the line
        self.stops = 0            # how many times a sound was cut short (barge-in)
        self.last_stop_ms: float | None = None   # touch -> sound stopped, for the bench
        self._gen = 0             # bumped by every stop: a late render never plays
        self._jobs: queue.Queue = queue.Queue()
        self._warned: set[str] = set()
        self._thread = threading.Thread(target=self._work, name="tts", daemon=True)
        self._thread.start()
        runtime.on_say.append(self.say)
        runtime.on_stop_speech.append(self.stop)
        Window.bind(on_touch_down=self._touched, on_key_down=self._key)

    # --- speaking ------------------------------------------------------------------------------

    def say(self, text: str, why: str = "feedback", rate: str = "normal") -> None:
        self.stop()
        if os.environ.get("SDL_AUDIODRIVER") == "dummy":
            self._degraded("sound", "no sound device (SDL audio driver 'dummy'); captions only",
                           NO_SOUND_NOTICE)
        text = redact_for_speech(text).strip()
        if not text:
            return
        gen = self._gen
        narration = self._narration(text)
        if narration is not None:
            self._play(narration, gen, "narration", text)
            return
        hit = self.speaker.cached(text, rate)
        if hit is not None:
            self._play(hit, gen, "cache", text)
            return
        self._jobs.put((gen, text, rate))

    def _narration(self, text: str) -> Path | None:
        from kiosk.core.visit.voice import narration_for
        rt = self.runtime
        try:
            if text != redact_for_speech(rt.flow.spoken(rt.state)).strip():
                return None  # feedback, a question, a warning: not the step's own line
            return narration_for(rt.state, rt.catalog)
        except Exception:
            return None

    def _work(self) -> None:
        while True:
            gen, text, rate = self._jobs.get()
            if gen != self._gen:
                continue  # stopped (or replaced) before it was rendered
            try:
                path = self.speaker.render(text, rate)
            except Exception as e:  # TTSError, or anything else from the engines
                Clock.schedule_once(lambda dt, e=e: self._degraded(
                    "voice", f"text to speech failed: {e}; captions only", NO_VOICE_NOTICE))
                continue
            source = self.speaker.last_source
            Clock.schedule_once(lambda dt, p=path, g=gen, s=source, t=text: self._play(p, g, s, t))

    def _play(self, path: Path, gen: int, source: str, text: str = "") -> None:
        if gen != self._gen:
            return
        try:
            sound = SoundLoader.load(str(path))
        except Exception as e:
            sound = None
            log.debug("SoundLoader failed on %s: %s", path, e)
        if sound is None or not sound.length or sound.length <= 0:
            self._degraded("sound", "no sound device (the audio loader gives no playable sound); "
                           "captions only", NO_SOUND_NOTICE)
            return
        volume = getattr(self.runtime, "volume", None)
        if isinstance(volume, (int, float)):
            sound.volume = max(0.0, min(1.0, float(volume)))
        sound.play()
        self.sound, self.playing, self.source = sound, Path(path), source
        log.info("speech: playing %s (%s, %.1f s): %s", Path(path).name, source, sound.length,
                 text[:80])

    # --- stopping (barge-in) -------------------------------------------------------------------

    def stop(self) -> None:
        self._gen += 1
        sound, self.sound = self.sound, None
        if sound is not None:
            if sound.state == "play":
                self.stops += 1
                log.info("speech: stopped")
            sound.stop()
            sound.unload()
        self.playing = None

    def _touched(self, window, touch) -> bool:
        if self.sound is not None:
            t0 = time.perf_counter()
            self.stop()
            self.last_stop_ms = (time.perf_counter() - t0) * 1000
        return False  # the touch goes on to the buttons

    def _key(self, *args) -> bool:
        if self.sound is not None:
            self.stop()
        return False

    @property
    def speaking(self) -> bool:
        return self.sound is not None and self.sound.state == "play"

    # --- no sound: the kiosk stays usable ------------------------------------------------------

    def _degraded(self, what: str, english: str, notice: str) -> None:
        if what in self._warned:
            return
        self._warned.add(what)
        log.warning("%s", english)
        self.runtime.notices[f"speech_{what}"] = notice
        self.app.captions_forced = True
        Clock.schedule_once(lambda dt: self.app.render(), 0)
