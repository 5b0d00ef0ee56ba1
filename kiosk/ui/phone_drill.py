"""The drawn phone of a scam drill: an incoming call, an SMS or a Zalo chat (the screen of
kiosk.ui.phone_copy.PhoneCopy when its phone has a `channel`). A mixin, so that PhoneCopy keeps
one drawing of the frame and its marker for practice copies, drills and step pictures.
"""

from __future__ import annotations

import re

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.ui.phone_draw import (
    BLACK, HINT, INK, SCREEN_BG, STYLE_COLORS, WHITE, draw_icon, draw_box, draw_rect, phone_label,
)
from kiosk.ui.theme import hex_rgba
from kiosk.ui.widgets import Text

LINK = re.compile(r"(\b[\w-]+(?:\.[\w-]+)+(?:/\S*)?)")


class DrillDrawing:
    """PhoneCopy's drill screens (needs self.phone, self.f, self.hc, self.accent, self.stack)."""

    # --- drills: a call, an SMS or a Zalo chat ---------------------------------------------

    def _build_drill(self):
        p, f = self.phone, self.f
        caller = p.items[0]
        bubbles = [i.text for i in p.items[1:]]
        call = p.channel in ("call", "video_call")
        bg = BLACK if self.hc else (STYLE_COLORS["call"] if call else SCREEN_BG)
        area = BoxLayout(orientation="vertical", padding=(18, 14), spacing=14)
        draw_rect(area, bg)
        if call:
            head = BoxLayout(orientation="vertical", size_hint_y=None, spacing=6)
            head.bind(minimum_height=head.setter("height"))  # as tall as its words, never cut
            avatar = Widget(size_hint_y=None, height=f * 3.6)
            draw_icon(avatar, hex_rgba("#37474F"), "?", f * 1.4, WHITE, round_=True)  # 7:1 and more
            head.add_widget(avatar)
            head.add_widget(Text(caller.sender, f * 1.05, WHITE, bold=True, halign="center"))
            head.add_widget(Text(f"{caller.text} · đang nghe máy", f * 0.8, hex_rgba("#B0BEC5"),
                                 halign="center"))
            area.add_widget(head)
        else:
            bar = BoxLayout(size_hint_y=None, height=f * 2.6, padding=(14, 0), spacing=12)
            draw_rect(bar, self.accent)
            av = Widget(size_hint_x=None, width=f * 1.9)
            draw_icon(av, WHITE if not self.hc else BLACK, caller.sender[:1].upper(), f * 0.9,
                  self.accent if not self.hc else HINT, round_=True)
            bar.add_widget(av)
            who = phone_label(f"{caller.sender}\n[size={int(f * 0.7)}]{caller.text}[/size]", f * 0.95,
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
        draw_box(lbl, bg, radius=16, border=(WHITE if self.hc else (None if call else hex_rgba("#CFD8DC"))))
        return lbl
