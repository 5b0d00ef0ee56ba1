"""The staff console under attack, on loopback: a burst of parallel wrong PINs, a faked
X-Forwarded-For, ids and numbers too large for SQLite, errors without security headers, and
the documented lock (5 minutes) and session (12 hours) lengths.

Where it matters the attack goes over HTTP to real `kiosk staff serve` processes."""

import datetime as dt
import subprocess
import sys
import threading
import warnings
from collections import Counter

import httpx
import pytest

from kiosk.core.data.queue import Queue
from kiosk.core.data.store import Store
from kiosk.paths import db_path
from kiosk.staff import auth
from kiosk.staff.server import ServeError, trusted_proxies, uvicorn_config

with warnings.catch_warnings():  # Starlette prefers "httpx2"; httpx works the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kiosk.staff.app import create_app  # noqa: E402
from staff_helpers import PIN, ROOT, Console, add_staff, csrf_of, free_port, kiosk_env, wait_for  # noqa: E402

BIG = str(2**63)                 # one past SQLite's largest integer
HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options",
           "referrer-policy", "cache-control")
NO_PROXY = {"KIOSK_TRUSTED_PROXY": ""}


def has_security_headers(r) -> bool:
    return all(h in r.headers for h in HEADERS) and r.headers["x-frame-options"] == "DENY"


def login_token(url: str) -> str:
    """The login form's CSRF token (the same value as its cookie: a double-submit token)."""
    with httpx.Client() as c:
        return csrf_of(c.get(url + "/login").text)


def post_login(url: str, token: str, name: str, pin: str, headers=None) -> httpx.Response:
    with httpx.Client(cookies={"kiosk_login": token}, timeout=60) as c:
        return c.post(url + "/login", data={"csrf": token, "name": name, "pin": pin},
                      headers=headers or {})


def events(data, kind: str) -> list[dict]:
    import json
    s = Store(db_path(data))
    try:
        return [json.loads(e["data"]) for e in s.events() if e["kind"] == kind]
    finally:
        s.close()


# --- a burst of parallel wrong PINs -----------------------------------------------------------

def tries_counted(data) -> int:
    s = Store(db_path(data))
    try:
        row = s.conn.execute("SELECT failures FROM lockouts WHERE key = 'addr:127.0.0.1'").fetchone()
        return row[0] if row else 0
    finally:
        s.close()


def test_a_burst_of_wrong_pins_gets_five_checks_across_two_console_processes(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    with Console(data, env=NO_PROXY, log_name="a.log") as one, \
            Console(data, env=NO_PROXY, log_name="b.log") as two:
        token = login_token(one.url)
        start = threading.Barrier(29)
        answers: list[int] = []

        def wrong(i: int) -> None:
            url = (one, two)[i % 2].url      # half the burst to each process, same database
            start.wait()
            answers.append(post_login(url, token, "lan", f"{100000 + i}").status_code)

        threads = [threading.Thread(target=wrong, args=(i,)) for i in range(29)]
        for t in threads:
            t.start()
        # The right PIN goes out while the wrong ones are still being checked (argon2: ~100 ms
        # each, two at a time), as soon as the console has counted five tries.
        wait_for(lambda: tries_counted(data) >= 5, timeout=30, what="five tries counted")
        right = post_login(one.url, token, "lan", PIN)
        for t in threads:
            t.join(60)
        print(f"burst: 29 wrong + 1 right PIN; answers {dict(sorted(Counter(answers).items()))}; "
              f"right PIN {right.status_code}")

    # 503 = "not saved, try again": the database stayed busy past the retries on a loaded
    # machine; such a try was neither counted nor checked. It is no way around the limit.
    assert len(answers) == 29 and set(answers) <= {401, 429, 503}
    assert answers.count(401) <= 4 and answers.count(401) + answers.count(429) >= 5
    assert right.status_code == 429 and "kiosk_staff" not in right.headers.get("set-cookie", "")
    checked = len(events(data, "staff_login_failed"))
    assert checked <= 5                                            # at most five PINs were checked
    assert events(data, "staff_login") == []
    assert len(events(data, "staff_lockout")) == 1
    s = Store(db_path(data))
    assert s.conn.execute("SELECT COUNT(*) FROM staff_sessions").fetchone()[0] == 0
    assert auth.list_staff(s)[0]["locked_until"]
    s.close()


# --- X-Forwarded-For --------------------------------------------------------------------------

def five_wrong(url: str, forwarded: list[str]) -> list[int]:
    token = login_token(url)
    # Unknown names, so only the address lock can stop the sixth try.
    return [post_login(url, token, f"khach{i}", "999999", {"X-Forwarded-For": ip}).status_code
            for i, ip in enumerate(forwarded)]


def test_forwarded_for_is_ignored_by_default(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    with Console(data, env=NO_PROXY) as console:
        codes = five_wrong(console.url, [f"10.0.0.{i}" for i in range(1, 6)])
        assert codes == [401, 401, 401, 401, 429]  # a new faked address each time did not help
        r = post_login(console.url, login_token(console.url), "lan", PIN, {"X-Forwarded-For": "10.0.0.99"})
        assert r.status_code == 429                # 127.0.0.1 is locked, whatever the header says
    assert {e["addr"] for e in events(data, "staff_login_failed")} == {"127.0.0.1"}
    assert {e["addr"] for e in events(data, "staff_login_refused")} == {"127.0.0.1"}


def test_forwarded_for_is_believed_only_from_the_named_proxy(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    with Console(data, env={"KIOSK_TRUSTED_PROXY": "127.0.0.1"}) as console:
        assert five_wrong(console.url, ["10.0.0.7"] * 5)[-1] == 429
        token = login_token(console.url)
        assert post_login(console.url, token, "lan", PIN, {"X-Forwarded-For": "10.0.0.7"}).status_code == 429
        r = post_login(console.url, token, "lan", PIN, {"X-Forwarded-For": "10.0.0.8"})
        assert r.status_code == 303                # another client behind the proxy is not locked
        assert "trusting X-Forwarded-For from 127.0.0.1" in console.output()
    assert {e["addr"] for e in events(data, "staff_login_failed")} == {"10.0.0.7"}
    assert [e["addr"] for e in events(data, "staff_login")] == ["10.0.0.8"]


def test_the_trusted_proxy_setting_takes_addresses_only():
    assert trusted_proxies(None) == [] and trusted_proxies(" ") == []
    assert trusted_proxies("127.0.0.1, 10.0.0.0/24,::1") == ["127.0.0.1", "10.0.0.0/24", "::1"]
    for bad in ("*", "proxy.lan", "127.0.0.1,nope"):
        with pytest.raises(ServeError, match="KIOSK_TRUSTED_PROXY"):
            trusted_proxies(bad)
    off = uvicorn_config(None, "127.0.0.1", 8080, [])
    assert off.proxy_headers is False
    on = uvicorn_config(None, "127.0.0.1", 8080, ["10.0.0.1"])
    assert on.proxy_headers is True and on.forwarded_allow_ips == ["10.0.0.1"]


def test_a_bad_trusted_proxy_setting_stops_the_console_with_one_line(tmp_path):
    env = dict(kiosk_env(tmp_path / "data"), KIOSK_TRUSTED_PROXY="*")
    r = subprocess.run([sys.executable, "-m", "kiosk", "staff", "serve", "--port", str(free_port())],
                       capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].startswith("error: KIOSK_TRUSTED_PROXY='*'")
    assert "Traceback" not in r.stderr


# --- ids and numbers too large for SQLite; headers on every answer ---------------------------

def test_huge_ids_and_counters_are_refused_cleanly_over_http(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    s = Store(db_path(data))
    s.create_ticket(None, {})
    Queue(s).call_next(1, "lan")
    s.close()
    with Console(data, env=NO_PROXY) as console, httpx.Client(base_url=console.url) as c:
        page = c.get("/login")
        c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN})
        csrf = csrf_of(c.get("/queue").text)
        answers = [c.get(f"/tickets/{BIG}"), c.get("/tickets/-1"), c.get("/tickets/1e3"),
                   c.get(f"/tickets/{'9' * 5000}")]
        for action in ("call", "recall", "no-show", "serve", "transfer"):
            answers.append(c.post(f"/tickets/{BIG}/{action}", data={"csrf": csrf, "counter": "2"}))
        for r in answers:
            assert r.status_code == 404, (r.request.url, r.status_code)
            assert has_security_headers(r), r.request.url
            assert "Không tìm thấy số này." in r.text
        for counter in (BIG, str(-2**63 - 1), "9" * 30):
            r = c.post("/tickets/1/transfer", data={"csrf": csrf, "counter": counter}, follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == "/queue?err=bad_counter"
            assert has_security_headers(r)
        r = c.post("/counter", data={"csrf": csrf, "counter": BIG}, follow_redirects=False)
        assert r.headers["location"] == "/queue?err=bad_counter"
        assert c.get("/tickets/1").status_code == 200   # nothing else broke
        assert "Traceback" not in console.output() and "OverflowError" not in console.output()


def test_an_unexpected_error_answers_500_with_the_security_headers(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    s = Store(path)
    auth.add_staff(s, "lan", PIN)
    s.close()
    app = create_app(path)

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    c = TestClient(app, client=("127.0.0.1", 50000))
    assert c.get("/boom", follow_redirects=False).status_code == 303  # still behind the login
    page = c.get("/login")
    c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN})
    r = c.get("/boom")
    assert r.status_code == 500 and has_security_headers(r)
    assert "Đã có lỗi trong bảng điều khiển" in r.text and "a bug" not in r.text
    for r in (c.get("/nowhere"), c.put("/queue"), c.get("/tickets/x")):
        assert r.status_code in (404, 405) and has_security_headers(r)


# --- the documented lengths: lock 5 minutes, session 12 hours --------------------------------

class Clock:
    def __init__(self):
        self.base = dt.datetime.now(dt.timezone.utc)
        self.offset = dt.timedelta()

    def __call__(self):
        return self.base + self.offset


@pytest.fixture
def clock(monkeypatch):
    c = Clock()
    monkeypatch.setattr(auth, "_now", c)
    return c


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    auth.add_staff(s, "lan", PIN)
    yield s
    s.close()


def test_the_pin_lock_lasts_exactly_five_minutes(store, clock):
    for _ in range(4):
        assert auth.login(store, "lan", "000000", "10.0.0.5").reason == "bad"
    r = auth.login(store, "lan", "000000", "10.0.0.5")
    assert r.reason == "locked"                     # the 5th wrong PIN locks
    assert auth._parse(r.locked_until) - clock() == dt.timedelta(minutes=5)
    clock.offset = dt.timedelta(minutes=5) - dt.timedelta(seconds=1)
    assert auth.login(store, "lan", PIN, "10.0.0.5").reason == "locked"
    clock.offset = dt.timedelta(minutes=5) + dt.timedelta(seconds=1)
    assert auth.login(store, "lan", PIN, "10.0.0.5").ok


def test_a_staff_session_ends_after_exactly_twelve_hours(store, clock):
    token = auth.login(store, "lan", PIN, "127.0.0.1").token
    store.conn.execute("UPDATE staff_sessions SET created_at = ?", (auth._ts(clock()),))

    def alive_at(offset: dt.timedelta) -> bool:
        clock.offset = offset
        # used a minute ago, so only the 12-hour limit can end it
        store.conn.execute("UPDATE staff_sessions SET last_seen = ?",
                           (auth._ts(clock() - dt.timedelta(minutes=1)),))
        return auth.session_for(store, token) is not None

    assert alive_at(dt.timedelta(hours=12) - dt.timedelta(seconds=1))
    assert not alive_at(dt.timedelta(hours=12) + dt.timedelta(seconds=1))
