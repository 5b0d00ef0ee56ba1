"""The staff console: a FastAPI app over the kiosk's own SQLite log.

Pages: login, queue (live), ticket detail, history, reports (+ CSV/JSON), settings. Only the
login page answers without a session: one global dependency (`guard`) checks the session cookie
on every route and the CSRF token on every form; a test walks `app.routes` to prove it.

Handlers are plain `def` functions (run in a thread pool), each thread with its own SQLite
connection. A write that cannot be saved (database locked for too long, disk full) answers 503
with a plain message: nothing is shown as done unless it is on disk.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import sqlite3
import threading
import time
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Path as PathParam, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders

from kiosk.core.data import datacare
from kiosk.core.content.lessons import TOPICS, load_catalog
from kiosk.core.data.queue import CATEGORIES, OUTCOMES, Queue, QueueError
from kiosk.core.data.report import build_report, parse_since, report_csv
from kiosk.core.data.store import Store, StoreError, utcnow
from kiosk.core.data.timeutil import local_today
from kiosk.staff import auth, charts, labels

log = logging.getLogger("kiosk.staff")

TEMPLATES = Path(__file__).resolve().parent / "templates"
COOKIE = "kiosk_staff"
LOGIN_COOKIE = "kiosk_login"
PUBLIC = frozenset({("GET", "/login"), ("HEAD", "/login"), ("POST", "/login")})
POLL_MS = 1000
WAITING_SHOWN = 100
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INT64_MAX = 2**63 - 1                 # SQLite's largest integer: more overflows in the driver
# A ticket id in a URL: checked here, at the edge, so that no number reaches SQLite unchecked.
TicketId = Annotated[int, PathParam(ge=1, le=INT64_MAX)]
BAD_REQUEST = "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ. Hãy quay lại hàng chờ rồi thử lại."
SERVER_ERROR = "Đã có lỗi trong bảng điều khiển. Thao tác này có thể CHƯA được ghi; hãy tải lại trang."
SAVE_FAILED = ("Chưa lưu được: cơ sở dữ liệu đang bận hoặc ổ đĩa đầy. Thao tác này CHƯA được ghi. "
               "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo cán bộ phụ trách máy.")


class LoginRequired(Exception):
    pass


class CsrfFailed(Exception):
    pass


class Stores:
    """One SQLite connection per worker thread (a connection must not be shared mid-transaction).

    `busy_ms`: how long one statement waits for the kiosk's lock (the queue retries a few times
    on top). `pragmas`: extra PRAGMA statements for each connection (tests use max_page_count to
    make the disk "full")."""

    def __init__(self, path: Path, busy_ms: int = 2000, pragmas: tuple[str, ...] = ()):
        self.path = path
        self.busy_ms = busy_ms
        self.pragmas = pragmas
        self.local = threading.local()

    def get(self) -> Store:
        store = getattr(self.local, "store", None)
        if store is None:
            store = Store(self.path)
            store.conn.execute(f"PRAGMA busy_timeout={int(self.busy_ms)}")
            for pragma in self.pragmas:
                store.conn.execute(f"PRAGMA {pragma}")
            self.local.store = store
        return store


class SecurityHeaders:
    """Pure ASGI middleware: CSP with a per-response script nonce, no framing, no caching.

    It also answers any error that escaped the app (a plain 500 page), because Starlette's own
    500 is made outside every middleware and so would go out without these headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                h = MutableHeaders(scope=message)
                h["Content-Security-Policy"] = (
                    f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
                    "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                    "frame-ancestors 'none'; base-uri 'none'")
                h["X-Frame-Options"] = "DENY"
                h["X-Content-Type-Options"] = "nosniff"
                h["Referrer-Policy"] = "no-referrer"
                if "cache-control" not in h:
                    h["Cache-Control"] = "no-store"
            await send(message)

        started = False

        async def send_tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            log.exception("console: unexpected error on %s %s", scope.get("method"), scope.get("path"))
            if started:
                raise  # too late for a clean answer; the server closes the connection
            await HTMLResponse(_plain_page(SERVER_ERROR), status_code=500)(scope, receive, send_tracked)


def form_doc(**fields: dict) -> dict:
    """The OpenAPI description of a form that a handler reads itself (request.state.form), so that
    the schema FastAPI builds, and the API fuzzer in the tests, know its fields. Every form also
    carries `csrf` (or sends the X-CSRF-Token header)."""
    schema = {"type": "object", "properties": {"csrf": {"type": "string"}, **fields}}
    return {"requestBody": {"required": True, "content": {
        "application/x-www-form-urlencoded": {"schema": schema}}}}


def integer(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


COUNTER = integer(1, 20)
CSRF_ONLY = form_doc()


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def _int(value, default=None):
    """A form number, or `default` when it is not an integer SQLite can hold."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return n if -INT64_MAX - 1 <= n <= INT64_MAX else default


def create_app(db_path: Path, lessons_dir: Path | None = None, *, busy_ms: int = 2000,
               pragmas: tuple[str, ...] = ()) -> FastAPI:
    db_path = Path(db_path)
    Store(db_path).close()  # migrate once, and fail early with a clear StoreError
    stores = Stores(db_path, busy_ms, pragmas)
    catalog = None
    if lessons_dir is not None and Path(lessons_dir).exists():
        catalog = load_catalog(Path(lessons_dir))

    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters["hm"] = labels.local
    env.filters["when"] = lambda ts: labels.local(ts, "%d/%m %H:%M")
    env.filters["dur"] = labels.duration
    env.filters["kv"] = labels.key_values
    env.globals.update(L=labels, OUTCOMES=OUTCOMES, CATEGORIES=CATEGORIES, TOPICS=TOPICS,
                       POLL_MS=POLL_MS)

    def queue() -> Queue:
        return Queue(stores.get())

    async def guard(request: Request):
        """Every route: a live session (except the login page) and, for forms, its CSRF token."""
        request.state.form = {}
        if (request.method, request.url.path) in PUBLIC:
            if request.method == "POST":
                request.state.form = await request.form()
            request.state.staff = None
            return
        sess = await run_in_threadpool(auth.session_for, stores.get(), request.cookies.get(COOKIE))
        if sess is None:
            raise LoginRequired()  # before reading any body
        if request.method == "POST":
            request.state.form = await request.form()
        if request.method not in ("GET", "HEAD"):
            sent = request.state.form.get("csrf") or request.headers.get("x-csrf-token")
            if not _same(sent, sess["csrf"]):
                raise CsrfFailed()
        request.state.staff = sess

    app = FastAPI(title="HCC kiosk staff console", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(guard)])
    app.add_middleware(SecurityHeaders)
    app.state.stores = stores

    # --- errors ------------------------------------------------------------------------------

    def wants_json(request: Request) -> bool:
        return request.url.path.endswith((".json", "/live")) or request.method not in ("GET", "HEAD")

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc):
        if wants_json(request):
            return JSONResponse({"error": "login required"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, exc):
        log.warning("form refused: bad or missing CSRF token (%s %s)", request.method, request.url.path)
        return HTMLResponse(_plain_page("Biểu mẫu đã cũ hoặc không hợp lệ. Hãy tải lại trang rồi thử lại."),
                            status_code=403)

    async def _store_failed(request: Request, exc):
        log.error("console: %s %s not saved: %s", request.method, request.url.path, exc)
        if request.url.path.endswith("/live"):
            return JSONResponse({"error": "database unavailable", "message": SAVE_FAILED}, status_code=503)
        return HTMLResponse(_plain_page(SAVE_FAILED), status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc):
        # Only path ids are typed parameters: one out of range or not a number names no ticket.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        code, text = (404, labels.MESSAGES["no_ticket"]) if in_path else (400, BAD_REQUEST)
        log.warning("console: refused %s %s (%d): invalid parameter", request.method,
                    request.url.path, code)
        if request.url.path.endswith((".json", "/live")):
            return JSONResponse({"error": "invalid request", "message": text}, status_code=code)
        return HTMLResponse(_plain_page(text), status_code=code)

    app.add_exception_handler(StoreError, _store_failed)
    app.add_exception_handler(sqlite3.Error, _store_failed)

    # --- helpers -----------------------------------------------------------------------------

    def page(request: Request, name: str, code: int = 200, **ctx) -> HTMLResponse:
        sess = getattr(request.state, "staff", None)
        base = {"staff": sess, "nonce": request.state.nonce, "path": request.url.path,
                "msg": labels.MESSAGES.get(request.query_params.get("msg", "")),
                "err": labels.MESSAGES.get(request.query_params.get("err", ""))}
        if sess is not None:
            base["csrf"] = sess["csrf"]
            base["counters"] = queue().counters()
            base["notices"] = _notices()
        base.update(ctx)
        return templates.TemplateResponse(request, name, base, status_code=code)

    def _notices() -> list[str]:
        out = []
        try:
            if not stores.get().conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone():
                out.append("Chưa có tài khoản nhân viên.")
        except sqlite3.Error:
            out.append("Không đọc được cơ sở dữ liệu.")
        from kiosk.core.data.logfile import junk_files  # a damaged log the kiosk moved aside (issue #11)
        for kept in junk_files(db_path)[-3:]:
            out.append(f"Nhật ký cũ bị hỏng đã được cất sang tệp {kept.name}; máy đã tạo nhật ký mới.")
        return out

    def back(to: str = "/queue", msg: str | None = None, err: str | None = None) -> RedirectResponse:
        q = f"?msg={msg}" if msg else (f"?err={err}" if err else "")
        return RedirectResponse(to + q, status_code=303)

    def decorate(tickets: list[dict]) -> list[dict]:
        for t in tickets:
            t["about"] = labels.describe(t, catalog)
        return tickets

    csrf_slot = f"csrf-{secrets.token_hex(12)}"  # stands for each viewer's own token in shared HTML
    rendered: dict[tuple[str, int], tuple[float, str]] = {}
    rendered_lock = threading.Lock()

    def live_html(request: Request) -> tuple[str, str]:
        """The live part of the queue page for this staff member: (version, html).

        Fifty screens polling the same queue share one rendering per second and counter; only
        the CSRF token differs, and it is put in at the end."""
        sess = request.state.staff
        q = queue()
        version = f"{q.version()}.{sess['counter']}"
        key, now = (version, sess["counter"]), time.monotonic()
        with rendered_lock:
            hit = rendered.get(key)
        if hit is None or now - hit[0] > 1.0:
            called = decorate(q.called())
            html = templates.get_template("_live.html").render(
                mine=[t for t in called if t["counter"] == sess["counter"]],
                others=[t for t in called if t["counter"] != sess["counter"]],
                waiting=decorate(q.waiting(limit=WAITING_SHOWN)), counts=q.counts(),
                counter=sess["counter"], csrf=csrf_slot, counters=q.counters())
            hit = (now, html)
            with rendered_lock:
                if len(rendered) > 64:
                    rendered.clear()
                rendered[key] = hit
        return version, hit[1].replace(csrf_slot, sess["csrf"])

    # --- login -------------------------------------------------------------------------------

    def login_page(request: Request, status=200, error=None, locked_until=None):
        token = secrets.token_urlsafe(24)
        no_staff = auth.active_staff_count(stores.get()) == 0
        resp = page(request, "login.html", code=status, login_csrf=token, error=error,
                    locked_until=locked_until, no_staff=no_staff)
        resp.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
        return resp

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request):
        if auth.session_for(stores.get(), request.cookies.get(COOKIE)):
            return RedirectResponse("/queue", status_code=303)
        return login_page(request)

    @app.post("/login", openapi_extra=form_doc(name={"type": "string"}, pin={"type": "string"}))
    def login_submit(request: Request):
        form = request.state.form
        if not _same(form.get("csrf"), request.cookies.get(LOGIN_COOKIE)):
            return login_page(request, 403, "Trang đăng nhập đã cũ. Vui lòng nhập lại.")
        addr = request.client.host if request.client else "unknown"
        result = auth.login(stores.get(), str(form.get("name", ""))[:64], str(form.get("pin", ""))[:64], addr)
        if result.ok:
            resp = RedirectResponse("/queue", status_code=303)
            resp.set_cookie(COOKIE, result.token, httponly=True, samesite="strict", path="/")
            resp.delete_cookie(LOGIN_COOKIE)
            log.info("staff %s logged in from %s", result.staff, addr)
            return resp
        if result.reason == "locked":
            log.warning("login locked for %r / %s until %s", form.get("name"), addr, result.locked_until)
            return login_page(request, 429, locked_until=labels.local(result.locked_until))
        log.warning("wrong PIN for %r from %s (%s tries left)", form.get("name"), addr, result.tries_left)
        return login_page(request, 401, f"Sai tên hoặc mã PIN. Còn {result.tries_left} lần thử.")

    @app.post("/logout", openapi_extra=CSRF_ONLY)
    def logout(request: Request):
        auth.logout(stores.get(), request.cookies.get(COOKIE), request.state.staff["staff"])
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE)
        return resp

    # --- queue -------------------------------------------------------------------------------

    @app.get("/")
    def home(request: Request):
        return RedirectResponse("/queue", status_code=303)

    @app.get("/queue", response_class=HTMLResponse)
    def queue_page(request: Request):
        version, html = live_html(request)
        return page(request, "queue.html", version=version, live=Markup(html))

    @app.get("/queue/live")
    def queue_live(request: Request, v: str = ""):
        q = queue()
        sess = request.state.staff
        version = f"{q.version()}.{sess['counter']}"
        data = {"version": version, "counts": q.counts(), "now": labels.local(utcnow(), "%H:%M:%S")}
        if v != version:
            data["version"], data["html"] = live_html(request)
        return JSONResponse(data)

    def staff_name(request: Request) -> str:
        return request.state.staff["staff"]

    def run_action(fn, msg: str):
        try:
            fn()
        except QueueError as e:
            return back(err=e.code)
        return back(msg=msg)

    @app.post("/queue/call-next", openapi_extra=CSRF_ONLY)
    def call_next(request: Request):
        sess = request.state.staff
        found = queue().call_next(sess["counter"], sess["staff"])
        return back(msg="called") if found else back(err="empty")

    @app.post("/tickets/{ticket_id}/call", openapi_extra=CSRF_ONLY)
    def call(request: Request, ticket_id: TicketId):
        sess = request.state.staff
        return run_action(lambda: queue().call(ticket_id, sess["counter"], sess["staff"]), "called")

    @app.post("/tickets/{ticket_id}/recall", openapi_extra=CSRF_ONLY)
    def recall(request: Request, ticket_id: TicketId):
        return run_action(lambda: queue().recall(ticket_id, staff_name(request)), "called")

    @app.post("/tickets/{ticket_id}/transfer", openapi_extra=form_doc(counter=COUNTER))
    def transfer(request: Request, ticket_id: TicketId):
        counter = _int(request.state.form.get("counter"))
        if counter is None:
            return back(err="bad_counter")
        return run_action(lambda: queue().transfer(ticket_id, counter, staff_name(request)), "saved")

    @app.post("/tickets/{ticket_id}/serve", openapi_extra=form_doc(
        outcome={"type": "string", "enum": list(OUTCOMES)},
        category={"type": "string", "enum": list(CATEGORIES)}))
    def serve(request: Request, ticket_id: TicketId):
        form = request.state.form
        outcome = str(form.get("outcome", ""))
        category = str(form.get("category", "")) or None
        return run_action(lambda: queue().serve(ticket_id, outcome, category, staff_name(request)), "served")

    @app.post("/tickets/{ticket_id}/no-show", openapi_extra=CSRF_ONLY)
    def no_show(request: Request, ticket_id: TicketId):
        return run_action(lambda: queue().no_show(ticket_id, staff_name(request)), "saved")

    @app.post("/counter", openapi_extra=form_doc(counter=COUNTER))
    def choose_counter(request: Request):
        counter = _int(request.state.form.get("counter"))
        if counter is None or counter not in {c["id"] for c in queue().counters()}:
            return back(err="bad_counter")
        auth.set_counter(stores.get(), request.state.staff["token_hash"], counter, staff_name(request))
        return back(msg="saved")

    @app.get("/tickets/{ticket_id}", response_class=HTMLResponse)
    def ticket_page(request: Request, ticket_id: TicketId):
        q = queue()
        t = q.ticket(ticket_id)
        if t is None:
            return page(request, "message.html", code=404, text=labels.MESSAGES["no_ticket"])
        t["about"] = labels.describe(t, catalog)
        events = []
        if t["session_id"]:
            events = [dict(zip(("ts", "kind", "screen", "lesson", "step", "data"), r)) for r in
                      stores.get().conn.execute(
                          "SELECT ts, kind, screen, lesson, step, data FROM events WHERE session_id = ? "
                          "ORDER BY id LIMIT 300", (t["session_id"],))]
        return page(request, "ticket.html", t=t, history=q.history(ticket_id), events=events)

    # --- history -----------------------------------------------------------------------------

    @app.get("/history", response_class=HTMLResponse)
    def history(request: Request, day: str = "", status: str = ""):
        day = day if DAY_RE.match(day or "") else ""
        status = status if status in labels.STATUSES else ""
        rows = decorate(queue().recent(limit=300, status=status or None, day=day or None))
        for t in rows:
            t["handled_seconds"] = None
            if t["served_at"] and t["first_called_at"]:
                from kiosk.core.data.queue import seconds_between
                t["handled_seconds"] = seconds_between(t["first_called_at"], t["served_at"])
        return page(request, "history.html", rows=rows, day=day, status=status)

    # --- reports -----------------------------------------------------------------------------

    def report_for(since: str):
        try:
            parse_since(since or None)
        except ValueError:
            return None, "Ngày không hợp lệ (dạng YYYY-MM-DD)."
        return build_report(stores.get(), since or None, catalog), None

    @app.get("/reports", response_class=HTMLResponse)
    def reports(request: Request, since: str = ""):
        r, error = report_for(since)
        if r is None:
            r, since = build_report(stores.get(), None, catalog), ""
        return page(request, "reports.html", r=r, since=since, error=error, charts=_charts(r),
                    csv_href="/reports.csv" + (f"?since={quote(since)}" if since else ""),
                    json_href="/reports.json" + (f"?since={quote(since)}" if since else ""))

    @app.get("/reports.csv")
    def reports_csv(request: Request, since: str = ""):
        r, error = report_for(since)
        if r is None:
            return Response(error, status_code=400, media_type="text/plain; charset=utf-8")
        name = f"kiosk-report-{local_today()}.csv"
        return Response(report_csv(r), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/reports.json")
    def reports_json(request: Request, since: str = ""):
        r, error = report_for(since)
        if r is None:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse(r)

    # --- settings ----------------------------------------------------------------------------

    def settings_ctx() -> dict:
        store = stores.get()
        size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
        return {
            "retention_days": datacare.get_int_setting(store, "retention_days"),
            "session_minutes": datacare.get_int_setting(store, "session_minutes"),
            "counter_count": len(queue().counters()),
            "last_purge_at": datacare.get_setting(store, "last_purge_at", ""),
            "accounts": auth.list_staff(store),
            "db_path": str(db_path), "db_bytes": size,
            "rows": {t: store.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in ("sessions", "events", "tickets")},
        }

    @app.get("/settings", response_class=HTMLResponse)
    def settings(request: Request):
        return page(request, "settings.html", **settings_ctx())

    @app.post("/settings", openapi_extra=form_doc(retention_days=integer(0, 3650),
                                                  session_minutes=integer(5, 480), counters=COUNTER))
    def settings_save(request: Request):
        form = request.state.form
        retention = _int(form.get("retention_days"))
        minutes = _int(form.get("session_minutes"))
        count = _int(form.get("counters"))
        problems = []
        if retention is None or not 0 <= retention <= 3650:
            problems.append("Số ngày lưu dữ liệu phải từ 0 đến 3650 (0 = không tự xóa).")
        if minutes is None or not 5 <= minutes <= 480:
            problems.append("Thời gian tự đăng xuất phải từ 5 đến 480 phút.")
        if count is None or not 1 <= count <= 20:
            problems.append("Số quầy phải từ 1 đến 20.")
        if problems:
            return page(request, "settings.html", code=400, problems=problems, **settings_ctx())
        store = stores.get()
        staff = staff_name(request)
        datacare.set_settings(store, {"retention_days": str(retention), "session_minutes": str(minutes)},
                              staff)
        if count != len(queue().counters()):
            datacare.set_counters(store, count, staff)
        return back("/settings", msg="saved")

    return app


def _plain_page(text: str) -> str:
    from markupsafe import escape
    return ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Bảng điều khiển nhân viên</title>"
            "<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto;font-size:18px\">"
            f"<p role=\"alert\" id=\"error\">{escape(text)}</p><p><a href=\"/queue\">Quay lại hàng chờ</a></p>")


def _charts(r: dict) -> dict:
    g = labels
    last_days = list(r["visitors"]["by_day"].items())[-31:]
    helped_days = list(r["helped"]["by_day"].items())[-31:]
    esc = r["escalations"]
    return {
        "visitors_day": charts.columns([(d[5:], n) for d, n in last_days], title="Lượt khách theo ngày"),
        "helped_day": charts.columns([(d[5:], n) for d, n in helped_days], title="Lượt được giúp theo ngày",
                                     color=charts.BAR_ALT),
        "groups": charts.hbars([(g.GROUPS.get(k, k), n) for k, n in r["visitor_groups"].items()],
                               title="Khách theo nhóm (tự khai)"),
        "outcomes": charts.hbars([(g.OUTCOMES.get(k, k), n) for k, n in esc["by_outcome"].items()],
                                 title="Kết quả hỗ trợ", color=charts.BAR_ALT),
        "categories": charts.hbars([(g.CATEGORIES.get(k, k), n) for k, n in esc["by_category"].items()],
                                   title="Nhóm việc được giúp"),
        "topics": charts.hbars([(TOPICS.get(t["topic"], t["topic"]), t["started"]) for t in r["topics"]],
                               title="Bài học bắt đầu theo chủ đề"),
        "funnels": {l["lesson"]: charts.hbars([(f"Bước {k}", n) for k, n in l["funnel"].items()],
                                              title=f"Số người đến từng bước: {l['title'] or l['lesson']}",
                                              width=460, label_w=80)
                    for l in r["lessons"]},
    }
