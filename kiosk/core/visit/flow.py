"""The visitor's journey as a pure state machine: `Flow.next(state, event) -> (state, effects)`.

No Kivy, no audio, no database here: events come in (a tap, a recognised intent, the clock),
effects go out (log this, say that, open a ticket, end the session). The runtime carries the
effects out; the Kivy screens only draw `state` and send events. The same journey can therefore
be replayed from a script and tested without a window.
"""

from __future__ import annotations

import functools
from dataclasses import replace

from kiosk.core.content.catalog import Catalog
from kiosk.core.state import (  # noqa: F401  (the flow's vocabulary, used by callers as f.State, f.Tap...)
    MODE_NAMES, PRACTICE_SCREENS, PRIORITY_GROUPS, RATES, SCREENS, WARNING_TEXT, Config, CreateTicket,
    Cue, EndSession, Heard, Intent, Key, KeyTap, Kiosk, Listen, Log, Modes, PrintChecklist, Problem,
    QueueSeen, Say, SetGroup, StartSession, State, StopSpeech, Tap, Tick, TicketCalled, TicketCreated,
    TicketUnavailable, HeadphonesChanged,
)
from kiosk.core.visit import audio_first
from kiosk.core.visit.access import AccessActions
from kiosk.core.visit.activity import Activity
from kiosk.core.screens.paper import PRINTING
from kiosk.core.screens.queue_views import reminder
from kiosk.core.screens.views import line
from kiosk.core.visit.queue_flow import on_seen


# --- the machine --------------------------------------------------------------------------

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
    def activities(self) -> Activity:
        """Practice copies, drills and quiz, through the one Activity interface (the flow is
        their Host). Imported on first use: the first frame does not wait for them."""
        from kiosk.core.visit.practice_flow import ActivityFlow  # first frame: see above
        return ActivityFlow(self)

    # public entry point
    def next(self, state: State, event) -> tuple[State, list]:
        if isinstance(event, Tick):
            return self._tick(state, event.now)
        if isinstance(event, TicketCreated):
            s = replace(state, ticket=event.number, place=event.place)
            return s, [Log("ticket_shown", {"number": event.number}), Cue("ticket"),
                       Say(self.spoken(s))]
        if isinstance(event, TicketUnavailable):
            s = replace(state, ticket=None, ticket_failed=True)
            return s, [Log("ticket_unavailable", {}), Cue("ticket"), Say(self.spoken(s))]
        if isinstance(event, Problem):
            return self.note_error(state, event.what), [Log("problem", {"what": event.what})]
        if isinstance(event, TicketCalled):
            return self._called(state, event)
        if isinstance(event, QueueSeen):
            return on_seen(self, state, event)
        if isinstance(event, Key):
            return self.on_key(state, event)
        if isinstance(event, HeadphonesChanged):
            return audio_first.headphones(self, state, event)
        now = event.now
        state = replace(state, last_input=now)
        if state.warning:
            # Any touch or word while the warning shows means the visitor is still here.
            state, effects = self.keep_session(state)
            if isinstance(event, Tap) and event.action == "still_here":
                return state, effects
            s2, e2 = self.act(state, event)
            return s2, effects + e2
        return self.act(state, event)

    # --- dispatch of one action --------------------------------------------------------------

    def act(self, state: State, event) -> tuple[State, list]:
        if self.needs_confirm(state, event):
            return self.arm(state, event)
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

    def go(self, state: State, **changes) -> tuple[State, list]:
        """Move to another screen: log it and, in audio mode, speak it on arrival."""
        new = replace(state, **{"focus": None, "armed": None, **changes})
        effects: list = [Log("screen", {"screen": new.screen})]
        if new.screen == "step":
            effects.append(Log("step", {"lesson": new.lesson, "step": new.step + 1,
                                        "of": len(self.lesson_of(new).steps)}))
        if new.modes.audio:
            effects.append(Say(self.spoken(new)))
        return new, effects

    def lesson_of(self, state: State):
        return self.catalog.get(state.lesson) if state.lesson else None

    # --- actions -----------------------------------------------------------------------------

    def _on_start(self, state: State, _arg):
        effects = [] if state.active else [StartSession()]
        new, more = self.go(replace(state, active=True), screen="home")
        return new, effects + more

    def _on_topic(self, state: State, topic):
        if not state.active:
            state, start = self._on_start(state, None)
        else:
            start = []
        new, effects = self.go(state, screen="topic", topic=topic, lesson=None, step=0)
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
        return self.go(state, screen="intro", topic=lesson.topic, lesson=lesson.id, step=0)

    def _on_begin(self, state: State, _arg):
        if state.screen != "intro":
            return self._on_next(state, None)
        new, effects = self.go(state, screen="step", step=0)
        return new, [Log("lesson_start", {"lesson": state.lesson})] + effects

    def _on_next(self, state: State, _arg):
        screen = state.screen
        if screen == "welcome":
            return self._on_start(state, None)
        if screen == "intro":
            return self._on_begin(state, None)
        if screen != "step":
            return state, [Log("ignored", {"action": "next", "screen": screen})]
        lesson = self.lesson_of(state)
        if state.step + 1 < len(lesson.steps):
            return self.go(state, step=state.step + 1)
        new, effects = self.activities.after_steps(state) or self.go(state, screen="finish")
        return new, [Log("lesson_finish", {"lesson": lesson.id})] + effects

    _on_done = _on_next

    def _on_back(self, state: State, _arg):
        backs = state.backs_in_row + 1
        state = replace(state, backs_in_row=backs)
        if backs >= 3:
            state = self.note_error(state, "back_repeated")
        log = Log("back", {"from": state.screen})
        screen = state.screen
        if screen == "step" and state.step > 0:
            new, effects = self.go(state, step=state.step - 1)
        elif screen == "step":
            new, effects = self.go(state, screen="intro")
        elif screen == "intro":
            new, effects = self.go(state, screen="topic")
        elif screen == "topic":
            new, effects = self.go(state, screen="home", topic=None)
        elif screen == "finish":
            new, effects = self.go(state, screen="step")
        elif screen == "ticket":
            return self._on_resume(state, None)
        elif screen == "home":
            return self._leave(state, "left")
        elif screen == "settings":
            return self._on_settings_done(state, None)
        else:
            return state, [log]
        return new, [log] + effects

    def _on_repeat(self, state: State, _arg):
        extra = reminder(state)  # the waiting number, on any screen
        said = f"{self.spoken(state)} {extra}" if extra else self.spoken(state)
        return state, [Log("repeat", {"screen": state.screen}), Say(said, "repeat")]

    def _on_stop(self, state: State, _arg):
        return state, [Log("stop_speech", {})]

    def _on_call_staff(self, state: State, _arg):
        if state.screen == "ticket":
            return self._on_repeat(state, None)
        start = [] if state.active else [StartSession()]
        context = {
            "screen": state.screen, "topic": state.topic, "lesson": state.lesson,
            "step": state.step + 1 if state.screen in ("step", "finish") else None,
            "steps": len(self.lesson_of(state).steps) if self.lesson_of(state) else None,
            "modes": state.modes.on(), "rate": state.modes.rate, "errors": list(state.errors),
            "group": state.priority,
        }
        context.update(self.activities.ticket_context(state))
        new = replace(state, active=True, screen="ticket", ticket=None, ticket_from=state.screen,
                      called_to=None, ticket_failed=False, place=None)
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
        # Cue: a chime, or in captions mode the flashing frame and "(Chuông báo)"
        return new, [StopSpeech(), Log("ticket_called", {"number": event.number, "counter": event.counter}),
                     Cue("call"), Say(self.spoken(new), "call")]

    def _on_resume(self, state: State, _arg):
        """Leave the ticket screen and go back to where the visitor was."""
        back_to = state.ticket_from or "home"
        return self.go(state, screen=back_to, ticket_from=None)

    def _on_home(self, state: State, _arg):
        if not state.active:
            return state, []
        return self.go(state, screen="home", topic=None, lesson=None, step=0)

    def _on_print_checklist(self, state: State, lesson):
        """Finish screen: "In ra giấy" (only offered when the kiosk has a printer)."""
        if state.screen != "finish" or not state.kiosk.printer or lesson != state.lesson:
            return state, [Log("ignored", {"action": "print_checklist"})]
        return state, [Log("print_checklist", {"lesson": lesson}), PrintChecklist(lesson),
                       Say(PRINTING, "feedback")]

    def _on_more(self, state: State, _arg):
        """Finish screen: learn another lesson in the same session."""
        return self._on_home(state, None)

    def _on_exit(self, state: State, _arg):
        """'Về trang đầu': the visitor is done; wipe the session, back to the welcome screen."""
        if not state.active:
            return state, []
        return self._leave(state, "done")

    def _leave(self, state: State, reason: str):
        """End the session; in audio mode only after "… đúng không?" (kiosk.core.visit.audio_first)."""
        return audio_first.ask_leave(self, state, reason) or self._end(state, reason)

    def _on_end_session(self, state: State, args):
        """"Đúng" to the question of _leave."""
        reason = (args or {}).get("reason") if isinstance(args, dict) else None
        return self._end(state, reason if reason in ("left", "done") else "done")

    def _on_still_here(self, state: State, _arg):
        return self.keep_session(state)

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
                         # audio mode: with its key ("Phím Enter: Tôi vẫn đang dùng", issue 14)
                         Say(self.spoken(new) if new.modes.audio else WARNING_TEXT, "warning",
                             None if new.modes.audio else "idle.warning")]
        return state, []

    def keep_session(self, state: State):
        if not state.warning:
            return state, []
        new = replace(state, warning=False, extensions=state.extensions + 1)
        return new, [StopSpeech(), Log("idle_extended", {"count": new.extensions})]

    def _end(self, state: State, reason: str):
        """Wipe everything about this visitor: screen, modes, ticket, errors."""
        fresh = State(last_input=state.last_input, kiosk=state.kiosk,
                      private=state.private)  # the kiosk's facts and the headphones stay
        return fresh, [StopSpeech(), Log("session_end", {"reason": reason}), EndSession(reason)]

    def note_error(self, state: State, what: str) -> State:
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
