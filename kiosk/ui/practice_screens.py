"""Kivy drawing of the practice, drill and quiz screens: a panel of instructions beside a phone.

The phone is a copy drawn by the kiosk with plain widgets and canvas shapes (never a screenshot
of anyone's app): a dark frame, a status bar, an orange "Bản tập – không phải thật" strip on
every screen, an app bar, and the elements a practice file describes. Every element the visitor
may tap is a real button with a `tap_label`, so replay scripts and `visible_controls` find it.
Thin like app.py: what to show comes from kiosk.core.screens.practice_views.
"""

from __future__ import annotations

import math
import re

from kivy.core.window import Window
from kivy.graphics import Color, Line, Rectangle
from kivy.graphics import SmoothEllipse as Ellipse  # anti-aliased edges: the window has no MSAA
from kivy.graphics import SmoothRoundedRectangle as RoundedRectangle
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.screens import layout as L
from kiosk.core.content.practice import KEY_DELETE
from kiosk.core.screens.views import Choice, View
from kiosk.ui.app import KioskButton, Text, qr_texture
from kiosk.ui.theme import HIGH_CONTRAST, Palette, Sizes, hex_rgba


WHITE, BLACK = hex_rgba("#FFFFFF"), hex_rgba("#000000")
INK, GREY_INK = hex_rgba("#1B1F24"), hex_rgba("#4A5360")
FRAME, SCREEN_BG = hex_rgba("#202327"), hex_rgba("#F4F6F8")
MARK_BG, MARK_TEXT = hex_rgba("#8A3A00"), WHITE
HINT = hex_rgba("#FFB300")
STYLE_COLORS = {  # the kiosk's own colours, not any brand's artwork
    "phone": hex_rgba("#37474F"), "vneid": hex_rgba("#B3261E"), "dvc": hex_rgba("#0D47A1"),
    "bank": hex_rgba("#1B5E20"), "zalo": hex_rgba("#0B57C5"), "call": hex_rgba("#1C2833"),
}
LIGHT_BUTTON = hex_rgba("#E3E8ED")
CARD_BG = hex_rgba("#00695C")
FEEDBACK = {  # (background, text, border) for normal mode
    "ok": (hex_rgba("#DFF3E4"), hex_rgba("#0B3D1A"), hex_rgba("#2E7D32")),
    "bad": (hex_rgba("#FFF0D4"), hex_rgba("#4A2A00"), hex_rgba("#C25E00")),
    "info": (hex_rgba("#E4ECF5"), hex_rgba("#10243E"), hex_rgba("#0B5CAD")),
}
FEEDBACK_HC = {"ok": hex_rgba("#00FF66"), "bad": hex_rgba("#FFFF00"), "info": hex_rgba("#00FFFF")}
LINK = re.compile(r"(\b[\w-]+(?:\.[\w-]+)+(?:/\S*)?)")


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


def _box(widget: Widget, color, radius=12, border=None, border_width=2):
    """Paint a rounded background (and border) that follows the widget."""
    widget.bg = color  # what the gallery's contrast check reads as the text's background
    with widget.canvas.before:
        c = Color(*color)
        bg = RoundedRectangle(pos=widget.pos, size=widget.size, radius=[radius])
        if border:
            bc = Color(*border)
            line = Line(rounded_rectangle=(*widget.pos, *widget.size, radius), width=border_width)
    def sync(*_):
        bg.pos, bg.size = widget.pos, widget.size
        if border:
            line.rounded_rectangle = (*widget.pos, *widget.size, radius)
    widget.bind(pos=sync, size=sync)
    return c


def _label(text, size, color, bold=False, halign="left", markup=False, **kw) -> Label:
    lbl = Label(text=text, font_size=size, color=color, bold=bold, halign=halign, valign="middle",
                markup=markup, **kw)
    lbl.bind(size=lambda *_: setattr(lbl, "text_size", (lbl.width, None)))
    return lbl


# --- the whole screen ---------------------------------------------------------------------

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
            w = min(holder.height * 0.64, Window.width * share)
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
        _box(strip, palette.primary if hc else MARK_BG, radius=8)
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
        _box(fb, bg, radius=10, border=border, border_width=3)
        panel.add_widget(fb)
    for para in (view.body if view.layout != "panel" else ()):
        panel.add_widget(Text(para, sizes.body * (1.05 if view.phone is not None else 1.1), palette.text))
    if view.choices:
        if view.layout == "grid":
            panel.add_widget(_grid(app, view, palette, sizes, landscape))
        else:
            panel.add_widget(app._choices(view, palette, sizes, landscape))
    panel.add_widget(Widget())
    return panel


def _grid(app, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
    cols = 2 if landscape else 1
    grid = GridLayout(cols=cols, spacing=sizes.gap, size_hint_y=None)
    grid.bind(minimum_height=grid.setter("height"))
    for c in view.choices:  # numbered (the keypad's digit), and in simple mode pictured
        if view.simple:
            from kiosk.ui.a11y import IconTile
            fg = palette.primary_text if c.primary else palette.button_text
            btn = IconTile(c, palette, sizes, app._icon(c.icon, fg), on_release=app._tapped,
                           size_hint_y=None, height=sizes.button * 3 + 24)
        else:
            btn = KioskButton(c, palette, sizes, height=sizes.button * 3 + 24, numbered=True,
                              on_release=app._tapped)
        grid.add_widget(btn)
    return grid


# --- the phone copy ------------------------------------------------------------------------

class PhoneButton(ButtonBehavior, BoxLayout):
    """A tappable element of the phone copy (button, app icon, list row, field, QR...)."""

    def __init__(self, choice: Choice, bg, pressed, hint=False, radius=12, border=None, **kw):
        super().__init__(**kw)
        self.choice = choice
        self.tap_label = choice.label
        self._bg, self._pressed = bg, pressed
        self._color = _box(self, bg, radius=radius, border=border)
        if hint:
            with self.canvas.after:
                Color(*HINT)
                self._hint = Line(rounded_rectangle=(*self.pos, *self.size, radius), width=5)
            self.bind(pos=self._sync_hint, size=self._sync_hint)
            self.hint = True
        self.bind(state=self._show)

    def _sync_hint(self, *_):
        self._hint.rounded_rectangle = (self.x - 6, self.y - 6, self.width + 12, self.height + 12, 14)

    def _show(self, *_):
        self._color.rgba = self._pressed if self.state == "down" else self._bg


class PhoneCopy(FloatLayout):
    """The drawn phone: frame, status bar, practice marker, app bar, elements."""

    def __init__(self, app, phone, palette: Palette, sizes: Sizes, hc: bool, **kw):
        super().__init__(**kw)
        self.app, self.phone, self.hc = app, phone, hc
        self.base_f = min(sizes.body * 0.8, 36)          # phone text size (capped in large text)
        self.f = self.base_f
        self.ink = WHITE if hc else INK
        self.muted = palette.muted if hc else GREY_INK
        self.screen_bg = BLACK if hc else SCREEN_BG
        self.accent = palette.primary if hc else STYLE_COLORS.get(phone.style, STYLE_COLORS["phone"])
        self.bg = self.screen_bg
        self.miniature = True  # a phone's sizes, not the kiosk's (capped in large text)
        self.on_accent = palette.primary_text if hc else WHITE
        with self.canvas.before:
            Color(*FRAME)
            self._frame = RoundedRectangle(radius=[44])
            Color(*self.screen_bg)
            self._glass = RoundedRectangle(radius=[26])
        self.bind(pos=self._sync, size=self._sync)
        self.stack = BoxLayout(orientation="vertical", size_hint=(None, None))
        self.add_widget(self.stack)
        self._build()

    BEZEL_SIDE, BEZEL_TOP, BEZEL_BOTTOM = 16, 34, 26

    def _sync(self, *_):
        x, y, w, h = *self.pos, *self.size
        f = self._fit_text(h - self.BEZEL_TOP - self.BEZEL_BOTTOM)
        if abs(f - self.f) > 0.5:  # a short phone (e.g. captions on): smaller text, keys stay big
            self.f = f
            self.stack.clear_widgets()
            self._build()
        self._frame.pos, self._frame.size = (x, y), (w, h)
        inner = (x + self.BEZEL_SIDE, y + self.BEZEL_BOTTOM,
                 w - 2 * self.BEZEL_SIDE, h - self.BEZEL_TOP - self.BEZEL_BOTTOM)
        self._glass.pos, self._glass.size = inner[:2], inner[2:]
        self.stack.pos, self.stack.size = inner[:2], inner[2:]

    @property
    def key_min(self) -> float:
        """The smallest keypad key: the kiosk's own 20 mm target on the panel (DESIGN.md)."""
        return math.ceil(self.app.panel.mm(L.TARGET_MM)) + 2

    @property
    def key_gap(self) -> float:
        """Space between keypad keys: the kiosk's 5 mm."""
        return math.ceil(self.app.panel.mm(L.GAP_MM)) + 1

    def _fit_text(self, inner_h: float) -> float:
        """Text size that leaves the keypad keys at least key_min high (screens with a keypad)."""
        items = self.phone.items
        if inner_h <= 0 or not any(i.kind == "keypad" for i in items):
            return self.base_f
        per_f = {"sms": 5.4, "field": 3.1, "text": 2.6, "search": 2.8, "payment": 10.0}
        est_f = 5.3 + sum(per_f.get(i.kind, 3.1) for i in items if i.kind not in ("keypad", "button"))
        fixed = 4 * self.key_min + 3 * self.key_gap + 32 + 14 * len(items) + 24
        return max(18.0, min(self.base_f, (inner_h - fixed) / est_f))

    # --- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        p, f = self.phone, self.f
        status = BoxLayout(size_hint_y=None, height=f * 1.3, padding=(18, 0))
        status.add_widget(_label("9:41", f * 0.7, self.ink, bold=True))
        status.add_widget(_label("BẢN TẬP", f * 0.7, self.ink, bold=True, halign="right"))
        self.stack.add_widget(status)
        mark = _label(p.marker.upper(), f * 0.72, BLACK if self.hc else MARK_TEXT, bold=True,
                      halign="center", size_hint_y=None, height=f * 1.6)
        mark.name = "phone_marker"
        # On a narrow phone the marker wraps to two lines: grow with it, or the second line's
        # marks below the letters (the dot of "THẬT") are cut off.
        mark.bind(texture_size=lambda *_: setattr(
            mark, "height", max(f * 1.6, mark.texture_size[1] + f * 0.4)))
        mark.bg = HINT if self.hc else MARK_BG
        with mark.canvas.before:
            Color(*(HINT if self.hc else MARK_BG))
            r = Rectangle()
        mark.bind(pos=lambda *_: setattr(r, "pos", mark.pos), size=lambda *_: setattr(r, "size", mark.size))
        self.stack.add_widget(mark)
        if p.channel:
            self._build_drill()
            return
        bar = BoxLayout(size_hint_y=None, height=f * 2.4, padding=(20, 8))
        _rect(bar, self.accent)
        title = Text(p.title, f * (1.05 if len(p.title) <= 22 else 0.9), self.on_accent, bold=True)
        title.name = "app_title"
        title.bind(height=lambda *_: setattr(bar, "height", max(f * 2.4, title.height + 16)))
        bar.add_widget(title)
        self.stack.add_widget(bar)
        content = BoxLayout(orientation="vertical", padding=(18, 16), spacing=14)
        self.stack.add_widget(content)
        items = list(p.items)
        i = 0
        has_keypad = any(it.kind == "keypad" for it in items)
        while i < len(items):
            it = items[i]
            if it.kind == "app":
                group = []
                while i < len(items) and items[i].kind == "app":
                    group.append(items[i])
                    i += 1
                content.add_widget(self._apps(group))
                continue
            if it.kind == "keypad" and i + 1 < len(items) and items[i + 1].kind == "button":
                # the button right after a keypad sits in its empty corner (as on many phones)
                content.add_widget(self._item_keypad(it, submit=items[i + 1]))
                i += 2
                continue
            w = getattr(self, f"_item_{it.kind}")(it)
            if w is not None:
                content.add_widget(w)
            i += 1
        if not has_keypad:
            content.add_widget(Widget())

    def _tap(self, label: str, tap_id: str, **kw) -> PhoneButton:
        hint = self.phone.hint == tap_id
        btn = PhoneButton(Choice(label, "p_tap", tap_id), hint=hint, **kw)
        btn.bind(on_release=self.app._tapped)
        return btn

    # --- practice elements -----------------------------------------------------------------

    def _item_text(self, it):
        scale = {"small": 0.8, "big": 1.2}.get(it.style, 1)
        color = {"success": hex_rgba("#1B5E20"), "warning": hex_rgba("#8A3A00")}.get(it.style, self.ink)
        if self.hc:
            color = {"success": FEEDBACK_HC["ok"], "warning": FEEDBACK_HC["bad"]}.get(it.style, self.ink)
        return Text(it.text, self.f * scale, color, bold=it.style in ("big", "success", "warning"))

    def _item_button(self, it):
        if it.primary:
            bg, fg = self.accent, self.on_accent
        else:
            bg, fg = (BLACK if self.hc else LIGHT_BUTTON), self.ink
        btn = self._tap(it.label, it.id, bg=bg, pressed=hex_rgba("#9FB8D6"), size_hint_y=None,
                        height=self.f * 3.1, radius=14, border=(self.accent if self.hc else None))
        btn.add_widget(_label(it.label, self.f * 1.05, fg, bold=True, halign="center"))
        return btn

    def _apps(self, group):
        grid = GridLayout(cols=2, spacing=14, size_hint_y=None)
        rows = -(-len(group) // 2)
        tile_h = self.f * 5.4  # room for a two-line name under the icon
        grid.height = rows * tile_h + (rows - 1) * 14
        for it in group:
            tile = self._tap(it.label, it.id, bg=(BLACK if self.hc else hex_rgba("#FFFFFF")),
                             pressed=hex_rgba("#9FB8D6"), orientation="vertical", padding=8,
                             radius=16, border=(self.accent if self.hc else hex_rgba("#CFD8DC")))
            icon = Widget(size_hint_y=0.5)
            letters = it.label[:1].upper()
            color = STYLE_COLORS["vneid"] if it.id and "vneid" in it.id and not self.hc else self.accent
            _icon(icon, color, letters, self.f, self.on_accent if self.hc else WHITE)
            tile.add_widget(icon)
            tile.add_widget(_label(it.label, self.f * 0.85, self.ink, bold=True, halign="center",
                                   size_hint_y=0.5))
            grid.add_widget(tile)
        return grid

    def _item_field(self, it):
        box = BoxLayout(orientation="vertical", size_hint_y=None, height=self.f * 3.1, spacing=4)
        box.add_widget(_label(it.label, self.f * 0.8, self.muted, size_hint_y=0.35))
        value = self.phone.value_of(it.id) or ""
        typing = self.phone.typing == it.id
        if it.secret and value and (typing or it.value is None or value != it.value):
            shown = "● " * len(value)
        else:
            shown = value
        if typing:
            shown = (" ".join(value) if not it.secret else shown) + "|"
            shown = shown if value else "Gõ bằng bàn phím số bên dưới"
        field = _label(shown, self.f * (1.15 if typing and value else 0.9),
                       self.ink if value else self.muted, bold=bool(typing and value),
                       size_hint_y=0.65, padding=(14, 0))
        field.name = f"field_{it.id}"
        field.typed = value if typing else None
        _box(field, BLACK if self.hc else WHITE, radius=10,
             border=self.accent if typing else (hex_rgba("#90A4AE") if not self.hc else WHITE),
             border_width=3 if typing else 1.5)
        box.add_widget(field)
        return box

    def _item_search(self, it):
        filled = it.id in self.phone.filled
        btn = self._tap(it.label, it.id, bg=(BLACK if self.hc else WHITE), pressed=hex_rgba("#DCE6F2"),
                        size_hint_y=None, height=self.f * 2.8, radius=28, padding=(20, 0),
                        border=self.accent)
        btn.add_widget(_label(it.text if filled else it.label, self.f,
                              self.ink if filled else self.muted, bold=filled))
        return btn

    def _item_keypad(self, it, submit=None):
        grid = GridLayout(cols=3, spacing=self.key_gap, size_hint_y=1,
                          size_hint_min_y=4 * self.key_min + 3 * self.key_gap)
        keys = list("123456789") + [KEY_DELETE, "0", None]
        for k in keys:
            if k is None:
                if submit is not None:
                    btn = self._item_button(submit)
                    btn.size_hint_y = 1
                    grid.add_widget(btn)
                else:
                    grid.add_widget(Widget())
                continue
            arg = "del" if k == KEY_DELETE else k
            btn = PhoneButton(Choice(k, "p_key", arg), bg=(BLACK if self.hc else hex_rgba("#FFFFFF")),
                              pressed=hex_rgba("#9FB8D6"), radius=12,
                              border=(WHITE if self.hc else hex_rgba("#B0BEC5")))
            btn.add_widget(_label(k, self.f * (1.3 if k != KEY_DELETE else 0.95), self.ink,
                                  bold=True, halign="center"))
            btn.bind(on_release=self.app._tapped)
            grid.add_widget(btn)
        return grid

    def _item_list(self, it):
        box = BoxLayout(orientation="vertical", spacing=10, size_hint_y=None)
        box.bind(minimum_height=box.setter("height"))
        for r in it.rows:
            row = self._tap(r.label, r.id, bg=(BLACK if self.hc else WHITE), pressed=hex_rgba("#DCE6F2"),
                            orientation="vertical", padding=(18, 8), size_hint_y=None,
                            height=self.f * (3.4 if r.detail else 2.5), radius=10,
                            border=(self.accent if self.hc else hex_rgba("#CFD8DC")))
            row.add_widget(_label(r.label, self.f, self.ink, bold=True))
            if r.detail:
                row.add_widget(_label(r.detail, self.f * 0.78, self.muted))
            box.add_widget(row)
        return box

    def _card_body(self, holder, it, fg):
        holder.add_widget(Text(it.title, self.f * 0.95, fg, bold=True))
        for line in it.lines:
            holder.add_widget(Text(line, self.f * 0.8, fg))
        holder.bind(minimum_height=holder.setter("height"))  # as tall as its lines, never cut

    def _item_card(self, it):
        h = self.f * (2.2 + 1.5 * len(it.lines)) + 20
        bg = BLACK if self.hc else CARD_BG
        fg = WHITE
        if it.id:
            card = self._tap(it.title, it.id, bg=bg, pressed=hex_rgba("#26A69A"), orientation="vertical",
                             padding=(18, 10), size_hint_y=None, height=h, radius=14,
                             border=(WHITE if self.hc else None))
        else:
            card = BoxLayout(orientation="vertical", padding=(18, 10), size_hint_y=None, height=h)
            _box(card, bg, radius=14)
        self._card_body(card, it, fg)
        return card

    def _item_qr(self, it):
        size = self.f * 9
        anchor = AnchorLayout(size_hint_y=None, height=size + 20)
        btn = self._tap(it.label, it.id, bg=hex_rgba("#263238"), pressed=hex_rgba("#455A64"),
                        size_hint=(None, None), size=(size, size), padding=size * 0.14, radius=12)
        btn.add_widget(Image(texture=qr_texture("BẢN TẬP – KHÔNG PHẢI MÃ THẬT"), fit_mode="contain"))
        with btn.canvas.after:  # viewfinder corners
            Color(*WHITE)
            corners = [Line(width=3) for _ in range(4)]
        def sync(*_):
            x, y, w, h = *btn.pos, *btn.size
            d = w * 0.16
            corners[0].points = [x + 6, y + d, x + 6, y + 6, x + d, y + 6]
            corners[1].points = [x + w - d, y + 6, x + w - 6, y + 6, x + w - 6, y + d]
            corners[2].points = [x + 6, y + h - d, x + 6, y + h - 6, x + d, y + h - 6]
            corners[3].points = [x + w - d, y + h - 6, x + w - 6, y + h - 6, x + w - 6, y + h - d]
        btn.bind(pos=sync, size=sync)
        anchor.add_widget(btn)
        return anchor

    def _item_attach(self, it):
        filled = it.id in self.phone.filled
        btn = self._tap(it.label, it.id, bg=(BLACK if self.hc else WHITE), pressed=hex_rgba("#DCE6F2"),
                        orientation="horizontal", padding=(16, 10), spacing=16, size_hint_y=None,
                        height=self.f * 4.2, radius=12,
                        border=(self.accent if (filled or self.hc) else hex_rgba("#78909C")))
        pic = Widget(size_hint_x=0.32)
        _paper(pic, filled, self.accent)
        btn.add_widget(pic)
        words = BoxLayout(orientation="vertical", size_hint_y=None)
        words.bind(minimum_height=words.setter("height"))
        words.bind(height=lambda *_: setattr(btn, "height", max(self.f * 4.2, words.height + 20)))
        words.add_widget(Text(it.label if not filled else "Ảnh giấy tờ (bản tập)", self.f * 0.95,
                              self.ink, bold=True))
        words.add_widget(Text("Đã đính kèm" if filled else "Chạm để chụp ảnh", self.f * 0.8,
                              (hex_rgba("#1B5E20") if not self.hc else FEEDBACK_HC["ok"]) if filled else self.muted,
                              bold=filled))
        holder = AnchorLayout()  # the words in the middle of the row
        holder.add_widget(words)
        btn.add_widget(holder)
        return btn

    def _item_payment(self, it):
        rows = [("Người nhận", it.recipient, True), ("Số tiền", it.amount, True)]
        if it.bank:
            rows.append(("Ngân hàng", it.bank, False))
        if it.note:
            rows.append(("Nội dung", it.note, False))
        box = BoxLayout(orientation="vertical", padding=(18, 10), spacing=4, size_hint_y=None)
        box.bind(minimum_height=box.setter("height"))  # as tall as its words, never cut
        _box(box, BLACK if self.hc else WHITE, radius=12, border=(WHITE if self.hc else hex_rgba("#CFD8DC")))
        for name, value, big in rows:
            box.add_widget(Text(name, self.f * 0.72, self.muted))
            lbl = Text(value, self.f * (1.15 if big else 0.9), self.ink, bold=big)
            lbl.name = f"payment_{name}"
            box.add_widget(lbl)
        return box

    def _item_sms(self, it):
        """An incoming SMS notification at the top of the screen, as on a real phone."""
        banner = BoxLayout(orientation="vertical", padding=(16, 10), spacing=4, size_hint_y=None)
        banner.bind(minimum_height=banner.setter("height"))
        _box(banner, hex_rgba("#263238") if not self.hc else BLACK, radius=16,
             border=(HINT if self.hc else None))
        banner.add_widget(Text(f"Tin nhắn · {it.sender}", self.f * 0.72, hex_rgba("#B0BEC5"), bold=True))
        big = int(self.f * 1.1)
        shown = re.sub(r"(\d{4,})", lambda m: f"[b][size={big}]{m.group(1)}[/size][/b]", it.text)
        msg = Text(shown, self.f * 0.85, WHITE, markup=True)
        msg.name = "sms_text"
        banner.add_widget(msg)
        return banner

    # --- drills: a call, an SMS or a Zalo chat ---------------------------------------------

    def _build_drill(self):
        p, f = self.phone, self.f
        caller = p.items[0]
        bubbles = [i.text for i in p.items[1:]]
        call = p.channel in ("call", "video_call")
        bg = BLACK if self.hc else (STYLE_COLORS["call"] if call else SCREEN_BG)
        area = BoxLayout(orientation="vertical", padding=(18, 14), spacing=14)
        _rect(area, bg)
        if call:
            head = BoxLayout(orientation="vertical", size_hint_y=None, spacing=6)
            head.bind(minimum_height=head.setter("height"))  # as tall as its words, never cut
            avatar = Widget(size_hint_y=None, height=f * 3.6)
            _icon(avatar, hex_rgba("#546E7A"), "?", f * 1.4, WHITE, round_=True)
            head.add_widget(avatar)
            head.add_widget(Text(caller.sender, f * 1.05, WHITE, bold=True, halign="center"))
            head.add_widget(Text(f"{caller.text} · đang nghe máy", f * 0.8, hex_rgba("#B0BEC5"),
                                 halign="center"))
            area.add_widget(head)
        else:
            bar = BoxLayout(size_hint_y=None, height=f * 2.6, padding=(14, 0), spacing=12)
            _rect(bar, self.accent)
            av = Widget(size_hint_x=None, width=f * 1.9)
            _icon(av, WHITE if not self.hc else BLACK, caller.sender[:1].upper(), f * 0.9,
                  self.accent if not self.hc else HINT, round_=True)
            bar.add_widget(av)
            who = _label(f"{caller.sender}\n[size={int(f * 0.7)}]{caller.text}[/size]", f * 0.95,
                         self.on_accent, bold=True, markup=True)
            who.bind(texture_size=lambda *_: setattr(bar, "height", max(f * 2.6, who.texture_size[1] + 12)))
            bar.add_widget(who)
            self.stack.add_widget(bar)
        for text in bubbles:
            area.add_widget(self._bubble(text, call))
        area.add_widget(Widget())
        self.stack.add_widget(area)

    def _bubble(self, text, call: bool):
        fg = WHITE if (call or self.hc) else INK
        shown = LINK.sub(lambda m: f"[u][color=#1565C0]{m.group(1)}[/color][/u]", text) if not (call or self.hc) else text
        prefix = "Người gọi: " if call else ""
        lbl = Text(prefix + shown, self.f * 0.9, fg, markup=True, padding=(16, 12))
        lbl.name = "drill_message"
        bg = hex_rgba("#2E4053") if call else (hex_rgba("#FFFFFF") if not self.hc else BLACK)
        _box(lbl, bg, radius=16, border=(WHITE if self.hc else (None if call else hex_rgba("#CFD8DC"))))
        return lbl


# --- little drawings --------------------------------------------------------------------------

def _rect(widget, color):
    widget.bg = color
    with widget.canvas.before:
        Color(*color)
        r = Rectangle(pos=widget.pos, size=widget.size)
    widget.bind(pos=lambda *_: setattr(r, "pos", widget.pos), size=lambda *_: setattr(r, "size", widget.size))


def _icon(widget, color, letters, f, fg, round_=False):
    """A square (or round) icon with one or two letters: drawn, not any app's logo."""
    lbl = Label(text=letters, font_size=f * 1.1, bold=True, color=fg)
    lbl.bg = color  # the drawn shape behind the letters (the gallery's contrast check)
    with widget.canvas:
        Color(*color)
        shape = Ellipse() if round_ else RoundedRectangle(radius=[16])
    widget.add_widget(lbl)
    def sync(*_):
        s = min(widget.width, widget.height) * 0.92
        x = widget.x + (widget.width - s) / 2
        y = widget.y + (widget.height - s) / 2
        shape.pos, shape.size = (x, y), (s, s)
        lbl.size, lbl.pos = (s, s), (x, y)  # exactly on the shape (not through center)
    widget.bind(pos=sync, size=sync)


def _paper(widget, filled: bool, accent):
    """A sheet of paper with lines (the attached 'photo'), or a dashed empty frame."""
    with widget.canvas:
        if filled:
            Color(*hex_rgba("#ECEFF1"))
            bg = Rectangle()
            Color(*WHITE)
            sheet = Rectangle()
            Color(*hex_rgba("#90A4AE"))
            lines = [Line(width=2) for _ in range(5)]
            Color(*accent)
            stamp = Line(width=2)
        else:
            Color(*hex_rgba("#78909C"))
            frame = Line(width=2, dash_length=8, dash_offset=6)
            plus = [Line(width=3), Line(width=3)]
    def sync(*_):
        x, y, w, h = *widget.pos, *widget.size
        if filled:
            bg.pos, bg.size = (x, y), (w, h)
            sx, sy, sw, sh = x + w * 0.18, y + h * 0.08, w * 0.64, h * 0.84
            sheet.pos, sheet.size = (sx, sy), (sw, sh)
            for i, ln in enumerate(lines):
                yy = sy + sh * (0.82 - i * 0.15)
                ln.points = [sx + sw * 0.12, yy, sx + sw * (0.88 if i % 2 == 0 else 0.6), yy]
            stamp.circle = (sx + sw * 0.72, sy + sh * 0.2, min(sw, sh) * 0.12)
        else:
            frame.rectangle = (x + 4, y + 4, w - 8, h - 8)
            cx, cy, r = x + w / 2, y + h / 2, min(w, h) * 0.18
            plus[0].points = [cx - r, cy, cx + r, cy]
            plus[1].points = [cx, cy - r, cx, cy + r]
    widget.bind(pos=sync, size=sync)
