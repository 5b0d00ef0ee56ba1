"""Data-driven parts of the intent parser: the procedures list, lesson words, the ranker,
and the kinds of phrasing the rules handle (clauses, run-together and spelled words,
talk about someone else)."""

import logging
from types import SimpleNamespace

import pytest

from kiosk.core.understand import intent_vocab
from kiosk.core.understand.intents import CONFIRM_BELOW, TOPICS, needs_confirm, parse


def _lesson(lid, topic, title, summary="", steps=(), checklist=(), bring=()):
    return SimpleNamespace(id=lid, topic=topic, title=title, summary=summary,
                           steps=tuple(SimpleNamespace(title=s) for s in steps),
                           checklist=tuple(checklist), bring=tuple(bring))


def test_procedures_list_is_valid():
    procs = intent_vocab.procedures()
    assert len(procs) >= 20
    for p in procs:
        assert p["topic"] in TOPICS and p["names"], p


def test_an_everyday_name_opens_its_topic_without_lessons():
    assert parse("tôi muốn làm giấy báo tử", "home").args == {"topic": "dvc"}
    assert parse("xem toa thuốc", "home").args == {"topic": "health"}


def test_a_lesson_named_in_the_list_but_not_loaded_is_ignored():
    # the list names "dvc-khai-tu", which this lesson set does not have
    other = [_lesson("wifi", "internet", "Kết nối Wi-Fi")]
    got = parse("đăng ký khai tử", "home", other)
    assert got.name == "open" and got.args == {"topic": "dvc"}
    # once such a lesson exists, the same words open it, with no code change
    khai_tu = _lesson("dvc-khai-tu", "dvc", "Đăng ký khai tử trực tuyến")
    assert parse("đăng ký khai tử", "home", other + [khai_tu]).args == {"topic": "dvc", "lesson": "dvc-khai-tu"}


def test_a_lesson_named_in_the_list_opens_under_its_own_files_topic():
    # the list files "dvc-khai-tu" under dvc; an editor put the lesson under safety instead
    moved = _lesson("dvc-khai-tu", "safety", "Đăng ký khai tử trực tuyến")
    assert parse("đăng ký khai tử", "home", [moved]).args == {"topic": "safety", "lesson": "dvc-khai-tu"}


def test_a_new_lesson_is_found_by_its_own_words():
    lessons = [
        _lesson("wifi", "internet", "Kết nối Wi-Fi", "Nối điện thoại vào mạng không dây."),
        _lesson("phat-nguoi", "vneid", "Tra cứu vi phạm giao thông",
                "Xem xe của bạn có bị ghi hình vượt đèn đỏ không.",
                steps=["Mở mục tra cứu", "Nhập biển số xe"], checklist=["Biển số xe"]),
    ]
    got = parse("xe tôi bị chụp hình vượt đèn đỏ", "home", lessons)
    assert got.name == "open" and got.args.get("lesson") == "phat-nguoi", got
    # a guess from free text is never acted on without asking
    assert got.confidence < CONFIRM_BELOW and needs_confirm(got)


def test_broken_procedures_file_leaves_the_parser_working(tmp_path, caplog):
    bad = tmp_path / "procedures.yaml"
    bad.write_text("- topic: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert intent_vocab.procedures(bad) == ()
    assert "unreadable" in caplog.text
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text("- topic: weather\n  names: [mưa]\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert intent_vocab.procedures(unknown) == ()
    assert "no known topic" in caplog.text


def test_lesson_fields_use_every_part_of_the_file():
    lesson = _lesson("a-b", "dvc", "Tiêu đề", "Tóm tắt", steps=["Bước một"], checklist=["Việc cần"],
                     bring=["Giấy tờ mang theo"])
    texts = " ".join(t for t, _ in intent_vocab.lesson_fields(lesson))
    for word in ("tiêu đề", "tóm tắt", "bước một", "việc cần", "giấy tờ mang theo", "a b"):
        assert word in texts


@pytest.mark.parametrize("screen,text,intent", [
    ("step", "chưa nghe kịp, nói lại", "repeat"),        # a negation stops at the comma
    ("step", "quaylại", "back"),                          # words run together
    ("step", "gọinhân viên", "call_staff"),
    ("step", "gọi cô cán bộ ra đây", "call_staff"),       # a filler inside the phrase
    ("step", "tôi quên mang kính", "large_text"),          # indirect: glasses
    ("step", "ở đây không có ai giúp hả", "call_staff"),  # indirect: nobody here
    ("step", "thôi nghe đủ rồi", "stop"),                  # indirect: enough
    ("confirm", "ừ, làm vậy đi", "yes"),                   # the first clause answers
    ("confirm", "không, tôi nói cái khác", "no"),
    ("step", "về chang chủ", "home"),                      # ch/tr slip
])
def test_kinds_of_phrasing(screen, text, intent):
    assert parse(text, screen).name == intent, parse(text, screen)


@pytest.mark.parametrize("screen,text", [
    ("step", "ông ấy nói chậm lắm"),          # about someone else
    ("step", "con tui nó đọc nhanh lắm"),
    ("topic", "tôi quay lại sau nhé"),            # "come back later", said to a person
    ("step", "ông ơi ông ngồi xích qua chút"),  # one command word inside other talk
    ("confirm", "không có chi"),                # a formula, not an answer
    ("finish", "mai tui dẫn ông nhà lên"),       # "nhà lên" is not "nhanh lên"
])
def test_talk_that_is_not_a_command(screen, text):
    assert parse(text, screen).name is None, parse(text, screen)


def test_spelled_names_join():
    assert parse("cài vê en e ai đi", "home").args == {"topic": "vneid"}
    assert parse("za lo", "home").args == {"topic": "internet"}
    assert parse("tôi đi ê a", "home").name is None


def test_asking_to_learn_about_a_topic_stays_the_topic():
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog

    lessons = load_catalog(lessons_dir()).lessons
    assert parse("cho tôi học về mạng internet", "home", lessons).args == {"topic": "internet"}
    # a word beyond the topic's name picks the lesson it points to
    got = parse("cài app định danh", "home", lessons)
    assert got.args == {"topic": "vneid", "lesson": "vneid-cai-dat-kich-hoat"}


def test_of_two_commands_in_separate_clauses_the_last_is_the_request():
    assert parse("thôi, về trang chủ", "step").name == "home"
    assert parse("khoan, quay lại bước trước", "step").name == "back"


@pytest.mark.parametrize("text, lesson", [
    ("đăng ký thường trú cho vợ", "vneid-dang-ky-thuong-tru"),      # no longer the tạm trú lesson
    ("bị lừa thì báo ở đâu", "bao-tin-lua-dao"),
    ("có đứa gọi xưng là nhân viên điện lực đòi tiền", "lua-dao-cuoc-goi"),
    ("nhà có em bé mới sinh tuần trước làm giấy tờ sao", "dvc-khai-sinh-lien-thong"),
    ("cái ứng dụng định danh của công an tải ở đâu", "vneid-cai-dat-kich-hoat"),
])
def test_everyday_names_reach_the_real_lessons(text, lesson):
    from bench.intent_eval import real_lessons

    got = parse(text, "home", real_lessons())
    assert got.name == "open" and got.args.get("lesson") == lesson, got


def test_meaning_groups_join_everyday_words_to_a_lessons_words():
    # "con nít" (two filler words) and the lesson's "trẻ em" are one meaning
    assert "#child" in intent_vocab.meaning_marks("làm căn cước cho con nít".split())
    assert "#child" in intent_vocab.meaning_marks("trẻ em".split())
    assert intent_vocab.meaning_marks("tiền điện tháng này".split()) == []
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    lessons = list(load_catalog(lessons_dir()).lessons)
    got = parse("căn cước cho học sinh mẫu giáo", "home", lessons)
    assert got.args.get("lesson") == "vneid-can-cuoc-tre-em", got


def test_broken_meanings_file_only_turns_the_groups_off(tmp_path, caplog):
    bad = tmp_path / "meanings.yaml"
    bad.write_text("child: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        assert intent_vocab.meaning_groups(bad) == ()
    assert "unreadable" in caplog.text


def test_a_lessons_name_said_whole_beats_its_topics_word_in_a_long_sentence():
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    lessons = list(load_catalog(lessons_dir()).lessons)
    # "bảo hiểm" is the health topic; "vssid", said whole, is its lesson
    got = parse("người ở bệnh viện biểu cài vssid để xem bảo hiểm", "home", lessons)
    assert got.args.get("lesson") == "vssid", got
    # a topic's phrase that one lesson covers is that lesson's name (procedures.yaml)
    got = parse("kích hoạt tài khoản định danh điện tử cho tui", "home", lessons)
    assert got.args.get("lesson") == "vneid-cai-dat-kich-hoat", got


def test_syllables_of_a_vietnamese_word_do_not_spell_a_name():
    # "vi en" is not "vien" (the unmarked "viên"): the spelled VNeID still opens its topic
    assert parse("tải vi en ai đi ở chỗ nào cho đúng", "topic").args.get("topic") == "vneid"


def test_a_long_request_far_closer_to_one_lesson_than_to_anything_else_opens_it():
    # every document scores low against a long sentence; one lesson is still far ahead
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    lessons = list(load_catalog(lessons_dir()).lessons)
    got = parse("cái đơn tui gửi hồi tháng trước sao chưa thấy trả kết quả", "home", lessons)
    assert got.args.get("lesson") == "dvc-theo-doi-ho-so" and got.confidence < CONFIRM_BELOW, got


@pytest.mark.parametrize("text, lesson", [
    ("thẻ căn cước của má tui quá hạn rồi", "vneid-doi-the-can-cuoc"),     # expired, a problem told
    ("làm căn cước cho con bốn tuổi", "vneid-can-cuoc-tre-em"),            # an age is a child
    ("má tui mới qua đời làm giấy tờ sao", "dvc-khai-tu"),               # far ahead of its topic's others
])
def test_meanings_and_a_clear_lead_name_the_lesson(text, lesson):
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    got = parse(text, "home", list(load_catalog(lessons_dir()).lessons))
    assert got.args.get("lesson") == lesson, got


@pytest.mark.parametrize("screen, text", [
    ("welcome", "trở lại"),                    # back, where there is nothing to go back to
    ("home", "học xong rồi, qua bước sau"),    # next, said on the home page
])
def test_a_command_said_where_it_means_nothing_is_no_guess_either(screen, text):
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    assert parse(text, screen, list(load_catalog(lessons_dir()).lessons)).name is None


def test_a_sure_lesson_beats_a_bare_topic_named_as_the_means():
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    got = parse("đăng ký kết hôn trên vê en ai đi", "home", list(load_catalog(lessons_dir()).lessons))
    assert got.args == {"topic": "dvc", "lesson": "dvc-ket-hon"}, got


def test_a_low_guess_needs_a_sentence_that_asks():
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    lessons = list(load_catalog(lessons_dir()).lessons)
    # "đi làm xa" is the away-from-home meaning, but this only tells where the son is
    assert parse("con trai bác đi làm xa", "home", lessons).name is None
    # an unmarked topic phrase is not a near miss of another topic's lesson name
    assert parse("tai khoan dinh danh", "home", lessons).args.get("topic") == "vneid"
