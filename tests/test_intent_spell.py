"""Tone marks put back before parsing (kiosk/core/understand/intent_spell.py)."""

from types import SimpleNamespace as NS

import pytest

from kiosk.core.understand import intents
from kiosk.core.understand.intent_spell import SpellModel, lesson_sentences, respell_text
from kiosk.core.understand.intents import parse


def _lesson(lid, title, topic="internet", steps=()):
    return NS(id=lid, title=title, topic=topic, summary="", checklist=(), bring=(),
              steps=tuple(NS(title=t, text=x) for t, x in steps))


@pytest.fixture()
def model():
    return intents._spell_model(())


@pytest.mark.parametrize("typed, meant", [
    ("dung roi", "đúng rồi"),           # the same letters as "dừng", "dùng": context decides
    ("dung lai", "dừng lại"),
    ("ve trang chu", "về trang chủ"),
    ("cho tui coi lai buoc truoc", "cho tui coi lại bước trước"),   # said the central way
])
def test_unmarked_text_gets_its_likeliest_marks(model, typed, meant):
    assert respell_text(model, typed) == meant


def test_a_known_word_written_with_marks_is_kept(model):
    # "mau" (quick) is a word as it stands: not turned into "mẫu"
    assert respell_text(model, "nói mau lên chút") == "nói mau lên chút"
    # a word the model has never seen, written with marks, is believed
    assert respell_text(model, "tui đi chợ") == "tui đi chợ"


def test_a_syllable_spelling_forbids_is_respelled(model):
    # a syllable ending in p/t/c/ch takes only sắc or nặng: "tiêp" is a slip
    assert respell_text(model, "tiêp theo") == "tiếp theo"


@pytest.mark.parametrize("heard, meant", [
    ("quay lải", "quay lại"), ("gọi nhân viền", "gọi nhân viên"), ("trang chù", "trang chủ"),
])
def test_a_wrong_mark_is_read_from_its_neighbours(model, heard, meant):
    assert respell_text(model, heard) == meant


def test_punctuation_between_clauses_stays(model):
    assert respell_text(model, "khong, quay lai") == "không , quay lại"


def test_new_lesson_words_are_learnt_without_code():
    silk = _lesson("nuoi-tam", "Nuôi tằm lấy tơ", steps=[("Hái lá dâu", "Cho tằm ăn lá dâu non.")])
    without = SpellModel(lesson_sentences([]))
    with_it = SpellModel(lesson_sentences([silk]))
    assert respell_text(with_it, "nuoi tam") == "nuôi tằm"
    assert respell_text(without, "nuoi tam") != "nuôi tằm"


def test_unmarked_answer_on_a_step_is_not_a_stop():
    # "dung roi" is "đúng rồi" (yes), which means nothing on a step; before
    # respelling it matched "dừng" (stop) on the unmarked letters
    assert parse("dung roi", "step").name is None
    assert parse("dung roi", "confirm").name == "yes"
    assert parse("dung lai", "step").name == "stop"


def test_marked_near_miss_still_matches_as_heard():
    # respelling "bắc" gives "bác"; the text as heard is still tried
    assert parse("bắc đầu", "welcome").name == "next"


def test_model_is_built_once_per_lesson_set():
    a = intents._spell_model(())
    assert intents._spell_model(()) is a


@pytest.mark.parametrize("heard, meant", [
    ("nóimau lên", "nói mau lên"),      # two vowel runs: cannot be one syllable
    ("lạihỉ", "lại hỉ"),                # two tone marks
    ("dichvucong", "dịch vụ công"),     # typed without spaces or marks
])
def test_words_run_together_are_split_into_known_syllables(model, heard, meant):
    assert respell_text(model, heard) == meant


def test_a_known_name_or_one_syllable_is_not_split(model):
    assert respell_text(model, "wifi") == "wifi"
    assert respell_text(model, "nghiêng") == "nghiêng"


def test_run_together_command_parses():
    assert parse("nóimau lên chút", "step").name == "faster"
    assert parse("đọclẹ", "intro").name == "faster"


def test_a_marked_word_is_not_respelled_on_frequency_alone(model):
    # "vô" is far commoner than "vợ" in what the kiosk knows, but no neighbour
    # vouches for "vô tui": the word stays as written
    assert respell_text(model, "vợ tui gọi nhân viên rồi").startswith("vợ tui")


def test_warm_builds_the_indexes_before_the_first_request():
    from kiosk.core.understand import intent_guess
    lesson = _lesson("nuoi-tam", "Nuôi tằm lấy tơ")
    intents._SPELL_CACHE.clear()
    intent_guess._CACHE.clear()
    intents.warm([lesson])
    assert len(intents._SPELL_CACHE) == 1 and len(intent_guess._CACHE) == 1
    intents.parse("nuoi tam", "home", [lesson])     # uses them: nothing new is built
    assert len(intents._SPELL_CACHE) == 1 and len(intent_guess._CACHE) == 1


def test_a_plain_word_an_asr_wrote_without_marks_is_still_tried_as_heard():
    # viet-asr writes "qua" (go on); respelled it would be "quá" (too), which
    # commands nothing: a text whose words are all known as written is tried as is
    assert parse("qua", "step").name == "next"
    # "roi" is no word as written: "dung roi" is read only respelled (đúng rồi)
    assert parse("dung roi", "step").name is None
