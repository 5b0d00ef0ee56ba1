"""Lesson step pictures built ahead, while the visitor reads (issue 13: tap -> drawn).

A drawn phone is the costliest thing the kiosk shows: building its widgets and rendering its
words takes about as long as everything else on a step together, and a visitor feels it on
every "Tiếp". Both neighbours of the step on screen are needed next, and the visitor reads the
step for seconds first. So, on the first idle tick after a step is drawn:

- the body (words + picture) of the step being left is kept, not thrown away: going back to it
  costs nothing;
- the body of the neighbour not kept yet is built off screen, at the size the shown one has,
  with its layouts, its phone and its words' textures done there and then.

A tap then finds its body ready and only the header, bar and notices are built. A body is reused
only for the same words, picture, colours, sizes, orientation and window; one that was shown in a
scroll region (its fillers changed) is not kept. KIOSK_STEP_AHEAD=0 turns it off (the bench's
"built on the tap" figure).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.widget import Widget

from kiosk.ui.scroll_fit import settle

KEEP = 3  # bodies held at most (the shown step's two neighbours, and the one just left)


@dataclass(frozen=True)
class Key:
    """Everything a step body's drawing depends on (kiosk.ui.step_pictures.body)."""
    body: tuple
    picture: object
    palette: object
    sizes: object
    landscape: bool
    window: tuple


def key_for(view, palette, sizes, landscape: bool) -> Key:
    return Key(view.body, view.picture, palette, sizes, landscape, tuple(Window.size))


def enabled() -> bool:
    return os.environ.get("KIOSK_STEP_AHEAD", "1") != "0"


class StepsAhead:
    """The kept and prebuilt step bodies of one app."""

    def __init__(self, app):
        self.app = app
        self.ready: list[tuple[Key, Widget]] = []
        self.shown: tuple[Key, Widget] | None = None  # the body on screen now
        self.hits = 0    # taps that found their body ready (tests, bench)
        self.built = 0   # bodies built ahead

    # --- on a render -----------------------------------------------------------------------

    def keep_shown(self, region) -> None:
        """Before the screen is replaced: keep its step body for a later visit, unless it was
        shown in a scroll region (which changed its fillers and padding)."""
        shown, self.shown = self.shown, None
        if shown is None or not enabled():
            return
        key, body = shown
        if region is not None and region.scroller is None and body.parent is not None:
            body.parent.remove_widget(body)
            self._put(key, body)

    def take(self, key: Key) -> Widget | None:
        """A ready body for `key` (taken out of the store), or None."""
        for i, (k, body) in enumerate(self.ready):
            if k == key:
                del self.ready[i]
                self.hits += 1
                return body
        return None

    def showing(self, key: Key, body: Widget) -> None:
        self.shown = (key, body)

    # --- while the visitor reads -------------------------------------------------------------

    def build_neighbours(self) -> None:
        """Build the bodies of the shown step's neighbours that are not ready yet."""
        app, state = self.app, self.app.runtime.state
        region = app.screen_region
        if (self.shown is None or self.shown[1].parent is None or not enabled()
                or region is None or region.scroller is not None  # laid out unlike a new one
                or state.screen != "step" or state.activity is not None or state.warning):
            return
        key, shown = self.shown
        screen = shown.parent  # the shown header and body: the neighbour's are laid out alike
        wanted = [k for k in (self._ahead(key, screen, step) for step in
                              (state.step + 1, state.step - 1)) if k is not None]
        self.ready = [(k, b) for k, b in self.ready if k in wanted]  # the rest is not needed next

    def _ahead(self, key: Key, screen: Widget, step: int) -> Key | None:
        """The key of step `step`'s body, built now if it is not ready; None: no picture."""
        from kiosk.core.screens.views import view_for
        from kiosk.ui import step_pictures
        app, state = self.app, self.app.runtime.state
        if not 0 <= step < len(app.runtime.catalog.get(state.lesson).steps):
            return None
        view = view_for(replace(state, step=step), app.runtime.catalog)
        if view.screen != "step" or view.picture is None:
            return None
        k = replace(key, body=view.body, picture=view.picture)
        if not any(r == k for r, _ in self.ready):
            body = step_pictures.body(app, view, key.palette, key.sizes, key.landscape)
            header = app.header(view, key.palette, key.sizes, extras=[stand_ins(screen)])
            self._put(k, self._build(header, body, screen))
            self.built += 1
        return k

    def _put(self, key: Key, body: Widget) -> None:
        self.ready = [(k, b) for k, b in self.ready if k != key]
        self.ready.insert(0, (key, body))
        del self.ready[KEEP:]

    @staticmethod
    def _build(header: Widget, body: Widget, like: Widget) -> Widget:
        """Lay out `header` and `body` off screen where the shown screen `like` is, and do now
        what the next frame would do; keep the body (same place and size as it will have: on
        screen, nothing in it is laid out or drawn again). The header is built on the tap."""
        holder = BoxLayout(orientation="vertical", spacing=like.spacing, padding=like.padding,
                           size_hint=(None, None), size=like.size, pos=like.pos)
        holder.add_widget(header)
        holder.add_widget(body)
        finish(holder)
        holder.clear_widgets()
        return body


def stand_ins(screen: Widget):
    """A header hook that adds, in place of the shown header's extras (the queue board's
    number, the Nói button), empty widgets of their sizes: the neighbour's title then wraps
    as it will, without touching the voice's real button."""
    header = screen.children[-1]
    sizes = [tuple(w.size) for w in reversed(header.children)
             if getattr(w, "role", None) not in ("title", "progress")]
    tallest = max((h for _, h in sizes), default=0)

    def add(box, *_):
        for size in sizes:
            box.add_widget(Widget(size_hint=(None, None), size=size))
        box.bind(height=lambda b, h: setattr(b, "height", max(h, tallest)))
    return add


def finish(root: Widget, rounds: int = 12) -> None:
    """Run what Kivy would run under `root` before the next frame, in its order: layouts and
    text first (scroll_fit.settle), until none is pending; then the phones' fits (built at their
    settled size, not at a size the layout passes through); again until nothing is pending."""
    for _ in range(rounds):
        settle(root)
        if not _fit_phones(root):
            return


def _fit_phones(root: Widget) -> bool:
    """Fit now the phones under `root` whose fit is pending; whether any was."""
    ran = False
    for w in list(root.walk(restrict=True)):
        t = getattr(w, "_fit_later", None)
        if t is not None and t.is_triggered:
            t.cancel()
            w._fit_picture()
            ran = True
    return ran
