"""Power-cut safety: SIGKILL the writer many times; every acknowledged event must be there."""

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

WRITER = r"""
import sys
from kiosk.core.store import Store
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
    kills = 25
    for _ in range(kills):
        p = subprocess.Popen([sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().startswith("session")
        deadline = time.monotonic() + rng.uniform(0.05, 0.4)
        while time.monotonic() < deadline:
            line = p.stdout.readline()
            if line.strip().isdigit():
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
    assert len(acknowledged) > kills * 5
    missing = acknowledged - stored
    assert not missing, f"{len(missing)} acknowledged events lost"
