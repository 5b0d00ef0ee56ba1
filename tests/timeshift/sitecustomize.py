"""Loaded by every Python process started with this folder first on PYTHONPATH (see
scripts/time_shift_test.sh): moves the wall clock by KIOSK_TIME_SHIFT_SECONDS.

time-machine (not faketime) because it moves only the wall clock (time.time, datetime.now,
localtime) and leaves time.monotonic and time.sleep real: the kiosk's idle timer, the queue's
lock retries and the tests' waits keep working. Every process gets the same offset from the
real clock, so a parent and the subprocesses it starts agree on "now"."""

import os

_shift = os.environ.get("KIOSK_TIME_SHIFT_SECONDS")
if _shift:
    import time as _time

    import time_machine as _tm

    # a POSIX timestamp, not an aware datetime: time-machine sets TZ from an aware destination
    # (to UTC here), which would undo the --tz of the run
    _tm.travel(_time.time() + float(_shift), tick=True).start()
