"""The console page "Giọng đọc": each line of the kiosk with its recording status; play the
synthetic version, record with the browser's microphone (MediaRecorder), listen back, keep or
redo. A kept take goes through the same processing and check as `kiosk narration import`
(kiosk.narration.importer.import_one): processed, transcribed, flagged if it does not match.

Browsers give the microphone only to a secure origin: http://localhost on the kiosk itself, or
the console over HTTPS (`kiosk staff serve --https`, kiosk.staff.tls) from a staff PC.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from pathlib import Path

from typing import Annotated

from fastapi import Path as PathParam, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse

from kiosk.narration.catalogue import SAFE_ID, lines as catalogue_lines
from kiosk.narration.store import LABELS, NarrationStore

log = logging.getLogger("kiosk.staff.narration")

SAYS = {
    "accepted": "Đã lưu bản ghi. Kiosk sẽ đọc câu này bằng giọng của bạn.",
    "flagged": ("Bản ghi chưa khớp với câu (nghi đọc nhầm), nên chưa được dùng. Hãy nghe lại và "
                "ghi lại; nếu chắc chắn đúng, bấm Vẫn dùng bản ghi này."),
    "to_confirm": "Đã lưu, chờ xác nhận.",
}
REFUSED = (  # the processing's English reason -> what the staff member reads
    ("clipped", "Tiếng bị rè vì quá to. Để micro xa hơn một chút rồi ghi lại."),
    ("no speech", "Không nghe thấy tiếng nói. Kiểm tra micro rồi ghi lại."),
    ("too quiet", "Tiếng quá nhỏ. Nói to hơn hoặc để micro gần hơn rồi ghi lại."),
    ("too short", "Bản ghi quá ngắn. Hãy đọc cả câu rồi ghi lại."),
)
UNREADABLE = "Không đọc được tệp âm thanh gửi lên. Hãy ghi lại."
NO_LINE = "Không có câu này."
UPLOAD_LIMIT = 20 * 1024 * 1024  # a minute of speech is far less
# a line id in a URL is checked at the edge, like a ticket id (and fuzzed the same way)
LineId = Annotated[str, PathParam(pattern=SAFE_ID.pattern, max_length=121)]


def _refused_text(reason: str) -> str:
    return next((vi for key, vi in REFUSED if key in reason), UNREADABLE)


class Lines:
    """The catalogue, computed once (lessons do not change while the console runs)."""

    def __init__(self, lessons_dir: Path | None):
        self.lessons_dir = lessons_dir
        self._lines = None
        self.titles = {"kiosk": "Câu chung của kiosk"}  # group id -> what the staff reads
        self._lock = threading.Lock()

    def all(self):
        with self._lock:
            if self._lines is None:
                from kiosk import paths
                from kiosk.core.content.lessons import load_catalog
                from kiosk.narration.catalogue import group_titles
                catalog = load_catalog(Path(self.lessons_dir or paths.lessons_dir()))
                self.titles.update(group_titles(catalog))
                self._lines = catalogue_lines(catalog)
            return self._lines

    def get(self, line_id: str):
        if not SAFE_ID.match(line_id or ""):
            return None
        return next((l for l in self.all() if l.id == line_id), None)


def register(app, page, data_dir: Path, lessons_dir: Path | None) -> None:
    store = NarrationStore(data_dir)
    lines = Lines(lessons_dir)
    transcriber = {}

    def transcribe(samples, rate):
        if "t" not in transcriber:
            from kiosk.narration.match import Transcriber
            transcriber["t"] = Transcriber()
        return transcriber["t"](samples, rate)

    def missing(request: Request):
        if request.method == "GET" and not request.url.path.endswith(".wav"):
            return HTMLResponse(NO_LINE, status_code=404)
        return JSONResponse({"error": "no such line", "message": NO_LINE}, status_code=404)

    @app.get("/narration", response_class=HTMLResponse)
    def narration_page(request: Request, group: str = ""):
        from kiosk.narration.coverage import line_rows, status
        everything = lines.all()
        groups = list(dict.fromkeys(l.group for l in everything))
        chosen = group if group in groups else groups[0]
        rows = [r for r in line_rows(everything, store) if r["group"] == chosen]
        return page(request, "narration.html", rows=rows, groups=groups, group=chosen,
                    titles=lines.titles,
                    status=status(everything, store), LABELS=LABELS)

    @app.get("/narration/{line_id}/synthetic.wav")
    def synthetic(request: Request, line_id: LineId):
        line = lines.get(line_id)
        if line is None:
            return missing(request)
        from kiosk.speech.tts import Speaker
        return FileResponse(Speaker(Path(data_dir) / "tts-cache").render(line.text),
                            media_type="audio/wav")

    @app.get("/narration/{line_id}/recording.wav")
    def recording(request: Request, line_id: LineId):
        line = lines.get(line_id)
        if line is None or not store.wav_path(line.id).is_file():
            return missing(request)
        return FileResponse(store.wav_path(line.id), media_type="audio/wav")

    @app.post("/narration/{line_id}/recording", openapi_extra={"requestBody": {"content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "audio": {"type": "string", "format": "binary"}, "csrf": {"type": "string"}}}}}}})
    def keep_take(request: Request, line_id: LineId):
        from kiosk.narration.importer import import_one
        line = lines.get(line_id)
        if line is None:
            return missing(request)
        upload = request.state.form.get("audio")
        data = upload.file.read(UPLOAD_LIMIT + 1) if hasattr(upload, "file") else b""
        if not data or len(data) > UPLOAD_LIMIT:
            return JSONResponse({"status": "refused", "message": UNREADABLE}, status_code=400)
        with tempfile.TemporaryDirectory(prefix="take-") as tmp:
            take = Path(tmp) / "take.webm"
            take.write_bytes(data)
            result = import_one(take, store, lines.all(), transcribe, line_id=line.id)
        staff = (getattr(request.state, "staff", None) or {}).get("staff", "?")
        log.info("narration: %s recorded %s in the console: %s (WER %s)", staff, line.id,
                 result["status"], result["score"])
        state = store.state_of(line, store.entries().get(line.id))
        message = SAYS.get(result["status"]) or _refused_text(result["reason"])
        code = 400 if result["status"] == "refused" else 200
        return JSONResponse({**result, "state": state, "label": LABELS[state], "message": message},
                            status_code=code)

    @app.post("/narration/{line_id}/accept", openapi_extra={"requestBody": {"content": {
        "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {
            "csrf": {"type": "string"}, "group": {"type": "string"}}}}}}})
    def accept(request: Request, line_id: LineId):
        line = lines.get(line_id)
        if line is None or not store.set_status(line.id, "accepted"):
            return missing(request)
        from urllib.parse import quote
        group = str(request.state.form.get("group") or "")
        return RedirectResponse(f"/narration?group={quote(group)}#line-{line.id}", status_code=303)
