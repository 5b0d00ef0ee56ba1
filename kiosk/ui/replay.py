"""Drives the real app from a replay script: real touches on real widgets, frame by frame."""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from kivy.clock import Clock

from kiosk.core.script import Action
from kiosk.ui.app import KioskApp, norm, visible_controls, visible_texts
from kiosk.ui.touch import tap_widget

log = logging.getLogger("kiosk.replay")

FRAMES_AFTER_ACTION = 3
BUSY_POLL, BUSY_LIMIT = 0.05, 60.0  # seconds
# {"wait_for": TEXT}: poll this often, give up after this long (a condition, not a guess of
# how slow the machine is: a fast machine goes on at once, a slow one still passes)
WAIT_FOR_POLL, WAIT_FOR_LIMIT = 0.1, 120.0


LOOKS_ONLY = ("spoken", "expect")  # lines that only check: the next one follows at once


class ReplayFailure(Exception):
    pass


class ReplayDriver:
    def __init__(self, app: KioskApp, actions: list[Action], screenshots: Path,
                 voice=None, keys=None, transcript: bool = False):
        self.app = app
        self.transcript = transcript  # print each line run and each line the kiosk said
        self.actions = actions
        self.screenshots = screenshots
        self.voice = voice   # callable(text) -> None, raises ReplayFailure when unavailable
        self.keys = keys     # callable(name) -> None
        self.index = 0
        self._waited = 0.0
        self._wait_for_deadline: float | None = None
        # A screen redrawn by something else (the queue's live place, a notice) is laid out over
        # the next frames: an action waits until then, or a tap could land on a half-placed button.
        self._redrawn = False
        app.after_render.append(self._note_render)
        self._said: list[str] = []   # what the kiosk said since the previous line ({"spoken"})
        app.runtime.on_say.append(self._heard_kiosk)

    def _note_render(self, _view) -> None:
        self._redrawn = True

    def _heard_kiosk(self, text: str, why: str, rate: str) -> None:
        # both forms: the written one (captions: "VNeID") and the spoken one ("Vê nê ai đi")
        caption = self.app.runtime.last_caption or text
        said = self.app.runtime.last_spoken or text
        self._said.append(caption if caption == said else f"{caption} || {said}")
        if self.transcript:
            self._print(f"  said: {self._said[-1]}")

    @staticmethod
    def _print(text: str) -> None:
        print(text, file=sys.__stdout__, flush=True)

    def start(self) -> None:
        Clock.schedule_once(lambda *_: self._frames(FRAMES_AFTER_ACTION, self._next), 0.2)

    def _frames(self, n: int, then) -> None:
        if n <= 0:
            then()
        else:
            Clock.schedule_once(lambda *_: self._frames(n - 1, then), 0)

    def _next(self) -> None:
        if self._redrawn:
            self._redrawn = False
            self._frames(FRAMES_AFTER_ACTION, self._next)
            return
        if any(check() for check in getattr(self.app, "busy", ())) and self._waited < BUSY_LIMIT:
            # voice input still starting, listening or thinking: its result comes first
            self._waited += BUSY_POLL
            Clock.schedule_once(lambda *_: self._next(), BUSY_POLL)
            return
        self._waited = 0.0
        if self.index >= len(self.actions):
            self._finish(0)
            return
        action = self.actions[self.index]
        self.index += 1
        repeating = self._repeating(action)
        if action.kind != "spoken" and not repeating:
            self._said = []  # {"spoken"} looks at what was said since the previous line
        if self.transcript and not repeating:
            self._print(f"replay: line {action.line}: {json.dumps({action.kind: action.value}, ensure_ascii=False)}")
        try:
            delay = getattr(self, f"_do_{action.kind}")(action.value)
        except ReplayFailure as e:
            print(f"replay: line {action.line}: {e}", file=sys.__stderr__)
            self._finish(1)
            return
        except Exception as e:  # a bug, not a script problem: still say which line
            log.exception("replay crashed")
            print(f"replay: line {action.line}: internal error: {e}", file=sys.__stderr__)
            self._finish(1)
            return
        if delay:
            Clock.schedule_once(lambda *_: self._frames(FRAMES_AFTER_ACTION, self._next), delay)
        elif action.kind in LOOKS_ONLY:
            self._next()  # nothing changed on screen: no frames to wait for
        else:
            self._frames(FRAMES_AFTER_ACTION, self._next)

    def _finish(self, code: int) -> None:
        self.app.exit_code = code
        # Let a pending screenshot be written before the window closes.
        Clock.schedule_once(lambda *_: self.app.stop(), 0.3)

    # --- actions -------------------------------------------------------------------------

    def _do_tap(self, text: str):
        want = norm(text)
        controls = visible_controls(self.app.root)
        found = [c for c in controls if want in norm(c.tap_label)]
        exact = [c for c in found if norm(c.tap_label) == want]
        if len(found) > 1 and len(exact) == 1:
            found = exact
        if not found:
            labels = ", ".join(repr(c.tap_label) for c in controls)
            raise ReplayFailure(f"no visible button with '{text}' (buttons: {labels})")
        if len(found) > 1:
            labels = ", ".join(repr(c.tap_label) for c in found)
            raise ReplayFailure(f"several buttons match '{text}': {labels}")
        widget = found[0]
        tap_widget(widget)
        return 0

    def _repeating(self, action) -> bool:
        """A wait_for line polled again is still the same line: keep what was said meanwhile."""
        return self._wait_for_deadline is not None and action.kind in ("wait_for", "wait_for_voice")

    def _do_spoken(self, text: str):
        """TEXT (NFC, case-insensitive) must be in what the kiosk said since the previous line."""
        if any(norm(text) in norm(line) for line in self._said):
            return 0
        said = " | ".join(self._said) or "nothing"
        raise ReplayFailure(f"expected the kiosk to say '{text}'; it said: {said}")

    def _do_expect(self, text: str):
        texts = visible_texts(self.app.root)
        if not any(norm(text) in norm(t) for t in texts):
            shown = " | ".join(t.replace("\n", " ")[:60] for t in texts)
            raise ReplayFailure(f"expected '{text}' on screen; visible: {shown}")
        return 0

    def _do_wait_for(self, text: str):
        """Wait in real time until TEXT is visible (e.g. a staff call from the console)."""
        if self._wait_for_deadline is None:
            self._wait_for_deadline = time.monotonic() + WAIT_FOR_LIMIT
        try:
            self._do_expect(text)
        except ReplayFailure as e:
            if time.monotonic() >= self._wait_for_deadline:
                self._wait_for_deadline = None
                raise ReplayFailure(f"waited {WAIT_FOR_LIMIT:.0f} s: {e}") from None
            self.index -= 1  # the same line again after the poll
            return WAIT_FOR_POLL
        self._wait_for_deadline = None
        return 0

    def _do_wait_for_voice(self, state: str):
        """Wait in real time until the kiosk is playing a spoken line (the voice layer's own
        state, not a guess of how long rendering takes on this machine)."""
        audio = (getattr(self.app, "speech", None) or (None,))[0]
        if audio is None:
            raise ReplayFailure("no voice output in this kiosk (speech is not attached)")
        if self._wait_for_deadline is None:
            self._wait_for_deadline = time.monotonic() + WAIT_FOR_LIMIT
        if audio.speaking:
            self._wait_for_deadline = None
            return 0
        if time.monotonic() >= self._wait_for_deadline:
            self._wait_for_deadline = None
            raise ReplayFailure(f"waited {WAIT_FOR_LIMIT:.0f} s: the kiosk never started speaking")
        self.index -= 1  # the same line again after the poll
        return WAIT_FOR_POLL

    def _do_screenshot(self, name: str):
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
        self.app.screenshot_after_draw(self.screenshots / f"{safe}.png")
        return 0.1

    def _do_wait(self, seconds: float):
        return float(seconds)

    def _do_idle(self, seconds: float):
        self.app.runtime.advance(float(seconds))
        return 0

    def _do_say(self, text: str):
        if self.voice is None:
            raise ReplayFailure("voice input is not available in this build (no intent parser)")
        self.voice(text)
        return 0

    def _do_key(self, name: str):
        if self.keys is None:
            raise ReplayFailure("keypad input is not available in this build")
        try:
            self.keys(name)
        except ValueError as e:
            raise ReplayFailure(str(e)) from e
        return 0
