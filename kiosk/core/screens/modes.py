"""What the accessibility modes show and say, in plain Python (the flow's side: visit.access).

- Chữ to, Tương phản cao, Nghe đọc, Hình và tiếng, Phụ đề: switches on the welcome screen and
  on the "Cách dùng" screen (reachable from the bar of every screen, or the / key).
- Nghe đọc (audio-first): every screen is spoken on arrival with its choices and key numbers;
  the focused control is announced.
- Hình và tiếng (simple): pictures and one-word labels.
- Phụ đề (captions): every spoken line is shown as text (`View.caption`).

`adapt(view, state, catalog)` turns a screen's plain `View` into what the current modes show;
`compose` gives the line a screen says in those modes.
"""

from __future__ import annotations

from dataclasses import replace

from kiosk.core.screens import keys as K
from kiosk.core.screens.phone_keys import phone_help
from kiosk.core.screens.tile_pictures import picture_for
from kiosk.core.screens.view import BAR_REPEAT, BAR_STAFF, Choice, View, bar, spell_ticket

MODE_LABELS = {
    "large_text": "Chữ to",
    "high_contrast": "Tương phản cao",
    "audio": "Nghe đọc",
    "simple": "Hình và tiếng",
    "captions": "Phụ đề",
}
MODE_SAID = {  # what the mode does, said when the switch is focused or touched once
    "large_text": "chữ lớn hơn",
    "high_contrast": "chữ sáng trên nền đen",
    "audio": "máy đọc to mọi thứ, dùng được bằng bàn phím",
    "simple": "hình ảnh và lời nói, chạm hai lần để chọn",
    "captions": "hiện chữ mọi lời máy nói",
}
BAR_SETTINGS = ("Cách dùng", "settings")
RATE_WORDS = {"slow": "chậm", "normal": "vừa", "fast": "nhanh"}

# one-word labels for simple mode, by action (mode switches keep their names)
SHORT = {"start": "Bắt đầu", "begin": "Bắt đầu", "back": "Quay lại", "repeat": "Nghe lại",
         "large_text": "Chữ to", "settings": "Cách dùng", "call_staff": "Nhân viên",
         "next": "Tiếp", "done": "Xong", "more": "Bài khác", "exit": "Trang đầu",
         "resume": "Quay lại", "still_here": "Vẫn dùng", "settings_done": "Xong",
         "rate_next": "Tốc độ", "louder": "To hơn", "quieter": "Nhỏ hơn"}
SHORT_TOPICS = {"dvc": "Dịch vụ"}

KEYS_HELP = ("Bàn phím: bấm phím số để chọn; phím Enter để tiếp; phím xóa lùi để quay lại; "
             "phím sao hoặc phím R để nghe lại; số 0 để gọi nhân viên; phím cộng, phím trừ để "
             "nói to hơn, nhỏ hơn; phím Tab để đi qua từng nút.")
SIMPLE_HELP = "Chế độ hình và tiếng. Chạm một lần để nghe tên nút, chạm lần nữa để chọn."
ARMED_SUFFIX = "Chạm lần nữa để chọn."


# --- what a screen shows in the current modes ------------------------------------------------

def _switch(i: int, name: str, modes) -> Choice:
    return Choice(MODE_LABELS[name], "mode", name, icon=name, key=str(i),
                  checked=bool(getattr(modes, name)))


# Nghe đọc is switch 5: the key with the raised dot, found without sight (kiosk.core.visit.audio_first)
SWITCH_ORDER = ("large_text", "high_contrast", "simple", "captions", "audio")


def mode_switches(modes) -> tuple[Choice, ...]:
    return tuple(_switch(i + 1, name, modes) for i, name in enumerate(SWITCH_ORDER))


def settings_view(state, catalog) -> View:
    m = state.modes
    rate = RATE_WORDS.get(m.rate, m.rate)
    choices = mode_switches(m) + (
        Choice("Tốc độ đọc", "rate_next", icon="rate", key="6"),
        Choice("Nói to hơn", "louder", icon="louder", key="7"),
        Choice("Nói nhỏ hơn", "quieter", icon="quieter", key="8"),
    )
    said = "; ".join(f"số {c.key}, {c.label}{_state_word(c)}" for c in choices)
    # "Xong" goes back (so does Backspace): no separate Quay lại, the bar stays one row
    return View(screen="settings", title="Cách dùng", layout="switches",
                body=(f"Đọc {rate}. Âm lượng {state.volume}/10.",),
                choices=choices,
                bar=bar(BAR_REPEAT, BAR_STAFF, forward=("Xong", "settings_done")),
                spoken=(f"Cách dùng. Chạm để bật hoặc tắt: {said}. "
                        f"Tốc độ đọc: {rate}. Âm lượng {state.volume} trên 10. Chạm Xong khi xong."))


def _state_word(c: Choice) -> str:
    if c.checked is None:
        return ""
    return ", đang bật" if c.checked else ", đang tắt"


def adapt(view: View, state, catalog) -> View:
    """The plain screen -> what this visitor's modes show (pure; no Kivy)."""
    modes = state.modes
    choices, bar, layout = list(view.choices), list(view.bar), view.layout
    if view.screen == "welcome" and not state.warning:
        # big pictured switches for the five modes; "Chữ to" is one of them, not in the bar
        choices += list(mode_switches(modes))
        bar = [c for c in bar if c.action != "large_text"]
        layout = "switches"
    if any(c.action == "large_text" for c in bar) and not any(c.action == "settings" for c in bar):
        i = next(i for i, c in enumerate(bar) if c.action == "large_text")
        bar.insert(i + 1, Choice(BAR_SETTINGS[0], BAR_SETTINGS[1], icon="settings", key="/"))
    bar = [replace(c, checked=modes.large_text) if c.action == "large_text" else c for c in bar]
    # the main action (Enter) goes to the bar, next to Tiếp's place, when there is a bar
    if bar and not any(c.key == "enter" for c in bar):
        main = [c for c in choices if c.key == "enter"]
        if main:
            choices.remove(main[0])
            bar.append(replace(main[0], primary=True))
    if modes.large_text:  # the words of a choice's second line are said, not shown, in large text
        choices = [replace(c, detail=None) for c in choices]
    if modes.simple:
        choices = [_short(c) for c in choices]
        bar = [_short(c) for c in bar]
        if layout == "list" and any(c.icon for c in choices) and view.screen != "warning":
            layout = "tiles" if view.screen in ("home", "topic", "finish", "ticket") else layout
    new = replace(view, choices=tuple(choices), bar=tuple(bar), layout=layout,
                  simple=modes.simple)
    controls = K.controls(new)
    armed = None
    if state.armed:
        armed = next((i for i, c in enumerate(controls) if (c.action, c.arg) == tuple(state.armed)),
                     None)
    new = replace(new, focus=K.focus_index(state, new), armed=armed)
    return replace(new, caption=compose(new, state, catalog, written=True))


def _short(c: Choice) -> Choice:
    if c.action == "topic":
        return replace(c, short=SHORT_TOPICS.get(c.arg, c.label), detail=None)
    if c.action in ("lesson", "drill"):  # every choice its own picture
        return replace(c, detail=None, icon=picture_for(c))
    return replace(c, short=SHORT.get(c.action, c.short), icon=picture_for(c))


# --- what a screen says ----------------------------------------------------------------------

def compose(view: View, state, catalog, config=None, written: bool = False) -> str:
    """The screen's spoken line in the current modes; `written` gives the caption's wording."""
    text = view.spoken
    private = (config is not None and config.headphones) or getattr(state, "private", False)
    if view.screen == "step" and not state.warning and private:
        lesson = catalog.get(state.lesson)
        step = lesson.steps[state.step]
        if step.sensitive:  # headphones on: the visitor alone hears it
            text = (f"Bước {state.step + 1} trên {len(lesson.steps)}. {step.title}. "
                    f"{step.spoken}")
    if state.modes.audio:
        text = K.name_keys(text, view)
        text = f"{text} {phone_help(view)} {hints(view, text)}".strip().replace("  ", " ")
    if written:
        if view.big:
            text = text.replace(spell_ticket(view.big), view.big)
        return text
    return text  # written words: the lexicon speaks them, on the way to the engine


def hints(view: View, said: str | None = None) -> str:
    """Audio-first: the choices with their key numbers ("phím 1, VNeID"), and what Enter does;
    `said` is the line so far (choices it already names with their key are not listed again)."""
    parts = []
    said = (said if said is not None else view.spoken).lower()
    numbered = [c for c in tuple(view.choices) + tuple(view.options) if c.key and c.key.isdigit()]
    if numbered and not all(f"phím {c.key}, {c.label}".lower() in said
                            or f"phím {c.key}: {c.label}".lower() in said for c in numbered
                            if c.checked is None) or any(c.checked is not None for c in numbered):
        parts.append("Các lựa chọn: " + "; ".join(
            f"phím {c.key}, {c.label}{_state_word(c)}" for c in numbered) + ".")
    elif numbered:
        parts.append("Bấm phím số để chọn.")
    main = next((c for c in K.controls(view) if c.key == "enter"), None)
    if main:
        parts.append(f"Phím Enter: {main.label}.")
    return " ".join(parts)


def control_said(c: Choice) -> str:
    """How a control is announced when focused (audio mode) or touched once (simple mode)."""
    words = c.label
    if c.action == "mode":
        words += f", {MODE_SAID.get(c.arg, '')}"
    words += _state_word(c)
    if c.detail and c.action != "lesson":
        words += f", {c.detail}"
    return words
