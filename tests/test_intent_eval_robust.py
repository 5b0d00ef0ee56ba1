"""The robustness bench's changes (bench/intent_robust.py) do what they say."""

import random
import unicodedata

from bench.intent_robust import _TONES, change
from kiosk.core.understand.intent_text import strip_marks


def test_nomarks_strips_every_mark():
    assert change("nomarks", "về trang chủ đi", random.Random(1)) == "ve trang chu di"


def test_retone_changes_only_the_tone_of_one_syllable():
    rng = random.Random(3)
    for _ in range(50):
        got = change("retone", "quay lại bước trước", rng)
        assert strip_marks(got) == "quay lai buoc truoc"
        # vowel marks (ư, ơ) stay; only one word may differ
        assert sum(a != b for a, b in zip(got.split(), "quay lại bước trước".split())) <= 1
        def toneless(text):
            return "".join(c for c in unicodedata.normalize("NFD", text) if c not in _TONES)

        assert toneless(got) == toneless("quay lại bước trước")


def test_merge_runs_two_words_together():
    got = change("merge", "quay lại bước trước", random.Random(2))
    assert len(got.split()) == 3 and got.replace(" ", "") == "quaylạibướctrước"
