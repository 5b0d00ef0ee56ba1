"""A throwaway PostgreSQL cluster from Debian's packages, for the central tests and the bench.

The server refuses to run as root, so as root the cluster is made and run as the `postgres`
user (runuser); otherwise as the current user. It lives in a temp dir with its unix socket
there, listens on a free port of 127.0.0.1 and is removed at the end. The `postgres` superuser
is trusted over TCP from 127.0.0.1 (the tests' admin); every other role needs its password.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.staff_helpers import free_port


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    return Path(found[-1]).parent if found else None


class PgCluster:
    def __init__(self, fast: bool = True):
        self.bindir = pg_bindir()
        if self.bindir is None:
            raise FileNotFoundError("PostgreSQL server binaries not found (apt-get install postgresql)")
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="hcc-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        self.fast = fast
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self._run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-locale")
        hba = ("local all all trust\nhost all postgres 127.0.0.1/32 trust\n"
               "host all all 127.0.0.1/32 scram-sha-256\n")
        self._write(self.data / "pg_hba.conf", hba)
        conf = [f"port = {self.port}", "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{self.dir}'", "max_connections = 40",
                "shared_buffers = 64MB"]
        if fast:  # a test cluster: durability is not what is tested here
            conf += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        with open(self.data / "postgresql.conf", "a") as fh:
            fh.write("\n".join(conf) + "\n")
        self.start()

    def _run(self, tool: str, *args, check: bool = True):
        cmd = [str(self.bindir / tool), *map(str, args)]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def _write(self, path: Path, text: str) -> None:
        path.write_text(text)
        if self.as_root:
            pw = pwd.getpwnam("postgres")
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def start(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-l", self.dir / "server.log", "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check=False)

    def url(self, db: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str) -> str:
        import psycopg
        with psycopg.connect(self.url(), autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}"')
            c.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def wait_ready(self, timeout: float = 30) -> None:
        import psycopg
        end = time.monotonic() + timeout
        while True:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def start_cluster(missing_part, fast: bool = True) -> PgCluster:
    """A cluster, or `missing_part` (skip locally, fail under CI) when PostgreSQL is absent.
    `fast` turns durability off; tests that crash the server need it on."""
    try:
        import psycopg  # noqa: F401
    except ImportError as e:
        missing_part(f"psycopg is not installed: {e}")
    if pg_bindir() is None:
        missing_part("PostgreSQL is not installed (apt-get install postgresql)")
    return PgCluster(fast=fast)


# --- kiosk logs shaped like real visits ------------------------------------------------------

LESSONS = [("vneid-muc-2", "vneid", 7), ("dvc-nop-ho-so", "dvc", 6), ("vietqr", "payment", 5),
           ("lua-dao-otp", "safety", 4), ("bhyt-vneid", "health", 5)]
MODES = ("large_text", "high_contrast", "audio", "simple", "captions")


def fill_kiosk(data, commune: str, kiosk: str, sessions: int, seed: int = 0,
               start: str = "2026-10-01T00:30:00", open_sessions: int = 0) -> dict:
    """A real kiosk log (Store and Queue, as the kiosk and the console write it) with `sessions`
    visits shaped like the replay journeys: welcome, modes, a lesson walked (some to the end),
    quiz, practice and drill answers, a call for staff that the console serves; then
    `open_sessions` visits still going on (started ten minutes ago). Fast: the fill
    turns off fsync (this is test data, not the kiosk at work). Returns counts."""
    import datetime as dt
    import random

    from kiosk.core.data import identity
    from kiosk.core.data.queue import OUTCOMES, Queue, set_priority
    from kiosk.core.data.store import Store
    from kiosk.core.data.timeutil import now_utc, stamp
    rnd = random.Random(seed)
    store = Store(Path(data) / "kiosk.sqlite3")
    store.db.execute("PRAGMA synchronous=OFF")
    store._write(lambda c: identity.write(c, commune, kiosk, "test"))
    t = dt.datetime.fromisoformat(start).replace(tzinfo=dt.timezone.utc)
    q = Queue(store)
    for n in range(sessions + open_sessions):
        t += dt.timedelta(minutes=rnd.randint(3, 90))
        if n >= sessions:  # visitors still at the kiosk: started minutes ago by this clock
            t = now_utc() - dt.timedelta(minutes=10 - (n - sessions))
        at = lambda s: stamp(t + dt.timedelta(seconds=s))  # noqa: E731
        sid = store.start_session(source="kiosk", at=at(0))
        recs = [dict(session_id=sid, kind="screen", screen="welcome", at=at(1))]
        modes = sorted(rnd.sample(MODES, rnd.choice((0, 0, 0, 1, 2))))
        recs += [dict(session_id=sid, kind="mode", data={"mode": m, "on": True}, at=at(2)) for m in modes]
        lesson, topic, steps = rnd.choice(LESSONS)
        reach = rnd.randint(1, steps)
        recs.append(dict(session_id=sid, kind="lesson_start", data={"lesson": lesson}, lesson=lesson,
                         topic=topic, steps=steps, at=at(5)))
        for k in range(1, reach + 1):
            recs.append(dict(session_id=sid, kind="step", data={"lesson": lesson, "step": k}, lesson=lesson,
                             step=k, topic=topic, steps=steps, at=at(5 + 20 * k)))
        end = 10 + 20 * reach
        if reach == steps and rnd.random() < 0.8:
            recs.append(dict(session_id=sid, kind="lesson_finish", data={"lesson": lesson}, lesson=lesson,
                             topic=topic, steps=steps, at=at(end)))
            recs.append(dict(session_id=sid, kind="quiz_answer", at=at(end + 5),
                             data={"lesson": lesson, "question": 1, "right": rnd.random() < 0.7}))
        if rnd.random() < 0.3:
            recs.append(dict(session_id=sid, kind="practice_start", data={"practice": "vneid-otp"}, at=at(end + 9)))
            if rnd.random() < 0.7:
                recs.append(dict(session_id=sid, kind="practice_finish", at=at(end + 60),
                                 data={"practice": "vneid-otp", "first_try": rnd.random() < 0.5}))
        if topic == "safety":
            recs.append(dict(session_id=sid, kind="drill_answer", at=at(end + 70),
                             data={"drill": "cong-an-goi-video", "choice": 1, "right": rnd.random() < 0.6,
                                   "first": True}))
        store.log_many(recs)
        if modes:
            store.set_session_modes(sid, modes)
        if rnd.random() < 0.25:
            store.create_ticket(sid, {"lesson": lesson, "step": reach}, at=at(end + 80))
            if rnd.random() < 0.3:
                set_priority(store, sid, rnd.choice(("elderly", "disabled", "pregnant")))
            called = q.call_next(rnd.randint(1, 3), "lan")
            if called and rnd.random() < 0.9:
                q.serve(called["id"], rnd.choice(OUTCOMES), rnd.choice(("vneid", "dvc", None)), "lan")
        if n < sessions:
            store.end_session(sid, rnd.choice(("done", "done", "timeout", "left")), modes, at=at(end + 120))
    counts = {t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("sessions", "events", "tickets", "lesson_progress")}
    store.close()
    return counts
