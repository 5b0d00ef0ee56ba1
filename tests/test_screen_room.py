"""Screens that never overlap (issue 13): the bar's fixed slots, notice rows, simple-mode pictures.

Plain Python (no window): the layout decisions the Kivy screens follow. The drawn result is
checked by `kiosk gallery` (tests/test_gallery_sample.py).
"""

from __future__ import annotations

from collections import Counter

import pytest

from kiosk.core.screens import layout as L
from kiosk.core.screens.bar_slots import SLOTS, placed, slot_labels
from kiosk.core.visit.flow import Flow, Modes, State, Tap
from kiosk.core.screens.keys import controls
from kiosk.core.screens.strips import NO_VOICE_NO_SOUND, strip_height, strips_for, strips_height
from kiosk.core.screens.tile_pictures import LESSON_PICTURES, picture_for
from kiosk.core.screens.views import view_for

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def real_catalog():
    from kiosk.core.content.lessons import load_catalog
    return load_catalog(ROOT / "lessons")


def _bar(catalog, state):
    return view_for(state, catalog).bar


def test_every_bar_control_has_its_own_slot_on_every_screen(real_catalog):
    lesson = real_catalog.lessons[0]
    states = [State(), State(active=True, screen="home"),
              State(active=True, screen="step", topic=lesson.topic, lesson=lesson.id),
              State(active=True, screen="ticket", ticket="A012", ticket_from="home"),
              State(active=True, screen="settings", settings_from="home")]
    for state in states:
        bar = _bar(real_catalog, state)
        slots = placed(bar)
        assert len(slots) == len(SLOTS)
        assert [c for c in slots if c is not None] == sorted(bar, key=lambda c: slots.index(c))
        for c, name in zip(slots, SLOTS):
            if c is not None and name != "main":
                assert c.action == name
    # the welcome screen has no Quay lại: its slot stays empty, Nghe lại keeps its place
    welcome = placed(_bar(real_catalog, State()))
    assert welcome[0] is None and welcome[1].action == "repeat"


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)])
def test_the_frame_of_one_size_is_the_same_whatever_the_bar_holds(size):
    sizes = L.sizes_for(*size)
    short = L.frame_for(*size, sizes, slot_labels(False, ["Nghe lại", "Chữ to"]))
    full = L.frame_for(*size, sizes, slot_labels(False, ["Quay lại", "Nghe lại", "Chữ to",
                                                         "Cách dùng", "Gọi nhân viên", "Tiếp"]))
    assert short == full
    if size[0] > size[1]:
        assert full.sidebar_w > 0 and full.bar_button_h >= sizes.target
    else:
        assert full.bar_cols == 3 and full.bar_h >= 2 * sizes.target


def test_notices_get_a_row_measured_with_the_real_font():
    sizes = L.sizes_for(1920, 1080, large_text=True)
    one = strips_for({"store": "Máy tạm thời không ghi được nhật ký."})
    assert [s.kind for s in one] == ["notice"]
    h = strip_height(one[0], sizes, 1400)
    assert h >= L.line_height(sizes.small)
    narrow = strip_height(one[0], sizes, 400)  # wraps: taller
    assert narrow > h
    assert strips_height(one, sizes, 1400) == h + sizes.gap
    assert strips_for({}) == []


def test_voice_off_and_no_sound_together_are_one_short_line():
    strips = strips_for({"voice_off": "Giọng nói đang tắt, vui lòng chạm vào màn hình.",
                         "speech_sound": "Máy chưa phát được tiếng (không thấy loa). …",
                         "call": "Mời số A012 đến quầy 1."})
    assert strips[0].text == f"{NO_VOICE_NO_SOUND} Mời số A012 đến quầy 1."
    sizes = L.sizes_for(1920, 1080, large_text=True)
    alone = strips_for({"voice_off": "x", "speech_sound": "y"})[0]
    assert strip_height(alone, sizes, 1400) == L.line_height(sizes.small) + 16


def test_simple_mode_no_two_choices_on_a_screen_share_a_picture(real_catalog):
    from kiosk.core.screens.views import TOPIC_ORDER
    simple = Modes(simple=True)
    screens = [State(active=True, screen="home", modes=simple)]
    screens += [State(active=True, screen="topic", topic=t, modes=simple) for t in TOPIC_ORDER]
    for lesson in real_catalog.lessons:
        screens.append(State(active=True, screen="finish", topic=lesson.topic, lesson=lesson.id,
                             modes=simple))
    for state in screens:
        view = view_for(state, real_catalog)
        pictures = [c.icon for c in controls(view) if c.icon]
        twice = [p for p, n in Counter(pictures).items() if n > 1]
        assert not twice, (state.screen, state.topic, state.lesson, twice)
    # every lesson has a picture of its own, and "Bài khác" is not the house of "Trang đầu"
    assert {l.id for l in real_catalog.lessons} <= set(LESSON_PICTURES)
    assert len(set(LESSON_PICTURES.values())) == len(LESSON_PICTURES)
    finish = view_for(screens[-1], real_catalog)
    icons = {c.action: c.icon for c in finish.choices}
    assert icons["more"] != icons["exit"] == "home"


def test_every_simple_mode_picture_is_drawn():
    from kiosk.ui.icons import DRAW  # Pillow drawings, no window
    from kiosk.core.screens.tile_pictures import ACTION_PICTURES, DRILL_PICTURES
    for name in [*LESSON_PICTURES.values(), *DRILL_PICTURES.values(), *ACTION_PICTURES.values()]:
        assert name in DRAW, name


def test_simple_mode_keypad_digit_acts_on_the_first_touch_other_taps_arm(real_catalog):
    flow = Flow(real_catalog)
    state = State(active=True, screen="home", modes=Modes(simple=True))
    armed, _ = flow.next(state, Tap("topic", "vneid"))
    assert armed.armed == ("topic", "vneid") and armed.screen == "home"
    assert picture_for(view_for(armed, real_catalog).choices[0]) == "vneid"
    # a digit of the drawn phone keypad is not armed (it would need two touches per digit)
    from kiosk.ui.gallery_jobs import state_for
    practice = state_for({"screen": "practice", "practice": "vneid", "step": 2, "mode": "simple"},
                         real_catalog)
    typed, _ = flow.next(practice, Tap("p_key", "5"))
    assert typed.armed is None


def test_the_waiting_ticket_is_a_reserved_row_under_the_notices():
    sizes = L.sizes_for(1920, 1080)
    rows = strips_for({"store": "Máy tạm thời không ghi được nhật ký."},
                      ticket="Số của bạn: A012 — Trước bạn còn 2 người")
    assert [s.kind for s in rows] == ["notice", "ticket"]
    assert strips_for({}, ticket="Số của bạn: A012")[0].kind == "ticket"
    assert strips_height(rows, sizes, 1400) > strips_height(rows[:1], sizes, 1400)
