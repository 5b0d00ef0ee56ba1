"""The staff console: a FastAPI app over the kiosk's own SQLite log.

Pages: login, queue (live), ticket detail, history, reports (+ CSV/JSON), settings, and the
waiting-room display (display_routes). Only the login page answers without a session, and the
display only with its own link: one global dependency (`guard`) checks the session cookie (or,
under /display/, the display link) on every route and the CSRF token on every form; a test walks
`app.routes` to prove it.

Handlers are plain `def` functions (run in a thread pool), each thread with its own SQLite
connection. A write that cannot be saved (database locked for too long, disk full) answers 503
with a plain message: nothing is shown as done unless it is on disk.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from kiosk.core.data import datacare
from kiosk.core.content.lessons import TOPICS, load_catalog
from kiosk.core.data.queue import CATEGORIES, OUTCOMES, Queue, QueueError
from kiosk.core.data.shared_queue import SharedQueueError
from kiosk.core.data.store import Store, StoreError, utcnow
from kiosk.staff import auth, display, display_routes, labels, narration_page, reports_page
from kiosk.staff.web import (BAD_REQUEST, COUNTER, CSRF_ONLY, QUEUE_AWAY, QUEUE_AWAY_NOTICE,
                             SAVE_FAILED, CsrfFailed, LoginRequired, SecurityHeaders, Stores,
                             TicketId, form_doc, integer, plain_page, same, to_int)

log = logging.getLogger("kiosk.staff")

TEMPLATES = Path(__file__).resolve().parent / "templates"
COOKIE = "kiosk_staff"
LOGIN_COOKIE = "kiosk_login"
PUBLIC = frozenset({("GET", "/login"), ("HEAD", "/login"), ("POST", "/login")})
POLL_MS = 1000
WAITING_SHOWN = 100
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
def create_app(db_path: Path, lessons_dir: Path | None = None, *, busy_ms: int = 2000,
               pragmas: tuple[str, ...] = (), queue_db: str | None = None,
               report_db: str | None = None) -> FastAPI:
    """`queue_db` (default: KIOSK_QUEUE_DB): a centre's shared queue in PostgreSQL, which the
    console then lists and acts on instead of this log's tickets (staff, settings and the
    reports stay in the log). `report_db` (default: KIOSK_REPORT_DB): the province's database,
    read-only, for the Báo cáo page (kiosk/staff/province.py)."""
    db_path = Path(db_path)
    Store(db_path).close()  # migrate once, and fail early with a clear StoreError
    stores = Stores(db_path, busy_ms, pragmas)
    queue_db = queue_db if queue_db is not None else os.environ.get("KIOSK_QUEUE_DB", "").strip()
    queue_stores = stores
    report_db = report_db if report_db is not None else os.environ.get("KIOSK_REPORT_DB", "").strip()
    if queue_db:
        from kiosk.central.queue_db import QueueDbs
        queue_stores = QueueDbs(queue_db)
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
        return Queue(queue_stores.get())

    async def guard(request: Request):
        """Every route: a live session (except the login page) and, for forms, its CSRF token."""
        request.state.form = {}
        if request.url.path.startswith(display_routes.PREFIX):
            # the waiting-room display: its own link, never a staff session (display_routes)
            token = display_routes.token_in(request.url.path)
            if request.method not in ("GET", "HEAD") or not await run_in_threadpool(
                    display.link_ok, stores.get(), token):
                raise display_routes.DisplayRefused()
            request.state.staff = None
            return
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
            if not same(sent, sess["csrf"]):
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
        return HTMLResponse(plain_page("Biểu mẫu đã cũ hoặc không hợp lệ. Hãy tải lại trang rồi thử lại."),
                            status_code=403)

    @app.exception_handler(display_routes.DisplayRefused)
    async def _display_refused(request: Request, exc):
        return display_routes.refused_response(request)

    async def _store_failed(request: Request, exc):
        log.error("console: %s %s not saved: %s", request.method, request.url.path, exc)
        words = QUEUE_AWAY if isinstance(exc, SharedQueueError) else SAVE_FAILED
        if request.url.path.endswith("/live"):
            return JSONResponse({"error": "database unavailable", "message": words}, status_code=503)
        return HTMLResponse(plain_page(words), status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc):
        # Only path ids are typed parameters: one out of range or not a number names no ticket.
        in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
        code, text = (404, labels.MESSAGES["no_ticket"]) if in_path else (400, BAD_REQUEST)
        log.warning("console: refused %s %s (%d): invalid parameter", request.method,
                    request.url.path, code)
        if request.url.path.endswith((".json", "/live")):
            return JSONResponse({"error": "invalid request", "message": text}, status_code=code)
        return HTMLResponse(plain_page(text), status_code=code)

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
            base["notices"] = _notices()
            base["counters"], reached = counters()
            if not reached:
                base["notices"].append(QUEUE_AWAY_NOTICE)
        base.update(ctx)
        return templates.TemplateResponse(request, name, base, status_code=code)

    def counters() -> tuple[list[dict], bool]:
        """The queue's counters and True; this log's and False while the centre's shared queue
        does not answer, so that the pages without the queue (reports, settings) still work."""
        try:
            return queue().counters(), True
        except SharedQueueError as e:
            log.warning("console: the shared queue did not answer; counters from this log: %s", e)
            return Queue(stores.get()).counters(), False

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
        if not same(form.get("csrf"), request.cookies.get(LOGIN_COOKIE)):
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
        counter = to_int(request.state.form.get("counter"))
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
        counter = to_int(request.state.form.get("counter"))
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
                      q.conn.execute(
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

    reports_page.register(app, page, stores, catalog, report_db)  # "Báo cáo"

    # --- settings ----------------------------------------------------------------------------

    def settings_ctx() -> dict:
        store = stores.get()
        size = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
        return {
            "retention_days": datacare.get_int_setting(store, "retention_days"),
            "session_minutes": datacare.get_int_setting(store, "session_minutes"),
            "counter_count": len(counters()[0]),
            "last_purge_at": datacare.get_setting(store, "last_purge_at", ""),
            "accounts": auth.list_staff(store),
            "display_since": display.link_made_at(store),
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
        retention = to_int(form.get("retention_days"))
        minutes = to_int(form.get("session_minutes"))
        count = to_int(form.get("counters"))
        problems = []
        if retention is None or not 0 <= retention <= 3650:
            problems.append("Số ngày lưu dữ liệu phải từ 0 đến 3650 (0 = không tự xóa).")
        if minutes is None or not 5 <= minutes <= 480:
            problems.append("Thời gian tự đăng xuất phải từ 5 đến 480 phút.")
        if count is None or not 1 <= count <= 20:
            problems.append("Số quầy phải từ 1 đến 20.")
        if problems:
            return page(request, "settings.html", code=400, problems=problems, **settings_ctx())
        staff = staff_name(request)
        if count != len(queue().counters()):  # the queue's own (shared) counters; first, so that a
            datacare.set_counters(queue_stores.get(), count, staff)  # queue away saves nothing
        datacare.set_settings(stores.get(), {"retention_days": str(retention),
                                             "session_minutes": str(minutes)}, staff)
        return back("/settings", msg="saved")

    display_routes.add_routes(app, stores, templates, db_path.parent / "tts-cache", queue_stores)
    narration_page.register(app, page, db_path.parent, lessons_dir)  # "Giọng đọc"
    return app
