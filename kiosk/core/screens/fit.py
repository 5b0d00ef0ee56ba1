"""Does every lesson screen fit in large-text mode? (`kiosk lessons check`; plain Python)

The kiosk never shrinks text to make it fit, so a step whose words are too long for the screen
in large-text mode would run off the screen in front of a visitor. This estimates, with the
real font's metrics (kiosk.core.screens.layout), the height each step and each lesson introduction
needs against the space the kiosk's layout leaves for it, at every window size the kiosk is
checked at, and reports what does not fit as `path:line: message`.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.screens import layout as L
from kiosk.core.content.lessons import Catalog, Lesson, Problem, read_yaml

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}
BAR = ["Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Gọi nhân viên"]


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
    text_w, have = _space(width, height, sizes, lesson.title, None, "Bắt đầu", False, captions)
    bring = lesson.bring or ("Không cần mang gì.",)
    paras = ["Cần chuẩn bị:"] + [f"• {b}" for b in bring] + [f"Thời gian: {lesson.time_needed}."]
    return L.paragraphs_fit(paras, sizes.body, text_w, have, sizes.gap / 2)


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
