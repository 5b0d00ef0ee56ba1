"""A blind visitor alone (issue 14) in the pure flow: the welcome screen by keypad, asking before
leaving, the drawn phone by keypad, and the staff call's visual cue."""

from dataclasses import replace

import pytest

from flowkit import logs, run, said
from kiosk.core.visit import flow as f
from kiosk.core.screens import keys as K
from kiosk.core.screens.views import view_for


@pytest.fixture
def machine(fixture_catalog):
    return f.Flow(fixture_catalog, f.Config())


def test_any_first_key_on_welcome_explains_the_keypad_and_5_turns_on_audio(machine):
    state, eff = run(machine, [f.Key("7")])
    assert state.screen == "welcome" and not state.active and state.keys_told
    assert "bấm phím 5, phím có gờ nổi" in said(eff)[0]
    state, eff = run(machine, [f.Key("5")], state)
    assert state.modes.audio and state.active and "phím 5, Nghe đọc, đang bật" in said(eff)[0]
    fresh, eff = run(machine, [f.Key("5")])                 # 5 at once works too
    assert fresh.modes.audio and logs(eff, "mode")


def test_leaving_in_audio_mode_asks_first_and_no_keeps_the_session(machine):
    state, _ = run(machine, [f.Key("5"), f.Key("enter")])
    assert state.screen == "home"
    state, eff = run(machine, [f.Key("backspace")], state)
    assert state.screen == "confirm" and state.active and "đúng không?" in said(eff)[0]
    state, eff = run(machine, [f.Key("2")], state)          # Không
    assert state.screen == "home" and state.active and state.modes.audio
    state, eff = run(machine, [f.Key("backspace"), f.Key("1")], state)
    assert state.screen == "welcome" and not state.active
    assert logs(eff, "session_end") == [{"reason": "left"}]


def test_leaving_without_audio_mode_is_as_before(machine):
    state, eff = run(machine, [f.Tap("start"), f.Tap("back")])
    assert state.screen == "welcome" and logs(eff, "session_end") == [{"reason": "left"}]


def test_the_drawn_phone_is_reached_by_focus_keys_and_digits_type():
    from conftest import ROOT
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.content.practice import book_of
    fixture_catalog = load_catalog(ROOT / "lessons")  # the real practice copies
    book = book_of(fixture_catalog)
    p = next(p for p in book.practices if any(s.expect.type for s in p.steps))
    m = f.Flow(fixture_catalog, f.Config())
    m.activities.rng = lambda pid: __import__("random").Random("t:" + pid)
    state, _ = run(m, [f.Key("5"), f.Tap("practice", p.id)])
    typing = next(i for i, s in enumerate(p.steps) if s.expect.type)
    for i, step in enumerate(p.steps[:typing]):           # the tap steps: Tab to it, Enter
        while True:
            v = view_for(state, fixture_catalog)
            c = K.controls(v)[K.focus_index(state, v)]
            if (c.action, c.arg) == ("p_tap", step.expect.tap):
                break
            state, eff = m.next(state, f.Key("tab"))
            assert said(eff)[0].startswith(K.controls(view_for(state, fixture_catalog))[state.focus].label)
        state, _ = m.next(state, f.Key("enter"))
        assert state.activity.step == i + 1
    v = view_for(state, fixture_catalog)
    focused = K.controls(v)[K.focus_index(state, v)]
    assert (focused.action, focused.arg) == ("p_field", p.steps[typing].expect.type)  # starts there
    state, eff = run(m, [f.Key("4"), f.Key("2")], state)
    assert state.activity.typed == "42" and said(eff)[-1].startswith("Đã gõ 2 trên")
    assert "4" not in " ".join(said(eff)).replace("trên", "")  # how many, never which
    state, _ = m.next(state, f.Key("backspace"))          # deletes a digit, does not go back
    assert state.activity.typed == "4" and state.screen == "practice"
    state, _ = m.next(state, f.Key("backspace"))
    assert state.activity.typed == "" and state.activity.step == typing
    state, _ = m.next(state, f.Key("backspace"))          # nothing left to delete: back a step
    assert state.screen == "practice" and state.activity.step == typing - 1


def test_a_staff_call_has_a_visual_cue_in_captions_mode(machine):
    state = f.State(screen="home", active=True, ticket="A001", modes=f.Modes(captions=True))
    state, eff = machine.next(state, f.TicketCalled("A001", 2))
    cues = [e.kind for e in eff if isinstance(e, f.Cue)]
    assert cues == ["call"] and state.screen == "ticket"
    assert eff.index(next(e for e in eff if isinstance(e, f.Cue))) < eff.index(
        next(e for e in eff if isinstance(e, f.Say)))  # the caption starts with "(Chuông báo)"
