"""The Kivy app: draws the runtime's current `View` and turns touches into flow events.

Thin on purpose: what to show and what a touch means are decided in kiosk.core. Buttons act on
release only (never on touch-down), a single tap, no gestures.
"""

from __future__ import annotations

import io
import logging
import os
import time
import unicodedata
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.core.image import Image as CoreImage
from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.window import Window
from kivy.graphics import Color, Line, Rectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.core.runtime import Runtime
from kiosk.core.views import Choice, View
from kiosk.ui import icons
from kiosk.ui.theme import Palette, Sizes, font_files, theme_for

log = logging.getLogger("kiosk.ui")

_fonts_registered = False


def register_fonts() -> None:
    global _fonts_registered
    if _fonts_registered:
        return
    files = font_files()
    LabelBase.register(DEFAULT_FONT, fn_regular=str(files["regular"]), fn_bold=str(files["bold"]))
    LabelBase.register("Roboto", fn_regular=str(files["regular"]), fn_bold=str(files["bold"]))
    _fonts_registered = True


def _paint(widget: Widget, color: tuple, border: tuple | None = None) -> None:
    with widget.canvas.before:
        Color(*color)
        rect = Rectangle(pos=widget.pos, size=widget.size)
        if border:
            Color(*border)
            line = Line(rectangle=(*widget.pos, *widget.size), width=3)
    def update(*_):
        rect.pos, rect.size = widget.pos, widget.size
        if border:
            line.rectangle = (*widget.pos, *widget.size)
    widget.bind(pos=update, size=update)


class Text(Label):
    """A wrapping label whose height follows its text."""

    def __init__(self, text: str, size: float, color: tuple, bold=False, halign="left", **kw):
        super().__init__(text=text, font_size=size, color=color, bold=bold, halign=halign,
                         valign="middle", size_hint_y=None, **kw)
        self.bind(width=lambda *_: setattr(self, "text_size", (self.width, None)),
                  texture_size=lambda *_: setattr(self, "height", self.texture_size[1]))


class KioskButton(Button):
    """A large button that knows which choice it stands for."""

    def __init__(self, choice: Choice, palette: Palette, sizes: Sizes, height=None, **kw):
        bg = palette.primary if choice.primary else palette.button
        fg = palette.primary_text if choice.primary else palette.button_text
        text = choice.label if not choice.detail else f"[b]{choice.label}[/b]\n[size={int(sizes.body * 0.8)}]{choice.detail}[/size]"
        super().__init__(text=text, markup=bool(choice.detail), font_size=sizes.button,
                         bold=not choice.detail, color=fg,
                         background_normal="", background_down="", background_color=bg,
                         halign="center", valign="middle", **kw)
        self.choice = choice
        self.tap_label = choice.label
        self._bg, self._pressed = bg, palette.pressed
        if height:
            self.size_hint_y, self.height = None, max(height, sizes.target)
        self.bind(size=lambda *_: setattr(self, "text_size", (self.width - 24, None)))
        self.bind(state=self._show_state)
        if palette.background == (0.0, 0.0, 0.0, 1.0):  # high contrast: outline every control
            _paint(self, (0, 0, 0, 0), border=palette.button_text)

    def _show_state(self, *_):
        self.background_color = self._pressed if self.state == "down" else self._bg


class Tile(ButtonBehavior, BoxLayout):
    """Home screen tile: a pictogram and one word."""

    def __init__(self, choice: Choice, palette: Palette, sizes: Sizes, icon: Path | None, **kw):
        super().__init__(orientation="vertical", padding=sizes.pad / 2, spacing=8, **kw)
        self.choice = choice
        self.tap_label = choice.label
        with self.canvas.before:
            self._color = Color(*palette.button)
            self._rect = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._sync, size=self._sync, state=self._press)
        self._bg, self._pressed = palette.button, palette.pressed
        if palette.background == (0.0, 0.0, 0.0, 1.0):
            _paint(self, (0, 0, 0, 0), border=palette.button_text)
        if icon:
            self.add_widget(Image(source=str(icon), fit_mode="contain"))
        label = Label(text=choice.label, font_size=sizes.title * 0.8, bold=True,
                      color=palette.button_text, size_hint_y=None, halign="center")
        label.bind(texture_size=lambda *_: setattr(label, "height", label.texture_size[1] + 8),
                   width=lambda *_: setattr(label, "text_size", (label.width, None)))
        self.add_widget(label)

    def _sync(self, *_):
        self._rect.pos, self._rect.size = self.pos, self.size

    def _press(self, *_):
        self._color.rgba = self._pressed if self.state == "down" else self._bg


class KioskApp(App):
    title = "Kiosk hướng dẫn dịch vụ công"

    def __init__(self, runtime: Runtime, data_dir: Path, screenshots: Path | None = None, **kw):
        super().__init__(**kw)
        self.runtime = runtime
        self.data_dir = Path(data_dir)
        self.screenshots = Path(screenshots) if screenshots else None
        self.shot_count = 0
        self.exit_code = 0
        self.caption = ""
        self._last_key = None
        self._drawn_frames = 0
        self.after_render: list = []  # callbacks (e.g. the replay driver) after each render
        self.first_frame: list = []   # callbacks once the first frame is on screen
        # speech (kiosk.ui.voice): header widgets (the Nói button), "still working" checks for
        # the replay driver, captions shown for everyone when the kiosk cannot make a sound
        self.header_extras: list = []  # callables (header_box, view, palette, sizes)
        self.busy: list = []           # callables () -> bool
        self.captions_forced = False

    # --- lifecycle ------------------------------------------------------------------------

    def build(self):
        register_fonts()
        self.root_box = BoxLayout(orientation="vertical")
        with self.root_box.canvas.before:
            self._bg_color = Color(1, 1, 1, 1)
            self._bg_rect = Rectangle(pos=self.root_box.pos, size=self.root_box.size)
        self.root_box.bind(pos=lambda w, v: setattr(self._bg_rect, "pos", v),
                           size=lambda w, v: setattr(self._bg_rect, "size", v))
        self.runtime.on_change.append(lambda state, view: self.render())
        self.runtime.on_say.append(self._show_caption)
        Clock.schedule_interval(lambda dt: self.runtime.tick(), 0.5)
        Window.bind(on_flip=self._flipped)
        self.render()
        return self.root_box

    def _flipped(self, *_):
        self._drawn_frames += 1
        if self._drawn_frames == 1:
            if os.environ.get("KIOSK_BENCH_FIRST_FRAME"):
                print(f"first-frame {time.time():.6f}", flush=True)
                self.stop()
            for cb in self.first_frame:
                Clock.schedule_once(lambda *_, cb=cb: cb(), 0)

    # --- drawing -------------------------------------------------------------------------

    def render(self) -> None:
        state = self.runtime.state
        view = self.runtime.view()
        palette, sizes = theme_for(state.modes.large_text, state.modes.high_contrast)
        Window.clearcolor = palette.background
        root = self.root_box
        root.clear_widgets()
        self._bg_color.rgba = palette.background
        root.padding, root.spacing = sizes.pad, sizes.gap
        landscape = Window.width >= Window.height

        if self.runtime.notices:
            notice = Text(" ".join(self.runtime.notices.values()), sizes.body * 0.8,
                          palette.notice_text, padding=(16, 8))
            _paint(notice, palette.notice)
            root.add_widget(notice)
        from kiosk.ui import practice_screens  # practice copies, scam drills, quiz
        if practice_screens.handles(view):
            root.add_widget(practice_screens.body(self, view, palette, sizes, landscape))
        else:
            root.add_widget(self._header(view, palette, sizes))
            root.add_widget(self._body(view, palette, sizes, landscape))
        if state.modes.captions or state.modes.audio or self.captions_forced:
            cap = Text(f"Lời đọc: {self.caption}" if self.caption else "Lời đọc sẽ hiện ở đây.",
                       sizes.body * 0.8, palette.muted, italic=True)
            cap.name = "caption"
            root.add_widget(cap)
        if view.bar:
            root.add_widget(self._bar(view, palette, sizes, landscape))
        self._after_render(view)

    def _header(self, view: View, palette: Palette, sizes: Sizes) -> Widget:
        box = BoxLayout(orientation="horizontal", size_hint_y=None, spacing=sizes.gap)
        title = Text(view.title, sizes.title, palette.text, bold=True)
        box.add_widget(title)
        if view.progress:
            progress = Label(text=view.progress, font_size=sizes.progress, bold=True,
                             color=palette.text, size_hint=(None, None))
            progress.bind(texture_size=lambda *_: setattr(progress, "size", progress.texture_size))
            box.add_widget(progress)
        for extra in self.header_extras:
            extra(box, view, palette, sizes)
        title.bind(height=lambda *_: setattr(box, "height", max(title.height, sizes.progress * 1.4)))
        return box

    def _body(self, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
        body = BoxLayout(orientation="vertical", spacing=sizes.gap)
        if view.big:
            big = Label(text=view.big, font_size=sizes.big, bold=True, color=palette.text)
            # When the screen is full (large text), the number shrinks rather than overlap.
            big.bind(height=lambda w, h: setattr(w, "font_size", max(sizes.big * 0.5, min(sizes.big, h * 0.9))))
            body.add_widget(big)
        text_box = BoxLayout(orientation="vertical", spacing=sizes.gap / 2, size_hint_y=None)
        text_box.bind(minimum_height=text_box.setter("height"))
        for para in view.body:
            # Beside a big queue number the words ("Vui lòng chờ") are large too.
            text_box.add_widget(Text(para, sizes.title if view.big else sizes.body, palette.text,
                                     bold=bool(view.big), halign="center" if view.big else "left"))
        if view.qr_text or view.image:
            row = BoxLayout(orientation="horizontal" if landscape else "vertical", spacing=sizes.gap,
                            size_hint_y=None, height=Window.height * (0.42 if landscape else 0.5))
            row.add_widget(text_box)
            picture = self._picture(view)
            if picture is not None:
                row.add_widget(picture)
            body.add_widget(row)
        else:
            body.add_widget(text_box)
        if view.choices:
            body.add_widget(self._choices(view, palette, sizes, landscape))
        if getattr(view, "options", ()):
            body.add_widget(self._row(view.options, palette, sizes))
        if not view.big:  # the big number takes the free space itself
            body.add_widget(Widget())  # pushes content up
        return body

    def _picture(self, view: View) -> Widget | None:
        if view.qr_text:
            texture = qr_texture(view.qr_text)
            return Image(texture=texture, fit_mode="contain")
        if view.image and Path(view.image).is_file():
            return Image(source=str(view.image), fit_mode="contain")
        return None

    def _row(self, choices, palette: Palette, sizes: Sizes) -> Widget:
        """Choices side by side (layout "row", and the ticket screen's optional priority row)."""
        row = BoxLayout(orientation="horizontal", spacing=sizes.gap, size_hint_y=None,
                        height=sizes.target)
        for c in choices:
            btn = KioskButton(c, palette, sizes, on_release=self._tapped)
            btn.bind(texture_size=lambda b, ts: setattr(row, "height", max(row.height, ts[1] + 40)))
            row.add_widget(btn)
        return row

    def _choices(self, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
        if view.layout == "row":
            return self._row(view.choices, palette, sizes)
        if view.layout == "tiles":
            cols = 3 if landscape else 2
            grid = GridLayout(cols=cols, spacing=sizes.gap, size_hint_y=None)
            rows = -(-len(view.choices) // cols)
            tile_h = max(sizes.target * 1.8, (Window.height * (0.55 if landscape else 0.5)) / max(rows, 1))
            grid.height = rows * tile_h + (rows - 1) * sizes.gap
            cache = self.data_dir / "icons"
            for c in view.choices:
                grid.add_widget(Tile(c, palette, sizes, icons.icon_path(c.icon, palette.button_text, cache),
                                     size_hint_y=None, height=tile_h, on_release=self._tapped))
            return grid
        box = BoxLayout(orientation="vertical", spacing=sizes.gap, size_hint_y=None)
        box.bind(minimum_height=box.setter("height"))
        for c in view.choices:
            lines = 2 if c.detail else 1
            h = sizes.button * 1.5 * lines + 40
            btn = KioskButton(c, palette, sizes, height=h, on_release=self._tapped)
            btn.bind(texture_size=lambda b, ts: setattr(b, "height", max(b.height, ts[1] + 40)))
            box.add_widget(btn)
        return box

    def _bar(self, view: View, palette: Palette, sizes: Sizes, landscape: bool) -> Widget:
        bar = BoxLayout(orientation="horizontal", spacing=sizes.gap, size_hint_y=None,
                        height=sizes.target + (0 if landscape else sizes.button * 1.2))
        for c in view.bar:
            btn = KioskButton(c, palette, sizes, on_release=self._tapped)
            if c.action == "large_text" and self.runtime.state.modes.large_text:
                btn._bg = btn.background_color = palette.pressed  # shows the mode is on
            btn.bind(texture_size=lambda b, ts: setattr(bar, "height", max(bar.height, ts[1] + 40)))
            bar.add_widget(btn)
        return bar

    def _tapped(self, widget) -> None:
        choice: Choice = widget.choice
        self.runtime.tap(choice.action, choice.arg)

    def _show_caption(self, text: str, why: str, rate: str) -> None:
        self.caption = text
        for w in self.root_box.walk():
            if getattr(w, "name", None) == "caption":
                w.text = f"Lời đọc: {text}"

    # --- screenshots and the replay driver ------------------------------------------------

    def _after_render(self, view: View) -> None:
        state = self.runtime.state
        from kiosk.ui.practice_screens import shot_key, shot_suffix
        key = (state.screen, state.lesson, state.step, state.ticket, state.warning,
               state.modes.large_text, state.modes.high_contrast, shot_key(state))
        if self.screenshots and key != self._last_key:
            self.shot_count += 1
            name = f"{self.shot_count:03d}-{state.screen}"
            if state.screen == "step":
                name += f"-{state.lesson}-{state.step + 1}"
            name += shot_suffix(state)
            if state.warning:
                name += "-warning"
            self.screenshot_after_draw(self.screenshots / f"{name}.png")
        self._last_key = key
        for cb in list(self.after_render):
            cb(view)

    def screenshot_after_draw(self, path: Path) -> None:
        """Save the window once the current layout has been drawn (two frames later)."""
        path.parent.mkdir(parents=True, exist_ok=True)

        def shoot(*_):
            written = Window.screenshot(name=str(path))
            if written and Path(written) != path:
                Path(written).replace(path)
        Clock.schedule_once(lambda *_: Clock.schedule_once(shoot, 0), 0)


def qr_texture(text: str):
    import qrcode
    img = qrcode.make(text, box_size=10, border=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return CoreImage(buf, ext="png").texture


def visible_controls(root: Widget) -> list[Widget]:
    """Every control a visitor could tap now (used by replay and tests)."""
    out = []
    for w in root.walk(restrict=True):
        if hasattr(w, "tap_label") and not w.disabled and w.opacity > 0 and w.get_root_window():
            out.append(w)
    return out


def visible_texts(root: Widget) -> list[str]:
    texts = []
    for w in root.walk(restrict=True):
        if isinstance(w, Label) and w.text and w.opacity > 0:
            texts.append(_strip_markup(w.text))
    return texts


def _strip_markup(text: str) -> str:
    import re
    return re.sub(r"\[/?[a-z]+(=[^\]]*)?\]", "", text)


def norm(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
