"""Slips drawn as 1-bit images (Pillow, the kiosk's font), ready for any ESC/POS printer.

Widths are printer dots: 576 for 80 mm paper, 384 for 58 mm (both at 203 dpi). The queue number
is drawn about 2 cm high so that an elderly visitor can read it at arm's length.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

from PIL import Image, ImageDraw, ImageFont

from kiosk.core.screens.layout import font_files

WIDTH_80MM = 576
WIDTH_58MM = 384
MARGIN = 16
CENTRE = "Trung tâm Phục vụ hành chính công"


@dataclass
class TicketSlip:
    """What a queue slip says. No personal data: a number, a time and what the visitor was doing."""
    number: str
    issued: dt.datetime
    before: int | None = None          # people before the visitor; None when not known
    doing: str | None = None           # "Tài khoản VNeID mức 2 – Bước 2/8"
    priority: str | None = None        # "Người cao tuổi"


@dataclass
class ChecklistSlip:
    title: str
    lines: list[str] = field(default_factory=list)
    link: str | None = None


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_files()["bold" if bold else "regular"]), size)


class _Sheet:
    """Lines stacked top to bottom on a white strip; cropped to what was drawn."""

    def __init__(self, width: int):
        self.width = width
        self.image = Image.new("1", (width, 4000), 1)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN

    def text(self, words: str, size: int, bold: bool = False, centre: bool = False, gap: int = 6,
             indent: int = 0):
        font = _font(size, bold)
        line_height = font.getbbox("ÁẬgy")[3] + gap  # the same step for every line of one size
        for line in self._wrap(words, font, indent):
            box = self.draw.textbbox((0, 0), line, font=font)
            x = (self.width - (box[2] - box[0])) // 2 - box[0] if centre else MARGIN + indent
            self.draw.text((x, self.y), line, font=font, fill=0)
            self.y += line_height

    def item(self, words: str, size: int):
        """A checklist line: an empty box to tick with a pen, the words beside it."""
        side = round(size * 0.7)
        top = self.y + round(size * 0.3)
        self.draw.rectangle((MARGIN, top, MARGIN + side, top + side), outline=0, width=3)
        self.text(words, size, indent=side + round(size * 0.5))

    def rule(self, gap: int = 12):
        self.y += gap // 2
        self.draw.line((MARGIN, self.y, self.width - MARGIN, self.y), fill=0, width=3)
        self.y += gap

    def space(self, px: int):
        self.y += px

    def done(self) -> Image.Image:
        return self.image.crop((0, 0, self.width, self.y + MARGIN))

    def _wrap(self, words: str, font, indent: int = 0) -> list[str]:
        room = self.width - 2 * MARGIN - indent
        for chars in range(max(8, len(words)), 7, -1):
            lines = textwrap.wrap(words, chars) or [""]
            if all(font.getlength(line) <= room for line in lines):
                return lines
        return textwrap.wrap(words, 8) or [""]


def ticket_image(slip: TicketSlip, width: int = WIDTH_80MM) -> Image.Image:
    scale = width / WIDTH_80MM
    s = _Sheet(width)
    s.text(CENTRE, round(24 * scale), bold=True, centre=True)
    s.rule()
    s.text("Số thứ tự của bạn", round(30 * scale), centre=True)
    s.text(slip.number, round(170 * scale), bold=True, centre=True, gap=0)
    if slip.priority:
        s.text(f"Ưu tiên: {slip.priority}", round(30 * scale), bold=True, centre=True)
    if slip.before is not None:
        ahead = "Bạn là người tiếp theo." if slip.before == 0 else f"Trước bạn còn {slip.before} người."
        s.text(ahead, round(32 * scale), bold=True, centre=True)
    s.rule()
    if slip.doing:
        s.text(f"Bạn đang học: {slip.doing}", round(26 * scale))
    s.text(f"Khi nghe gọi số {slip.number}, mời bạn đến quầy được gọi.", round(26 * scale))
    s.text("Xin giữ phiếu này đến khi được gọi.", round(26 * scale))
    s.space(8)
    s.text(slip.issued.strftime("%H:%M  %d/%m/%Y"), round(24 * scale), centre=True)
    return s.done()


def checklist_image(slip: ChecklistSlip, width: int = WIDTH_80MM) -> Image.Image:
    scale = width / WIDTH_80MM
    s = _Sheet(width)
    s.text(CENTRE, round(22 * scale), bold=True, centre=True)
    s.rule()
    s.text(slip.title, round(34 * scale), bold=True)
    s.space(6)
    for line in slip.lines:
        s.item(line, round(27 * scale))
    if slip.link:
        s.rule()
        s.text("Trang chính thức:", round(24 * scale))
        s.text(slip.link, round(26 * scale), bold=True)
    return s.done()
