"""Voice in, through the flow (plain Python, no Kivy, no audio).

What a recognised text does, decided per screen, the same for every engine and for replay's
{"say": TEXT}:

- ``intents.parse(text, screen, lessons)`` gives no intent: the visitor hears and reads
  "Xin lỗi, tôi chưa nghe rõ…", sees which buttons match what was heard (if any) and that touch
  works; a "voice_not_understood" problem is noted (it travels with a staff ticket).
- the intent is unsure (below ``intents.CONFIRM_BELOW``) or cannot be undone (call_staff, home):
  the kiosk shows and says the "… đúng không?" question on the ``confirm`` screen, with big
  **Đúng** / **Không** buttons; ``yes`` carries the intent out, ``no`` (or any other action)
  drops it.
- otherwise the intent is carried out at once, as if its button had been touched.

The flow delegates here: ``Flow._on_heard`` -> :func:`on_heard`, ``_on_yes``/``_on_no`` ->
:func:`answer`, and :func:`settle` at the start of every action. The ``confirm`` screen and the
"not understood" note are drawn by :func:`confirm_view` and :func:`noted` (registered in
kiosk.core.screens.views). No heard text is stored beyond the intent it gave, digits scrubbed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path


NOT_UNDERSTOOD = "Xin lỗi, tôi chưa nghe rõ."
TOUCH_HINT = "Bạn nói lại, hoặc chạm vào nút trên màn hình."
VOICE_OFF = "Giọng nói đang tắt, vui lòng chạm vào màn hình."
CANCELLED = "Vâng, tôi không làm việc đó. Bạn nói lại, hoặc chạm vào nút trên màn hình."
CONFIRM_HINT = "Chạm Đúng hoặc Không, hoặc nói: đúng, không."

#: actions that leave a pending "Đúng không?" question in place
KEEPS_CONFIRM = frozenset({"yes", "no", "heard", "repeat", "large_text", "stop", "slower",
                           "faster", "push_to_talk", "still_here"})


@dataclass(frozen=True)
class Pending:
    """An understood command waiting for "Đúng không?" to be answered."""
    intent: str
    args: tuple          # sorted (key, value) pairs: hashable, like the rest of the state
    question: str
    heard: str
    back_to: str         # the screen the question was asked on


def _intents():
    from kiosk.core.understand import intents  # loaded on first use (rapidfuzz): the first frame does not wait
    return intents


# --- the flow's side -----------------------------------------------------------------------

def voice_screen(state) -> str:
    """The intents' screen name for ``state`` (what phrases apply now)."""
    screen = state.screen
    return screen if screen in _intents().SCREENS else "ticket"  # unknown screens: globals only


def settle(state, action: str) -> tuple[object, str]:
    """Before any action: the "not understood" note goes; a pending question goes unless the
    action answers or keeps it. "back" on the question means "no"."""
    if getattr(state, "heard_note", None):
        state = replace(state, heard_note=None)
    pending = getattr(state, "confirm", None)
    if pending is None:
        return state, action
    if action == "back":
        return state, "no"
    if action in KEEPS_CONFIRM:
        return state, action
    return replace(state, confirm=None, screen=pending.back_to), action


def on_heard(flow, state, text: str):
    """A recognised (or replayed) text on the current screen -> (state, effects)."""
    from kiosk.core.visit import flow as f

    lessons = flow.catalog.lessons
    screen = voice_screen(state)
    intents = _intents()
    it = intents.parse(text, screen, lessons)
    heard = scrub(text)
    if not it:
        note = not_understood(flow, state, text)
        new = flow._note_error(replace(state, heard_note=note), "voice_not_understood")
        return new, [f.Log("voice", {"intent": None, "words": len(text.split())}),
                     f.Log("problem", {"what": "voice_not_understood"}), f.Say(note, "feedback")]
    if intents.needs_confirm(it):
        question = ask(it, lessons)
        back_to = state.confirm.back_to if getattr(state, "confirm", None) else state.screen
        pending = Pending(it.name, tuple(sorted(it.args.items())), question, heard, back_to)
        new = replace(state, confirm=pending, screen="confirm")
        return new, [f.Log("voice_confirm", {"intent": it.name, "confidence": it.confidence,
                                             "asked": True}),
                     f.Log("screen", {"screen": "confirm"}),
                     f.Say(f"{question} {CONFIRM_HINT}", "feedback")]
    return flow._act(state, f.Intent(it.name, dict(it.args), state.last_input, heard))


def answer(flow, state, yes: bool):
    """Đúng / Không (touch, key or voice) on the confirm screen."""
    from kiosk.core.visit import flow as f

    pending = getattr(state, "confirm", None)
    if pending is None:
        return state, [f.Log("ignored", {"action": "yes" if yes else "no"})]
    back = replace(state, confirm=None, screen=pending.back_to)
    log = f.Log("voice_confirm", {"intent": pending.intent, "answer": "yes" if yes else "no"})
    if not yes:
        return back, [log, f.Log("screen", {"screen": back.screen}), f.Say(CANCELLED, "feedback")]
    new, effects = flow._act(back, f.Intent(pending.intent, dict(pending.args), back.last_input,
                                            pending.heard))
    return new, [log] + effects


def ask(intent, lessons=()) -> str:
    """The say-back question, addressed like the rest of the kiosk ("Bạn muốn …, đúng không?")."""
    q = _intents().confirm_question(intent, lessons)
    return "Bạn" + q[3:] if q.startswith("Bác ") else q


def not_understood(flow, state, text: str) -> str:
    """"Xin lỗi, tôi chưa nghe rõ…", naming the buttons of this screen that match the words."""
    from kiosk.core.screens.views import view_for

    try:
        view = view_for(state, flow.catalog)
        labels = [c.label for c in tuple(view.choices) + tuple(view.bar)]
    except Exception:  # a screen that cannot be drawn must not stop the answer
        labels = []
    found = matching_labels(text, labels)
    if found:
        names = ", ".join(f"«{x}»" for x in found)
        return f"{NOT_UNDERSTOOD} Có phải bạn muốn chọn {names}? Hãy chạm vào nút đó, hoặc nói lại."
    return f"{NOT_UNDERSTOOD} {TOUCH_HINT}"


def matching_labels(text: str, labels, limit: int = 3) -> list[str]:
    """Labels whose words all occur in ``text`` (compared without diacritics), best first."""
    heard = set(_plain_words(text))
    if not heard:
        return []
    scored = []
    for label in dict.fromkeys(labels):
        words = [w for w in _plain_words(label) if len(w) > 1]
        if not words:
            continue
        hits = sum(1 for w in words if w in heard)
        if hits == len(words) or (len(words) >= 3 and hits >= len(words) - 1):
            scored.append((hits / len(words), len(words), label))
    scored.sort(key=lambda t: (-t[0], -t[1]))
    return [label for _, _, label in scored[:limit]]


def _plain_words(text: str) -> list[str]:
    i = _intents()
    return i.strip_marks(i.normalize(text)).split()


_DIGITS = re.compile(r"\d")


def scrub(text: str) -> str:
    """Heard text as it may be logged: digits hidden (a visitor may say an ID number), short."""
    return _DIGITS.sub("#", " ".join(text.split()))[:120]


# --- what the screen shows -----------------------------------------------------------------

def confirm_view(state, catalog):
    from kiosk.core.screens.views import BAR_LARGE, BAR_REPEAT, Choice, View, _bar

    p = state.confirm
    body = (f"Máy nghe được: “{p.heard}”." if p.heard else "", CONFIRM_HINT)
    return View(screen="confirm", title=p.question, body=tuple(b for b in body if b),
                choices=(Choice("Đúng", "yes", icon="done", key="1", primary=True),
                         Choice("Không", "no", icon="back", key="2")),
                bar=_bar(BAR_REPEAT, BAR_LARGE),
                spoken=f"{p.question} {CONFIRM_HINT}")


def noted(builder):
    """Wrap a screen builder: the "not understood" note comes first in the body."""
    def build(state, catalog):
        view = builder(state, catalog)
        note = getattr(state, "heard_note", None)
        return replace(view, body=(note,) + tuple(view.body)) if note else view
    build.__name__ = getattr(builder, "__name__", "build")
    return build


# --- speech out helpers (no audio here) -----------------------------------------------------

def narration_for(state, catalog) -> Path | None:
    """The recorded narration of the step on screen, when the lesson has one (never for a
    sensitive step, and never while another screen or the idle warning shows)."""
    if state.screen != "step" or getattr(state, "warning", False) or not state.lesson:
        return None
    lesson = catalog.get(state.lesson)
    if lesson is None or not 0 <= state.step < len(lesson.steps):
        return None
    step = lesson.steps[state.step]
    if step.sensitive or step.audio is None:
        return None
    return Path(step.audio) if Path(step.audio).is_file() else None


def screen_lines(catalog) -> list[str]:
    """Every line the kiosk speaks on arrival at a screen, exactly as spoken (for the TTS cache:
    `kiosk say --warm`), so that no visitor waits for synthesis."""
    from kiosk.core.visit import flow as f
    from kiosk.core.screens.views import spoken_line
    from kiosk.core.screens.views import TOPIC_ORDER

    states = [f.State(), f.State(screen="home", active=True)]
    for topic in TOPIC_ORDER:
        if catalog.by_topic(topic):
            states.append(f.State(screen="topic", active=True, topic=topic))
    for lesson in catalog.lessons:
        base = f.State(active=True, topic=lesson.topic, lesson=lesson.id)
        states.append(replace(base, screen="intro"))
        states += [replace(base, screen="step", step=i) for i in range(len(lesson.steps))]
        states.append(replace(base, screen="finish"))
    lines: dict[str, None] = {}
    for s in states:
        try:
            lines.setdefault(spoken_line(s, catalog), None)
        except Exception:
            continue
    for extra in (f.WARNING_TEXT, f"{NOT_UNDERSTOOD} {TOUCH_HINT}", CANCELLED, VOICE_OFF):
        lines.setdefault(extra, None)
    return [line for line in lines if line.strip()]
