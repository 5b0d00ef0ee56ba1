"""Kivy side of the queue beyond the ticket screen: the board of numbers being called on the
welcome screen (the visitor's ticket strip on every screen is a reserved row: kiosk.core.screens.strips,
drawn by kiosk.ui.screen_body.notice_row). Thin: the words are decided in
kiosk.core.screens.queue_views; here they are only drawn.
"""

from __future__ import annotations

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label

from kiosk.core.screens import layout as L
from kiosk.core.screens.queue_views import CALLING
from kiosk.ui import a11y

BOARD_SCALE = 1.0   # the called numbers as large as a title
BOARD_SHARE = 2.5   # of the header row's width, the title ("Xin chào!") taking 1
ARROW = "»"         # the kiosk's font has no "→"


def call_board(rows, palette, sizes, landscape: bool) -> BoxLayout:
    """"Đang gọi:" and each call as "A001 » Quầy 1", as large as the title, beside "Xin chào!"
    in the header row: the welcome screen keeps every switch in its place. Heights are fixed
    (a number and a counter never wrap), so the header knows its height before the first frame."""
    size = sizes.title * BOARD_SCALE
    shown = rows[:2]   # the two newest: side by side in landscape, one a line in portrait
    lines = 1 if landscape else len(shown)
    height = lines * L.line_height(size) + L.BUTTON_PAD_Y / 2
    box = BoxLayout(orientation="horizontal", size_hint=(BOARD_SHARE, None), height=height,
                    spacing=sizes.gap, padding=(L.BUTTON_PAD_X, L.BUTTON_PAD_Y / 4))
    a11y.paint(box, palette.notice)
    box.name = "call-board"
    heading = Label(text=f"{CALLING}:", font_size=sizes.body, bold=True, color=palette.notice_text,
                    size_hint=(None, 1))
    heading.role = "body"
    heading.bind(texture_size=lambda *_: setattr(heading, "width", heading.texture_size[0]))
    box.add_widget(heading)
    grid = GridLayout(cols=len(shown) if landscape else 1, spacing=(sizes.gap, 0))
    for number, counter in shown:
        label = Label(text=f"{number} {ARROW} {counter}", font_size=size, bold=True,
                      color=palette.notice_text, halign="left", valign="middle")
        label.role = "title"
        label.bind(size=lambda w, *_: setattr(w, "text_size", w.size))
        grid.add_widget(label)
    box.add_widget(grid)
    return box


def add_to_header(header, view, palette, sizes) -> None:
    """KioskApp header hook: the board of calls on the welcome screen (the row as tall as it)."""
    if not view.board:
        return
    from kivy.core.window import Window
    board = call_board(view.board, palette, sizes, Window.width >= Window.height)
    header.add_widget(board)

    def keep_tall(*_):
        if header.height < board.height:
            header.height = board.height
    header.bind(height=keep_tall)
    keep_tall()
