"""The visitor's journey as a pure state machine: `Flow.next(state, event) -> (state, effects)`.

No Kivy, no audio, no database here: events come in (a tap, a recognised intent, the clock),
effects go out (log this, say that, open a ticket, end the session). The runtime carries the
effects out; the Kivy screens only draw `state` and send events. The same journey can therefore
be replayed from a script and tested without a window.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from kiosk.core.content.lessons import Catalog

PRACTICE_SCREENS = ("practice", "practice_done", "drills", "drill", "quiz")  # practice_flow's
SCREENS = ("welcome", "home", "topic", "intro", "step", "finish", "ticket", "settings",
           *PRACTICE_SCREENS)
RATES = ("slow", "normal", "fast")
MODE_NAMES = ("large_text", "high_contrast", "audio", "simple", "captions")


# --- state --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Modes:
    large_text: bool = False
    high_contrast: bool = False
    audio: bool = False      # audio-first: every screen spoken on arrival
    simple: bool = False     # pictures and voice, few words
    captions: bool = False   # every spoken line shown as text
    rate: str = "normal"

    def on(self) -> list[str]:
        return [m for m in MODE_NAMES if getattr(self, m)]


@dataclass(frozen=True)
class Config:
    idle_after: float = 90.0     # seconds without input before the warning
    answer_within: float = 30.0  # seconds to answer the warning before the session is wiped
    recent_errors: int = 5       # how many recent problems travel with a ticket
    ticket_wait: float = 1800.0  # idle time allowed on the ticket screen (waiting for staff)
    headphones: bool = False     # speak sensitive steps (only when the sound is private)


@dataclass(frozen=True)
class State:
    screen: str = "welcome"
    active: bool = False          # a visitor's session is open
    topic: str | None = None
    lesson: str | None = None
    step: int = 0                 # 0-based index into the lesson's steps
    modes: Modes = field(default_factory=Modes)
    ticket: str | None = None     # queue number, once the store gave one
    ticket_from: str | None = None  # screen to return to from the ticket screen
    errors: tuple[str, ...] = ()  # recent problems (repeated back, not understood, ...)
    backs_in_row: int = 0
    last_input: float = 0.0
    warning: bool = False         # "Bạn còn ở đó không?" is showing
    warned_at: float = 0.0
    extensions: int = 0
    activity: object = None       # practice copy / scam drill / quiz in progress (practice_flow)
    called_to: int | None = None  # counter a staff member called this visitor's ticket to
    priority: str | None = None   # self-declared group: elderly, disabled, pregnant (optional)
    ticket_failed: bool = False   # no number could be recorded: "go to the counter" instead
    # voice (kiosk.core.visit.voice): a command waiting for "Đúng không?", and "not understood" shown
    confirm: Pending | None = None  # noqa: F821  (kiosk.core.visit.voice.Pending; not imported: lazy)
    heard_note: str | None = None
    # accessibility (kiosk.core.visit.access): reset with everything else for the next visitor
    focus: int | None = None      # keypad focus: index into the screen's controls
    armed: tuple | None = None    # simple mode: (action, arg) touched once, awaiting the second
    volume: int = 6               # 1..10
    settings_from: str | None = None  # screen to return to from "Cách dùng"


# --- events -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Tap:
    """A touch on a control. `action` names what the control does, `arg` its target."""
    action: str
    arg: str | None = None
    now: float = 0.0


@dataclass(frozen=True)
class Intent:
    """A recognised spoken (or typed) command, already mapped to an intent name."""
    name: str
    args: dict = field(default_factory=dict)
    now: float = 0.0
    heard: str = ""


@dataclass(frozen=True)
class Tick:
    now: float


@dataclass(frozen=True)
class TicketCreated:
    number: str
    now: float = 0.0


@dataclass(frozen=True)
class TicketUnavailable:
    """No queue number was committed in time (the log is down): send the visitor to the counter,
    never show a number that the staff cannot see."""
    now: float = 0.0


@dataclass(frozen=True)
class TicketCalled:
    """A staff member called (or recalled, or transferred) this visitor's ticket to a counter."""
    number: str
    counter: int
    now: float = 0.0


@dataclass(frozen=True)
class Problem:
    """Something went wrong outside the flow (voice not understood, device missing...)."""
    what: str
    now: float = 0.0


@dataclass(frozen=True)
class Heard:
    """Text from the speech recognizer (or replay's {"say": TEXT}); kiosk.core.visit.voice decides."""
    text: str
    now: float = 0.0


@dataclass(frozen=True)
class Key:
    """A key on the physical keypad or keyboard (names in kiosk.core.screens.keys)."""
    name: str
    now: float = 0.0


@dataclass(frozen=True)
class KeyTap(Tap):
    """A control chosen by a key: acts at once (no second touch in simple mode)."""


# --- effects ------------------------------------------------------------------------------

@dataclass(frozen=True)
class StartSession:
    pass


@dataclass(frozen=True)
class EndSession:
    reason: str


@dataclass(frozen=True)
class Log:
    kind: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Say:
    """Speak a line (and caption it). `why` is 'arrival' or 'repeat' or 'feedback'."""
    text: str
    why: str = "arrival"


@dataclass(frozen=True)
class CreateTicket:
    context: dict


@dataclass(frozen=True)
class StopSpeech:
    pass


@dataclass(frozen=True)
class SetGroup:
    """The visitor declared (or cleared) a priority group for this session and its ticket."""
    group: str | None


PRIORITY_GROUPS = ("elderly", "disabled", "pregnant")


@dataclass(frozen=True)
class Cue:
    """A sound cue (warning, ticket, armed, volume, focus); a visual cue in captions mode."""
    kind: str


@dataclass(frozen=True)
class Listen:
    """Push-to-talk: the speech layer listens now (the screen says so if voice is off)."""


WARNING_TEXT = "Bạn còn ở đó không? Chạm Tôi vẫn đang dùng để tiếp tục."


# --- the machine --------------------------------------------------------------------------

from kiosk.core.visit.access import AccessActions, line  # noqa: E402  (needs the classes above)


class Flow(AccessActions):
    def __init__(self, catalog: Catalog, config: Config | None = None, spoken=None):
        self.catalog = catalog
        self.config = config or Config()
        # spoken(state) -> the screen's spoken line; injected so that flow and view agree
        if spoken is None:
            spoken = lambda s: line(s, self.catalog, self.config)  # noqa: E731
        self.spoken = spoken
        self.written = lambda s: line(s, self.catalog, self.config, written=True)  # captions

    @functools.cached_property
    def activities(self):
        """Practice copies, drills and quiz; imported on first use, not before the first frame."""
        from kiosk.core.visit.practice_flow import ActivityFlow
        return ActivityFlow(self)

    # public entry point
    def next(self, state: State, event) -> tuple[State, list]:
        if isinstance(event, Tick):
            return self._tick(state, event.now)
        if isinstance(event, TicketCreated):
            s = replace(state, ticket=event.number)
            return s, [Log("ticket_shown", {"number": event.number}), Cue("ticket"),
                       Say(self.spoken(s))]
        if isinstance(event, TicketUnavailable):
            s = replace(state, ticket=None, ticket_failed=True)
            return s, [Log("ticket_unavailable", {}), Cue("ticket"), Say(self.spoken(s))]
        if isinstance(event, Problem):
            return self._note_error(state, event.what), [Log("problem", {"what": event.what})]
        if isinstance(event, TicketCalled):
            return self._called(state, event)
        if isinstance(event, Key):
            return self._key(state, event)
        now = event.now
        state = replace(state, last_input=now)
        if state.warning:
            # Any touch or word while the warning shows means the visitor is still here.
            state, effects = self._still_here(state)
            if isinstance(event, Tap) and event.action == "still_here":
                return state, effects
            s2, e2 = self._act(state, event)
            return s2, effects + e2
        return self._act(state, event)

    # --- dispatch of one action --------------------------------------------------------------

    def _act(self, state: State, event) -> tuple[State, list]:
        if self._needs_confirm(state, event):
            return self._arm(state, event)
        action, arg = _action_of(event)
        state, action = _voice().settle(state, action)
        handler = self.activities.handler(state, action) or getattr(self, f"_on_{action}", None)
        if handler is None:
            return state, [Log("ignored", {"action": action})]
        new, effects = handler(state, arg)
        if isinstance(event, Tap) and new.armed:
            new = replace(new, armed=None)
        if action != "back":
            new = replace(new, backs_in_row=0)
        if isinstance(event, Intent):
            effects = [Log("voice", {"intent": event.name, "heard": event.heard})] + effects
        return new, [StopSpeech()] + effects

    def _go(self, state: State, **changes) -> tuple[State, list]:
        """Move to another screen: log it and, in audio mode, speak it on arrival."""
        new = replace(state, **{"focus": None, "armed": None, **changes})
        effects: list = [Log("screen", {"screen": new.screen})]
        if new.screen == "step":
            effects.append(Log("step", {"lesson": new.lesson, "step": new.step + 1,
                                        "of": len(self._lesson(new).steps)}))
        if new.modes.audio:
            effects.append(Say(self.spoken(new)))
        return new, effects

    def _lesson(self, state: State):
        return self.catalog.get(state.lesson) if state.lesson else None

    # --- actions -----------------------------------------------------------------------------

    def _on_start(self, state: State, _arg):
        effects = [] if state.active else [StartSession()]
        new, more = self._go(replace(state, active=True), screen="home")
        return new, effects + more

    def _on_topic(self, state: State, topic):
        if not state.active:
            state, start = self._on_start(state, None)
        else:
            start = []
        new, effects = self._go(state, screen="topic", topic=topic, lesson=None, step=0)
        return new, start + effects

    def _on_open(self, state: State, args):
        """Voice: 'open' a topic or a named lesson."""
        args = args or {}
        if args.get("lesson") and self.catalog.get(args["lesson"]):
            lesson = self.catalog.get(args["lesson"])
            state = replace(state, topic=lesson.topic)
            return self._on_lesson(state, lesson.id)
        if args.get("topic"):
            return self._on_topic(state, args["topic"])
        return state, [Log("ignored", {"action": "open"})]

    def _on_lesson(self, state: State, lesson_id):
        lesson = self.catalog.get(lesson_id)
        if lesson is None:
            return state, [Log("problem", {"what": f"unknown lesson {lesson_id}"})]
        return self._go(state, screen="intro", topic=lesson.topic, lesson=lesson.id, step=0)

    def _on_begin(self, state: State, _arg):
        if state.screen != "intro":
            return self._on_next(state, None)
        new, effects = self._go(state, screen="step", step=0)
        return new, [Log("lesson_start", {"lesson": state.lesson})] + effects

    def _on_next(self, state: State, _arg):
        screen = state.screen
        if screen == "welcome":
            return self._on_start(state, None)
        if screen == "intro":
            return self._on_begin(state, None)
        if screen != "step":
            return state, [Log("ignored", {"action": "next", "screen": screen})]
        lesson = self._lesson(state)
        if state.step + 1 < len(lesson.steps):
            return self._go(state, step=state.step + 1)
        new, effects = self.activities.after_steps(state) or self._go(state, screen="finish")
        return new, [Log("lesson_finish", {"lesson": lesson.id})] + effects

    _on_done = _on_next

    def _on_back(self, state: State, _arg):
        backs = state.backs_in_row + 1
        state = replace(state, backs_in_row=backs)
        if backs >= 3:
            state = self._note_error(state, "back_repeated")
        log = Log("back", {"from": state.screen})
        screen = state.screen
        if screen == "step" and state.step > 0:
            new, effects = self._go(state, step=state.step - 1)
        elif screen == "step":
            new, effects = self._go(state, screen="intro")
        elif screen == "intro":
            new, effects = self._go(state, screen="topic")
        elif screen == "topic":
            new, effects = self._go(state, screen="home", topic=None)
        elif screen == "finish":
            new, effects = self._go(state, screen="step")
        elif screen == "ticket":
            return self._on_resume(state, None)
        elif screen == "home":
            return self._end(state, "left")
        elif screen == "settings":
            return self._on_settings_done(state, None)
        else:
            return state, [log]
        return new, [log] + effects

    def _on_repeat(self, state: State, _arg):
        return state, [Log("repeat", {"screen": state.screen}), Say(self.spoken(state), "repeat")]

    def _on_large_text(self, state: State, _arg):
        return self._set_mode(state, "large_text", not state.modes.large_text)

    def _on_mode(self, state: State, arg):
        name = arg or ""
        if name not in MODE_NAMES:
            return state, [Log("ignored", {"action": "mode", "arg": name})]
        return self._set_mode(state, name, not getattr(state.modes, name))

    def _set_mode(self, state: State, name: str, value: bool):
        # a mode chosen on the welcome screen already belongs to this visitor's session
        start = [] if state.active else [StartSession()]
        new = replace(state, active=True, modes=replace(state.modes, **{name: value}))
        effects: list = start + [Log("mode", {"mode": name, "on": value, "modes": new.modes.on()})]
        if name == "audio" and value:
            from kiosk.core.visit.access import KEYS_HELP
            effects.append(Say(f"{KEYS_HELP} {self.written(new)}"))  # voice: runtime says it
        elif name == "simple" and value:
            from kiosk.core.visit.access import SIMPLE_HELP
            effects.append(Say(SIMPLE_HELP, "feedback"))
        return new, effects

    def _on_rate(self, state: State, rate):
        if rate not in RATES:
            return state, [Log("ignored", {"action": "rate", "arg": rate})]
        new = replace(state, modes=replace(state.modes, rate=rate))
        return new, [Log("mode", {"mode": "rate", "value": rate}), Say(self.spoken(new), "repeat")]

    def _on_slower(self, state: State, _arg):
        i = RATES.index(state.modes.rate)
        return self._on_rate(state, RATES[max(0, i - 1)])

    def _on_faster(self, state: State, _arg):
        i = RATES.index(state.modes.rate)
        return self._on_rate(state, RATES[min(len(RATES) - 1, i + 1)])

    def _on_stop(self, state: State, _arg):
        return state, [Log("stop_speech", {})]

    def _on_call_staff(self, state: State, _arg):
        if state.screen == "ticket":
            return self._on_repeat(state, None)
        start = [] if state.active else [StartSession()]
        context = {
            "screen": state.screen, "topic": state.topic, "lesson": state.lesson,
            "step": state.step + 1 if state.screen in ("step", "finish") else None,
            "steps": len(self._lesson(state).steps) if self._lesson(state) else None,
            "modes": state.modes.on(), "rate": state.modes.rate, "errors": list(state.errors),
            "group": state.priority,
        }
        context.update(self.activities.ticket_context(state))
        new = replace(state, active=True, screen="ticket", ticket=None, ticket_from=state.screen,
                      called_to=None, ticket_failed=False)
        return new, start + [Log("screen", {"screen": "ticket"}), CreateTicket(context)]

    def _on_priority(self, state: State, group):
        """Ticket screen: the visitor says they are elderly, disabled or pregnant (tap again to undo)."""
        if group not in PRIORITY_GROUPS or state.screen != "ticket":
            return state, [Log("ignored", {"action": "priority", "arg": group})]
        value = None if state.priority == group else group
        new = replace(state, priority=value)
        return new, [Log("priority", {"group": value}), SetGroup(value), Say(self.spoken(new), "feedback")]

    def _called(self, state: State, event: TicketCalled):
        """Show and say "Mời số A012 đến quầy 1", from wherever the visitor is in the session."""
        if not state.active or state.ticket is None:
            return state, [Log("ignored", {"action": "ticket_called", "number": event.number})]
        back_to = state.ticket_from if state.screen == "ticket" else state.screen
        new = replace(state, screen="ticket", ticket_from=back_to, called_to=event.counter,
                      warning=False, last_input=event.now)
        return new, [StopSpeech(), Log("ticket_called", {"number": event.number, "counter": event.counter}),
                     Say(self.spoken(new), "call")]

    def _on_resume(self, state: State, _arg):
        """Leave the ticket screen and go back to where the visitor was."""
        back_to = state.ticket_from or "home"
        return self._go(state, screen=back_to, ticket_from=None)

    def _on_home(self, state: State, _arg):
        if not state.active:
            return state, []
        return self._go(state, screen="home", topic=None, lesson=None, step=0)

    def _on_more(self, state: State, _arg):
        """Finish screen: learn another lesson in the same session."""
        return self._on_home(state, None)

    def _on_exit(self, state: State, _arg):
        """'Về trang đầu': the visitor is done; wipe the session, back to the welcome screen."""
        if not state.active:
            return state, []
        return self._end(state, "done")

    def _on_still_here(self, state: State, _arg):
        return self._still_here(state)

    # --- voice (kiosk.core.visit.voice) --------------------------------------------------------------

    def _on_heard(self, state: State, text):
        return _voice().on_heard(self, state, text or "")

    def _on_yes(self, state: State, _arg):
        return _voice().answer(self, state, True)

    def _on_no(self, state: State, _arg):
        return _voice().answer(self, state, False)

    def _on_push_to_talk(self, state: State, _arg):
        return state, [Log("push_to_talk", {"screen": state.screen}), Listen()]

    # --- time -------------------------------------------------------------------------------

    def _tick(self, state: State, now: float):
        if not state.active:
            return state, []
        cfg = self.config
        if state.warning and now - state.warned_at >= cfg.answer_within:
            return self._end(state, "timeout")
        idle_after = cfg.ticket_wait if state.screen == "ticket" and state.ticket else cfg.idle_after
        if not state.warning and now - state.last_input >= idle_after:
            new = replace(state, warning=True, warned_at=now)
            return new, [Log("idle_warning", {"screen": state.screen}), Cue("warning"),
                         Say(WARNING_TEXT, "warning")]
        return state, []

    def _still_here(self, state: State):
        if not state.warning:
            return state, []
        new = replace(state, warning=False, extensions=state.extensions + 1)
        return new, [StopSpeech(), Log("idle_extended", {"count": new.extensions})]

    def _end(self, state: State, reason: str):
        """Wipe everything about this visitor: screen, modes, ticket, errors."""
        fresh = State(last_input=state.last_input)
        return fresh, [StopSpeech(), Log("session_end", {"reason": reason}), EndSession(reason)]

    def _note_error(self, state: State, what: str) -> State:
        errors = (state.errors + (what,))[-self.config.recent_errors:]
        return replace(state, errors=errors)


def _action_of(event) -> tuple[str, object]:
    if isinstance(event, Tap):
        return event.action, event.arg
    if isinstance(event, Intent):
        return event.name, event.args
    if isinstance(event, Heard):
        return "heard", event.text
    raise TypeError(f"not an event: {event!r}")


def _voice():
    from kiosk.core.visit import voice  # loaded on first use: the first frame does not wait for it
    return voice
