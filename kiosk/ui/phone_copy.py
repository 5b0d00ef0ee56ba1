"""The drawn phone: a copy of an app screen built from the practice files' element kinds.

A dark frame, a status bar, a marker strip ("Bản tập – không phải thật" on a practice copy,
"Hình minh họa" on a lesson step's picture), an app bar, and the elements (button, field,
keypad, list, card, QR, SMS...). On a practice copy every element the visitor may tap is a real
button with a `tap_label`, so replay scripts and `visible_controls` find it; on a step picture
(`illustration=True`) nothing is tappable and the element to touch is ringed and pointed at.
Shared by kiosk.ui.practice_screens and kiosk.ui.step_pictures (never a screenshot of an app).
"""

from __future__ import annotations

import math
import re

from kivy.clock import Clock
from kivy.graphics import Color, Line, Rectangle
from kivy.uix.anchorlayout import AnchorLayout
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.widget import Widget

from kiosk.core.content.practice import KEY_DELETE
from kiosk.core.screens import layout as L
from kiosk.core.screens.view import Choice
from kiosk.ui.phone_draw import (
    BLACK, CARD_BG, FEEDBACK_HC, FRAME, GREY_INK, HINT, INK, LIGHT_BUTTON, MARK_BG, MARK_TEXT,
    SCREEN_BG, STYLE_COLORS, WHITE, RoundedRectangle, draw_box, draw_icon, draw_paper, draw_rect,
    phone_label, pointer, ring,
)
from kiosk.ui.phone_drill import DrillDrawing
from kiosk.ui.picture_fit import (LINE, RING_OUT, card_height, card_label_heights, key_row,
                                  lines, payment_height, picture_f, row_height, row_parts)
from kiosk.ui.theme import Palette, Sizes, hex_rgba
from kiosk.ui.widgets import Text, qr_texture


# --- the phone copy ------------------------------------------------------------------------

class PhoneButton(ButtonBehavior, BoxLayout):
    """An element of the phone copy (button, app icon, list row, field, QR...). `live`: a
    practice element the visitor taps; not live: part of a picture, which takes no touch."""

    def __init__(self, choice: Choice, bg, pressed, hint=False, radius=12, border=None,
                 live=True, **kw):
        super().__init__(**kw)
        self.choice, self.live = choice, live
        if live:
            self.tap_label = choice.label
        self._bg, self._pressed = bg, pressed
        self._color = draw_box(self, bg, radius=radius, border=border)
        if hint:
            with self.canvas.after:
                Color(*HINT)
                self._hint = Line(rounded_rectangle=(*self.pos, *self.size, radius),
                                  width=5 if live else 7)
            self.bind(pos=self._sync_hint, size=self._sync_hint)
            self.hint = True
            if not live:  # a picture: a pointer at the control to touch, as well as the ring
                self.pointer = pointer(self)
        self.bind(state=self._show)

    def on_touch_down(self, touch):
        return super().on_touch_down(touch) if self.live else False

    def _sync_hint(self, *_):
        self._hint.rounded_rectangle = (self.x - 6, self.y - 6, self.width + 12, self.height + 12, 14)

    def _show(self, *_):
        self._color.rgba = self._pressed if self.state == "down" else self._bg


def mark_as_picture(root: Widget) -> None:
    """The words drawn inside a picture take the role "picture": part of the drawing, sized to
    fit its frame (picture_fit), not to the kiosk's text roles."""
    for w in root.walk(restrict=True):
        if hasattr(w, "texture_size"):
            w.role = "picture"


class PhoneCopy(DrillDrawing, FloatLayout):
    """The drawn phone: frame, status bar, practice marker, app bar, elements."""

    def __init__(self, app, phone, palette: Palette, sizes: Sizes, hc: bool,
                 illustration: bool = False, **kw):
        super().__init__(**kw)
        self.app, self.phone, self.hc, self.illustration = app, phone, hc, illustration
        # phone text size: capped in large text on a practice (its keypad needs the room); a
        # step's picture grows with large text, since it is there to be looked at
        self.base_f = sizes.body * 0.75 if illustration else min(sizes.body * 0.8, 36)
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
        self.built = False
        self._fit_later = Clock.create_trigger(self._fit_picture, -1)
        if not illustration:  # a picture is built once its frame is known (_sync): its text
            self._build()     # size depends on the frame, and building twice costs a tap's time
            self.built = True

    BEZEL_SIDE, BEZEL_TOP, BEZEL_BOTTOM = 16, 34, 26
    BEZEL = (2 * BEZEL_SIDE, BEZEL_TOP + BEZEL_BOTTOM)  # the frame's width and height off the glass

    def _sync(self, *_):
        x, y, w, h = *self.pos, *self.size
        if self.illustration:  # a step's picture: built once the layout has settled its size
            self._fit_later()
        else:
            self._refit(self._fit_text(h - self.BEZEL_TOP - self.BEZEL_BOTTOM))
        self._frame.pos, self._frame.size = (x, y), (w, h)
        inner = (x + self.BEZEL_SIDE, y + self.BEZEL_BOTTOM,
                 w - 2 * self.BEZEL_SIDE, h - self.BEZEL_TOP - self.BEZEL_BOTTOM)
        self._glass.pos, self._glass.size = inner[:2], inner[2:]
        self.stack.pos, self.stack.size = inner[:2], inner[2:]

    def _refit(self, f: float) -> None:
        # a picture is built again only when its words must shrink to fit, or could grow by 8%
        again = (f < self.f - 0.5 or f > self.f * 1.08) if self.illustration else abs(f - self.f) > 0.5
        if again or not self.built:  # a short phone (e.g. captions on): smaller text, keys stay big
            self.f = f
            rebuilt = self.built
            self.stack.clear_widgets()
            self._build()
            self.built = True
            if rebuilt and hasattr(self.app, "show_focus_in"):  # the keypad focus was on the old widgets
                self.app.show_focus_in(self.stack)

    def _fit_picture(self, *_):
        """The whole screen fits its frame, whatever the mode (picture_fit); run once per frame
        at most, after the layout has given the phone its size (building is the costly part)."""
        w, h = self.width - 2 * self.BEZEL_SIDE, self.height - self.BEZEL_TOP - self.BEZEL_BOTTOM
        self.inner_w = w
        if (w, h) == getattr(self, "_fitted", None):  # back at the size it was built for: a
            return  # new screen's layout passes through other sizes first (steps built ahead)
        if w > 1 and h > 1:
            self._fitted = (w, h)
            self._refit(picture_f(self.phone, self.base_f, w, h))


    @property
    def key_min(self) -> float:
        """The smallest keypad key: the kiosk's own 20 mm target on the panel (DESIGN.md)."""
        if self.illustration:  # a step's picture: keys are drawn, not touched (picture_fit.key_row)
            return key_row(self.f)
        return math.ceil(self.app.panel.mm(L.TARGET_MM)) + 2

    @property
    def key_gap(self) -> float:
        """Space between keypad keys: the kiosk's 5 mm."""
        if self.illustration:
            return 10
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
        status.add_widget(phone_label("9:41", f * 0.7, self.ink, bold=True))
        status.add_widget(phone_label("" if self.illustration else "BẢN TẬP", f * 0.7, self.ink,
                                     bold=True, halign="right"))
        self.stack.add_widget(status)
        mark = phone_label(p.marker.upper(), f * 0.72, BLACK if self.hc else MARK_TEXT, bold=True,
                      halign="center", size_hint_y=None, height=f * 1.6)
        mark.name = "phone_marker"
        # On a narrow phone the marker wraps to two lines: grow with it, or the second line's
        # marks below the letters (the dot of "THẬT") are cut off.
        mark.bind(texture_size=lambda *_: setattr(
            mark, "height", max(f * 1.6, mark.texture_size[1] + f * 0.4)))
        mark.bg = HINT if self.hc else MARK_BG
        with mark.canvas.before:
            Color(*mark.bg)
            r = Rectangle()
        mark.bind(pos=lambda *_: setattr(r, "pos", mark.pos), size=lambda *_: setattr(r, "size", mark.size))
        self.stack.add_widget(mark)
        if p.channel:
            self._build_drill()
            return
        bar = BoxLayout(size_hint_y=None, height=f * 2.4, padding=(20, 8))
        draw_rect(bar, self.accent)
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
        if self.illustration:
            mark_as_picture(self.stack)

    def _tap(self, label: str, tap_id: str, **kw) -> PhoneButton:
        hint = self.phone.hint == tap_id
        btn = PhoneButton(Choice(label, "p_tap", tap_id), hint=hint, live=not self.illustration, **kw)
        if not self.illustration:
            btn.bind(on_release=self.app.tap_choice)
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
        words = phone_label(it.label, self.f * 1.05, fg, bold=True, halign="center")
        btn.add_widget(words)
        if self.illustration:  # a long label wraps: the button grows with it (picture_fit)
            words.bind(texture_size=lambda *_: setattr(
                btn, "height", max(self.f * 3.1, words.texture_size[1] + 16)))
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
            vneid = it.id and "vneid" in it.id and not self.hc  # high contrast: yellow, black letters
            color = STYLE_COLORS["vneid"] if vneid else self.accent
            draw_icon(icon, color, letters, self.f, self.on_accent if self.hc else WHITE)
            tile.add_widget(icon)
            tile.add_widget(phone_label(it.label, self.f * 0.85, self.ink, bold=True, halign="center",
                                   size_hint_y=0.5))
            grid.add_widget(tile)
        return grid

    def _item_field(self, it):
        ringed = self.illustration and self.phone.hint == it.id  # its ring clear of its label
        out = RING_OUT if ringed else 0
        box = BoxLayout(orientation="vertical", size_hint_y=None, height=self.f * 3.1 + out,
                        spacing=4 + out)
        box.focus_choice = Choice(it.label, "p_field", it.id)  # keypad focus: around label and box
        box.add_widget(phone_label(it.label, self.f * 0.8, self.muted, size_hint_y=0.35))
        value = self.phone.value_of(it.id) or ""
        typing = self.phone.typing == it.id
        if it.secret and value and (typing or it.value is None or value != it.value):
            shown = "● " * len(value)
        else:
            shown = value
        if typing:
            shown = (" ".join(value) if not it.secret else shown) + "|"
            shown = shown if value else "Gõ bằng bàn phím số bên dưới"
        field = phone_label(shown, self.f * (1.15 if typing and value else 0.9),
                       self.ink if value else self.muted, bold=bool(typing and value),
                       size_hint_y=0.65, padding=(14, 0))
        field.name = f"field_{it.id}"
        field.typed = value if typing else None
        if not self.illustration:  # a hint that wraps in a narrow phone ("Gõ bằng bàn phím số
            # bên dưới" in large text): the box grows with it, never draws it outside
            field.bind(texture_size=lambda *_: setattr(box, "height", max(
                self.f * 3.1, (field.texture_size[1] + 8) / 0.65 + 4)))
        draw_box(field, BLACK if self.hc else WHITE, radius=10,
             border=self.accent if typing else (hex_rgba("#90A4AE") if not self.hc else WHITE),
             border_width=3 if typing else 1.5)
        if ringed:  # a picture: the box to touch
            ring(field)
            field.hint = True
            field.pointer = pointer(field)
        box.add_widget(field)
        return box

    def _item_search(self, it):
        filled = it.id in self.phone.filled
        btn = self._tap(it.label, it.id, bg=(BLACK if self.hc else WHITE), pressed=hex_rgba("#DCE6F2"),
                        size_hint_y=None, height=self.f * 2.8, radius=28, padding=(20, 0),
                        border=self.accent)
        btn.add_widget(phone_label(it.text if filled else it.label, self.f,
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
                              pressed=hex_rgba("#9FB8D6"), radius=12, live=not self.illustration,
                              border=(WHITE if self.hc else hex_rgba("#B0BEC5")))
            btn.add_widget(phone_label(k, self.f * (1.3 if k != KEY_DELETE else 0.95), self.ink,
                                  bold=True, halign="center"))
            if not self.illustration:
                btn.bind(on_release=self.app.tap_choice)
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
            label = phone_label(r.label, self.f, self.ink, bold=True)
            row.add_widget(label)
            detail = None
            if r.detail:
                detail = phone_label(r.detail, self.f * 0.78, self.muted)
                row.add_widget(detail)
            if not self.illustration:  # a practice copy: a label that wraps makes its row taller
                base = row.height
                label.size_hint_y = None
                def grow(*_, row=row, label=label, detail=detail, base=base):
                    label.height = label.texture_size[1]
                    extra = detail.texture_size[1] if detail is not None else 0
                    row.height = max(base, label.height + extra + 16)
                label.bind(texture_size=grow)
                if detail is not None:  # its detail wraps again at the row's real width too
                    detail.bind(texture_size=grow)
            if self.illustration:  # a picture: a long label wraps, its row grows (picture_fit)
                w = self.inner_w - 36
                row.height = row_height(r, self.f, w)
                label.size_hint_y = None
                label.height, detail_h = row_parts(r, self.f, w)
                if detail is not None:
                    detail.size_hint_y, detail.height = None, detail_h
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
            draw_box(card, bg, radius=14)
        self._card_body(card, it, fg)
        if self.illustration:  # a picture: a long title wraps, the card grows (picture_fit)
            h = card_height(it, self.f, self.inner_w - 36)
            if h > card.height:
                card.height = h
                heights = card_label_heights(it, self.f, self.inner_w - 36)
                for label, lh in zip(reversed(card.children), heights):
                    label.size_hint_y, label.height = None, lh
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
        draw_paper(pic, filled, self.accent)
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
        box = BoxLayout(orientation="vertical", padding=(18, 10), spacing=4, size_hint_y=None,
                        height=payment_height(self.f, len(rows) - 2))
        draw_box(box, BLACK if self.hc else WHITE, radius=12, border=(WHITE if self.hc else hex_rgba("#CFD8DC")))
        for name, value, big in rows:  # each line as tall as its words need (not an even share)
            box.add_widget(phone_label(name, self.f * 0.72, self.muted, size_hint_y=None,
                                      height=self.f * 0.72 * LINE))
            size = self.f * (1.15 if big else 0.9)
            # a picture at its smallest text may still need two lines for a value: the row grows
            n = lines(value, size, self.inner_w - 72, bold=big) if self.illustration else 1
            lbl = phone_label(value, size, self.ink, bold=big, size_hint_y=None, height=size * 1.5 * n)
            box.height += size * 1.5 * (n - 1)
            lbl.name = f"payment_{name}"
            box.add_widget(lbl)
        return box

    def _item_sms(self, it):
        """An incoming SMS notification at the top of the screen, as on a real phone."""
        banner = BoxLayout(orientation="vertical", padding=(16, 10), spacing=4, size_hint_y=None)
        banner.bind(minimum_height=banner.setter("height"))
        draw_box(banner, hex_rgba("#263238") if not self.hc else BLACK, radius=16,
             border=(HINT if self.hc else None))
        banner.add_widget(Text(f"Tin nhắn · {it.sender}", self.f * 0.72, hex_rgba("#B0BEC5"), bold=True))
        big = int(self.f * 1.1)
        # the stop after a code is drawn with it (one markup run): Kivy may break a line between
        # runs, and a line started with ". Không cung cấp…"
        shown = re.sub(r"(\d{4,}[.,;:!?]?)", lambda m: f"[b][size={big}]{m.group(1)}[/size][/b]",
                       it.text)
        msg = Text(shown, self.f * 0.85, WHITE, markup=True)
        msg.name = "sms_text"
        banner.add_widget(msg)
        return banner
