"""Kivy side of the queue beyond the ticket screen: the visitor's ticket strip on every screen,
and the board of numbers being called on the welcome screen. Thin: the words are decided in
kiosk.core.queue_views; here they are only drawn.
"""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label

from kiosk.core import layout as L
from kiosk.core.queue_views import CALLING
from kiosk.ui import a11y

BOARD_SCALE = 1.3   # the called numbers a little larger than a title: read from across the room
ARROW = "»"         # the kiosk's font has no "→"


def _label(text: str, size: float, color: tuple, role: str, bold: bool = True) -> Label:
    label = Label(text=text, font_size=size, bold=bold, color=color, halign="left",
                  valign="middle", size_hint_y=None, height=L.line_height(size))
    label.role = role
    label.bind(width=lambda *_: setattr(label, "text_size", (label.width, None)),
               texture_size=lambda *_: setattr(label, "height", max(label.height, label.texture_size[1])))
    return label


def ticket_strip(text: str, palette, sizes) -> Label:
    """"Số của bạn: A001 — Trước bạn còn 2 người…" in the primary colours, above the screen."""
    strip = _label(text, sizes.body, palette.primary_text, "body")
    strip.padding = (L.BUTTON_PAD_X, L.BUTTON_PAD_Y / 2)
    a11y.paint(strip, palette.primary)
    strip.name = "ticket-strip"
    return strip


def call_board(rows, palette, sizes, landscape: bool) -> BoxLayout:
    """"Đang gọi" and each call as "A001 » Quầy 1", large, for everyone near the kiosk."""
    size = sizes.title * BOARD_SCALE
    box = BoxLayout(orientation="vertical", size_hint_y=None, spacing=sizes.gap / 2,
                    padding=(L.BUTTON_PAD_X, L.BUTTON_PAD_Y / 2))
    a11y.paint(box, palette.notice)
    box.name = "call-board"
    box.add_widget(_label(f"{CALLING}:", sizes.body, palette.notice_text, "body"))
    grid = GridLayout(cols=2 if landscape and len(rows) > 1 else 1, size_hint_y=None,
                      spacing=(sizes.gap, sizes.gap / 4))
    grid.bind(minimum_height=grid.setter("height"))
    for number, counter in rows:
        grid.add_widget(_label(f"{number} {ARROW} {counter}", size, palette.notice_text, "title"))
    box.add_widget(grid)
    box.bind(minimum_height=box.setter("height"))
    return box
