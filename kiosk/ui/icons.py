"""Simple pictograms for the topic tiles, drawn with Pillow (no image files to license or lose).

Drawn once per colour into a cache folder; the Kivy layer shows them as images.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from kiosk.ui.icons_tiles import TILE_DRAW


SIZE = 256
W = 14  # line width


def _rgb(color: tuple) -> tuple:
    return tuple(int(c * 255) for c in color[:3]) + (255,)


def _vneid(d, c):  # d: a PIL ImageDraw
    d.rounded_rectangle((20, 56, 236, 200), 22, outline=c, width=W)
    d.ellipse((48, 88, 108, 148), outline=c, width=W)
    d.arc((40, 140, 116, 210), 200, 340, fill=c, width=W)
    for y in (100, 132, 164):
        d.line((132, y, 212, y), fill=c, width=W)


def _dvc(d, c):
    d.polygon([(128, 24), (236, 88), (20, 88)], outline=c, width=W)
    for x in (52, 104, 152, 204):
        d.line((x, 100, x, 196), fill=c, width=W)
    d.line((20, 214, 236, 214), fill=c, width=W + 4)


def _payment(d, c):
    for x, y in ((24, 24), (152, 24), (24, 152)):
        d.rectangle((x, y, x + 80, y + 80), outline=c, width=W)
        d.rectangle((x + 26, y + 26, x + 54, y + 54), fill=c)
    for x, y in ((152, 152), (200, 152), (176, 192), (216, 208), (152, 208)):
        d.rectangle((x, y, x + 26, y + 26), fill=c)


def _health(d, c):
    d.rounded_rectangle((92, 28, 164, 228), 12, fill=c)
    d.rounded_rectangle((28, 92, 228, 164), 12, fill=c)


def _safety(d, c):
    d.polygon([(128, 20), (224, 56), (212, 150), (128, 236), (44, 150), (32, 56)], outline=c, width=W)
    d.line((84, 128, 118, 164, 178, 96), fill=c, width=W + 4, joint="curve")


def _internet(d, c):
    d.ellipse((24, 24, 232, 232), outline=c, width=W)
    d.ellipse((82, 24, 174, 232), outline=c, width=W)
    d.line((24, 128, 232, 128), fill=c, width=W)
    d.arc((30, -20, 226, 110), 30, 150, fill=c, width=W)
    d.arc((30, 146, 226, 276), 210, 330, fill=c, width=W)


def _start(d, c):
    d.polygon([(72, 40), (216, 128), (72, 216)], fill=c)


def _mic(d, c):  # push-to-talk: a microphone on its stand
    d.rounded_rectangle((88, 16, 168, 152), 40, fill=c)
    d.arc((56, 72, 200, 184), 0, 180, fill=c, width=W)
    d.line((128, 184, 128, 226), fill=c, width=W)
    d.line((84, 230, 172, 230), fill=c, width=W + 2)


DRAW = {"vneid": _vneid, "dvc": _dvc, "payment": _payment, "health": _health,
        "safety": _safety, "internet": _internet, "start": _start, "mic": _mic}


def icon_path(name: str, color: tuple, cache: Path) -> Path | None:
    """The icon as a cached PNG; in a temporary folder when the data folder is full or read-only,
    None (the button keeps its words) when nothing can be written: the kiosk must start anyway."""
    draw = DRAW.get(name)
    if draw is None:
        return None
    rgba = _rgb(color)
    file = f"{name}-{'%02x%02x%02x' % rgba[:3]}.png"
    for folder in (cache, _fallback_cache()):
        path = folder / file
        if path.exists():
            return path
        try:
            _draw_to(path, draw, rgba)
            return path
        except OSError as e:
            logging.getLogger("kiosk.icons").warning("cannot cache icon %s: %s", path, e)
    return None


def _fallback_cache() -> Path:
    import tempfile
    return Path(tempfile.gettempdir()) / f"hcc-kiosk-icons-{os.getuid() if hasattr(os, 'getuid') else 0}"


def _draw_to(path: Path, draw, rgba) -> None:
    from PIL import Image, ImageDraw  # only when an icon is not cached yet

    path.parent.mkdir(parents=True, exist_ok=True)
    img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw(ImageDraw.Draw(img), rgba)
    tmp = path.with_suffix(".tmp.png")
    try:
        img.save(tmp)
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


# --- controls and accessibility modes (simple mode tiles, mode switches) -------------------

def _arrow(d, c, left: bool):
    pts = [(40, 128), (120, 48), (120, 96), (216, 96), (216, 160), (120, 160), (120, 208)]
    if not left:
        pts = [(256 - x, y) for x, y in pts]
    d.polygon(pts, fill=c)


def _repeat(d, c):  # an ear
    d.arc((56, 24, 200, 168), 180, 20, fill=c, width=W)
    d.line((193, 120, 150, 170, 140, 210, 112, 228, 84, 218), fill=c, width=W, joint="curve")
    d.arc((96, 64, 160, 128), 180, 0, fill=c, width=W)


def _large_text(d, c):  # a small A and a big A
    d.polygon([(20, 200), (56, 100), (92, 200)], outline=c, width=W - 4)
    d.line((36, 168, 76, 168), fill=c, width=W - 4)
    d.polygon([(104, 232), (170, 24), (236, 232)], outline=c, width=W)
    d.line((132, 168, 208, 168), fill=c, width=W)


def _settings(d, c):  # three sliders
    for y, x in ((56, 80), (128, 176), (200, 112)):
        d.line((24, y, 232, y), fill=c, width=W)
        d.ellipse((x - 26, y - 26, x + 26, y + 26), fill=c)


def _call_staff(d, c):  # a person with a raised hand
    d.ellipse((88, 20, 152, 84), fill=c)
    d.rounded_rectangle((72, 96, 168, 236), 30, fill=c)
    d.line((168, 120, 220, 40), fill=c, width=W + 6)


def _done(d, c):
    d.line((36, 132, 100, 200, 224, 60), fill=c, width=W + 10, joint="curve")


def _home(d, c):
    d.polygon([(128, 24), (236, 120), (20, 120)], fill=c)
    d.rectangle((52, 120, 204, 232), outline=c, width=W)
    d.rectangle((108, 160, 148, 232), fill=c)


def _high_contrast(d, c):  # a circle half filled
    d.ellipse((24, 24, 232, 232), outline=c, width=W)
    d.pieslice((24, 24, 232, 232), 90, 270, fill=c)


def _audio(d, c):  # a loudspeaker with waves
    d.polygon([(24, 96), (72, 96), (132, 40), (132, 216), (72, 160), (24, 160)], fill=c)
    d.arc((120, 76, 184, 180), 300, 60, fill=c, width=W)
    d.arc((128, 40, 232, 216), 300, 60, fill=c, width=W)


def _simple(d, c):  # a picture and a speech bubble
    d.rectangle((20, 40, 160, 160), outline=c, width=W)
    d.polygon([(36, 144), (80, 90), (120, 144)], fill=c)
    d.ellipse((112, 52, 140, 80), fill=c)
    d.rounded_rectangle((128, 128, 240, 208), 24, outline=c, width=W)
    d.polygon([(150, 204), (150, 244), (184, 206)], fill=c)


def _captions(d, c):  # a screen with two text lines (CC)
    d.rounded_rectangle((16, 48, 240, 208), 24, outline=c, width=W)
    d.line((48, 112, 208, 112), fill=c, width=W)
    d.line((48, 152, 168, 152), fill=c, width=W)


def _rate(d, c):  # a clock face
    d.ellipse((24, 24, 232, 232), outline=c, width=W)
    d.line((128, 128, 128, 60), fill=c, width=W)
    d.line((128, 128, 180, 160), fill=c, width=W)


def _louder(d, c):
    _audio(d, c)


def _quieter(d, c):
    d.polygon([(24, 96), (72, 96), (132, 40), (132, 216), (72, 160), (24, 160)], fill=c)
    d.arc((120, 76, 184, 180), 300, 60, fill=c, width=W)


def _check_on(d, c):
    d.rounded_rectangle((20, 20, 236, 236), 24, fill=c)
    d.line((60, 132, 108, 184, 200, 76), fill=(0, 0, 0, 0), width=W + 12, joint="curve")


def _check_off(d, c):
    d.rounded_rectangle((24, 24, 232, 232), 24, outline=c, width=W)


def _hand(d, c):  # still here: an open hand
    d.rounded_rectangle((64, 112, 200, 236), 40, fill=c)
    for x, top in ((72, 40), (104, 20), (136, 24), (168, 48)):
        d.rounded_rectangle((x, top, x + 26, 150), 13, fill=c)
    d.rounded_rectangle((24, 120, 90, 150), 13, fill=c)


DRAW.update({
    "back": lambda d, c: _arrow(d, c, True), "next": lambda d, c: _arrow(d, c, False),
    "repeat": _repeat, "large_text": _large_text, "settings": _settings,
    "call_staff": _call_staff, "done": _done, "settings_done": _done, "begin": _start,
    "home": _home, "exit": _home, "resume": lambda d, c: _arrow(d, c, True),
    "still_here": _hand, "high_contrast": _high_contrast, "audio": _audio, "simple": _simple,
    "captions": _captions, "rate": _rate, "louder": _louder, "quieter": _quieter,
    "check_on": _check_on, "check_off": _check_off,
})

# simple mode: a picture of its own for every lesson, drill and practice tile
DRAW.update(TILE_DRAW)
