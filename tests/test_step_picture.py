"""Lesson step pictures (issue 13 §1): the format, the checks, and the picture said in words.

Plain Python (no Kivy): the drawing is tested in test_gui_pictures.py.
"""

import json
from dataclasses import replace

import pytest

from conftest import ROOT
from test_lesson_schema import edit, folder, line_of  # noqa: F401 (folder: the lessons fixture copied)
from kiosk.core.visit.flow import Modes
from kiosk.core.content.lessons import load_catalog
from kiosk.core.screens.fit import check_paths
from kiosk.core.content.step_picture import SIGNS, describe, steps_with_picture
from kiosk.core.screens.views import view_for

CATALOG = load_catalog(ROOT / "lessons")


def problems(folder):
    return [(p.line, p.message) for p in check_paths([folder]).problems]


# --- every lesson of the project ------------------------------------------------------------

def test_every_step_of_every_lesson_has_a_picture():
    assert len(CATALOG.lessons) >= 26 and not CATALOG.problems
    for lesson in CATALOG.lessons:
        assert steps_with_picture(lesson) == len(lesson.steps), lesson.id
        for step in lesson.steps:
            pic = step.picture
            assert (pic.screen is not None) != (pic.sign is not None), (lesson.id, step.title)


def test_screen_pictures_show_the_control_the_text_names():
    """A step that says to touch a control names it: the drawn screen shows that label."""
    for lesson in CATALOG.lessons:
        for step in lesson.steps:
            pic = step.picture
            if pic.screen is not None and pic.touch:
                label = pic.screen.label_of(pic.touch) or pic.screen.item(pic.touch).label
                assert label, (lesson.id, step.title)


def test_lessons_list_json_counts_steps_with_picture(kiosk):
    r = kiosk("lessons", "list", "--json", "--lessons", ROOT / "lessons")
    rows = json.loads(r.stdout)
    assert rows and all(row["steps_with_picture"] == row["steps"] for row in rows)


# --- the editor's check -----------------------------------------------------------------------

def test_a_step_without_a_picture_is_a_problem_with_its_line(folder, kiosk):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "    picture: {sign: wifi, label: Wi-Fi}\n", "")
    assert problems(folder) == [(line_of(wifi, "- title: Chọn Wi-Fi"), "step 2 has no picture; add "
                                 "'picture:' (a screen with 'touch', or a 'sign') or 'image:'")]
    r = kiosk("lessons", "check", folder)
    assert r.returncode == 1 and f"thu-wifi.yaml:{line_of(wifi, '- title: Chọn Wi-Fi')}: step 2 has no picture" in r.stdout


@pytest.mark.parametrize("picture, words", [
    ("{sign: wifi, touch: cai-dat}", "a pictogram ('sign') has only 'label'"),
    ("{sign: wifi, screen: phone/settings}", "needs exactly one of"),
    ("{sign: rainbow}", "'rainbow' is not one of"),
    ("{screen: settings}", "'screen' is FILE/NAME"),
    ("{items: [{kind: button, id: x, label: Nút}]}", "needs its 'title'"),
    ("{screen: phone/no-such-screen}", "no shared screen 'phone/no-such-screen'"),
    ("{title: Máy, items: [{kind: button, id: ok, label: Đồng ý}], touch: khac}",
     "'touch' names 'khac', which is not an element of its screen"),
])
def test_a_wrong_picture_is_reported_on_its_line(folder, picture, words):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "    picture: {sign: wifi, label: Wi-Fi}", f"    picture: {picture}")
    found = problems(folder)
    assert any(words in m and line == line_of(wifi, "    picture: " + picture[:12]) for line, m in found), found


def test_a_shared_screen_in_the_screens_folder_is_found(folder):
    (folder / "screens").mkdir()
    (folder / "screens" / "may.yaml").write_text(
        "screens:\n  cai-dat:\n    title: Cài đặt\n    items:\n      - kind: list\n        rows:\n"
        "          - id: wifi\n            label: Wi-Fi\n", encoding="utf-8")
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "    picture: {sign: wifi, label: Wi-Fi}", "    picture: {screen: may/cai-dat, touch: wifi}")
    assert problems(folder) == []
    step = load_catalog(folder).get("thu-wifi").steps[1]
    assert step.picture.screen.title == "Cài đặt" and step.picture.touch == "wifi"


def test_a_broken_picture_never_hides_the_lesson_from_the_kiosk(folder):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "    picture: {sign: wifi, label: Wi-Fi}", "    picture: {screen: may/none}")
    catalog = load_catalog(folder)
    lesson = catalog.get("thu-wifi")
    assert lesson is not None and lesson.steps[1].picture is None  # the step keeps its words
    assert any("no shared screen" in p.message for p in catalog.problems)


def test_next_must_name_a_lesson(folder):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "time_needed: Khoảng 5 phút\n", "time_needed: Khoảng 5 phút\nnext: khong-co\n")
    assert problems(folder) == [(1, "'next' names 'khong-co', which is not a lesson")]


# --- in words (Nghe đọc) ----------------------------------------------------------------------

def _step_picture(lesson_id, index):
    return CATALOG.get(lesson_id).steps[index].picture


def test_describe_a_primary_button():
    pic = _step_picture("vneid-cai-dat-kich-hoat", 3)   # Gửi yêu cầu, the last of three
    assert describe(pic) == ("Hình minh họa: trên màn hình Kích hoạt tài khoản có nút "
                             "Gửi yêu cầu màu đỏ, ở dưới.")


def test_describe_the_login_button_in_the_middle():
    pic = replace(_step_picture("vneid-quen-mat-khau", 0), touch="dang-nhap")
    assert describe(pic) == ("Hình minh họa: trên màn hình VNeID – Đăng nhập có nút Đăng nhập "
                             "màu đỏ, ở giữa.")


def test_describe_a_plain_button_an_app_icon_and_the_keypad_corner():
    login = _step_picture("vneid-quen-mat-khau", 0)
    assert describe(login).endswith("có nút Quên mật khẩu màu xám nhạt, ở dưới.")
    settings = _step_picture("internet-dien-thoai", 3)
    assert describe(settings) == ("Hình minh họa: trên màn hình Điện thoại có biểu tượng Cài đặt, "
                                  "ở dưới, bên phải.")
    otp = replace(_step_picture("vneid-cai-dat-kich-hoat", 4), touch="xac-nhan-otp")
    assert describe(otp).endswith("có nút Xác nhận màu đỏ, ở dưới cùng, bên phải.")


def test_describe_a_row_a_screen_without_touch_and_a_sign():
    assert describe(_step_picture("bhyt-tren-vneid", 4)).endswith("có dòng Thẻ bảo hiểm y tế, ở trên.")
    assert describe(_step_picture("dvc-theo-doi-ho-so", 3)) == "Hình minh họa: màn hình Tra cứu hồ sơ."
    assert describe(_step_picture("vneid-muc-2", 2)) == ("Hình minh họa: trụ sở Công an, "
                                                         "Công an xã, phường.")
    assert describe(None) == ""
    assert set(SIGNS) and all(w == w.strip() and w for w in SIGNS.values())


def test_audio_mode_adds_the_picture_in_words_to_what_the_step_says(fixture_catalog):
    from kiosk.core.visit.flow import State
    state = State(screen="step", lesson="vneid-cai-dat-kich-hoat", step=3, active=True)
    quiet = view_for(state, CATALOG).spoken
    heard = view_for(replace(state, modes=Modes(audio=True)), CATALOG).spoken
    assert "Hình minh họa" not in quiet
    assert heard == quiet + " " + describe(_step_picture("vneid-cai-dat-kich-hoat", 3))


# --- intro and finish ---------------------------------------------------------------------------

def test_intro_lists_every_step_and_finish_offers_the_next_lesson():
    from kiosk.core.visit.flow import State
    lesson = CATALOG.get("vneid-muc-2")
    intro = view_for(State(screen="intro", lesson=lesson.id, active=True), CATALOG)
    assert intro.outline == ("Các bước:",) + tuple(f"{n}. {s.title}" for n, s in enumerate(lesson.steps, 1))
    finish = view_for(State(screen="finish", lesson=lesson.id, active=True), CATALOG)
    nxt = [c for c in finish.choices if c.action == "lesson"]
    assert [(c.label, c.arg, c.detail) for c in nxt] == [
        ("Bài tiếp theo", "vneid-cai-dat-kich-hoat", CATALOG.get("vneid-cai-dat-kich-hoat").title)]
    keys = [c.key for c in finish.choices]
    assert len(keys) == len(set(keys))
    assert "Bài tiếp theo" in finish.spoken
    alone = view_for(State(screen="finish", lesson="vneid-can-cuoc-tre-em", active=True), CATALOG)
    assert not [c for c in alone.choices if c.action == "lesson"]
