"""Screenshots of every new screen (`--screenshots`) and the callbacks after each render (the
replay driver, the bench): a mixin of kiosk.ui.app.KioskApp, which sets `runtime`, `screenshots`,
`shot_count`, `last_shot_key` and `after_render` (Kivy).
"""

from __future__ import annotations

from pathlib import Path

from kivy.clock import Clock

from kiosk.core.screens.view import View
from kiosk.core.state import PRACTICE_SCREENS
from kiosk.ui.snapshot import save_window_png


class Screenshots:
    """KioskApp's screenshots and after-render callbacks."""

    def rendered(self, view: View) -> None:
        """After each render: a screenshot of a new screen (--screenshots), then the callbacks."""
        state = self.runtime.state
        practice_screens = practice_screens_for(state)
        shot_key = practice_screens.shot_key if practice_screens else lambda _: None
        shot_suffix = practice_screens.shot_suffix if practice_screens else lambda _: ""
        key = (state.screen, state.lesson, state.step, state.ticket, state.warning, state.modes,
               view.focus, view.armed, shot_key(state))
        if self.screenshots and key != self.last_shot_key:
            self.shot_count += 1
            name = f"{self.shot_count:03d}-{state.screen}"
            if state.screen == "step":
                name += f"-{state.lesson}-{state.step + 1}"
            name += shot_suffix(state)
            if state.warning:
                name += "-warning"
            self.screenshot_after_draw(self.screenshots / f"{name}.png")
        self.last_shot_key = key
        for cb in list(self.after_render):
            cb(view)

    def screenshot_after_draw(self, path: Path) -> None:
        """Save the window once the current layout has been drawn (two frames later)."""
        path.parent.mkdir(parents=True, exist_ok=True)

        def shoot(*_):
            save_window_png(path)
        Clock.schedule_once(lambda *_: Clock.schedule_once(shoot, 0), 0)


def practice_screens_for(state):
    """The practice-copy drawing module, imported only once a practice screen is shown
    (keeps it out of the cold start)."""
    if state.screen not in PRACTICE_SCREENS:
        return None
    from kiosk.ui import practice_screens  # first frame: see the docstring
    return practice_screens
