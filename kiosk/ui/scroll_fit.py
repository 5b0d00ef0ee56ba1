"""A screen that needs more height than its window has scrolls, and says so (issue 13).

Large text (1.6x) with a notice row and a forced caption leaves some screens less height than
their words, choices and pictures need; squeezed, Kivy draws them over one another. The screen
(header and body, under the notice rows, above the caption) is first laid out in the room there
is. If anything of it is drawn outside that room, it is moved into a scroll region as tall as it
needs, with a visible scroll bar and, under it, a cue in words that says which way there is
more ("Còn nữa bên dưới…"). Screens that fit are left exactly as they were (no scroll region:
no delay on a touch, nothing to learn).

Keypad users: the app draws a screen again when the focus moves; the focused control is then
scrolled into view. The gallery (kiosk.ui.gallery) checks every scroll region: its content
fits the region's full height and a cue is shown whenever something is out of view.
"""

from __future__ import annotations

from kivy.clock import Clock
from kivy.effects.scroll import ScrollEffect
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.layout import Layout
from kivy.uix.scrollview import ScrollView
from kivy.uix.widget import Widget

from kiosk.ui.theme import Palette, Sizes
from kiosk.ui.tree import within
from kiosk.ui.widgets import Text, paint

MORE_BELOW = "Còn nữa bên dưới: vuốt màn hình lên để xem tiếp."
MORE_ABOVE = "Còn phần bên trên: vuốt màn hình xuống để xem lại."
MORE_BOTH = "Còn nữa bên trên và bên dưới: vuốt màn hình để xem."
MAX_ROUNDS = 12    # measure, grow, lay out again: the squeezed parts get their room in a few
TEXT_TOLERANCE = 2  # px a text may be taller than its label (as the gallery's check allows)
BAR_W = 14         # px: the scroll bar, always shown while there is more to see


def _box(w):
    x, y = w.to_window(w.x, w.y)
    return x, y, x + w.width, y + w.height


def overflow(screen: Widget) -> float:
    """Height the screen needs beyond what it has (px): the most any widget of it sticks out
    of the layout that holds it (above plus below; a squeezed box draws its content over its
    neighbours), and text taller than its label."""
    need = 0.0
    for w in screen.walk(restrict=True):
        if w is screen or w.opacity <= 0:
            continue
        p = w.parent
        if isinstance(p, Layout) and (p is screen or within(p, screen)):
            need = max(need, max(0.0, w.top - p.top) + max(0.0, p.y - w.y))
        if isinstance(w, Label) and w.text and w.texture_size[1] > w.height + TEXT_TOLERANCE:
            need = max(need, w.texture_size[1] - w.height)
    return need


def settle(root: Widget, passes: int = 6) -> None:
    """Run now the layouts and text measurements Kivy would run before the next frame, so
    that what is measured is what will be drawn (and no frame is drawn squeezed)."""
    for _ in range(passes):
        busy = False
        for w in root.walk(restrict=True):
            t = getattr(w, "_trigger_texture", None)
            if isinstance(w, Label) and t is not None and t.is_triggered:
                t.cancel()
                w.texture_update()
                busy = True
            t = getattr(w, "_trigger_layout", None)
            if isinstance(w, Layout) and t is not None and t.is_triggered:
                t.cancel()
                w.do_layout()
                busy = True
        if not busy:
            return


class FitOrScroll(BoxLayout):
    """Holds the screen; turns into a scroll region (with its cue) if the screen does not fit."""

    def __init__(self, screen: Widget, palette: Palette, sizes: Sizes, on_settled=None, **kw):
        super().__init__(orientation="vertical", spacing=sizes.gap / 2, **kw)
        self.screen, self.palette, self.sizes = screen, palette, sizes
        self.scroller: ScrollView | None = None
        self.cue: Text | None = None
        self.settled = False
        self.rounds = 0
        self.on_settled = on_settled
        self.add_widget(screen)
        # before the frame is drawn: the layouts run first (settle), then what is outside
        self._measure_later = Clock.create_trigger(self._measure, -1)
        self.bind(size=lambda *_: self._restart(), pos=lambda *_: self._measure_later())

    def _restart(self):
        self.settled, self.rounds = False, 0
        self._measure_later()

    def _measure(self, *_):
        if self.parent is None:  # replaced by the next screen
            return
        top = self
        while top.parent is not None and isinstance(top.parent, Widget) and top.parent is not top:
            top = top.parent
        settle(top)
        need = overflow(self.screen)
        self.rounds += 1
        if need <= 1.0 or self.rounds > MAX_ROUNDS:
            self._settle()
            return
        if self.scroller is None:
            self._into_scroll_region()
        self.screen.height += need + 2  # a little over: rounding in wrapped text
        self._measure_later()

    def _into_scroll_region(self) -> None:
        screen, sizes, palette = self.screen, self.sizes, self.palette
        have = self.height
        self.remove_widget(screen)
        # pushing fillers (plain Widgets that keep content at the top) get nothing now: the
        # room added goes to what was squeezed
        for w in screen.walk(restrict=True):
            if _filler(w):
                w.size_hint_y = 0.001
        screen.size_hint_y = None
        screen.padding = (0, 0, BAR_W + sizes.gap / 2, 0)  # the scroll bar draws over nothing
        self.cue = Text(MORE_BELOW, sizes.small, palette.notice_text, role="small",
                        halign="center", padding=(16, 6))
        self.cue.name = "scroll_cue"
        paint(self.cue, palette.notice)
        sv = ScrollView(do_scroll_x=False, do_scroll_y=True, effect_cls=ScrollEffect,
                        bar_width=BAR_W, scroll_type=["bars", "content"],
                        bar_color=palette.text, bar_inactive_color=palette.text,
                        bar_margin=2)
        sv.name = "scroll_region"
        sv.add_widget(screen)
        screen.height = max(have, 1)
        self.scroller = sv
        self.add_widget(sv)
        self.add_widget(self.cue)
        sv.bind(scroll_y=lambda *_: self._cue_text())

    def _cue_text(self) -> None:
        if self.cue is None or self.scroller is None:
            return
        y = self.scroller.scroll_y
        self.cue.text = MORE_BELOW if y > 0.99 else MORE_ABOVE if y < 0.01 else MORE_BOTH

    def _settle(self) -> None:
        self.settled = True
        if self.on_settled is not None:
            self.on_settled(self)

    def show(self, widget: Widget | None, scroll_y: float | None = None) -> None:
        """Scroll so that `widget` (the keypad focus) is in view, else to `scroll_y`."""
        sv = self.scroller
        if sv is None:
            return
        if scroll_y is not None:
            sv.scroll_y = scroll_y
        if widget is not None and (widget is self.screen or within(widget, self.screen)):
            sv.scroll_to(widget, padding=self.sizes.gap, animate=False)
        self._cue_text()


def _filler(w) -> bool:
    """A plain Widget with nothing in it or drawn on it, there only to take up height."""
    return (type(w) is Widget and bool(w.size_hint_y) and not w.children
            and not w.canvas.children and not w.canvas.before.children
            and not w.canvas.after.children)
