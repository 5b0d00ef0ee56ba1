"""The console's web plumbing, shared by its pages: per-thread SQLite stores, security headers,
form descriptions for the OpenAPI schema (and the API fuzzer), checked numbers, plain messages."""

from __future__ import annotations

import hmac
import logging
import secrets
import threading
from pathlib import Path
from typing import Annotated

from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from markupsafe import escape
from starlette.datastructures import MutableHeaders

from kiosk.core.data.store import Store

log = logging.getLogger("kiosk.staff")

INT64_MAX = 2**63 - 1                 # SQLite's largest integer: more overflows in the driver
# A ticket id in a URL: checked here, at the edge, so that no number reaches SQLite unchecked.
TicketId = Annotated[int, PathParam(ge=1, le=INT64_MAX)]
BAD_REQUEST = "Địa chỉ hoặc dữ liệu gửi lên không hợp lệ. Hãy quay lại hàng chờ rồi thử lại."
SERVER_ERROR = "Đã có lỗi trong bảng điều khiển. Thao tác này có thể CHƯA được ghi; hãy tải lại trang."
SAVE_FAILED = ("Chưa lưu được: cơ sở dữ liệu đang bận hoặc ổ đĩa đầy. Thao tác này CHƯA được ghi. "
               "Vui lòng thử lại sau ít phút; nếu vẫn lỗi, báo cán bộ phụ trách máy.")
# the centre's shared queue (KIOSK_QUEUE_DB) did not answer: its pages cannot be read or saved
QUEUE_AWAY = ("Không kết nối được hàng chờ chung của trung tâm, nên chưa xem hay ghi được hàng chờ. "
              "Thao tác này CHƯA được ghi. Các máy kiosk vẫn phát số riêng (ví dụ X001) và tự gửi "
              "vào hàng chờ khi kết nối lại. Vui lòng thử lại sau ít phút.")
QUEUE_AWAY_NOTICE = "Không kết nối được hàng chờ chung của trung tâm: trang hàng chờ tạm chưa dùng được."


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
                    "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; form-action 'self'; "
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
            await HTMLResponse(plain_page(SERVER_ERROR), status_code=500)(scope, receive, send_tracked)


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


def same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def to_int(value, default=None):
    """A form number, or `default` when it is not an integer SQLite can hold."""
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return n if -INT64_MAX - 1 <= n <= INT64_MAX else default


def plain_page(text: str) -> str:
    return ("<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Bảng điều khiển nhân viên</title>"
            "<body style=\"font-family:sans-serif;max-width:40em;margin:3em auto;font-size:18px\">"
            f"<p role=\"alert\" id=\"error\">{escape(text)}</p><p><a href=\"/queue\">Quay lại hàng chờ</a></p>")
