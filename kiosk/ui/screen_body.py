"""The body of a screen as the Kivy app draws it (kiosk.ui.app): under the header, the words,
the choices and the big number or picture, side by side in landscape, stacked in portrait; and
the notice rows above the screen (kiosk.core.screens.strips), each in its own row.
"""

from __future__ import annotations

from pathlib import Path

from kivy.core.window import Window
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.screens import layout as L
from kiosk.core.screens.strips import STRIP_PAD_X, STRIP_PAD_Y, Strip, strip_height
from kiosk.core.screens.view import View
from kiosk.ui.theme import Palette, Sizes
from kiosk.ui.widgets import QR_BOX, QR_MODULE_MM, Text, paint, qr_texture

UNPRINTED = "printer"   # the notice key of a slip not printed (kiosk.ui.printing)
UNPRINTED_MAX = 2.0     # the number at most twice its usual size,
UNPRINTED_MIN = 1.5     # and if the whole screen then needs to scroll, 1.5 times


def notice_row(strip: Strip, palette: Palette, sizes: Sizes, width: float) -> Widget:
    """A notice row (kiosk.core.screens.strips) in a column `width` px wide: a fixed height,
    measured before the screen."""
    ticket = strip.kind == "ticket"  # the waiting number, in the primary colours
    row = Text(strip.text, sizes.small, palette.primary_text if ticket else palette.notice_text,
               role="small", padding=(STRIP_PAD_X, STRIP_PAD_Y))
    row.name = "ticket-strip" if ticket else f"strip_{strip.kind}"
    row.height = strip_height(strip, sizes, width)
    paint(row, palette.primary if ticket else palette.notice)
    return row


def body(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
    """The screen under its header: words, choices, the big number or the picture (QR)."""
    body = BoxLayout(orientation="vertical", spacing=sizes.gap)
    big = None
    # the ticket's slip was not printed: the visitor must read (or photograph) the number on
    # the screen, so it gets a row of its own across the column, as large as that row allows
    unprinted = view.screen == "ticket" and bool(app.runtime.notices.get(UNPRINTED))
    if view.big:
        size = sizes.big
        if unprinted:
            size = sizes.big * max(1.0, min(UNPRINTED_MAX, _unprinted_room(app, view, sizes)))
        big = Label(text=view.big, font_size=size, bold=True, color=palette.text,
                    size_hint_y=None, height=L.line_height(size))
        big.role = "big"
        big.name = "big_unprinted" if unprinted else "big"
    text_box = BoxLayout(orientation="vertical", spacing=sizes.gap / 2, size_hint_y=None)
    text_box.bind(minimum_height=text_box.setter("height"))
    for para in view.body:
        text_box.add_widget(Text(para, sizes.body, palette.text))
    choices = app.choice_buttons(view, palette, sizes, landscape) if view.choices else None
    options = _options(app, view, palette, sizes) if view.options else None
    picture = picture_of(app, view) if (view.qr_text or view.image) else None
    if picture is None and view.outline:  # intro: every step by name (kiosk.ui.step_pictures)
        from kiosk.ui.step_pictures import outline  # kept out of the cold start
        picture = outline(view, palette, sizes, app.frame.content_w)
        if not landscape:
            picture = picture.portrait
            picture.parent.remove_widget(picture)
    flexible = choices is not None and getattr(choices, "flexible", False)
    if landscape and (big is not None and not unprinted or picture is not None):
        # side by side: the words and choices at the left, the number or picture at the right
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap)
        left = BoxLayout(orientation="vertical", spacing=sizes.gap)
        left.add_widget(text_box)
        if choices is not None:
            left.add_widget(choices)
        if options is not None and big is None:
            left.add_widget(options)
        left.add_widget(Widget(size_hint_y=0.001 if flexible else 1))
        if big is not None:
            big.size_hint = (None, None)
            big.bind(texture_size=lambda b, ts: setattr(b, "width", ts[0]))
            holder = AnchorLayout(anchor_y="top", size_hint_x=None)
            big.bind(width=holder.setter("width"))
            holder.add_widget(big)
            row.add_widget(holder)
            row.add_widget(left)
            if options is not None:  # the whole width under the number: words unbroken
                body.add_widget(row)
                body.add_widget(options)
                return body
        else:
            row.add_widget(left)
            side = max(min(app.frame.content_w * 0.36, Window.height * 0.55),
                       picture.size_hint_min_x or 0)
            if view.outline and not (view.qr_text or view.image):
                side = picture.size_hint_min_x  # the list of steps: its own width
            row.add_widget(with_note(picture, view, palette, sizes, side))
        body.add_widget(row)
        return body
    if big is not None:
        body.add_widget(big)
    body.add_widget(text_box)
    if picture is not None:
        # stacked (portrait): the words and choices keep their room; a QR of 25 modules still
        # gets about 3 mm a module here (screens that never overlap: issue 13)
        picture.size_hint_min_y = min(Window.height * 0.2, 360)
        body.add_widget(picture)
        if view.picture_note:
            body.add_widget(Text(view.picture_note, sizes.body, palette.text))
    if choices is not None:
        body.add_widget(choices)
    if options is not None:
        body.add_widget(options)
    if picture is None:
        # pushes content up (a flexible grid takes what it can first)
        body.add_widget(Widget(size_hint_y=0.001 if flexible else 1))
    return body


def _options(app, view: View, palette: Palette, sizes: Sizes) -> Widget:
    """The optional row (priority) with its words right above it, so that they name that row
    and not the choices drawn between the body and it."""
    row = app.choice_row(view.options, palette, sizes)
    if not view.options_label:
        return row
    box = BoxLayout(orientation="vertical", spacing=sizes.gap / 2, size_hint_y=None)
    box.bind(minimum_height=box.setter("height"))
    box.add_widget(Text(view.options_label, sizes.body, palette.text))
    box.add_widget(row)
    return box


def _unprinted_room(app, view: View, sizes: Sizes) -> float:
    """How many times its usual size the ticket number may be drawn: at most 90% of the
    column's width; as large as lets the whole screen fit if that is still much larger, else
    as large as lets the title and the number fit (the words and choices under them scroll),
    so that the whole number is in view when the screen opens."""
    fr = app.frame
    wide = fr.content_w * 0.9 / max(L.text_width(view.big, sizes.big, True), 1)
    room_h = (fr.content_h - fr.notice_h - fr.caption_h - fr.bar_h - 3 * sizes.gap
              - L.header_height(view.title, view.progress, sizes, fr.content_w))
    words_h = sum(L.text_block(p, sizes.body, fr.content_w)[1] + sizes.gap / 2
                  for p in view.body + ((view.options_label,) if view.options_label else ()))
    rows_h = (sizes.target + sizes.gap) * (bool(view.choices) + bool(view.options))
    line = max(L.line_height(sizes.big), 1)
    whole = min(wide, (room_h - words_h - rows_h) / line, UNPRINTED_MAX)
    if whole >= UNPRINTED_MIN:
        return whole
    return min(wide, room_h / line, UNPRINTED_MIN)


def with_note(picture, view: View, palette: Palette, sizes: Sizes, side: float) -> Widget:
    """The picture's column (landscape): the picture, and under it the words about it."""
    picture.size_hint_x, picture.width = None, side
    if not view.picture_note:
        return picture
    column = BoxLayout(orientation="vertical", spacing=sizes.gap / 2, size_hint_x=None,
                       width=side)
    picture.size_hint_x = 1
    column.add_widget(picture)
    column.add_widget(Text(view.picture_note, sizes.body, palette.text))
    return column


def picture_of(app, view: View) -> Widget | None:
    if view.qr_text:
        texture = qr_texture(view.qr_text)
        # QR_MODULE_MM a module on the panel, so an older phone can read it (on a window much
        # smaller than the panel, no more than 45% of its height: the words come first)
        side = min(texture.width / QR_BOX * app.panel.mm(QR_MODULE_MM), Window.height * 0.45)
        return Image(texture=texture, fit_mode="contain", size_hint_min_x=side,
                     size_hint_min_y=side)
    if view.image and Path(view.image).is_file():
        return Image(source=str(view.image), fit_mode="contain")
    return None
