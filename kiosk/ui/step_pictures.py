"""Kivy drawing of a lesson step with its picture: the words and the picture share the screen.

Landscape: the words at the left, the picture at the right; portrait: the words above, the
picture below. The words keep the body size of a text-only step (≥ 32 px at 1080p, ×1.6 in
large text). A screen picture is the practice copies' phone (kiosk.ui.phone_copy) marked
"Hình minh họa", with the control to touch ringed and pointed at; a real-world step shows a
pictogram (kiosk.ui.pictograms). Nothing in a picture is tappable. Thin: what to show comes from
kiosk.core.content.step_picture.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.content.step_picture import MARKER
from kiosk.core.screens.fit import OUTLINE_GAP, outline_width
from kiosk.core.screens.practice_views import phone_of
from kiosk.core.screens.view import View
from kiosk.ui.phone_copy import PhoneCopy
from kiosk.ui.phone_draw import BLACK, MARK_BG, MARK_TEXT, draw_box
from kiosk.ui.picture_fit import least_frame
from kiosk.ui.pictograms import Pictogram
from kiosk.ui.theme import Palette, Sizes
from kiosk.ui.widgets import Text

PHONE_RATIO = 0.6      # a phone's width to its height
# The room kiosk.core.screens.fit reserves for a picture when it checks that a step's words fit in
# large text: landscape, at most 36% of the content width and 55% of the window height;
# portrait, at least 20% of the window height (at most 360 px) below the words.
SIDE_SHARE, SIDE_OF_HEIGHT = 0.36, 0.55
PORTRAIT_MIN = (0.2, 360)
# Kivy's size for a widget its layout has not placed yet: no picture is built at that size
# (a phone is costly to build, and would be built again a moment later at its real size)
UNLAID = (100, 100)


def body(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
    words = BoxLayout(orientation="vertical", spacing=sizes.gap / 2, size_hint_y=None)
    words.bind(minimum_height=words.setter("height"))
    for para in view.body:
        words.add_widget(Text(para, sizes.body, palette.text))
    holder = AnchorLayout()
    holder.name = "step_picture"
    picture = _picture(app, view.picture, palette, sizes)
    holder.add_widget(picture)
    phone = view.picture.screen is not None
    if landscape:
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap)  # as kiosk.core.screens.fit counts
        left = BoxLayout(orientation="vertical")
        left.add_widget(words)
        left.add_widget(Widget())
        row.add_widget(left)
        holder.size_hint_x = None

        def fit(*_):  # the picture spans the row's height (the holder follows the row)
            if tuple(row.size) == UNLAID:
                return
            h = row.height
            side = min(row.width * SIDE_SHARE, Window.height * SIDE_OF_HEIGHT)
            w = min(h * PHONE_RATIO, side) if phone else min(h, side)
            if phone:  # wider, or taller than the row, when its words cannot fit it
                w, h = least_frame(picture.phone, w, h, side, PHONE_RATIO, PhoneCopy.BEZEL)
            holder.width = w
            picture.size = (w, h if phone else min(h, w * 1.25))
        row.bind(size=fit)
        row.add_widget(holder)
        return row
    col = BoxLayout(orientation="vertical", spacing=sizes.gap)
    col.add_widget(words)
    holder.size_hint_min_y = min(Window.height * PORTRAIT_MIN[0], PORTRAIT_MIN[1])

    def fit_portrait(*_):
        if tuple(holder.size) == UNLAID:
            return
        h = holder.height
        w = min(h * PHONE_RATIO, holder.width * 0.9) if phone else min(holder.width * 0.7, h * 0.8)
        if phone:
            w, h = least_frame(picture.phone, w, h, holder.width * 0.9, PHONE_RATIO,
                               PhoneCopy.BEZEL)
        picture.size = (w, h if phone else min(h, w * 1.25))
    holder.bind(size=fit_portrait)
    col.add_widget(holder)
    return col


def _picture(app, picture, palette: Palette, sizes: Sizes) -> Widget:
    hc = palette.high
    if picture.screen is not None:
        return PhoneCopy(app, phone_of(picture), palette, sizes, hc, illustration=True,
                         size_hint=(None, None))
    return SignCard(picture, palette, sizes, size_hint=(None, None))


class SignCard(BoxLayout):
    """A pictogram on a card, its words under it and "Hình minh họa" on top."""

    def __init__(self, picture, palette: Palette, sizes: Sizes, **kw):
        super().__init__(orientation="vertical", padding=sizes.gap / 2, spacing=sizes.gap / 2, **kw)
        hc = palette.high
        draw_box(self, BLACK if hc else (1, 1, 1, 1), radius=24,
                  border=palette.primary if hc else palette.muted, border_width=3)
        mark = Text(MARKER.upper(), sizes.body * 0.6, BLACK if hc else MARK_TEXT, bold=True,
                    halign="center", padding=(8, 6))
        mark.name, mark.role = "picture_marker", "picture"
        draw_box(mark, palette.primary if hc else MARK_BG, radius=8)
        self.add_widget(mark)
        self.add_widget(Pictogram(picture.sign, hc))
        if picture.label:
            self.add_widget(Text(picture.label, sizes.body, palette.text, bold=True, halign="center"))


def outline(view: View, palette: Palette, sizes: Sizes, content_w: float) -> Widget:
    """The intro's list of every step by name (GOV.UK step-by-step): a column at the right in
    landscape (as wide as kiosk.core.screens.fit.outline_width, as the fit check assumes), under the
    words in portrait."""
    box = BoxLayout(orientation="vertical", spacing=OUTLINE_GAP)
    box.name = "outline"
    lines = BoxLayout(orientation="vertical", spacing=OUTLINE_GAP, size_hint_y=None)
    lines.bind(minimum_height=lines.setter("height"))
    for i, line in enumerate(view.outline):
        lines.add_widget(Text(line, sizes.small, palette.text, bold=i == 0, role="small"))
    box.add_widget(lines)
    box.add_widget(Widget())
    box.size_hint_min_x = outline_width(view.outline, sizes.small, content_w)  # as fit counts
    box.portrait = lines  # stacked under the words: only as tall as the list
    return box
