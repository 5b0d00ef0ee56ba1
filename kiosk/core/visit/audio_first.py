"""A blind visitor alone, from the welcome screen to the queue ticket (EN 301 549 §5.1).

Plain Python, no Kivy; mixed into the flow through small hooks:

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
- **Every choice names its key**: in audio mode a screen's line says "phím 1, VNeID; …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

START_KEY = "5"
WELCOME_KEYS = ("Xin chào. Máy này hướng dẫn thủ tục hành chính trên mạng và kỹ năng số, miễn phí. "
                "Để máy đọc to mọi thứ và dùng bằng bàn phím, bấm phím 5, phím có gờ nổi ở giữa. "
                "Sau đó: phím số để chọn, phím Enter để đồng ý, phím Tab để đi qua từng nút, "
                "phím sao để nghe lại, phím 0 để gọi nhân viên.")
LEAVE_QUESTION = "Bạn muốn kết thúc và về trang đầu, đúng không?"
PLUGGED = "Đã cắm tai nghe. Máy đọc to mọi thứ, chỉ bạn nghe được."
UNPLUGGED = "Đã rút tai nghe. Máy không đọc thông tin riêng nữa."


@dataclass(frozen=True)
class HeadphonesChanged:
    """The system reports headphones plugged in (True) or out (False); `first`: the state found
    when the kiosk started (noted quietly: nobody may be there)."""
    plugged: bool
    now: float = 0.0
    first: bool = False


def _f():
    from kiosk.core.visit import flow
    return flow


# --- start without sight -------------------------------------------------------------------

def welcome_key(flow, state, name: str | None):
    """A key on the welcome screen while Nghe đọc is off: (state, effects), or None to let the
    key do what it does elsewhere."""
    f = _f()
    if (name is None or state.screen != "welcome" or state.warning or state.modes.audio
            or getattr(state, "confirm", None)):
        return None
    log = f.Log("key", {"key": name})
    if name == START_KEY:
        new, effects = flow._set_mode(state, "audio", True)
        return new, [log, f.StopSpeech()] + effects
    if getattr(state, "keys_told", False):
        return None
    return replace(state, keys_told=True), [log, f.StopSpeech(), f.Say(WELCOME_KEYS, "feedback")]


# --- headphones ----------------------------------------------------------------------------

def headphones(flow, state, event: HeadphonesChanged):
    f = _f()
    log = f.Log("headphones", {"plugged": event.plugged})
    if event.first:
        return replace(state, private=event.plugged), [log]
    if not event.plugged:
        if not getattr(state, "private", False):
            return state, [log]
        return replace(state, private=False), [log, f.Say(UNPLUGGED, "feedback")]
    new = replace(state, private=True, last_input=event.now)
    if new.modes.audio:
        return new, [log, f.Say(f"{PLUGGED} {flow.spoken(new)}", "feedback")]
    new, effects = flow._set_mode(new, "audio", True)
    return new, [log, f.Say(PLUGGED, "feedback")] + effects


# --- nothing irreversible without asking ---------------------------------------------------

def ask_leave(flow, state, reason: str):
    """In audio mode, "… đúng không?" before the session ends; None: end it now."""
    if not state.modes.audio or getattr(state, "confirm", None):
        return None
    from kiosk.core.visit.voice import Pending
    f = _f()
    pending = Pending("end_session", (("reason", reason),), LEAVE_QUESTION, "", state.screen)
    new = replace(state, confirm=pending, screen="confirm", focus=None, armed=None)
    return new, [f.Log("confirm_leave", {"reason": reason}), f.Log("screen", {"screen": "confirm"}),
                 f.Say(flow.spoken(new))]


# --- every choice names its key ------------------------------------------------------------

def name_keys(text: str, view) -> str:
    """"số 1, VNeID" / "Số 1: VNeID" -> "phím 1, VNeID" for the numbered choices of this screen."""
    from kiosk.core.screens.keys import controls
    keys = {c.key for c in controls(view) if c.key and c.key.isdigit()}
    if not keys:
        return text

    def sub(m: re.Match) -> str:
        if m.group(2) not in keys:
            return m.group(0)
        return ("Phím " if m.group(1) == "Số" else "phím ") + m.group(2) + m.group(3)
    return re.sub(r"(?<!\w)([Ss]ố) (\d)([,:])", sub, text)


def phone_help(view) -> str:
    """On a practice copy: how to reach the drawn phone by keypad."""
    from kiosk.core.screens.phone_keys import KEYS_HELP, phone_controls
    return KEYS_HELP if phone_controls(getattr(view, "phone", None)) else ""
