"""Sizes, colours and fonts. Plain Python (no Kivy) so that tests can check the numbers.

Numbers from DESIGN.md §3: body text ≥32 px, large text ≥1.6×, touch targets ≥20 mm (about
120 px on a 21.5" 1080p panel) at least 5 mm apart, contrast ≥4.5:1 (≥7:1 in high contrast).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

LARGE_FACTOR = 1.6


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


def _hex(h: str) -> tuple:
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)


NORMAL = Palette(
    background=_hex("#F5F7FA"), text=_hex("#1A2330"), muted=_hex("#3D4A5C"),
    button=_hex("#DCE6F2"), button_text=_hex("#10243E"),
    primary=_hex("#0B5CAD"), primary_text=_hex("#FFFFFF"),
    bar=_hex("#E4E9F0"), notice=_hex("#FFF1C2"), notice_text=_hex("#3A2A00"),
    pressed=_hex("#9FB8D6"),
)

HIGH_CONTRAST = Palette(
    background=_hex("#000000"), text=_hex("#FFFFFF"), muted=_hex("#FFFF66"),
    button=_hex("#000000"), button_text=_hex("#FFFF00"),
    primary=_hex("#FFFF00"), primary_text=_hex("#000000"),
    bar=_hex("#1A1A1A"), notice=_hex("#FFFFFF"), notice_text=_hex("#000000"),
    pressed=_hex("#00FFFF"),
)


@dataclass(frozen=True)
class Sizes:
    body: float = 36
    title: float = 50
    button: float = 34
    big: float = 220          # the ticket number
    progress: float = 40
    target: float = 124       # minimum touch target height (px)
    gap: float = 24           # space between targets (≥5 mm)
    pad: float = 32

    def scaled(self, factor: float) -> "Sizes":
        return Sizes(body=self.body * factor, title=self.title * factor,
                     button=self.button * factor, big=self.big, progress=self.progress * factor,
                     target=self.target * (1 + (factor - 1) * 0.5), gap=self.gap, pad=self.pad)


def theme_for(large_text: bool, high_contrast: bool) -> tuple[Palette, Sizes]:
    sizes = Sizes().scaled(LARGE_FACTOR) if large_text else Sizes()
    return (HIGH_CONTRAST if high_contrast else NORMAL), sizes


def font_files() -> dict[str, Path]:
    """Be Vietnam Pro (OFL, designed for Vietnamese), installed from PyPI with the kiosk."""
    import fontpkg_be_vietnam_pro as font
    files = Path(font.ROOT) / "files"
    return {"regular": files / "BeVietnamPro-Regular.ttf", "bold": files / "BeVietnamPro-Bold.ttf"}


def relative_luminance(rgb: tuple) -> float:
    def chan(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (chan(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple, b: tuple) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
