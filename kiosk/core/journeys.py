"""Keypad-only journeys of a blind visitor, generated from the content (plain Python, no Kivy).

One journey per lesson, per practice copy, per scam drill, the quiz and the ticket, each from
the welcome screen: a key press (the keypad is explained), key 5 (Nghe đọc on), then keys only
(`{"key": …}` lines; `{"wait_for": …}` only for the queue's place on screen) to the end (finish screen, drill answered, ticket), then back to the welcome
screen through "… đúng không?". Each screen's key help ("phím 1, …", "Phím Enter: …") is asserted
with `{"spoken": …}`, as is every focus move on a practice copy's phone and a step's picture said
in words ("Hình minh họa: …").

The path is found by running the pure flow itself (kiosk.core.visit.flow) with the same keys, so a
change of wording or order in the content changes the journeys; `kiosk replay` then checks that
the real app, in a real window, says the same. `said` keeps every line the flow spoke (tests
check each of them against the pronunciation lexicon).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from kiosk.core.content.catalog import TOPICS, Catalog
from kiosk.core.content.practice import book_of, code_unheard, fill
from kiosk.core.content.practice_replay import codes_for
from kiosk.core.content.step_picture import MARKER as PICTURE_MARKER, describe
from kiosk.core.data.queue_wait import Place, wait_words
from kiosk.core.screens import keys as K
from kiosk.core.screens.view import spell_ticket
from kiosk.core.screens.views import TOPIC_ORDER, view_for
from kiosk.core.visit import flow as f

MAX_PRESSES = 400  # per journey: a path that long means the content cannot be reached
TICKET_NUMBER = "A001"  # the first number of a fresh log (each replay batch has its own)


class JourneyError(Exception):
    """The content cannot be done by keypad (a defect of the kiosk, not of the test)."""


@dataclass
class Journey:
    name: str
    lines: list = field(default_factory=list)
    said: list = field(default_factory=list)      # every line the flow spoke (written form)
    captions: list = field(default_factory=list)  # every screen's caption (Phụ đề)


class Walker:
    """Presses keys in the pure flow and writes the replay lines that do the same."""

    def __init__(self, catalog: Catalog, name: str, seed: str):
        self.catalog = catalog
        self.flow = f.Flow(catalog, f.Config())  # the kiosk's defaults: warning after 90 s
        self.flow.activities.rng = lambda pid: random.Random(f"{seed}:{pid}")  # = KIOSK_PRACTICE_SEED
        self.state = f.State()
        self.j = Journey(name)
        self.presses = 0

    # --- keys ------------------------------------------------------------------------------

    def press(self, name: str, spoken: str | None = None) -> list[str]:
        self.presses += 1
        if self.presses > MAX_PRESSES:
            raise JourneyError(f"{self.j.name}: more than {MAX_PRESSES} key presses")
        screen = (self.state.screen, self.state.step, id(self.state.activity))
        self.state, effects = self.flow.next(self.state, f.Key(name))
        said = [e.text for e in effects if isinstance(e, f.Say)]
        self.j.said += said
        self.j.captions.append(self.view().caption)
        self.j.lines.append({"key": name})
        if spoken is not None:
            self.expect_said(said, spoken)
        elif (self.state.screen, self.state.step, id(self.state.activity)) != screen and said:
            self.key_help(said)
        return said

    def expect_said(self, said: list[str], text: str) -> None:
        if not any(text.casefold() in s.casefold() for s in said):
            raise JourneyError(f"{self.j.name}: '{text}' not said on {self.state.screen}: {said}")
        self.j.lines.append({"spoken": text})

    def key_help(self, said: list[str]) -> None:
        """The screen's key help, from its controls: the first numbered choice with "phím",
        or what Enter does."""
        view = self.view()
        line = " ".join(said)
        wanted = []
        for c in K.controls(view):
            if c.key and c.key.isdigit():
                wanted += [f"phím {c.key}, {c.label}", f"phím {c.key}: {c.label}"]
                break
        main = next((c for c in K.controls(view) if c.key == "enter"), None)
        if main is not None:
            wanted.append(f"Phím Enter: {main.label}")
        found = next((w for w in wanted if w.casefold() in line.casefold()), None)
        if found is None:
            raise JourneyError(f"{self.j.name}: no key help on {view.screen}: {line}")
        self.j.lines.append({"spoken": found})
        if view.screen == "step" and describe(getattr(view, "picture", None)):
            self.expect_said(said, f"{PICTURE_MARKER}:")  # the step's picture said in words

    def idle(self, seconds: float) -> None:
        """Nobody touches anything: the idle warning, answered with Enter."""
        self.state, effects = self.flow.next(self.state, f.Tick(self.state.last_input + seconds))
        said = [e.text for e in effects if isinstance(e, f.Say)]
        self.j.said += said
        self.j.lines.append({"idle": seconds})
        if not self.state.warning:
            raise JourneyError(f"{self.j.name}: no idle warning after {seconds} s")
        self.key_help(said)
        self.press("Enter")
        if self.state.warning:
            raise JourneyError(f"{self.j.name}: Enter did not answer the idle warning")

    def view(self):
        return view_for(self.state, self.catalog)

    def key_of(self, action: str, arg=None) -> str:
        for c in K.controls(self.view()):
            if (c.action, c.arg) == (action, arg) and c.key and c.key.isdigit():
                return c.key
        raise JourneyError(f"{self.j.name}: no key for {action} {arg} on {self.state.screen}")

    def focus_on(self, action: str, arg) -> None:
        """Tab (or Up, whichever is shorter) until that control has the focus; its
        announcement is checked."""
        cs = K.controls(self.view())
        target = next((i for i, c in enumerate(cs) if (c.action, c.arg) == (action, arg)), None)
        if target is None:
            raise JourneyError(f"{self.j.name}: {action} {arg} is not reachable on {self.state.screen}")
        here = K.focus_index(self.state, self.view())
        if here == target:
            return
        forward = (target - here) % len(cs)
        key = "Tab" if forward <= len(cs) - forward else "Up"
        said: list[str] = []
        while K.focus_index(self.state, self.view()) != target:
            said = self.press(key)
        self.expect_said(said, f"{cs[target].label}, ")

    # --- journeys --------------------------------------------------------------------------

    def start(self) -> None:
        """Welcome screen: any key explains the keypad; key 5 turns Nghe đọc on; Enter starts."""
        self.j.lines.append({"expect": "Xin chào"})
        self.press("R", spoken="bấm phím 5")
        self.press("5", spoken="Phím Enter: Bắt đầu")
        self.press("Enter")

    def home_to_topic(self, topic: str) -> None:
        if self.state.screen != "home":
            raise JourneyError(f"{self.j.name}: not on the home screen")
        self.press(self.key_of("topic", topic))

    def open_lesson(self, lesson_id: str) -> None:
        lesson = self.catalog.get(lesson_id)
        self.home_to_topic(lesson.topic)
        self.press(self.key_of("lesson", lesson.id))

    def leave(self) -> None:
        """Về trang đầu (or Backspace back to home and from it): asked first, then Đúng."""
        view = self.view()
        exit_key = next((c.key for c in K.controls(view) if c.action == "exit" and c.key), None)
        if exit_key:
            self.press(exit_key, spoken="đúng không?")
        else:
            while self.state.screen != "confirm":
                self.press("BackSpace")
            self.j.lines.append({"spoken": "đúng không?"})
        self.press("1")
        if self.state.screen != "welcome" or self.state.active:
            raise JourneyError(f"{self.j.name}: the session did not end")
        self.j.lines.append({"expect": "Xin chào"})

    def steps_to_end(self, wrong_quiz: bool = False) -> None:
        """A lesson from its intro: Enter through the steps, the quiz by its keys, to finish."""
        self.press("Enter")
        while self.state.screen == "step":
            self.press("Enter")
        while self.state.screen == "quiz":
            run = self.state.activity
            q = self.catalog.get(run.lesson).quiz[run.index]
            answer = q.answer if not wrong_quiz else next(
                j + 1 for j in range(len(q.choices)) if j + 1 != q.answer)
            self.press(str(answer), spoken="Đúng rồi" if not wrong_quiz else "Chưa đúng")
            self.press("Enter")
        if self.state.screen != "finish":
            raise JourneyError(f"{self.j.name}: ended on {self.state.screen}, not the finish screen")
        self.j.lines.append({"expect": "Bạn đã làm xong!"})

    def unheard(self, value: str | None) -> bool:
        return code_unheard(True, bool(getattr(self.state, "private", False)), value)

    def typed_for(self, value: str, codes: dict) -> str:
        """What the visitor types: the code itself only if it was said to them. Without
        headphones a blind visitor never hears it, so the journey types other digits, as they
        would after the step said that any digits do."""
        want = fill(value, codes)
        if not self.unheard(value):
            return want
        return "".join(str((int(d) + 1) % 10) if d.isdigit() else d for d in want)

    def practice(self, practice_id: str, codes: dict) -> None:
        p = book_of(self.catalog).practice(practice_id)
        arrived = self.press(self.key_of("practice", p.id),
                             spoken="Phím Tab để đi qua từng nút trên điện thoại")
        for i, step in enumerate(p.steps):
            exp = step.expect
            if self.unheard(exp.value):  # said on arrival, before anything else is pressed
                self.expect_said(arrived, "chữ số bất kỳ")
            self.j.lines.append({"expect": f"Bước {i + 1}/{len(p.steps)}"})
            if exp.tap:
                self.focus_on("p_tap", exp.tap)
            else:
                self.focus_on("p_field", exp.type)
                for d in self.typed_for(exp.value, codes):
                    self.press(d, spoken="Đã gõ")
                self.focus_on("p_tap", exp.submit)
            said = arrived = self.press("Enter")
            self.expect_said(said, " ".join(fill(step.praise, codes).split()[:4]))
        if self.state.screen != "practice_done":
            raise JourneyError(f"{self.j.name}: the practice did not finish")
        self.j.lines.append({"expect": "Bạn đã làm xong bản tập"})


def lesson_journey(catalog: Catalog, lesson_id: str, seed: str) -> Journey:
    w = Walker(catalog, f"lesson {lesson_id}", seed)
    w.start()
    w.open_lesson(lesson_id)
    w.steps_to_end()
    w.leave()
    return w.j


def practice_journey(catalog: Catalog, practice_id: str, seed: str) -> Journey:
    p = book_of(catalog).practice(practice_id)
    w = Walker(catalog, f"practice {practice_id}", seed)
    w.start()
    w.open_lesson(p.lessons[0])
    w.practice(p.id, codes_for(p.id, seed))
    w.leave()
    return w.j


def drill_journey(catalog: Catalog, drill_id: str, seed: str) -> Journey:
    """Safety -> Nhận biết lừa đảo -> the drill; a wrong answer first, then the right one;
    back out with Backspace to the home screen, where leaving asks first."""
    drills = book_of(catalog).drills
    d = next(x for x in drills if x.id == drill_id)
    w = Walker(catalog, f"drill {drill_id}", seed)
    w.start()
    w.home_to_topic("safety")
    w.press(w.key_of("drills"))
    w.press(w.key_of("drill", d.id))
    wrong = next(i for i, c in enumerate(d.choices) if not c.right)
    right = next(i for i, c in enumerate(d.choices) if c.right)
    w.press(str(wrong + 1), spoken="Chưa an toàn")
    w.press(str(right + 1), spoken="Đúng rồi")
    w.j.lines.append({"expect": "Đúng rồi"})
    w.leave()
    return w.j


def quiz_journey(catalog: Catalog, seed: str) -> Journey | None:
    """The first lesson with a quiz, every answer wrong first time (the correction is spoken)."""
    lesson = next((l for l in catalog.lessons if l.quiz), None)
    if lesson is None:
        return None
    w = Walker(catalog, f"quiz {lesson.id}", seed)
    w.start()
    w.open_lesson(lesson.id)
    w.idle(95)  # the idle warning by keypad too
    w.steps_to_end(wrong_quiz=True)
    w.leave()
    return w.j


def ticket_journey(catalog: Catalog, seed: str) -> Journey:
    """Key 0 for staff: the number spoken digit by digit (§5.1.3.16), who is before (a fresh
    log: nobody), a priority choice by its key, R to hear the number and the place again, then
    Cách dùng (/) and back, and leaving from the ticket screen."""
    w = Walker(catalog, "ticket", seed)
    w.start()
    w.press("0")
    # the real number and place come from the log: a fresh one gives A001, nobody before
    place = Place(TICKET_NUMBER, 0, None)
    w.state, effects = w.flow.next(w.state, f.TicketCreated(TICKET_NUMBER, place=place))
    said = [e.text for e in effects if isinstance(e, f.Say)]
    w.j.said += said
    # replay waits for the number to be on disk before its next line: said since the key
    w.expect_said(said, f"Số thứ tự của bạn là {spell_ticket(TICKET_NUMBER)}.")
    w.key_help(said)
    w.j.lines.append({"expect": "Số thứ tự của bạn"})
    # the place read with the number, or at the queue's next reading (a busy log): on screen
    w.j.lines.append({"wait_for": wait_words(place.before, place.minutes)})
    elderly = w.key_of("priority", "elderly")
    w.press(elderly, spoken="Đã ghi nhận ưu tiên")
    said = w.press("R", spoken=f"Số thứ tự của bạn là {spell_ticket(TICKET_NUMBER)}.")
    w.expect_said(said, wait_words(place.before, place.minutes).rstrip("."))
    w.expect_said(said, "Bấm phím R hoặc phím sao để nghe lại số của bạn")
    w.press("/", spoken="phím 5, Nghe đọc, đang bật")
    w.press("Enter")
    w.leave()
    return w.j


def all_journeys(catalog: Catalog, seed: str = "blind") -> list[Journey]:
    """Every lesson, practice copy and drill, the quiz and the ticket."""
    book = book_of(catalog)
    out = [lesson_journey(catalog, l.id, seed) for l in _reachable_lessons(catalog)]
    out += [practice_journey(catalog, p.id, seed) for p in book.practices]
    out += [drill_journey(catalog, d.id, seed) for d in book.drills]
    quiz = quiz_journey(catalog, seed)
    out += [quiz] if quiz else []
    out.append(ticket_journey(catalog, seed))
    return out


def _reachable_lessons(catalog: Catalog):
    return [l for t in TOPIC_ORDER if t in TOPICS for l in catalog.by_topic(t)]
