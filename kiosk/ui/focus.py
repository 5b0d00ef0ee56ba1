"""The keypad focus drawn on the screen: a thick double frame on the focused control, and the
control touched once in simple mode shown pressed (Kivy; which control has the focus is the
core's business: kiosk.core.screens.keys).

The controls are found among the drawn widgets by their `choice` (buttons, tiles, the bar) or
`focus_choice` (a practice copy's field: the frame goes around its label and box); a practice
copy's phone elements match their control by label, action and argument
(kiosk.core.screens.phone_keys.same_control: the control's `detail` is spoken only).
"""

from __future__ import annotations

from kivy.utils import escape_markup

from kiosk.core.screens.keys import controls
from kiosk.core.screens.modes import ARMED_SUFFIX
from kiosk.core.screens.phone_keys import same_control
from kiosk.core.screens.view import View
from kiosk.ui import a11y
from kiosk.ui.theme import Palette, Sizes
from kiosk.ui.widgets import visible_controls


def draw_focus(root, view: View, palette: Palette, sizes: Sizes) -> None:
    """Frame the focused control of `view` (and the armed one) among the widgets under `root`."""
    cs = controls(view)
    marks = {}
    if view.focus is not None and view.focus < len(cs):
        marks[view.focus] = False
    if view.armed is not None and view.armed < len(cs):
        marks[view.armed] = True
    for w in _focusable(root):
        for i, armed in marks.items():
            # the Nói button stands for no choice; a phone element's control has a detail
            choice = getattr(w, "choice", None) or getattr(w, "focus_choice", None)
            if choice is not None and (choice is cs[i] or choice == cs[i]
                                       or same_control(choice, cs[i])):
                a11y.ring(w, palette, max(6.0, sizes.gap * 0.3), armed=armed)
                if armed:
                    a11y.set_bg(w, palette.pressed)
                    a11y.show_pressed(w, True)
                    if hasattr(w, "_fg"):
                        (w.label if hasattr(w, "label") else w).color = palette.pressed_text
                    mark_armed(w, sizes)


def _focusable(root) -> list:
    return visible_controls(root) + [  # a practice copy's fields take the focus too
        w for w in root.walk(restrict=True) if getattr(w, "focus_choice", None)]


def focused_widget(root, view: View):
    """The widget under `root` that has the keypad focus, or None."""
    cs = controls(view)
    if view.focus is None or view.focus >= len(cs):
        return None
    target = cs[view.focus]
    for w in _focusable(root):
        choice = getattr(w, "choice", None) or getattr(w, "focus_choice", None)
        if choice is not None and (choice is target or choice == target
                                   or same_control(choice, target)):
            return w
    return None


def mark_armed(widget, sizes: Sizes) -> None:
    """Simple mode, first touch: the control says in words, on it, that a second touch chooses
    it (besides its pressed colour, frame and the spoken line), so the screen visibly changes."""
    label = widget.label if hasattr(widget, "label") else widget
    if not hasattr(label, "markup"):  # a practice copy's field: its frame and colour say it
        return
    label.markup = True
    label.text = f"{label.text}\n[size={int(sizes.small)}]{escape_markup(ARMED_SUFFIX)}[/size]"
