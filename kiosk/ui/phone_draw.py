"""Colours and little drawings shared by the phone copies (practice, drills), the practice
screens and the step pictures (Kivy).

The kiosk's own colours, never a brand's artwork; rounded boxes, labels that wrap, letter icons,
a sheet of paper, the ring and pointer at the control to touch: plain canvas shapes that follow
their widget. Used by kiosk.ui.phone_copy, practice_screens, step_pictures and pictograms.
"""

from __future__ import annotations

from kivy.graphics import Color, Line, Rectangle, Triangle
from kivy.graphics import SmoothEllipse as Ellipse  # anti-aliased edges: the window has no MSAA
from kivy.graphics import SmoothRoundedRectangle as RoundedRectangle
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.ui.theme import hex_rgba

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


def draw_box(widget: Widget, color, radius=12, border=None, border_width=2):
    """Paint a rounded background (and border) that follows the widget; `bg` tells the
    gallery's contrast check what is behind the widget's words."""
    widget.bg = color
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


def phone_label(text, size, color, bold=False, halign="left", markup=False, **kw) -> Label:
    lbl = Label(text=text, font_size=size, color=color, bold=bold, halign=halign, valign="middle",
                markup=markup, **kw)
    lbl.bind(size=lambda *_: setattr(lbl, "text_size", (lbl.width, None)))
    return lbl


# --- little drawings --------------------------------------------------------------------------

def draw_rect(widget, color):
    widget.bg = color
    with widget.canvas.before:
        Color(*color)
        r = Rectangle(pos=widget.pos, size=widget.size)
    widget.bind(pos=lambda *_: setattr(r, "pos", widget.pos), size=lambda *_: setattr(r, "size", widget.size))


def draw_icon(widget, color, letters, f, fg, round_=False):
    """A square (or round) icon with one or two letters: drawn, not any app's logo."""
    lbl = Label(text=letters, font_size=f * 1.1, bold=True, color=fg)
    widget.bg = color  # what the letters stand on (the gallery's contrast check)
    lbl.bg = color
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


def draw_paper(widget, filled: bool, accent):
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


def ring(widget: Widget, radius=12):
    """The thick amber ring around the control to touch."""
    with widget.canvas.after:
        Color(*HINT)
        line = Line(width=7)
    def sync(*_):
        line.rounded_rectangle = (widget.x - 6, widget.y - 6, widget.width + 12, widget.height + 12, radius)
    widget.bind(pos=sync, size=sync)
    sync()


def pointer(widget: Widget):
    """A pointing arrow (dark edge, amber body) whose tip touches the widget's lower right part:
    drawn above everything, so it shows even over a neighbour."""
    with widget.canvas.after:
        Color(*FRAME)
        edge = Triangle()
        edge_tail = Line(width=9, cap="round")
        Color(*HINT)
        body = Triangle()
        tail = Line(width=5, cap="round")

    def sync(*_):
        s = max(26.0, min(widget.height * 0.7, 60.0))
        # x + width, not `right`: Kivy calls the last bound first, so this runs on a new width
        # before the `right` alias has caught up (the arrow stayed where a 100 px wide button ends)
        right = widget.x + widget.width
        tx, ty = right - min(widget.width * 0.25, s * 1.2), widget.y + widget.height * 0.45
        pts = [tx, ty, tx + s * 0.25, ty - s * 0.8, tx + s * 0.8, ty - s * 0.25]
        grow = [tx - 5, ty + 5, tx + s * 0.25 - 4, ty - s * 0.8 - 6, tx + s * 0.8 + 6, ty - s * 0.25 + 4]
        edge.points, body.points = grow, pts
        mid = (tx + s * 0.5, ty - s * 0.5)
        edge_tail.points = tail.points = [*mid, mid[0] + s * 0.55, mid[1] - s * 0.55]
    widget.bind(pos=sync, size=sync)
    sync()
    return body
