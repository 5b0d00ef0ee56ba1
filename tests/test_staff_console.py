"""The staff console app in-process (Starlette's TestClient): no page without login, CSRF on every
form, cookies, lockout, session expiry, a locked or full database, live updates."""

import re
import sqlite3
import warnings

import pytest

from kiosk.core.data.queue import Queue
from kiosk.core.data.store import Store
from kiosk.staff import auth

with warnings.catch_warnings():  # Starlette prefers "httpx2"; httpx works the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kiosk.staff.app import PUBLIC, create_app  # noqa: E402
from staff_helpers import PIN, csrf_of  # noqa: E402


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    s = Store(path)
    auth.add_staff(s, "lan", PIN)
    auth.add_staff(s, "minh", "135790")
    s.close()
    return path


@pytest.fixture
def app(db):
    return create_app(db, busy_ms=100)


def client_for(app, host="127.0.0.1"):
    return TestClient(app, client=(host, 50000))


def log_in(client, name="lan", pin=PIN):
    page = client.get("/login")
    return client.post("/login", data={"csrf": csrf_of(page.text), "name": name, "pin": pin},
                       follow_redirects=False)


@pytest.fixture
def staff(app):
    c = client_for(app)
    r = log_in(c)
    assert r.status_code == 303 and r.headers["location"] == "/queue"
    return c


def concrete(path):
    return re.sub(r"\{[^}]+\}", "1", path)


def all_routes(app):
    out = []
    for route in app.routes:
        for method in sorted(getattr(route, "methods", None) or []):
            out.append((method, route.path))
    return out


def test_every_route_but_login_needs_a_session(app, db):
    routes = all_routes(app)
    assert len(routes) >= 20  # the walk below really covers the console
    assert {("GET", "/login"), ("POST", "/login")} <= set(routes)
    c = client_for(app)
    for method, path in routes:
        if (method, path) in PUBLIC:
            continue
        r = c.request(method, concrete(path), follow_redirects=False)
        assert r.status_code in (303, 401, 403), (method, path, r.status_code)
        if r.status_code == 303:
            assert r.headers["location"] == "/login", (method, path)
        assert "A001" not in r.text and "lan" not in r.text
    # a forged or stale cookie is no better than none
    c.cookies.set("kiosk_staff", "forged-token")
    assert c.get("/queue", follow_redirects=False).status_code == 303
    for hidden in ("/docs", "/redoc", "/openapi.json", "/static/x.js"):
        assert c.get(hidden).status_code == 404


def test_every_form_needs_its_csrf_token(app, staff):
    posts = [p for m, p in all_routes(app) if m == "POST" and (m, p) not in PUBLIC]
    assert len(posts) >= 8
    for path in posts:
        for data in ({}, {"csrf": "wrong"}):
            r = staff.post(concrete(path), data=data, follow_redirects=False)
            assert r.status_code == 403, (path, data, r.status_code)
    # and the login form needs the token from its own cookie
    fresh = client_for(app)
    r = fresh.post("/login", data={"csrf": "x", "name": "lan", "pin": PIN}, follow_redirects=False)
    assert r.status_code == 403 and "kiosk_staff" not in r.headers.get("set-cookie", "")


def test_cookies_and_security_headers(app):
    c = client_for(app)
    page = c.get("/login")
    assert "script-src 'nonce-" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-store"
    r = log_in(c)
    cookie = [h for h in r.headers.get_list("set-cookie") if h.startswith("kiosk_staff=")][0]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Max-Age" not in cookie
    html = c.get("/queue").text
    nonce = re.search(r"'nonce-([^']+)'", c.get("/queue").headers["content-security-policy"])
    assert nonce and "<script nonce=" in html


def test_five_wrong_pins_lock_account_and_address_for_five_minutes(app, db):
    c = client_for(app, "10.0.0.5")
    for i in range(4):
        r = log_in(c, pin="000000")
        assert r.status_code == 401 and f"Còn {4 - i} lần thử" in r.text
    r = log_in(c, pin="000000")
    assert r.status_code == 429 and "Tạm khóa đăng nhập 5 phút" in r.text
    assert log_in(c).status_code == 429                       # the right PIN is refused too
    assert log_in(c, "minh", "135790").status_code == 429     # the address is locked
    other = client_for(app, "10.0.0.6")
    assert log_in(other).status_code == 429                   # the account is locked
    assert log_in(other, "minh", "135790").status_code == 303  # others are not
    s = Store(db)
    kinds = [e["kind"] for e in s.events()]
    assert kinds.count("staff_login_failed") == 5 and kinds.count("staff_lockout") == 1
    assert kinds.count("staff_login_refused") == 3
    assert auth.list_staff(s)[0]["locked_until"]
    # five minutes later the lock is gone
    s.conn.execute("UPDATE lockouts SET locked_until = '2000-01-01T00:00:00.000000Z'")
    assert log_in(c).status_code == 303


def test_unknown_names_count_like_real_ones(app):
    c = client_for(app, "10.0.0.9")
    for _ in range(5):
        r = log_in(c, "khong-co", "123456")
    assert r.status_code == 429
    assert log_in(c).status_code == 429


def test_sessions_expire_end_on_logout_and_when_disabled(app, db, staff):
    assert staff.get("/queue").status_code == 200
    s = Store(db)
    s.conn.execute("UPDATE staff_sessions SET last_seen = '2026-01-01T00:00:00.000000Z'")
    assert staff.get("/queue", follow_redirects=False).headers["location"] == "/login"
    assert s.conn.execute("SELECT COUNT(*) FROM staff_sessions").fetchone()[0] == 0

    log_in(staff)
    csrf = csrf_of(staff.get("/queue").text)
    r = staff.post("/logout", data={"csrf": csrf}, follow_redirects=False)
    assert r.headers["location"] == "/login"
    assert staff.get("/queue", follow_redirects=False).status_code == 303

    log_in(staff)
    auth.set_disabled(s, "lan")
    assert staff.get("/queue/live", follow_redirects=False).status_code == 401
    assert log_in(staff).status_code == 401  # a disabled account cannot log in


def test_queue_page_shows_context_and_live_endpoint_reports_changes(app, db, staff):
    s = Store(db)
    sid = s.start_session()
    s.create_ticket(sid, {"screen": "step", "topic": "vneid", "lesson": "vneid-muc-2", "step": 3,
                          "steps": 8, "modes": ["large_text", "audio"], "rate": "slow",
                          "errors": ["back_repeated", "voice_not_understood", "voice_not_understood"]})
    html = staff.get("/queue").text
    for words in ("A001", "Bước 3/8", "Chữ to", "Đọc to", "đọc chậm", "Bấm Quay lại nhiều lần",
                  "Máy không hiểu lời nói ×2", "giây"):
        assert words in html, words
    live = staff.get("/queue/live").json()
    assert live["counts"]["waiting"] == 1 and "A001" in live["html"]
    same = staff.get("/queue/live", params={"v": live["version"]}).json()
    assert "html" not in same  # nothing changed: nothing re-rendered
    s.create_ticket(None, {"group": "pregnant"})
    changed = staff.get("/queue/live", params={"v": live["version"]}).json()
    assert "A002" in changed["html"] and "Ưu tiên: Phụ nữ mang thai" in changed["html"]
    csrf = csrf_of(html)
    r = staff.post("/queue/call-next", data={"csrf": csrf})
    assert "Đã gọi." in r.text and 'id="now-A002"' in r.text  # priority first
    r = staff.post("/tickets/2/no-show", data={"csrf": csrf})
    assert "Cần gọi lại ít nhất một lần" in r.text
    r = staff.post("/tickets/2/serve", data={"csrf": csrf, "outcome": "referred", "category": "other"})
    assert "Đã ghi kết quả." in r.text
    assert Queue(s).ticket(2)["outcome"] == "referred"
    detail = staff.get("/tickets/2").text
    assert "Chuyển nơi khác" in detail and "Gọi" in detail
    assert staff.get("/tickets/99").status_code == 404
    hist = staff.get("/history", params={"status": "served"}).text
    assert "A002" in hist and "A001" not in hist


def test_counter_choice_and_settings_are_checked_and_logged(app, db, staff):
    csrf = csrf_of(staff.get("/queue").text)
    assert "err=bad_counter" in staff.post("/counter", data={"csrf": csrf, "counter": "9"},
                                           follow_redirects=False).headers["location"]
    staff.post("/counter", data={"csrf": csrf, "counter": "2"})
    assert 'value="2" selected' in staff.get("/queue").text
    r = staff.post("/settings", data={"csrf": csrf, "retention_days": "-1", "session_minutes": "2",
                                      "counters": "99"})
    assert r.status_code == 400 and "từ 0 đến 3650" in r.text and "Số quầy" in r.text
    r = staff.post("/settings", data={"csrf": csrf, "retention_days": "90", "session_minutes": "20",
                                      "counters": "5"}, follow_redirects=False)
    assert r.status_code == 303
    s = Store(db)
    assert [c["id"] for c in Queue(s).counters()] == [1, 2, 3, 4, 5]
    assert any(e["kind"] == "staff_settings" and '"retention_days": "90"' in e["data"] for e in s.events())


def test_a_locked_database_says_not_saved_and_loses_nothing(db, tmp_path):
    app = create_app(db, busy_ms=100)
    c = client_for(app)
    log_in(c)
    s = Store(db)
    s.create_ticket(None, {})
    csrf = csrf_of(c.get("/queue").text)
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        r = c.post("/queue/call-next", data={"csrf": csrf})
        assert r.status_code == 503 and "CHƯA được ghi" in r.text and "Traceback" not in r.text
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert Queue(s).waiting()[0]["status"] == "waiting"
    assert "Đã gọi." in c.post("/queue/call-next", data={"csrf": csrf}).text


def test_a_full_disk_says_not_saved_and_every_acknowledged_action_is_on_disk(db):
    s = Store(db)
    s.create_ticket(None, {})
    # max_page_count below the current size pins the file at its size: a full disk for SQLite.
    app = create_app(db, busy_ms=100, pragmas=("max_page_count=1",))
    c = client_for(app)
    log_in(c)
    csrf = csrf_of(c.get("/queue").text)
    acknowledged, refused = 0, None
    r = c.post("/queue/call-next", data={"csrf": csrf})
    assert "Đã gọi." in r.text
    for _ in range(400):
        r = c.post("/tickets/1/recall", data={"csrf": csrf})
        if r.status_code != 200:
            refused = r
            break
        assert "Đã gọi." in r.text
        acknowledged += 1
    assert refused is not None and refused.status_code == 503
    assert "ổ đĩa đầy" in refused.text and "CHƯA được ghi" in refused.text
    assert Queue(s).ticket(1)["calls"] == 1 + acknowledged  # every "Đã gọi" is on disk
    assert len(Queue(s).history(1)) == 1 + acknowledged


def test_reports_page_csv_and_json_match_kiosk_report(app, db, staff):
    from kiosk.core.data.report import build_report, report_csv
    s = Store(db)
    sid = s.start_session()
    s.create_ticket(sid, {"topic": "payment"})
    q = Queue(s)
    q.serve(q.call_next(1, "lan")["id"], "done_at_counter", "payment", "lan")
    page = staff.get("/reports").text
    assert "Kết quả hỗ trợ" in page and "<svg" in page and "Làm xong tại quầy" in page
    got = staff.get("/reports.json").json()
    want = build_report(s)
    got.pop("generated_at"), want.pop("generated_at")
    assert got == want
    csv_text = staff.get("/reports.csv").text
    assert csv_text == report_csv(build_report(s))
    assert staff.get("/reports.csv", params={"since": "nope"}).status_code == 400
    assert "Ngày không hợp lệ" in staff.get("/reports", params={"since": "nope"}).text


def test_a_visitor_who_left_the_kiosk_is_marked(app, db, staff):
    s = Store(db)
    sid = s.start_session()
    s.create_ticket(sid, {"topic": "dvc"})
    s.end_session(sid, "done")
    assert "Đã rời máy" in staff.get("/queue").text
    csrf = csrf_of(staff.get("/queue").text)
    staff.post("/counter", data={"csrf": csrf, "counter": "3"})
    assert any(e["kind"] == "staff_counter" and '"counter": 3' in e["data"] for e in s.events())


def test_context_from_the_kiosk_is_escaped(app, db, staff):
    s = Store(db)
    s.create_ticket(None, {"lesson": "<script>alert(1)</script>", "errors": ["<img src=x onerror=alert(1)>"]})
    html = staff.get("/queue").text + staff.get("/tickets/1").text + staff.get("/history").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
