"""Voice through the flow (kiosk.core.visit.voice): heard text -> intent -> act, confirm, or ask again.

Pure: the real flow, the real intent parser and real views; no Kivy, no audio, no database.
"""

from dataclasses import replace

import pytest

from flowkit import logs, run
from flowkit import said as says
from kiosk.core.visit import flow as f
from kiosk.core.visit import voice
from kiosk.core.runtime import Runtime
from kiosk.core.screens.views import view_for


@pytest.fixture
def machine(fixture_catalog):
    return f.Flow(fixture_catalog, f.Config(idle_after=90, answer_within=30))




def on_step(machine, step=0):
    state, _ = run(machine, [f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin")])
    for _ in range(step):
        state, _ = machine.next(state, f.Tap("next"))
    return state


def test_a_confident_command_acts_at_once(machine):
    state = on_step(machine)
    state, effects = machine.next(state, f.Heard("tiếp theo"))
    assert (state.screen, state.step) == ("step", 1)
    assert logs(effects, "voice") == [{"intent": "next", "heard": "tiếp theo"}]
    assert isinstance(effects[0], f.StopSpeech)  # speaking stops before anything else
    state, _ = machine.next(state, f.Heard("cho tui coi lại bước trước"))  # central wording
    assert state.step == 0
    state, _ = machine.next(state, f.Heard("tiep tuc"))  # typed without diacritics
    assert state.step == 1


def test_whole_lesson_by_voice_ends_with_a_confirmed_home(machine):
    state, _ = run(machine, [f.Heard("bắt đầu")])
    assert state.screen == "home" and state.active
    state, _ = run(machine, [f.Heard("mạng internet")], state)
    assert (state.screen, state.topic) == ("topic", "internet")
    state, _ = run(machine, [f.Heard("bài kết nối wi-fi")], state)
    assert (state.screen, state.lesson) == ("intro", "thu-wifi")
    state, _ = run(machine, [f.Heard("bắt đầu"), f.Heard("tiếp"), f.Heard("tiếp"), f.Heard("xong rồi")],
                   state)
    assert state.screen == "finish"
    state, effects = machine.next(state, f.Heard("về trang chủ"))
    assert state.screen == "confirm" and state.confirm.intent == "home"
    assert says(effects) == ["Bạn muốn về trang chủ, đúng không? " + voice.CONFIRM_HINT]
    state, effects = machine.next(state, f.Heard("đúng rồi"))
    assert state.screen == "home" and state.confirm is None
    assert logs(effects, "voice_confirm") == [{"intent": "home", "answer": "yes"}]


def test_call_staff_is_confirmed_then_the_ticket_keeps_context(machine):
    state = on_step(machine, 1)
    state, effects = machine.next(state, f.Heard("gọi nhân viên"))
    assert state.screen == "confirm"
    assert not [e for e in effects if isinstance(e, f.CreateTicket)]  # nothing irreversible yet
    view = view_for(state, machine.catalog)
    assert view.screen == "confirm" and view.title == "Bạn muốn gọi nhân viên, đúng không?"
    assert [(c.label, c.action) for c in view.choices] == [("Đúng", "yes"), ("Không", "no")]
    assert "gọi nhân viên" in view.body[0]  # what the machine heard is shown
    state, effects = machine.next(state, f.Tap("yes"))  # the big Đúng button
    tickets = [e for e in effects if isinstance(e, f.CreateTicket)]
    assert len(tickets) == 1 and tickets[0].context["screen"] == "step"
    assert tickets[0].context["step"] == 2
    assert state.screen == "ticket" and state.ticket_from == "step"


def test_no_cancels_and_returns_to_the_same_step(machine):
    state = on_step(machine, 2)
    state, _ = machine.next(state, f.Heard("gọi nhân viên"))
    state, effects = machine.next(state, f.Heard("không phải"))
    assert (state.screen, state.step, state.confirm) == ("step", 2, None)
    assert says(effects) == [voice.CANCELLED]
    state, _ = machine.next(state, f.Heard("trang chủ"))
    state, _ = machine.next(state, f.Tap("no"))  # the Không button
    assert (state.screen, state.step) == ("step", 2)


def test_other_actions_drop_the_question_and_back_means_no(machine):
    state = on_step(machine, 1)
    asked, _ = machine.next(state, f.Heard("gọi nhân viên"))
    # Nghe lại and Chữ to keep the question on screen; Nghe lại says it again
    again, effects = machine.next(asked, f.Tap("repeat"))
    assert again.screen == "confirm" and "đúng không" in says(effects)[0]
    bigger, _ = machine.next(again, f.Tap("large_text"))
    assert bigger.screen == "confirm" and bigger.modes.large_text
    back, _ = machine.next(bigger, f.Tap("back"))  # a back key on the question = Không
    assert (back.screen, back.step, back.confirm) == ("step", 1, None)
    moved, _ = machine.next(asked, f.Tap("next"))  # any other action: question dropped, acts
    assert (moved.screen, moved.step, moved.confirm) == ("step", 2, None)


def test_an_unsure_match_is_confirmed(machine):
    state = on_step(machine)
    state, effects = machine.next(state, f.Heard("tiếp theo đi cái màn hình xanh"))
    assert state.screen == "confirm" and state.confirm.intent == "next"
    conf = logs(effects, "voice_confirm")[0]["confidence"]
    assert 0.5 <= conf < 0.8
    state, _ = machine.next(state, f.Heard("ừ"))
    assert (state.screen, state.step) == ("step", 1)


def test_not_understood_is_noted_said_shown_and_touch_still_works(machine):
    state = on_step(machine, 1)
    state, effects = machine.next(state, f.Heard("hôm nay trời mưa to quá"))
    assert (state.screen, state.step) == ("step", 1)
    assert "voice_not_understood" in state.errors
    assert logs(effects, "problem") == [{"what": "voice_not_understood"}]
    assert logs(effects, "voice") == [{"intent": None, "words": 6}]  # the words are not kept
    said = says(effects)[0]
    assert said.startswith(voice.NOT_UNDERSTOOD) and "chạm vào nút" in said
    view = view_for(state, machine.catalog)
    assert view.body[0] == said  # shown on the screen too
    state, effects = machine.next(state, f.Tap("call_staff"))  # travels with the ticket
    ticket = next(e for e in effects if isinstance(e, f.CreateTicket))
    assert "voice_not_understood" in ticket.context["errors"]


def test_not_understood_names_the_buttons_that_match(machine):
    state = on_step(machine, 1)
    # "nghe" alone means nothing here, but the Nghe lại button carries the words
    state, effects = machine.next(state, f.Heard("lại nghe"))
    assert state.screen == "step"
    assert "«Nghe lại»" in says(effects)[0]
    assert voice.matching_labels("gọi cái ông nhân viên kia đi", ["Quay lại", "Gọi nhân viên"]) == \
        ["Gọi nhân viên"]
    assert voice.matching_labels("goi nhan vien", ["Gọi nhân viên"]) == ["Gọi nhân viên"]
    assert voice.matching_labels("", ["Tiếp"]) == []
    # the note goes away with the next action, spoken or touched
    asked, _ = machine.next(state, f.Heard("gọi nhân viên"))
    assert asked.heard_note is None
    assert not view_for(asked, machine.catalog).body[0].startswith(voice.NOT_UNDERSTOOD)
    state, _ = machine.next(state, f.Tap("repeat"))
    assert state.heard_note is None


def test_heard_digits_are_never_logged(machine):
    state = on_step(machine)
    state, effects = machine.next(state, f.Heard("tiếp theo 0912345678"))
    for data in logs(effects, "voice") + logs(effects, "voice_confirm"):
        assert "0912" not in str(data)
    if state.screen == "confirm":
        assert "0912" not in view_for(state, machine.catalog).body[0]


def test_voice_only_uses_what_this_screen_accepts(machine):
    state, _ = run(machine, [f.Tap("start")])
    state, _ = machine.next(state, f.Heard("tiếp theo"))  # no "next" on the home screen
    assert state.screen == "home" and "voice_not_understood" in state.errors
    state, _ = machine.next(state, f.Heard("đúng rồi"))  # an answer with no question
    assert state.screen == "home"


def test_push_to_talk_stops_speech_and_asks_the_speech_layer_to_listen(machine):
    state = on_step(machine)
    state, effects = machine.next(state, f.Tap("push_to_talk"))
    assert isinstance(effects[0], f.StopSpeech)
    assert any(isinstance(e, f.Listen) for e in effects)
    # on the question, pressing the microphone keeps the question
    asked, _ = machine.next(state, f.Heard("gọi nhân viên"))
    still, _ = machine.next(asked, f.Tap("push_to_talk"))
    assert still.screen == "confirm"


def test_a_word_answers_the_idle_warning(machine):
    state = on_step(machine)
    state, _ = machine.next(state, f.Tick(state.last_input + 91))
    assert state.warning
    state, _ = machine.next(state, f.Heard("tiếp", now=state.last_input + 95))
    assert not state.warning and state.step == 1


def test_session_end_forgets_the_question(machine):
    state = on_step(machine)
    state, _ = machine.next(state, f.Heard("gọi nhân viên"))
    state, _ = machine.next(state, f.Tick(state.last_input + 91))
    state, _ = machine.next(state, f.Tick(state.last_input + 125))
    assert state == f.State(last_input=state.last_input)


def test_runtime_heard_and_push_to_talk_without_a_speech_layer(fixture_catalog):
    rt = Runtime(fixture_catalog, None)
    said = []
    rt.on_say.append(lambda text, why, rate: said.append(text))
    rt.heard("bắt đầu")
    assert rt.state.screen == "home"
    rt.push_to_talk()  # no speech layer attached: the visitor is told, touch keeps working
    assert said[-1] == voice.VOICE_OFF and rt.notices["voice_off"] == voice.VOICE_OFF
    heard = []
    rt.on_listen.append(lambda: heard.append(True))
    rt.push_to_talk()
    assert heard == [True]
    rt.tap("topic", "internet")
    assert rt.state.screen == "topic"


def test_narration_plays_only_for_a_plain_step(fixture_catalog, tmp_path):
    lesson = fixture_catalog.get("thu-wifi")
    wav = tmp_path / "n.wav"
    wav.write_bytes(b"RIFF")
    steps = (replace(lesson.steps[0], audio=wav), replace(lesson.steps[1], audio=wav, sensitive=True))
    fixture_catalog_lessons = {lesson.id: replace(lesson, steps=steps + lesson.steps[2:])}

    class Cat:
        def get(self, i):
            return fixture_catalog_lessons.get(i)

    s = f.State(screen="step", active=True, lesson="thu-wifi", step=0)
    assert voice.narration_for(s, Cat()) == wav
    assert voice.narration_for(replace(s, step=1), Cat()) is None   # sensitive: never
    assert voice.narration_for(replace(s, step=2), Cat()) is None   # no narration
    assert voice.narration_for(replace(s, warning=True), Cat()) is None
    assert voice.narration_for(replace(s, screen="intro"), Cat()) is None


def test_screen_lines_are_what_the_kiosk_says(machine):
    lines = voice.screen_lines(machine.catalog)
    state = on_step(machine, 1)
    assert machine.spoken(state) in lines
    assert machine.spoken(f.State()) in lines
    assert all(line == line.strip() and line for line in lines)
