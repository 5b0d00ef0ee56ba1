"""Vietnamese words for the console (the staff are Vietnamese), and a ticket's context in words."""

from __future__ import annotations

from kiosk.core.content.lessons import TOPICS
from kiosk.core.data.timeutil import centre_zone, parse

OUTCOMES = {
    "resolved_at_kiosk": "Đã xong tại kiosk",
    "done_at_counter": "Làm xong tại quầy (nhân viên giúp)",
    "referred": "Chuyển nơi khác",
    "not_possible": "Không làm được",
}
CATEGORIES = {
    "vneid": "VNeID", "dvc": "Dịch vụ công", "payment": "Thanh toán", "health": "Sức khỏe",
    "safety": "An toàn", "internet": "Internet", "kiosk": "Cách dùng kiosk", "other": "Khác",
    "none": "Chưa ghi",
}
GROUPS = {"elderly": "Người cao tuổi", "disabled": "Người khuyết tật", "pregnant": "Phụ nữ mang thai",
          "none": "Không khai báo"}
STATUSES = {"waiting": "Đang chờ", "called": "Đã gọi", "served": "Đã phục vụ", "no_show": "Vắng mặt"}
ACTIONS = {"call": "Gọi", "recall": "Gọi lại", "transfer": "Chuyển quầy", "serve": "Xong",
           "no_show": "Vắng mặt"}
MODES = {"large_text": "Chữ to", "high_contrast": "Tương phản cao", "audio": "Đọc to",
         "simple": "Đơn giản", "captions": "Phụ đề"}
RATES = {"slow": "đọc chậm", "fast": "đọc nhanh"}
SCREENS = {"welcome": "màn hình chào", "home": "trang chủ", "topic": "chọn bài",
           "intro": "giới thiệu bài", "step": "đang làm", "finish": "đã xong bài", "ticket": "lấy số"}
ERRORS = {
    "back_repeated": "Bấm Quay lại nhiều lần",
    "not_understood": "Máy không hiểu lời nói",
    "voice_not_understood": "Máy không hiểu lời nói",
    "low_confidence": "Máy nghe không rõ",
    "asr_error": "Nhận dạng giọng nói lỗi",
    "mic_unavailable": "Không có micro",
    "tts_failed": "Không phát được giọng đọc",
}
EVENTS = {
    "screen": "Mở màn hình", "step": "Đến bước", "back": "Bấm Quay lại", "repeat": "Nghe lại",
    "mode": "Đổi chế độ", "voice": "Nói", "problem": "Gặp lỗi", "lesson_start": "Bắt đầu bài",
    "lesson_finish": "Xong bài", "ticket_shown": "Nhận số", "priority": "Chọn ưu tiên",
    "ticket_called": "Kiosk báo gọi số", "idle_warning": "Máy hỏi còn ở đó không",
    "idle_extended": "Khách vẫn đang dùng", "session_end": "Kết thúc phiên", "ignored": "Thao tác không dùng",
    "staff_call": "Nhân viên gọi", "staff_recall": "Nhân viên gọi lại", "staff_transfer": "Chuyển quầy",
    "staff_serve": "Ghi kết quả", "staff_no_show": "Ghi vắng mặt", "stop_speech": "Dừng đọc",
}
END_REASONS = {"done": "Xong", "timeout": "Hết giờ", "left": "Rời đi", "closed": "Tắt máy",
               "open": "Đang mở"}
MESSAGES = {
    "not_waiting": "Số này không còn trong hàng chờ (có thể nhân viên khác đã gọi).",
    "not_called": "Cần gọi số này trước.",
    "recall_first": "Cần gọi lại ít nhất một lần trước khi ghi vắng mặt.",
    "closed": "Số này đã xong.",
    "same_counter": "Số này đang ở quầy đó rồi.",
    "bad_counter": "Quầy không tồn tại.",
    "bad_outcome": "Chọn kết quả.",
    "bad_category": "Nhóm việc không hợp lệ.",
    "no_ticket": "Không tìm thấy số này.",
    "empty": "Không có ai đang chờ.",
    "saved": "Đã lưu.",
    "called": "Đã gọi.",
    "served": "Đã ghi kết quả.",
}


def local(ts: str | None, fmt: str = "%H:%M") -> str:
    if not ts:
        return ""
    return parse(ts).astimezone(centre_zone()).strftime(fmt)


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = max(0, int(seconds))
    if s < 60:
        return f"{s} giây"
    if s < 3600:
        return f"{s // 60} phút"
    return f"{s // 3600} giờ {s % 3600 // 60} phút"


def key_values(data: str | dict | None) -> str:
    """An event's JSON data as 'key: value' pairs for the timeline."""
    import json
    if isinstance(data, str):
        try:
            data = json.loads(data or "{}")
        except ValueError:
            return data
    if not isinstance(data, dict):
        return str(data or "")
    return " · ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}"
                      for k, v in data.items() if v not in (None, "", []))


def error_label(code: str) -> str:
    if code in ERRORS:
        return ERRORS[code]
    low = code.lower()
    if any(w in low for w in ("voice", "asr", "speech", "heard", "understood")):
        return f"Giọng nói không dùng được ({code})"
    return code


def describe(ticket: dict, catalog=None) -> dict:
    """What a staff member needs before walking over, from the ticket's context. No personal data."""
    ctx = ticket.get("context") or {}
    lesson = catalog.get(ctx["lesson"]) if catalog and ctx.get("lesson") else None
    where = []
    if ctx.get("topic"):
        where.append(TOPICS.get(ctx["topic"], ctx["topic"]))
    if lesson is not None:
        where.append(lesson.title)
    elif ctx.get("lesson"):
        where.append(ctx["lesson"])
    step = f"Bước {ctx['step']}/{ctx['steps']}" if ctx.get("step") and ctx.get("steps") else ""
    errors: dict[str, int] = {}
    for e in ctx.get("errors") or []:
        label = error_label(str(e))
        errors[label] = errors.get(label, 0) + 1
    modes = [MODES.get(m, m) for m in ctx.get("modes") or []]
    if ctx.get("rate") in RATES:
        modes.append(RATES[ctx["rate"]])
    return {
        "where": " › ".join(where) or "Chưa chọn bài",
        "step": step,
        "screen": SCREENS.get(ctx.get("screen"), ctx.get("screen") or ""),
        "modes": modes,
        "errors": [f"{k} ×{n}" if n > 1 else k for k, n in errors.items()],
        "group": GROUPS.get(ticket.get("priority")) if ticket.get("priority") else "",
        # the visitor's kiosk session has ended (Về trang đầu, timeout): look around the room
        "left": ticket.get("status") in ("waiting", "called") and bool(ticket.get("session_end")),
        "local_number": ctx.get("local_number"),
        "topic": ctx.get("topic"),
    }
