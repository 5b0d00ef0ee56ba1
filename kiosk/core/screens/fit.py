"""Does every lesson screen fit in large-text mode? (`kiosk lessons check`; plain Python)

The kiosk never shrinks text to make it fit, so a step whose words are too long for the screen
in large-text mode would run off the screen in front of a visitor. This estimates, with the
real font's metrics (kiosk.core.screens.layout), the height each step and each lesson introduction
needs against the space the kiosk's layout leaves for it, at every window size the kiosk is
checked at, and reports what does not fit as `path:line: message`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from kiosk.core.content.catalog import Catalog, Lesson, is_dir
from kiosk.core.content.lesson_yaml import Problem, read_yaml
from kiosk.core.content.lessons import load_catalog
from kiosk.core.content.lexicon import LEXICON_NAME, check as check_lexicon
from kiosk.core.content.step_picture import missing_pictures
from kiosk.core.screens import layout as L
from kiosk.core.screens.views import intro_outline  # the list of steps the intro shows

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}
BAR = ["Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Gọi nhân viên"]
OUTLINE_SHARE = 0.45  # landscape intro: the list of steps' share of the content width
OUTLINE_GAP = 0       # px between its lines


def _space(width, height, sizes, title, progress, forward, picture: bool, captions: bool):
    fr, have = L.body_space(width, height, sizes, title, progress, BAR + [forward], captions)
    text_w = fr.content_w
    if picture:
        if fr.landscape:
            text_w -= min(fr.content_w * 0.36, height * 0.55) + sizes.gap
        else:
            have -= min(height * 0.2, 360) + sizes.gap
    return text_w, have


def step_fit(lesson: Lesson, index: int, width: int, height: int, panel: L.Panel | None = None,
             captions: bool = False) -> L.Fit:
    sizes = L.sizes_for(width, height, True, panel)
    step = lesson.steps[index]
    n, total = index + 1, len(lesson.steps)
    forward = "Xong" if n == total else "Tiếp"
    text_w, have = _space(width, height, sizes, step.title, f"Bước {n}/{total}", forward,
                          step.image is not None, captions)
    return L.paragraphs_fit([step.text], sizes.body, text_w, have, sizes.gap / 2)


def intro_fit(lesson: Lesson, width: int, height: int, panel: L.Panel | None = None,
              captions: bool = False) -> L.Fit:
    sizes = L.sizes_for(width, height, True, panel)
    fr, have = L.body_space(width, height, sizes, lesson.title, None, BAR + ["Bắt đầu"], captions)
    bring = lesson.bring or ("Không cần mang gì.",)
    paras = ["Cần chuẩn bị:"] + [f"• {b}" for b in bring] + [f"Thời gian: {lesson.time_needed}."]
    outline = list(intro_outline(lesson))
    if not outline:
        return L.paragraphs_fit(paras, sizes.body, fr.content_w, have, sizes.gap / 2)
    if fr.landscape:  # the list of steps in a column at the right (kiosk.ui.step_pictures.outline)
        side = outline_width(outline, sizes.small, fr.content_w)
        words = L.paragraphs_fit(paras, sizes.body, fr.content_w - side - sizes.gap, have, sizes.gap / 2)
        steps = L.paragraphs_fit(outline, sizes.small, side, have, OUTLINE_GAP)
        return words if not words.fits else steps
    words = L.paragraphs_fit(paras, sizes.body, fr.content_w, have, sizes.gap / 2)
    steps = L.paragraphs_fit(outline, sizes.small, fr.content_w, have, OUTLINE_GAP)
    need = words.need + sizes.gap + steps.need
    return L.Fit(need <= have and words.width_ok and steps.width_ok, need, have,
                 words.width_ok and steps.width_ok)


def outline_width(lines, size: float, content_w: float) -> float:
    """Width of the intro's list of steps in landscape: as wide as its longest line needs, at
    most OUTLINE_SHARE of the content (the words of a lesson with short steps keep their room)."""
    most = content_w * OUTLINE_SHARE
    return min(most, max(L.text_block(line, size, most, bold=i == 0)[2]
                         for i, line in enumerate(lines)) + 8)


def _lines(path: Path) -> tuple[dict[int, int], int]:
    """Line of each step's `text` (by index) and of `bring`, read again from the file."""
    doc = read_yaml(path, [])
    steps, bring = {}, 1
    if isinstance(doc, dict):
        bring = doc.line_of("bring") if "bring" in doc else doc.line
        items = doc.get("steps")
        if isinstance(items, list):
            for i, s in enumerate(items):
                if isinstance(s, dict):
                    steps[i] = s.line_of("text") if "text" in s else s.line
    return steps, bring


def check_fit(catalog: Catalog, panel: L.Panel | None = None,
              sizes: dict[str, tuple[int, int]] = SIZES) -> list[Problem]:
    problems: list[Problem] = []
    for lesson in catalog.lessons:
        lines, bring_line = _lines(lesson.path) if lesson.path else ({}, 1)
        path = str(lesson.path)
        for name, (w, h) in sizes.items():
            fit = intro_fit(lesson, w, h, panel)
            if not fit.fits:
                problems.append(Problem(path, bring_line, _message(
                    "the introduction (bring, time_needed)", fit, name, w, h, lesson_body=True)))
            for i in range(len(lesson.steps)):
                fit = step_fit(lesson, i, w, h, panel)
                if not fit.fits:
                    problems.append(Problem(path, lines.get(i, 1), _message(
                        f"step {i + 1}", fit, name, w, h)))
    return problems


def _message(what: str, fit: L.Fit, name: str, w: int, h: int, lesson_body=False) -> str:
    where = f"{w}x{h} ({name})"
    if not fit.width_ok:
        return (f"{what} does not fit the screen in large-text mode at {where}: a word is wider "
                f"than the screen; break it up")
    over = fit.need - fit.have
    return (f"{what} does not fit the screen in large-text mode at {where}: needs "
            f"{fit.need:.0f} px of height, has {fit.have:.0f} px; shorten it by about "
            f"{max(1, round(over / max(fit.need, 1) * 100))}%")


def check_paths(paths: list[Path], today: Callable[[], dt.date] = dt.date.today) -> Catalog:
    """What `kiosk lessons check` runs: every file under `paths` checked, with the editor's
    rules (sources are pages, not checked in the future: `today` is the injectable clock) and
    the large-text fit of every screen. The problems are in `catalog.problems`."""
    catalog = load_catalog(*paths, today=today())
    catalog.problems.extend(check_fit(catalog))
    for p in paths:  # the pronunciation lexicon beside the lessons
        lexicon = p / LEXICON_NAME if is_dir(p) else (p if p.name == LEXICON_NAME else None)
        if lexicon is not None and lexicon.is_file():
            catalog.problems.extend(check_lexicon(lexicon)[1])
    catalog.problems.extend(missing_pictures(catalog))  # every step shows what to do
    catalog.problems.extend(Problem(str(l.path), 1, f"'next' names '{l.next}', which is not a lesson")
                            for l in catalog.lessons if l.next and not catalog.get(l.next))
    return catalog
