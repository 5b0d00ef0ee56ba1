"""Tap -> next screen drawn, on the real app: touch dispatched until the frame after render
has been rasterized (glFinish: an offscreen window's swap does not wait for software GL).

BENCH_PICTURES=0: the same lesson with its steps' pictures taken away (the text-only figure).
KIOSK_STEP_AHEAD=0: every step's body built on its tap (kiosk.ui.step_ahead off). The next tap
comes on the tick after the frame, as soon as the kiosk has built the neighbours ahead: a
visitor reading the step gives it seconds.
The log goes through the kiosk's own background writer. With BENCH_LOCK_SECONDS=N another
process holds BEGIN EXCLUSIVE on the log for N seconds from the first tap: taps are measured
until the lock goes, then the events must all be written, in order (issue #11, part 4)."""

import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from kiosk.ui.env import prepare  # noqa: E402

TAPS = int(os.environ.get("BENCH_TAPS", "200"))
LOCK_SECONDS = float(os.environ.get("BENCH_LOCK_SECONDS", "0") or 0)
HOLDER = ("import sqlite3, sys, time\n"
          "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
          "c.execute('BEGIN EXCLUSIVE')\n"
          "print('locked', flush=True)\n"
          "time.sleep(float(sys.argv[2]))\n"
          "c.execute('ROLLBACK')\n")
data = Path(os.environ.get("KIOSK_DATA", "/tmp/kiosk-bench"))
prepare(True, tuple(int(x) for x in os.environ.get("BENCH_SIZE", "1920x1080").split("x")), data)

from kivy.clock import Clock  # noqa: E402
from kivy.core.window import Window  # noqa: E402
from kivy.graphics.opengl import glFinish  # noqa: E402

from kiosk.core.content.lessons import load_catalog  # noqa: E402
from kiosk.core.runtime import Runtime  # noqa: E402
from kiosk.core.data.store import Store  # noqa: E402
from kiosk.ui.app import KioskApp, visible_controls  # noqa: E402

catalog = load_catalog(ROOT / "lessons")
# the lesson with the most drawn phone screens (the costliest pictures), then the most steps
lesson = max(catalog.lessons, key=lambda l: (
    sum(1 for s in l.steps if s.picture and s.picture.screen is not None), len(l.steps)))
PICTURES = os.environ.get("BENCH_PICTURES", "1") != "0"
if not PICTURES:  # the text-only figure: the same lesson with its steps' pictures taken away
    lesson = replace(lesson, steps=tuple(replace(s, picture=None) for s in lesson.steps))
    catalog.lessons[catalog.lessons.index(catalog.get(lesson.id))] = lesson
from kiosk.core.data.spill import Spill  # noqa: E402
from kiosk.core.data.writer import Writer  # noqa: E402

db = data / "bench.sqlite3"
Store(db).close()
writer = Writer(db, threaded=True, spill=Spill([data / "spill"], "bench.jsonl"))
runtime = Runtime(catalog, writer, source="bench")
app = KioskApp(runtime, data)
times: list[float] = []
built: list[float] = []  # tap -> screen built and laid out (Python), before rasterizing
state = {"t0": None, "rendered": False, "forward": True, "holder": None, "notice": False,
         "records": 0}
_submit = writer.submit


def counted_submit(name, **kw):  # how many events the screen handed to the log
    if name == "log_many":
        state["records"] += len(kw["records"])
    _submit(name, **kw)


writer.submit = counted_submit


def rendered(view):
    state["rendered"] = True
    if state["t0"] is not None:
        built.append(time.perf_counter() - state["t0"])


def flipped(*_):
    if state["t0"] is not None and state["rendered"]:
        glFinish()
        times.append(time.perf_counter() - state["t0"])
        state["t0"] = None
        Clock.schedule_once(lambda *_: tap_next(), 0)


def tap_next():
    holder = state["holder"]
    if holder is not None:
        state["notice"] = state["notice"] or "store" in runtime.notices
    if len(times) >= TAPS or (holder is not None and holder.poll() is not None):
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
    from kiosk.ui.launch import quiet_gc
    quiet_gc()
    runtime.tap("start")
    runtime.tap("lesson", lesson.id)
    runtime.tap("begin")
    Clock.schedule_once(lambda *_: lock_then_tap(), 0.5)


def lock_then_tap():
    if LOCK_SECONDS:
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(LOCK_SECONDS)],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "locked"
        state["holder"] = holder
    tap_next()


app.after_render.append(rendered)
Window.bind(on_flip=flipped)
app.bind(on_start=start)
app.run()
if os.environ.get("BENCH_RAW"): Path(os.environ["BENCH_RAW"]).write_text(" ".join(str(round(t * 1000)) for t in times))
ms = sorted(t * 1000 for t in times)
result = {"lesson": lesson.id, "steps_with_picture": sum(s.picture is not None for s in lesson.steps),
          "taps": len(ms), "median_ms": round(statistics.median(ms), 1),
          "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 1), "max_ms": round(ms[-1], 1),
          "bodies_ready": app.steps_ahead.hits}  # taps whose step body was built ahead
if built:  # the kiosk's own work; the rest is software rasterizing (llvmpipe: no GPU here)
    bms = sorted(t * 1000 for t in built)
    result.update(built_median_ms=round(statistics.median(bms), 1),
                  built_p95_ms=round(bms[int(len(bms) * 0.95) - 1], 1))
if LOCK_SECONDS:
    state["holder"].wait()
    report = runtime.close_log(wait=60)
    import sqlite3
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT ts FROM events ORDER BY id").fetchall()
    result.update(lock_s=LOCK_SECONDS, notice_shown=state["notice"], events_expected=state["records"],
                  events_written=len(rows), in_order=[r[0] for r in rows] == sorted(r[0] for r in rows),
                  lost=report.lost)
print(json.dumps(result))
