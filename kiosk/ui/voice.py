"""Voice in the app: the speech engine, push-to-talk capture and the microphone button.

    attach_speech(app, runtime, data_dir)     # once, before app.run()

- At start (after the first frame, on a background thread) the service checks what it needs:
  an engine (``asr.plan_engine``: vosk with a Vietnamese model, else viet-asr, else none) and a
  microphone (``mic.PushToTalk``). Without either, voice is off: the screen says so
  ("Giọng nói đang tắt, vui lòng chạm vào màn hình") and touch works as always.
- Push-to-talk: the **Nói** button in the header (shown while voice is available) or any caller of
  ``runtime.push_to_talk()`` (the keypad) makes the flow emit ``Listen``; the service records until
  the voice-activity detector hears the end of speech (or a second press, or 8 s), transcribes with
  the screen's grammar (vosk) or free text (viet-asr), and hands the text to ``runtime.heard`` on
  the main thread. Nothing recorded is kept: the samples live in memory until transcribed.
- An engine or microphone that fails while in use turns voice off the same way; never a crash.
- Test hook: ``KIOSK_MIC_WAV=a.wav[,b.wav…]`` replaces the microphone by those files, one per
  press, in order, through the same capture -> VAD -> engine -> intent path.

Settings (environment): ``KIOSK_ASR`` auto|vosk|vietasr|none (default auto), ``KIOSK_MODELS``
(models folder), ``KIOSK_ASR_LOAD`` start|first-use (when the engine is loaded; default start).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from kivy.clock import Clock
from kivy.graphics import Color, Line, Rectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label

from kiosk.core.visit.voice import VOICE_OFF, voice_screen
from kiosk.ui import icons

log = logging.getLogger("kiosk.voice")

MIC_LABEL = "Nói"
LISTENING_LABEL = "Đang nghe…"
THINKING_LABEL = "Chờ chút…"
WAIT_LOADING = "Vui lòng chờ một chút, máy đang chuẩn bị nghe."


class WavMicrophone:
    """A stand-in for the microphone: each press "hears" the next WAV file (KIOSK_MIC_WAV)."""

    def __init__(self, paths: list[Path]):
        from kiosk.speech.mic import MicUnavailable
        missing = [str(p) for p in paths if not Path(p).is_file()]
        if missing:
            raise MicUnavailable(f"test microphone: no such WAV file: {', '.join(missing)}")
        self.paths = list(paths)
        self.used = 0

    def __call__(self, callback):
        from kiosk.speech.asr import read_wav
        from kiosk.speech.mic import ArrayStream, MicUnavailable
        if self.used >= len(self.paths):
            raise MicUnavailable("test microphone: every KIOSK_MIC_WAV file has been heard")
        path = self.paths[self.used]
        self.used += 1
        samples, _ = read_wav(path)
        log.info("test microphone: playing %s", Path(path).name)
        return ArrayStream(samples, callback)


def open_microphone():
    """PushToTalk on the real microphone, or on KIOSK_MIC_WAV files; MicUnavailable if none."""
    from kiosk.speech.mic import PushToTalk
    wavs = [p.strip() for p in os.environ.get("KIOSK_MIC_WAV", "").split(",") if p.strip()]
    if wavs:
        return PushToTalk(stream_factory=WavMicrophone([Path(p) for p in wavs]))
    return PushToTalk()


class VoiceService:
    """States: starting -> ready | off; ready -> listening -> thinking -> ready (or off)."""

    def __init__(self, app, runtime, models_dir: Path, preference: str | None = None,
                 audio=None):
        self.app = app
        self.runtime = runtime
        self.models_dir = Path(models_dir)
        self.preference = (preference or os.environ.get("KIOSK_ASR") or "auto").strip().lower()
        self.lazy = os.environ.get("KIOSK_ASR_LOAD", "start").strip().lower() == "first-use"
        self.audio = audio
        self.state = "starting"
        self.why = ""
        self.engine = None
        self.engine_name: str | None = None
        self.mic = None
        self.button = None
        self.pressed_while_starting = False
        self.last_heard: str | None = None
        self.timings: list[dict] = []     # per utterance: end of speech -> heard (ms)
        self._release = threading.Event()
        self._lock = threading.Lock()
        runtime.on_listen.append(self.listen)
        app.header_extras.append(self.add_button)
        app.busy.append(self.busy)

    # --- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        threading.Thread(target=self._prepare, name="voice-start", daemon=True).start()

    def _prepare(self) -> None:
        try:
            from kiosk.speech import asr
            from kiosk.speech.mic import MicUnavailable
            name, why = asr.plan_engine(self.preference, self.models_dir)
            if name is None:
                return self._main(self._turn_off, f"no speech engine ({why})")
            try:
                self.mic = open_microphone()
            except MicUnavailable as e:
                return self._main(self._turn_off, f"no microphone ({e})")
            self.engine_name, self.why = name, why
            if not self.lazy and not self._load():
                return
            self._main(self._ready, f"{name}: {why}")
        except Exception as e:  # numpy missing, a broken install...: touch only, never a crash
            log.exception("voice input could not start")
            self._main(self._turn_off, f"voice input could not start ({e})")

    def _load(self) -> bool:
        """Load the engine (on this background thread). False (and voice off) if it fails."""
        from kiosk.speech import asr
        t0 = time.perf_counter()
        engine = asr.choose_engine(self.preference, self.models_dir)
        if engine is None:
            self._main(self._turn_off, "the speech engine could not be loaded")
            return False
        self.engine, self.engine_name = engine, engine.name
        log.info("voice: %s loaded in %.1f s", engine.name, time.perf_counter() - t0)
        return True

    def _ready(self, why: str) -> None:
        if self.state == "off":
            return
        log.info("voice input on: %s", why)
        self.state = "ready"
        self.runtime.notices.pop("voice_off", None)
        self.app.render()
        if self.pressed_while_starting:
            self.pressed_while_starting = False
            self.runtime.push_to_talk()

    def _turn_off(self, why: str) -> None:
        first = self.state != "off"
        self.state, self.why = "off", why
        self.engine = None
        if first:
            log.warning("voice input off: %s; touch only", why)
        self.runtime.notices["voice_off"] = VOICE_OFF
        if self.pressed_while_starting:
            self.pressed_while_starting = False
            self.runtime.say(VOICE_OFF, "feedback")
        self.app.render()

    # --- push-to-talk --------------------------------------------------------------------------

    def listen(self) -> None:
        """The flow's Listen effect (main thread): start, or end, one utterance."""
        if self.state == "off":
            self.runtime.notices["voice_off"] = VOICE_OFF
            self.runtime.say(VOICE_OFF, "feedback")
            return
        if self.state == "starting":
            self.pressed_while_starting = True
            self.runtime.say(WAIT_LOADING, "feedback")
            return
        if self.state == "listening":
            self._release.set()  # a second press ends the utterance now
            return
        if self.state == "thinking":
            return
        if self.audio is not None:
            self.audio.stop()
        self._release.clear()
        screen = voice_screen(self.runtime.state)
        self._set_state("listening")
        threading.Thread(target=self._capture, args=(screen,), name="voice", daemon=True).start()

    def _capture(self, screen: str) -> None:
        from kiosk.speech.asr import trim_memory
        from kiosk.speech.mic import MicUnavailable
        # viet-asr decodes while the visitor speaks (streaming): only the end is left to do
        session = self._stream()
        on_frame = session.accept if session is not None else None
        try:
            samples = self.mic.record(stop=self._release, on_frame=on_frame)
        except MicUnavailable as e:
            return self._main(self._turn_off, f"microphone failed ({e})")
        except Exception as e:
            return self._main(self._turn_off, f"microphone failed ({e})")
        end = time.perf_counter()
        self._main(self._set_state, "thinking")
        if self.engine is None and not self._load():
            return
        try:
            if len(samples) == 0:
                text = ""  # nothing said before the time limit or a second press
            elif session is not None:
                text = " ".join((session.final().text or "").split())
            else:
                phrases = None
                if self.engine.name == "vosk":
                    from kiosk.core.understand.intents import phrases_for
                    phrases = phrases_for(screen, self.runtime.catalog.lessons)
                text = self.engine.transcribe(samples, 16000, phrases=phrases).text
        except Exception as e:  # ASRError or a crash inside the engine
            log.error("speech engine failed: %s", e)
            return self._main(self._turn_off, f"the speech engine failed ({e})")
        finally:
            del samples  # nothing recorded is kept
            if session is not None:
                session.close()
        self._main(self._deliver, text, end, time.perf_counter())
        trim_memory()

    def _stream(self):
        if self.engine is None or not hasattr(self.engine, "stream"):
            return None
        try:
            return self.engine.stream()
        except Exception as e:
            log.warning("streaming recognition unavailable (%s); decoding after speech", e)
            return None

    def _deliver(self, text: str, end: float, decoded: float) -> None:
        if self.state == "off":
            return
        self._set_state("ready")
        self.last_heard = text
        self.runtime.heard(text)
        done = time.perf_counter()
        text_ms, action_ms = (decoded - end) * 1000, (done - end) * 1000
        self.timings.append({"engine": self.engine_name, "text_ms": round(text_ms, 1),
                             "action_ms": round(action_ms, 1)})
        log.info("voice: heard %r with %s; end of speech -> text %.0f ms, -> action %.0f ms "
                 "(intent, flow, next screen built)", text, self.engine_name, text_ms, action_ms)

    def busy(self) -> bool:
        """True while the service decides, listens or thinks (the replay driver waits)."""
        return self.state in ("starting", "listening", "thinking") or self.pressed_while_starting

    # --- the button ----------------------------------------------------------------------------

    def add_button(self, header, view, palette, sizes) -> None:
        """Header hook: the Nói button, while voice input is available."""
        if self.state in ("off", "starting"):
            self.button = None
            return
        btn = MicButton(palette, sizes, self.app.data_dir / "icons")
        btn.bind(on_release=lambda *_: self.runtime.push_to_talk())
        btn.show(self.state)
        self.button = btn
        header.add_widget(btn)

        def keep_tall(box, height):
            if height < btn.height:
                box.height = btn.height
        header.bind(height=keep_tall)
        keep_tall(header, header.height)

    def _set_state(self, state: str) -> None:
        self.state = state
        if self.button is not None:
            self.button.show(state)

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _main(fn, *args) -> None:
        Clock.schedule_once(lambda dt: fn(*args), 0)


class MicButton(ButtonBehavior, BoxLayout):
    """The big push-to-talk button: a microphone and the word "Nói"."""

    def __init__(self, palette, sizes, icon_cache: Path, **kw):
        h = sizes.target
        super().__init__(orientation="horizontal", size_hint=(None, None), size=(h * 2.2, h),
                         padding=(10, 10), spacing=6, **kw)
        self.tap_label = MIC_LABEL
        self._palette = palette
        with self.canvas.before:
            self._bg = Color(*palette.button)
            self._rect = Rectangle(pos=self.pos, size=self.size)
            Color(*palette.button_text)
            self._line = Line(rectangle=(*self.pos, *self.size), width=2)
        self.bind(pos=self._sync, size=self._sync, state=self._sync)
        icon = icons.icon_path("mic", palette.button_text, icon_cache)
        if icon:
            self.add_widget(Image(source=str(icon), fit_mode="contain", size_hint_x=None,
                                  width=h - 20))
        self._font = sizes.button
        self.label = Label(text=MIC_LABEL, font_size=sizes.button, bold=True,
                           color=palette.button_text, halign="center", valign="middle")
        self.label.bind(size=lambda *_: setattr(self.label, "text_size", self.label.size))
        self.add_widget(self.label)
        self._listening = False

    def show(self, state: str) -> None:
        self._listening = state in ("listening", "thinking")
        self.label.text = {"listening": LISTENING_LABEL, "thinking": THINKING_LABEL}.get(state, MIC_LABEL)
        self.label.font_size = self._font if self.label.text == MIC_LABEL else self._font * 0.7
        self._sync()

    def _sync(self, *_):
        self._rect.pos, self._rect.size = self.pos, self.size
        self._line.rectangle = (*self.pos, *self.size)
        p = self._palette
        self._bg.rgba = p.pressed if (self.state == "down" or self._listening) else p.button


def attach_speech(app, runtime, data: Path):
    """Voice out (AudioOut) and voice in (VoiceService) for the running kiosk."""
    from kiosk import paths
    from kiosk.ui.audio import AudioOut
    audio = AudioOut(app, runtime, Path(data) / "tts-cache")
    service = VoiceService(app, runtime, paths.models_dir(), audio=audio)
    if getattr(app, "_drawn_frames", 0) > 0:  # attached after the first frame (the usual case)
        Clock.schedule_once(lambda dt: service.start(), 0)
    else:
        app.first_frame.append(service.start)
    app.speech = (audio, service)
    return audio, service
