"""Accessibility modes in the pure core: keys, audio-first, two-touch, captions, settings,
volume, sizes and contrast, the text-fit check, and the per-visitor reset in the log."""

import json
from dataclasses import replace

import pytest

from flowkit import logs, run, said
from kiosk.core.visit import flow as f
from kiosk.core.screens import keys as K
from kiosk.core.screens import layout as L
from kiosk.core.visit.access import MODE_LABELS, adapt, compose
from kiosk.core.screens.views import view_for


@pytest.fixture
def machine(fixture_catalog):
    return f.Flow(fixture_catalog, f.Config(idle_after=90, answer_within=30))




# --- welcome and settings ------------------------------------------------------------------

def test_welcome_has_the_five_mode_switches_with_their_exact_names(fixture_catalog):
    v = view_for(f.State(), fixture_catalog)
    switches = [c for c in v.choices if c.action == "mode"]
    assert [c.label for c in switches] == ["Chữ to", "Tương phản cao", "Nghe đọc", "Hình và tiếng", "Phụ đề"]
    assert [c.key for c in switches] == ["1", "2", "3", "4", "5"]
    assert all(c.icon and c.checked is False for c in switches)
    assert not any(c.action == "large_text" for c in v.bar)  # no second "Chữ to" in the bar
    assert [c.label for c in v.bar if c.key == "enter"] == ["Bắt đầu"]
    assert set(MODE_LABELS) == set(f.MODE_NAMES)


def test_modes_can_be_changed_any_time_from_the_bar(machine):
    state, _ = run(machine, [f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin"), f.Tap("next")])
    v = view_for(state, machine.catalog)
    assert "Cách dùng" in [c.label for c in v.bar]
    state, eff = run(machine, [f.Tap("settings")], state)
    assert state.screen == "settings"
    state, eff = run(machine, [f.Tap("mode", "high_contrast"), f.Tap("mode", "captions"),
                               f.Tap("rate_next"), f.Tap("settings_done")], state)
    assert (state.screen, state.step) == ("step", 1)
    assert state.modes.high_contrast and state.modes.captions and state.modes.rate == "fast"
    assert [d["mode"] for d in logs(eff, "mode")] == ["high_contrast", "captions", "rate"]
    state, _ = run(machine, [f.Tap("settings"), f.Tap("back")], state)  # back also returns
    assert (state.screen, state.step) == ("step", 1)


def test_a_mode_chosen_on_welcome_opens_the_session_and_is_logged(machine):
    state, eff = machine.next(f.State(), f.Tap("mode", "large_text"))
    assert isinstance(eff[1], f.StartSession) and state.active and state.screen == "welcome"
    assert logs(eff, "mode") == [{"mode": "large_text", "on": True, "modes": ["large_text"]}]
    state, eff = machine.next(state, f.Tap("start"))
    assert not any(isinstance(e, f.StartSession) for e in eff)  # same session


def test_everything_resets_for_the_next_visitor(machine):
    state, _ = run(machine, [f.Tap("mode", "audio", now=1), f.Tap("mode", "simple", now=2),
                             f.Tap("mode", "simple", now=3), f.Tap("start", now=4),
                             f.Key("plus", now=5), f.Key("plus", now=6), f.Key("tab", now=7)])
    assert state.modes.audio and state.volume == 8 and state.focus is not None
    state, eff = run(machine, [f.Tick(200), f.Tick(240)], state)  # warned, then wiped
    assert [e.reason for e in eff if isinstance(e, f.EndSession)] == ["timeout"]
    assert state == f.State(last_input=state.last_input)
    assert state.modes == f.Modes() and state.volume == 6 and state.focus is None


# --- keypad ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name,canon", [("Enter", "enter"), ("Return", "enter"), ("BackSpace", "backspace"),
                                        ("R", "r"), ("*", "*"), ("asterisk", "*"), ("plus", "plus"),
                                        ("+", "plus"), ("minus", "minus"), ("space", "space"),
                                        ("kp5", "5"), ("kpenter", "enter"), ("Tab", "tab"), ("nope", None)])
def test_key_names(name, canon):
    assert K.normalize(name) == canon


def test_kivy_key_codes_map_to_names():
    assert K.from_kivy(13, None) == "enter" and K.from_kivy(271, None) == "enter"
    assert K.from_kivy(8, None) == "backspace" and K.from_kivy(53, "5") == "5"
    assert K.from_kivy(61, "+") == "plus" and K.from_kivy(56, "*") == "*"
    assert K.from_kivy(270, None) == "plus" and K.from_kivy(269, None) == "minus"
    assert K.from_kivy(9, None, ["shift"]) == "up"
    for name in K.REPLAY_NAMES:
        code, _, cp = K.press_args(name)
        assert K.from_kivy(code, cp) == K.normalize(name), name


def test_every_key_does_what_the_issue_says(machine):
    state, _ = run(machine, [f.Key("enter")])
    assert state.screen == "home"                                       # Enter = Bắt đầu / Tiếp
    state, _ = run(machine, [f.Key("2")], state)  # the fixture lessons: 1 An toàn, 2 Internet
    assert (state.screen, state.topic) == ("topic", "internet")        # digit = numbered choice
    state, _ = run(machine, [f.Key("1"), f.Key("enter"), f.Key("enter")], state)
    assert (state.screen, state.step) == ("step", 1)
    state, eff = run(machine, [f.Key("r")], state)
    assert said(eff) and logs(eff, "repeat")                            # R = Nghe lại
    state, eff = run(machine, [f.Key("*")], state)
    assert logs(eff, "repeat")                                          # * = Nghe lại
    state, _ = run(machine, [f.Key("backspace")], state)
    assert state.step == 0                                              # Backspace = Quay lại
    state, eff = run(machine, [f.Key("plus"), f.Key("plus"), f.Key("minus")], state)
    assert state.volume == 7 and [d["level"] for d in logs(eff, "volume")] == [7, 8, 7]
    state, eff = run(machine, [f.Key("space")], state)
    assert logs(eff, "push_to_talk") and any(isinstance(e, f.Listen) for e in eff)
    state, eff = run(machine, [f.Key("0")], state)
    assert state.screen == "ticket" and any(isinstance(e, f.CreateTicket) for e in eff)


def test_volume_is_bounded(machine):
    state, _ = run(machine, [f.Key("plus")] * 12)
    assert state.volume == 10
    state, _ = run(machine, [f.Key("minus")] * 12, state)
    assert state.volume == 1


def test_focus_moves_with_tab_and_enter_acts_on_it(machine):
    state, _ = run(machine, [f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin")])
    v = view_for(state, machine.catalog)
    assert K.controls(v)[v.focus].label == "Tiếp"          # focus starts on the main action
    state, _ = run(machine, [f.Key("tab")], state)        # wraps to the first: Quay lại
    v = view_for(state, machine.catalog)
    assert K.controls(v)[v.focus].label == "Quay lại"
    state, _ = run(machine, [f.Key("enter")], state)
    assert state.screen == "intro" and state.focus is None  # new screen: focus back to main


def test_a_missing_number_is_said_not_ignored(machine):
    state, _ = run(machine, [f.Tap("start"), f.Tap("topic", "internet")])
    state, eff = run(machine, [f.Key("7")], state)
    assert state.screen == "topic" and "Không có số 7" in said(eff)[0]


def test_every_control_on_every_screen_is_reachable_by_keypad(fixture_catalog):
    states = [f.State(), f.State(active=True, screen="home"),
              f.State(active=True, screen="settings", settings_from="home"),
              f.State(active=True, screen="topic", topic="internet"),
              f.State(active=True, screen="intro", lesson="thu-wifi", topic="internet"),
              f.State(active=True, screen="step", lesson="thu-wifi", step=2),
              f.State(active=True, screen="finish", lesson="thu-wifi"),
              f.State(active=True, screen="ticket", ticket="A001", ticket_from="home"),
              f.State(active=True, screen="home", warning=True)]
    for s in states:
        for modes in (f.Modes(), f.Modes(simple=True), f.Modes(audio=True, large_text=True)):
            st = replace(s, modes=modes)
            v = view_for(st, fixture_catalog)
            reach = K.reachable(v, st)
            assert set(reach) == set(range(len(K.controls(v)))), (s.screen, modes)
            digits = [c.key for c in K.controls(v) if c.key and c.key.isdigit()]
            assert len(digits) == len(set(digits))


# --- audio-first ----------------------------------------------------------------------------

def test_audio_first_speaks_every_arrival_with_the_choices_and_their_keys(machine):
    state, eff = run(machine, [f.Key("3")])                 # Nghe đọc on, from the keypad
    assert state.modes.audio and "phím Enter" in said(eff)[0] and "số 0" in said(eff)[0]
    state, eff = run(machine, [f.Key("enter")], state)
    assert said(eff) and "số 2, Internet" in said(eff)[0] and "Bấm phím số" in said(eff)[0]
    state, eff = run(machine, [f.Key("2")], state)
    assert "Số 1: Kết nối" in said(eff)[0]
    state, eff = run(machine, [f.Key("1")], state)
    assert "Phím Enter: Bắt đầu" in said(eff)[0]
    steps = 0
    while state.screen != "finish":
        state, eff = run(machine, [f.Key("enter")], state)
        assert len(said(eff)) == 1                           # spoken on arrival, once
        steps += state.screen == "step"
    assert steps == 3 and "phím 1, Học bài khác; phím 2, Về trang đầu" in said(eff)[0]
    state, eff = run(machine, [f.Key("2")], state)
    assert state.screen == "welcome" and not state.modes.audio


def test_focus_is_announced_only_in_audio_mode(machine):
    state, _ = run(machine, [f.Tap("start")])
    _, eff = machine.next(state, f.Key("tab"))
    assert not said(eff) and any(isinstance(e, f.Cue) for e in eff)
    state = replace(state, modes=f.Modes(audio=True))
    _, eff = machine.next(state, f.Key("tab"))
    assert said(eff) == ["Internet. phím 2. Bấm Enter để chọn."]


# --- simple mode: two touches -----------------------------------------------------------

def test_simple_mode_speaks_on_first_touch_and_acts_on_second(machine):
    state, _ = run(machine, [f.Tap("mode", "simple"), f.Tap("mode", "simple")])  # confirm the switch
    assert state.modes.simple
    state, eff = machine.next(state, f.Tap("start"))
    assert state.screen == "welcome" and state.armed == ("start", None)
    assert said(eff) == ["Bắt đầu. Chạm lần nữa để chọn."] and logs(eff, "armed")
    state, eff = machine.next(state, f.Tap("start"))
    assert state.screen == "home" and state.armed is None
    state, _ = machine.next(state, f.Tap("topic", "safety"))
    state, eff = machine.next(state, f.Tap("topic", "internet"))     # another control: re-arm
    assert state.screen == "home" and state.armed == ("topic", "internet")
    v = view_for(state, machine.catalog)
    assert K.controls(v)[v.armed].label == "Internet" and v.layout == "tiles"
    assert [c.short for c in v.bar] == ["Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Nhân viên"]
    state, _ = machine.next(state, f.Key("1"))                        # keys act at once
    assert (state.screen, state.topic) == ("topic", "safety")


def test_simple_mode_never_needs_two_touches_to_answer_the_warning(machine):
    state, _ = run(machine, [f.Tap("start", now=0), f.Tap("mode", "simple", now=1)])
    state, _ = machine.next(state, f.Tick(200))
    assert state.warning
    state, _ = machine.next(state, f.Tap("still_here", now=201))
    assert not state.warning and state.extensions == 1


# --- captions, cues, headphones ---------------------------------------------------------

def test_captions_show_the_written_words(fixture_catalog):
    from kiosk.core.runtime import Runtime
    rt = Runtime(fixture_catalog, None)
    rt.tap("mode", "captions")
    rt.tap("mode", "audio")
    rt.tap("start")
    rt.tap("lesson", "thu-wifi")
    assert "Kết nối oai phai" in rt.last_spoken and "Kết nối Wi-Fi" in rt.last_caption  # said / shown
    assert rt.last_caption == rt.view().caption
    cues = []
    rt.on_cue.append(lambda kind, visual: cues.append((kind, visual)))
    rt.tap("call_staff")
    # without a log no number (the staff could never see it): go to the counter (issue #11)
    assert rt.state.ticket is None and rt.state.ticket_failed
    assert "quầy tiếp nhận" in rt.last_caption and "quầy tiếp nhận" in rt.last_spoken
    assert ("ticket", True) in cues                                     # visual in captions mode


def test_every_screen_has_a_spoken_line_and_a_caption(fixture_catalog):
    for screen, extra in [("welcome", {}), ("home", {}), ("settings", {}), ("topic", {"topic": "internet"}),
                          ("intro", {"lesson": "thu-wifi"}), ("step", {"lesson": "thu-wifi", "step": 1}),
                          ("finish", {"lesson": "thu-wifi"}), ("ticket", {"ticket": "B002"})]:
        st = f.State(active=screen != "welcome", screen=screen, modes=f.Modes(captions=True), **extra)
        v = view_for(st, fixture_catalog)
        assert v.spoken.strip() and v.caption and v.caption.strip(), screen


def test_sensitive_step_is_spoken_only_with_headphones(fixture_catalog):
    from kiosk.core.content.lessons import Catalog
    lesson = fixture_catalog.get("thu-otp")
    secret = replace(lesson.steps[0], text="Mã của bạn hiện ở đây", sensitive=True)
    cat = Catalog([replace(lesson, steps=(secret,) + lesson.steps[1:])])
    st = f.State(screen="step", active=True, lesson="thu-otp", step=0)
    v = view_for(st, cat)
    assert "Mã của bạn hiện ở đây" not in compose(v, st, cat, f.Config())
    assert "Mã của bạn hiện ở đây" in compose(v, st, cat, f.Config(headphones=True))
    assert "Mã của bạn hiện ở đây" not in (v.caption or "")


def test_push_to_talk_without_voice_says_so_on_screen(fixture_catalog):
    from kiosk.core.runtime import Runtime
    rt = Runtime(fixture_catalog, None)
    rt.key("space")
    assert "Giọng nói đang tắt" in rt.notices["voice_off"] and "Giọng nói" in rt.last_caption
    rt.key("enter")  # touch and keys keep working
    assert rt.state.screen == "home"
    heard = []
    rt.on_listen.append(lambda: heard.append(1))
    rt.key("space")
    assert heard == [1]


def test_warning_and_ticket_give_cues(machine):
    state, _ = run(machine, [f.Tap("start", now=0)])
    state, eff = machine.next(state, f.Tick(95))
    assert [e.kind for e in eff if isinstance(e, f.Cue)] == ["warning"]


# --- sizes and colours -------------------------------------------------------------------

@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920), (1366, 768)])
def test_large_text_is_at_least_1_6_times_every_text_and_targets_stay_big(size):
    panel = L.Panel()
    normal, large = L.sizes_for(*size, False, panel), L.sizes_for(*size, True, panel)
    for role, px in normal.text_sizes().items():
        assert L.px(large.text_sizes()[role]) >= 1.6 * L.px(px), role  # whole pixels, as drawn
    for s in (normal, large):
        assert s.target >= 20 * panel.px_per_mm and s.gap >= 5 * panel.px_per_mm
    assert round(panel.px_per_mm, 2) == 4.03


def test_panel_from_environment(monkeypatch):
    monkeypatch.setenv("KIOSK_SCREEN_INCHES", "18.5")
    monkeypatch.setenv("KIOSK_SCREEN_SIZE", "1366x768")
    p = L.panel_from_env()
    assert (p.inches, p.width, p.height) == (18.5, 1366, 768) and 3.3 < p.px_per_mm < 3.4
    assert L.sizes_for(1366, 768, False, p).target >= 20 * p.px_per_mm


def test_every_colour_pair_meets_its_contrast():
    from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, contrast, text_pairs
    for name, (fg, bg) in text_pairs(HIGH_CONTRAST).items():
        assert contrast(fg, bg) >= 7.0, name
    for name, (fg, bg) in text_pairs(NORMAL).items():
        assert contrast(fg, bg) >= 4.5, name


def test_caption_pieces_fit_two_lines():
    text = ("Bước 3 trên 8. Mở trang học. Mở trình duyệt, gõ địa chỉ trang học. "
            "Các lựa chọn: phím 1, Chữ to, đang tắt; phím 2, Tương phản cao, đang tắt. Phím Enter: Tiếp.")
    pieces = L.chunks(text, 30, 600)
    assert len(pieces) > 2 and " ".join(pieces).split() == text.split()
    assert all(L.text_block(p, 30, 600)[0] <= 2 for p in pieces)


# --- the text-fit check ------------------------------------------------------------------

def too_long(tmp_path):
    src = (tmp_path / "thu-dai.yaml")
    item = ("Giấy tờ tùy thân có ảnh, còn hạn sử dụng, bản gốc và một bản chụp rõ ràng "
            "của cả hai mặt, mang theo khi đến làm thủ tục tại bộ phận một cửa")
    src.write_text(f"""id: thu-dai
title: Một bài có phần chuẩn bị rất dài để thử
topic: internet
summary: Bài thử.
bring:
{chr(10).join(f'  - {item} {i}' for i in range(1, 7))}
time_needed: Khoảng 5 phút
steps:
  - title: Bước ngắn
    text: Một bước ngắn.
sources:
  - url: https://example.gov.vn/bai-thu-dai
    title: Nền tảng Bình dân học vụ số
    checked: 2026-11-25
reviewed: 2026-11-25
""", encoding="utf-8")
    return src


def test_lessons_check_reports_what_cannot_fit_in_large_text(tmp_path, kiosk):
    path = too_long(tmp_path)
    r = kiosk("lessons", "check", path)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert any(l.startswith(f"{path}:5: the introduction") and "large-text mode" in l
               and "1366x768" in l for l in lines), lines


def test_project_lessons_fit_every_size(fixture_catalog):
    from kiosk import paths
    from kiosk.core.screens.fit import check_fit
    from kiosk.core.content.lessons import load_catalog
    assert check_fit(load_catalog(paths.lessons_dir())) == []
    assert check_fit(fixture_catalog) == []


# --- the log: modes per session and in the report ------------------------------------------

def test_modes_in_the_session_row_and_the_report(tmp_path, fixture_catalog):
    from kiosk.core.data.report import build_report, report_csv
    from kiosk.core.runtime import Runtime
    from kiosk.core.data.store import Store
    store = Store(tmp_path / "k.sqlite3")
    rt = Runtime(fixture_catalog, store)
    rt.tap("mode", "large_text")
    rt.tap("mode", "captions")
    rt.tap("start")
    assert json.loads(store.sessions()[0]["modes"]) == ["captions", "large_text"]  # while open
    rt.tap("mode", "captions")   # off again: still used in this session
    rt.tap("back")               # home -> ends the session
    rt.tap("start")              # next visitor: nothing carried over
    assert rt.state.modes == f.Modes()
    rt.tap("mode", "audio")
    rt.tap("back")
    rows = store.sessions()
    assert [json.loads(r["modes"]) for r in rows] == [["captions", "large_text"], ["audio"]]
    report = build_report(store)
    assert report["modes"] == {"large_text": 1, "high_contrast": 0, "audio": 1, "simple": 0, "captions": 1}
    assert "sessions_with_mode_audio,,,,1" in report_csv(report)
    kinds = [(e["session_id"], e["kind"]) for e in store.events() if e["kind"] == "mode"]
    assert len({sid for sid, _ in kinds}) == 2 and len(kinds) == 4
