"""Carries out the flow's effects: the glue between the pure flow, the log and the outside world.

Still no Kivy here. The Kivy app (or a test) subscribes to changes and to speech, and feeds
taps, intents and clock ticks in. Log writes are handed to kiosk.core.data.writer (in order; in the
kiosk a background thread owns SQLite, so a locked database never slows a tap). If the log cannot
be written the kiosk keeps working: writes wait and are retried, and a notice tells the staff. A
queue number is shown only once it is committed; otherwise the visitor is sent to the counter.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent import futures
from dataclasses import replace
from typing import Callable

from kiosk.core.visit import flow as f
from kiosk.core.content.catalog import Catalog
from kiosk.core.content.lexicon import spoken_form
from kiosk.core.data.timeutil import utcnow as _utc
from kiosk.core.screens.views import View, view_for
from kiosk.core.state import HeadphonesChanged

log = logging.getLogger("kiosk.runtime")

STORE_NOTICE = "Máy tạm thời không ghi được nhật ký. Bạn vẫn dùng bình thường; nhân viên đã được báo."
CALL_POLL_SECONDS = 1.0   # how often the kiosk looks for a staff call of its visitor's ticket
# How long "Gọi nhân viên" waits for the queue number to be committed before sending the
# visitor to the counter; meanwhile the screen says "Đang lấy số thứ tự… Vui lòng chờ." and stays
# responsive. A healthy log answers within TICKET_QUICK: the number then shows at once.
TICKET_WAIT = float(os.environ.get("KIOSK_TICKET_WAIT", "8") or 8)
TICKET_QUICK = 0.3


class Runtime:
    def __init__(self, catalog: Catalog, store, config: f.Config | None = None,
                 source: str = "kiosk", clock: Callable[[], float] = time.monotonic):
        self.catalog = catalog
        self.flow = f.Flow(catalog, config)
        self.writer = _as_writer(store)
        self.source = source
        self.clock = clock
        self.offset = 0.0
        self.state = f.State(last_input=self.now())
        self.session_id: str | None = None
        self.modes_used: set[str] = set()
        self.notices: dict[str, str] = {}
        self.on_change: list[Callable[[f.State, View], None]] = []
        self.on_say: list[Callable[[str, str, str], None]] = []   # (text, why, rate)
        self.on_stop_speech: list[Callable[[], None]] = []
        self.on_cue: list[Callable[[str, bool], None]] = []     # (kind, visual: captions mode)
        self.last_caption = ""  # the last spoken line as written text (Phụ đề)
        self.on_listen: list[Callable[[], None]] = []           # push-to-talk (speech layer)
        #: a queue number now on disk: {"number", "lesson", "step", "steps", ...} (receipt printer)
        self.on_ticket: list[Callable[[dict], None]] = []
        self.on_priority: list[Callable[[str | None], None]] = []  # declared group (reprint)
        self.on_print: list[Callable[[str], None]] = []   # "In ra giấy": a lesson's checklist
        self._ticket_context: dict = {}
        self.last_spoken = ""
        self.last_line_id: str | None = None
        self._call_polled = 0.0
        self._call_seen = None
        self._call_ask = None   # a pending "has staff called this ticket?" read (a Future)
        self._ticket_ask = None  # (Future, session id, deadline): a queue number being committed
        self._batch: list[dict] = []
        self._depth = 0

    def attach(self, catalog: Catalog, store) -> None:
        """Lessons and log arrive after the first frame is drawn (fast cold start)."""
        self.catalog = catalog
        self.flow = f.Flow(catalog, self.flow.config)
        self.writer = _as_writer(store)
        if self.writer is None:
            self.notices["store"] = STORE_NOTICE
        else:
            self._sync_notice()

    # --- inputs ----------------------------------------------------------------------------

    def now(self) -> float:
        return self.clock() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the kiosk's clock as if nobody touched it (replay's {"idle": N})."""
        step = min(seconds, 1.0)
        target = self.offset + seconds
        while self.offset < target:
            self.offset = min(target, self.offset + step)
            self.tick()

    def tap(self, action: str, arg=None) -> None:
        self.dispatch(f.Tap(action, arg, self.now()))

    def intent(self, name: str, args: dict | None = None, heard: str = "") -> None:
        self.dispatch(f.Intent(name, args or {}, self.now(), heard))

    def heard(self, text: str) -> None:
        """Text from the recognizer (or replay's {"say": TEXT}): kiosk.core.visit.voice decides."""
        self.dispatch(f.Heard(text, self.now()))

    def push_to_talk(self) -> None:
        """The microphone button or the keypad's talk key."""
        self.tap("push_to_talk")
    def key(self, name: str) -> None:
        """A key on the keypad/keyboard (kiosk.core.screens.keys names: 'enter', '5', 'plus'...)."""
        self.dispatch(f.Key(name, self.now()))

    @property
    def volume(self) -> float:
        """The visitor's volume, 0.1 .. 1.0 (reset for each visitor)."""
        return self.state.volume / 10

    def headphones(self, plugged: bool, first: bool = False) -> None:
        """The sound system reports headphones in or out (kiosk.speech.headphones.Watch)."""
        self.dispatch(HeadphonesChanged(plugged, self.now(), first))

    def problem(self, what: str) -> None:
        self.dispatch(f.Problem(what, self.now()))

    def tick(self) -> None:
        self.dispatch(f.Tick(self.now()))
        if self.writer is not None:
            self.writer.pump()
            self._settle_ticket()
            if self._sync_notice():  # the notice appeared or went: redraw the same screen
                view = self.view()
                for cb in list(self.on_change):
                    cb(self.state, view)
        self._check_call()

    def _check_call(self) -> None:
        """Has a staff member called this visitor's ticket? (The console shares the database.)

        Asked through the writer (it owns the connection), answered on a later tick: a busy
        database never holds up the screen."""
        if self.writer is None or not self.session_id or self.state.ticket is None:
            return
        if self._call_ask is None:
            t = time.monotonic()
            if t - self._call_polled < CALL_POLL_SECONDS:
                return
            self._call_polled = t
            self._call_ask = self.writer.ask("ticket_call", session_id=self.session_id)
        if not self._call_ask.done():
            return
        ask, self._call_ask = self._call_ask, None
        try:
            call = ask.result()
        except Exception as e:  # a busy or broken database must never stop the kiosk
            log.warning("cannot check for a staff call: %s", e)
            return
        if call is not None and call != self._call_seen:
            self._call_seen = call
            self.dispatch(f.TicketCalled(call.number, call.counter, self.now()))

    def queue_seen(self, place, calls: tuple, new: tuple) -> None:
        """The queue as last read (kiosk.ui.queue_watch): place, wait, the board of calls."""
        self.dispatch(f.QueueSeen(place, tuple(calls), tuple(new), self.now()))

    def set_printer(self, available: bool) -> None:
        """A receipt printer is set up: the finish screen offers "In ra giấy"."""
        self.state = replace(self.state, kiosk=replace(self.state.kiosk, printer=available))
        view = self.view()
        for cb in list(self.on_change):
            cb(self.state, view)

    def dispatch(self, event) -> None:
        before = self.state
        self._depth += 1
        try:
            self.state, effects = self.flow.next(self.state, event)
            for effect in effects:
                self._do(effect)
        finally:
            self._depth -= 1
        if self._depth == 0 and self._batch:
            # One commit per visitor action, handed to the writer before the visitor sees its result.
            batch, self._batch = self._batch, []
            self._submit("log_many", records=batch)
        if self.state != before:
            view = self.view()
            for cb in list(self.on_change):
                cb(self.state, view)

    def view(self) -> View:
        return view_for(self.state, self.catalog)

    # --- effects ---------------------------------------------------------------------------

    def _do(self, effect) -> None:
        if isinstance(effect, f.StartSession):
            self.modes_used = set()
            self._start_session()
        elif isinstance(effect, f.EndSession):
            self.end_visit(effect.reason)
        elif isinstance(effect, f.Log):
            self._log(effect)
        elif isinstance(effect, f.Say):
            self.say(effect.text, effect.why, effect.line_id, effect.written)
        elif isinstance(effect, f.StopSpeech):
            for cb in list(self.on_stop_speech):
                cb()
        elif isinstance(effect, f.CreateTicket):
            self._create_ticket(effect.context)
        elif isinstance(effect, f.SetGroup):
            self._set_group(effect.group)
            for cb in list(self.on_priority):
                cb(effect.group)
        elif isinstance(effect, f.PrintChecklist):
            for cb in list(self.on_print):
                cb(effect.lesson)
        elif isinstance(effect, f.Cue):
            for cb in list(self.on_cue):
                cb(effect.kind, self.state.modes.captions)
        elif isinstance(effect, f.Listen):
            self._listen()

    def _listen(self) -> None:
        if self.on_listen:
            for cb in list(self.on_listen):
                cb()
            return
        from kiosk.core.visit.voice import VOICE_OFF  # voice loads on first use (first frame)
        log.info("push-to-talk pressed but no speech layer is running")
        self.notices["voice_off"] = VOICE_OFF
        self.say(VOICE_OFF, "feedback", "notice.voice-off")

    def say(self, text: str, why: str = "feedback", line_id: str | None = None,
            written: str | None = None) -> None:
        self.last_line_id = line_id  # the narration catalogue's id, when the flow knew it
        # the caption shows the written words (VNeID, A001), the voice says them
        self.last_caption = written or (self.flow.written(self.state)
                                        if text == self.flow.spoken(self.state) else text)
        # what the voice will say (a record; kiosk.speech.tts.for_engine applies the lexicon)
        self.last_spoken = spoken_form(text)
        for cb in list(self.on_say):
            cb(text, why, self.state.modes.rate)

    def _start_session(self) -> None:
        if self.writer is None:
            self.session_id = None
            return
        import secrets  # not before the first frame

        sid = secrets.token_hex(8)
        self.session_id = sid
        self._submit("start_session", source=self.source, session_id=sid, at=_utc())

    def end_visit(self, reason: str) -> None:
        sid, modes = self.session_id, sorted(self.modes_used)
        if sid and self.writer is not None:
            self._submit("end_session", session_id=sid, reason=reason, modes=modes, at=_utc())
        self.session_id = None
        self.modes_used = set()

    def _log(self, effect: f.Log) -> None:
        s = self.state
        data = dict(effect.data)
        if effect.kind == "mode" and data.get("on"):
            self.modes_used.add(data["mode"])
        if self.writer is None:
            return
        lesson = data.get("lesson", s.lesson)
        lesson_obj = self.catalog.get(lesson) if lesson else None
        self._batch.append(dict(
            session_id=self.session_id, kind=effect.kind, data=data, screen=s.screen,
            lesson=lesson, step=data.get("step"), topic=lesson_obj.topic if lesson_obj else s.topic,
            steps=len(lesson_obj.steps) if lesson_obj else None, at=_utc()))
        if effect.kind == "mode" and data.get("on") and self.session_id:
            self._submit("set_session_modes", session_id=self.session_id, modes=sorted(self.modes_used))

    def _create_ticket(self, context: dict) -> None:
        """A number only once it is on disk; "go to the counter" if the log is down or silent."""
        if self.writer is None or not self.writer.healthy:
            reason = self.writer.error if self.writer is not None else "no log"
            self._ticket_result(self.session_id, None, f"the log cannot be written ({reason})")
            return
        self._ticket_context = dict(context)
        ask = self.writer.ask("create_ticket", session_id=self.session_id, context=context)
        self._ticket_ask = (ask, self.session_id, time.monotonic() + TICKET_WAIT)
        if self.writer.threaded:
            futures.wait([ask], timeout=TICKET_QUICK)
        self._settle_ticket()

    @property
    def ticket_pending(self) -> bool:
        """A queue number is being committed (replay waits for it, as for voice input)."""
        return self._ticket_ask is not None

    def _settle_ticket(self) -> None:
        if self._ticket_ask is None:
            return
        ask, sid, deadline = self._ticket_ask
        if not ask.done():
            threaded = self.writer is not None and self.writer.threaded
            if threaded and time.monotonic() < deadline:
                return  # still "Đang lấy số thứ tự…"; the next tick looks again
            if not ask.cancel():
                return  # being committed right now: its outcome decides, at the next tick
        self._ticket_ask = None
        number, reason = None, "no answer from the log in time"
        if not ask.cancelled():
            try:
                number = ask.result()
            except Exception as e:
                reason = str(e)
        self._ticket_result(sid, number, reason)

    def _ticket_result(self, sid, number: str | None, reason: str) -> None:
        s = self.state
        if sid != self.session_id or s.screen != "ticket" or s.ticket is not None or s.ticket_failed:
            if number:
                log.warning("queue number %s was recorded after its visitor left the ticket screen", number)
            return
        self._sync_notice()
        if number is None:
            log.error("no queue number: %s; the visitor is sent to the counter", reason)
            self.dispatch(f.TicketUnavailable(self.now()))
        else:
            self.dispatch(f.TicketCreated(number, self.now(), self._place(sid)))
            for cb in list(self.on_ticket):
                cb({**self._ticket_context, "number": number, "session_id": sid})

    def _place(self, sid):
        """The new number's place, so that it is said with the number (§5.1.3.16): asked through
        the writer, waited for as briefly as the number itself; None if the log is slow (the
        screen then shows it at the queue's next reading)."""
        try:
            ask = self.writer.ask("ticket_place", session_id=sid)
            if self.writer.threaded:
                futures.wait([ask], timeout=TICKET_QUICK)
            if ask.done():
                return ask.result()
            ask.cancel()
        except Exception as e:  # a read that fails never costs the visitor the number
            log.warning("cannot read the new ticket's place: %s", e)
        return None

    def _set_group(self, group: str | None) -> None:
        if self.session_id and self.writer is not None:
            self._submit("set_priority", session_id=self.session_id, group=group)

    # --- the log: every write goes through the writer, in order ------------------------------

    @property
    def store(self):
        return self.writer.store if self.writer is not None else None

    @property
    def pending(self) -> int:
        """Writes waiting for the log (in memory, and in the spill file while it is down)."""
        return self.writer.backlog if self.writer is not None else 0

    def _submit(self, name: str, **kw) -> None:
        if self.writer is None:
            return
        self.writer.submit(name, **kw)
        self._sync_notice()

    def _sync_notice(self) -> bool:
        """Show (or clear) the staff notice as the writer's health says; True if it changed."""
        if self.writer is None:
            return False
        if self.writer.failing:
            if "store" in self.notices:
                return False
            self.notices["store"] = STORE_NOTICE
            return True
        return self.notices.pop("store", None) is not None

    def close_log(self, wait: float = 5.0):
        """At shutdown: write what can be written, spill the rest; returns the writer's CloseReport."""
        if self.writer is None:
            return None
        writer, self.writer = self.writer, None
        return writer.close(wait)


def _as_writer(store):
    """None (no log), a Writer (the kiosk's, threaded), or a plain Store (tests, tools: an inline
    writer, so the log can be read right after a tap; no spill file)."""
    if store is None:
        return None
    from kiosk.core.data.writer import Writer  # SQLite and sqlite-utils: after the first frame
    if isinstance(store, Writer):
        return store
    return Writer(store=store, spill=None)
