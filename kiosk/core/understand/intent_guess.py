"""Open a topic or lesson from free text when the phrase rules are not enough.

* ``guess``: no rule matched; the statistical ranker (``intent_rank``) over
  the lesson files and the procedures list picks a topic, and a lesson when
  one stands out. Its confidence stays below ``CONFIRM_BELOW``, so the kiosk
  always asks "Bác muốn ..., đúng không?" before acting on a guess.
* ``refine_lesson``: a rule found a topic ("cài vneid"); the ranker adds the
  lesson of that topic the words point to, when one clearly leads.
"""

from __future__ import annotations

from typing import Sequence

from kiosk.core.understand.intent_match import is_free
from kiosk.core.understand.intent_phrases import TOPIC_PHRASES, split_block
from kiosk.core.understand.intent_rank import Ranker
from kiosk.core.understand.intent_text import CLAUSE, FILLERS, Tok, asks_something, normalize
from kiosk.core.understand.intent_vocab import lesson_documents, meaning_marks

# thresholds set on the development half of the eval set (bench/intent_eval.py):
# at 0.2 about 3 in 70 unrelated sentences on the home screens pass the ranker
GUESS_MIN = 0.20          # cosine a free-text guess needs
GUESS_LESSON_MIN = 0.20   # ... to name the lesson as well
AGREE_MIN = 0.10          # ... when a weak rule found the same topic
LESSON_MARGIN = 1.25      # the best lesson's score over the next lesson's (ratio)
REFINE_MIN = 0.17         # cosine for adding a lesson to a topic a rule found
CLEAR_MIN = 0.15          # cosine a lesson far ahead of the rest needs (see _clear_lesson)
CLEAR_LEAD = 1.4          # ... and how far ahead of the next document (ratio)
# share of a rule's phrase words another lesson's file must have to take its place:
# the thing named ("điện thoại") must be there, the verb said with it ("mua") need not
SAID_COVER = 0.6

_CACHE: dict[tuple, Ranker] = {}
# words of asking to learn, which point at no lesson ("cho tôi học về mạng internet")
_ASKING = frozenset(normalize("""
học xem coi về biết tìm hiểu cách hướng dẫn bài mục phần chủ đề như thế nào sao dùng sử dụng
""").split())


def ranker(lessons: Sequence) -> Ranker:
    """The index for this set of lessons (built once per set, kept for a few sets)."""
    key = tuple((getattr(x, "id", None), getattr(x, "title", None)) for x in lessons or ())
    index = _CACHE.get(key)
    if index is None:
        docs = lesson_documents(lessons)
        for topic, block in TOPIC_PHRASES.items():
            docs.append((topic, None, [(p, 2.0) for p in split_block(block)]))
        if len(_CACHE) >= 4:
            _CACHE.clear()
        index = _CACHE[key] = Ranker(docs)
    return index


def content_words(toks: list[Tok]) -> list[str]:
    """The words that can say what the visitor wants: no politeness or particles.
    Verbs like "cài", "đăng ký" stay: the ranker's idf weighs how telling they are."""
    # the meaning groups are found on every word: "con nít" is two filler words
    return [t.raw for t in toks if not is_free(t, "command")] + meaning_marks(
        [t.raw for t in toks if t.raw != CLAUSE])


def _lesson_leads(hits, lesson_min: float, topic: str | None = None, margin: float = LESSON_MARGIN):
    """The lesson hit that clearly leads the other lessons (of ``topic``, if given)."""
    lessons = [h for h in hits if h.lesson and (topic is None or h.topic == topic)]
    if not lessons or lessons[0].score < lesson_min:
        return None
    if len(lessons) > 1 and lessons[0].score < margin * lessons[1].score:
        return None
    return lessons[0]


def _clear_lesson(hits, toks) -> bool:
    """A lesson far ahead of every other document, though below ``GUESS_MIN``:
    a long sentence ("làm cái giấy cho con đi xin việc ở khu công nghiệp")
    scores low against everything, and still points at one lesson only. Only
    in a sentence that asks or needs something ("con trai bác đi làm xa" tells)."""
    top = hits[0]
    return (top.lesson is not None and top.words > 0 and top.score >= CLEAR_MIN and asks_something(toks)
            and (len(hits) == 1 or top.score >= CLEAR_LEAD * hits[1].score))


def guess(toks: list[Tok], lessons: Sequence, agree: str | None = None):
    """(confidence, topic, lesson or None) for free text, or None when nothing fits.

    ``agree``: the topic a weak rule found ("zalo" in a long story); then a
    lower score is enough when the ranker's best document is of that topic."""
    words = content_words(toks)
    hits = ranker(lessons).rank(words)
    # at least one word that names something ("ngân hàng"), not only verbs ("học", "làm")
    if not hits or not any(hits[0].has(t.raw) for t in toks if not is_free(t, "open")):
        return None
    need = AGREE_MIN if agree is not None and hits[0].topic == agree else GUESS_MIN
    top = hits[0]
    if top.score < need:
        if not _clear_lesson(hits, toks):
            return None
        return min(0.79, 0.5 + 0.4 * top.score), top.topic, top.lesson
    lead = _lesson_leads(hits, min(need, GUESS_LESSON_MIN), top.topic)
    lesson = lead.lesson if lead is not None else None
    conf = min(0.79, 0.5 + 0.4 * top.score)
    return conf, top.topic, lesson


def refine_lesson(toks: list[Tok], rest: list[Tok], topic: str | None, lessons: Sequence) -> str | None:
    """The lesson of ``topic`` the visitor's words point to, or None.

    Only when the visitor said more than the topic's phrase (``rest`` has a
    content word: "cài" in "cài app định danh"); "dịch vụ công" alone stays
    the topic. The ranking then uses all the words."""
    if not lessons or not topic or not [w for w in content_words(rest) if w not in _ASKING]:
        return None
    # the topic's own phrase is in every lesson of the topic: the other words
    # tell its lessons apart ("tra hồ sơ" beside "dịch vụ công"); all the words
    # when those alone point nowhere
    for words in (content_words(rest), content_words(toks)):
        hits = ranker(lessons).rank(words)
        # a lesson far ahead of its topic's others may score lower (a long sentence)
        lead = _lesson_leads(hits, REFINE_MIN, topic) or _lesson_leads(hits, CLEAR_MIN, topic, CLEAR_LEAD)
        if lead is not None and lead.words > 0:
            return lead.lesson
    return None


def leading_lesson(toks: list[Tok], rest: list[Tok], said: list[Tok], lessons: Sequence) -> str | None:
    """The lesson, of any topic, that a bare topic's phrase (``said``) sits in
    when the whole sentence points there, or None: "định danh" is the VNeID
    topic, and also a word of the lessons that use VNeID for something else
    (logging in to dịch vụ công, a new phone).

    Only when it is the ranker's best document of all, above every topic's
    own document too (a sentence that is about the topic in general stays
    there), and it passes ``other_lesson``'s checks."""
    if not lessons:
        return None
    hits = ranker(lessons).rank(content_words(toks))
    if not hits or hits[0].lesson is None:
        return None
    lesson = other_lesson(toks, rest, said, None, lessons)
    return lesson if lesson == hits[0].lesson else None


def other_lesson(toks: list[Tok], rest: list[Tok], said: list[Tok], lesson: str, lessons: Sequence) -> str | None:
    """Another lesson the whole sentence points to than the one a rule's phrase
    (``said``) named, or None.

    "điện thoại mới" names the smartphone lesson; "điện thoại mới, đăng nhập
    vneid lại" is the lesson about VNeID on a new phone. Only when the words
    beside the phrase (``rest``) say something, the ranker's best lesson clearly
    leads every other lesson, and its file has most words of the phrase too (``SAID_COVER``)."""
    if not lessons or not [w for w in content_words(rest) if w not in _ASKING]:
        return None
    lead = _lesson_leads(ranker(lessons).rank(content_words(toks)), REFINE_MIN)
    if lead is None or lead.lesson == lesson or lead.words == 0:
        return None
    # the words of "open" ("điện thoại", "cài") count here: they are what the phrase names
    named = [t.raw for t in said if t.raw not in FILLERS]
    if named and sum(map(lead.has, named)) < SAID_COVER * len(named):
        return None
    return lead.lesson
