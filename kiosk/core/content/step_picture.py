"""The picture beside a lesson step: a drawn phone screen or a pictogram (plain Python).

A step on a phone or a web page shows the screen the visitor will meet, drawn by the kiosk from
the practice copies' element kinds, with the control to touch ringed and pointed at and
"Hình minh họa" marked on it. A step in the real world (go to Công an xã, bring the card, wait
for an SMS) shows a pictogram from a fixed set (SIGNS). The file format is picture_schema.py;
this module holds the checked picture, resolves shared screens (lessons/screens/*.yaml and the
practice copies' screens), reports steps without a picture (`kiosk lessons check`), and says a
picture in words for audio mode (`describe`). The phone drawn for a screen picture is
kiosk.core.screens.practice_views.phone_of.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.core.content.catalog import SCREEN_REF, SIGNS  # noqa: F401  (callers import them from here too)
from kiosk.core.content.lesson_yaml import Problem, read_yaml
from kiosk.core.content.practice import Screen, book_of, fill, made_up_codes
from kiosk.core.content.practice_check import check_screen, item_of

MARKER = "Hình minh họa"
SCREENS_DIR = "screens"

KIND_WORDS = {"button": "nút", "app": "biểu tượng", "row": "dòng", "field": "ô",
              "search": "ô tìm kiếm", "qr": "khung quét mã", "attach": "ô", "card": "thẻ"}
COLOR_WORDS = {"vneid": "màu đỏ", "dvc": "màu xanh dương", "bank": "màu xanh lá",
               "phone": "màu xám đậm"}


@dataclass(frozen=True)
class StepPicture:
    """A step's picture as checked: a screen (shared by `ref`, or written in the step) or a sign."""
    ref: str | None = None      # FILE/NAME of a shared screen, resolved into `screen`
    screen: Screen | None = None
    touch: str | None = None    # the element ringed and pointed at
    sign: str | None = None     # a pictogram of SIGNS
    label: str | None = None    # words under the pictogram
    line: int = 1               # where the picture is written in the lesson file


def picture_of(model, line: int) -> StepPicture:
    """The checked picture of a step, from its PictureModel (shared screens resolved later)."""
    screen = None
    if model.items:
        screen = Screen(name="", title=model.title, style=model.style or "phone",
                        items=tuple(item_of(i) for i in model.items))
    return StepPicture(ref=model.screen, screen=screen, touch=model.touch, sign=model.sign,
                       label=model.label, line=line)


# --- shared screens and checks ----------------------------------------------------------------

def load_screens(lessons_dir: Path, problems: list[Problem]) -> dict[str, Screen]:
    """Every screen of lessons/screens/*.yaml as {"FILE/NAME": Screen}; problems as path:line."""
    from kiosk.core.content.picture_schema import ScreensModel  # pydantic: after the first frame
    from kiosk.core.content.schema import validate  # pydantic, as above
    out: dict[str, Screen] = {}
    folder = lessons_dir / SCREENS_DIR
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.yaml")):
        found: list[Problem] = []
        doc = read_yaml(path, found)
        model = None if found else validate(ScreensModel, doc, path, "the screens", None)
        if model is not None:
            model, more = model
            found += more
        problems += found
        if model is None or found:
            continue
        for name, s in model.screens.items():
            items = [item_of(i) for i in s.items]
            check_screen(path, problems, f"screen '{name}'", items, list(doc["screens"][name]["items"]))
            out[f"{path.stem}/{name}"] = Screen(name=name, title=s.title, style=s.style,
                                                items=tuple(items))
    return out


def element_ids(screen: Screen) -> tuple[str, ...]:
    """What `touch` may name: every tappable element and every text field of the screen."""
    return screen.tap_ids() + tuple(i.id for i in screen.items if i.kind == "field" and i.id)


def _resolved(lesson, screens: dict[str, Screen], problems: list[Problem]):
    steps, changed = [], False
    for n, step in enumerate(lesson.steps, start=1):
        pic = step.picture
        if pic is not None and pic.ref:
            screen = screens.get(pic.ref)
            if screen is None:
                known = ", ".join(sorted(screens)[:12])
                problems.append(Problem(str(lesson.path), pic.line, f"step {n}: no shared screen "
                                        f"'{pic.ref}' (known: {known})"))
                pic = None
            else:
                pic = replace(pic, screen=screen)
        if pic is not None and pic.touch and pic.touch not in element_ids(pic.screen):
            problems.append(Problem(str(lesson.path), pic.line, f"step {n}: 'touch' names "
                                    f"'{pic.touch}', which is not an element of its screen"))
            pic = None
        changed |= pic is not step.picture
        steps.append(replace(step, picture=pic) if pic is not step.picture else step)
    return replace(lesson, steps=tuple(steps)) if changed else lesson


def attach_pictures(catalog) -> None:
    """Resolve the shared screens of every step's picture. A picture that names an unknown
    screen or element is dropped (the step keeps its text) and reported as a problem."""
    book = book_of(catalog)
    practice = {f"{p.id}/{name}": s for p in book.practices for name, s in p.screens.items()}
    libraries: dict[Path, dict[str, Screen]] = {}
    for i, lesson in enumerate(catalog.lessons):
        folder = (lesson.path or Path(".")).parent
        if folder not in libraries:
            libraries[folder] = {**practice, **load_screens(folder, catalog.problems)}
        catalog.lessons[i] = _resolved(lesson, libraries[folder], catalog.problems)


def steps_with_picture(lesson) -> int:
    return sum(1 for s in lesson.steps if s.picture is not None or s.image is not None)


def missing_pictures(catalog) -> list[Problem]:
    """The editor's check: every step shows a picture (a drawn screen, a sign or an image)."""
    return [Problem(str(l.path), s.line, f"step {n} has no picture; add 'picture:' (a screen "
                                         "with 'touch', or a 'sign') or 'image:'")
            for l in catalog.lessons for n, s in enumerate(l.steps, start=1)
            if s.picture is None and s.image is None]


def sample_codes(picture: StepPicture) -> dict[str, str]:
    """Made-up values for a screen's {otp}, {passcode}: the same on every drawing of a step."""
    return made_up_codes(random.Random(picture.line))


# --- in words (audio mode) ---------------------------------------------------------------------

def _where(screen: Screen, touch: str) -> tuple[str, str, str]:
    """(kind word, label, position) of the touched element."""
    items = screen.items
    index, kind, label, side = 0, "button", touch, ""
    for i, item in enumerate(items):
        if item.kind == "list" and any(r.id == touch for r in item.rows):
            index, kind = i, "row"
            label = next(r.label for r in item.rows if r.id == touch)
        elif item.id == touch:
            index, kind, label = i, item.kind, item.label or item.title or touch
            if item.kind == "app":  # app icons stand two to a row
                first = next(j for j in range(i, -1, -1) if j == 0 or items[j - 1].kind != "app")
                side = ", bên trái" if (i - first) % 2 == 0 else ", bên phải"
            if i > 0 and items[i - 1].kind == "keypad" and item.kind == "button":
                return KIND_WORDS[kind], label, "ở dưới cùng, bên phải"
        else:
            continue
        break
    share = index / max(1, len(items) - 1)
    where = "ở trên" if share < 0.34 else ("ở giữa" if share < 0.67 else "ở dưới")
    return KIND_WORDS.get(kind, "nút"), label, where + side


def _color(screen: Screen, touch: str) -> str:
    item = screen.item(touch)
    if item is not None and item.kind == "button":
        return " " + COLOR_WORDS.get(screen.style, "màu xám đậm") if item.primary else " màu xám nhạt"
    return ""


def describe(picture: StepPicture | None) -> str:
    """The picture in one Vietnamese sentence, e.g. "Hình minh họa: trên màn hình VNeID –
    Đăng nhập có nút Đăng nhập màu đỏ, ở giữa." Empty without a drawn picture."""
    if picture is None:
        return ""
    if picture.sign:
        label = f", {picture.label}" if picture.label else ""
        return f"{MARKER}: {SIGNS[picture.sign]}{label}."
    if picture.screen is None:
        return ""
    title = fill(picture.screen.title, sample_codes(picture))
    if not picture.touch:
        return f"{MARKER}: màn hình {title}."
    kind, label, where = _where(picture.screen, picture.touch)
    return (f"{MARKER}: trên màn hình {title} có {kind} {label}{_color(picture.screen, picture.touch)},"
            f" {where}.")
