"""Loaded by every Python process started with this folder first on PYTHONPATH (see
scripts/time_shift_test.sh): moves the wall clock by KIOSK_TIME_SHIFT_SECONDS.

time-machine (not faketime) because it moves only the wall clock (time.time, datetime.now,
localtime) and leaves time.monotonic and time.sleep real: the kiosk's idle timer, the queue's
lock retries and the tests' waits keep working. Every process gets the same offset from the
real clock, so a parent and the subprocesses it starts agree on "now"."""

import os

_shift = os.environ.get("KIOSK_TIME_SHIFT_SECONDS")
if _shift:
    import datetime as _dt

    import time_machine as _tm

    _now = _dt.datetime.now(_dt.timezone.utc)
    _tm.travel(_now + _dt.timedelta(seconds=float(_shift)), tick=True).start()
