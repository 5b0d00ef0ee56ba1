"""The one interface between the flow and the activities (practice copies, scam drills, quiz).

The flow (kiosk.core.visit.flow) owns the visitor's journey; an activity owns a few screens of
its own (kiosk.core.state.PRACTICE_SCREENS) and the run in `State.activity`. They meet only
here: the flow calls an `Activity`, and hands it itself as the `Host`. The activity never
imports the flow, so the flow can load it on first use (not before the first frame).
"""

from __future__ import annotations

from typing import Callable, Protocol

from kiosk.core.state import State

#: what a handler returns, like Flow.next: the new state and the effects to carry out
Result = tuple[State, list]
Handler = Callable[[State, object], Result]


class Host(Protocol):
    """What the flow lends an activity."""

    catalog: object

    def go(self, state: State, **changes) -> Result:
        """Move to another screen (logged; spoken on arrival in audio mode)."""

    def note_error(self, state: State, what: str) -> State:
        """Remember a problem; the recent ones travel with a staff ticket."""

    def lesson_of(self, state: State):
        """The lesson on screen, or None."""

    def spoken(self, state: State) -> str:
        """The screen's spoken line for `state`."""


class Activity(Protocol):
    """Practice, drills and quiz, as the flow sees them."""

    def handler(self, state: State, action: str) -> Handler | None:
        """The handler of `action` on this screen, or None: the flow handles it."""

    def after_steps(self, state: State) -> Result | None:
        """The lesson's last step is done: a quiz first, or None (the finish screen)."""

    def ticket_context(self, state: State) -> dict:
        """What a staff ticket should know about the run in progress."""
