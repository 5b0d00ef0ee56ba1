"""The Kivy app: draws the runtime's current `View` and turns touches into flow events.

Thin on purpose: what to show and what a touch means are decided in kiosk.core. Buttons act on
release only (never on touch-down), a single tap, no gestures.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import replace
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics.opengl import glFinish
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.runtime import Runtime
from kiosk.core.screens import layout as L
from kiosk.core.screens.bar_slots import placed, slot_labels
from kiosk.core.screens.strips import strips_for, strips_height
from kiosk.core.screens.views import Choice, View
from kiosk.ui import a11y, icons, screen_body
from kiosk.ui.focus import draw_focus, focused_widget
from kiosk.ui.scroll_fit import FitOrScroll
from kiosk.ui.screen_body import notice_row
from kiosk.ui.shots import Screenshots, practice_screens_for
from kiosk.ui.step_ahead import StepsAhead, key_for
from kiosk.ui.theme import Palette, Sizes, theme_for
from kiosk.ui.widgets import (  # noqa: F401  (norm, visible_*: replay and tests import them from here)
    KioskButton, Text, norm, register_fonts, visible_controls, visible_texts,
)

log = logging.getLogger("kiosk.ui")


class KioskApp(Screenshots, App):
    title = "Kiosk hướng dẫn dịch vụ công"

    def __init__(self, runtime: Runtime, data_dir: Path, screenshots: Path | None = None, **kw):
        super().__init__(**kw)
        self.runtime = runtime
        self.data_dir = Path(data_dir)
        self.screenshots = Path(screenshots) if screenshots else None
        self.shot_count = 0
        self.exit_code = 0
        self.caption = ""
        self.cue_text = ""
        self.said_lines: list[str] = []
        self.last_shot_key = None  # what the last screenshot showed (kiosk.ui.shots)
        self._drawn_frames = 0
        self._collect_after_draw = False
        self.steps_ahead = StepsAhead(self)  # step pictures built while the visitor reads
        self._ahead_after_draw = False
        # SDL's offscreen window draws into an EGL pbuffer, whose swap flushes nothing: without
        # a glFinish per frame, software GL queues frames and pays for them all at once later.
        self._finish_frames = os.environ.get("SDL_VIDEODRIVER") == "offscreen"
        self.after_render: list = []  # callbacks (e.g. the replay driver) after each render
        self.panel = L.panel_from_env()
        self.palette, self.sizes = theme_for(False, False)
        self.caption_strip = None
        self.first_frame: list = []   # callbacks once the first frame is on screen
        # speech (kiosk.ui.voice): header widgets (the Nói button), "still working" checks for
        # the replay driver, captions shown for everyone when the kiosk cannot make a sound
        self.header_extras: list = []  # callables (header_box, view, palette, sizes)
        self.busy: list = []           # callables () -> bool
        self.captions_forced = False
        self.screen_region = None
        self._scroll_place = (None, 1.0, None)  # (screen, scroll_y, focus): last scrolled screen

    # --- lifecycle ------------------------------------------------------------------------

    def build(self):
        register_fonts()
        self.root_box = BoxLayout(orientation="vertical")
        self.runtime.on_change.append(lambda state, view: self.render())
        self.runtime.on_say.append(self._show_caption)
        self.cues = a11y.Cues(self, self.data_dir / "cache")
        self.runtime.on_cue.append(self.cues)
        self.keys = a11y.KeyForwarder(self.runtime)
        Clock.schedule_interval(lambda dt: self.runtime.tick(), 0.5)
        Window.bind(on_flip=self._flipped)
        self.first_frame.append(self._tell_systemd)
        self.render()
        return self.root_box

    def _tell_systemd(self) -> None:
        """Under systemd (the appliance): ready once the welcome is drawn, then a watchdog ping
        from this main loop, so that a frozen kiosk is restarted (kiosk/appliance/watchdog.py)."""
        from kiosk.appliance.watchdog import Notifier
        self.notifier = Notifier.from_env()
        if not self.notifier.active:
            return
        self.notifier.ready("welcome screen shown")
        interval = self.notifier.ping_interval()
        if interval:
            Clock.schedule_interval(lambda dt: self.notifier.ping(), interval)

    def _flipped(self, *_):
        if self._finish_frames:
            glFinish()
        self._drawn_frames += 1
        if self._collect_after_draw and self._drawn_frames > 1:  # the first: quiet_gc's job
            self._collect_after_draw = False
            # on the next tick, not inside this flip: the frame is out, and whatever else
            # listens for the flip (a bench, a replay's screenshot) is not held up by it
            Clock.schedule_once(lambda *_: self._collect_garbage(), 0)
        if self._ahead_after_draw:  # the step is on screen: its neighbours now, as it is read
            self._ahead_after_draw = False
            Clock.schedule_once(lambda *_: self.steps_ahead.build_neighbours(), 0)
        if self._drawn_frames == 1:
            if os.environ.get("KIOSK_BENCH_FIRST_FRAME"):
                print(f"first-frame {time.time():.6f}", flush=True)
                self.stop()
            for cb in self.first_frame:
                Clock.schedule_once(lambda *_, cb=cb: cb(), 0)

    def _collect_garbage(self) -> None:
        """Free the replaced screen's widgets now that the new one is on screen.

        Kivy widgets hold reference cycles, so only the cyclic collector frees a replaced screen
        (~6,000 objects and its GL textures). A screen lives long enough for its widgets to reach
        the oldest generation, which Python collects rarely: left to itself the kiosk grew by
        ~3.5 MB per tap (1.5 GB after 400 taps) and then stopped for ~0.45 s in the middle of a
        tap to collect. Start-up objects are frozen (launch.quiet_gc), so a full collection
        here takes ~5 ms, after the frame is on screen, while the visitor reads.
        """
        gc.collect()

    # --- drawing -------------------------------------------------------------------------

    def render(self) -> None:
        state = self.runtime.state
        view = self.runtime.view()
        modes = state.modes
        palette, sizes = theme_for(modes.large_text, modes.high_contrast, window=Window.size,
                                   panel=self.panel)
        self.palette, self.sizes, self.view = palette, sizes, view
        Window.clearcolor = palette.background
        root = self.root_box
        was = self.screen_region.screen.size if self.screen_region is not None else None
        self.steps_ahead.keep_shown(self.screen_region)  # before its words' updates are dropped
        if self.caption_strip is not None:
            self.caption_strip.stop()
            self.caption_strip = None
        for w in root.walk(restrict=True):
            # The old screen's labels may still have a texture update queued (a tapped button
            # changes its colour on release): drawing words nobody will see stalls the GPU.
            trigger = getattr(w, "_trigger_texture", None)
            if trigger is not None:
                trigger.cancel()
        root.clear_widgets()  # the background is the window's clear colour (no full-screen quad)
        root.padding, root.spacing = sizes.pad, sizes.gap
        landscape = Window.width >= Window.height
        captions = modes.captions or modes.audio or self.captions_forced
        icon_w = self._bar_icon_w(sizes) if view.simple else 0
        bar_labels = slot_labels(view.simple, [c.short or c.label for c in view.bar]) if view.bar else []
        strips = strips_for(self.runtime.notices, ticket=view.strip)
        fr = L.frame_for(Window.width, Window.height, sizes, bar_labels, captions=captions,
                         extra_w=icon_w)
        self.frame = replace(fr, notice_h=strips_height(strips, sizes, fr.content_w))
        sidebar = self.frame.sidebar_w > 0
        root.orientation = "horizontal" if sidebar else "vertical"
        content = BoxLayout(orientation="vertical", spacing=sizes.gap)
        root.add_widget(content)
        for strip in strips:  # their own rows: the screen is laid out in what is left
            content.add_widget(notice_row(strip, palette, sizes, self.frame.content_w))
        practice_screens = practice_screens_for(state)  # practice copies, scam drills, quiz
        screen = BoxLayout(orientation="vertical", spacing=sizes.gap)
        if practice_screens is not None and practice_screens.handles(view):
            screen.add_widget(practice_screens.body(self, view, palette, sizes, landscape))
        elif view.picture is not None:  # a lesson step with its picture (kiosk.ui.step_pictures)
            from kiosk.ui import step_pictures  # first shown on a step: kept out of the cold start
            screen.add_widget(self.header(view, palette, sizes))
            key = key_for(view, palette, sizes, landscape)
            body = self.steps_ahead.take(key)
            if body is None:
                body = step_pictures.body(self, view, palette, sizes, landscape)
            else:
                log.info("step %d drawn from its body built ahead", state.step + 1)
                if was is not None:  # laid out from the size it will have, not Kivy's 100 x 100
                    screen.size = was  # (which would squeeze the ready picture, then grow it)
            self.steps_ahead.showing(key, body)
            self._ahead_after_draw = True
            screen.add_widget(body)
        else:
            screen.add_widget(self.header(view, palette, sizes))
            screen.add_widget(screen_body.body(self, view, palette, sizes, landscape))
        # in the room left by the notice rows and the caption; scrolls (with a cue) if it
        # needs more (kiosk.ui.scroll_fit)
        self.screen_region = FitOrScroll(screen, palette, sizes, on_settled=self._settled)
        content.add_widget(self.screen_region)
        if captions:
            content.add_widget(self._caption(view, palette, sizes))
        if view.bar:
            bar = self._bar(view, palette, sizes, landscape)
            (root if sidebar else content).add_widget(bar)
        draw_focus(self.root_box, view, palette, sizes)
        self.said_lines = []  # lines said before this screen was drawn are not carried further
        self._collect_after_draw = True
        self.rendered(view)

    @property
    def settling(self) -> bool:
        """The screen is still being measured (kiosk.ui.scroll_fit): not yet as the visitor
        will see it."""
        region = getattr(self, "screen_region", None)
        return region is not None and region.parent is not None and not region.settled

    def _settled(self, region: FitOrScroll) -> None:
        """A screen that scrolls: the same screen drawn again (the keypad focus moved, a
        notice came) keeps its place, and the focused control is scrolled into view."""
        if region is not self.screen_region or region.scroller is None:
            return
        state = self.runtime.state
        key = (state.screen, state.lesson, state.step, getattr(state.activity, "step", None))
        same, keep, focus = self._scroll_place[0] == key, *self._scroll_place[1:]
        # a new screen starts at its top (its title); on the same screen a moved keypad focus
        # is brought into view
        moved = same and focus != self.view.focus
        region.show(focused_widget(region.screen, self.view) if moved else None,
                    scroll_y=keep if same else 1.0)
        focus = self.view.focus
        self._scroll_place = (key, region.scroller.scroll_y, focus)
        region.scroller.bind(scroll_y=lambda sv, y: setattr(self, "_scroll_place", (key, y, focus)))

    def header(self, view: View, palette: Palette, sizes: Sizes, extras=None) -> Widget:
        """The title row: title, progress, then the header hooks (`extras`: in their place,
        for a header that is only measured, kiosk.ui.step_ahead)."""
        box = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=sizes.gap)
        title = Text(view.title, sizes.title, palette.text, bold=True, role="title")
        box.add_widget(title)
        if view.progress:
            progress = Label(text=view.progress, font_size=sizes.progress, bold=True,
                             color=palette.text, size_hint=(None, None))
            progress.role = "progress"
            progress.bind(texture_size=lambda *_: setattr(progress, "size", progress.texture_size))
            box.add_widget(progress)
        for extra in self.header_extras if extras is None else extras:
            extra(box, view, palette, sizes)
        title.bind(height=lambda *_: setattr(box, "height", max(title.height, L.line_height(sizes.progress))))
        return box

    def icon_file(self, name: str | None, color: tuple) -> Path | None:
        if not name:
            return None
        return icons.icon_path(name, color, self.data_dir / "icons")

    def choice_row(self, choices, palette: Palette, sizes: Sizes) -> Widget:
        """Choices side by side (layout "row", and the ticket screen's optional priority row)."""
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap, size_hint_y=None,
                        height=sizes.target)
        def fit(*_):  # as tall as the tallest label needs now (not the most it ever needed)
            row.height = max([sizes.target] + [b.texture_size[1] for b in row.children])
        for c in choices:
            btn = KioskButton(c, palette, sizes, on_release=self.tap_choice)
            btn.bind(texture_size=fit)
            row.add_widget(btn)
        return row

    def choice_buttons(self, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
        n = len(view.choices)
        if view.layout == "row":
            return self.choice_row(view.choices, palette, sizes)
        if view.layout == "switches":
            large = self.runtime.state.modes.large_text
            if landscape:
                cols = 3 if n > 6 else 2
            else:  # one column in large text, unless it would not fit the height (Cách dùng)
                cols = 1 if large and n <= 6 else 2
            rows = -(-n // cols)
            gaps = (rows - 1) * sizes.gap
            grid = GridLayout(cols=cols, spacing=sizes.gap, size_hint_min_y=rows * sizes.target + gaps,
                              size_hint_max_y=rows * sizes.target * 1.6 + gaps)
            grid.flexible = True
            # the welcome screen's switches always have pictures; a crowded settings screen
            # in large text keeps the words and the check boxes
            pictures = view.screen == "welcome" or not large or view.simple
            for c in view.choices:
                fg = palette.primary_text if c.primary else palette.button_text
                check = None
                if c.checked is not None:
                    check = self.icon_file("check_on" if c.checked else "check_off", fg)
                icon = self.icon_file(c.icon, fg) if pictures else None
                tile = a11y.IconTile(c, palette, sizes, icon, check=check, on_release=self.tap_choice)
                grid.add_widget(tile)
            need = self._switch_rows(grid, cols, sizes)
            grid.rows_minimum = dict(enumerate(need))
            grid.size_hint_min_y = max(grid.size_hint_min_y, sum(need) + gaps)
            return grid
        if view.layout == "tiles":
            # pictures with a word: the grid takes the height there is, within limits
            cols = min(n, 3 if landscape else 2)
            rows = -(-n // cols)
            gaps = (rows - 1) * sizes.gap
            grid = GridLayout(cols=cols, spacing=sizes.gap,
                              size_hint_min_y=rows * sizes.target * 1.4 + gaps,
                              size_hint_max_y=rows * sizes.target * 2.6 + gaps)
            grid.flexible = True
            for c in view.choices:
                fg = palette.primary_text if c.primary else palette.button_text
                tile = a11y.IconTile(c, palette, sizes, self.icon_file(c.icon, fg), vertical=True,
                                     label_size=sizes.button, on_release=self.tap_choice)
                grid.add_widget(tile)
            return grid
        cols = 2 if landscape and n >= 4 and not (view.qr_text or view.image) else 1
        grid = GridLayout(cols=cols, spacing=sizes.gap, size_hint_y=None)
        grid.bind(minimum_height=grid.setter("height"))
        buttons = []
        for c in view.choices:
            btn = KioskButton(c, palette, sizes, height=sizes.target, numbered=True,
                              on_release=self.tap_choice)
            buttons.append(btn)
            grid.add_widget(btn)
        if cols > 1:  # the buttons of a row as tall as the tallest
            def even(*_):
                for r in range(0, len(buttons), cols):
                    row = buttons[r:r + cols]
                    h = max(max(sizes.target, b.texture_size[1]) for b in row)
                    for b in row:
                        b.height = h
            for b in buttons:
                b.unbind(texture_size=b.grow)
                b.bind(texture_size=even)
        return grid

    def _switch_rows(self, grid, cols: int, sizes: Sizes) -> list[float]:
        """The least height of each row of switches: as tall as its longest label needs."""
        width = (self.frame.content_w - (cols - 1) * sizes.gap) / cols
        tiles = list(reversed(grid.children))
        return [max(sizes.target, *(t.needed_height(width) for t in tiles[r:r + cols]))
                for r in range(0, len(tiles), cols)]

    def _bar_icon_w(self, sizes: Sizes) -> float:
        return min(sizes.target * 0.6, 80 * max(sizes.scale, 0.75))

    def _bar(self, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
        fr = self.frame
        if fr.sidebar_w:
            bar = BoxLayout(orientation="vertical", spacing=sizes.gap, size_hint_x=None,
                            width=fr.sidebar_w)
        else:
            bar = GridLayout(cols=fr.bar_cols, spacing=sizes.gap, size_hint_y=None,
                             height=fr.bar_h)
        for c in placed(view.bar):  # every control in its own slot, empty slots kept
            if c is None:
                gap = Widget()
                if not fr.sidebar_w:
                    gap.size_hint_y, gap.height = None, fr.bar_button_h
                bar.add_widget(gap)
                continue
            fg = palette.primary_text if c.primary else palette.button_text
            check = None
            if c.checked is not None:
                check = self.icon_file("check_on" if c.checked else "check_off", fg)
            if view.simple:
                btn = a11y.IconTile(c, palette, sizes, self.icon_file(c.icon, fg), check=check,
                                    numbered=False, on_release=self.tap_choice)
                btn.children[-1].width = self._bar_icon_w(sizes)
            else:
                btn = KioskButton(c, palette, sizes, check=check, on_release=self.tap_choice)
            if not fr.sidebar_w:
                btn.size_hint_y, btn.height = None, fr.bar_button_h
            bar.add_widget(btn)
        return bar

    def _caption(self, view: View, palette: Palette, sizes: Sizes) -> Widget:
        state = self.runtime.state
        # a new visitor (session) or a new screen starts from that screen's own line
        key = (self.runtime.session_id, state.screen, state.lesson, state.step, state.ticket,
               state.warning)
        if self.said_lines:
            self.caption = self.said_lines[-1]
        elif key != getattr(self, "caption_key", None) or not self.caption:
            self.caption = f"{self.cue_text} {view.caption or view.spoken}".strip()
            self.cue_text = ""
        self.caption_key = key
        self.said_lines = []
        # captions nobody chose (forced on because the kiosk has no sound) take one line: with a
        # notice row above, two would leave a large-text screen too little room
        chosen = state.modes.captions or state.modes.audio
        strip = a11y.CaptionStrip(palette, sizes, rate=state.modes.rate,
                                  lines=L.CAPTION_LINES if chosen else 1)
        # a redraw of the same screen (e.g. a notice appearing) keeps the caption and its cue
        strip.show(self.caption)
        self.caption_strip = strip
        return strip

    def show_focus_in(self, widget: Widget) -> None:
        """Draw the focus again inside `widget` (a practice phone rebuilt at a new text size)."""
        draw_focus(widget, self.view, self.palette, self.sizes)

    def tap_choice(self, widget) -> None:
        choice: Choice = widget.choice
        self.runtime.tap(choice.action, choice.arg)

    def _show_caption(self, text: str, why: str, rate: str) -> None:
        said = f"{self.cue_text} {self.runtime.last_caption or text}".strip()
        self.cue_text = ""
        self.caption = said
        self.said_lines.append(said)
        if self.caption_strip is not None:
            self.caption_strip.show(said)
