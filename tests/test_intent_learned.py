"""The parser's learned classifier (kiosk/core/understand/intent_learned.py) and its phrasings."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kiosk.core.understand import intent_learned, intents
from kiosk.core.understand.intent_learned import PHRASINGS_DIR, Learned, read_phrasings
from kiosk.core.understand.intents import CONFIRM_BELOW, needs_confirm, parse
from tests.test_intent_eval_v2 import load_validate

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "bench" / "intent-eval-v2"


@pytest.fixture(scope="module")
def validate():
    return load_validate()


@pytest.fixture(scope="module")
def lessons():
    from bench.intent_eval import real_lessons
    return real_lessons()


def test_every_phrasing_is_a_valid_line(validate):
    # the set's own line checks (screen, NFC, spaces, label on its screen, lesson and topic);
    # a training line is in no half, so the split rule is passed its own half
    topics = validate.lesson_topics()
    problems = [f"{path.name}:{n}: {problem}"
                for path in sorted(PHRASINGS_DIR.glob("*.tsv"))
                for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
                for problem in validate.line_problems(tuple(line.split("\t")), topics,
                                                      validate.half_of(line.split("\t")[1]) if "\t" in line else "dev")]
    assert not problems, problems[:10]
    assert len(read_phrasings()) > 5000


def test_no_phrasing_shares_its_wording_with_the_evaluation_set(validate):
    # the set must measure phrasings the classifier has never seen, in either half
    known = {validate.wording_key(text) for half in ("dev", "test")
             for _, _s, text, *_ in validate.read_half(SET / f"{half}.tsv")}
    shared = [text for _s, text, _l in read_phrasings() if validate.wording_key(text) in known]
    assert not shared, shared[:10]


@pytest.mark.parametrize("screen, text, intent", [
    # the rules find no phrase said whole here; the classifier reads the request
    ("step", "cái chỗ bấm hồi nãy tui chưa kịp thấy, cho coi lại trang đó", "back"),
    ("intro", "tui coi xong phần giới thiệu rồi, vô làm đi", "next"),
])
def test_the_classifier_reads_what_the_rules_miss_and_asks_first(screen, text, intent, lessons, monkeypatch):
    got = parse(text, screen, lessons)
    assert got.name == intent, got
    # its own reading is always said back and confirmed
    assert got.confidence < CONFIRM_BELOW and needs_confirm(got)
    monkeypatch.setattr(intent_learned, "ENABLED", False)
    assert parse(text, screen, lessons).name != intent


def test_a_phrase_said_whole_stays_the_rules_reading(lessons):
    # the rules are sure: the classifier is not asked, the confidence is the rules'
    got = parse("quay lại bước trước", "step", lessons)
    assert (got.name, got.confidence) == ("back", 1.0)


def test_a_negated_command_is_not_read_back_into_one(lessons):
    assert parse("tui không muốn gọi nhân viên đâu", "step", lessons).name is None


class _Says:
    """A stand-in classifier that gives one fixed ranking: the combination's rules alone."""

    lessons = frozenset({"so-suc-khoe-dien-tu"})

    def __init__(self, *ranked):
        self._ranked = list(ranked)

    def ranked(self, text, screen, allowed, lesson_ids=None):
        return self._ranked


@pytest.fixture
def says(monkeypatch):
    def install(*ranked):
        monkeypatch.setattr(intent_learned, "ENABLED", True)
        monkeypatch.setattr(intent_learned, "learned", lambda: _Says(*ranked))
    return install


def _combined(got, screen, text="một câu đủ dài để đọc"):
    allowed = intents.allowed_intents(screen)
    return intents._with_learned(got, text, len(text.split()), screen, allowed, ())


def test_a_lesson_of_the_topic_the_rules_heard_is_taken_and_confirmed(says):
    says((0.74, "open:health:so-suc-khoe-dien-tu"), (0.2, "none"))
    got = _combined(intents.Intent("open", 0.58, {"topic": "health"}), "home")
    assert got.label() == "open:health:so-suc-khoe-dien-tu" and needs_confirm(got)


@pytest.mark.parametrize("p, label, taken", [
    (0.8, "open:safety:lua-dao-tin-nhan-lien-ket", True),   # a past deed told is the lesson's question
    (0.6, "open:safety:lua-dao-tin-nhan-lien-ket", False),
    (0.95, "repeat", False),                                # "đọc lại đi bà" asks the grandmother
])
def test_what_talk_left_out_is_taken_only_as_a_sure_topic_or_lesson(says, p, label, taken):
    says((p, label), (1 - p, "none"))
    told = frozenset(intents.allowed_intents("home")) - {"open", "repeat"}
    got = intents._with_learned(intents.Intent(None, 0.0, {}), "tui lỡ bấm vô cái link rồi", 7,
                                "home", told, ())
    assert (got.label() == label) is taken and (not taken or needs_confirm(got))


def test_what_talk_left_out_needs_the_overrule_bar_against_a_phrase_said_whole(says):
    says((0.85, "open:safety:lua-dao-tin-nhan-lien-ket"), (0.15, "none"))
    told = frozenset(intents.allowed_intents("home")) - {"open"}
    said = intents.Intent("repeat", 1.0, {})
    assert intents._with_learned(said, "nói lại cái vụ đường link đi bà", 8, "home", told, ()) is said


@pytest.mark.parametrize("p, lesson", [(0.75, True), (0.65, False)])
def test_a_topic_heard_whole_gives_way_to_one_of_its_lessons_at_refine_sure(says, p, lesson):
    # "cài đặc vê en ai đi": the rules are sure of VNeID, which says nothing against its lessons
    says((p, "open:vneid:vneid-cai-dat-kich-hoat"), (1 - p, "none"))
    got = _combined(intents.Intent("open", 0.97, {"topic": "vneid"}), "home")
    want = "open:vneid:vneid-cai-dat-kich-hoat" if lesson else "open:vneid"
    assert got.label() == want and needs_confirm(got) is lesson


@pytest.mark.parametrize("label, screen, p, by_phrase, overruled", [
    ("next", "step", 0.55, False, True),         # the rules' reading of the grammar gives way at 0.5
    ("next", "step", 0.45, False, False),
    ("next", "step", 0.75, True, False),         # a phrase heard whole that means nothing here: 0.8
    ("next", "step", 0.85, True, True),
    ("call_staff", "step", 0.75, False, False),  # a call for staff cannot be taken back: 0.8
    ("call_staff", "step", 0.85, False, True),
    ("yes", "confirm", 0.85, False, False),      # an answer is acted on at once: 0.9
    ("yes", "confirm", 0.92, False, True),
    ("repeat", "confirm", 0.7, False, True),     # on the confirm screen too: only the answers
])
def test_the_rules_judgment_gives_way_only_to_a_sure_reading(says, label, screen, p, by_phrase, overruled):
    says((p, label), (1 - p, "none"))
    got = _combined(intents.Intent(None, 0.0, {}, ruled_out=True, by_phrase=by_phrase), screen)
    assert (got.name == label) is overruled, got


@pytest.mark.parametrize("text, label, by_phrase, answered", [
    ("không phải, tui hỏi chuyện làm giấy khác", "no", False, True),   # the answer first: 0.7
    ("ủa khong phai tui hoi chuyen khac", "no", False, True),          # after "ủa", without marks
    ("dạ không ạ, con hỏi giấy khác", "no", False, True),              # "dạ" is politeness here
    ("đúng rồi tui nói cái đó hồi nãy", "yes", False, True),
    ("tui hỏi chuyện khác mà không phải", "no", False, False),        # not said first: 0.9
    ("dùng điện thoại hỏi chuyện khác", "yes", False, False),         # "dùng" is not "đúng"
    ("không phải, tui hỏi chuyện khác", "no", True, False),            # against a phrase heard whole
])
def test_an_answer_said_first_on_the_confirm_screen_outweighs_the_rules_judgment(
        says, text, label, by_phrase, answered):
    says((0.75, label), (0.25, "none"))
    got = _combined(intents.Intent(None, 0.0, {}, ruled_out=True, by_phrase=by_phrase), "confirm", text)
    assert (got.name == label) is answered, got


def test_a_command_said_where_it_means_nothing_is_ruled_out_by_its_phrase():
    # "trở về trang chủ" on the start page: the phrase is heard whole, and it is the home
    # page's own; a report ("tui gọi cán bộ rồi") is the rules' reading of the sentence
    heard = intents._rules("trở về trang chủ", "trở về trang chủ", "home", intents.allowed_intents("home"), ())
    assert heard.ruled_out and heard.by_phrase
    told = intents._rules("tui gọi cán bộ rồi", "tui gọi cán bộ rồi", "step", intents.allowed_intents("step"), ())
    assert told.ruled_out and not told.by_phrase


def test_a_confirm_answer_of_its_own_needs_more_than_elsewhere(says):
    p = (intents.LEARNED_SURE + intents.ANSWER_SURE) / 2     # enough elsewhere, not for an answer
    says((p, "yes"), (1 - p, "none"))
    assert _combined(intents.Intent(None, 0.0, {}), "confirm").name is None
    says((p, "next"), (1 - p, "none"))
    assert _combined(intents.Intent(None, 0.0, {}), "step").name == "next"
    says((intents.ANSWER_SURE + 0.01, "yes"), (0.99 - intents.ANSWER_SURE, "none"))
    assert _combined(intents.Intent(None, 0.0, {}), "confirm").name == "yes"


def test_only_a_lesson_the_rules_found_stands_against_its_none(says):
    says((0.9, "none"), (0.1, "call_staff"))
    assert _combined(intents.Intent("call_staff", 0.85, {}), "step").name is None
    says((0.9, "none"), (0.1, "open:health"))
    lesson = intents.Intent("open", 0.6, {"topic": "health", "lesson": "so-suc-khoe-dien-tu"})
    assert _combined(lesson, "home") is lesson


def test_negated_words_are_marked_up_to_the_span():
    words = "tui không muốn gọi nhân viên đâu".split()
    assert intent_learned._negated(words) == ["neg_muốn", "neg_gọi", "neg_nhân"]
    assert intent_learned._negated("đọc lại đi".split()) == []
    # a second negator starts the span again
    assert intent_learned._negated("đừng đọc không nghe".split()) == ["neg_đọc", "neg_nghe"]


def _small_corpus(folder: Path) -> None:
    folder.mkdir()
    lines = [
        "step\tnói chậm lại\tslower", "step\tđọc chậm chút\tslower", "step\tchậm thôi con\tslower",
        "step\tnói nhanh lên\tfaster", "step\tđọc lẹ lên\tfaster", "step\tnhanh lên chút\tfaster",
        "step\ttrời hôm nay nắng\tnone", "step\tđi chợ về rồi\tnone", "step\tcon mèo nhà ai\tnone",
    ]
    (folder / "x.tsv").write_text("\n".join(lines) + "\nstep\tbroken line\n", encoding="utf-8")


def test_trained_once_then_loaded_from_the_cache(tmp_path, monkeypatch, caplog):
    _small_corpus(tmp_path / "phrasings")
    monkeypatch.setattr(intent_learned, "PHRASINGS_DIR", tmp_path / "phrasings")
    monkeypatch.setenv("KIOSK_LEARNED_CACHE", str(tmp_path / "cache"))
    intent_learned.learned.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            first = intent_learned.learned()
        assert "x.tsv:10" in caplog.text          # the broken line is named and skipped
        assert sorted(first.labels) == ["faster", "none", "slower"]
        cached = list((tmp_path / "cache").glob("intent-*.pickle"))
        assert len(cached) == 1
        intent_learned.learned.cache_clear()
        monkeypatch.setattr(Learned, "__init__", lambda *a: pytest.fail("trained again"))
        again = intent_learned.learned()
        assert again.labels == first.labels
        # a damaged cache file is trained again, with a warning
        cached[0].write_bytes(b"not a pickle")
        intent_learned.learned.cache_clear()
        monkeypatch.undo()
        monkeypatch.setattr(intent_learned, "PHRASINGS_DIR", tmp_path / "phrasings")
        monkeypatch.setenv("KIOSK_LEARNED_CACHE", str(tmp_path / "cache"))
        with caplog.at_level(logging.WARNING):
            assert intent_learned.learned().labels == first.labels
        assert "unreadable" in caplog.text
    finally:
        intent_learned.learned.cache_clear()


def test_without_phrasings_the_rules_read_alone(tmp_path, monkeypatch, caplog):
    (tmp_path / "empty").mkdir()
    monkeypatch.setattr(intent_learned, "PHRASINGS_DIR", tmp_path / "empty")
    intent_learned.learned.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            assert intent_learned.learned() is None
        assert "rules only" in caplog.text
        assert parse("nói chậm lại", "step").name == "slower"
    finally:
        intent_learned.learned.cache_clear()


def test_its_own_reading_is_scikit_learns_reading(tmp_path):
    # the kiosk reads with plain arrays; they must give scikit-learn's own probabilities
    import numpy as np
    rows = read_phrasings()[::4]
    model = Learned(rows)
    features, classifier = intent_learned._fit(rows)
    odd = [("step", "", ""), ("home", "a", ""), ("confirm", "khong phai dau", ""), ("step", "quaylại  đi\tnha", ""),
           ("welcome", "Dạ, CHO TUI... vô coi!", ""), ("topic", "tui không muốn gọi nhân viên", "")]
    for screen, text, _ in rows[:200] + odd:
        want = classifier.predict_proba(features.transform([intent_learned._doc(screen, text)]))[0]
        # its weights are kept as bytes with a scale per term (intent_learned._quantized):
        # within 0.005 (0.0037 at most on the dev half when measured), and the same likeliest label
        # wherever scikit-learn's leads by more than 0.01
        got = model.probabilities(text, screen)
        assert np.allclose(got, want, atol=5e-3), text
        top, second = np.sort(want)[::-1][:2]
        assert top - second <= 0.01 or got.argmax() == want.argmax(), text


def test_a_kiosk_with_the_model_cached_never_loads_scikit_learn(tmp_path):
    # scikit-learn and SciPy (about 80 MB) stay in the training child process
    import subprocess
    import sys
    code = ("import sys; from kiosk.core.understand.intents import parse; "
            "parse('tui coi xong phần giới thiệu rồi, vô làm đi', 'intro'); "
            "print('sklearn' in sys.modules, 'scipy' in sys.modules)")
    env = {**__import__("os").environ, "KIOSK_LEARNED_CACHE": str(tmp_path)}
    for _ in range(2):      # the first run trains (in a child), the second loads the cache
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                             cwd=ROOT, timeout=300)
        assert out.returncode == 0, out.stderr
        assert out.stdout.split() == ["False", "False"]
    assert len(list(tmp_path.glob("intent-*.pickle"))) == 1


def test_terms_are_found_by_their_hash_once_per_occurrence():
    keys, cols = intent_learned._term_table({"tiếp theo": 0, "quay lại": 1, "gọi": 2})
    wanted = intent_learned._hashes(["gọi", "không có", "gọi", "tiếp theo"])
    rows = intent_learned._lookup(keys, wanted)
    assert sorted(cols[rows].tolist()) == [0, 2, 2]
    assert intent_learned._lookup(keys, intent_learned._hashes([])).tolist() == []


def test_probabilities_are_a_distribution_led_by_the_likeliest_label():
    model = intent_learned.learned()
    probs = model.probabilities("nói chậm lại giùm tui", "step")
    assert abs(float(probs.sum()) - 1.0) < 1e-9
    ranked = model.ranked("nói chậm lại giùm tui", "step", intents.allowed_intents("step"))
    assert ranked[0][1] == "slower" and ranked[0][0] >= ranked[1][0]


def test_two_first_callers_train_once(tmp_path, monkeypatch):
    # warm() on a voice thread and a first parse may ask at the same moment on a first start
    import threading
    _small_corpus(tmp_path / "phrasings")
    monkeypatch.setattr(intent_learned, "PHRASINGS_DIR", tmp_path / "phrasings")
    monkeypatch.setenv("KIOSK_LEARNED_CACHE", str(tmp_path / "cache"))
    trainings = []
    real = intent_learned._train_elsewhere

    def counted(folder, path):
        trainings.append(path)
        return real(folder, path)

    monkeypatch.setattr(intent_learned, "_train_elsewhere", counted)
    intent_learned.learned.cache_clear()
    got = []
    try:
        threads = [threading.Thread(target=lambda: got.append(intent_learned.learned())) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        assert len(got) == 2 and all(m is not None for m in got)
        assert len(trainings) == 1
    finally:
        intent_learned.learned.cache_clear()
