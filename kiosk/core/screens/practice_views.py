"""What the practice, drill and quiz screens show and say (plain Python, no Kivy).

A practice step is a `View` whose `phone` field describes the copy of the phone screen the
kiosk draws (kiosk.ui.practice_screens) and whose `feedback` carries the praise or the gentle
correction. Codes (OTP, passcode) are shown on the copy but never put in a spoken line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kiosk.core.content.practice import (
    ANY_DIGITS, CHANNELS, DRILL_MARKER, MARKER, PLACEHOLDER, SECRET_PLACEHOLDERS, Item, book_of,
    code_unheard, fill, fill_spoken,
)
from kiosk.core.content.step_picture import MARKER as PICTURE_MARKER, StepPicture, sample_codes
from kiosk.core.screens.view import BAR_BACK, BAR_LARGE, BAR_REPEAT, BAR_STAFF, Choice, View, bar
from kiosk.core.state import HINT_AFTER, DrillRun, PracticeRun, QuizRun

HINT_TEXT = "Chỗ cần chạm có viền vàng."


def listed(choices) -> str:
    """The choices of a drill or a quiz question as said: "Số 1: …. Số 2: …." (also a line of
    the narration catalogue, kiosk.narration.catalogue)."""
    return " ".join(f"Số {j + 1}: {c}." for j, c in enumerate(choices))
CHANNEL_STYLE = {"call": "call", "video_call": "call", "sms": "phone", "zalo": "zalo"}


@dataclass(frozen=True)
class Phone:
    """The phone copy: one app screen, already filled with this run's made-up values."""
    title: str
    style: str                         # phone, vneid, dvc, bank; drills: call, zalo
    items: tuple[Item, ...]
    marker: str                        # "Bản tập – không phải thật", always drawn on the copy
    filled: frozenset = frozenset()    # elements done by a right tap (search typed, picture attached)
    values: tuple = ()                 # (field id, what the field shows)
    typing: str | None = None          # the field the keypad types into now
    hint: str | None = None            # element outlined after repeated mistakes
    tappable: bool = True              # drills: the answers are kiosk buttons, not the phone
    channel: str | None = None         # drills: call, video_call, sms, zalo

    def value_of(self, field_id: str | None) -> str | None:
        return dict(self.values).get(field_id)


def _unsaid(text: str, codes: dict) -> str:
    """A spoken line never carries a code, even one that reached a praise or a correction."""
    for name in SECRET_PLACEHOLDERS:
        if codes.get(name):
            text = text.replace(codes[name], "mã hiện trên màn hình")
    return text


def fill_item(item: Item, codes: dict) -> Item:
    changes = {k: fill(getattr(item, k), codes) for k in
               ("label", "text", "title", "value", "recipient", "amount", "bank", "note", "sender")
               if getattr(item, k) and PLACEHOLDER.search(getattr(item, k))}
    if any(PLACEHOLDER.search(line) for line in item.lines):
        changes["lines"] = tuple(fill(line, codes) for line in item.lines)
    return replace(item, **changes) if changes else item


# --- entry points on existing screens ---------------------------------------------------

def topic_extras(state, catalog, first_key: int) -> tuple[Choice, ...]:
    drills = book_of(catalog).drills
    if state.topic != "safety" or not drills:
        return ()
    return (Choice("Nhận biết lừa đảo", "drills", icon="safety", key=str(first_key),
                   detail=f"Bài tập: {len(drills)} tình huống lừa đảo thường gặp"),)


def lesson_extras(state, catalog, first_key: int) -> tuple[Choice, ...]:
    practices = book_of(catalog).for_lesson(state.lesson)
    out = []
    for i, p in enumerate(practices):
        label = "Thử làm" if len(practices) == 1 else f"Thử làm: {p.title.split(':')[-1].strip()}"
        out.append(Choice(label, "practice", p.id, icon="start", key=str(first_key + i),
                          detail=f"Bản tập: {p.summary}"))
    return tuple(out)


def practice_hint(state, catalog) -> str:
    if not book_of(catalog).for_lesson(state.lesson):
        return ""
    return " Hoặc chạm Thử làm để tập trên bản sao màn hình điện thoại."


def finish_lines(state, catalog) -> tuple[str, ...]:
    run = state.activity
    if isinstance(run, QuizRun) and run.lesson == state.lesson and run.results:
        return (f"Kiểm tra nhanh: đúng {run.right}/{len(run.results)} câu.",)
    return ()


# --- the new screens --------------------------------------------------------------------

def _practice(state, catalog) -> View:
    run: PracticeRun = state.activity
    p = book_of(catalog).practice(run.practice)
    step = p.steps[run.step]
    screen = p.screens[step.screen]
    codes = run.code_map
    values = {}
    for item in screen.items:
        if item.kind == "field":
            kept = [v for s, f, v in run.values if f == item.id]
            values[item.id] = kept[-1] if kept else fill(item.value, codes)
    typing = step.expect.type
    if typing:
        values[typing] = run.typed
    hint = step.target if run.step_mistakes >= HINT_AFTER else None
    feedback = run.feedback
    if hint and feedback and feedback[0] == "bad":
        feedback = ("bad", f"{feedback[1]} {HINT_TEXT}")
    phone = Phone(title=screen.title, style=screen.style, marker=MARKER,
                  items=tuple(fill_item(i, codes) for i in screen.items),
                  filled=frozenset(e for _, e in run.filled), values=tuple(values.items()),
                  typing=typing, hint=hint)
    n, total = run.step + 1, len(p.steps)
    # a made-up code is read out only to a visitor listening privately (headphones) in audio
    # mode: a blind visitor can then type it; the room never hears a code, even a practice one
    private = getattr(state, "private", False) and state.modes.audio
    said = (fill if private else fill_spoken)(step.say or step.do, codes)
    if code_unheard(state.modes.audio, private, step.expect.value):
        said += " " + ANY_DIGITS.format(n=len(fill(step.expect.value, codes)))
    heard = _unsaid(feedback[1], codes) + " " if feedback else ""
    return View(screen="practice", title=p.title, progress=f"Bước {n}/{total}",
                body=(fill(step.do, codes),), phone=phone, feedback=feedback,
                choices=(Choice("Làm lại", "p_restart", icon="repeat", key="1"),),
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=f"{heard}Bước {n} trên {total}. {said}")


def _practice_done(state, catalog) -> View:
    run: PracticeRun = state.activity
    p = book_of(catalog).practice(run.practice)
    if run.mistakes == 0:
        how = "Bạn làm đúng hết, không sai bước nào."
    else:
        how = f"Có {run.mistakes} lần chưa đúng, và bạn đã tự sửa được."
    body = (f"Bản tập: {p.title.split(':')[-1].strip()}.", how,
            "Đây chỉ là bản tập. Trên điện thoại thật, hãy làm chậm và đọc kỹ từng chữ.")
    back = (Choice("Về bài học", "p_leave", icon="back", key="2") if run.lesson
            else Choice("Học bài khác", "more", icon="home", key="2"))
    praise = _unsaid(run.feedback[1], run.code_map) + " " if run.feedback else ""
    return View(screen="practice_done", title="Bạn đã làm xong bản tập!", body=body,
                feedback=run.feedback,
                choices=(Choice("Làm lại", "p_restart", icon="repeat", key="1"), back,
                         Choice("Về trang đầu", "exit", icon="exit", key="3", primary=True)),
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=(f"{praise}Bạn đã làm xong bản tập. {how} Chạm Làm lại để tập lần nữa, "
                        f"hoặc {back.label}."))


def _drills(state, catalog) -> View:
    run = state.activity if isinstance(state.activity, DrillRun) else DrillRun()
    drills = book_of(catalog).drills
    choices = tuple(
        Choice(d.title, "drill", d.id, icon="safety", key=str(i + 1),
               detail=CHANNELS[d.channel] + (" · đã làm đúng" if d.id in run.solved_ids else ""))
        for i, d in enumerate(drills))
    names = ". ".join(f"Số {i + 1}: {d.title}" for i, d in enumerate(drills))
    return View(screen="drills", title="Nhận biết lừa đảo", layout="grid",
                body=("Xem một cuộc gọi hay tin nhắn lừa đảo giả, rồi chọn cách làm đúng. "
                      "Chạm vào một tình huống.",),
                choices=choices, bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=f"Nhận biết lừa đảo. Có {len(drills)} tình huống. {names}.")


def _drill(state, catalog) -> View:
    run: DrillRun = state.activity
    drills = book_of(catalog).drills
    d = next(x for x in drills if x.id == run.drill)
    i = drills.index(d)
    items = (Item(kind="caller", sender=d.sender, text=CHANNELS[d.channel]),) + tuple(
        Item(kind="bubble", text=m) for m in d.messages)
    phone = Phone(title=d.sender, style=CHANNEL_STYLE[d.channel], items=items, marker=DRILL_MARKER,
                  tappable=False, channel=d.channel)
    if not run.solved:
        choices = tuple(Choice(c.text, "drill_answer", str(j), key=str(j + 1))
                        for j, c in enumerate(d.choices))
        heard = (f"{run.feedback[1]} " if run.feedback else
                 f"{CHANNELS[d.channel]} từ {d.sender}. {' '.join(d.messages)} ")
        spoken = f"{heard}{d.question} {listed(c.text for c in d.choices)}"
    else:
        more = i + 1 < len(drills)
        choices = ((Choice("Tình huống tiếp theo", "drill_next", icon="start", key="1", primary=True),)
                   if more else ()) + (Choice("Về danh sách", "drills", icon="back", key="2",
                                              primary=not more),)
        spoken = f"{run.feedback[1]} Chạm {choices[0].label}."
    return View(screen="drill", title=d.title, progress=f"Tình huống {i + 1}/{len(drills)}",
                body=(d.question,), phone=phone, feedback=run.feedback, choices=choices,
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF), spoken=spoken)


def _quiz(state, catalog) -> View:
    run: QuizRun = state.activity
    lesson = catalog.get(run.lesson)
    q = lesson.quiz[run.index]
    n, total = run.index + 1, len(lesson.quiz)
    last = n == total
    if run.chosen is None:
        choices = tuple(Choice(c, "quiz_answer", str(j), key=str(j + 1)) for j, c in enumerate(q.choices))
        return View(screen="quiz", title="Kiểm tra nhanh", progress=f"Câu {n}/{total}",
                    body=(q.question,), choices=choices, feedback=None, layout="panel",
                    bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                    spoken=f"Kiểm tra nhanh, câu {n} trên {total}. {q.question} {listed(q.choices)}")
    forward = ("Xong", "done") if last else ("Tiếp", "next")
    return View(screen="quiz", title="Kiểm tra nhanh", progress=f"Câu {n}/{total}",
                body=(q.question, f"Bạn chọn: {q.choices[run.chosen]}"), feedback=run.feedback,
                layout="panel",
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF, forward=forward),
                spoken=f"{run.feedback[1]} Chạm {forward[0]}.")


BUILDERS = {"practice": _practice, "practice_done": _practice_done, "drills": _drills,
            "drill": _drill, "quiz": _quiz}


def phone_of(picture: StepPicture) -> Phone:
    """The phone the kiosk draws for a step's screen picture: the practice copies' drawing,
    marked "Hình minh họa", nothing tappable, the element to touch ringed."""
    codes = sample_codes(picture)
    screen = picture.screen
    values = tuple((i.id, fill(i.value, codes) or "") for i in screen.items if i.kind == "field")
    return Phone(title=fill(screen.title, codes), style=screen.style, marker=PICTURE_MARKER,
                 items=tuple(fill_item(i, codes) for i in screen.items), values=values,
                 hint=picture.touch, tappable=False)
