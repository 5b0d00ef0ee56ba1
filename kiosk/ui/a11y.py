"""Kivy side of the accessibility modes: switch tiles, focus ring, captions, cues, keys.

Thin: what a key does, what is focused or armed, and what the caption says are decided in
kiosk.core (keys, access); here they are only drawn, played or forwarded.
"""

from __future__ import annotations

import logging
import math
import struct
import wave
from pathlib import Path

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics import Color, InstructionGroup, Line, Rectangle
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.utils import escape_markup

from kiosk.core.screens import keys as K
from kiosk.core.screens import layout as L

log = logging.getLogger("kiosk.ui")


# --- painting helpers -------------------------------------------------------------------

def paint(widget, color: tuple, border: tuple | None = None, border_w: float = 3,
          press: tuple | None = None) -> None:
    """A background (and outline) that follows the widget; remembers it for the checks.

    `press`: the colour of the thick inner frame shown while the control is held down, so
    that "pressed" does not rely on colour alone."""
    widget.bg = color
    with widget.canvas.before:
        fill = Color(*color)
        rect = Rectangle(pos=widget.pos, size=widget.size)
        if border:
            Color(*border)
            line = Line(rectangle=(*widget.pos, *widget.size), width=border_w)
        if press:
            press_color = Color(*press[:3], 0)
            press_line = Line(rectangle=(*widget.pos, *widget.size), width=8)
            widget._press_color = press_color

    def update(*_):
        rect.pos, rect.size = widget.pos, widget.size
        if border:
            line.rectangle = (*widget.pos, *widget.size)
        if press:
            x, y = widget.pos
            w, h = widget.size
            press_line.rectangle = (x + 8, y + 8, max(0, w - 16), max(0, h - 16))
    widget.bind(pos=update, size=update)
    widget._fill = fill


def set_bg(widget, color: tuple) -> None:
    widget.bg = color
    if getattr(widget, "_fill", None) is not None:
        widget._fill.rgba = color


def show_pressed(widget, down: bool) -> None:
    """Pressed: another colour *and* a thick inner frame (not colour alone)."""
    if getattr(widget, "_press_color", None) is not None:
        widget._press_color.a = 1.0 if down else 0.0


def ring(widget, palette, thickness: float, armed: bool = False) -> None:
    """The focus ring: a thick double outline just outside the control, plus corner marks.

    Thickness and shape carry it, not colour alone; an armed control (simple mode, touched
    once) gets a second, dashed ring as well."""
    group = InstructionGroup()
    outer, inner = Color(*palette.focus), Color(*palette.focus_inner)
    t = thickness
    lines = [Line(width=t), Line(width=max(1.5, t / 3))]
    group.add(outer)
    group.add(lines[0])
    group.add(inner)
    group.add(lines[1])
    dash = None
    if armed:
        dash = Line(width=max(1.5, t / 3), dash_length=12, dash_offset=8)
        group.add(Color(*palette.focus))
        group.add(dash)

    def update(*_):
        x, y = widget.pos
        w, h = widget.size
        o = t * 1.2
        lines[0].rectangle = (x - o, y - o, w + 2 * o, h + 2 * o)
        lines[1].rectangle = (x - o + t * 0.9, y - o + t * 0.9, w + 2 * o - 1.8 * t, h + 2 * o - 1.8 * t)
        if dash is not None:
            d = o + t * 1.1
            dash.rectangle = (x - d, y - d, w + 2 * d, h + 2 * d)
    widget.canvas.after.add(group)
    widget.bind(pos=update, size=update)
    update()
    widget.focused = True


# --- tiles ------------------------------------------------------------------------------

def shown_text(choice, numbered: bool = True) -> str:
    """The words on a control: its key number first when a digit chooses it."""
    text = choice.short or choice.label
    if numbered and choice.key and choice.key.isdigit():
        text = f"{choice.key}   {text}"
    return text


class IconTile(ButtonBehavior, BoxLayout):
    """A control with a pictogram: a mode switch (icon, name, check box) or a simple-mode tile
    (icon above one word). Acts on release only."""

    def __init__(self, choice, palette, sizes, icon: Path | None, check: Path | None = None,
                 vertical: bool = False, label_size: float | None = None, numbered: bool = True,
                 **kw):
        super().__init__(orientation="vertical" if vertical else "horizontal",
                         padding=L.BUTTON_PAD_Y, spacing=L.BUTTON_PAD_X, **kw)
        self.choice = choice
        self.tap_label = choice.label
        self._bg = palette.primary if choice.primary else palette.button
        self._fg = palette.primary_text if choice.primary else palette.button_text
        self._palette = palette
        paint(self, self._bg, border=palette.button_text if palette.high else None,
              press=palette.pressed_text)
        size = label_size or sizes.button
        self.size_px = size
        self.icon_min = max(40.0, min(sizes.target * 0.6, L.line_height(size) * 1.2))
        self.icon_max = max(self.icon_min, 150 * sizes.scale)
        self.check_w = self.icon_min * 0.8 if check else 0.0
        self.img = None
        if icon:
            img = Image(source=str(icon), fit_mode="contain")
            if vertical:
                img.size_hint_y = 1
            else:  # the picture grows with the tile: big pictured buttons where there is room
                img.size_hint_x, img.width = None, self.icon_min
                self.bind(height=lambda *_: setattr(img, "width", min(
                    self.icon_max, max(self.icon_min, self.height - 2 * L.BUTTON_PAD_Y))))
            self.img = img
            self.add_widget(img)
        self.numbered = numbered
        text = escape_markup(shown_text(choice, numbered))
        if choice.detail and not vertical:
            text = f"{text}\n[size={int(sizes.small)}]{escape_markup(choice.detail)}[/size]"
        label = Label(text=text, markup=True, font_size=size, bold=True, color=self._fg,
                      halign="center" if vertical else "left", valign="middle")
        label.role = "button"
        label.bind(size=lambda *_: setattr(label, "text_size", (label.width, None)))
        if vertical:
            label.size_hint_y = None
            label.bind(texture_size=lambda *_: setattr(label, "height", label.texture_size[1]))
        self.label = label
        self.add_widget(label)
        if check:
            box = Image(source=str(check), fit_mode="contain", size_hint_x=None,
                        width=self.check_w)
            box.is_check = True
            self.add_widget(box)
        self.bind(state=self._press)

    def needed_height(self, width: float) -> float:
        """Height this tile needs at `width` with its smallest picture (horizontal tiles)."""
        room = width - 2 * L.BUTTON_PAD_Y - self.check_w - (self.icon_min if self.img else 0)
        room -= L.BUTTON_PAD_X * (len(self.children) - 1)
        _, h, _ = L.text_block(shown_text(self.choice, self.numbered), self.size_px, room, bold=True)
        return h + 2 * L.BUTTON_PAD_Y

    def _press(self, *_):
        down = self.state == "down"
        set_bg(self, self._palette.pressed if down else self._bg)
        show_pressed(self, down)
        self.label.color = self._palette.pressed_text if down else self._fg


# --- captions (Phụ đề) --------------------------------------------------------------------

class CaptionStrip(Label):
    """Subtitles: the spoken line in pieces of at most two lines, each shown long enough to read."""

    def __init__(self, palette, sizes, rate: str = "normal", lines: int = L.CAPTION_LINES, **kw):
        super().__init__(font_size=sizes.small, color=palette.caption_text, halign="left",
                         valign="middle", size_hint_y=None, height=L.caption_height(sizes, lines),
                         padding=(L.BUTTON_PAD_X * 2, L.BUTTON_PAD_Y), **kw)
        self.lines = lines
        self.role = "small"
        self.name = "caption"
        paint(self, palette.caption)
        self.sizes = sizes
        self.rate = rate
        self.pieces: list[str] = []
        self.index = 0
        self.full = ""
        self._event = None
        self.bind(width=self._rewrap)

    def show(self, text: str) -> None:
        self.full = text
        self._rewrap()

    def _rewrap(self, *_):
        width = self.width - 4 * L.BUTTON_PAD_X  # text_size includes the padding
        self.text_size = (self.width, None)
        if width <= 50:
            return
        self.pieces = L.chunks(self.full, self.sizes.small, width, self.lines) if self.full else [""]
        self.index = 0
        self._show_piece()

    def _show_piece(self):
        if self._event is not None:
            self._event.cancel()
            self._event = None
        piece = self.pieces[self.index] if self.pieces else ""
        self.text = piece
        if self.index + 1 < len(self.pieces):
            per_char = {"slow": 0.11, "normal": 0.08, "fast": 0.06}.get(self.rate, 0.08)
            self._event = Clock.schedule_once(self._advance, max(2.5, len(piece) * per_char))

    def _advance(self, *_):
        self._event = None
        if self.index + 1 < len(self.pieces):
            self.index += 1
            self._show_piece()

    def stop(self):
        if self._event is not None:
            self._event.cancel()
            self._event = None


# --- cues: a sound, or (captions mode) a visual flash ------------------------------------

CUE_TONES = {"warning": (660, 0.35), "ticket": (880, 0.45), "armed": (520, 0.12),
             "volume": (740, 0.12), "focus": (600, 0.06), "call": (784, 0.6)}
CUE_WORDS = {"warning": "(Chuông báo)", "ticket": "(Chuông báo có số)", "call": "(Chuông báo)"}


def cue_wav(kind: str, cache: Path) -> Path:
    freq, seconds = CUE_TONES.get(kind, (700, 0.2))
    path = cache / f"cue-{kind}.wav"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    rate = 22050
    n = int(rate * seconds)
    frames = b"".join(struct.pack("<h", int(9000 * math.sin(2 * math.pi * freq * i / rate)
                                            * min(1, (n - i) / 800, i / 200 + 0.01)))
                      for i in range(n))
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    tmp.replace(path)
    return path


class Cues:
    """Plays the sound of a cue, or flashes the screen frame when captions are on."""

    def __init__(self, app, cache: Path):
        self.app = app
        self.cache = cache
        self.sounds: dict[str, object] = {}
        self.flashes = 0          # for tests: how many visual cues were shown
        self.played: list[str] = []
        self._group = None

    def __call__(self, kind: str, visual: bool) -> None:
        if visual:
            self.flash(kind)
        elif kind in ("warning", "ticket", "armed", "volume", "call"):
            self.play(kind)

    def play(self, kind: str) -> None:
        try:
            from kivy.core.audio import SoundLoader
            sound = self.sounds.get(kind)
            if sound is None:
                sound = SoundLoader.load(str(cue_wav(kind, self.cache)))
                self.sounds[kind] = sound
            if sound is not None:
                sound.volume = self.app.runtime.volume
                sound.stop()
                sound.play()
            self.played.append(kind)
        except Exception as e:  # no sound device: the cue is lost, never the kiosk
            log.warning("cannot play the %s cue: %s", kind, e)

    def flash(self, kind: str) -> None:
        self.flashes += 1
        self.app.cue_text = CUE_WORDS.get(kind, "")
        palette = self.app.palette
        root = self.app.root_box
        if self._group is not None:
            root.canvas.after.remove(self._group)
        group = InstructionGroup()
        color = Color(*palette.focus)
        w = max(12.0, 16 * (Window.height / 1080))
        line = Line(rectangle=(w / 2, w / 2, Window.width - w, Window.height - w), width=w)
        group.add(color)
        group.add(line)
        root.canvas.after.add(group)
        self._group = group
        steps = iter(range(6))

        def blink(*_):
            i = next(steps, None)
            if i is None or self._group is not group:
                if self._group is group:
                    root.canvas.after.remove(group)
                    self._group = None
                return False
            color.a = 1.0 if i % 2 == 0 else 0.0
            return True
        Clock.schedule_interval(blink, 0.25)


# --- keys ---------------------------------------------------------------------------------

class KeyForwarder:
    """Window key events -> runtime.key(name). A held key acts once (no auto-repeat)."""

    def __init__(self, runtime):
        self.runtime = runtime
        self.down: set[int] = set()
        Window.bind(on_key_down=self._down, on_key_up=self._up)

    def _down(self, _window, key, scancode=None, codepoint=None, modifiers=None, *_):
        name = K.from_kivy(key, codepoint, modifiers or ())
        if name is None:
            return False
        if key in self.down:
            return True   # auto-repeat of a held key: ignored
        self.down.add(key)
        self.runtime.key(name)
        return True

    def _up(self, _window, key, *_):
        self.down.discard(key)
        return False


def press(name: str) -> None:
    """Press and release a key through the real Window events (for replay and tests)."""
    code, scancode, codepoint = K.press_args(name)
    Window.dispatch("on_key_down", code, scancode, codepoint, [])
    Window.dispatch("on_key_up", code, scancode)
