"""Sizes, colours and fonts. Plain Python (no Kivy) so that tests can check the numbers.

Numbers from DESIGN.md §3: body text ≥32 px (at 1080p), large text ≥1.6×, touch targets ≥20 mm
at least 5 mm apart (kiosk.core.screens.layout works the sizes out per window and panel), contrast
≥4.5:1 (≥7:1 in high contrast; `text_pairs` lists every pair the screens draw).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.screens.layout import LARGE_FACTOR, Panel, Sizes, font_files, sizes_for  # noqa: F401


@dataclass(frozen=True)
class Palette:
    background: tuple
    text: tuple
    muted: tuple          # secondary text (still ≥4.5:1 / ≥7:1)
    button: tuple
    button_text: tuple
    primary: tuple
    primary_text: tuple
    bar: tuple
    notice: tuple
    notice_text: tuple
    pressed: tuple
    pressed_text: tuple = (0.0, 0.0, 0.0, 1.0)
    caption: tuple = (1.0, 1.0, 1.0, 1.0)        # the caption strip (Phụ đề)
    caption_text: tuple = (0.0, 0.0, 0.0, 1.0)
    focus: tuple = (0.0, 0.0, 0.0, 1.0)          # the focus ring (drawn thick: not colour alone)
    focus_inner: tuple = (1.0, 1.0, 1.0, 1.0)
    high: bool = False


def hex_rgba(h: str) -> tuple:
    """A "#RRGGBB" colour as Kivy's (r, g, b, a), each 0..1."""
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)


NORMAL = Palette(
    background=hex_rgba("#F5F7FA"), text=hex_rgba("#1A2330"), muted=hex_rgba("#3D4A5C"),
    button=hex_rgba("#DCE6F2"), button_text=hex_rgba("#10243E"),
    primary=hex_rgba("#0B5CAD"), primary_text=hex_rgba("#FFFFFF"),
    bar=hex_rgba("#E4E9F0"), notice=hex_rgba("#FFF1C2"), notice_text=hex_rgba("#3A2A00"),
    pressed=hex_rgba("#9FB8D6"), pressed_text=hex_rgba("#10243E"),
    caption=hex_rgba("#1A2330"), caption_text=hex_rgba("#FFFFFF"),
    focus=hex_rgba("#1A2330"), focus_inner=hex_rgba("#FFFFFF"),
)

HIGH_CONTRAST = Palette(
    background=hex_rgba("#000000"), text=hex_rgba("#FFFFFF"), muted=hex_rgba("#FFFF66"),
    button=hex_rgba("#000000"), button_text=hex_rgba("#FFFF00"),
    primary=hex_rgba("#FFFF00"), primary_text=hex_rgba("#000000"),
    bar=hex_rgba("#1A1A1A"), notice=hex_rgba("#FFFFFF"), notice_text=hex_rgba("#000000"),
    pressed=hex_rgba("#FFFFFF"), pressed_text=hex_rgba("#000000"),
    caption=hex_rgba("#FFFFFF"), caption_text=hex_rgba("#000000"),
    focus=hex_rgba("#00FFFF"), focus_inner=hex_rgba("#000000"), high=True,
)


def theme_for(large_text: bool, high_contrast: bool, window: tuple[float, float] | None = None,
              panel: Panel | None = None) -> tuple[Palette, Sizes]:
    """Palette and sizes; with `window` the sizes follow that window (see kiosk.core.screens.layout)."""
    if window is None:
        sizes = Sizes().scaled(LARGE_FACTOR) if large_text else Sizes()
    else:
        sizes = sizes_for(window[0], window[1], large_text, panel)
    return (HIGH_CONTRAST if high_contrast else NORMAL), sizes


def text_pairs(palette: Palette) -> dict[str, tuple[tuple, tuple]]:
    """Every (foreground, background) pair the screens draw text or a focus ring with."""
    return {
        "text": (palette.text, palette.background),
        "muted": (palette.muted, palette.background),
        "button": (palette.button_text, palette.button),
        "primary": (palette.primary_text, palette.primary),
        "pressed": (palette.pressed_text, palette.pressed),
        "notice": (palette.notice_text, palette.notice),
        "caption": (palette.caption_text, palette.caption),
        "focus": (palette.focus, palette.background),
        "focus_on_button": (palette.focus, palette.button),
    }


def min_contrast(high_contrast: bool) -> float:
    return 7.0 if high_contrast else 4.5


def relative_luminance(rgb: tuple) -> float:
    def chan(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (chan(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple, b: tuple) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
