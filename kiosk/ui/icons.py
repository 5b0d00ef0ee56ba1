"""Simple pictograms for the topic tiles, drawn with Pillow (no image files to license or lose).

Drawn once per colour into a cache folder; the Kivy layer shows them as images.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
W = 14  # line width


def _rgb(color: tuple) -> tuple:
    return tuple(int(c * 255) for c in color[:3]) + (255,)


def _vneid(d: ImageDraw.ImageDraw, c):
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
    draw = DRAW.get(name)
    if draw is None:
        return None
    rgba = _rgb(color)
    path = cache / f"{name}-{'%02x%02x%02x' % rgba[:3]}.png"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        img = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
        draw(ImageDraw.Draw(img), rgba)
        tmp = path.with_suffix(".tmp.png")
        img.save(tmp)
        tmp.replace(path)
    return path
