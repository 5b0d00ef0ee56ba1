"""Start the real app: environment, log, lessons, runtime, window, optional replay driver."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk.core.content.lessons import Catalog, load_catalog
from kiosk.core.script import Action
from kiosk.ui.env import prepare

log = logging.getLogger("kiosk")


def open_store(data: Path):
    """The log writer: a background thread opens the database (retrying while it is locked,
    read-only, full or damaged) and writes in order; the screen never waits for it."""
    from kiosk.core.data.writer import Writer
    from kiosk.paths import db_path
    tickets = None
    if os.environ.get("KIOSK_QUEUE_DB"):  # a centre's shared queue; psycopg only then
        from kiosk.central.queue_db import tickets_from_env
        tickets = tickets_from_env()
    return Writer(db_path(data), threaded=True, tickets=tickets)


def close_log(runtime) -> int:
    """Write what is left; 3 if some of the log was finally lost (counted and logged)."""
    import os
    wait = float(os.environ.get("KIOSK_LOG_CLOSE_WAIT", "5") or 5)
    report = runtime.close_log(wait)
    if report is None:
        return 0
    log.info("log closed: %d writes, %d kept in the spill file, %d lost",
             report.written, report.spilled, report.lost)
    return 3 if report.lost else 0


def load_lessons(lessons: Path) -> Catalog:
    catalog = load_catalog(lessons)
    for problem in catalog.problems:
        log.warning("lesson skipped: %s", problem)
    log.info("loaded %d lessons from %s", len(catalog.lessons), lessons)
    return catalog


def tour(catalog: Catalog) -> list[Action]:
    """A walk over every kind of screen, for `kiosk run --demo` (screenshots of each)."""
    from kiosk.core.content.lessons import TOPICS
    from kiosk.core.screens.views import TOPIC_ORDER
    topic = next(t for t in TOPIC_ORDER if catalog.by_topic(t))
    lesson = catalog.by_topic(topic)[0]
    steps = [("tap", "Bắt đầu"), ("tap", TOPICS[topic]), ("tap", lesson.title), ("tap", "Bắt đầu")]
    steps += [("tap", "Tiếp")] * (len(lesson.steps) - 1) + [("tap", "Xong")]
    steps += [("tap", "Gọi nhân viên"), ("expect", "Số thứ tự"), ("tap", "Về trang đầu")]
    from kiosk.core.content.practice_replay import demo_steps  # a practice copy, a drill, a quiz
    steps += demo_steps(catalog)
    return [Action(i + 1, kind, value) for i, (kind, value) in enumerate(steps)]


def run_app(*, lessons: Path, data: Path, headless: bool, screenshots: Path | None = None,
            size: tuple[int, int] = (1920, 1080), script: list[Action] | None = None,
            demo: bool = False, exit_after: float | None = None, source: str = "kiosk",
            fullscreen: bool = False, transcript: bool = False) -> int:
    try:
        data.mkdir(parents=True, exist_ok=True)
    except OSError as e:  # the kiosk still starts; the log writer retries and spills meanwhile
        log.error("cannot create the data directory %s: %s", data, e)
    prepare(headless, size, data, fullscreen=fullscreen)
    from kivy.clock import Clock

    from kiosk.core.runtime import Runtime
    from kiosk.ui.app import KioskApp

    # The welcome screen needs neither lessons nor the log: load them once it is drawn.
    from kiosk.core.visit.access import config_from_env
    runtime = Runtime(Catalog(), None, config=config_from_env(), source=source)
    app = KioskApp(runtime, data, screenshots=screenshots)
    app.busy.append(lambda: runtime.ticket_pending)  # a replay waits for the queue number

    def speech():  # voice out (TTS, narration) and in (push-to-talk), once the welcome is drawn
        from kiosk.ui.voice import attach_speech
        attach_speech(app, runtime, data)

    app.first_frame.append(speech)

    def headphones():  # plugged in: audio mode and private listening (kiosk.core.visit.audio_first)
        if source == "replay" or os.environ.get("KIOSK_HEADPHONE_WATCH", "1").strip() == "0":
            return  # a replay is the same on every machine
        from kiosk.speech.headphones import Watch  # after the first frame, like speech
        app.headphone_watch = Watch(lambda plugged, first: Clock.schedule_once(
            lambda dt: runtime.headphones(plugged, first))).start()

    app.first_frame.append(headphones)

    def load_rest():
        catalog = load_lessons(lessons)
        if not catalog.lessons:
            log.error("no usable lesson in %s; the kiosk shows only the welcome screen", lessons)
        runtime.attach(catalog, open_store(data))
        from kiosk.paths import db_path
        from kiosk.ui.printing import attach_printer  # Pillow and escpos after the first frame
        from kiosk.ui.queue_watch import attach_queue_watch  # place, wait, board of calls
        queue_db = None
        if os.environ.get("KIOSK_QUEUE_DB"):  # a centre's shared queue (README "Several kiosks")
            from kiosk.central.queue_db import from_env as queue_db
        # one connection each: the printer's and the watch's threads never share one
        attach_printer(app, runtime, db_path(data), queue_db and queue_db())
        attach_queue_watch(app, runtime, db_path(data), queue_db and queue_db())
        from kiosk.ui.queue_board import add_to_header
        app.header_extras.insert(0, add_to_header)  # before the Nói button
        actions = script or (tour(catalog) if demo and catalog.lessons else None)
        if actions:
            from kiosk.ui.a11y import press
            from kiosk.ui.replay import ReplayDriver
            ReplayDriver(app, actions, screenshots or Path("screenshots"),
                         voice=_voice(runtime), keys=press, transcript=transcript).start()

    app.first_frame.append(load_rest)
    app.first_frame.append(quiet_gc)
    if exit_after:
        Clock.schedule_once(lambda *_: app.stop(), exit_after)
    try:
        app.run()
    finally:  # also after a crash: what the visitor did is written, spilled or counted as lost
        if runtime.session_id:  # the window closed mid-session: close it in the log too
            runtime.end_visit("closed")
        lost = close_log(runtime)
    return app.exit_code or lost


def quiet_gc():
    """Move start-up objects out of the collector's way: fewer long pauses between taps."""
    import gc
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 1000)


def _voice(runtime):
    """The replay's {"say": TEXT}: the same text-to-intent path as real speech."""
    if not hasattr(runtime, "heard"):
        return None
    return runtime.heard
