"""Kivy drawing of a lesson step with its picture: the words and the picture share the screen.

Landscape: the words at the left, the picture at the right; portrait: the words above, the
picture below. The words keep the body size of a text-only step (≥ 32 px at 1080p, ×1.6 in
large text). A screen picture is the practice copies' phone (kiosk.ui.phone_copy) marked
"Hình minh họa", with the control to touch ringed and pointed at; a real-world step shows a
pictogram (kiosk.ui.pictograms). Nothing in a picture is tappable. Thin: what to show comes from
kiosk.core.step_picture.
"""

from __future__ import annotations

from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.core.step_picture import MARKER, phone_of
from kiosk.core.views import View
from kiosk.ui.app import Text
from kiosk.ui.phone_copy import PhoneCopy
from kiosk.ui.phone_shapes import BLACK, MARK_BG, MARK_TEXT, paint_box
from kiosk.ui.pictograms import Pictogram
from kiosk.ui.theme import Palette, Sizes

PHONE_RATIO = 0.6      # a phone's width to its height
SIDE_SHARE = 0.46      # landscape: at most this share of the content width for the picture


def handles(view: View) -> bool:
    return view.screen == "step" and view.picture is not None


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
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap * 2)
        left = BoxLayout(orientation="vertical")
        left.add_widget(words)
        left.add_widget(Widget())
        row.add_widget(left)
        holder.size_hint_x = None

        def fit(*_):
            h = holder.height
            w = min(h * PHONE_RATIO, row.width * SIDE_SHARE) if phone else min(h, row.width * 0.4)
            holder.width = w
            picture.size = (w, h if phone else min(h, w * 1.25))
        row.bind(size=fit)
        row.add_widget(holder)
        return row
    col = BoxLayout(orientation="vertical", spacing=sizes.gap)
    col.add_widget(words)

    def fit_portrait(*_):
        h = holder.height
        w = min(h * PHONE_RATIO, holder.width * 0.9) if phone else min(holder.width * 0.7, h * 0.8)
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
        paint_box(self, BLACK if hc else (1, 1, 1, 1), radius=24,
                  border=palette.primary if hc else palette.muted, border_width=3)
        mark = Text(MARKER.upper(), sizes.body * 0.6, BLACK if hc else MARK_TEXT, bold=True,
                    halign="center", padding=(8, 6))
        mark.name, mark.role = "picture_marker", "picture"
        paint_box(mark, palette.primary if hc else MARK_BG, radius=8)
        self.add_widget(mark)
        self.add_widget(Pictogram(picture.sign, hc))
        if picture.label:
            self.add_widget(Text(picture.label, sizes.body, palette.text, bold=True, halign="center"))
