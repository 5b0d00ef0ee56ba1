"""The bar's fixed places (plain Python, no Kivy).

WCAG 3.2.6 (consistent help) and the design rule "the bar's controls keep the same place on every
screen": every bar control has its own slot, in one order, on every screen of one window size.
A screen without some control (the welcome screen has no Quay lại, the ticket screen no Gọi nhân
viên) leaves its slot empty instead of letting the others move up. In landscape the slots are a
column at the right, in portrait two rows of three at the bottom.
"""

from __future__ import annotations

# Slot order: Quay lại, Nghe lại, Chữ to, Cách dùng, Gọi nhân viên, then the main action
# (Tiếp, Bắt đầu, Xong...: whatever the screen's Enter does).
SLOTS = ("back", "repeat", "large_text", "settings", "call_staff", "main")
# The longest words a slot must hold, whatever the screen: the slots' width comes from these,
# not from the labels of the screen at hand (or the bar would change width between screens).
SLOT_LABELS = ("Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Gọi nhân viên", "Bắt đầu")
SIMPLE_SLOT_LABELS = ("Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Nhân viên", "Bắt đầu")
PORTRAIT_COLS = 3


def slot_of(choice) -> str:
    """The slot a bar control goes to; any other control is the screen's main action."""
    return choice.action if choice.action in SLOTS[:-1] else "main"


def placed(bar) -> list:
    """The bar's controls in slot order, None where the screen has no such control.

    Two controls for one slot (never made by kiosk.core.screens.views) keep the first; the rest go to
    the main slot if it is free, so nothing is ever dropped silently."""
    out: list = [None] * len(SLOTS)
    extra = []
    for c in bar:
        i = SLOTS.index(slot_of(c))
        if out[i] is None:
            out[i] = c
        else:
            extra.append(c)
    for c in extra:
        free = out.index(None) if None in out else None
        if free is None:
            raise ValueError(f"bar has more controls than slots: {[x.label for x in bar]}")
        out[free] = c
    return out


def slot_labels(simple: bool, bar_labels=()) -> list[str]:
    """Words the slots are sized for: the fixed set plus anything longer on this screen."""
    return list(SIMPLE_SLOT_LABELS if simple else SLOT_LABELS) + list(bar_labels)
