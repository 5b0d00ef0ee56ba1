"""A blind visitor alone, from the welcome screen to the queue ticket (EN 301 549 §5.1).

Plain Python, no Kivy; called by the flow (kiosk.core.visit.flow, .access) through small hooks:

- **Start without sight.** On the welcome screen, while Nghe đọc is off, the first key press
  speaks at once how the keypad works and that key 5 turns spoken guidance on; key 5 turns it on.
  Key 5 is the one a blind visitor finds without sight: it carries the raised dot on telephone,
  numeric and ATM keypads (ITU-T E.161, ISO/IEC 9995), so "bấm phím 5, phím có gờ nổi" needs no
  other explanation. Nothing is said before a key is pressed: no talking to an empty room.
- **Headphones.** When the system reports headphones plugged in (kiosk.speech.headphones),
  audio mode and private listening go on (sensitive steps may then be spoken); unplugged,
  private listening goes off. Without such a report nothing changes.
- **Nothing irreversible without asking**: in audio mode, leaving the session (Backspace on the
  home screen, Về trang đầu) asks "… đúng không?" first (the voice's confirm screen).
- **Every choice names its key**: in audio mode a screen's line says "phím 1, VNeID; …"
  (the screens' side: kiosk.core.screens.keys.name_keys, kiosk.core.screens.phone_keys).
"""

from __future__ import annotations

from dataclasses import replace

# HeadphonesChanged: callers import the event from here too
from kiosk.core.state import HeadphonesChanged, Log, Pending, Say, StopSpeech  # noqa: F401

START_KEY = "5"
WELCOME_KEYS = ("Xin chào. Máy này hướng dẫn thủ tục hành chính trên mạng và kỹ năng số, miễn phí. "
                "Để máy đọc to mọi thứ và dùng bằng bàn phím, bấm phím 5, phím có gờ nổi ở giữa. "
                "Sau đó: phím số để chọn, phím Enter để đồng ý, phím Tab để đi qua từng nút, "
                "phím sao để nghe lại, phím 0 để gọi nhân viên.")
LEAVE_QUESTION = "Bạn muốn kết thúc và về trang đầu, đúng không?"
PLUGGED = "Đã cắm tai nghe. Máy đọc to mọi thứ, chỉ bạn nghe được."
UNPLUGGED = "Đã rút tai nghe. Máy không đọc thông tin riêng nữa."


# --- start without sight -------------------------------------------------------------------

def welcome_key(flow, state, name: str | None):
    """A key on the welcome screen while Nghe đọc is off: (state, effects), or None to let the
    key do what it does elsewhere."""
    if (name is None or state.screen != "welcome" or state.warning or state.modes.audio
            or getattr(state, "confirm", None)):
        return None
    log = Log("key", {"key": name})
    if name == START_KEY:
        new, effects = flow.set_mode(state, "audio", True)
        return new, [log, StopSpeech()] + effects
    if getattr(state, "keys_told", False):
        return None
    return replace(state, keys_told=True), [log, StopSpeech(), Say(WELCOME_KEYS, "feedback")]


# --- headphones ----------------------------------------------------------------------------

def headphones(flow, state, event: HeadphonesChanged):
    log = Log("headphones", {"plugged": event.plugged})
    if event.first:
        return replace(state, private=event.plugged), [log]
    if not event.plugged:
        if not getattr(state, "private", False):
            return state, [log]
        return replace(state, private=False), [log, Say(UNPLUGGED, "feedback")]
    new = replace(state, private=True, last_input=event.now)
    if new.modes.audio:
        return new, [log, Say(f"{PLUGGED} {flow.spoken(new)}", "feedback")]
    new, effects = flow.set_mode(new, "audio", True)
    return new, [log, Say(PLUGGED, "feedback")] + effects


# --- nothing irreversible without asking ---------------------------------------------------

def ask_leave(flow, state, reason: str):
    """In audio mode, "… đúng không?" before the session ends; None: end it now."""
    if not state.modes.audio or getattr(state, "confirm", None):
        return None
    pending = Pending("end_session", (("reason", reason),), LEAVE_QUESTION, "", state.screen)
    new = replace(state, confirm=pending, screen="confirm", focus=None, armed=None)
    return new, [Log("confirm_leave", {"reason": reason}), Log("screen", {"screen": "confirm"}),
                 Say(flow.spoken(new))]
