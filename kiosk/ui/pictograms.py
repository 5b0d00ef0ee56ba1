"""Pictograms for lesson steps in the real world: go to Công an xã, bring the card, wait for an
SMS, pay at the counter... (kiosk.core.content.step_picture.SIGNS names them and says them in words).

Drawn with Kivy vector instructions from a few shapes on a 100 x 100 grid (y up), so they stay
sharp at any size, need no picture files or network, and take the high-contrast colours. Each
shape names a colour role, not a colour: the palette decides (yellow/white on black in Tương
phản cao). Kept deliberately simple, like road signs: one idea per picture.
"""

from __future__ import annotations

from kivy.graphics import Color, Line, Rectangle, Triangle
from kivy.uix.widget import Widget

from kiosk.ui.phone_draw import Ellipse, RoundedRectangle
from kiosk.ui.theme import hex_rgba

ROLES = {  # colour role -> (normal, high contrast)
    "ink": ("#1A2330", "#FFFFFF"), "accent": ("#0B5CAD", "#FFFF00"),
    "light": ("#DCE6F2", "#000000"), "warn": ("#E0A000", "#FFFF00"), "red": ("#C62828", "#FFFF00"),
    "ok": ("#2E7D32", "#00FF66"), "skin": ("#F0C8A0", "#FFFFFF"), "paper": ("#FFFFFF", "#000000"),
}

_PHONE = [("rrect", 30, 5, 40, 90, 8, "ink"), ("rect", 34, 16, 32, 68, "light"),
          ("circle", 50, 10, 3, "light")]
_PERSON = [("circle", 50, 72, 12, "ink"), ("rrect", 32, 40, 36, 24, 10, "ink")]

SHAPES = {
    "police": [("tri", 8, 58, 50, 88, 92, 58, "accent"), ("rect", 15, 8, 70, 50, "light"),
               ("frame", 15, 8, 70, 50, "ink"), ("rect", 42, 8, 16, 26, "ink"),
               ("rect", 21, 32, 13, 13, "accent"), ("rect", 66, 32, 13, 13, "accent"),
               ("circle", 50, 70, 7, "warn")],
    "card": [("rrect", 8, 22, 84, 56, 6, "light"), ("frame", 8, 22, 84, 56, "ink"),
             ("rect", 16, 34, 24, 32, "accent"), ("line", [48, 62, 84, 62], 4, "ink"),
             ("line", [48, 50, 84, 50], 4, "ink"), ("line", [48, 38, 72, 38], 4, "ink"),
             ("rect", 16, 26, 10, 5, "warn")],
    "phone": _PHONE,
    "sms": _PHONE + [("rrect", 40, 52, 56, 32, 8, "accent"), ("tri", 50, 56, 44, 44, 62, 54, "accent"),
                     ("line", [47, 74, 88, 74], 4, "paper"), ("line", [47, 63, 78, 63], 4, "paper")],
    "call": _PHONE + [("arc", 50, 50, 52, 30, 70, 6, "accent"), ("arc", 50, 50, 62, 30, 70, 6, "accent")],
    "counter": _PERSON + [("rect", 5, 8, 90, 30, "accent"), ("line", [5, 38, 95, 38], 5, "ink"),
                          ("rect", 62, 40, 22, 14, "paper"), ("frame", 62, 40, 22, 14, "ink")],
    "money": [("rrect", 10, 26, 80, 48, 6, "ok"), ("circle", 50, 50, 14, "paper"),
              ("line", [50, 40, 50, 60], 4, "ok"), ("frame", 16, 32, 68, 36, "paper")],
    "clock": [("circle", 50, 50, 42, "paper"), ("ring", 50, 50, 42, 6, "ink"),
              ("line", [50, 50, 50, 80], 6, "ink"), ("line", [50, 50, 72, 50], 6, "accent"),
              ("circle", 50, 50, 5, "ink")],
    "paper": [("rect", 20, 6, 60, 88, "paper"), ("frame", 20, 6, 60, 88, "ink"),
              ("line", [30, 76, 70, 76], 4, "ink"), ("line", [30, 62, 70, 62], 4, "ink"),
              ("line", [30, 48, 62, 48], 4, "ink"), ("line", [30, 34, 70, 34], 4, "ink"),
              ("circle", 64, 18, 7, "red")],
    "face": [("rrect", 8, 18, 84, 58, 10, "ink"), ("rect", 30, 76, 22, 9, "ink"),
             ("circle", 50, 47, 21, "light"), ("circle", 50, 47, 12, "accent"),
             ("circle", 80, 66, 4, "warn")],
    "fingerprint": [("arc", 50, 45, 8, -150, 150, 5, "ink"), ("arc", 50, 45, 17, -150, 150, 5, "ink"),
                    ("arc", 50, 45, 26, -150, 150, 5, "ink"), ("arc", 50, 45, 35, -150, 150, 5, "ink"),
                    ("arc", 50, 45, 44, -120, 120, 5, "ink")],
    "warning": [("tri", 6, 10, 50, 92, 94, 10, "warn"), ("line", [50, 36, 50, 66], 7, "ink"),
                ("circle", 50, 24, 5, "ink")],
    "lock": [("arc", 50, 54, 18, -90, 90, 7, "ink"), ("line", [32, 54, 32, 46], 7, "ink"),
             ("line", [68, 54, 68, 46], 7, "ink"), ("rrect", 22, 8, 56, 44, 6, "accent"),
             ("circle", 50, 34, 6, "paper"), ("line", [50, 30, 50, 18], 5, "paper")],
    "hospital": [("rect", 14, 8, 72, 70, "paper"), ("frame", 14, 8, 72, 70, "ink"),
                 ("rect", 42, 24, 16, 40, "red"), ("rect", 30, 36, 40, 16, "red"),
                 ("line", [14, 78, 50, 92, 86, 78], 5, "ink")],
    "wifi": [("arc", 50, 18, 22, -45, 45, 7, "ink"), ("arc", 50, 18, 42, -45, 45, 7, "ink"),
             ("arc", 50, 18, 62, -45, 45, 7, "ink"), ("circle", 50, 18, 7, "accent")],
    "bank": [("tri", 8, 66, 50, 92, 92, 66, "ink"), ("rect", 18, 22, 10, 40, "accent"),
             ("rect", 36, 22, 10, 40, "accent"), ("rect", 54, 22, 10, 40, "accent"),
             ("rect", 72, 22, 10, 40, "accent"), ("rect", 8, 8, 84, 12, "ink")],
    "child": [("circle", 50, 70, 14, "skin"), ("ring", 50, 70, 14, 3, "ink"),
              ("rrect", 34, 18, 32, 36, 12, "accent"), ("line", [40, 18, 40, 6], 6, "ink"),
              ("line", [60, 18, 60, 6], 6, "ink")],
    "car": [("rrect", 8, 26, 84, 28, 8, "accent"), ("rrect", 24, 48, 52, 24, 8, "accent"),
            ("rect", 30, 52, 17, 14, "light"), ("rect", 53, 52, 17, 14, "light"),
            ("circle", 28, 26, 10, "ink"), ("circle", 72, 26, 10, "ink")],
    "house": [("tri", 8, 52, 50, 90, 92, 52, "red"), ("rect", 18, 8, 64, 46, "light"),
              ("frame", 18, 8, 64, 46, "ink"), ("rect", 42, 8, 16, 28, "ink"),
              ("rect", 24, 30, 12, 12, "accent"), ("rect", 64, 30, 12, 12, "accent")],
    "mail": [("rect", 8, 22, 84, 56, "paper"), ("frame", 8, 22, 84, 56, "ink"),
             ("line", [8, 78, 50, 46, 92, 78], 5, "ink"), ("circle", 80, 68, 6, "red")],
    "check": [("circle", 50, 50, 42, "ok"), ("line", [28, 50, 44, 34, 74, 66], 9, "paper")],
    "people": [("circle", 32, 70, 11, "ink"), ("rrect", 17, 26, 30, 34, 10, "accent"),
               ("circle", 68, 70, 11, "ink"), ("rrect", 53, 26, 30, 34, 10, "ok"),
               ("circle", 50, 44, 8, "ink"), ("rrect", 40, 8, 20, 28, 8, "warn")],
}


class Pictogram(Widget):
    """One sign, drawn square and centred in the widget; redrawn when the widget moves."""

    def __init__(self, sign: str, high_contrast: bool, **kw):
        super().__init__(**kw)
        self.sign, self.hc = sign, high_contrast
        self.bind(pos=self._draw, size=self._draw)

    def _color(self, role: str) -> tuple:
        return hex_rgba(ROLES[role][1 if self.hc else 0])

    def _draw(self, *_):
        self.canvas.clear()
        s = min(self.width, self.height) / 100
        # from x, y and the size, not the `center` aliases: Kivy calls this (bound last) first,
        # before the aliases have caught up with a new size
        ox, oy = self.x + self.width / 2 - 50 * s, self.y + self.height / 2 - 50 * s
        with self.canvas:
            for shape in SHAPES[self.sign]:
                kind, *args, role = shape
                Color(*self._color(role))
                _shape(kind, args, s, ox, oy)


def _shape(kind: str, a: list, s: float, ox: float, oy: float) -> None:
    def xy(*vals):
        return [ox + v * s if i % 2 == 0 else oy + v * s for i, v in enumerate(vals)]
    if kind == "rect":
        Rectangle(pos=xy(a[0], a[1]), size=(a[2] * s, a[3] * s))
    elif kind == "rrect":
        RoundedRectangle(pos=xy(a[0], a[1]), size=(a[2] * s, a[3] * s), radius=[a[4] * s])
    elif kind == "frame":
        Line(rectangle=(*xy(a[0], a[1]), a[2] * s, a[3] * s), width=max(1.5, 2.5 * s))
    elif kind == "circle":
        Ellipse(pos=xy(a[0] - a[2], a[1] - a[2]), size=(2 * a[2] * s, 2 * a[2] * s))
    elif kind == "ring":
        Line(circle=(*xy(a[0], a[1]), a[2] * s), width=a[3] * s * 0.5)
    elif kind == "arc":
        Line(circle=(*xy(a[0], a[1]), a[2] * s, a[3], a[4]), width=a[5] * s * 0.5, cap="round")
    elif kind == "line":
        Line(points=xy(*a[0]), width=a[1] * s * 0.5, cap="round", joint="round")
    elif kind == "tri":
        Triangle(points=xy(*a))
