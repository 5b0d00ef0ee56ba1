"""Tap -> next screen drawn, on the real app: touch dispatched until the frame after render
has been rasterized (glFinish: an offscreen window's swap does not wait for software GL)."""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kiosk.ui.env import prepare  # noqa: E402

TAPS = int(os.environ.get("BENCH_TAPS", "200"))
data = Path(os.environ.get("KIOSK_DATA", "/tmp/kiosk-bench"))
prepare(True, tuple(int(x) for x in os.environ.get("BENCH_SIZE", "1920x1080").split("x")), data)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.graphics.opengl import glFinish  # noqa: E402

from kiosk.core.lessons import load_catalog  # noqa: E402
from kiosk.core.runtime import Runtime  # noqa: E402
from kiosk.core.store import Store  # noqa: E402
from kiosk.ui.app import KioskApp, visible_controls  # noqa: E402

catalog = load_catalog(ROOT / "lessons")
lesson = max(catalog.lessons, key=lambda l: len(l.steps))
runtime = Runtime(catalog, Store(data / "bench.sqlite3"), source="bench")
app = KioskApp(runtime, data)
times: list[float] = []
state = {"t0": None, "rendered": False, "forward": True}


def rendered(view):
    state["rendered"] = True


def flipped(*_):
    if state["t0"] is not None and state["rendered"]:
        glFinish()
        times.append(time.perf_counter() - state["t0"])
        state["t0"] = None
        Clock.schedule_once(lambda *_: tap_next(), 0)


def tap_next():
    if len(times) >= TAPS:
        app.stop()
        return
    s = runtime.state
    forward = state["forward"]
    if s.step >= len(lesson.steps) - 2:
        state["forward"] = forward = False
    elif s.step <= 0:
        state["forward"] = forward = True
    label = "Tiếp" if forward else "Quay lại"
    widget = next(w for w in visible_controls(app.root) if w.tap_label == label)
    from kiosk.ui.touch import tap_widget
    state["rendered"] = False
    state["t0"] = time.perf_counter()
    tap_widget(widget)


def start(*_):
    from kiosk.ui.launch import _quiet_gc
    _quiet_gc()
    runtime.tap("start")
    runtime.tap("lesson", lesson.id)
    runtime.tap("begin")
    Clock.schedule_once(lambda *_: tap_next(), 0.5)


app.after_render.append(rendered)
Window.bind(on_flip=flipped)
app.bind(on_start=start)
app.run()
if os.environ.get("BENCH_RAW"): Path(os.environ["BENCH_RAW"]).write_text(" ".join(str(round(t * 1000)) for t in times))
ms = sorted(t * 1000 for t in times)
print(json.dumps({"taps": len(ms), "median_ms": round(statistics.median(ms), 1),
                  "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 1), "max_ms": round(ms[-1], 1)}))
