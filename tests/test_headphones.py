"""Headphones: the sound system's report (pactl / amixer output) -> audio mode and private
listening; no report, no change; unplugged, nothing private is spoken any more."""

from pathlib import Path

import pytest

from flowkit import run, said
from kiosk.core.visit import flow as f
from kiosk.core.visit.audio_first import HeadphonesChanged
from kiosk.speech import headphones as H

SAMPLES = Path(__file__).parent / "fixtures" / "headphones"


@pytest.mark.parametrize("name, parse, want", [
    ("pactl-pipewire-plugged.txt", H.parse_pactl_sinks, True),
    ("pactl-pipewire-unplugged.txt", H.parse_pactl_sinks, False),
    ("pactl-pulseaudio-old-plugged.txt", H.parse_pactl_sinks, True),
    ("pactl-no-ports.txt", H.parse_pactl_sinks, None),
    ("pactl-json-plugged.json", H.parse_pactl_json, True),
    ("pactl-json-unplugged.json", H.parse_pactl_json, False),
    ("amixer-contents-plugged.txt", H.parse_amixer_contents, True),
    ("amixer-contents-unplugged.txt", H.parse_amixer_contents, False),
])
def test_probe_output_is_read(name, parse, want):
    assert parse((SAMPLES / name).read_text("utf-8")) is want


def test_first_probe_that_reports_wins_and_no_tool_means_no_report():
    outputs = {"pactl": None, "amixer": (SAMPLES / "amixer-contents-plugged.txt").read_text("utf-8")}
    assert H.plugged(lambda cmd: outputs[cmd[0]]) is True
    assert H.plugged(lambda cmd: None) is None
    assert H.parse_pactl_json("not json") is None


def test_watch_reports_changes_only():
    seen, answers = [], iter([None, False, False, True, True, None, False])
    w = H.Watch(lambda plugged, first: seen.append((plugged, first)), probe=lambda: next(answers))
    for _ in range(7):
        w.check()
    assert seen == [(False, True), (True, False), (False, False)]


@pytest.fixture
def machine(fixture_catalog):
    return f.Flow(fixture_catalog, f.Config())


def test_plugging_in_turns_on_audio_mode_and_private_listening(machine):
    state, eff = machine.next(f.State(), HeadphonesChanged(True))
    assert state.modes.audio and state.private and state.active
    assert "Đã cắm tai nghe" in said(eff)[0] and any(isinstance(e, f.StartSession) for e in eff)
    state, eff = machine.next(state, HeadphonesChanged(False))
    assert state.modes.audio and not state.private and "Đã rút tai nghe" in said(eff)[0]


def test_found_at_start_only_notes_it_quietly(machine):
    state, eff = machine.next(f.State(), HeadphonesChanged(True, first=True))
    assert state.private and not state.modes.audio and not state.active and not said(eff)


def test_a_sensitive_step_is_spoken_only_with_headphones(fixture_catalog, machine):
    from dataclasses import replace
    from kiosk.core.content.lessons import Catalog
    lesson = fixture_catalog.get("thu-otp")
    secret = replace(lesson.steps[0], text="Mã riêng ở đây", sensitive=True)
    cat = Catalog([replace(lesson, steps=(secret,) + lesson.steps[1:])])
    m = f.Flow(cat, f.Config())
    state = f.State(screen="step", active=True, lesson="thu-otp", step=0, modes=f.Modes(audio=True))
    assert "Mã riêng ở đây" not in m.spoken(state)
    assert "Mã riêng ở đây" in m.spoken(replace(state, private=True))
