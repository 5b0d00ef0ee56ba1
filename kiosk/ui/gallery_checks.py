"""More gallery checks (kiosk.ui.gallery): what a screen must never do, whatever it shows.

Per screen, from the widget tree as drawn:
- a heading shortened with "…" to fit (a label drawn with `shorten`, its words wider than it);
- anything outside the region it belongs to (the content column or the bar), so that a screen
  that needs more room than it has is found even where it does not yet overlap anything;
- simple mode: two choices on one screen with the same picture.
Across screens (after all are drawn): every bar control of one window size and mode must be in
the same place on every screen (WCAG 3.2.6).
"""

from __future__ import annotations

from collections import Counter, defaultdict

from kiosk.core.screens import layout as L
from kiosk.core.screens.bar_slots import slot_of
from kiosk.core.screens.keys import controls as controls_of
from kiosk.core.screens.tile_pictures import picture_for
from kiosk.ui.tree import within

BAR_TOLERANCE_PX = 2.0


def box_of(w):
    x, y = w.to_window(w.x, w.y)
    return (x, y, x + w.width, y + w.height)


def inside(inner, outer, tol=1.5):
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def short(text: str) -> str:
    return " ".join(text.split())[:50]


def shortened(labels) -> list[str]:
    """Labels that Kivy cut short ("Tin nh…"): their words need more width than they have."""
    from kiosk.ui.widgets import strip_markup  # Kivy: in the worker only, after its set-up
    out = []
    for lab in labels:
        if not getattr(lab, "shorten", False):
            continue
        text = strip_markup(lab.text)
        pad = lab.padding_x * 2 if hasattr(lab, "padding_x") else lab.padding[0] + lab.padding[2]
        if L.text_width(text, lab.font_size, bool(lab.bold)) > lab.width - pad + 1:
            out.append(f"text cut short to fit: '{short(text)}'")
    return out


def regions(app) -> list:
    """The top-level regions of the screen: the content column and the bar (if beside it)."""
    root = app.root_box
    return list(root.children)


def outside_region(app, labels, controls, areas=None) -> list[str]:
    """Every label and control lies inside the region (content column or bar) it belongs to
    (in a scroll region: inside its content, kiosk.ui.scroll_fit)."""
    out = []
    for region in regions(app):
        rbox = box_of(region)
        for w in list(labels) + list(controls):
            if w is region or not within(w, region):
                continue
            if not inside(box_of(w), areas.allowed(w) if areas and areas.scrolled(w) else rbox):
                what = f"button '{w.tap_label}'" if hasattr(w, "tap_label") else f"'{short(w.text)}'"
                out.append(f"does not fit the screen (drawn outside its area): {what}")
    return out


def shared_pictures(view) -> list[str]:
    """Simple mode: no two choices on one screen show the same picture."""
    if not view.simple:
        return []
    names = [(picture_for(c), c.short or c.label) for c in controls_of(view)]
    names = [(p, label) for p, label in names if p]
    seen = Counter(p for p, _ in names)
    return [f"two choices share a picture ({p}): " + ", ".join(f"'{l}'" for q, l in names if q == p)
            for p, n in seen.items() if n > 1]


def bar_places(app, controls) -> dict:
    """Where each bar control is drawn: {slot: [x, y, w, h]} (window pixels)."""
    bar_choices = {id(c): c for c in app.view.bar}
    out = {}
    for w in controls:
        choice = getattr(w, "choice", None)
        if choice is not None and any(choice is c or choice == c for c in bar_choices.values()):
            x0, y0, x1, y1 = box_of(w)
            out[slot_of(choice)] = [round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)]
    return out


def bar_consistency(records: list[dict]) -> None:
    """Add a problem to each screen whose bar control is not where that control is on the other
    screens of the same size and mode (the place most screens agree on)."""
    groups = defaultdict(list)
    for r in records:
        if r.get("bar"):
            groups[(r["size"], r["mode"])].append(r)
    for group in groups.values():
        usual = {}
        for slot in {s for r in group for s in r["bar"]}:
            places = Counter(tuple(r["bar"][slot]) for r in group if slot in r["bar"])
            usual[slot] = places.most_common(1)[0][0]
        for r in group:
            for slot, place in r["bar"].items():
                if any(abs(a - b) > BAR_TOLERANCE_PX for a, b in zip(place, usual[slot])):
                    r["problems"].append(f"bar control '{slot}' moved: at {place}, on other screens "
                                         f"at {list(usual[slot])}")


def on_phone(control) -> bool:
    """A tappable element of a practice copy's drawn phone (kiosk.ui.practice_screens)."""
    return getattr(control, "choice", None) is not None and control.choice.action in ("p_tap", "p_key")


def phone_checks(phone, controls, ppmm: float, areas=None) -> list[str]:
    """The drawn keypad keeps the kiosk's 20 mm targets and 5 mm gaps (DESIGN.md); no phone
    element overlaps a kiosk control."""
    out = []
    keys = [k for k in phone if k.choice.action == "p_key"]
    need_t, need_g = L.TARGET_MM * ppmm - 0.5, L.GAP_MM * ppmm - 0.5
    for k in keys:
        if k.width < need_t or k.height < need_t:
            out.append(f"keypad key too small: '{k.tap_label}' {k.width:.0f}x{k.height:.0f} px "
                       f"(< {need_t:.0f} px = 20 mm)")
    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            d = _gap(box_of(keys[i]), box_of(keys[j]))
            if d < need_g:
                out.append(f"keypad keys too close: '{keys[i].tap_label}' and '{keys[j].tap_label}' "
                           f"{max(d, 0):.0f} px (< {need_g:.0f} px = 5 mm)")
    for p in phone:
        for c in controls:
            pair = (box_of(p), box_of(c)) if areas is None else areas.pair(p, box_of(p), c, box_of(c))
            if pair is not None and _gap(*pair) < 0:
                out.append(f"phone element over a button: '{p.tap_label}' and '{c.tap_label}'")
    return out


def pointers(root) -> list[str]:
    """A picture's pointer touches its control where it is drawn now: its tip inside the
    control's right half (phone_draw.pointer), not where the control was during a layout pass."""
    out = []
    for w in root.walk(restrict=True):
        tip = getattr(w, "pointer", None)
        if tip is None or not hasattr(tip, "points"):
            continue
        x, y = tip.points[:2]
        if not (w.x + w.width / 2 - 1 <= x <= w.x + w.width + 1 and w.y - 1 <= y <= w.y + w.height + 1):
            name = getattr(getattr(w, "choice", None), "label", None) or type(w).__name__
            out.append(f"pointer off its control: '{name}' tip at ({x:.0f}, {y:.0f}), control "
                       f"{w.x:.0f}..{w.x + w.width:.0f} x {w.y:.0f}..{w.y + w.height:.0f}")
    return out


def _gap(a, b) -> float:
    dx = max(b[0] - a[2], a[0] - b[2], 0)
    dy = max(b[1] - a[3], a[1] - b[3], 0)
    if dx == 0 and dy == 0:
        return -1.0
    return (dx * dx + dy * dy) ** 0.5 if dx and dy else max(dx, dy)


def in_miniature(w) -> bool:
    """Part of a practice copy's drawn phone (its text is a phone's, capped in large text)."""
    p, seen = w, 0
    while p is not None and seen < 100:
        if getattr(p, "miniature", False):
            return True
        p, seen = (p.parent if p.parent is not p else None), seen + 1
    return False


def keypad_figures(phone, ppmm: float) -> dict | None:
    """The drawn keypad's smallest key and gap in mm (None on a screen without one)."""
    keys = [k for k in phone if k.choice.action == "p_key"]
    if not keys:
        return None
    gaps = [_gap(box_of(a), box_of(b)) for i, a in enumerate(keys) for b in keys[i + 1:]]
    return {"key_mm": round(min(min(k.width, k.height) for k in keys) / ppmm, 1),
            "gap_mm": round(min(gaps) / ppmm, 1) if gaps else None}


# --- scroll regions (kiosk.ui.scroll_fit) -----------------------------------------------------

class Areas:
    """Where each widget may be drawn and where it is seen, given the screen's scroll region.

    A widget in a scroll region may lie outside the window (scrolled out of view): it must lie
    inside the region's content, and it is seen only through the region's viewport, so it
    overlaps what is outside the region only where both are seen."""

    def __init__(self, app, window_box):
        region = getattr(app, "screen_region", None)
        sv = getattr(region, "scroller", None) if region is not None and region.parent else None
        self.window = window_box
        self.sv = sv
        self.content = sv.children[0] if sv is not None and sv.children else None
        self.viewport = box_of(sv) if sv is not None else None

    def scrolled(self, w) -> bool:
        return self.content is not None and (w is self.content or within(w, self.content))

    def allowed(self, w):
        """The box `w` must lie in: the window, or its scroll region's content."""
        return box_of(self.content) if self.scrolled(w) else self.window

    def seen(self, w, box):
        """The part of `box` (w's) that is on screen; None if none of it is."""
        if not self.scrolled(w):
            return box
        v = self.viewport
        b = (max(box[0], v[0]), max(box[1], v[1]), min(box[2], v[2]), min(box[3], v[3]))
        return b if b[2] > b[0] and b[3] > b[1] else None

    def pair(self, a, box_a, b, box_b):
        """The two boxes to compare for overlap or gap (None: they can never meet on screen)."""
        if self.scrolled(a) == self.scrolled(b):
            return box_a, box_b
        sa, sb = self.seen(a, box_a), self.seen(b, box_b)
        return (sa, sb) if sa is not None and sb is not None else None

    def problems(self, labels) -> list[str]:
        """A scroll region proves nothing is hidden without a cue: its content holds everything
        of the screen, and while there is more than the viewport shows, the scroll bar and a
        cue in words are on screen."""
        if self.sv is None:
            return []
        from kiosk.ui.scroll_fit import overflow  # Kivy: worker only
        out = []
        hidden = overflow(self.content)
        if hidden > 1.5:
            out.append(f"does not fit its scroll region: {hidden:.0f} px drawn outside it")
        if self.content.height > self.sv.height + 1:
            cues = [l for l in labels if getattr(l, "name", None) == "scroll_cue"
                    and l.text.strip() and inside(box_of(l), self.window)]
            if not cues:
                out.append("scrolls without a visible cue")
            if self.sv.bar_width < 8 or self.sv.bar_inactive_color[3] < 0.5:
                out.append("scrolls without a visible scroll bar")
        return out

    def figures(self) -> dict | None:
        if self.sv is None:
            return None
        return {"content_h": round(self.content.height), "viewport_h": round(self.sv.height)}
