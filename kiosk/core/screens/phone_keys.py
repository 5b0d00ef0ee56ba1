"""The drawn phone of a practice copy, by keypad: every button, field and keypad key of the copy
is a control in the focus order (Tab, arrows), announced in audio mode, and chosen with Enter;
digits typed on the keypad go into the field being filled (plain Python, no Kivy).

The controls are listed in the order kiosk.ui.practice_screens draws them, with the same label,
action and argument as the drawn element, so the focus frame lands on the right one. The
`detail` says what kind of element it is ("nút trên điện thoại"); it is spoken, never drawn.
"""

from __future__ import annotations

from kiosk.core.content.practice import KEY_DELETE, TAPPABLE
from kiosk.core.screens.view import Choice

ON_PHONE = "trên điện thoại"
KIND_WORDS = {"button": "nút", "app": "biểu tượng ứng dụng", "search": "ô tìm kiếm",
              "qr": "mã QR, chạm để quét", "attach": "ô đính kèm ảnh", "card": "thẻ", "row": "dòng"}
TYPING_HELP = "Gõ các số bằng phím số; phím Xóa lùi để xóa một số."
KEYS_HELP = "Phím Tab để đi qua từng nút trên điện thoại, phím Enter để chạm vào nút đó."


def _tap(label: str, tap_id: str, kind: str) -> Choice:
    return Choice(label, "p_tap", tap_id, detail=f"{KIND_WORDS[kind]} {ON_PHONE}")


def _field(phone, item) -> Choice:
    typed = phone.value_of(item.id) or ""
    if phone.typing == item.id:
        state = f"đã gõ {len(typed)} trên {item.length} số. {TYPING_HELP}"
    else:
        state = "đã điền sẵn" if typed else "còn trống"
    return Choice(item.label, "p_field", item.id, primary=phone.typing == item.id,
                  detail=f"ô nhập {ON_PHONE}, {state}")


def _keypad() -> list[Choice]:
    keys = list("123456789") + [KEY_DELETE, "0"]
    return [Choice(k, "p_key", "del" if k == KEY_DELETE else k,
                   detail=("phím xóa" if k == KEY_DELETE else "phím số") + f" {ON_PHONE}")
            for k in keys]


def phone_controls(phone) -> tuple[Choice, ...]:
    """The copy's elements a visitor can reach, in drawing order (none on a drill's phone)."""
    if phone is None or not getattr(phone, "tappable", False):
        return ()
    out: list[Choice] = []
    for item in phone.items:
        if item.kind == "keypad":
            out += _keypad()
        elif item.kind == "field":
            out.append(_field(phone, item))
        elif item.kind == "list":
            out += [_tap(r.label, r.id, "row") for r in item.rows]
        elif item.kind in TAPPABLE and item.id:
            out.append(_tap(item.title if item.kind == "card" else item.label, item.id, item.kind))
    return tuple(out)


def same_control(a: Choice, b: Choice) -> bool:
    """A drawn element and its control: same label, action and argument (detail is spoken only)."""
    return (a.label, a.action, a.arg) == (b.label, b.action, b.arg)


def typing_key(view, focused: Choice | None, name: str):
    """A digit or Backspace while the focus is in the field being filled or on the copy's
    keypad: typed into that field (Backspace only while it holds a digit). None: the key does
    what it does elsewhere."""
    phone = getattr(view, "phone", None)
    if phone is None or not phone.typing or focused is None:
        return None
    if focused.action not in ("p_field", "p_key"):
        return None
    if name.isdigit():
        return ("act", "p_key", name)
    if name in ("backspace", "delete"):
        # with nothing left to delete it goes back, as everywhere else: a visitor who cannot
        # see the field is never stuck in it
        return ("act", "p_key", "del") if phone.value_of(phone.typing) else None
    return None


def phone_help(view) -> str:
    """On a practice copy, in audio mode: how to reach the drawn phone by keypad."""
    return KEYS_HELP if phone_controls(getattr(view, "phone", None)) else ""
