"""The plain description of a screen that every layer above draws, speaks or tests: `View`.

A screen builder (kiosk.core.screens.views, practice_views, modes, confirm) returns a `View`;
the Kivy layer draws it, audio mode speaks it, tests read it. Plain data and a text helper (spell_ticket).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# How the voice says a written word (VNeID, QR, web addresses, numbers) is no business of a
# screen: the pronunciation lexicon (kiosk.core.content.lexicon, lessons/lexicon.yaml) applies it
# on the way to the speech engine, so every line here is written as the screen shows it.

PRIORITY_LABELS = {"elderly": "Người cao tuổi", "disabled": "Người khuyết tật",
                   "pregnant": "Phụ nữ mang thai"}
BAR_BACK = ("Quay lại", "back")
BAR_REPEAT = ("Nghe lại", "repeat")
BAR_LARGE = ("Chữ to", "large_text")
BAR_STAFF = ("Gọi nhân viên", "call_staff")

@dataclass(frozen=True)
class Choice:
    label: str
    action: str
    arg: str | None = None
    icon: str | None = None    # icon name (topic id or a control name)
    key: str | None = None     # keypad key that chooses it
    detail: str | None = None  # a second, smaller line
    primary: bool = False
    short: str | None = None   # one-word label shown in simple mode (label is still spoken)
    checked: bool | None = None  # a mode switch: on / off (None: not a switch)


@dataclass(frozen=True)
class View:
    screen: str
    title: str
    spoken: str
    progress: str | None = None
    body: tuple[str, ...] = ()
    choices: tuple[Choice, ...] = ()
    bar: tuple[Choice, ...] = ()
    image: Path | None = None
    qr_text: str | None = None
    big: str | None = None
    layout: str = "list"  # "tiles" for the home screen, "switches" for mode switches
    caption: str | None = None  # the spoken line as written text (Phụ đề)
    focus: int | None = None    # index into choices + bar of the focused control
    armed: int | None = None    # simple mode: control touched once, waiting for the second touch
    simple: bool = False        # simple mode: pictures and one-word labels
    phone: object = None        # practice_views.Phone: the phone copy drawn beside the text
    feedback: tuple | None = None  # ("ok" | "bad" | "info", text): praise or gentle correction
    options: tuple[Choice, ...] = ()  # a row of small optional choices (ticket screen: priority)
    options_label: str | None = None  # the words drawn right above that row, not in the body
    strip: str | None = None    # the visitor's waiting number on every screen (queue_views)
    board: tuple = ()           # welcome screen: (number, counter) being called (queue_views)
    picture: object = None      # step_picture.StepPicture: the screen or pictogram beside a step
    outline: tuple[str, ...] = ()  # intro: every step by name, beside (or under) the words
    picture_note: str | None = None  # words that go with the picture (QR), drawn beside it


def spell_ticket(number: str) -> str:
    """'A012' -> 'A, không, một, hai' so that a queue number is heard digit by digit."""
    digits = "không một hai ba bốn năm sáu bảy tám chín".split()
    return ", ".join(digits[int(c)] if c.isdigit() else c for c in number)


def bar(*items, forward: tuple[str, str] | None = None) -> tuple[Choice, ...]:
    keys = {"back": "backspace", "repeat": "r", "call_staff": "0", "next": "enter", "done": "enter"}
    bar = [Choice(label, action, icon=action, key=keys.get(action)) for label, action in items]
    if forward:
        bar.append(Choice(forward[0], forward[1], icon=forward[1], key="enter", primary=True))
    return tuple(bar)
