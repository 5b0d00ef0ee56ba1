"""Pictograms for lesson, drill and practice tiles in simple mode (kiosk.core.screens.tile_pictures).

Drawn with Pillow on a 256 px square like kiosk.ui.icons (which registers these): plain
everyday things a visitor knows (a house, a car, a key, an envelope), no brand artwork.
"""

from __future__ import annotations

W = 14  # line width (as kiosk.ui.icons)
CLEAR = (0, 0, 0, 0)


def _phone(d, c, box=(72, 16, 184, 240)):
    x0, y0, x1, y1 = box
    d.rounded_rectangle(box, 20, outline=c, width=W)
    d.line((x0 + 36, y1 - 26, x1 - 36, y1 - 26), fill=c, width=W - 4)


def _card(d, c, box=(16, 56, 240, 200)):
    d.rounded_rectangle(box, 20, outline=c, width=W)


def _house(d, c):
    d.polygon([(128, 24), (236, 120), (20, 120)], outline=c, width=W)
    d.rectangle((52, 120, 204, 232), outline=c, width=W)
    d.rectangle((108, 164, 148, 232), fill=c)


def _house_clock(d, c):
    _house(d, c)
    d.ellipse((150, 130, 250, 230), fill=CLEAR)
    d.ellipse((156, 136, 244, 224), outline=c, width=W - 4)
    d.line((200, 180, 200, 150), fill=c, width=W - 6)
    d.line((200, 180, 222, 192), fill=c, width=W - 6)


def _more(d, c):  # a stack of lesson cards: "another lesson"
    for i, y in enumerate((40, 96, 152)):
        d.rounded_rectangle((24 + i * 16, y, 200 + i * 16, y + 64), 12, outline=c, width=W - 2)


def _megaphone(d, c):
    d.polygon([(40, 100), (100, 100), (200, 40), (200, 216), (100, 156), (40, 156)], outline=c, width=W)
    d.line((84, 156, 104, 224), fill=c, width=W)
    d.line((224, 96, 244, 84), fill=c, width=W - 4)
    d.line((224, 160, 244, 172), fill=c, width=W - 4)


def _health_card(d, c):
    _card(d, c)
    d.rectangle((56, 100, 120, 116), fill=c)
    d.rectangle((80, 76, 96, 140), fill=c)
    for y in (96, 128, 160):
        d.line((144, y, 212, y), fill=c, width=W - 4)


def _book(d, c):
    d.polygon([(128, 60), (20, 36), (20, 200), (128, 224)], outline=c, width=W)
    d.polygon([(128, 60), (236, 36), (236, 200), (128, 224)], outline=c, width=W)


def _login(d, c):  # a door and an arrow going in
    d.rectangle((132, 24, 228, 232), outline=c, width=W)
    d.polygon([(20, 112), (92, 112), (92, 80), (140, 128), (92, 176), (92, 144), (20, 144)], fill=c)


def _suitcase(d, c):
    d.rounded_rectangle((24, 80, 232, 224), 18, outline=c, width=W)
    d.rounded_rectangle((92, 36, 164, 88), 10, outline=c, width=W)
    d.line((24, 140, 232, 140), fill=c, width=W - 4)


def _baby(d, c):
    d.ellipse((76, 24, 180, 128), outline=c, width=W)
    d.ellipse((104, 72, 118, 86), fill=c)
    d.ellipse((138, 72, 152, 86), fill=c)
    d.rounded_rectangle((60, 136, 196, 236), 40, outline=c, width=W)


def _child(d, c):  # an adult's hand and a small person
    d.ellipse((56, 20, 120, 84), fill=c)
    d.rounded_rectangle((44, 96, 132, 236), 26, fill=c)
    d.ellipse((164, 100, 212, 148), fill=c)
    d.rounded_rectangle((152, 156, 224, 236), 20, fill=c)


def _document(d, c):
    d.polygon([(48, 20), (168, 20), (212, 64), (212, 236), (48, 236)], outline=c, width=W)
    for y in (80, 116, 152):
        d.line((80, y, 180, y), fill=c, width=W - 4)
    d.ellipse((120, 168, 188, 236), outline=c, width=W - 2)


def _magnifier(d, c):
    d.ellipse((24, 24, 164, 164), outline=c, width=W + 2)
    d.line((148, 148, 232, 232), fill=c, width=W + 14)


def _rings(d, c):
    d.ellipse((20, 72, 148, 200), outline=c, width=W)
    d.ellipse((108, 72, 236, 200), outline=c, width=W)
    d.polygon([(84, 40), (100, 64), (68, 64)], fill=c)


def _ring_paper(d, c):  # a paper that says whether one is married: a page with one ring
    d.polygon([(40, 20), (160, 20), (204, 64), (204, 236), (40, 236)], outline=c, width=W)
    for y in (76, 108):
        d.line((72, y, 172, y), fill=c, width=W - 4)
    d.ellipse((96, 100, 252, 256), fill=CLEAR)  # the page stops where the ring lies on it
    d.ellipse((112, 140, 236, 248), outline=c, width=W)
    d.polygon([(174, 112), (192, 140), (156, 140)], fill=c)


def _candle(d, c):  # a death in the family: a lit candle, as on a family altar
    d.rectangle((92, 104, 164, 236), outline=c, width=W)
    d.line((128, 104, 128, 80), fill=c, width=W - 6)
    d.ellipse((106, 40, 150, 84), fill=c)  # the flame: a drop with its point up
    d.polygon([(128, 12), (150, 62), (106, 62)], fill=c)
    d.line((56, 236, 200, 236), fill=c, width=W)


def _wifi(d, c):
    for r in (40, 84, 128):
        d.arc((128 - r * 1.5 + 40, 200 - r * 1.2, 128 + r * 1.5 - 40, 200 + r * 1.2), 220, 320,
              fill=c, width=W)
    d.ellipse((112, 196, 144, 228), fill=c)


def _handset(d, c, box=(24, 40, 200, 216)):
    d.arc(box, 100, 190, fill=c, width=W + 14)
    x0, y0, x1, y1 = box
    d.rounded_rectangle((x0 + 8, y0 + 8, x0 + 72, y0 + 48), 14, fill=c)
    d.rounded_rectangle((x1 - 96, y1 - 52, x1 - 32, y1 - 12), 14, fill=c)


def _cross(d, c):  # "danger": a bold X at the top right
    d.line((176, 24, 236, 84), fill=c, width=W + 4)
    d.line((236, 24, 176, 84), fill=c, width=W + 4)


def _scam_call(d, c):
    _handset(d, c)
    _cross(d, c)


def _envelope(d, c):
    d.rectangle((20, 64, 200, 196), outline=c, width=W)
    d.line((20, 64, 110, 140, 200, 64), fill=c, width=W)


def _scam_sms(d, c):
    _envelope(d, c)
    d.line((220, 60, 220, 170), fill=c, width=W + 6)
    d.ellipse((208, 196, 232, 220), fill=c)


def _bank_card(d, c):
    _card(d, c)
    d.rectangle((16, 88, 240, 116), fill=c)
    d.rounded_rectangle((44, 144, 104, 176), 6, fill=c)


def _heart(d, c):
    d.ellipse((24, 40, 132, 148), fill=c)
    d.ellipse((124, 40, 232, 148), fill=c)
    d.polygon([(30, 116), (226, 116), (128, 232)], fill=c)


def _umbrella(d, c):  # social insurance (VssID): the umbrella that covers one in old age
    d.pieslice((16, 40, 240, 232), 180, 360, fill=c)
    for x in (72, 128, 184):  # the canopy's scallops, cut out of its lower edge
        d.ellipse((x - 28, 122, x + 28, 150), fill=CLEAR)
    d.line((128, 136, 128, 208), fill=c, width=W)
    d.arc((88, 184, 128, 232), 0, 180, fill=c, width=W)


def _money(d, c):
    d.rectangle((16, 60, 240, 196), outline=c, width=W)
    d.ellipse((96, 96, 160, 160), outline=c, width=W)
    d.ellipse((40, 116, 64, 140), fill=c)
    d.ellipse((192, 116, 216, 140), fill=c)


def _install(d, c):  # a phone and a download arrow
    _phone(d, c, (24, 16, 136, 240))
    d.polygon([(192, 24), (192, 128), (224, 128), (176, 184), (128, 128), (160, 128), (160, 24)], fill=c)
    d.line((128, 224, 232, 224), fill=c, width=W)


def _phone_only(d, c):
    _phone(d, c)
    d.ellipse((116, 30, 140, 46), fill=c)


def _card_renew(d, c):
    _card(d, c, (16, 40, 176, 152))
    d.arc((104, 104, 240, 240), 180, 450, fill=c, width=W)
    d.polygon([(92, 168), (124, 196), (132, 156)], fill=c)


def _car(d, c):
    d.rounded_rectangle((16, 112, 240, 188), 20, outline=c, width=W)
    d.polygon([(56, 112), (84, 56), (172, 56), (200, 112)], outline=c, width=W)
    d.ellipse((44, 164, 100, 220), fill=c)
    d.ellipse((156, 164, 212, 220), fill=c)


def _key(d, c):
    d.ellipse((20, 76, 124, 180), outline=c, width=W + 2)
    d.line((120, 128, 236, 128), fill=c, width=W + 4)
    d.line((200, 128, 200, 176), fill=c, width=W + 2)
    d.line((228, 128, 228, 168), fill=c, width=W + 2)


def _chat(d, c):
    d.rounded_rectangle((16, 24, 176, 128), 26, outline=c, width=W)
    d.polygon([(48, 120), (48, 164), (92, 126)], fill=c)
    d.rounded_rectangle((96, 136, 240, 224), 26, fill=c)


def _warning_sign(d, c):
    d.polygon([(128, 20), (240, 228), (16, 228)], outline=c, width=W + 2)
    d.line((128, 96, 128, 170), fill=c, width=W + 6)
    d.ellipse((116, 186, 140, 210), fill=c)


def _touch(d, c):  # a finger touching a phone
    _phone(d, c, (24, 16, 148, 240))
    d.rounded_rectangle((156, 72, 196, 200), 20, fill=c)
    d.rounded_rectangle((140, 168, 236, 244), 30, fill=c)
    d.ellipse((108, 92, 140, 124), fill=c)


def _police(d, c):  # a cap with a star, and a video camera
    d.chord((32, 40, 224, 200), 180, 360, fill=c)
    d.rectangle((24, 112, 232, 136), fill=c)
    d.regular_polygon((128, 80, 24), 5, fill=CLEAR)
    d.rounded_rectangle((40, 160, 160, 236), 14, outline=c, width=W)
    d.polygon([(168, 198), (224, 164), (224, 232)], fill=c)


def _bolt(d, c):
    d.polygon([(148, 16), (48, 144), (120, 144), (100, 240), (208, 104), (136, 104)], fill=c)


def _restart(d, c):  # start again: a circular arrow
    d.arc((32, 32, 224, 224), 20, 350, fill=c, width=W + 4)
    d.polygon([(192, 120), (256, 120), (224, 168)], fill=c)


TILE_DRAW = {
    "restart": _restart,
    "megaphone": _megaphone, "health_card": _health_card, "book": _book, "login": _login,
    "suitcase": _suitcase, "baby": _baby, "document": _document, "magnifier": _magnifier,
    "rings": _rings, "ring_paper": _ring_paper, "candle": _candle, "wifi": _wifi, "scam_call": _scam_call, "scam_sms": _scam_sms,
    "bank_card": _bank_card, "heart": _heart, "money": _money, "install": _install,
    "child": _child, "house_clock": _house_clock, "house": _house, "phone": _phone_only,
    "card_renew": _card_renew, "car": _car, "key": _key, "chat": _chat, "more": _more,
    "warning_sign": _warning_sign, "touch": _touch, "police": _police, "bolt": _bolt,
    "umbrella": _umbrella,
}
