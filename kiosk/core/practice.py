"""Practice copies ("Thử làm") and scam drills ("Nhận biết lừa đảo") are content too.

They live beside the lessons: `lessons/practice/<id>.yaml` and `lessons/drills/<id>.yaml`.
A practice describes the screens of a phone app as a few kinds of elements the kiosk knows how
to draw (button, text field, digit keypad, list, card, QR, "attach a picture", payment panel,
incoming SMS...) and the steps: what to do, which element the visitor must tap or which value
to type, and the words of praise and of correction. A drill describes one scam message (a call,
an SMS or a Zalo chat) and two or three answers, each with the reason.

Loading reuses the YAML-with-line-numbers loader and the field checker of `kiosk.core.lessons`,
so every problem is `path:line: message`, and a broken file never stops the others.
Plain Python: no Kivy here.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.lessons import (
    ID_PATTERN, MAX_STEP_WORDS, Catalog, Problem, Source, _Checker, _check_sources, _items,
    _read_yaml,
)

PRACTICE_DIR = "practice"
DRILL_DIR = "drills"
EXTRA_DIRS = (PRACTICE_DIR, DRILL_DIR)

MARKER = "Bản tập – không phải thật"
DRILL_MARKER = "Bài tập nhận biết lừa đảo – không phải thật"

# Made-up values generated when a practice starts; editors write {otp} etc. in the text.
PLACEHOLDERS = {
    "otp": "a made-up 6-digit one-time code (shown in the SMS on the copy)",
    "passcode": "a made-up 6-digit passcode for the practice",
    "file_no": "a made-up file number (mã số hồ sơ)",
}
SECRET_PLACEHOLDERS = ("otp", "passcode")  # never spoken aloud
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

STYLES = ("phone", "vneid", "dvc", "bank")
CHANNELS = {"call": "Cuộc gọi đến", "video_call": "Cuộc gọi video đến", "sms": "Tin nhắn",
            "zalo": "Zalo"}
# Labels the kiosk itself uses around the phone: a phone element must not look like them.
RESERVED_LABELS = ("Quay lại", "Nghe lại", "Chữ to", "Gọi nhân viên", "Làm lại", "Tiếp", "Xong")
KEYPAD_KEYS = tuple("1234567890")
KEY_DELETE = "Xóa"

PRACTICE_KEYS = {"id": True, "title": True, "summary": True, "lessons": True, "screens": True,
                 "steps": True, "sources": False, "reviewed": True}
SCREEN_KEYS = {"title": True, "style": False, "items": True}
STEP_KEYS = {"screen": True, "do": True, "say": False, "expect": True, "praise": True,
             "correct": True, "wrong": False}
EXPECT_KEYS = {"tap": False, "type": False, "value": False, "submit": False}
ROW_KEYS = {"id": True, "label": True, "detail": False}
# kind -> {key: required}; every item also has `kind`.
ITEM_KEYS = {
    "text": {"text": True, "style": False},
    "button": {"id": True, "label": True, "primary": False},
    "app": {"id": True, "label": True},
    "field": {"id": True, "label": True, "secret": False, "length": False, "value": False},
    "search": {"id": True, "label": True, "text": True},
    "keypad": {"field": True},
    "list": {"rows": True},
    "card": {"id": False, "title": True, "lines": False},
    "qr": {"id": True, "label": True},
    "attach": {"id": True, "label": True},
    "payment": {"recipient": True, "amount": True, "bank": False, "note": False},
    "sms": {"sender": True, "text": True},
}
TAPPABLE = ("button", "app", "search", "qr", "attach", "card")  # plus list rows
TEXT_STYLES = ("normal", "big", "small", "success", "warning")

DRILL_KEYS = {"id": True, "title": True, "channel": True, "sender": True, "messages": True,
              "question": True, "choices": True, "lesson": False, "sources": True,
              "reviewed": True}
DRILL_CHOICE_KEYS = {"text": True, "right": True, "why": True}


# --- the content, once checked -----------------------------------------------------------

@dataclass(frozen=True)
class Row:
    id: str
    label: str
    detail: str | None = None


@dataclass(frozen=True)
class Item:
    kind: str
    id: str | None = None
    label: str | None = None
    text: str | None = None
    style: str | None = None
    primary: bool = False
    secret: bool = False
    length: int = 6
    value: str | None = None
    field: str | None = None
    rows: tuple[Row, ...] = ()
    title: str | None = None
    lines: tuple[str, ...] = ()
    recipient: str | None = None
    amount: str | None = None
    bank: str | None = None
    note: str | None = None
    sender: str | None = None

    def tap_ids(self) -> tuple[str, ...]:
        if self.kind == "list":
            return tuple(r.id for r in self.rows)
        if self.kind in TAPPABLE and self.id:
            return (self.id,)
        return ()


@dataclass(frozen=True)
class Screen:
    name: str
    title: str
    style: str
    items: tuple[Item, ...]

    def tap_ids(self) -> tuple[str, ...]:
        return tuple(i for item in self.items for i in item.tap_ids())

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def label_of(self, tap_id: str) -> str | None:
        for item in self.items:
            if item.kind == "list":
                for r in item.rows:
                    if r.id == tap_id:
                        return r.label
            elif item.id == tap_id:
                return item.label or item.title
        return None


@dataclass(frozen=True)
class Expect:
    tap: str | None = None       # element to tap
    type: str | None = None      # field to type into with the keypad
    value: str | None = None     # what must be typed (may be a {placeholder})
    submit: str | None = None    # button that sends what was typed


@dataclass(frozen=True)
class PracticeStep:
    screen: str
    do: str
    expect: Expect
    praise: str
    correct: str
    say: str | None = None
    wrong: tuple[tuple[str, str], ...] = ()   # (element id, its own correction)

    def correction_for(self, tap_id: str | None) -> str:
        return dict(self.wrong).get(tap_id, self.correct) if tap_id else self.correct

    @property
    def target(self) -> str | None:
        return self.expect.tap or self.expect.submit


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    summary: str
    lessons: tuple[str, ...]
    screens: dict
    steps: tuple[PracticeStep, ...]
    reviewed: str
    sources: tuple[Source, ...] = ()
    path: Path | None = None


@dataclass(frozen=True)
class DrillChoice:
    text: str
    right: bool
    why: str


@dataclass(frozen=True)
class Drill:
    id: str
    title: str
    channel: str
    sender: str
    messages: tuple[str, ...]
    question: str
    choices: tuple[DrillChoice, ...]
    sources: tuple[Source, ...]
    reviewed: str
    lesson: str | None = None
    path: Path | None = None


@dataclass
class Book:
    """All practice copies and drills the kiosk knows."""
    practices: list[Practice] = field(default_factory=list)
    drills: list[Drill] = field(default_factory=list)

    def practice(self, practice_id: str | None) -> Practice | None:
        return next((p for p in self.practices if p.id == practice_id), None)

    def drill(self, drill_id: str | None) -> Drill | None:
        return next((d for d in self.drills if d.id == drill_id), None)

    def for_lesson(self, lesson_id: str | None) -> list[Practice]:
        return [p for p in self.practices if lesson_id in p.lessons]


def book_of(catalog: Catalog) -> Book:
    return getattr(catalog, "practice", None) or Book()


# --- made-up values ----------------------------------------------------------------------

def made_up_codes(rng: random.Random) -> dict[str, str]:
    """Fresh practice values: never real, shown only on the kiosk's copy."""
    def digits(n):
        return "".join(str(rng.randrange(10)) for _ in range(n))
    otp = digits(6)
    passcode = digits(6)
    while passcode == otp:
        passcode = digits(6)
    return {"otp": otp, "passcode": passcode, "file_no": f"HS-TAP-{rng.randrange(1000, 10000)}"}


def fill(text: str | None, codes: dict[str, str]) -> str | None:
    """Put the made-up values into a text written with {placeholders}."""
    if text is None:
        return None
    return PLACEHOLDER.sub(lambda m: codes.get(m.group(1), m.group(0)), text)


def fill_spoken(text: str | None, codes: dict[str, str]) -> str | None:
    """As `fill`, but a code is never read aloud: the voice points at the screen instead."""
    if text is None:
        return None

    def one(m):
        name = m.group(1)
        if name in SECRET_PLACEHOLDERS:
            return "mã hiện trên màn hình"
        return codes.get(name, m.group(0))
    return PLACEHOLDER.sub(one, text)


# --- checking ----------------------------------------------------------------------------

class _PracticeChecker(_Checker):
    def text(self, m, key, max_len=None, max_words=None, is_url=False):
        value = super().text(m, key, max_len=max_len, max_words=max_words, is_url=is_url)
        if value and not is_url:
            for name in PLACEHOLDER.findall(value):
                if name not in PLACEHOLDERS:
                    known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
                    self.add(m.line_of(key), f"unknown placeholder '{{{name}}}' in '{key}' (known: {known})")
        return value

    def flag(self, m, key: str, default: bool = False) -> bool:
        if key not in m:
            return default
        value = m[key]
        if not isinstance(value, bool):
            self.add(m.line_of(key), f"'{key}' must be true or false")
            return default
        return value

    def ident(self, m, key: str, where: str) -> str | None:
        value = self.text(m, key)
        if value and not ID_PATTERN.match(value):
            self.add(m.line_of(key), f"{where} id '{value}' may use only lowercase letters, digits and '-'")
        return value


def _check_file_id(c: _Checker, doc, path: Path) -> str | None:
    value = c.text(doc, "id")
    if value and not ID_PATTERN.match(value):
        c.add(doc.line_of("id"), f"id '{value}' may use only lowercase letters, digits and '-'")
    if value and value != path.stem:
        c.add(doc.line_of("id"), f"id '{value}' must match the file name '{path.stem}'")
    return value


def _check_item(c: _PracticeChecker, it, where: str) -> Item | None:
    if not isinstance(it, dict):
        c.add(getattr(it, "line", 1), f"{where} must be a set of 'key: value' lines")
        return None
    kind = it.get("kind")
    if kind not in ITEM_KEYS:
        line = it.line_of("kind") if "kind" in it else it.line
        what = f"'{kind}'" if kind is not None else "missing"
        c.add(line, f"{where}: kind {what} is not one of: {', '.join(ITEM_KEYS)}")
        return None
    spec = dict(ITEM_KEYS[kind], kind=True)
    c.keys(it, spec, f"{where} ({kind})")
    kw: dict = {"kind": kind}
    if "id" in spec:
        kw["id"] = c.ident(it, "id", where)
    for key in ("label", "text", "title", "recipient", "amount", "bank", "note", "sender", "value"):
        if key in spec:
            kw[key] = c.text(it, key, max_len=60 if key == "label" else 160)
    if "style" in spec and kw.get("text") is not None:
        style = c.text(it, "style") or "normal"
        if style not in TEXT_STYLES:
            c.add(it.line_of("style"), f"style '{style}' is not one of: {', '.join(TEXT_STYLES)}")
        kw["style"] = style
    if "primary" in spec:
        kw["primary"] = c.flag(it, "primary")
    if "secret" in spec:
        kw["secret"] = c.flag(it, "secret")
    if "length" in spec and "length" in it:
        n = it["length"]
        if not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= 12:
            c.add(it.line_of("length"), "'length' must be a whole number from 1 to 12")
        else:
            kw["length"] = n
    if "field" in spec:
        kw["field"] = c.text(it, "field")
    if "lines" in spec:
        kw["lines"] = c.text_list(it, "lines", max_len=80)
    if kind == "list":
        rows = []
        for j, r in enumerate(_items(c, it, "rows")):
            if not c.keys(r, ROW_KEYS, f"{where}, row {j + 1}"):
                continue
            rows.append(Row(id=c.ident(r, "id", f"row {j + 1}"), label=c.text(r, "label", max_len=60),
                            detail=c.text(r, "detail", max_len=80)))
        kw["rows"] = tuple(rows)
    return Item(**kw)


def _check_screens(c: _PracticeChecker, doc) -> dict[str, Screen]:
    screens: dict[str, Screen] = {}
    raw = doc.get("screens")
    if "screens" not in doc:
        return screens
    if not isinstance(raw, dict) or not raw:
        c.add(doc.line_of("screens"), "'screens' must name at least one screen, e.g. 'home:' with 'title' and 'items' under it")
        return screens
    for name, s in raw.items():
        where = f"screen '{name}'"
        if not isinstance(name, str) or not ID_PATTERN.match(name):
            c.add(raw.line_of(name), f"screen name '{name}' may use only lowercase letters, digits and '-'")
            continue
        if not c.keys(s, SCREEN_KEYS, where):
            continue
        title = c.text(s, "title", max_len=40)
        style = c.text(s, "style") or "phone"
        if style not in STYLES:
            c.add(s.line_of("style"), f"style '{style}' is not one of: {', '.join(STYLES)}")
        items = []
        for j, it in enumerate(_items(c, s, "items")):
            item = _check_item(c, it, f"{where}, item {j + 1}")
            if item is not None:
                items.append((item, it))
        _check_screen_consistency(c, where, [i for i, _ in items], [r for _, r in items])
        screens[name] = Screen(name=name, title=title, style=style, items=tuple(i for i, _ in items))
    return screens


def _check_screen_consistency(c, where, items: list[Item], raws: list) -> None:
    """Ids and labels unique on a screen, no kiosk words, keypads bound to a field."""
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    fields = {i.id: i for i in items if i.kind == "field" and i.id}
    for item, raw in zip(items, raws):
        if item.kind == "list":
            rows = raw.get("rows") if isinstance(raw.get("rows"), list) else []
            named = [(r.id, r.label, rows[k] if k < len(rows) else raw) for k, r in enumerate(item.rows)]
        elif item.kind in TAPPABLE or item.kind == "field":
            named = [(item.id, item.label if item.kind != "field" else None, raw)]
        else:
            named = []
        for tid, label, where_raw in named:
            if tid:
                line = where_raw.line_of("id")
                if tid in seen:
                    c.add(line, f"{where}: id '{tid}' is used twice (also on line {seen[tid]})")
                seen.setdefault(tid, line)
            if not label:
                continue
            line, key = where_raw.line_of("label"), label.casefold()
            if key in labels:
                c.add(line, f"{where}: two elements are labelled '{label}'; the visitor could not tell them apart")
            labels[key] = label
            if any(key == r.casefold() for r in RESERVED_LABELS) or label in KEYPAD_KEYS + (KEY_DELETE,):
                c.add(line, f"{where}: label '{label}' is a kiosk button; choose another word")
        if item.kind == "keypad" and item.field and item.field not in fields:
            c.add(raw.line_of("field"), f"{where}: the keypad types into field '{item.field}', but no field has that id on this screen")
    keypads = [r for i, r in zip(items, raws) if i.kind == "keypad"]
    if len(keypads) > 1:
        c.add(keypads[1].line, f"{where}: at most one keypad per screen")


def _check_practice_steps(c: _PracticeChecker, doc, screens: dict[str, Screen]) -> tuple[PracticeStep, ...]:
    steps = []
    for i, s in enumerate(_items(c, doc, "steps")):
        where = f"step {i + 1}"
        if not c.keys(s, STEP_KEYS, where):
            continue
        name = c.text(s, "screen")
        screen = screens.get(name) if name else None
        if name and screen is None and screens:
            c.add(s.line_of("screen"), f"{where}: no screen named '{name}' (screens: {', '.join(screens)})")
        do = c.text(s, "do", max_words=MAX_STEP_WORDS)
        say = c.text(s, "say", max_words=MAX_STEP_WORDS * 2)
        praise = c.text(s, "praise", max_words=MAX_STEP_WORDS)
        correct = c.text(s, "correct", max_words=MAX_STEP_WORDS)
        expect = _check_expect(c, s, where, screen)
        wrong = []
        if "wrong" in s:
            w = s["wrong"]
            if not isinstance(w, dict) or not w:
                c.add(s.line_of("wrong"), f"{where}: 'wrong' must list element ids with their correction, e.g. 'cancel: Chưa đúng…'")
            else:
                for tid in w:
                    text = c.text(w, tid, max_words=MAX_STEP_WORDS)
                    if screen is not None and tid not in screen.tap_ids():
                        c.add(w.line_of(tid), f"{where}: 'wrong' names '{tid}', which is not a tappable element of screen '{name}'")
                    if expect.tap == tid:
                        c.add(w.line_of(tid), f"{where}: '{tid}' is the right answer, it cannot also be wrong")
                    if text:
                        wrong.append((str(tid), text))
        steps.append(PracticeStep(screen=name, do=do, say=say, expect=expect, praise=praise,
                                  correct=correct, wrong=tuple(wrong)))
    return tuple(steps)


def _check_expect(c: _PracticeChecker, s, where: str, screen: Screen | None) -> Expect:
    e = s.get("expect")
    if not c.keys(e, EXPECT_KEYS, f"{where} 'expect'"):
        return Expect()
    tap, typ = c.text(e, "tap"), c.text(e, "type")
    value, submit = c.text(e, "value", max_len=40), c.text(e, "submit")
    if bool(tap) == bool(typ):
        c.add(e.line, f"{where}: 'expect' needs either 'tap: ELEMENT' or 'type: FIELD' with 'value' and 'submit'")
        return Expect()
    if tap:
        for key in ("value", "submit"):
            if key in e:
                c.add(e.line_of(key), f"{where}: '{key}' goes with 'type', not with 'tap'")
        if screen is not None and tap not in screen.tap_ids():
            known = ", ".join(screen.tap_ids()) or "none"
            c.add(e.line_of("tap"), f"{where}: screen '{screen.name}' has no tappable element '{tap}' (tappable: {known})")
        return Expect(tap=tap)
    if not value:
        c.add(e.line, f"{where}: 'type' needs 'value' (what the visitor must type)")
    elif not re.fullmatch(r"(\d{1,5}|\{(otp|passcode)\})", value):
        c.add(e.line_of("value"), f"{where}: 'value' must be a few digits or {{otp}} / {{passcode}}")
    if not submit:
        c.add(e.line, f"{where}: 'type' needs 'submit' (the button that sends what was typed)")
    if screen is not None:
        f = screen.item(typ)
        if f is None or f.kind != "field":
            c.add(e.line_of("type"), f"{where}: screen '{screen.name}' has no field '{typ}'")
        elif not any(i.kind == "keypad" and i.field == typ for i in screen.items):
            c.add(e.line_of("type"), f"{where}: field '{typ}' has no keypad on screen '{screen.name}' (add 'kind: keypad' with 'field: {typ}')")
        if submit:
            b = screen.item(submit)
            if b is None or b.kind != "button":
                c.add(e.line_of("submit"), f"{where}: screen '{screen.name}' has no button '{submit}'")
    return Expect(type=typ, value=value, submit=submit)


def _check_practice(doc, path: Path, problems: list[Problem], lesson_exists) -> Practice | None:
    before = len(problems)
    c = _PracticeChecker(path, path.parent, problems)
    if not c.keys(doc, PRACTICE_KEYS, "the practice"):
        return None
    pid = _check_file_id(c, doc, path)
    title = c.text(doc, "title", max_len=60)
    summary = c.text(doc, "summary", max_len=120)
    lessons = c.text_list(doc, "lessons", max_len=60)
    if "lessons" in doc and not lessons:
        c.add(doc.line_of("lessons"), "'lessons' must list at least one lesson id (where 'Thử làm' is offered)")
    items = doc.get("lessons") if isinstance(doc.get("lessons"), list) else []
    for j, lid in enumerate(lessons):
        if not lesson_exists(lid):
            c.add(items.line_of(j) if j < len(items) else doc.line_of("lessons"),
                  f"no lesson with id '{lid}' (a practice is offered on the lessons it names)")
    screens = _check_screens(c, doc)
    steps = _check_practice_steps(c, doc, screens)
    sources = _check_sources(c, doc)
    reviewed = c.date(doc, "reviewed")
    if len(problems) > before:
        return None
    return Practice(id=pid, title=title, summary=summary, lessons=lessons, screens=screens,
                    steps=steps, reviewed=reviewed, sources=sources, path=path)


def _check_drill(doc, path: Path, problems: list[Problem], lesson_exists) -> Drill | None:
    before = len(problems)
    c = _PracticeChecker(path, path.parent, problems)
    if not c.keys(doc, DRILL_KEYS, "the drill"):
        return None
    did = _check_file_id(c, doc, path)
    title = c.text(doc, "title", max_len=60)
    channel = c.text(doc, "channel")
    if channel and channel not in CHANNELS:
        c.add(doc.line_of("channel"), f"channel '{channel}' is not one of: {', '.join(CHANNELS)}")
    sender = c.text(doc, "sender", max_len=40)
    messages = c.text_list(doc, "messages", max_len=300)
    if "messages" in doc and not messages:
        c.add(doc.line_of("messages"), "'messages' must list at least one message")
    raw = doc.get("messages") if isinstance(doc.get("messages"), list) else []
    for j, m in enumerate(messages):
        if len(m.split()) > MAX_STEP_WORDS:
            c.add(raw.line_of(j), f"message {j + 1} has {len(m.split())} words; at most {MAX_STEP_WORDS}")
    question = c.text(doc, "question", max_len=160)
    choices = []
    for j, ch in enumerate(_items(c, doc, "choices", min_items=2)):
        if not c.keys(ch, DRILL_CHOICE_KEYS, f"choice {j + 1}"):
            continue
        right = ch.get("right")
        if not isinstance(right, bool):
            c.add(ch.line_of("right") if "right" in ch else ch.line, f"choice {j + 1}: 'right' must be true or false")
            right = False
        choices.append(DrillChoice(text=c.text(ch, "text", max_len=80), right=right,
                                   why=c.text(ch, "why", max_words=MAX_STEP_WORDS)))
    if "choices" in doc and isinstance(doc["choices"], list):
        if len(doc["choices"]) > 3:
            c.add(doc.line_of("choices"), "a drill has 2 or 3 choices (more is too much to hear and hold)")
        if choices and sum(ch.right for ch in choices) != 1:
            c.add(doc.line_of("choices"), "exactly one choice must have 'right: true'")
    lesson = c.text(doc, "lesson")
    if lesson and not lesson_exists(lesson):
        c.add(doc.line_of("lesson"), f"no lesson with id '{lesson}'")
    sources = _check_sources(c, doc)
    reviewed = c.date(doc, "reviewed")
    if len(problems) > before:
        return None
    return Drill(id=did, title=title, channel=channel, sender=sender, messages=messages,
                 question=question, choices=tuple(choices), sources=sources, reviewed=reviewed,
                 lesson=lesson, path=path)


# --- loading -----------------------------------------------------------------------------

def _yaml_files(folder: Path) -> list[Path]:
    return sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")))


def practice_files(paths: list[Path]) -> list[tuple[str, Path]]:
    """(kind, file) for every practice/drill file under the given paths.

    A lessons folder brings its `practice/` and `drills/` subfolders; those folders, or files
    in them, can also be named directly (`kiosk lessons check lessons/drills`).
    """
    out: list[tuple[str, Path]] = []
    for p in paths:
        if p.is_dir() and p.name in EXTRA_DIRS:
            out += [(p.name, f) for f in _yaml_files(p)]
        elif p.is_dir():
            for sub in EXTRA_DIRS:
                if (p / sub).is_dir():
                    out += [(sub, f) for f in _yaml_files(p / sub)]
        elif p.parent.name in EXTRA_DIRS:
            out.append((p.parent.name, p))
    seen, unique = set(), []
    for kind, f in out:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append((kind, f))
    return unique


def load_book(paths: list[Path], catalog: Catalog) -> tuple[Book, list[Problem]]:
    book, problems = Book(), []

    def lesson_exists_for(folder: Path):
        lessons_dir = folder.parent
        return lambda lid: bool(catalog.get(lid)) or (lessons_dir / f"{lid}.yaml").is_file()

    seen: dict[tuple[str, str], Path] = {}
    for kind, path in practice_files(paths):
        file_problems: list[Problem] = []
        doc = _read_yaml(path, file_problems)
        if doc is None and not file_problems:
            file_problems.append(Problem(str(path), 1, "file is empty"))
        obj = None
        if not file_problems:
            check = _check_practice if kind == PRACTICE_DIR else _check_drill
            obj = check(doc, path, file_problems, lesson_exists_for(path.parent))
        problems += file_problems
        if obj is None:
            continue
        if (kind, obj.id) in seen:
            problems.append(Problem(str(path), 1, f"duplicate id '{obj.id}' (also in {seen[(kind, obj.id)]})"))
            continue
        seen[(kind, obj.id)] = path
        (book.practices if kind == PRACTICE_DIR else book.drills).append(obj)
    return book, problems


def attach_practice(catalog: Catalog, paths: list[Path]) -> None:
    """Load practices and drills found under `paths` into `catalog.practice`."""
    book, problems = load_book(paths, catalog)
    catalog.practice = book
    catalog.problems.extend(problems)
