"""The flow's side of the queue as the kiosk reads it (plain Python): kiosk.core.visit.flow delegates
its QueueSeen event here.

- a waiting visitor's place and wait follow the queue live (the ticket screen, the strip); in
  Nghe đọc a place that moves up is also said ("Trước bạn còn 1 người…"), since a visitor who
  cannot see the screen would not know otherwise;
- the welcome screen's board follows the numbers being called, and a new call is spoken there
  through the normal say path (so a recorded voice is used when there is one) with the call's
  cue (a chime; in captions mode the flashing frame and "(Chuông báo)").
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.screens.queue_views import call_said, place_line
from kiosk.core.state import Cue, Say, StopSpeech


def on_seen(flow, state, event):

    place = event.place
    if not (state.active and state.ticket and place is not None and place.number == state.ticket):
        place = None
    new = replace(state, place=place, kiosk=replace(state.kiosk, calls=tuple(event.calls)))
    effects: list = []
    before = state.place
    if (place is not None and before is not None and before.number == place.number
            and place.before < before.before and state.modes.audio and not state.warning):
        effects.append(Say(place_line(new), "feedback"))
    if event.new and not state.active and state.screen == "welcome" and not state.warning:
        said = " ".join(call_said(c.number, c.counter) for c in event.new)
        written = " ".join(call_said(c.number, c.counter, written=True) for c in event.new)
        effects = [StopSpeech(), Cue("call"), Say(said, "call", written=written)]
    return new, effects
