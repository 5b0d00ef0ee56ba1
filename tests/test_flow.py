"""The journey as a pure state machine: no Kivy, no audio, no database."""

from dataclasses import replace

import pytest

from flowkit import run
from kiosk.core.visit import flow as f


@pytest.fixture
def machine(fixture_catalog):
    return f.Flow(fixture_catalog, f.Config(idle_after=90, answer_within=30))


def logs(effects, kind=None):
    return [e for e in effects if isinstance(e, f.Log) and (kind is None or e.kind == kind)]


def test_whole_lesson_by_touch(machine):
    events = [f.Tap("start"), f.Tap("topic", "internet"), f.Tap("lesson", "thu-wifi"), f.Tap("begin")]
    state, effects = run(machine, events)
    assert (state.screen, state.step) == ("step", 0)
    assert any(isinstance(e, f.StartSession) for e in effects)
    assert logs(effects, "lesson_start")[0].data == {"lesson": "thu-wifi"}
    state, effects = run(machine, [f.Tap("next"), f.Tap("next")], state)
    assert (state.screen, state.step) == ("step", 2)
    state, effects = run(machine, [f.Tap("done")], state)
    assert state.screen == "finish"
    assert logs(effects, "lesson_finish")
    state, effects = run(machine, [f.Tap("exit")], state)
    assert state == f.State(last_input=state.last_input)
    assert [e.reason for e in effects if isinstance(e, f.EndSession)] == ["done"]


def test_step_events_carry_step_numbers(machine):
    state, effects = run(machine, [f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin"),
                                   f.Tap("next"), f.Tap("next")])
    assert [(e.data["step"], e.data["of"]) for e in logs(effects, "step")] == [(1, 3), (2, 3), (3, 3)]


def test_back_walks_back_and_repeated_back_is_noted(machine):
    state, _ = run(machine, [f.Tap("start"), f.Tap("topic", "internet"), f.Tap("lesson", "thu-wifi"),
                             f.Tap("begin"), f.Tap("next"), f.Tap("next")])
    screens = []
    for _ in range(5):
        state, _ = machine.next(state, f.Tap("back"))
        screens.append((state.screen, state.step))
    assert screens == [("step", 1), ("step", 0), ("intro", 0), ("topic", 0), ("home", 0)]
    assert "back_repeated" in state.errors


def test_call_staff_from_a_step_creates_ticket_with_context(machine):
    state, _ = run(machine, [f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin"),
                             f.Tap("large_text"), f.Tap("next")])
    state, effects = machine.next(state, f.Tap("call_staff"))
    ticket = [e for e in effects if isinstance(e, f.CreateTicket)][0]
    assert ticket.context["lesson"] == "thu-wifi"
    assert ticket.context["step"] == 2 and ticket.context["steps"] == 3
    assert ticket.context["modes"] == ["large_text"]
    assert state.screen == "ticket" and state.ticket is None
    state, effects = machine.next(state, f.TicketCreated("A007"))
    assert state.ticket == "A007"
    said = [e.text for e in effects if isinstance(e, f.Say)]
    assert said and "A, không, không, bảy" in said[0]
    state, _ = machine.next(state, f.Tap("resume"))
    assert (state.screen, state.step) == ("step", 1)


def test_call_staff_from_welcome_opens_a_session(machine):
    state, effects = machine.next(f.State(), f.Tap("call_staff"))
    assert any(isinstance(e, f.StartSession) for e in effects)
    assert state.active and state.screen == "ticket"


def test_idle_warns_extends_and_then_wipes(machine):
    state, _ = run(machine, [f.Tap("start", now=0), f.Tap("lesson", "thu-wifi", now=1),
                             f.Tap("large_text", now=2)])
    state, effects = machine.next(state, f.Tick(80))
    assert not state.warning and not effects
    state, effects = machine.next(state, f.Tick(93))
    assert state.warning and logs(effects, "idle_warning")
    for i in range(10):  # extendable at least ten times
        state, effects = machine.next(state, f.Tap("still_here", now=93 + i * 200))
        assert not state.warning and state.extensions == i + 1
        state, _ = machine.next(state, f.Tick(93 + i * 200 + 91))
        assert state.warning
    assert state.screen == "intro" and state.modes.large_text
    state, effects = machine.next(state, f.Tick(93 + 9 * 200 + 91 + 30))
    assert state.screen == "welcome" and not state.active and not state.modes.large_text
    assert [e.reason for e in effects if isinstance(e, f.EndSession)] == ["timeout"]


def test_touch_during_warning_counts_as_still_here_and_acts(machine):
    state, _ = run(machine, [f.Tap("start", now=0), f.Tap("lesson", "thu-wifi", now=0)])
    state, _ = machine.next(state, f.Tick(95))
    state, effects = machine.next(state, f.Tap("begin", now=96))
    assert not state.warning and state.screen == "step"


def test_no_timeout_on_welcome_without_visitor(machine):
    state, effects = machine.next(f.State(), f.Tick(10_000))
    assert state == f.State() and effects == []


def test_audio_mode_speaks_every_arrival_and_repeat_always_speaks(machine):
    state, effects = run(machine, [f.Tap("start"), f.Tap("topic", "internet")])
    assert not [e for e in effects if isinstance(e, f.Say)]
    state, effects = machine.next(state, f.Tap("repeat"))
    assert [e.why for e in effects if isinstance(e, f.Say)] == ["repeat"]
    state, _ = machine.next(state, f.Tap("mode", "audio"))
    state, effects = machine.next(state, f.Tap("lesson", "thu-wifi"))
    said = [e.text for e in effects if isinstance(e, f.Say)]
    assert len(said) == 1 and "Kết nối" in said[0]


def test_sensitive_step_is_not_spoken(fixture_catalog):
    from kiosk.core.content.lessons import Catalog
    from kiosk.core.screens.views import spoken_line
    lesson = fixture_catalog.get("thu-otp")
    secret = replace(lesson.steps[0], text="Mã của bạn hiện ở đây", sensitive=True)
    cat = Catalog([replace(lesson, steps=(secret,) + lesson.steps[1:])])
    state = f.State(screen="step", active=True, lesson="thu-otp", step=0)
    line = spoken_line(state, cat)
    assert "Mã của bạn hiện ở đây" not in line and "không đọc to" in line


def test_voice_intents_drive_the_same_flow(machine):
    state, effects = run(machine, [f.Intent("next"), f.Intent("open", {"topic": "safety"}),
                                   f.Intent("open", {"lesson": "thu-otp"}), f.Intent("next"),
                                   f.Intent("next")])
    assert (state.screen, state.lesson, state.step) == ("step", "thu-otp", 1)
    assert logs(effects, "voice")


def test_rate_changes_are_bounded(machine):
    state, _ = run(machine, [f.Tap("start"), f.Intent("slower"), f.Intent("slower")])
    assert state.modes.rate == "slow"
    state, _ = run(machine, [f.Intent("faster")] * 3, state)
    assert state.modes.rate == "fast"
