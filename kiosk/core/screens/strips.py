"""Rows reserved above the screen for what is not part of it (plain Python, no Kivy).

Notices (voice off, no speaker, log not saved, printer failure, a staff call) are about the kiosk
or the visit, not about the screen, and may appear on any screen at any time. Each kind of
strip gets its own row at the top of the content column, measured here with the real font so
that the screen below is laid out in what is left: nothing is ever drawn over anything else,
whatever is shown. The bar is beside (landscape) or below (portrait) the column, so a notice
never moves it. The visitor's waiting ticket ("Số của bạn: A012 …", kiosk.core.screens.queue_views)
is one more kind of row, under the notices, right above the screen it goes with.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.core.screens import layout as L

STRIP_PAD_X, STRIP_PAD_Y = 16, 8   # inside a strip, each side (px, as drawn)
# Row order, top first: what the visitor must act on comes nearest the screen's title.
ROW_ORDER = ("notice", "ticket")


@dataclass(frozen=True)
class Strip:
    kind: str        # a ROW_ORDER entry
    text: str


# Voice input off and no sound at all (the usual case on a new kiosk) say one thing to the
# visitor: touch (the captions show what would be said). One line for both keeps the screen's
# room for the screen; the English reasons are in the log, the staff see them in `kiosk doctor`.
NO_VOICE_NO_SOUND = "Giọng nói đang tắt, vui lòng chạm vào màn hình."
SOUND_KEYS = ("speech_sound", "speech_voice")


def strips_for(notices: dict[str, str], ticket: str | None = None) -> list[Strip]:
    """The strips to show, in ROW_ORDER: the runtime's notices (one row: they are read
    together), then the visitor's waiting ticket (View.strip), if any."""
    rows = notice_strips(notices)
    if ticket and ticket.strip():
        rows.append(Strip("ticket", ticket))
    return sorted(rows, key=lambda s: ROW_ORDER.index(s.kind))


def notice_strips(notices: dict[str, str]) -> list[Strip]:
    """The notices' row (one row: they are read together), or none."""
    notices = dict(notices)
    if "voice_off" in notices and any(k in notices for k in SOUND_KEYS):
        notices = {"both": NO_VOICE_NO_SOUND,
                   **{k: v for k, v in notices.items() if k != "voice_off" and k not in SOUND_KEYS}}
    texts = [t for t in dict.fromkeys(notices.values()) if t and t.strip()]
    return [Strip("notice", " ".join(texts))] if texts else []


def strip_height(strip: Strip, sizes: L.Sizes, width: float) -> float:
    """Height of one strip drawn in `width` px, as Kivy wraps it (the small text size)."""
    _, h, _ = L.text_block(strip.text, sizes.small, width - 2 * STRIP_PAD_X)
    return h + 2 * STRIP_PAD_Y


def strips_height(strips: list[Strip], sizes: L.Sizes, width: float) -> float:
    """Height the strips take from the content column, the gap below each included."""
    return sum(strip_height(s, sizes, width) + sizes.gap for s in strips)
