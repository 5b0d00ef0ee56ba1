"""The kiosk's own Kivy widgets, shared by the main screens (app.py) and the practice screens.

A wrapping `Text`, the large `KioskButton` that knows its `Choice`, the QR texture, and the
helpers replay and tests use to find what a visitor could tap or read now.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from kivy.core.image import Image as CoreImage
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.graphics import Color, Rectangle
from kivy.uix.button import Button
from kivy.uix.label import Label
from kivy.uix.widget import Widget
from kivy.utils import escape_markup

from kiosk.core.screens import layout as L
from kiosk.core.screens.view import Choice
from kiosk.ui import a11y
from kiosk.ui.theme import Palette, Sizes, font_files

_fonts_registered = False


def register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    files = font_files()
    LabelBase.register(DEFAULT_FONT, fn_regular=str(files["regular"]), fn_bold=str(files["bold"]))
    LabelBase.register("Roboto", fn_regular=str(files["regular"]), fn_bold=str(files["bold"]))
    _fonts_registered = True


def paint(widget: Widget, color: tuple, border: tuple | None = None) -> None:
    a11y.paint(widget, color, border)


class Text(Label):
    """A wrapping label whose height follows its text."""

    def __init__(self, text: str, size: float, color: tuple, bold=False, halign="left",
                 role: str = "body", **kw):
        super().__init__(text=text, font_size=size, color=color, bold=bold, halign=halign,
                         valign="middle", size_hint_y=None, **kw)
        self.role = role
        self.bind(width=lambda *_: setattr(self, "text_size", (self.width, None)),
                  texture_size=lambda *_: setattr(self, "height", self.texture_size[1]))


def _shown(choice: Choice, numbered: bool) -> str:
    text = escape_markup(choice.short or choice.label)
    if numbered and choice.key and choice.key.isdigit():
        text = f"[b]{choice.key}[/b]   {text}"
    return text


class KioskButton(Button):
    """A large button that knows which choice it stands for."""

    def __init__(self, choice: Choice, palette: Palette, sizes: Sizes, height=None,
                 numbered: bool = False, check: Path | None = None, **kw):
        bg = palette.primary if choice.primary else palette.button
        fg = palette.primary_text if choice.primary else palette.button_text
        text = _shown(choice, numbered)
        if choice.detail:
            text = f"[b]{text}[/b]\n[size={int(sizes.small)}]{escape_markup(choice.detail)}[/size]"
        super().__init__(text=text, markup=True, font_size=sizes.button,
                         bold=not choice.detail, color=fg,
                         background_normal="", background_down="", background_color=(0, 0, 0, 0),
                         halign="center", valign="middle", **kw)
        self.role = "button"
        self.choice = choice
        self.tap_label = choice.label
        self._bg, self._fg, self._palette = bg, fg, palette
        a11y.paint(self, bg, border=palette.button_text if palette.high else None,
                   press=palette.pressed_text)
        self._check_w = 0.0
        if check is not None:  # a mode switch: a check box, not colour alone, shows it is on
            self._check_w = min(sizes.target * 0.5, 64 * max(sizes.scale, 0.75))
            with self.canvas.after:
                Color(1, 1, 1, 1)
                self._check = Rectangle(source=str(check), size=(self._check_w, self._check_w))
        self.size_hint_min_y = sizes.target
        if height:
            self.size_hint_y, self.height = None, max(height, sizes.target)
            # public: the app swaps it for a handler that evens out a row of buttons
            self.grow = lambda b, ts: setattr(b, "height", max(sizes.target, ts[1]))
            self.bind(texture_size=self.grow)
        self.padding = (L.BUTTON_PAD_X, L.BUTTON_PAD_Y, L.BUTTON_PAD_X + self._check_w, L.BUTTON_PAD_Y)
        self.bind(size=self._fit, pos=self._fit)
        self.bind(state=self._show_state)

    def _fit(self, *_):
        # text_size includes the padding: the words wrap inside width - padding - check box
        self.text_size = (max(10 + 2 * L.BUTTON_PAD_X + self._check_w, self.width), None)
        if self._check_w:
            # x + width, not right/center_y: those alias properties may lag during this event
            self._check.pos = (self.x + self.width - L.BUTTON_PAD_X - self._check_w,
                               self.y + (self.height - self._check_w) / 2)

    def _show_state(self, *_):
        down = self.state == "down"
        a11y.set_bg(self, self._palette.pressed if down else self._bg)
        a11y.show_pressed(self, down)
        self.color = self._palette.pressed_text if down else self._fg


QR_BOX = 10          # texture pixels per module
QR_MODULE_MM = 4.0   # drawn size of one module on the panel


def qr_texture(text: str):
    import qrcode  # only when a finish screen is drawn: keeps it out of the first frame
    from qrcode.constants import ERROR_CORRECT_L
    # error correction L, as take_home.qr_modules counts it: the smallest code for the text
    img = qrcode.make(text, box_size=QR_BOX, border=2, error_correction=ERROR_CORRECT_L)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return CoreImage(buf, ext="png").texture


def visible_controls(root: Widget) -> list[Widget]:
    """Every control a visitor could tap now (used by replay and tests)."""
    out = []
    for w in root.walk(restrict=True):
        if hasattr(w, "tap_label") and not w.disabled and w.opacity > 0 and w.get_root_window():
            out.append(w)
    return out


def visible_texts(root: Widget) -> list[str]:
    texts = []
    for w in root.walk(restrict=True):
        if isinstance(w, Label) and w.text and w.opacity > 0:
            texts.append(strip_markup(w.text))
    return texts


def strip_markup(text: str) -> str:
    return re.sub(r"\[/?[a-z]+(=[^\]]*)?\]", "", text)


def norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
