"""Kivy drawing of the practice, drill and quiz screens: a panel of instructions beside a phone.

The phone is a copy drawn by the kiosk with plain widgets and canvas shapes (never a screenshot
of anyone's app): a dark frame, a status bar, an orange "Bản tập – không phải thật" strip on
every screen, an app bar, and the elements a practice file describes. Every element the visitor
may tap is a real button with a `tap_label`, so replay scripts and `visible_controls` find it.
Thin like app.py: what to show comes from kiosk.core.screens.practice_views; the phone copy
is drawn by phone_copy.py (shared with the pictures of lesson steps), with the colours and
shapes of phone_draw.py.
"""

from __future__ import annotations

from kivy.core.window import Window
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.screens.view import View
from kiosk.ui.a11y import IconTile
from kiosk.ui.phone_copy import PhoneCopy
from kiosk.ui.phone_draw import BLACK, FEEDBACK, FEEDBACK_HC, MARK_BG, MARK_TEXT, WHITE, draw_box
from kiosk.ui.theme import HIGH_CONTRAST, Palette, Sizes
from kiosk.ui.widgets import KioskButton, Text



def handles(view: View) -> bool:
    return view.phone is not None or view.feedback is not None or view.layout in ("grid", "panel")


def shot_suffix(state) -> str:
    a = getattr(state, "activity", None)
    if state.screen == "practice" and a is not None:
        return f"-{a.practice}-{a.step + 1}"
    if state.screen == "drill" and a is not None:
        return f"-{a.drill}"
    if state.screen == "quiz" and a is not None:
        return f"-{a.lesson}-{a.index + 1}"
    return ""


def shot_key(state):
    """What makes a practice/drill/quiz screen new for --screenshots (not every typed digit)."""
    return shot_suffix(state), getattr(getattr(state, "activity", None), "feedback", None)


def body(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
    hc = palette == HIGH_CONTRAST
    panel = _panel(app, view, palette, sizes, landscape)
    if view.phone is None:
        return panel
    phone = PhoneCopy(app, view.phone, palette, sizes, hc)
    if landscape:
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap * 2)
        row.add_widget(panel)
        holder = AnchorLayout(size_hint_x=None)
        holder.add_widget(phone)
        def fit(*_):
            share = 0.42 if sizes.body < Sizes().body * 1.2 else 0.36  # large text: wider panel
            # the window's height, not the holder's: in a scroll region (kiosk.ui.scroll_fit)
            # a taller holder must not widen the phone and squeeze the words beside it
            w = min(min(holder.height, Window.height) * 0.64, Window.width * share)
            holder.width = w
            phone.size_hint = (None, None)
            phone.size = (w, holder.height)
        holder.bind(height=fit)
        fit()
        row.add_widget(holder)
        return row
    col = BoxLayout(orientation="vertical", spacing=sizes.gap)
    panel.size_hint_y = None
    panel.bind(minimum_height=panel.setter("height"))
    col.add_widget(panel)
    holder = AnchorLayout()
    phone.size_hint = (None, None)
    def fit_portrait(*_):
        h = holder.height
        # never narrower than its keypad at the kiosk's 20 mm keys and 5 mm gaps
        keypad_w = 3 * phone.key_min + 2 * phone.key_gap + 36 + 2 * phone.BEZEL_SIDE
        phone.size = (min(max(h * 0.6, keypad_w), holder.width), h)
    holder.bind(size=fit_portrait)
    holder.add_widget(phone)
    col.add_widget(holder)
    return col


def _panel(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> BoxLayout:
    hc = palette == HIGH_CONTRAST
    panel = BoxLayout(orientation="vertical", spacing=sizes.gap * 0.75)
    head = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=sizes.gap)
    if view.phone is not None:  # smaller: the screen below needs the room; wrapped, never cut
        title = Text(view.title, sizes.body, palette.text, bold=True)
    else:
        title = Text(view.title, sizes.title, palette.text, bold=True)
    head.add_widget(title)
    if view.progress:
        prog = Label(text=view.progress, font_size=sizes.progress, bold=True, color=palette.text,
                     size_hint=(None, None))
        prog.role = "progress"
        prog.bind(texture_size=lambda *_: setattr(prog, "size", prog.texture_size))
        head.add_widget(prog)
    title.bind(height=lambda *_: setattr(head, "height", max(title.height, sizes.progress * 1.4)))
    panel.add_widget(head)
    if view.phone is not None:
        strip = Text(view.phone.marker.upper(), sizes.small, BLACK if hc else MARK_TEXT, bold=True,
                     halign="center", padding=(12, 10), role="small")
        strip.name = "practice_marker"
        draw_box(strip, palette.primary if hc else MARK_BG, radius=8)
        panel.add_widget(strip)
    if view.layout == "panel":  # quiz: the question and the answer first, then the verdict
        for para in view.body:
            panel.add_widget(Text(para, sizes.body * 1.1, palette.text))
    if view.feedback:
        kind, text = view.feedback
        if hc:
            bg, fg, border = BLACK, WHITE, FEEDBACK_HC.get(kind, WHITE)
        else:
            bg, fg, border = FEEDBACK.get(kind, FEEDBACK["info"])
        fb = Text(text, sizes.body, fg, bold=True, padding=(20, 12))
        fb.name = f"feedback_{kind}"
        draw_box(fb, bg, radius=10, border=border, border_width=3)
        panel.add_widget(fb)
    for para in (view.body if view.layout != "panel" else ()):
        panel.add_widget(Text(para, sizes.body * (1.05 if view.phone is not None else 1.1), palette.text))
    if view.choices:
        if view.layout == "grid":
            panel.add_widget(_grid(app, view, palette, sizes, landscape))
        else:
            panel.add_widget(app.choice_buttons(view, palette, sizes, landscape))
    panel.add_widget(Widget())
    return panel


def _grid(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
    cols = 2 if landscape else 1
    grid = GridLayout(cols=cols, spacing=sizes.gap, size_hint_y=None)
    grid.bind(minimum_height=grid.setter("height"))
    for c in view.choices:  # numbered (the keypad's digit), and in simple mode pictured
        if view.simple:
            fg = palette.primary_text if c.primary else palette.button_text
            btn = IconTile(c, palette, sizes, app.icon_file(c.icon, fg), on_release=app.tap_choice,
                           size_hint_y=None, height=sizes.button * 3 + 24)
        else:
            btn = KioskButton(c, palette, sizes, height=sizes.button * 3 + 24, numbered=True,
                              on_release=app.tap_choice)
        grid.add_widget(btn)
    return grid
