"""Talk that names a command or a service without asking for it (generic rules)."""

import pytest

from kiosk.core.understand.intents import parse
from kiosk.core.understand.intent_match import denied
from kiosk.core.understand.intent_text import third_person, tokenize


@pytest.mark.parametrize("text", [
    "con tui nó mới bắt đầu đi học",      # "con tui": one's family, talked about
    "vợ tui gọi nhân viên rồi",
    "thằng Tư nói lại với tui rồi",
])
def test_ones_family_talked_about_gives_no_command(text):
    toks, _ = tokenize(text)
    assert third_person(toks) >= 1
    assert parse(text, "step").name is None


def test_asking_for_ones_child_still_opens():
    # the rule is for commands; a service for one's child is still a request
    got = parse("làm giấy khai sinh cho con tui", "home")
    assert got.name == "open" and got.args["topic"] == "dvc"


@pytest.mark.parametrize("text, denies", [
    ("tui đâu có xài ngân hàng", True),
    ("đâu phải bài này", True),
    ("ở đâu có chỗ nộp tiền điện", False),   # a question where, not a denial
])
def test_denial(text, denies):
    assert denied(tokenize(text)[0]) is denies


def test_a_denied_service_opens_nothing():
    assert parse("tui đâu có xài ngân hàng", "topic").name is None
    assert parse("tui xài ngân hàng", "topic").name == "open"
