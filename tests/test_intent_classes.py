"""Global commands by meaning classes (kiosk/core/understand/intent_classes.py)."""

import pytest

from kiosk.core.understand import intent_classes
from kiosk.core.understand.intent_classes import class_phrases
from kiosk.core.understand.intents import needs_confirm, parse


def test_every_template_expands_over_its_classes():
    got = set(class_phrases())
    assert ("slower", "máy đọc gấp quá") in got
    assert ("large_text", "cỡ chữ nhỏ xíu") in got
    assert ("call_staff", "tìm người hướng dẫn") in got
    # every slot of every template names a class
    for block in intent_classes.TEMPLATES.values():
        for slot in intent_classes._SLOT.findall(block):
            assert slot in intent_classes.CLASSES


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "mắt tui yếu lắm", "large_text"),          # {eyes} {weak} {excess}
    ("step", "coi chẳng rõ gì hết", "large_text"),      # {neg} {see} {seen}, "coi" = xem
    ("step", "tui nghe chưa rõ", "repeat"),             # {neg} {hear} {heard}
    ("step", "giọng chậm rì quá", "faster"),            # {speak} {slow} {excess}
    ("intro", "ngưng giọng giùm cái", "stop"),          # {quit} {voice}
])
def test_a_new_combination_of_class_words_gives_its_command(screen, text, intent):
    assert parse(text, screen).name == intent


def test_class_phrases_are_never_matched_by_a_near_miss():
    # "đi chợ chưa" is a few letters from "thấy chưa ra": talk, not a command
    assert parse("bà ơi bà đi chợ chưa", "step").name is None
    assert parse("ông ơi ông có nghe không", "intro").name is None


def test_a_speed_complaint_beats_asking_again():
    # the visitor says why they missed it: slower, not the same speed again
    assert parse("nói mau quá tui nghe không kịp", "step").name == "slower"
    assert parse("nói gấp quá tui không nghe ra", "home").name == "slower"


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "ai chỉ giùm tui cái ni với", "call_staff"),      # somebody + helps
    ("step", "ở đây không có ai hướng dẫn hết trơn", "call_staff"),
    ("step", "không nghe gì hết trơn", "repeat"),                # heard nothing
    ("confirm", "tui nghe không được gì", "repeat"),
    ("step", "cái kính tui bể rồi", "large_text"),                # glasses left or broken
    ("welcome", "kính để nhà rồi con ơi", "large_text"),
    ("step", "không thấy đường mà đọc", "large_text"),
    ("confirm", "chớ còn gì", "yes"),                            # "còn gì" is not a spelled "cong"
    ("step", "típ đi", "next"),
])
def test_more_words_of_the_same_meaning(screen, text, intent):
    assert parse(text, screen).name == intent


@pytest.mark.parametrize("screen, text", [
    ("step", "có ai thấy con tui đâu không"),
    ("step", "mai tui quay lại học tiếp"),          # another day: a plan, not a command
    ("finish", "học xong rồi mai học tiếp"),
])
def test_same_words_in_talk_give_nothing(screen, text):
    assert parse(text, screen).name is None


@pytest.mark.parametrize("screen, text", [
    ("intro", "thử làm"),                # the intro's own button
    ("intro", "cho tui làm thử"),
    ("intro", "tập thử coi"),
    ("intro", "học bài này"),
    ("welcome", "học liền"),
])
def test_starting_the_lesson_in_other_words(screen, text):
    assert parse(text, screen).name == "next"


def test_go_ahead_to_a_yes_is_at_most_a_confirmed_next_elsewhere():
    # the rules read nothing; the learned classifier reads "go on", which is
    # said back and confirmed before the kiosk moves
    got = parse("được, làm liền đi", "step")
    assert got.name in (None, "next") and (got.name is None or needs_confirm(got))


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "tui bấm cái nút xanh rồi, giờ sao nữa con", "next"),   # what now
    ("step", "giờ làm gì đây", "next"),
    ("welcome", "con muốn học cái máy ni", "next"),                  # wanting to learn, no topic
    ("welcome", "tui muốn học về zalo", "open"),                      # a topic named wins
    # no topic named on the six topics' page: nothing is guessed, the kiosk says it did not
    # catch it and names the buttons (the sixth round's classifier guessed digital skills)
    ("home", "tui muốn học", None),
    ("step", "thôi bỏ, chọn bài khác", "home"),
    ("step", "điện thoại thông minh xài răng", None),                # a topic's question, not "next"
])
def test_what_now_and_wanting_to_learn(screen, text, intent):
    assert parse(text, screen).name == intent


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "sang phần kế tiếp", "next"),               # {go} {part} {after}
    ("finish", "học bài tiếp theo luôn", "next"),
    ("step", "trở về trang vừa rồi", "back"),            # {return} {shown} {before}
    ("step", "nín một lát để tui đọc", "stop"),          # {hush} {awhile}
    ("step", "bấm hoài không ra", "call_staff"),         # {do} {neg} {able}
    ("ticket", "có cô chú nào chỉ giùm không", "call_staff"),   # {somebody} {helps}
    ("step", "giọng đọc rề rề quá", "faster"),
])
def test_steps_pages_hush_and_help_by_class(screen, text, intent):
    assert parse(text, screen).name == intent, parse(text, screen)


def test_a_request_at_the_end_of_a_story_said_in_two_phrases():
    # "chưa nghe rõ" and "đọc lại giùm" are both the same request, at the end of a story
    assert parse("ủa lúc nãy cái máy nói bấm vô cái ô nào tui chưa nghe rõ đọc lại giùm", "step").name == "repeat"
    # one command word at the end of a story is still not enough
    assert parse("về nhà rồi tui làm tiếp", "step").name is None


def test_another_lesson_on_a_lessons_intro_is_the_lesson_list_one_step_back():
    # on the intro, "back" goes to the topic's lessons; elsewhere another lesson is "home"
    assert parse("thôi bỏ bài này", "intro").name == "back"
    assert parse("thôi bỏ bài này", "step").name == "home"


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "kêu chú cán bộ giùm tui", "call_staff"),     # {call} {addr} {person}
    ("intro", "gọi em tình nguyện viên ra đây", "call_staff"),
    ("welcome", "cho tui vào xem thử", "next"),
])
def test_a_helper_called_with_a_form_of_address_and_a_way_in(screen, text, intent):
    assert parse(text, screen).name == intent, parse(text, screen)


def test_q_said_as_its_vietnamese_letter_name_spells_a_name():
    assert parse("việt cu rờ", "home").args.get("topic") == "payment"


def test_a_speed_complaint_with_a_long_account_of_missing_it():
    # the words of not hearing it belong to the same request as the speed
    assert parse("máy đọc nhanh quá tui nghe không kịp cái chỗ bấm", "confirm").name == "slower"


@pytest.mark.parametrize("text, intent", [
    ("thôi thôi làm tiếp đi", "next"),       # no comma from a recognizer: the last command asks
    ("nghe đủ rồi làm tiếp", "next"),
])
def test_the_last_of_two_commands_without_a_comma(text, intent):
    assert parse(text, "step").name == intent, parse(text, "step")


def test_back_to_the_topics_from_a_topic_is_back_or_home():
    # both lead to the topic list from a topic (flow._on_back); the rules read
    # back, the learned classifier may read home (which is confirmed)
    assert parse("về lại các chủ đề", "topic").name in ("back", "home")


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "về lại các chủ đề", "home"),          # {return} {topics}
    ("finish", "sang bài khác đi", "home"),          # {go} bài khác
    ("intro", "sang bài khác đi", "back"),           # the lesson list is one step back from an intro
])
def test_topics_and_another_lesson_by_screen(screen, text, intent):
    assert parse(text, screen).name == intent, parse(text, screen)


def test_a_relative_who_showed_you_and_you_forgot_is_a_request():
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog
    got = parse("con tui chỉ tui cài zalo mà tui quên mất", "home", list(load_catalog(lessons_dir()).lessons))
    assert got.args.get("lesson") == "zalo-an-toan", got


@pytest.mark.parametrize("screen, text, intent", [
    ("step", "con đọc nhanh như chạy giặc", "slower"),     # a simile is "too fast"
    ("ticket", "nãy giờ không thấy ai hết", "call_staff"),  # nobody came
])
def test_a_simile_and_nobody_here(screen, text, intent):
    assert parse(text, screen).name == intent, parse(text, screen)
