"""Helpers for the staff console tests: a real console server process and headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PIN = "246810"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kiosk_env(data: Path | None = None) -> dict:
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    env["KIVY_NO_CONSOLELOG"] = "1"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if data is not None:
        env["KIOSK_DATA"] = str(data)
    return env


def add_staff(data: Path, name: str = "lan", pin: str = PIN) -> None:
    r = subprocess.run([sys.executable, "-m", "kiosk", "staff", "add", name, "--pin-stdin"],
                       input=pin + "\n", capture_output=True, text=True, env=kiosk_env(data), cwd=ROOT,
                       timeout=60)
    assert r.returncode == 0, r.stderr


class Console:
    """`kiosk staff serve` in a subprocess on a free loopback port."""

    def __init__(self, data: Path, port: int | None = None, env: dict | None = None,
                 log_name: str = "console-test.log"):
        self.data = Path(data)
        self.port = port or free_port()
        self.env = env or {}
        self.log_path = self.data / log_name
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def __enter__(self):
        self.data.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "staff", "serve", "--port", str(self.port),
             "--data", str(self.data)], stdout=self.log, stderr=subprocess.STDOUT,
            env=dict(kiosk_env(), **self.env), cwd=ROOT)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("console exited: " + self.log_path.read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("console did not start in 30 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")


def have_browser() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists() and shutil.which("chromium") is not None


def chromium(downloads: Path | None = None, width: int = 1280, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--window-size={width},{height}", "--disable-background-networking",
                "--disable-extensions", "--disable-sync", "--disable-default-apps", "--no-first-run",
                "--disable-component-update", "--lang=vi-VN", "--hide-scrollbars"):
        opts.add_argument(arg)
    if downloads is not None:
        opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                               "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    if downloads is not None:
        driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                               {"behavior": "allow", "downloadPath": str(downloads)})
    return driver


def login(driver, url: str, name: str = "lan", pin: str = PIN) -> None:
    from selenium.webdriver.common.by import By
    driver.get(url + "/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "pin").send_keys(pin)
    driver.find_element(By.ID, "login").click()


def wait_for(predicate, timeout: float = 10.0, every: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # the page may be swapping content right now
            last = e
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what} (last: {last!r})")


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


# --- demo data and screenshots of every console page -------------------------------------------

def seed_demo(db_path: Path, catalog, days: int = 21, seed: int = 7) -> int:
    """Three weeks of plausible use: sessions, lessons (some abandoned), tickets with outcomes,
    and a live queue (waiting, priority, called at two counters). No personal data, like the real log."""
    import datetime as dt
    import json
    import random

    from kiosk.core.data.queue import Queue
    from kiosk.core.data.store import Store
    from kiosk.core.data.datacare import set_counters
    from kiosk.core.data.timeutil import local_day

    rnd = random.Random(seed)
    s = Store(db_path)
    lessons = catalog.lessons
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

    def ts(t):
        return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    for back in range(days, 0, -1):
        day = (now - dt.timedelta(days=back)).replace(hour=1, minute=0, second=0)
        if day.weekday() == 6:
            continue
        for start in sorted(rnd.randint(0, 8 * 60) for _ in range(rnd.randint(4, 14))):
            t = day + dt.timedelta(minutes=start)
            sid = s.start_session(at=ts(t))
            group = rnd.choice([None] * 6 + ["elderly", "elderly", "disabled", "pregnant"])
            if group:
                s.conn.execute("UPDATE sessions SET visitor_group = ? WHERE id = ?", (group, sid))
            lesson = rnd.choice(lessons)
            n = len(lesson.steps)
            s.log(sid, "lesson_start", lesson=lesson.id, topic=lesson.topic, steps=n, at=ts(t))
            reached = n if rnd.random() < 0.55 else rnd.randint(1, n)
            for k in range(1, reached + 1):
                t += dt.timedelta(seconds=rnd.randint(15, 60))
                s.log(sid, "step", lesson=lesson.id, step=k, topic=lesson.topic, steps=n, at=ts(t))
            if reached == n and rnd.random() < 0.9:
                s.log(sid, "lesson_finish", lesson=lesson.id, topic=lesson.topic, steps=n, at=ts(t))
            if rnd.random() < 0.35:
                created = t + dt.timedelta(seconds=5)
                called = created + dt.timedelta(seconds=rnd.randint(40, 900))
                done = called + dt.timedelta(seconds=rnd.randint(120, 1200))
                status = "no_show" if rnd.random() < 0.08 else "served"
                outcome = None if status == "no_show" else rnd.choice(
                    ["resolved_at_kiosk"] * 4 + ["done_at_counter"] * 3 + ["referred", "not_possible"])
                count = s.conn.execute("SELECT COUNT(*) FROM tickets WHERE day = ?", (local_day(ts(created)),)).fetchone()[0]
                ctx = {"screen": "step", "topic": lesson.topic, "lesson": lesson.id, "step": reached,
                       "steps": n, "modes": [], "errors": []}
                s.conn.execute(
                    "INSERT INTO tickets (number, day, session_id, created_at, status, lesson, step, context, "
                    "priority, counter, calls, called_at, first_called_at, served_at, outcome, category, staff, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (f"A{count + 1:03d}", local_day(ts(created)), sid, ts(created), status, lesson.id, reached,
                     json.dumps(ctx), group, rnd.randint(1, 2), 1 if status == "served" else 2, ts(called),
                     ts(called), ts(done), outcome, None if status == "no_show" else lesson.topic,
                     rnd.choice(["lan", "minh"]), ts(done)))
            s.end_session(sid, rnd.choice(["done"] * 5 + ["timeout", "left"]), at=ts(t + dt.timedelta(seconds=30)))

    set_counters(s, 3, "demo")
    live = [
        ({"screen": "step", "topic": "vneid", "lesson": "vneid-muc-2", "step": 4, "steps": 8,
          "modes": ["large_text", "audio"], "rate": "slow",
          "errors": ["back_repeated", "voice_not_understood", "voice_not_understood"]}, None, 11),
        ({"screen": "step", "topic": "dvc", "lesson": "dvc-ly-lich-tu-phap", "step": 2, "steps": 6,
          "modes": [], "errors": []}, "elderly", 6),
        ({"screen": "topic", "topic": "payment", "lesson": None, "step": None, "steps": None,
          "modes": ["high_contrast"], "errors": ["back_repeated"]}, None, 4),
        ({"screen": "step", "topic": "safety", "lesson": "lua-dao-cuoc-goi", "step": 5, "steps": 7,
          "modes": ["captions"], "errors": []}, "pregnant", 2),
        ({"screen": "home", "topic": None, "lesson": None, "step": None, "steps": None,
          "modes": ["audio"], "errors": ["mic_unavailable"]}, None, 1),
        ({"screen": "step", "topic": "health", "lesson": "bhyt-tren-vneid", "step": 3, "steps": 6,
          "modes": [], "errors": []}, None, 9),
    ]
    ids = []
    for ctx, group, minutes in live:
        began = now - dt.timedelta(minutes=minutes + 3)
        sid = s.start_session(at=ts(began))
        if ctx.get("lesson"):  # what the visitor did before asking for help
            lesson = catalog.get(ctx["lesson"])
            n = len(lesson.steps)
            walk = [("screen", {"screen": "home"}, None), ("screen", {"screen": "topic"}, None),
                    ("lesson_start", {"lesson": lesson.id}, None)]
            walk += [("step", {"lesson": lesson.id, "step": k, "of": n}, k) for k in range(1, ctx["step"] + 1)]
            walk += [("back", {"from": "step"}, None) for _ in ctx["errors"].count("back_repeated") and range(3) or []]
            walk += [("problem", {"what": e}, None) for e in ctx["errors"] if e != "back_repeated"]
            walk += [("mode", {"mode": m, "on": True}, None) for m in ctx["modes"]]
            walk += [("screen", {"screen": "ticket"}, None)]
            for i, (kind, payload, step) in enumerate(walk):
                s.log(sid, kind, payload, screen=payload.get("screen", "step"), lesson=lesson.id, step=step,
                      topic=lesson.topic, steps=n, at=ts(began + dt.timedelta(seconds=20 * (i + 1))))
        number = s.create_ticket(sid, dict(ctx, group=group), at=ts(now))  # one clock: same day as below
        if group:
            s.conn.execute("UPDATE sessions SET visitor_group = ? WHERE id = ?", (group, sid))
        s.conn.execute("UPDATE tickets SET created_at = ? WHERE number = ? AND day = ?",
                       (ts(now - dt.timedelta(minutes=minutes, seconds=rnd.randint(0, 50))), number,
                        local_day(ts(now))))
        ids.append(s.conn.execute("SELECT id FROM tickets WHERE number = ? AND day = ?",
                                  (number, local_day(ts(now)))).fetchone()[0])
    q = Queue(s)
    q.call(ids[0], 1, "lan")
    q.call(ids[5], 2, "minh")
    s.close()
    return ids[0]


def console_screenshots(out: Path, data: Path, catalog, width: int = 1280, height: int = 900) -> list[Path]:
    """Seed demo data, run the console, log in with Chromium and save a PNG of every page."""
    from kiosk.paths import db_path
    from selenium.webdriver.common.by import By
    out.mkdir(parents=True, exist_ok=True)
    data.mkdir(parents=True, exist_ok=True)
    ticket_id = seed_demo(db_path(data), catalog)
    add_staff(data, "lan")
    add_staff(data, "minh", "135790")
    shots = []
    with Console(data) as console:
        driver = chromium(width=width, height=height)
        try:
            driver.get(console.url + "/login")
            shots.append(_shot(driver, out / "login.png"))
            login(driver, console.url)
            wait_for(lambda: driver.find_elements(By.ID, "call-next"), what="queue page")
            shots.append(_shot(driver, out / "queue.png", full=True))
            for name in ("history", "reports", "settings"):
                driver.get(f"{console.url}/{name}")
                # show two lessons' step funnels on the reports page
                driver.execute_script("document.querySelectorAll('details').forEach("
                                      "function (d, i) { if (i < 2) d.open = true; })")
                shots.append(_shot(driver, out / f"{name}.png", full=True,
                                   max_height=1400 if name == "history" else 3200))
            driver.get(f"{console.url}/tickets/{ticket_id}")
            shots.append(_shot(driver, out / "ticket.png", full=True))
        finally:
            driver.quit()
    return shots


def _shot(driver, path: Path, full: bool = False, max_height: int = 2400) -> Path:
    """Save the page; with `full`, the whole page (up to max_height px), cropped to its content."""
    from PIL import Image
    if not full:
        driver.save_screenshot(str(path))
        return path
    w = driver.execute_script("return window.outerWidth")
    driver.set_window_size(w, 900)
    chrome = driver.execute_script("return window.outerHeight - window.innerHeight") or 0
    h = min(driver.execute_script("return document.documentElement.scrollHeight"), max_height)
    driver.set_window_size(w, h + chrome)
    driver.save_screenshot(str(path))
    img = Image.open(path)
    if img.height > h:
        img.crop((0, 0, img.width, h)).save(path)
    driver.set_window_size(w, 900)
    return path
