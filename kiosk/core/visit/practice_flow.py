"""Practice copies, scam drills and the end-of-lesson quiz as branches of the pure flow.

`Flow` (kiosk.core.visit.flow) hands these actions and screens over to `ActivityFlow` through
the `Activity` interface (kiosk.core.visit.activity), lending itself as the `Host`; this module
never imports the flow. The state of whichever activity is running travels in `State.activity`
(a frozen `PracticeRun`, `DrillRun` or `QuizRun`, kiosk.core.state). Same rules as the flow:
events in, effects out, no Kivy, no audio, no database.

Screens: "practice" (one step of a practice copy), "practice_done", "drills" (the list of scam
drills), "drill" (one scenario), "quiz" (one question at the end of a lesson).
Actions: practice ID, p_tap ELEMENT, p_key DIGIT|del, p_restart, p_leave, drills, drill ID,
drill_answer N, drill_next, quiz_answer N; and back/next/done on those screens.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace

from kiosk.core.content.practice import KEYPAD_KEYS, book_of, code_unheard, fill, made_up_codes
from kiosk.core.screens.phone_keys import TYPING_HELP
from kiosk.core.state import (  # noqa: F401  (HINT_AFTER: callers read it here too)
    HINT_AFTER, PRACTICE_SCREENS, DrillRun, Log, PracticeRun, QuizRun, Say, StartSession, State,
)
from kiosk.core.visit.activity import Host

SCREENS = PRACTICE_SCREENS
SEED_ENV = "KIOSK_PRACTICE_SEED"  # tests and demos: the same made-up codes every time


class ActivityFlow:
    """The practice copies, scam drills and quiz: an `Activity` (kiosk.core.visit.activity)."""

    def __init__(self, flow: Host, rng=None):
        self.flow = flow
        if rng is None:
            seed = os.environ.get(SEED_ENV)
            rng = (lambda pid: random.Random(f"{seed}:{pid}")) if seed else (lambda pid: random.SystemRandom())
        self.rng = rng  # practice id -> a random source for its made-up codes
        self._actions = {
            "practice": self._practice, "p_tap": self._p_tap, "p_key": self._p_key,
            "p_restart": self._p_restart, "p_leave": self._p_leave, "drills": self._drills,
            "drill": self._drill, "drill_answer": self._drill_answer, "drill_next": self._drill_next,
            "quiz_answer": self._quiz_answer, "p_field": self._p_field,
        }

    @property
    def book(self):
        return book_of(self.flow.catalog)

    # --- hooks used by Flow ------------------------------------------------------------------

    def handler(self, state: State, action: str):
        """The handler for `action` on this screen, or None to let Flow handle it."""
        if action in self._actions:
            return self._actions[action]
        if state.screen in SCREENS and action in ("back", "next", "done"):
            kind = "back" if action == "back" else "next"
            return getattr(self, f"_{kind}_on_{state.screen}")
        return None

    def after_steps(self, state: State):
        """Last step of a lesson done: its quiz first, if it has one (else None: finish)."""
        lesson = self.flow.lesson_of(state)
        if lesson is None or not lesson.quiz:
            return None
        return self.flow.go(state, screen="quiz", activity=QuizRun(lesson.id))

    def ticket_context(self, state: State) -> dict:
        a = state.activity
        if isinstance(a, PracticeRun):
            return {"practice": a.practice, "practice_step": a.step + 1, "practice_mistakes": a.mistakes}
        if isinstance(a, DrillRun) and a.drill:
            return {"drill": a.drill}
        if isinstance(a, QuizRun):
            return {"quiz_question": a.index + 1}
        return {}

    # --- helpers ---------------------------------------------------------------------------

    def _speak(self, state: State) -> list:
        """Feedback is always spoken (and shown): the screen's line, which starts with it."""
        return [Say(self.flow.spoken(state), "feedback")]

    def _arrive(self, state: State, **changes):
        """Like Flow.go, but the line is spoken whatever the mode (feedback comes with it)."""
        new, effects = self.flow.go(state, **changes)
        return new, [e for e in effects if not isinstance(e, Say)] + self._speak(new)

    @staticmethod
    def _start(state: State):
        return (state, []) if state.active else (replace(state, active=True), [StartSession()])

    def _run(self, state: State):
        run = state.activity if isinstance(state.activity, PracticeRun) else None
        p = self.book.practice(run.practice) if run else None
        if run is None or p is None or state.screen != "practice":
            return None, None, None
        return run, p, p.steps[run.step]

    @staticmethod
    def _ignored(state: State, action: str):
        return state, [Log("ignored", {"action": action, "screen": state.screen})]

    # --- practice copies -------------------------------------------------------------------

    def _new_run(self, p, origin: str, lesson: str | None, restarts: int = 0) -> PracticeRun:
        codes = made_up_codes(self.rng(p.id))
        return PracticeRun(practice=p.id, codes=tuple(codes.items()), origin=origin,
                           lesson=lesson, restarts=restarts)

    def _practice(self, state: State, practice_id):
        p = self.book.practice(practice_id)
        if p is None:
            return state, [Log("problem", {"what": f"unknown practice {practice_id}"})]
        state, start = self._start(state)
        origin = state.screen if state.screen not in SCREENS + ("ticket", "welcome") else "home"
        run = self._new_run(p, origin, state.lesson)
        new, effects = self.flow.go(state, screen="practice", activity=run)
        return new, start + [Log("practice_start", {"practice": p.id, "from_lesson": state.lesson})] + effects

    def _p_tap(self, state: State, element):
        run, p, step = self._run(state)
        if run is None:
            return self._ignored(state, "p_tap")
        exp = step.expect
        if exp.tap:
            if element == exp.tap:
                return self._succeed(state, run, p, filled=element)
            return self._mistake(state, run, p, step.correction_for(element), element)
        if element == exp.submit:
            want = fill(exp.value, run.code_map)
            unheard = code_unheard(state.modes.audio, getattr(state, "private", False), exp.value)
            if run.typed == want or (unheard and len(run.typed) == len(want) and run.typed.isdigit()):
                return self._succeed(state, run, p, value=(exp.type, run.typed))
            return self._mistake(state, replace(run, typed=""), p, step.correct, element)
        return self._mistake(state, run, p, step.correction_for(element), element)

    def _p_key(self, state: State, key):
        run, p, step = self._run(state)
        if run is None:
            return self._ignored(state, "p_key")
        exp = step.expect
        if not exp.type:
            return self._mistake(state, run, p, step.correct, "keypad")
        field = p.screens[step.screen].item(exp.type)
        if key == "del":
            typed = run.typed[:-1]
        elif key in KEYPAD_KEYS:
            typed = run.typed if len(run.typed) >= field.length else run.typed + key
        else:
            return self._ignored(state, "p_key")
        # audio mode: how many digits are in, never which (a code is never spoken)
        heard = [Say(f"Đã gõ {len(typed)} trên {field.length} số.", "focus")] if state.modes.audio else []
        return replace(state, activity=replace(run, typed=typed)), heard

    def _p_field(self, state: State, field_id):
        """Enter on a field of the copy: how to fill it (keypad visitors)."""
        run, p, step = self._run(state)
        if run is None:
            return self._ignored(state, "p_field")
        if step.expect.type != field_id:
            return state, [Say("Ô này không cần gõ ở bước này.", "feedback")]
        return state, [Say(TYPING_HELP, "feedback")]

    def _succeed(self, state: State, run: PracticeRun, p, filled=None, value=None):
        n = run.step
        step = p.steps[n]
        praise = fill(step.praise, run.code_map)
        done = replace(run, typed="", step_mistakes=0, feedback=("ok", praise),
                       filled=run.filled + (((n, filled),) if filled else ()),
                       values=run.values + (((n,) + value,) if value else ()))
        log = Log("practice_step", {"practice": p.id, "step": n + 1, "of": len(p.steps),
                                    "mistakes": run.step_mistakes})
        if n + 1 < len(p.steps):
            new = replace(state, activity=replace(done, step=n + 1), focus=None)  # a new screen
            return new, [log] + self._speak(new)
        first_try = run.mistakes == 0 and run.restarts == 0
        new, effects = self._arrive(state, screen="practice_done", activity=done)
        finish = Log("practice_finish", {"practice": p.id, "first_try": first_try,
                                         "mistakes": run.mistakes, "restarts": run.restarts})
        return new, [log, finish] + effects

    def _mistake(self, state: State, run: PracticeRun, p, text: str, element):
        new_run = replace(run, mistakes=run.mistakes + 1, step_mistakes=run.step_mistakes + 1,
                          feedback=("bad", fill(text, run.code_map)))
        new = self.flow.note_error(replace(state, activity=new_run),
                                    f"practice {p.id} step {run.step + 1}: tapped {element}")
        log = Log("practice_mistake", {"practice": p.id, "step": run.step + 1, "tapped": element})
        return new, [log] + self._speak(new)

    def _p_restart(self, state: State, _arg):
        run = state.activity if isinstance(state.activity, PracticeRun) else None
        p = self.book.practice(run.practice) if run else None
        if p is None:
            return self._ignored(state, "p_restart")
        fresh = replace(self._new_run(p, run.origin, run.lesson, run.restarts + 1),
                        feedback=("info", "Làm lại từ đầu."))
        new, effects = self._arrive(state, screen="practice", activity=fresh)
        return new, [Log("practice_restart", {"practice": p.id, "at_step": run.step + 1})] + effects

    def _p_leave(self, state: State, _arg):
        run = state.activity if isinstance(state.activity, PracticeRun) else None
        origin = run.origin if run else "home"
        if origin in ("intro", "finish", "step") and not state.lesson:
            origin = "home"
        return self.flow.go(state, screen=origin, activity=None)

    def _back_on_practice(self, state: State, _arg):
        run = state.activity
        if not isinstance(run, PracticeRun) or run.step == 0:
            return self._p_leave(state, None)
        n = run.step - 1
        back = replace(run, step=n, typed="", step_mistakes=0, feedback=None,
                       filled=tuple(f for f in run.filled if f[0] < n),
                       values=tuple(v for v in run.values if v[0] < n))
        new, effects = self.flow.go(state, activity=back)
        return new, [Log("back", {"from": "practice", "step": run.step + 1})] + effects

    def _next_on_practice(self, state: State, _arg):
        return self._ignored(state, "next")

    _back_on_practice_done = _p_leave
    _next_on_practice_done = _p_leave

    # --- scam drills -----------------------------------------------------------------------

    def _solved_so_far(self, state: State) -> tuple:
        return state.activity.solved_ids if isinstance(state.activity, DrillRun) else ()

    def _drills(self, state: State, _arg):
        if not self.book.drills:
            return self._ignored(state, "drills")
        state, start = self._start(state)
        new, effects = self.flow.go(state, screen="drills", topic="safety", lesson=None, step=0,
                                     activity=DrillRun(solved_ids=self._solved_so_far(state)))
        return new, start + effects

    def _drill(self, state: State, drill_id):
        d = self.book.drill(drill_id)
        if d is None:
            return state, [Log("problem", {"what": f"unknown drill {drill_id}"})]
        state, start = self._start(state)
        run = DrillRun(drill=d.id, solved_ids=self._solved_so_far(state))
        new, effects = self._arrive(state, screen="drill", topic="safety", lesson=None, step=0,
                                    activity=run)
        return new, start + [Log("drill_start", {"drill": d.id})] + effects

    def _drill_answer(self, state: State, arg):
        run = state.activity if isinstance(state.activity, DrillRun) else None
        d = self.book.drill(run.drill) if run else None
        try:
            i = int(arg)
        except (TypeError, ValueError):
            i = -1
        if d is None or run.solved or not 0 <= i < len(d.choices) or state.screen != "drill":
            return self._ignored(state, "drill_answer")
        choice = d.choices[i]
        first = run.chosen is None
        log = Log("drill_answer", {"drill": d.id, "choice": i + 1, "right": choice.right, "first": first})
        if choice.right:
            new_run = replace(run, chosen=i, solved=True, feedback=("ok", f"Đúng rồi! {choice.why}"),
                              solved_ids=tuple(dict.fromkeys(run.solved_ids + (d.id,))))
        else:
            new_run = replace(run, chosen=i, wrong=run.wrong + 1,
                              feedback=("bad", f"Chưa an toàn. {choice.why} Hãy chọn lại."))
        new = replace(state, activity=new_run)
        return new, [log] + self._speak(new)

    def _drill_next(self, state: State, _arg):
        run = state.activity if isinstance(state.activity, DrillRun) else None
        ids = [d.id for d in self.book.drills]
        if run is None or run.drill not in ids:
            return self._drills(state, None)
        i = ids.index(run.drill)
        if i + 1 < len(ids):
            return self._drill(state, ids[i + 1])
        return self._drills(state, None)

    def _back_on_drill(self, state: State, _arg):
        return self._drills(state, None)

    def _next_on_drill(self, state: State, _arg):
        run = state.activity
        if isinstance(run, DrillRun) and run.solved:
            return self._drill_next(state, None)
        return state, [Say("Hãy chạm vào một cách làm ở bên trái.", "feedback")]

    def _back_on_drills(self, state: State, _arg):
        return self.flow.go(state, screen="topic", topic="safety", activity=None)

    def _next_on_drills(self, state: State, _arg):
        return self._ignored(state, "next")

    # --- the quiz at the end of a lesson ---------------------------------------------------

    def _quiz(self, state: State):
        run = state.activity if isinstance(state.activity, QuizRun) else None
        lesson = self.flow.catalog.get(run.lesson) if run else None
        if lesson is None or state.screen != "quiz":
            return None, None
        return run, lesson

    def _quiz_answer(self, state: State, arg):
        run, lesson = self._quiz(state)
        try:
            i = int(arg)
        except (TypeError, ValueError):
            i = -1
        if run is None or run.chosen is not None or not 0 <= i < len(lesson.quiz[run.index].choices):
            return self._ignored(state, "quiz_answer")
        q = lesson.quiz[run.index]
        right = i + 1 == q.answer
        if right:
            feedback = ("ok", f"Đúng rồi! {q.why}")
        else:
            feedback = ("bad", f"Chưa đúng. Câu đúng là: {q.choices[q.answer - 1]}. {q.why}")
        new = replace(state, activity=replace(run, chosen=i, feedback=feedback,
                                              results=run.results + ((run.index, right),)))
        log = Log("quiz_answer", {"lesson": lesson.id, "question": run.index + 1,
                                  "of": len(lesson.quiz), "right": right})
        return new, [log] + self._speak(new)

    def _next_on_quiz(self, state: State, _arg):
        run, lesson = self._quiz(state)
        if run is None:
            return self._ignored(state, "next")
        if run.chosen is None:
            return state, [Say("Hãy chạm vào một câu trả lời.", "feedback")]
        if run.index + 1 < len(lesson.quiz):
            return self.flow.go(state, activity=replace(run, index=run.index + 1, chosen=None,
                                                         feedback=None))
        return self.flow.go(state, screen="finish", activity=replace(run, chosen=None, feedback=None))

    def _back_on_quiz(self, state: State, _arg):
        run, lesson = self._quiz(state)
        if run is not None and run.index > 0:
            prev = replace(run, index=run.index - 1, chosen=None, feedback=None,
                           results=tuple(r for r in run.results if r[0] < run.index - 1))
            return self.flow.go(state, activity=prev)
        return self.flow.go(state, screen="step", activity=None)
