"""Practice copies, scam drills and the quiz in the pure flow: no Kivy, no audio, no database."""

import random
import re

import pytest
from dataclasses import replace

from conftest import ROOT
from kiosk.core.visit import flow as f
from kiosk.core.content.lessons import load_catalog
from kiosk.core.content.practice import made_up_codes
from kiosk.core.visit.practice_flow import DrillRun, PracticeRun, QuizRun
from kiosk.core.content.lexicon import spoken_form  # the voice's words, applied before the engine
from kiosk.core.screens.views import spoken_line, view_for

FIXTURE = ROOT / "tests" / "fixtures" / "practice_lessons"


@pytest.fixture
def catalog():
    c = load_catalog(FIXTURE)
    assert not c.problems, c.problems
    return c


@pytest.fixture
def machine(catalog):
    m = f.Flow(catalog, f.Config(idle_after=90, answer_within=30))
    m.activities.rng = lambda pid: random.Random(f"test:{pid}")
    return m


class Journey:
    def __init__(self, machine, catalog):
        self.m, self.catalog = machine, catalog
        self.state = f.State()
        self.effects = []

    def __call__(self, *events):
        for e in events:
            self.state, effects = self.m.next(self.state, e)
            self.effects += effects
        return self

    def view(self):
        return view_for(self.state, self.catalog)

    def logs(self, kind):
        return [e.data for e in self.effects if isinstance(e, f.Log) and e.kind == kind]

    def said(self):
        return [e.text for e in self.effects if isinstance(e, f.Say)]

    def codes(self):
        return self.state.activity.code_map


@pytest.fixture
def j(machine, catalog):
    return Journey(machine, catalog)


def to_practice(j):
    return j(f.Tap("start"), f.Tap("topic", "safety"), f.Tap("lesson", "thu-otp"), f.Tap("practice", "thu-ma"))


def test_made_up_codes_are_fresh_digits_and_seedable():
    a, b = made_up_codes(random.Random(1)), made_up_codes(random.Random(1))
    assert a == b and re.fullmatch(r"\d{6}", a["otp"]) and re.fullmatch(r"\d{6}", a["passcode"])
    assert a["otp"] != a["passcode"] and a["file_no"].startswith("HS-TAP-")
    system = {made_up_codes(random.SystemRandom())["otp"] for _ in range(20)}
    assert len(system) > 15


def test_intro_offers_thu_lam_only_where_a_practice_is_mapped(j):
    j(f.Tap("start"), f.Tap("lesson", "thu-otp"))
    v = j.view()
    labels = [c.label for c in v.choices + v.bar]  # the main action (Bắt đầu) sits in the bar
    assert "Bắt đầu" in labels and "Thử làm" in labels and "Thử làm" in v.spoken
    j(f.Tap("lesson", "thu-wifi"))
    v = j.view()
    labels = [c.label for c in v.choices + v.bar]
    assert "Bắt đầu" in labels and "Thử làm" not in labels


def test_practice_start_shows_the_copy_marked_as_practice(j):
    to_practice(j)
    v = j.view()
    assert j.state.screen == "practice" and isinstance(j.state.activity, PracticeRun)
    assert v.progress == "Bước 1/3" and v.phone.marker == "Bản tập – không phải thật"
    assert [c.label for c in v.choices] == ["Làm lại"]
    assert [c.label for c in v.bar] == ["Quay lại", "Nghe lại", "Chữ to", "Cách dùng", "Gọi nhân viên"]
    assert j.logs("practice_start") == [{"practice": "thu-ma", "from_lesson": "thu-otp"}]


def test_wrong_tap_is_corrected_gently_then_hinted(j):
    to_practice(j)
    j(f.Tap("p_tap", "zalo"))
    assert j.state.activity.step == 0 and j.view().feedback == ("bad", "Đó là Zalo, không phải ngân hàng.")
    assert spoken_form(j.said()[-1]).startswith("Đó là da lô")  # spoken as pronounced and j.logs("practice_mistake")[0]["tapped"] == "zalo"
    assert any("practice thu-ma step 1" in e for e in j.state.errors)  # travels with a ticket
    assert j.view().phone.hint is None
    j(f.Tap("p_tap", "zalo"))
    v = j.view()
    assert v.phone.hint == "bank" and "viền vàng" in v.feedback[1]
    j(f.Tap("p_tap", "bank"))
    assert j.state.activity.step == 1 and j.view().feedback == ("ok", "Đúng rồi.")
    assert j.view().phone.hint is None and j.said()[-1].startswith("Đúng rồi. Bước 2 trên 3.")


def test_keypad_types_deletes_caps_and_checks_the_code(j):
    to_practice(j)
    j(f.Tap("p_tap", "bank"))
    otp = j.codes()["otp"]
    j(*[f.Tap("p_key", d) for d in "12"], f.Tap("p_key", "del"))
    assert j.state.activity.typed == "1"
    j(*[f.Tap("p_key", "9")] * 12)
    assert len(j.state.activity.typed) == 6  # capped at the field's length
    assert otp != "199999"  # the seeded code
    j(f.Tap("p_tap", "gui"))
    assert j.view().feedback == ("bad", "Mã chưa đúng, gõ lại.") and j.state.activity.typed == ""
    j(*[f.Tap("p_key", d) for d in otp], f.Tap("p_tap", "gui"))
    assert j.state.activity.step == 2
    assert dict((fld, v) for _, fld, v in j.state.activity.values)["ma"] == otp


def test_codes_are_shown_but_never_spoken(j):
    to_practice(j)
    otp = j.codes()["otp"]
    j(f.Tap("p_tap", "bank"))
    v = j.view()
    assert otp in v.body[0] and any(otp in (i.text or "") for i in v.phone.items)  # shown
    j(f.Tap("repeat"), *[f.Tap("p_key", d) for d in otp], f.Tap("p_tap", "gui"))
    assert otp in j.view().feedback[1]  # the praise shows it...
    said = j.said() + [spoken_line(j.state, j.catalog)]
    assert said and not any(otp in s for s in said)  # ...the voice never says it
    assert any("mã hiện trên màn hình" in s for s in said)


def test_codes_are_spoken_only_into_headphones_in_audio_mode(j):
    """EN 301 549: private data only spoken privately; without sight the visitor needs the code."""
    to_practice(j)
    otp = j.codes()["otp"]
    j(f.Tap("p_tap", "bank"))
    assert otp not in spoken_line(j.state, j.catalog)
    j.state = replace(j.state, modes=replace(j.state.modes, audio=True))
    assert otp not in spoken_line(j.state, j.catalog)      # audio mode, loudspeaker: not said
    j.state = replace(j.state, private=True)
    assert otp in spoken_line(j.state, j.catalog)          # headphones: said, to be typed


def test_audio_without_headphones_takes_any_digits_and_says_so(j):
    """A blind visitor without headphones never hears the made-up code: the step says that any
    six digits do, and takes them; with headphones, or with sight, only the code does."""
    to_practice(j)
    j(f.Tap("p_tap", "bank"))
    otp = j.codes()["otp"]
    other = "".join(str((int(d) + 1) % 10) for d in otp)
    assert "bất kỳ" not in spoken_line(j.state, j.catalog)  # sighted: the code is on screen
    j(*[f.Tap("p_key", d) for d in other], f.Tap("p_tap", "gui"))
    assert j.state.activity.step == 1 and j.view().feedback[0] == "bad"
    j.state = replace(j.state, private=True, modes=replace(j.state.modes, audio=True))
    assert "bất kỳ" not in spoken_line(j.state, j.catalog)  # headphones: the code is said
    j(*[f.Tap("p_key", d) for d in other], f.Tap("p_tap", "gui"))
    assert j.state.activity.step == 1
    j.state = replace(j.state, private=False)
    line = spoken_line(j.state, j.catalog)
    assert "gõ 6 chữ số bất kỳ" in line and otp not in line
    j(*[f.Tap("p_key", d) for d in other[:5]], f.Tap("p_tap", "gui"))
    assert j.state.activity.step == 1  # five digits are not a code
    j(*[f.Tap("p_key", d) for d in other], f.Tap("p_tap", "gui"))
    assert j.state.activity.step == 2


def test_whole_practice_logs_finish_and_first_try(j):
    to_practice(j)
    j(f.Tap("p_tap", "bank"))
    otp = j.codes()["otp"]
    j(*[f.Tap("p_key", d) for d in otp], f.Tap("p_tap", "gui"), f.Tap("p_tap", "ket-qua"))
    assert j.state.screen == "practice_done"
    assert j.logs("practice_finish") == [{"practice": "thu-ma", "first_try": True, "mistakes": 0, "restarts": 0}]
    assert [c.label for c in j.view().choices] == ["Làm lại", "Về bài học", "Về trang đầu"]
    assert j.view().feedback[1].startswith("Rất tốt, mã HS-TAP-")
    j(f.Tap("p_restart"))
    assert j.state.screen == "practice" and j.state.activity.step == 0 and j.state.activity.restarts == 1
    j(f.Tap("p_tap", "zalo"), f.Tap("p_tap", "bank"))
    j(*[f.Tap("p_key", d) for d in j.codes()["otp"]], f.Tap("p_tap", "gui"), f.Tap("p_tap", "ket-qua"))
    assert j.logs("practice_finish")[-1]["first_try"] is False
    j(f.Tap("p_leave"))
    assert (j.state.screen, j.state.lesson, j.state.activity) == ("intro", "thu-otp", None)


def test_back_steps_back_and_undoes_then_leaves(j):
    to_practice(j)
    j(f.Tap("p_tap", "bank"))
    assert j.state.activity.filled == ((0, "bank"),)
    j(f.Tap("back"))
    assert j.state.activity.step == 0 and j.state.activity.filled == ()
    j(f.Tap("back"))
    assert j.state.screen == "intro" and j.state.activity is None


def test_staff_call_from_a_practice_carries_context_and_resumes(j):
    to_practice(j)
    j(f.Tap("p_tap", "bank"), f.Tap("p_key", "4"), f.Tap("call_staff"))
    ticket = [e for e in j.effects if isinstance(e, f.CreateTicket)][-1]
    assert ticket.context["practice"] == "thu-ma" and ticket.context["practice_step"] == 2
    j(f.TicketCreated("A001"), f.Tap("resume"))
    assert j.state.screen == "practice" and j.state.activity.step == 1 and j.state.activity.typed == "4"


def test_idle_timeout_wipes_a_practice(j):
    j(f.Tap("start", now=0), f.Tap("lesson", "thu-otp", now=0), f.Tap("practice", "thu-ma", now=1))
    j(f.Tick(95), f.Tick(130))
    assert j.state == f.State(last_input=j.state.last_input) and j.state.activity is None


def test_keys_and_taps_outside_a_practice_are_ignored(j):
    j(f.Tap("start"), f.Tap("p_tap", "bank"), f.Tap("p_key", "1"), f.Tap("practice", "nope"))
    assert j.state.screen == "home"
    assert j.logs("problem") == [{"what": "unknown practice nope"}]


def test_drills_from_safety_topic_wrong_then_right(j):
    j(f.Tap("start"), f.Tap("topic", "safety"))
    choices = j.view().choices
    assert choices[-1].label == "Nhận biết lừa đảo" and "Nhận biết lừa đảo" in j.view().spoken
    j(f.Tap("drills"))
    assert j.state.screen == "drills" and [c.label for c in j.view().choices] == ["Tin nhắn đòi mã OTP", "Cuộc gọi xưng công an"]
    j(f.Tap("drill", "1-thu"))
    v = j.view()
    assert v.progress == "Tình huống 1/2" and v.phone.marker.startswith("Bài tập nhận biết lừa đảo")
    assert "Bạn trúng thưởng" in j.said()[-1]  # the message is spoken as well as shown
    j(f.Tap("drill_answer", "0"))
    assert j.view().feedback == ("bad", "Chưa an toàn. Không đưa mã OTP cho ai. Hãy chọn lại.")
    assert [c.label for c in j.view().choices] == ["Gửi mã OTP", "Không trả lời"]  # choose again
    j(f.Tap("drill_answer", "1"))
    assert j.view().feedback == ("ok", "Đúng rồi! Mã OTP chỉ để bạn tự nhập.")
    assert [c.label for c in j.view().choices] == ["Tình huống tiếp theo", "Về danh sách"]
    assert j.logs("drill_answer") == [{"drill": "1-thu", "choice": 1, "right": False, "first": True},
                                      {"drill": "1-thu", "choice": 2, "right": True, "first": False}]
    j(f.Tap("drill_answer", "0"))  # already solved: ignored
    assert len(j.logs("drill_answer")) == 2
    j(f.Tap("drill_next"), f.Tap("drill_answer", "0"))
    assert j.state.activity.drill == "2-thu" and j.state.activity.solved
    assert [c.label for c in j.view().choices] == ["Về danh sách"]
    j(f.Tap("drills"))
    assert all("đã làm đúng" in c.detail for c in j.view().choices)
    j(f.Tap("back"))
    assert (j.state.screen, j.state.topic) == ("topic", "safety")


def test_quiz_after_last_step_then_finish_with_score(j):
    j(f.Tap("start"), f.Tap("lesson", "thu-otp"), f.Tap("begin"), f.Tap("next"), f.Tap("done"))
    assert j.state.screen == "quiz" and j.logs("lesson_finish") == [{"lesson": "thu-otp"}]
    v = j.view()
    assert v.progress == "Câu 1/1" and [c.label for c in v.choices] == ["Đọc mã cho họ", "Tắt máy và báo Công an xã"]
    assert not [c for c in v.bar if c.action in ("next", "done")]  # answer first
    j(f.Tap("done"))
    assert j.state.screen == "quiz" and j.said()[-1] == "Hãy chạm vào một câu trả lời."
    j(f.Tap("quiz_answer", "0"))
    v = j.view()
    assert v.feedback[0] == "bad" and "Câu đúng là: Tắt máy và báo Công an xã" in v.feedback[1]
    assert "Công an không bao giờ hỏi mã ô tê pê" in spoken_form(j.said()[-1])
    assert j.logs("quiz_answer") == [{"lesson": "thu-otp", "question": 1, "of": 1, "right": False}]
    j(f.Tap("done"))
    assert j.state.screen == "finish" and "Kiểm tra nhanh: đúng 0/1 câu." in j.view().body


def test_lesson_without_quiz_goes_straight_to_finish(j):
    j(f.Tap("start"), f.Tap("lesson", "thu-wifi"), f.Tap("begin"), f.Tap("next"), f.Tap("next"), f.Tap("done"))
    assert j.state.screen == "finish" and not isinstance(j.state.activity, QuizRun)


def test_back_from_first_question_returns_to_last_step(j):
    j(f.Tap("start"), f.Tap("lesson", "thu-otp"), f.Tap("begin"), f.Tap("next"), f.Tap("done"), f.Tap("back"))
    assert (j.state.screen, j.state.step, j.state.activity) == ("step", 1, None)


def test_every_screen_of_the_project_content_builds_a_view():
    """Walk the real lessons' practices and drills through the pure flow, building each view."""
    catalog = load_catalog(ROOT / "lessons")
    m = f.Flow(catalog)
    m.activities.rng = lambda pid: random.Random(pid)
    for p in catalog.practice.practices:
        j = Journey(m, catalog)
        j(f.Tap("start"), f.Tap("lesson", p.lessons[0]), f.Tap("practice", p.id))
        for step in p.steps:
            assert j.view().phone is not None
            if step.expect.tap:
                j(f.Tap("p_tap", step.expect.tap))
            else:
                value = step.expect.value.format(**j.codes())
                j(*[f.Tap("p_key", d) for d in value], f.Tap("p_tap", step.expect.submit))
        assert j.state.screen == "practice_done" and j.logs("practice_finish")[0]["first_try"], p.id
        codes = set(j.codes()[k] for k in ("otp", "passcode"))
        assert not any(c in s for c in codes for s in j.said()), p.id
    j = Journey(m, catalog)
    j(f.Tap("start"), f.Tap("drills"))
    assert len(j.view().choices) >= 6
    for d in catalog.practice.drills:
        j(f.Tap("drill", d.id), f.Tap("drill_answer", str([c.right for c in d.choices].index(True))))
        assert j.state.activity.solved and j.view().feedback[0] == "ok"
    assert isinstance(j.state.activity, DrillRun)
