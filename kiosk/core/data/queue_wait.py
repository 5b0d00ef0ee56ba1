"""Place in the queue, an estimated wait, and the numbers being called (plain Python, no Kivy).

The kiosk reads these every second or so (kiosk.ui.queue_watch, on a worker thread with a
read-only connection of its own), so each read is one cheap query: the waiting tickets (indexed
by status) or the last few served or called ones. Every function takes "now" as an argument:
the tests run them with a fixed clock.

The estimate: the median of the recent service times (first call -> done) of the centre, times
the people before the visitor, divided by the counters that served them; before anyone has
been served, DEFAULT_SERVICE_SECONDS. It is rounded up to 5 minutes: a promise a little long is
kept, a short one breaks trust.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
import statistics
from dataclasses import dataclass

from kiosk.core.data.timeutil import parse, stamp

DEFAULT_SERVICE_SECONDS = 300     # 5 minutes a visitor, before the centre has served anyone
RECENT_SERVED = 12                # service times the estimate is made from
RECENT_WITHIN = dt.timedelta(hours=4)   # older service times say little about today's pace
ROUND_TO = 5                      # minutes
CALLS_SHOWN = 4                   # numbers on the welcome screen's board
CALLS_WITHIN = dt.timedelta(minutes=10)  # a call older than this (and never served) leaves it

QUEUE_ORDER = "ORDER BY (priority IS NULL), created_at, id"  # the staff's order (kiosk.core.data.queue)


@dataclass(frozen=True)
class Place:
    """Where a visitor's waiting ticket stands."""
    number: str
    before: int                 # people the staff will call first
    minutes: int | None         # estimated wait, rounded; None when nobody is before
    priority: str | None = None  # elderly, disabled, pregnant (queue.PRIORITY_GROUPS)


@dataclass(frozen=True)
class BoardCall:
    """A number being called now, for the board of the welcome screen."""
    ticket_id: int
    number: str
    counter: int
    calls: int                  # a recall counts again: it is announced again


def _shown(number: str, context: str | None) -> str:
    return json.loads(context or "{}").get("local_number") or number


def service_pace(conn: sqlite3.Connection, now: dt.datetime) -> tuple[float, int]:
    """(median seconds from first call to done, counters that served) over recent tickets."""
    rows = conn.execute(
        "SELECT first_called_at, served_at, counter FROM tickets WHERE status = 'served' "
        "AND served_at >= ? AND first_called_at IS NOT NULL ORDER BY served_at DESC LIMIT ?",
        (stamp(now - RECENT_WITHIN), RECENT_SERVED)).fetchall()
    durations = [(parse(b) - parse(a)).total_seconds() for a, b, _ in rows]
    durations = [d for d in durations if d > 0]
    if not durations:
        return float(DEFAULT_SERVICE_SECONDS), 1
    return statistics.median(durations), max(1, len({c for *_, c in rows if c is not None}))


def estimate_minutes(before: int, seconds_each: float, counters: int = 1) -> int | None:
    """Minutes to wait for `before` people, rounded up to ROUND_TO (None for nobody before)."""
    if before <= 0:
        return None
    minutes = before * seconds_each / max(1, counters) / 60
    return max(ROUND_TO, math.ceil(minutes / ROUND_TO) * ROUND_TO)


def place_of(conn: sqlite3.Connection, session_id: str, now: dt.datetime) -> Place | None:
    """The place of this session's newest waiting ticket; None when it has none waiting."""
    rows = conn.execute(f"SELECT id, number, context, priority, session_id FROM tickets "
                        f"WHERE status = 'waiting' {QUEUE_ORDER}").fetchall()
    mine = [(row[0], i) for i, row in enumerate(rows) if row[4] == session_id]
    if not mine:
        return None
    _, before = max(mine)
    _, number, context, priority, _ = rows[before]
    seconds, counters = service_pace(conn, now) if before else (0.0, 1)
    return Place(_shown(number, context), before, estimate_minutes(before, seconds, counters),
                 priority)


def calls_now(conn: sqlite3.Connection, now: dt.datetime) -> tuple[BoardCall, ...]:
    """The numbers being called (not yet served), newest first, for everyone to see."""
    rows = conn.execute(
        "SELECT id, number, context, counter, calls FROM tickets WHERE status = 'called' "
        "AND called_at >= ? ORDER BY called_at DESC, id DESC LIMIT ?",
        (stamp(now - CALLS_WITHIN), CALLS_SHOWN)).fetchall()
    return tuple(BoardCall(i, _shown(n, ctx), counter, calls) for i, n, ctx, counter, calls in rows)


class CallBoard:
    """Which calls are new since the last look (each is announced once, a recall again)."""

    def __init__(self):
        self.seen: set[tuple] | None = None

    def update(self, calls: tuple[BoardCall, ...]) -> tuple[BoardCall, ...]:
        keys = {(c.ticket_id, c.calls, c.counter) for c in calls}
        if self.seen is None:  # the first look: these were called before the kiosk looked
            self.seen = keys
            return ()
        new = tuple(c for c in calls if (c.ticket_id, c.calls, c.counter) not in self.seen)
        self.seen = (self.seen | keys) if len(self.seen) < 1000 else keys
        return tuple(reversed(new))  # oldest first: announced in the order they were made


# --- words (the visitor's, in Vietnamese) -------------------------------------------------------

def duration_words(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} phút"
    return f"{hours} giờ" + (f" {rest} phút" if rest else "")


def wait_words(before: int, minutes: int | None) -> str:
    """'Trước bạn còn 3 người, khoảng 15 phút.' (screen, voice and slip say the same)."""
    if before <= 0:
        return "Bạn là người tiếp theo."
    about = f", khoảng {duration_words(minutes)}" if minutes else ""
    return f"Trước bạn còn {before} người{about}."
