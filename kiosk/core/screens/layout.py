"""Screen geometry shared by the Kivy screens and the text-fit check (plain Python, no Kivy).

Sizes are worked out for the window the kiosk draws in. Everything follows the window: a
1366x768 screen shows the 1920x1080 layout scaled by 0.71, so on a panel of the same size
every text and button has the same physical size (body text about 9 mm; the "32 px" of the
design guide is the 1080p figure). Large-text mode multiplies every text size by at least 1.6
(rounded up to whole pixels). Touch targets and gaps never go below 20 mm and 5 mm on the
configured panel (default 21.5 inch 1920x1080, about 4.03 px per mm), whatever the window.

Text is measured with Pillow and the same Be Vietnam Pro files that Kivy draws with, at the same
integer pixel size (Kivy's SDL2 text provider truncates font sizes to whole pixels), so that the
kiosk's layout decisions and `kiosk lessons check` agree with what the screen really shows.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kiosk.core.screens.bar_slots import PORTRAIT_COLS, SLOTS

LARGE_FACTOR = 1.6
TARGET_MM = 20.0
GAP_MM = 5.0

# Reference sizes (px) for a 1920x1080 landscape window (or 1080x1920 portrait).
BASE = {"body": 36, "title": 50, "button": 34, "progress": 40, "small": 30, "big": 180}
BASE_TARGET = 124
BASE_GAP = 24
BASE_PAD = 32
BUTTON_PAD_X = 14   # horizontal padding inside a button, each side
BUTTON_PAD_Y = 14   # vertical padding inside a button, each side
CAPTION_LINES = 2
MEASURE_SLACK = 1.006  # SDL_ttf sums whole-pixel advances: a hair wider than Pillow's sum

SIZE_NAMES = {"landscape": (1920, 1080), "portrait": (1080, 1920), "small": (1366, 768)}


# --- the panel ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Panel:
    """The physical screen: its diagonal and native resolution give pixels per millimetre."""
    inches: float = 21.5
    width: int = 1920
    height: int = 1080

    @property
    def px_per_mm(self) -> float:
        return math.hypot(self.width, self.height) / (self.inches * 25.4)

    def mm(self, millimetres: float) -> float:
        return millimetres * self.px_per_mm


def panel_from_env() -> Panel:
    """KIOSK_SCREEN_INCHES (default 21.5) and KIOSK_SCREEN_SIZE (default 1920x1080)."""
    inches, size = Panel.inches, (Panel.width, Panel.height)
    try:
        inches = float(os.environ.get("KIOSK_SCREEN_INCHES") or inches)
        raw = os.environ.get("KIOSK_SCREEN_SIZE")
        if raw:
            w, h = (int(x) for x in raw.lower().split("x"))
            size = (w, h)
    except ValueError:
        pass
    if not 5 <= inches <= 100:
        inches = Panel.inches
    return Panel(inches, *size)


# --- sizes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sizes:
    body: float = 36
    title: float = 50
    button: float = 34
    big: float = 180          # the ticket number
    progress: float = 40
    target: float = 124       # minimum touch target (px)
    gap: float = 24           # space between targets (>= 5 mm)
    pad: float = 32
    small: float = 30         # captions, second lines on buttons
    scale: float = 1.0        # window scale (for icons and fixed extras)

    def scaled(self, factor: float) -> "Sizes":
        """Text sizes times `factor` (large text), rounded up to whole pixels."""
        up = lambda v: float(math.ceil(v * factor - 1e-9))  # noqa: E731
        return Sizes(body=up(self.body), title=up(self.title), button=up(self.button),
                     big=up(self.big), progress=up(self.progress), target=self.target,
                     gap=self.gap, pad=self.pad, small=up(self.small), scale=self.scale)

    def text_sizes(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in BASE}


def window_scale(width: float, height: float) -> float:
    if width >= height:
        return min(width / 1920, height / 1080)
    return min(width / 1080, height / 1920)


def sizes_for(width: float, height: float, large_text: bool = False,
              panel: Panel | None = None) -> Sizes:
    panel = panel or Panel()
    s = window_scale(width, height)
    text = {k: float(math.floor(v * s)) for k, v in BASE.items()}
    target = max(round(BASE_TARGET * s), math.ceil(panel.mm(TARGET_MM)) + 2)
    gap = max(round(BASE_GAP * s), math.ceil(panel.mm(GAP_MM)) + 1)
    normal = Sizes(target=float(target), gap=float(gap), pad=float(max(round(BASE_PAD * s), gap)),
                   scale=s, **text)
    return normal.scaled(LARGE_FACTOR) if large_text else normal


# --- text measurement -------------------------------------------------------------------------

def font_files() -> dict[str, Path]:
    """Be Vietnam Pro (OFL, designed for Vietnamese), installed from PyPI with the kiosk."""
    import fontpkg_be_vietnam_pro as font  # a path lookup; only when text is measured or drawn
    files = Path(font.ROOT) / "files"
    return {"regular": files / "BeVietnamPro-Regular.ttf", "bold": files / "BeVietnamPro-Bold.ttf"}


@lru_cache(maxsize=64)
def _font(size: int, bold: bool):
    from PIL import ImageFont  # Pillow: only when text is measured, not to draw the first frame
    return ImageFont.truetype(str(font_files()["bold" if bold else "regular"]), size)


def px(size: float) -> int:
    """The pixel size Kivy really renders (its SDL2 provider truncates)."""
    return max(1, int(size))


def text_width(text: str, size: float, bold: bool = False) -> float:
    return _font(px(size), bold).getlength(text) * MEASURE_SLACK + 1


def line_height(size: float) -> int:
    ascent, descent = _font(px(size), False).getmetrics()
    return ascent + descent


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Greedy word wrap as Kivy does it; a word wider than `width` stays whole on its line."""
    lines: list[str] = []
    for para in text.split("\n"):
        cur = ""
        for word in para.split():
            trial = f"{cur} {word}" if cur else word
            if not cur or text_width(trial, size, bold) <= width:
                cur = trial
            else:
                lines.append(cur)
                cur = word
        lines.append(cur)
    return lines


def text_block(text: str, size: float, width: float, bold: bool = False) -> tuple[int, float, float]:
    """(lines, height, widest line) of `text` wrapped into `width`."""
    lines = wrap(text, size, width, bold)
    widest = max((text_width(line, size, bold) for line in lines), default=0.0)
    return len(lines), len(lines) * line_height(size), widest


def chunks(text: str, size: float, width: float, max_lines: int = CAPTION_LINES) -> list[str]:
    """Split a spoken line into caption pieces that each fit in `max_lines` lines."""
    sentences = [s for s in re.split(r"(?<=[.!?:;])\s+", text.strip()) if s]
    words: list[str] = []
    out: list[str] = []

    def fits(candidate: str) -> bool:
        lines, _, widest = text_block(candidate, size, width)
        return lines <= max_lines and widest <= width

    cur = ""
    for sentence in sentences:
        trial = f"{cur} {sentence}" if cur else sentence
        if fits(trial):
            cur = trial
            continue
        if cur:
            out.append(cur)
            cur = ""
        if fits(sentence):
            cur = sentence
            continue
        words = sentence.split()
        for word in words:
            trial = f"{cur} {word}" if cur else word
            if fits(trial) or not cur:
                cur = trial
            else:
                out.append(cur)
                cur = word
    if cur:
        out.append(cur)
    return out or [""]


# --- the frame of a screen ------------------------------------------------------------------

@dataclass(frozen=True)
class Frame:
    """Where things go on a screen of this size: content column, side bar or bottom bar."""
    width: float
    height: float
    sizes: Sizes
    landscape: bool
    content_w: float
    sidebar_w: float        # 0 when the bar is at the bottom (portrait)
    bar_cols: int
    bar_h: float            # height of the bottom bar (portrait), 0 in landscape
    bar_button_h: float
    caption_h: float        # 0 without captions
    notice_h: float = 0.0   # rows reserved for notices (and later a ticket strip), with gaps

    @property
    def content_h(self) -> float:
        return self.height - 2 * self.sizes.pad



def button_label_h(label: str, size: float, width: float, extra_w: float = 0) -> float:
    lines, height, _ = text_block(label, size, width - 2 * BUTTON_PAD_X - extra_w, bold=True)
    return height + 2 * BUTTON_PAD_Y


def caption_height(sizes: Sizes, lines: int = CAPTION_LINES) -> float:
    return lines * line_height(sizes.small) + 2 * BUTTON_PAD_Y


def frame_for(width: float, height: float, sizes: Sizes, bar_labels: list[str],
              captions: bool = False, extra_w: float = 0, sidebar: bool = True,
              notice_h: float = 0.0) -> Frame:
    """The screen's frame. `bar_labels`: every word a bar slot must hold (bar_slots.slot_labels);
    `extra_w`: room a bar button needs beside its words (an icon); `notice_h`: the rows reserved
    above the screen for notices (strips.strips_height). The bar always has all its slots
    (kiosk.core.screens.bar_slots), so its controls sit in the same place on every screen of one
    size."""
    landscape = width >= height
    inner_w = width - 2 * sizes.pad
    cap_h = caption_height(sizes) if captions else 0.0
    if extra_w:
        extra_w += BUTTON_PAD_X
    if not bar_labels:
        return Frame(width, height, sizes, landscape, inner_w, 0.0, 0, 0.0, 0.0, cap_h, notice_h)
    n = len(SLOTS)
    if landscape and sidebar:
        # a column of buttons at the right: landscape screens have width to spare, not height
        widest = max(text_width(l, sizes.button, bold=True) for l in bar_labels)
        side = min(max(widest + extra_w + 2 * BUTTON_PAD_X + 12, 0.2 * width), 0.34 * width)
        side = math.ceil(side)
        avail = height - 2 * sizes.pad - (n - 1) * sizes.gap
        return Frame(width, height, sizes, True, inner_w - side - sizes.gap, side, 1, 0.0,
                     avail / n, cap_h, notice_h)
    cols = n if landscape else PORTRAIT_COLS
    rows = math.ceil(n / cols)
    bw = (inner_w - (cols - 1) * sizes.gap) / cols
    button_h = max([sizes.target] + [button_label_h(l, sizes.button, bw, extra_w)
                                     for l in bar_labels])
    bar_h = rows * button_h + (rows - 1) * sizes.gap
    return Frame(width, height, sizes, landscape, inner_w, 0.0, cols, bar_h, button_h, cap_h,
                 notice_h)


def header_height(title: str, progress: str | None, sizes: Sizes, content_w: float) -> float:
    width = content_w
    prog_h = 0
    if progress:
        width -= text_width(progress, sizes.progress, bold=True) + sizes.gap
        prog_h = line_height(sizes.progress)
    _, h, _ = text_block(title, sizes.title, width, bold=True)
    return max(h, prog_h)


# --- the text-fit estimate for a lesson step ------------------------------------------------

@dataclass(frozen=True)
class Fit:
    fits: bool
    need: float     # px of height the text needs
    have: float     # px of height there is
    width_ok: bool  # no single word wider than the column


def body_space(width: float, height: float, sizes: Sizes, title: str, progress: str | None,
               bar_labels: list[str], captions: bool = False) -> tuple[Frame, float]:
    """(frame, height left for the body) on a screen with this header and bar."""
    fr = frame_for(width, height, sizes, bar_labels, captions)
    used = header_height(title, progress, sizes, fr.content_w) + sizes.gap + fr.notice_h
    if captions:
        used += fr.caption_h + sizes.gap
    if fr.bar_h:
        used += fr.bar_h + sizes.gap
    return fr, fr.content_h - used


def paragraphs_fit(paragraphs: list[str], size: float, width: float, have: float,
                   para_gap: float) -> Fit:
    need = 0.0
    width_ok = True
    for i, para in enumerate(paragraphs):
        _, h, widest = text_block(para, size, width)
        need += h + (para_gap if i else 0)
        width_ok = width_ok and widest <= width + 1
    return Fit(need <= have and width_ok, need, have, width_ok)
