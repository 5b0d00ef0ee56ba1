"""What the kiosk shows and says about a queue ticket beyond the ticket screen's frame (no Kivy).

- the ticket screen's story: place and wait ("Trước bạn còn 3 người, khoảng 15 phút."), what
  will happen ("Khi nghe gọi số A001, mời bạn đến quầy được gọi." — the console's call is
  "Mời số A001 đến quầy 1"), and the number spoken digit by digit (views.spell_ticket);
- the ticket strip on every other screen of the visitor's session while the number waits;
- the board of numbers being called on the welcome screen, for a visitor who walked away;
- the line `R` adds on any screen until the number is called (EN 301 549 §5.1.3.16).
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.data.queue_wait import wait_words
from kiosk.core.screens.view import PRIORITY_LABELS, View, spell_ticket

CALLING = "Đang gọi"   # the board's heading


def story(number: str) -> str:
    return f"Vui lòng chờ. Khi nghe gọi số {number}, mời bạn đến quầy được gọi."


def place_line(state) -> str | None:
    """The place and wait of this visitor's number, once the kiosk has read it."""
    place = getattr(state, "place", None)
    if place is None or place.number != state.ticket:
        return None
    words = wait_words(place.before, place.minutes)
    if place.priority:
        return f"Số ưu tiên. {words}"
    return words


def ticket_body(state) -> tuple[str, ...]:
    line = place_line(state)
    if line and state.modes.large_text:
        # one paragraph, without "Vui lòng chờ." (the place says it): large text has little room
        return (f"{line} Khi nghe gọi số {state.ticket}, mời bạn đến quầy được gọi.",)
    return ((line,) if line else ()) + (story(state.ticket),)


#: the last sentence of the ticket's story (the narration catalogue records it as a line)
REPEAT_KEY = "Bấm phím R hoặc phím sao để nghe lại số của bạn."


def ticket_said(state) -> str:
    """The ticket screen's spoken story: number digit by digit, place, what happens, key R."""
    spelt = spell_ticket(state.ticket)
    line = place_line(state)
    return (f"Số thứ tự của bạn là {spelt}. " + (f"{line} " if line else "")
            + f"Vui lòng chờ. Khi nghe gọi số {spelt}, mời bạn đến quầy được gọi. " + REPEAT_KEY)


def call_said(number: str, counter: int, written: bool = False) -> str:
    """The console's call as the kiosk says it (the same words as the ticket screen's call);
    `written`: as captions show it."""
    return f"Mời số {number if written else spell_ticket(number)} đến quầy {counter}."


def waiting(state) -> bool:
    return bool(state.active and state.ticket and getattr(state, "called_to", None) is None)


def reminder(state) -> str | None:
    """What `R` adds on any other screen while the number waits: the number and the place."""
    if not waiting(state) or state.screen == "ticket":
        return None
    line = place_line(state)
    return f"Số thứ tự của bạn là {spell_ticket(state.ticket)}." + (f" {line}" if line else "")


def strip_text(state) -> str | None:
    """The ticket strip: on every screen of the session but the ticket screen itself."""
    if not (state.active and state.ticket) or state.screen == "ticket":
        return None
    called_to = getattr(state, "called_to", None)
    if called_to is not None:
        return f"Số của bạn: {state.ticket} — mời bạn đến quầy {called_to}"
    line = place_line(state)
    return f"Số của bạn: {state.ticket}" + (f" — {line}" if line else "")


def board_rows(state) -> tuple[tuple[str, str], ...]:
    """(number, 'Quầy N') being called, shown on the welcome screen when no session is open."""
    if state.active or state.screen != "welcome":
        return ()
    calls = getattr(getattr(state, "kiosk", None), "calls", ())
    return tuple((c.number, f"Quầy {c.counter}") for c in calls)


def with_queue(view: View, state) -> View:
    """Add the ticket strip or the board of calls to a screen's plain view."""
    strip, board = strip_text(state), board_rows(state)
    if strip is None and not board:
        return view
    return replace(view, strip=strip, board=board)


def priority_label(group: str | None) -> str | None:
    return PRIORITY_LABELS.get(group) if group else None
