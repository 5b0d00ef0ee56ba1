"""Routes of the waiting-room display: /display/{token}, its live data and the call's sound.

The app's guard has already checked the token (see `display.link_ok`) before any of these run,
so a wrong or revoked link never reaches them.

Live updates by short polling (one small JSON request a second), like the staff's queue page,
rather than Server-Sent Events: a TV left on for days reconnects by itself after the console or
the network restarts (every request stands alone), it needs no long-lived connection holding a
worker thread, and a call shows within about one second, inside the 2-second promise.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse

from kiosk.core.data.store import utcnow
from kiosk.core.data.timeutil import local_today
from kiosk.staff import display, labels

log = logging.getLogger("kiosk.staff")

PREFIX = "/display/"
POLL_MS = 1000
INT64_MAX = 2**63 - 1
CallId = Annotated[int, PathParam(ge=1, le=INT64_MAX)]
# typed with limits so that the schema (and the API fuzzer) knows what a token looks like
Token = Annotated[str, PathParam(min_length=20, max_length=display.MAX_TOKEN, pattern=r"^[A-Za-z0-9_-]+$")]
NO_SOUND = "Chưa phát được tiếng gọi số; số vẫn hiện trên màn hình."


class DisplayRefused(Exception):
    """A /display/ address without the current display link."""


def token_in(path: str) -> str | None:
    """The token part of a /display/TOKEN[/...] path."""
    if not path.startswith(PREFIX):
        return None
    return path[len(PREFIX):].split("/", 1)[0] or None


def refused_response(request: Request):
    log.warning("display: refused %s (no or revoked display link)", request.url.path.split("/")[1])
    if request.url.path.endswith("/live"):
        return JSONResponse({"error": "display link refused", "message": display.REFUSED}, status_code=403)
    # Plain text: the one line a TV can show, with no page around it to load or style.
    return PlainTextResponse(display.REFUSED, status_code=403)


def add_routes(app: FastAPI, stores, templates, cache_dir: Path, queue_stores=None) -> None:
    """`queue_stores`: where the tickets are (a centre's shared queue), if not in `stores`."""
    announcer = display.Announcer(cache_dir)
    queue_stores = queue_stores or stores

    def board(after: int = 0) -> dict:
        return display.board(queue_stores.get().conn, local_today(), after)

    @app.get("/display/{token}", response_class=HTMLResponse)
    def display_page(request: Request, token: Token):
        return templates.TemplateResponse(request, "display.html", {
            "nonce": request.state.nonce, "b": board(), "base": f"{PREFIX}{token}",
            "POLL_MS": POLL_MS, "NO_SOUND": NO_SOUND})

    @app.get("/display/{token}/live")
    def display_live(request: Request, token: Token,
                     after: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0):
        data = board(after)
        data["now"] = labels.local(utcnow(), "%H:%M:%S")
        return JSONResponse(data)

    @app.get("/display/{token}/calls/{call_id}.wav")
    def call_sound(request: Request, token: Token, call_id: CallId):
        from kiosk.speech.tts import TTSError
        call = display.call_of(queue_stores.get().conn, call_id)
        if call is None:
            return JSONResponse({"error": "no such call"}, status_code=404)
        try:
            wav = announcer.wav(call["number"], call["counter"])
        except (TTSError, OSError) as e:
            log.error("display: cannot make the sound of call %d: %s", call_id, e)
            return JSONResponse({"error": "no sound", "message": NO_SOUND}, status_code=503)
        # the same call always sounds the same: the TV may keep it
        return FileResponse(wav, media_type="audio/wav", headers={"Cache-Control": "private, max-age=3600"})
