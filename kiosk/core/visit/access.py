"""What the accessibility modes do, as flow actions (what they show: kiosk.core.screens.modes).

`AccessActions` is mixed into the flow (kiosk.core.visit.flow.Flow) and handles keys, the
two-touch rule of simple mode, the mode switches, reading speed, volume and the "Cách dùng"
settings screen. It uses only the flow's public methods (`go`, `next`, `keep_session`,
`spoken`, `written`) and the flow's vocabulary (kiosk.core.state); a blind visitor's first key
on the welcome screen goes to kiosk.core.visit.audio_first (which turns Nghe đọc on with
`set_mode`).
"""

from __future__ import annotations

import os
from dataclasses import replace

from kiosk.core import state as f
from kiosk.core.screens import keys as K
from kiosk.core.screens.modes import ARMED_SUFFIX, KEYS_HELP, SIMPLE_HELP, control_said
from kiosk.core.screens.views import view_for
from kiosk.core.visit.audio_first import welcome_key

VOLUME_MIN, VOLUME_MAX = 1, 10
# answering the idle warning must never need two touches; a digit of the drawn phone keypad
# acts at once, like a key of the real keypad (typing a code touch by touch is the lesson)
NO_CONFIRM = {"still_here", "p_key"}


class AccessActions:
    """Keys, the two-touch rule, volume, settings and push-to-talk, as flow actions."""

    # keys --------------------------------------------------------------------------------

    def on_key(self, state, event):
        name = K.normalize(event.name)
        told = welcome_key(self, replace(state, last_input=event.now), name)
        if told is not None:  # the welcome screen, Nghe đọc off: say how the keypad works
            return told
        view = view_for(state, self.catalog)
        log = f.Log("key", {"key": name or str(event.name)})
        result = K.resolve(view, state, event.name) if name else None
        if result is None:
            return replace(state, last_input=event.now), [log]
        kind, a, b = result
        if kind == "act":
            new, effects = self.next(state, f.KeyTap(a, b, event.now))
            return new, [log] + effects
        state = replace(state, last_input=event.now)
        pre: list = []
        if state.warning:
            state, pre = self.keep_session(state)
        if kind == "focus":
            new = replace(state, focus=a, armed=None)
            effects = pre + [log, f.StopSpeech(), f.Cue("focus")]
            if new.modes.audio:
                c = K.controls(view_for(new, self.catalog))[a]
                key = K.KEY_WORDS.get(c.key, f"phím {c.key}") if c.key else ""
                effects.append(f.Say(f"{control_said(c)}. {key}. Bấm Enter để chọn.".replace(". .", "."),
                                     "focus"))
            return new, effects
        # a number that no control carries here
        return state, pre + [log, f.Say(f"Không có số {a} ở đây. Bấm phím sao để nghe lại.",
                                        "feedback")]

    # simple mode: first touch speaks, second touch on the same control confirms -----------

    def needs_confirm(self, state, event) -> bool:
        return (type(event) is f.Tap and state.modes.simple and event.action not in NO_CONFIRM
                and tuple(state.armed or ()) != (event.action, event.arg))

    def arm(self, state, event):
        view = view_for(state, self.catalog)
        c = next((c for c in K.controls(view) if (c.action, c.arg) == (event.action, event.arg)), None)
        said = control_said(c) if c else (event.arg or event.action)
        new = replace(state, armed=(event.action, event.arg), focus=None)
        return new, [f.StopSpeech(), f.Log("armed", {"action": event.action, "arg": event.arg}),
                     f.Cue("armed"), f.Say(f"{said}. {ARMED_SUFFIX}", "feedback")]

    # modes and reading speed ---------------------------------------------------------------

    def _on_large_text(self, state: f.State, _arg):
        return self.set_mode(state, "large_text", not state.modes.large_text)

    def _on_mode(self, state: f.State, arg):
        name = arg or ""
        if name not in f.MODE_NAMES:
            return state, [f.Log("ignored", {"action": "mode", "arg": name})]
        return self.set_mode(state, name, not getattr(state.modes, name))

    def set_mode(self, state: f.State, name: str, value: bool):
        # a mode chosen on the welcome screen already belongs to this visitor's session
        start = [] if state.active else [f.StartSession()]
        new = replace(state, active=True, modes=replace(state.modes, **{name: value}))
        effects: list = start + [f.Log("mode", {"mode": name, "on": value, "modes": new.modes.on()})]
        if name == "audio" and value:
            effects.append(f.Say(f"{KEYS_HELP} {self.written(new)}"))  # voice: runtime says it
        elif name == "simple" and value:
            effects.append(f.Say(SIMPLE_HELP, "feedback"))
        return new, effects

    def on_rate(self, state: f.State, rate):
        if rate not in f.RATES:
            return state, [f.Log("ignored", {"action": "rate", "arg": rate})]
        new = replace(state, modes=replace(state.modes, rate=rate))
        return new, [f.Log("mode", {"mode": "rate", "value": rate}), f.Say(self.spoken(new), "repeat")]

    def _on_slower(self, state: f.State, _arg):
        i = f.RATES.index(state.modes.rate)
        return self.on_rate(state, f.RATES[max(0, i - 1)])

    def _on_faster(self, state: f.State, _arg):
        i = f.RATES.index(state.modes.rate)
        return self.on_rate(state, f.RATES[min(len(f.RATES) - 1, i + 1)])

    # settings (Cách dùng) ---------------------------------------------------------------------

    def _on_settings(self, state, _arg):
        if state.screen == "settings":
            return self._on_settings_done(state, None)
        back_to = state.screen
        return self.go(state, screen="settings", settings_from=back_to)

    def _on_settings_done(self, state, _arg):
        if state.screen != "settings":
            return state, [f.Log("ignored", {"action": "settings_done"})]
        return self.go(state, screen=state.settings_from or ("home" if state.active else "welcome"),
                       settings_from=None)

    def _on_rate_next(self, state, _arg):
        rates = f.RATES
        return self.on_rate(state, rates[(rates.index(state.modes.rate) + 1) % len(rates)])

    # volume: per visitor, reset with the session ------------------------------------------

    def _on_louder(self, state, _arg):
        return self._volume(state, min(VOLUME_MAX, state.volume + 1))

    def _on_quieter(self, state, _arg):
        return self._volume(state, max(VOLUME_MIN, state.volume - 1))

    def _volume(self, state, level: int):
        new = replace(state, volume=level)
        return new, [f.Log("volume", {"level": level}), f.Cue("volume"),
                     f.Say(f"Âm lượng {level} trên 10.", "feedback")]


def config_from_env(base=None):
    """The flow's settings from the environment: KIOSK_IDLE_AFTER (s), KIOSK_ANSWER_WITHIN (s),
    KIOSK_HEADPHONES=1 (speak sensitive steps: only when the sound is private)."""
    cfg = base or f.Config()
    changes = {}
    for key, field_ in (("KIOSK_IDLE_AFTER", "idle_after"), ("KIOSK_ANSWER_WITHIN", "answer_within")):
        try:
            if os.environ.get(key):
                changes[field_] = max(20.0 if field_ == "answer_within" else 10.0,
                                      float(os.environ[key]))
        except ValueError:
            pass
    if os.environ.get("KIOSK_HEADPHONES"):
        changes["headphones"] = os.environ["KIOSK_HEADPHONES"].strip().lower() in ("1", "yes", "true", "on")
    return replace(cfg, **changes)
