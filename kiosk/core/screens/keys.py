"""The physical keypad / keyboard: key names, and what a key does on the current screen.

Plain Python. The Kivy layer only forwards the window's key events (its key codes are SDL's,
listed here), so the same map serves the real keypad, `kiosk replay`'s {"key": NAME} and tests.

    digits 1-9   choose the numbered choice (the number shown on the button)
    Enter        Tiếp / the focused control (focus starts on the screen's main action)
    Backspace    Quay lại
    * or R       Nghe lại
    0            Gọi nhân viên
    + / -        louder / quieter
    space        push-to-talk
    Tab, arrows  move the focus (announced in audio mode)
    / or F1      Cách dùng (the settings screen)
"""

from __future__ import annotations

# SDL key codes as Kivy reports them in on_key_down(window, key, scancode, codepoint, modifiers)
KEYCODES = {
    "backspace": 8, "tab": 9, "enter": 13, "escape": 27, "space": 32, "*": 42, "plus": 43,
    "minus": 45, "/": 47, "0": 48, "1": 49, "2": 50, "3": 51, "4": 52, "5": 53, "6": 54,
    "7": 55, "8": 56, "9": 57, "=": 61, "r": 114, "s": 115, "delete": 127,
    "up": 273, "down": 274, "right": 275, "left": 276, "f1": 282,
    # the numeric keypad
    "kp0": 256, "kp1": 257, "kp2": 258, "kp3": 259, "kp4": 260, "kp5": 261, "kp6": 262,
    "kp7": 263, "kp8": 264, "kp9": 265, "kp.": 266, "kp/": 267, "kp*": 268, "kp-": 269,
    "kp+": 270, "kpenter": 271,
}
_BY_CODE = {code: name for name, code in KEYCODES.items()}
_KEYPAD = {"kp0": "0", "kp1": "1", "kp2": "2", "kp3": "3", "kp4": "4", "kp5": "5", "kp6": "6",
           "kp7": "7", "kp8": "8", "kp9": "9", "kp/": "/", "kp*": "*", "kp-": "minus",
           "kp+": "plus", "kpenter": "enter", "kp.": "."}
_ALIASES = {"return": "enter", "ret": "enter", "back": "backspace", "asterisk": "*",
            "star": "*", "multiply": "*", "+": "plus", "-": "minus", "add": "plus",
            "subtract": "minus", "slash": "/", " ": "space", "spacebar": "space"}

# Names `kiosk replay` accepts for {"key": NAME} (case-insensitive), with what they press.
REPLAY_NAMES = ("Enter", "BackSpace", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "R",
                "plus", "minus", "space", "asterisk", "Tab", "Up", "Down", "Left", "Right", "F1")

# keys that always do the same thing, whatever the screen
FIXED = {
    "backspace": ("back", None), "delete": ("back", None),
    "*": ("repeat", None), "r": ("repeat", None),
    "0": ("call_staff", None),
    "plus": ("louder", None), "=": ("louder", None),
    "minus": ("quieter", None),
    "space": ("push_to_talk", None),
    "/": ("settings", None), "f1": ("settings", None), "s": ("settings", None),
}
FOCUS_NEXT = {"tab", "down", "right"}
FOCUS_PREV = {"up", "left"}

# how a control's key is said / shown
KEY_WORDS = {"enter": "phím Enter", "backspace": "phím Xóa lùi", "r": "phím R hoặc phím sao",
             "0": "phím 0", "plus": "phím cộng", "minus": "phím trừ", "/": "phím chia"}
KEY_SHOWN = {"enter": "Enter", "backspace": "⌫", "r": "R", "plus": "+", "minus": "−", "/": "/"}


def normalize(name: str) -> str | None:
    """'Enter', 'BackSpace', 'kp5', '+', 'R' ... -> a canonical key name, or None."""
    if not isinstance(name, str) or not name:
        return None
    n = name if name == " " else name.strip().lower()
    n = _ALIASES.get(n, n)
    n = _KEYPAD.get(n, n)
    if n in KEYCODES or n in FIXED or n in FOCUS_NEXT | FOCUS_PREV or n == ".":
        return n
    return None


def from_kivy(key: int, codepoint: str | None, modifiers=()) -> str | None:
    """A Kivy on_key_down event -> canonical key name (None for keys the kiosk ignores)."""
    name = _BY_CODE.get(key)
    if name in _KEYPAD:
        return _KEYPAD[name]
    if codepoint and codepoint in "+*/":
        return normalize(codepoint)  # shift+= gives '+', shift+8 gives '*'
    if name == "tab" and "shift" in (modifiers or ()):
        return "up"
    return name


def press_args(name: str) -> tuple[int, int, str | None]:
    """(key code, scan code, codepoint) to dispatch a real key event for `name`."""
    n = normalize(name)
    if n is None:
        raise ValueError(f"unknown key '{name}' (known: {', '.join(REPLAY_NAMES)})")
    code = KEYCODES.get(n, 0)
    codepoint = {"plus": "+", "minus": "-", "space": " ", "*": "*", "/": "/"}.get(n)
    if codepoint is None and len(n) == 1:
        codepoint = n
    return code, code, codepoint


def controls(view) -> tuple:
    """Every control of a view in focus order: the choices, the optional row, then the bar."""
    return tuple(view.choices) + tuple(getattr(view, "options", ())) + tuple(view.bar)


def primary_index(view) -> int:
    cs = controls(view)
    for i, c in enumerate(cs):
        if c.key == "enter":
            return i
    for i, c in enumerate(cs):
        if c.primary:
            return i
    return 0


def focus_index(state, view) -> int | None:
    cs = controls(view)
    if not cs:
        return None
    f = getattr(state, "focus", None)
    if f is not None and 0 <= f < len(cs):
        return f
    armed = getattr(state, "armed", None)
    if armed:
        for i, c in enumerate(cs):
            if (c.action, c.arg) == tuple(armed):
                return i
    return primary_index(view)


def resolve(view, state, name: str):
    """What pressing `name` does here: ('act', action, arg) | ('focus', index) | None."""
    n = normalize(name)
    if n is None:
        return None
    cs = controls(view)
    if n == "enter":
        i = focus_index(state, view)
        if i is None:
            return None
        return ("act", cs[i].action, cs[i].arg)
    if n.isdigit() and n != "0":
        for c in cs:
            if c.key == n:
                return ("act", c.action, c.arg)
        return ("missing", n, None)
    if n in FOCUS_NEXT or n in FOCUS_PREV:
        if not cs:
            return None
        i = focus_index(state, view) or 0
        i = (i + (1 if n in FOCUS_NEXT else -1)) % len(cs)
        return ("focus", i, None)
    if n in FIXED:
        action, arg = FIXED[n]
        if n == "0" and any(c.key == "0" for c in cs):
            c = next(c for c in cs if c.key == "0")
            return ("act", c.action, c.arg)
        return ("act", action, arg)
    return None


def key_for(view, index: int) -> str | None:
    """The direct key of control `index` (None: reachable by moving the focus and Enter)."""
    c = controls(view)[index]
    return c.key


def reachable(view, state) -> dict[int, str]:
    """Control index -> how the keypad reaches it ('key 3', 'Enter', 'Tab x2 + Enter')."""
    cs = controls(view)
    out: dict[int, str] = {}
    for i, c in enumerate(cs):
        if c.key and c.key != "enter":
            r = resolve(view, state, c.key)
            if r and r[0] == "act" and (r[1], r[2]) == (c.action, c.arg):
                out[i] = f"key {c.key}"
                continue
        if focus_index(state, view) == i:
            out[i] = "Enter"
            continue
        # move the focus with Tab until it lands here
        f, presses = focus_index(state, view), 0
        while presses <= len(cs):
            presses += 1
            r = resolve(view, _Focused(f), "tab")
            f = r[1]
            if f == i:
                out[i] = f"Tab x{presses} + Enter"
                break
    return out


class _Focused:
    def __init__(self, focus):
        self.focus = focus
        self.armed = None
