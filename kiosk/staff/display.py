"""The waiting-room display: a console page for a TV that shows and announces the calls.

It is opened with a long random display link (`kiosk staff display-link`), not a staff login:
a TV in the waiting room has no one to type a PIN and must not hold a staff session. Only the
SHA-256 of the link's token is stored (in `settings`), so the database never holds a working
link. There is one link at a time: making a new one ends the old one; `--revoke` ends it too.

What it shows is limited on purpose to queue numbers and counters: the call data built here
never carries a lesson, a step, a visitor group or a staff name.

The spoken call is the kiosk's own line ("Mời số A, không, không, một đến quầy 1."), rendered
with the kiosk's TTS (espeak-ng through kiosk.speech.tts) after a short two-note chime, in
one WAV so that the browser plays them as one sound.
"""

from __future__ import annotations

import array
import hashlib
import hmac
import json
import math
import os
import secrets
import threading
import wave
from pathlib import Path

from kiosk.core.data.store import Store, utcnow

LINK_KEY = "display_link_sha256"
LINK_MADE_KEY = "display_link_created_at"
RECENT_SHOWN = 5
MAX_TOKEN = 200
CALL_TEXT = "Mời số {number} đến quầy {counter}."
REFUSED = ("Liên kết màn hình chờ không đúng hoặc đã bị thu hồi. "
           "Xin cán bộ phụ trách tạo liên kết mới bằng lệnh kiosk staff display-link.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- the link (CLI and guard) ---------------------------------------------------------------

def _log(c, action: str) -> None:
    c.execute("INSERT INTO events (ts, kind, data) VALUES (?, 'display_link', ?)",
              (utcnow(), json.dumps({"action": action})))


def make_link(store: Store) -> str:
    """A new display token; the previous one (if any) stops working in the same commit."""
    token = secrets.token_urlsafe(32)

    def write(c):
        for key, value in ((LINK_KEY, _hash(token)), (LINK_MADE_KEY, utcnow())):
            c.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
        _log(c, "make")
    store.transact(write)
    return token


def revoke_link(store: Store) -> bool:
    """End the display link. False when there was none."""
    def write(c):
        had = c.execute("SELECT 1 FROM settings WHERE key = ? AND value != ''", (LINK_KEY,)).fetchone()
        c.execute("DELETE FROM settings WHERE key IN (?, ?)", (LINK_KEY, LINK_MADE_KEY))
        _log(c, "revoke")
        return bool(had)
    return store.transact(write)


def link_made_at(store: Store) -> str | None:
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (LINK_MADE_KEY,)).fetchone()
    return row[0] if row else None


def link_ok(store: Store, token: str | None) -> bool:
    """Is `token` the current display link? (Compared as hashes, in constant time.)"""
    if not token or len(token) > MAX_TOKEN:
        return False
    row = store.conn.execute("SELECT value FROM settings WHERE key = ?", (LINK_KEY,)).fetchone()
    return bool(row and row[0]) and hmac.compare_digest(row[0], _hash(token))


# --- what the display shows -----------------------------------------------------------------

def _number(context: str | None, number: str) -> str:
    return (json.loads(context or "{}") or {}).get("local_number") or number


def _calls(conn, day: str, after: int = 0, limit: int = 60) -> list[dict]:
    """Call events (call, recall, transfer) of today's tickets, newest first: number and counter only."""
    rows = conn.execute(
        "SELECT h.id, t.number, t.context, h.counter, c.name FROM ticket_history h "
        "JOIN tickets t ON t.id = h.ticket_id LEFT JOIN counters c ON c.id = h.counter "
        "WHERE h.status = 'called' AND t.day = ? AND h.id > ? ORDER BY h.id DESC LIMIT ?",
        (day, after, limit)).fetchall()
    return [{"id": r[0], "number": _number(r[2], r[1]), "counter": r[3],
             "counter_name": r[4] or f"Quầy {r[3]}"} for r in rows]


def board(conn, day: str, after: int = 0) -> dict:
    """The display's data: the latest call, the current call at each counter, the last few
    numbers called, and the calls newer than `after` (to announce, oldest first)."""
    calls = _calls(conn, day)
    at_counter = {}
    for row in conn.execute(
            "SELECT t.number, t.context, t.counter, c.name FROM tickets t "
            "LEFT JOIN counters c ON c.id = t.counter WHERE t.status = 'called' AND t.day = ? "
            "ORDER BY t.counter, t.called_at", (day,)):
        # one number a counter: staff who call the next one before closing the last leave it
        # 'called', and two numbers at one counter would send a visitor to the wrong one
        at_counter[row[2]] = row
    current = list(at_counter.values())
    recent, seen = [], set()
    for call in calls[1:]:
        if call["number"] not in seen and call["number"] != calls[0]["number"]:
            seen.add(call["number"])
            recent.append(call)
    fresh = [c for c in calls if c["id"] > after][:RECENT_SHOWN]
    return {
        "latest": calls[0] if calls else None,
        "last_id": calls[0]["id"] if calls else 0,
        "current": [{"number": _number(r[1], r[0]), "counter": r[2], "counter_name": r[3] or f"Quầy {r[2]}"}
                    for r in current],
        "recent": recent[:RECENT_SHOWN],
        "announce": list(reversed(fresh)),
    }


def call_of(conn, call_id: int) -> dict | None:
    """One call event by id (for its audio), or None when it is not a call."""
    row = conn.execute(
        "SELECT t.number, t.context, h.counter FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id "
        "WHERE h.id = ? AND h.status = 'called'", (call_id,)).fetchone()
    return {"number": _number(row[1], row[0]), "counter": row[2]} if row else None


# --- the sound ------------------------------------------------------------------------------

def call_text(number: str, counter: int) -> str:
    """The kiosk's own call line, the number said digit by digit."""
    from kiosk.core.screens.views import spell_ticket
    return CALL_TEXT.format(number=spell_ticket(number), counter=counter)


def chime_frames(rate: int, width: int = 2) -> bytes:
    """A soft two-note "ding-dong" (E5 then C5) with a decaying envelope, as 16-bit mono PCM.

    A few lines of arithmetic: no sound file to ship, and it matches the speech's sample rate,
    so both go in one WAV."""
    assert width == 2
    out = array.array("h")
    for freq, seconds in ((659.25, 0.45), (523.25, 0.7)):
        n = int(rate * seconds)
        for i in range(n):
            t = i / rate
            env = math.exp(-4.0 * t) * min(1.0, i / (0.01 * rate))
            out.append(int(9000 * env * math.sin(2 * math.pi * freq * t)))
    out.extend([0] * int(rate * 0.15))
    return out.tobytes()


class Announcer:
    """Renders "chime + spoken call" WAVs once each, into the TTS cache folder."""

    def __init__(self, cache_dir: Path):
        self.cache_dir = Path(cache_dir)
        self.lock = threading.Lock()
        self.speaker = None

    def _speaker(self):
        from kiosk.speech.tts import DEFAULT_VOICE, Speaker
        if self.speaker is None:
            self.speaker = Speaker(self.cache_dir, voice=os.environ.get("KIOSK_VOICE") or DEFAULT_VOICE)
        return self.speaker

    def wav(self, number: str, counter: int) -> Path:
        """Path of the call's WAV; raises kiosk.speech.tts.TTSError when speech cannot be made."""
        text = call_text(number, counter)
        out = self.cache_dir / f"call-{hashlib.sha256(text.encode()).hexdigest()[:20]}.wav"
        with self.lock:  # two displays asking at once render it once
            if out.exists():
                return out
            speech = self._speaker().render(text, "slow")
            with wave.open(str(speech), "rb") as w:
                params, frames = w.getparams(), w.readframes(w.getnframes())
            if params.nchannels != 1 or params.sampwidth != 2:
                return speech  # not what the chime is made for: the call alone
            tmp = out.with_suffix(".tmp")
            with wave.open(str(tmp), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(params.framerate)
                w.writeframes(chime_frames(params.framerate) + frames)
            tmp.replace(out)
            return out
