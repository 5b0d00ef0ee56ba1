"""Touch -> voice stopped, on the real app with Kivy's real audio (SDL's dummy driver).

A spoken line plays (kiosk.ui.audio.AudioOut, rendered once then from the cache); a real touch
is dispatched through Kivy's input path on an empty part of the screen; the time until the
sound's state is 'stop' is measured. Prints one JSON object.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("KIOSK_ASR", "none")
from kiosk.ui.env import prepare  # noqa: E402

N = int(os.environ.get("BENCH_BARGE_IN", "30"))
data = Path(os.environ.get("KIOSK_DATA", "/tmp/kiosk-bench"))
prepare(True, (1920, 1080), data)

from kivy.base import EventLoop  # noqa: E402
from kivy.clock import Clock  # noqa: E402

from kiosk.core.content.lessons import load_catalog  # noqa: E402
from kiosk.core.runtime import Runtime  # noqa: E402
from kiosk.ui.app import KioskApp  # noqa: E402
from kiosk.ui.touch import Touch  # noqa: E402
from kiosk.ui.voice import attach_speech  # noqa: E402

runtime = Runtime(load_catalog(ROOT / "lessons"), None, source="bench")
app = KioskApp(runtime, data)
audio, _service = attach_speech(app, runtime, data)
LINE = ("Xin chào. Máy này hướng dẫn bạn làm thủ tục hành chính trên mạng và học kỹ năng số, "
        "hoàn toàn miễn phí.")
times: list[float] = []
state = {"waits": 0}


def speak(*_):
    if len(times) >= N:
        app.stop()
        return
    state["waits"] = 0
    runtime.say(LINE, "repeat")
    Clock.schedule_once(wait_playing, 0)


def wait_playing(*_):
    if not audio.speaking:
        state["waits"] += 1
        if state["waits"] > 2000:
            print(json.dumps({"error": "the line never started playing"}))
            app.stop()
            return
        Clock.schedule_once(wait_playing, 0.01)
        return
    Clock.schedule_once(touch, 0.05)


def touch(*_):
    sound = audio.sound
    t = Touch(960, 400)  # below the welcome screen's Bắt đầu, above the bar: no control there
    t0 = time.perf_counter()
    EventLoop.post_dispatch_input("begin", t)
    stopped = sound.state == "stop"
    t1 = time.perf_counter()
    EventLoop.post_dispatch_input("end", t)
    if stopped:
        times.append((t1 - t0) * 1000)
    Clock.schedule_once(speak, 0.05)


app.first_frame.append(lambda: Clock.schedule_once(speak, 0.2))
app.run()
ms = sorted(times)
print(json.dumps({"n": len(ms), "median_ms": round(statistics.median(ms), 3),
                  "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 3),
                  "max_ms": round(ms[-1], 3), "stops_counted": audio.stops,
                  "screen_after": runtime.state.screen}))
