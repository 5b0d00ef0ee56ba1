"""The text size that lets a drawn phone screen fit its frame (lesson step pictures).

A practice copy keeps its text size and shrinks only above a keypad (phone_copy._fit_text); a
step's picture must show the whole screen at once, in every mode: in large text the phone's
words grow with the kiosk's, until the screen would no longer fit, then they stop. Worked out
before drawing, from the items and the frame (an estimate of wrapped lines from the average
glyph width), so the picture is right in the first frame; no measuring, no second layout pass.
"""

from __future__ import annotations

from kiosk.core.screens import layout as L

CHAR_W = 0.6        # average glyph width / font size, bold, with a margin for word wrapping
CAPITAL_W = 0.78    # the same for a bold capital
LINE = 1.3          # line height / font size
RING_OUT = 10  # px the ring round a picture's control reaches outside it (phone_draw.ring)
KEY_MIN = 68        # px: a keypad row
KEY_PER_F = 2.83    # px of a keypad row per px of text: KEY_MIN at a 1080p body's picture (24 px)
KEY_FLOOR = 30      # px: the least a drawn key gets (its digit is still 1.3 f)
MIN_F = 12.0
WIDEST_RATIO = 0.8  # a step's phone widens to hold its words, up to this share of its height


def key_row(f: float) -> float:
    """A drawn keypad row of a step's picture at text size f: KEY_MIN, and smaller with the words
    when they had to shrink (a small window with a notice): the keys are drawn, not touched, and
    at a fixed size they pushed the phone's other words over each other."""
    return min(KEY_MIN, max(KEY_FLOOR, f * KEY_PER_F))


def lines(text: str, size: float, width: float, bold: bool = False) -> int:
    """Lines a text wraps to: capitals (NGUYEN THI LAN, CƠ QUAN…) count wider than the rest;
    never fewer than the font's own measure gives (a close estimate once drew "Chạm vào một
    ứng dụng để mở." on two lines where one was counted)."""
    units = sum(CAPITAL_W if c.isupper() else CHAR_W for c in (text or ""))
    guess = max(1, -(-int(units * size) // max(1, int(width))))
    if not text or width < 1:
        return guess
    return max(guess, len(L.wrap(text, size, width, bold)))


def payment_height(f: float, small_rows: int) -> float:
    """The recipient / amount panel: two big rows (name over value) and 0-2 small ones."""
    name = f * 0.72 * LINE
    rows = 2 * (name + f * 1.15 * 1.5) + small_rows * (name + f * 0.9 * 1.5)
    return rows + 4 * (2 * (2 + small_rows) - 1) + 20


def text_h(text: str, size: float, width: float, bold: bool = False) -> float:
    """Height a label takes for a text: its lines at the font's own line height (+1 px, as
    Kivy rounds). LINE alone is short for small text (17 px drawn for 12 px words)."""
    return lines(text, size, width, bold) * (L.line_height(size) + 1)


def row_parts(row, f: float, w: float) -> tuple[float, float]:
    """A list row's label and detail heights in a picture (phone_copy draws them so): the share
    of the row the estimate gives, never less than their lines need."""
    detail = text_h(row.detail, f * 0.78, w - 36) if row.detail else 0.0
    return row_height(row, f, w) - 16 - detail, detail


def row_height(row, f: float, w: float) -> float:
    """A list row of a picture: taller when its label wraps (phone_copy draws it so), and never
    shorter than its words at the font's own line height with the row's padding (16 px)."""
    h = f * (3.4 if row.detail else 2.5) + (lines(row.label, f, w - 36) - 1) * f * LINE
    if row.detail:  # its second line wraps too ("Số đã lưu từ trước" in a narrow phone)
        h += (lines(row.detail, f * 0.78, w - 36) - 1) * f * 0.78 * LINE
    least = 16 + text_h(row.label, f, w - 36, bold=True)
    if row.detail:
        least += text_h(row.detail, f * 0.78, w - 36)
    return max(h, least)


def card_label_heights(card, f: float, w: float) -> list[float]:
    """A picture card's title and lines: the room a card gives one line of each (enough for
    capitals with stacked marks, "NGUYỄN"), plus a line's height for every line it wraps to."""
    inner = w - 36  # the card's side padding
    return ([f * 2.2 + (lines(card.title, f * 0.95, inner) - 1) * f * 0.95 * LINE]
            + [f * 1.5 + (lines(l, f * 0.8, inner) - 1) * f * 0.8 * LINE for l in card.lines])


def card_height(card, f: float, w: float) -> float:
    """A card of a picture: taller when its title or a line wraps (phone_copy draws it so);
    in large text a shared screen's notice ("Bạn đang có thông tin") wraps in a small panel."""
    return sum(card_label_heights(card, f, w)) + 20


def _item_h(it, f: float, w: float, ringed: bool = False) -> float:
    """Height of one element at text size f (as phone_copy draws it); `ringed`: the control
    to touch in a picture."""
    k = it.kind
    if k == "text":
        s = f * {"small": 0.8, "big": 1.2}.get(it.style, 1)
        return lines(it.text, s, w) * s * LINE
    if k == "button":
        return max(f * 3.1, lines(it.label, f * 1.05, w - 28) * f * 1.05 * LINE + 16)
    if k == "field":
        one = max(lines(it.value or "", f * 0.9, w - 28), lines(it.label, f * 0.8, w)) == 1
        if not one:
            return float("inf")  # a field's words stay on one line
        return f * 3.1 + (RING_OUT if ringed else 0)  # its ring clear of its label
    if k == "search":
        return f * 2.8
    if k == "list":
        return sum(row_height(r, f, w) for r in it.rows) + 10 * (len(it.rows) - 1)
    if k == "card":
        return card_height(it, f, w)
    if k == "qr":
        return f * 9 + 20
    if k == "attach":  # its words beside the drawn paper, on one line
        return f * 4.2 if lines(it.label, f * 0.95, (w - 32) * 0.68 - 16) == 1 else float("inf")
    if k == "payment":  # every value on one line
        values = [(it.recipient, 1.15), (it.amount, 1.15), (it.bank, 0.9), (it.note, 0.9)]
        if any(v and lines(v, f * s, w - 36, bold=s > 1) > 1 for v, s in values):  # big: bold
            return float("inf")
        return payment_height(f, bool(it.bank) + bool(it.note))
    if k == "sms":
        return f * 0.72 * LINE + lines(it.text, f * 0.85, w - 32) * f * 0.85 * LINE + 24
    if k == "keypad":
        return 4 * key_row(f) + 30
    return f * 3.1


def needed(phone, f: float, w: float) -> float:
    """Height the whole screen takes at text size f in a phone `w` wide (inside the bezel)."""
    inner = w - 36
    title_f = f * (1.05 if len(phone.title) <= 22 else 0.9)
    h = f * 1.3 + max(f * 1.6, lines(phone.marker, f * 0.72, w) * f * 0.72 * LINE + f * 0.4)
    h += max(f * 2.4, lines(phone.title, title_f, w - 40) * title_f * LINE + 16) + 32
    items, i = list(phone.items), 0
    while i < len(items):
        it = items[i]
        if it.kind == "app":
            n, tile_w = 0, (inner - 14) / 2 - 16  # two icons a row; a name on one line
            while i < len(items) and items[i].kind == "app":
                if lines(items[i].label, f * 0.85, tile_w, bold=True) > 1:  # drawn bold
                    return float("inf")
                n, i = n + 1, i + 1
            rows = -(-n // 2)
            h += rows * f * 5.4 + (rows - 1) * 14 + 14  # phone_copy._apps: tile_h
            continue
        if it.kind == "keypad" and i + 1 < len(items) and items[i + 1].kind == "button":
            i += 1  # the button sits in the keypad's corner: its label on one line there
            if lines(items[i].label, f * 1.05, (inner - 20) / 3 - 12) > 1:
                return float("inf")
        h += _item_h(it, f, inner, ringed=it.id is not None and it.id == phone.hint) + 14
        i += 1
    return h


def least_frame(phone, w: float, h: float, widest: float, ratio: float,
                bezel: tuple[float, float]) -> tuple[float, float]:
    """The frame to draw a picture in: w x h when its words fit there at MIN_F; else, when a
    wider phone of the same height holds them (app names that must stay on one line), the
    least such width, up to WIDEST_RATIO of the height; else the least taller frame, as wide
    as `ratio` allows. A taller picture than the room it was given makes the screen scroll
    (kiosk.ui.scroll_fit) instead of drawing the phone's words over one another (a small
    window, large text, a notice row). Never wider than `widest`."""
    def fits(fw, fh):
        return needed(phone, MIN_F, fw - bezel[0]) <= fh - bezel[1]

    if fits(w, h) or needed(phone, MIN_F, widest - bezel[0]) == float("inf"):  # no size helps
        return w, h
    wider = min(widest, max(w, h * WIDEST_RATIO))
    if fits(wider, h):  # wider is enough: no scrolling
        return _least(w, wider, lambda x: fits(x, h)), h

    def upright(fh):
        return min(max(w, fh * ratio), widest)

    hi = max(h, widest / ratio)
    while not fits(upright(hi), hi):
        hi *= 1.5
    y = _least(h, hi, lambda fh: fits(upright(fh), fh))
    return upright(y), y


def _least(lo: float, hi: float, ok) -> float:
    """The least value in (lo, hi] where ok holds, to 2 px (ok(hi) holds, ok(lo) does not;
    fitting only gets easier as the frame grows)."""
    while hi - lo > 2:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return hi


def picture_f(phone, base_f: float, w: float, h: float) -> float:
    """The largest text size up to base_f at which the screen fits w x h."""
    f = base_f
    while f > MIN_F and needed(phone, f, w) > h:
        f *= 0.94
    return max(f, MIN_F)
