"""Time in the log and days at the centre (kept apart so light modules need not import SQLite).

The log stores UTC moments ("2026-11-25T08:00:00.000000Z"). Days, ISO weeks, months and the
daily restart of ticket numbers follow the centre's time zone instead: a visitor at 06:30 in
Hà Nội belongs to that day, not to the previous UTC day. The zone is the `KIOSK_TZ` setting
(an IANA name, default Asia/Ho_Chi_Minh), resolved with the standard library's zoneinfo; the
`tzdata` package supplies the zone database where the system has none.

Every function that needs "now" takes it as an argument (one clock, passed in); `now_utc()` is
the only place that reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Ho_Chi_Minh"
STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
log = logging.getLogger(__name__)


def now_utc() -> dt.datetime:
    """The wall clock, as an aware UTC datetime."""
    return dt.datetime.now(dt.timezone.utc)


def stamp(moment: dt.datetime) -> str:
    """A moment as the log stores it (UTC, microseconds, 'Z')."""
    return moment.astimezone(dt.timezone.utc).strftime(STAMP_FORMAT)


def utcnow() -> str:
    return stamp(now_utc())


def parse(ts: str) -> dt.datetime:
    """A stored timestamp back to an aware UTC datetime."""
    return dt.datetime.strptime(ts, STAMP_FORMAT).replace(tzinfo=dt.timezone.utc)


def zone_name() -> str:
    return os.environ.get("KIOSK_TZ", "").strip() or DEFAULT_ZONE


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> dt.tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A typo must not stop the kiosk: say so in the log and count in the default zone.
        log.warning("KIOSK_TZ=%r is not a known time zone; using %s", name, DEFAULT_ZONE)
        return ZoneInfo(DEFAULT_ZONE)


def centre_zone() -> dt.tzinfo:
    """The centre's time zone (the `KIOSK_TZ` setting, read on each call so tests can set it)."""
    return _zone(zone_name())


def local_day(moment: dt.datetime | str) -> str:
    """'YYYY-MM-DD' of the centre's calendar for a moment (aware datetime or stored stamp)."""
    if isinstance(moment, str):
        return _local_day_of_minute(moment[:16], zone_name())
    return moment.astimezone(centre_zone()).date().isoformat()


@functools.lru_cache(maxsize=65536)
def _local_day_of_minute(minute: str, name: str) -> str:
    """Cached per minute: every zone in use today is offset by whole minutes, and reports
    convert many stamps of the same minutes (this keeps `kiosk report` fast on a big log)."""
    moment = dt.datetime.strptime(minute, "%Y-%m-%dT%H:%M").replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(_zone(name)).date().isoformat()


def local_today(now: dt.datetime | None = None) -> str:
    return local_day(now or now_utc())


def day_start(day: dt.date) -> str:
    """The stored stamp of the centre's midnight that begins `day` (for `--since`)."""
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=centre_zone())
    return stamp(midnight)
