"""Load on the staff console, against 127.0.0.1 only, bounded in time.

N staff sessions (each logged in, with its own cookie) poll the live queue the way the page does
(every second, with the last version they saw; every 10th time they load the whole page), while
kiosk processes' worth of writers raise tickets into the same SQLite file and two staff members
call and serve. At the end every acknowledged ticket must be in the database and in the console's
own counts: no error, no lost ticket. Prints the p50/p95/max page times.

    PYTHONPATH=$PWD python bench/staff_load.py [--tickets 1000] [--sessions 50]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PIN = "246810"
TARGET_P95_MS = 500


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_console(data: Path, port: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    log = open(data / "console.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "staff", "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--data", str(data)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError((data / "console.log").read_text())
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("console did not start")


def _login(httpx, base: str):
    client = httpx.Client(base_url=base, timeout=30.0, follow_redirects=True)
    page = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"csrf": csrf, "name": "lan", "pin": PIN})
    if r.status_code != 200 or "/queue" not in str(r.url):
        raise RuntimeError(f"login failed: {r.status_code}")
    return client, re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def run(quick: bool = False, *, tickets: int | None = None, sessions: int | None = None,
        kiosks: int = 4, poll_every: float = 1.0, min_poll_s: float | None = None,
        time_limit: float = 240.0) -> dict:
    import httpx

    from kiosk.core.data.queue import Queue, with_retries
    from kiosk.core.data.store import Store, StoreError
    from kiosk.staff import auth

    tickets = tickets or (200 if quick else 1000)
    sessions = sessions or (10 if quick else 50)
    min_poll_s = min_poll_s if min_poll_s is not None else (6.0 if quick else 20.0)
    tmp = tempfile.TemporaryDirectory()
    data = Path(tmp.name)
    db = data / "kiosk.sqlite3"
    store = Store(db)
    auth.add_staff(store, "lan", PIN)
    store.close()
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    proc = _start_console(data, port)
    started = time.monotonic()
    errors: list[str] = []
    live_ms: list[float] = []
    page_ms: list[float] = []
    created: list[str] = []
    served = [0]
    lock = threading.Lock()
    done = threading.Event()
    deadline = started + time_limit

    def note(e: str) -> None:
        with lock:
            if len(errors) < 50:
                errors.append(e)

    try:
        clients = []
        t0 = time.monotonic()
        for _ in range(sessions):
            clients.append(_login(httpx, base))
        login_s = time.monotonic() - t0
        second, csrf2 = clients[1]
        second.post("/counter", data={"csrf": csrf2, "counter": "2"})  # two staff, two counters

        def poller(client) -> None:
            version, n = "", 0
            while not done.is_set() and time.monotonic() < deadline:
                n += 1
                try:
                    t = time.perf_counter()
                    if n % 10 == 1:  # open the page, then poll it (as the browser does)
                        r = client.get("/queue")
                        ms = (time.perf_counter() - t) * 1000
                        with lock:
                            page_ms.append(ms)
                    else:
                        r = client.get("/queue/live", params={"v": version})
                        ms = (time.perf_counter() - t) * 1000
                        if r.status_code == 200:
                            version = r.json()["version"]
                        with lock:
                            live_ms.append(ms)
                    if r.status_code != 200:
                        note(f"{r.request.url.path}: HTTP {r.status_code}")
                except Exception as e:  # connection refused, timeout: all count as errors
                    note(f"poll: {type(e).__name__}: {e}")
                done.wait(poll_every)

        def kiosk(count: int) -> None:
            s = Store(db)
            try:
                for i in range(count):
                    if time.monotonic() > deadline:
                        note("kiosk: time limit")
                        return
                    sid = s.start_session(source="bench")
                    ctx = {"screen": "step", "topic": "vneid", "lesson": "vneid-muc-2", "step": 1 + i % 8,
                           "steps": 8, "modes": [], "errors": [], "group": "elderly" if i % 7 == 0 else None}
                    try:
                        number = with_retries(lambda: s.create_ticket(sid, ctx), attempts=6)
                    except StoreError as e:
                        note(f"kiosk: {e}")
                        continue
                    with lock:
                        created.append(number)
            finally:
                s.close()

        def counter_staff(client, csrf: str) -> None:
            while not done.is_set() and time.monotonic() < deadline:
                try:
                    r = client.post("/queue/call-next", data={"csrf": csrf})
                    if r.status_code != 200:
                        note(f"call-next: HTTP {r.status_code}")
                    m = re.search(r'action="/tickets/(\d+)/serve"', r.text)
                    if m:
                        r = client.post(f"/tickets/{m.group(1)}/serve",
                                        data={"csrf": csrf, "outcome": "resolved_at_kiosk", "category": "vneid"})
                        if r.status_code == 200 and "Đã ghi kết quả." in r.text:
                            with lock:
                                served[0] += 1
                        else:
                            note(f"serve: HTTP {r.status_code}")
                except Exception as e:
                    note(f"staff: {type(e).__name__}: {e}")
                done.wait(0.5)

        threads = [threading.Thread(target=poller, args=(c,), daemon=True) for c, _ in clients]
        threads += [threading.Thread(target=counter_staff, args=clients[i], daemon=True) for i in range(2)]
        writers = [threading.Thread(target=kiosk, args=(tickets // kiosks + (i < tickets % kiosks),), daemon=True)
                   for i in range(kiosks)]
        for t in threads + writers:
            t.start()
        t_kiosks = time.monotonic()
        for t in writers:
            t.join(max(1.0, deadline - time.monotonic()))
        kiosk_s = time.monotonic() - t_kiosks
        # keep polling a while after the last ticket (at least min_poll_s in all)
        rest = max(2.0, min_poll_s - kiosk_s)
        time.sleep(min(rest, max(0.0, deadline - time.monotonic())))
        done.set()
        for t in threads:
            t.join(10)

        # every acknowledged ticket is in the database and in the console's counts
        check = Store(db)
        in_db = {r[0] for r in check.conn.execute("SELECT number FROM tickets")}
        q = Queue(check)
        counts = q.counts()
        served_db = check.conn.execute("SELECT COUNT(*) FROM tickets WHERE status = 'served'").fetchone()[0]
        check.close()
        final = clients[0][0].get("/queue/live").json()["counts"]
        lost = sorted(set(created) - in_db)
        console_total = final["waiting"] + final["called"] + served_db
        if final != counts:
            errors.append(f"console counts {final} differ from the database {counts}")
        if console_total != len(created):
            errors.append(f"console sees {console_total} tickets, kiosks raised {len(created)}")
        if served_db != served[0]:
            errors.append(f"{served[0]} serves acknowledged but {served_db} in the database")
        for c, _ in clients:
            c.close()
    finally:
        done.set()
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()

    def pct(values, p):
        if not values:
            return None
        values = sorted(values)
        return round(values[min(len(values) - 1, int(len(values) * p))], 1)

    everything = live_ms + page_ms
    result = {
        "sessions": sessions, "kiosks": kiosks, "tickets_requested": tickets, "tickets_raised": len(created),
        "tickets_lost": len(lost), "served_by_staff": served[0], "errors": len(errors),
        "error_samples": errors[:5], "requests": len(everything),
        "live_p50_ms": pct(live_ms, 0.5), "live_p95_ms": pct(live_ms, 0.95),
        "page_p50_ms": pct(page_ms, 0.5), "page_p95_ms": pct(page_ms, 0.95),
        "p95_ms": pct(everything, 0.95), "max_ms": round(max(everything), 1) if everything else None,
        "mean_ms": round(statistics.mean(everything), 1) if everything else None,
        "logins_s": round(login_s, 1), "kiosks_s": round(kiosk_s, 1),
        "total_s": round(time.monotonic() - started, 1), "target_p95_ms": TARGET_P95_MS,
    }
    result["ok"] = (not errors and not lost and len(created) == tickets
                    and result["p95_ms"] is not None and result["p95_ms"] <= TARGET_P95_MS)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tickets", type=int, default=1000)
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--kiosks", type=int, default=4)
    args = ap.parse_args()
    r = run(tickets=args.tickets, sessions=args.sessions, kiosks=args.kiosks)
    print(json.dumps(r, indent=2, ensure_ascii=False))
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
