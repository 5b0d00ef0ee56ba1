"""Practice copies ("Thử làm") and scam drills ("Nhận biết lừa đảo") are content too.

They live beside the lessons: `lessons/practice/<id>.yaml` and `lessons/drills/<id>.yaml`.
A practice describes the screens of a phone app as a few kinds of elements the kiosk knows how
to draw (button, text field, digit keypad, list, card, QR, "attach a picture", payment panel,
incoming SMS...) and the steps: what to do, which element the visitor must tap or which value
to type, and the words of praise and of correction. A drill describes one scam message (a call,
an SMS or a Zalo chat) and two or three answers, each with the reason.

Loading (practice_load.py) reuses the safe YAML reader (lesson_yaml.py); the format is a pydantic schema
(practice_schema.py) and the cross-references are checked in practice_check.py, so every
problem is `path:line: message`, and a broken file never stops the others.
Plain Python: no Kivy here.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.content.catalog import Catalog, Source

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
# Audio mode without headphones: the made-up code is not said to the room, so a blind visitor
# could not type it. Any digits of its length then do: the practice is about the typing and
# the sending, and the room still hears no code (README "A blind visitor").
ANY_DIGITS = ("Máy không đọc mã ra loa. Ở bản tập này, bạn gõ {n} chữ số bất kỳ là được. "
              "Nếu cắm tai nghe, máy sẽ đọc mã cho riêng bạn nghe.")


def code_unheard(audio: bool, private: bool, value: str | None) -> bool:
    """True when `value` (what a step asks to type) is a secret code this visitor cannot hear:
    audio mode, no private listening."""
    return (audio and not private and value is not None
            and any(m.group(1) in SECRET_PLACEHOLDERS for m in PLACEHOLDER.finditer(value)))

STYLES = ("phone", "vneid", "dvc", "bank")
CHANNELS = {"call": "Cuộc gọi đến", "video_call": "Cuộc gọi video đến", "sms": "Tin nhắn",
            "zalo": "Zalo"}
# Labels the kiosk itself uses around the phone: a phone element must not look like them.
RESERVED_LABELS = ("Quay lại", "Nghe lại", "Chữ to", "Gọi nhân viên", "Làm lại", "Tiếp", "Xong")
KEYPAD_KEYS = tuple("1234567890")
KEY_DELETE = "Xóa"

TAPPABLE = ("button", "app", "search", "qr", "attach", "card")  # plus list rows
TEXT_STYLES = ("normal", "big", "small", "success", "warning")


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
