"""What `kiosk gallery` draws: every kind of screen, as flow states, in each notice state.

Plain Python (no Kivy): the jobs are built here and the worker (kiosk.ui.gallery) draws them.
Screens are reached by setting the flow's state directly (as a visitor would have left it), so
each one is drawn on its own, in any order, without walking the journey to it.

Notice states: notices are not part of a screen and may appear on any of them, so every screen is
also drawn with them. "none"; "no-mic-speaker", the usual case on a new kiosk (voice input off
and no sound device: two notices, and captions forced on for everyone); "call", the same plus a
staff call ("Mời số A012 đến quầy 1").
"""

from __future__ import annotations

import random
from dataclasses import replace

from kiosk.core.content.practice import book_of, made_up_codes
from kiosk.core.screens.views import TOPIC_ORDER
from kiosk.core.state import DrillRun, Modes, Pending, PracticeRun, QuizRun, State
from kiosk.core.visit.voice import VOICE_OFF

MODES = {
    "normal": {},
    "large": {"large_text": True},
    "contrast": {"high_contrast": True},
    "large-contrast": {"large_text": True, "high_contrast": True},
    "simple": {"simple": True},
    "captions": {"captions": True},
    "audio": {"audio": True},
}
DEFAULT_MODES = ("normal", "large", "contrast", "large-contrast", "simple", "captions")
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}
DEFAULT_SIZES = ("landscape", "portrait", "small")
CALL_NOTICE = "Mời số A012 đến quầy 1."
# notice keys as the kiosk sets them ("speech_sound": kiosk.ui.audio's NO_SOUND_NOTICE)
NOTICE_STATES = {
    "none": ((), False),
    "no-mic-speaker": (("voice_off", "speech_sound"), True),
    "call": (("voice_off", "speech_sound", "call"), True),
}
DEFAULT_NOTICES = tuple(NOTICE_STATES)
GLOBAL_SCREENS = ("welcome", "home", "settings", "ticket-wait", "ticket", "ticket-unprinted",
                  "ticket-counter", "warning",
                  "armed", "confirm")


# --- the screens ------------------------------------------------------------------------------

def screens_for(catalog, lesson_ids: list[str] | None = None) -> list[dict]:
    """Every screen to draw: the global ones, practice copies and drills, then topics and lessons."""
    lessons = [l for l in catalog.lessons if not lesson_ids or l.id in lesson_ids]
    out = [{"id": s, "screen": s} for s in GLOBAL_SCREENS]
    book = book_of(catalog)
    # with --lesson: the practice copies of those lessons, the drills with a safety lesson
    practices = [p for p in book.practices
                 if not lesson_ids or any(l.id in p.lessons for l in lessons)]
    if book.drills and (not lesson_ids or any(l.topic == "safety" for l in lessons)):
        out.append({"id": "drills", "screen": "drills"})
        out += [{"id": f"drill-{d.id}", "screen": "drill", "drill": d.id} for d in book.drills]
    for p in practices:
        out += [{"id": f"practice-{p.id}/step-{i + 1:02d}", "screen": "practice", "practice": p.id,
                 "step": i} for i in range(len(p.steps))]
    topics = [t for t in TOPIC_ORDER if any(l.topic == t for l in lessons)]
    out += [{"id": f"topic-{t}", "screen": "topic", "topic": t} for t in topics]
    for l in lessons:
        out.append({"id": f"{l.id}/intro", "screen": "intro", "lesson": l.id})
        for i in range(len(l.steps)):
            picture = l.steps[i].picture
            out.append({"id": f"{l.id}/step-{i + 1:02d}", "screen": "step", "lesson": l.id, "step": i,
                        "phone": bool(picture and picture.screen is not None)})
        out += [{"id": f"{l.id}/quiz-{i + 1}", "screen": "quiz", "lesson": l.id, "step": i}
                for i in range(len(l.quiz))]
        out.append({"id": f"{l.id}/finish", "screen": "finish", "lesson": l.id})
    return out


def jobs_for(catalog, lesson_ids=None, modes=DEFAULT_MODES, sizes=DEFAULT_SIZES,
             notices=("none",), keep=None) -> list[dict]:
    """Jobs for every screen x mode x size x notice state; `keep(job)` may leave some out."""
    jobs = []
    for size in sizes:
        for mode in modes:
            for notice in notices:
                for spec in screens_for(catalog, lesson_ids):
                    if spec["screen"] == "armed" and mode != "simple":
                        continue
                    sid = spec["id"] if notice == "none" else f"{spec['id']}+{notice}"
                    job = {"size": size, "mode": mode, **spec, "id": sid, "notices": notice,
                           "file": f"{size}/{mode}/{sid.replace('/', '--')}.png"}
                    if keep is None or keep(job):
                        jobs.append(job)
    return jobs


# --- the flow state of a screen ---------------------------------------------------------------

def state_for(job: dict, catalog):
    modes = Modes(**MODES[job["mode"]])
    kind = job["screen"]
    if kind == "welcome":
        return State(modes=modes)
    base = State(active=True, modes=modes, screen="home")
    simple = {
        "home": {},
        "settings": {"screen": "settings", "settings_from": "home"},
        "ticket-wait": {"screen": "ticket", "ticket_from": "home"},
        "ticket": {"screen": "ticket", "ticket": "A012", "ticket_from": "home"},
        # the slip could not be printed: the number much larger (kiosk.ui.screen_body)
        "ticket-unprinted": {"screen": "ticket", "ticket": "A012", "ticket_from": "home"},
        "ticket-counter": {"screen": "ticket", "ticket_failed": True, "ticket_from": "home"},
        "warning": {"warning": True},
    }
    if kind in simple:
        return replace(base, **simple[kind])
    if kind == "armed":
        topic = next(t for t in TOPIC_ORDER if catalog.by_topic(t))
        return replace(base, armed=("topic", topic))
    if kind == "confirm":
        return replace(base, screen="confirm", confirm=Pending(
            "call_staff", (), "Bạn muốn gọi nhân viên, đúng không?", "gọi nhân viên", "home"))
    if kind in ("drills", "drill", "practice"):
        return _activity_state(job, catalog, base)
    if kind == "topic":
        return replace(base, screen="topic", topic=job["topic"])
    lesson = catalog.get(job["lesson"])
    s = replace(base, screen=kind, topic=lesson.topic, lesson=lesson.id)
    if kind == "step":
        s = replace(s, step=job["step"])
    if kind == "quiz":
        s = replace(s, step=len(lesson.steps) - 1, activity=QuizRun(lesson.id, index=job["step"]))
    return s


def _activity_state(job: dict, catalog, base):
    kind = job["screen"]
    if kind == "drills":
        return replace(base, screen="drills", topic="safety", activity=DrillRun())
    if kind == "drill":
        return replace(base, screen="drill", topic="safety", activity=DrillRun(drill=job["drill"]))
    p = book_of(catalog).practice(job["practice"])
    lesson = p.lessons[0] if p.lessons else None
    codes = made_up_codes(random.Random(f"gallery:{p.id}"))  # the same pictures every run
    run = PracticeRun(practice=p.id, step=job["step"], codes=tuple(codes.items()),
                      origin="intro", lesson=lesson)
    return replace(base, screen="practice", lesson=lesson, activity=run)


def notices_for(job: dict) -> tuple[dict, bool]:
    """(runtime notices, captions forced) for the job's notice state."""
    from kiosk.ui.audio import NO_SOUND_NOTICE  # the kiosk's own words (Kivy: worker only)
    texts = {"voice_off": VOICE_OFF, "speech_sound": NO_SOUND_NOTICE, "call": CALL_NOTICE}
    keys, forced = NOTICE_STATES[job.get("notices", "none")]
    notices = {k: texts[k] for k in keys}
    if job["screen"] == "ticket-unprinted":  # the printer failed (kiosk.ui.printing)
        from kiosk.ui.printing import PRINT_FAILED, PRINTER_NOTICE
        notices[PRINTER_NOTICE] = PRINT_FAILED
    return notices, forced


# --- the cut the test suite draws ---------------------------------------------------------------

SAMPLE_LESSONS = ("vneid-muc-2", "lua-dao-cuoc-goi")  # the level-2 intro; a lesson with a quiz
SAMPLE_PRACTICE = "vneid"  # the practice copy of vneid-muc-2: every step in every state
# the states the other lessons' screens take turns in: the two extremes of text size, side bar
# and bottom bar, without and with the new kiosk's notices
TURNS = tuple((m, z, n) for m in ("normal", "large") for z in ("landscape", "portrait")
              for n in ("none", "no-mic-speaker"))
# the least room a drawn phone gets: large text in the 1366x768 window under two notice lines
TIGHTEST = ("large", "small", "call")
_COMBOS = {(m, z, n): i for i, (m, z, n) in enumerate(
    (m, z, n) for z in DEFAULT_SIZES for m in DEFAULT_MODES for n in DEFAULT_NOTICES)}


def _turn(job: dict) -> int:
    """A number that differs from one screen of a kind to the next (its lesson and step, its
    drill, topic or practice step), the same in every run."""
    key = f"{job.get('lesson')}/{job.get('step')}/{job.get('drill')}/{job.get('topic')}/{job.get('practice')}"
    return sum(key.encode()) + (job.get("step") or 0)


def ci_keep(job: dict) -> bool:
    """The gallery the test suite draws (under a third of the full one: minutes, not an hour).

    Every screen kind is drawn in every mode, size and notice state, and every screen of every
    lesson at least once; what is left out only repeats a layout already drawn:
    - the global screens and the two sample lessons: everything;
    - the drills and the topics take turns: each (mode, size, notice state) draws one of them;
    - the other lessons' intro, steps, quiz and finish: each in one of TURNS (normal and large
      text, landscape and portrait, no notice and the new kiosk's two), in turn; their intro
      and finish also in large text with the notices in portrait (the tightest room);
    - every step with a drawn phone and every practice step also in TIGHTEST (the first full
      gallery found 158 problems there that the sample had not drawn);
    - the practice copies: vneid's every step in every state but the 1366x768 window (the
      1920x1080 layout scaled) and the staff call (one more line in the same notice row); the
      other copies' steps in large text, portrait, with notices (where the phone and its 20 mm
      keypad have least room), and in turn in the other states.
    """
    kind, mode, size, notices = job["screen"], job["mode"], job["size"], job["notices"]
    combo = _COMBOS.get((mode, size, notices), 0)
    if (mode, size, notices) == TIGHTEST and (job.get("phone") or kind == "practice"):
        return True
    if kind in ("intro", "step", "finish", "quiz"):
        if job.get("lesson") in SAMPLE_LESSONS:
            return True
        if kind in ("intro", "finish") and (mode, size, notices) == ("large", "portrait",
                                                                     "no-mic-speaker"):
            return True
        return (mode, size, notices) in TURNS and TURNS.index((mode, size, notices)) == _turn(job) % len(TURNS)
    if kind in ("drill", "topic"):
        return _turn(job) % 3 == combo % 3
    if kind == "practice":
        if size == "small" or notices == "call":
            return False
        if job.get("practice") == SAMPLE_PRACTICE:
            return True
        if (mode, size, notices) == ("large", "portrait", "no-mic-speaker"):
            return True
        return _turn(job) % 4 == combo % 4
    return True
