"""Carries out the flow's effects: the glue between the pure flow, the log and the outside world.

Still no Kivy here. The Kivy app (or a test) subscribes to changes and to speech, and feeds
taps, intents and clock ticks in. If the log cannot be written (disk full, database locked) the
kiosk keeps working: the writes wait in memory and are retried, and a notice tells the staff.
"""

from __future__ import annotations

import logging
import time
from typing import Callable

from kiosk.core import flow as f
from kiosk.core.lessons import Catalog
from kiosk.core.timeutil import utcnow as _utc
from kiosk.core.views import View, speakable, view_for

log = logging.getLogger("kiosk.runtime")

STORE_NOTICE = "Máy tạm thời không ghi được nhật ký. Bạn vẫn dùng bình thường; nhân viên đã được báo."
MAX_PENDING = 10_000
CALL_POLL_SECONDS = 1.0   # how often the kiosk looks for a staff call of its visitor's ticket


class Runtime:
    def __init__(self, catalog: Catalog, store, config: f.Config | None = None,
                 source: str = "kiosk", clock: Callable[[], float] = time.monotonic):
        self.catalog = catalog
        self.flow = f.Flow(catalog, config)
        self.store = store
        self.source = source
        self.clock = clock
        self.offset = 0.0
        self.state = f.State(last_input=self.now())
        self.session_id: str | None = None
        self.modes_used: set[str] = set()
        self.pending: list[Callable[[], object]] = []
        self.notices: dict[str, str] = {}
        self._local_tickets = 0
        self.on_change: list[Callable[[f.State, View], None]] = []
        self.on_say: list[Callable[[str, str, str], None]] = []   # (text, why, rate)
        self.on_stop_speech: list[Callable[[], None]] = []
        self.on_cue: list[Callable[[str, bool], None]] = []     # (kind, visual: captions mode)
        self.last_caption = ""  # the last spoken line as written text (Phụ đề)
        self.on_listen: list[Callable[[], None]] = []           # push-to-talk (speech layer)
        self.last_spoken = ""
        self._call_polled = 0.0
        self._call_seen = None
        self._batch: list[dict] = []
        self._depth = 0

    def attach(self, catalog: Catalog, store) -> None:
        """Lessons and log arrive after the first frame is drawn (fast cold start)."""
        self.catalog = catalog
        self.flow = f.Flow(catalog, self.flow.config)
        self.store = store
        if store is None:
            self.notices["store"] = STORE_NOTICE
        elif self.pending:
            self._flush()

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
        """Text from the recognizer (or replay's {"say": TEXT}): kiosk.core.voice decides."""
        self.dispatch(f.Heard(text, self.now()))

    def push_to_talk(self) -> None:
        """The microphone button or the keypad's talk key."""
        self.tap("push_to_talk")
    def key(self, name: str) -> None:
        """A key on the keypad/keyboard (kiosk.core.keys names: 'enter', '5', 'plus'...)."""
        self.dispatch(f.Key(name, self.now()))

    @property
    def volume(self) -> float:
        """The visitor's volume, 0.1 .. 1.0 (reset for each visitor)."""
        return self.state.volume / 10

    def problem(self, what: str) -> None:
        self.dispatch(f.Problem(what, self.now()))

    def tick(self) -> None:
        self.dispatch(f.Tick(self.now()))
        if self.pending:
            self._flush()
        self._check_call()

    def _check_call(self) -> None:
        """Has a staff member called this visitor's ticket? (The console shares the database.)"""
        if self.store is None or not self.session_id or self.state.ticket is None or self.pending:
            return
        t = time.monotonic()
        if t - self._call_polled < CALL_POLL_SECONDS:
            return
        self._call_polled = t
        from kiosk.core.queue import ticket_call
        try:
            call = ticket_call(self.store, self.session_id)
        except Exception as e:  # a busy or broken database must never stop the kiosk
            log.warning("cannot check for a staff call: %s", e)
            return
        if call is not None and call != self._call_seen:
            self._call_seen = call
            self.dispatch(f.TicketCalled(call.number, call.counter, self.now()))

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
            # One commit per visitor action, before the visitor sees its result.
            batch, self._batch = self._batch, []
            self._store(lambda: self.store.log_many(batch))
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
            self._end_session(effect.reason)
        elif isinstance(effect, f.Log):
            self._log(effect)
        elif isinstance(effect, f.Say):
            self.say(effect.text, effect.why)
        elif isinstance(effect, f.StopSpeech):
            for cb in list(self.on_stop_speech):
                cb()
        elif isinstance(effect, f.CreateTicket):
            self._create_ticket(effect.context)
        elif isinstance(effect, f.SetGroup):
            self._set_group(effect.group)
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
        from kiosk.core.voice import VOICE_OFF
        log.info("push-to-talk pressed but no speech layer is running")
        self.notices["voice_off"] = VOICE_OFF
        self.say(VOICE_OFF, "feedback")

    def say(self, text: str, why: str = "feedback") -> None:
        # the caption shows the written words (VNeID, A001), the voice says them
        self.last_caption = (self.flow.written(self.state) if text == self.flow.spoken(self.state)
                             else text)
        text = speakable(text)
        self.last_spoken = text
        for cb in list(self.on_say):
            cb(text, why, self.state.modes.rate)

    def _start_session(self) -> None:
        if self.store is None:
            self.session_id = None
            return
        import secrets  # not before the first frame

        sid = secrets.token_hex(8)
        self.session_id = sid
        self._store(lambda: self.store.start_session(self.source, session_id=sid, at=_utc()))

    def _end_session(self, reason: str) -> None:
        sid, modes = self.session_id, sorted(self.modes_used)
        if sid and self.store is not None:
            at = _utc()
            self._store(lambda: self.store.end_session(sid, reason, modes, at=at))
        self.session_id = None
        self.modes_used = set()

    def _log(self, effect: f.Log) -> None:
        s = self.state
        data = dict(effect.data)
        if effect.kind == "mode" and data.get("on"):
            self.modes_used.add(data["mode"])
        if self.store is None:
            return
        lesson = data.get("lesson", s.lesson)
        lesson_obj = self.catalog.get(lesson) if lesson else None
        self._batch.append(dict(
            session_id=self.session_id, kind=effect.kind, data=data, screen=s.screen,
            lesson=lesson, step=data.get("step"), topic=lesson_obj.topic if lesson_obj else s.topic,
            steps=len(lesson_obj.steps) if lesson_obj else None, at=_utc()))
        if effect.kind == "mode" and data.get("on") and self.session_id:
            sid, modes = self.session_id, sorted(self.modes_used)
            self._store(lambda: self.store.set_session_modes(sid, modes))

    def _create_ticket(self, context: dict) -> None:
        sid = self.session_id
        number = None
        if self.store is not None and not self.pending:
            try:
                number = self.store.create_ticket(sid, context)
                self._ok()
            except _store_error() as e:
                self._failed(e)
        if number is None:
            # The log is down: still give the visitor a number; staff see the notice.
            self._local_tickets += 1
            number = f"K{self._local_tickets:03d}"
            if self.store is not None:
                ctx = dict(context, local_number=number)
                self._queue(lambda: self.store.create_ticket(sid, ctx))
        self.dispatch(f.TicketCreated(number, self.now()))

    def _set_group(self, group: str | None) -> None:
        sid = self.session_id
        if sid and self.store is not None:
            from kiosk.core.queue import set_priority
            self._store(lambda: set_priority(self.store, sid, group))

    # --- resilience of the log ---------------------------------------------------------------

    def _store(self, write: Callable[[], object]) -> None:
        if self.pending:
            self._queue(write)
            self._flush()
            return
        try:
            write()
            self._ok()
        except _store_error() as e:
            self._failed(e)
            self._queue(write)

    def _queue(self, write) -> None:
        if len(self.pending) < MAX_PENDING:
            self.pending.append(write)
        else:
            log.error("log backlog full (%d writes); dropping the oldest", MAX_PENDING)
            self.pending.pop(0)
            self.pending.append(write)

    def _flush(self) -> None:
        while self.pending:
            try:
                self.pending[0]()
            except _store_error() as e:
                self._failed(e)
                return
            self.pending.pop(0)
        self._ok()

    def _failed(self, error: Exception) -> None:
        if "store" not in self.notices:
            log.error("%s; keeping writes in memory and retrying", error)
        self.notices["store"] = STORE_NOTICE

    def _ok(self) -> None:
        if self.notices.pop("store", None):
            log.warning("log database writable again; backlog written")


def _store_error():
    from kiosk.core.store import StoreError  # imported late: SQLite is not needed for the first frame
    return StoreError
