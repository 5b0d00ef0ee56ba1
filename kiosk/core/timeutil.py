"""UTC timestamps as stored in the log (kept apart so light modules need not import SQLite)."""

import datetime as dt


def utcnow() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
