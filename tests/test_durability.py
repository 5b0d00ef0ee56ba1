"""Power-cut safety: SIGKILL the writer many times; every acknowledged event must be there."""

import os
import random
import signal
import sqlite3
import subprocess
import sys

WRITER = r"""
import sys
from kiosk.core.data.store import Store
store = Store(sys.argv[1])
sid = store.start_session()
print("session", sid, flush=True)
i = 0
while True:
    i += 1
    event_id = store.log(sid, "step", {"n": i}, lesson="thu-wifi", step=i % 3 + 1)
    print(event_id, flush=True)  # acknowledged: the commit returned
"""


def test_sigkill_during_writes_loses_no_acknowledged_event(tmp_path):
    db = tmp_path / "kiosk.sqlite3"
    rng = random.Random(7)
    acknowledged = set()
    kills, wanted = 25, 0
    for _ in range(kills):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().startswith("session")
        # kill after a random number of acknowledged events (not a time window: on a slow
        # machine a window could close before any write); the writer keeps writing meanwhile,
        # so the kill still lands at a random point of a commit
        count = rng.randint(3, 12)
        wanted += count
        for _ in range(count):
            line = p.stdout.readline()
            assert line.strip().isdigit(), line
            acknowledged.add(int(line))
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
        # whatever was already printed before the kill was acknowledged too
        for line in p.stdout.read().split():
            if line.isdigit():
                acknowledged.add(int(line))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT id FROM events")}
    assert len(acknowledged) >= wanted
    missing = acknowledged - stored
    assert not missing, f"{len(missing)} acknowledged events lost"
