"""Vietnamese text -> kiosk command (intent), decided per screen.

Every speech engine (vosk grammar, viet-asr free text) and typed text go through
:func:`parse`, so they all share one set of rules. The parts live in small modules:

* ``intent_text``: normalisation (NFC, tone-mark placement, unmarked text,
  central and southern words mapped to standard ones);
* ``intent_phrases``: the command and topic phrases;
* ``intent_match``: exact, unmarked and fuzzy (rapidfuzz) matching, negation,
  and the confidence: filler words ("cho tôi", "làm ơn", "ạ"...) cost nothing,
  other words the matched phrase does not explain lower it, so a sentence that
  only happens to contain a command word gives no intent;
* ``intent_lessons``: naming a lesson from the words of the lesson files.

No Kivy, no audio: plain functions on strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from kiosk.core.understand.intent_lessons import _best_lesson
from kiosk.core.understand.intent_match import PhraseIndex, _Match, _negated, _score
from kiosk.core.understand.intent_guess import guess, refine_lesson
from kiosk.core.understand.intent_phrases import _lesson_phrases, _static_phrases
from kiosk.core.understand.intent_text import CLAUSE, _canon_syllable, _tokens, normalize, strip_marks

# _canon_syllable is used by kiosk.speech.asr (WER without tone-placement errors)
_ = _canon_syllable

__all__ = [
    "Intent",
    "INTENTS",
    "SCREENS",
    "TOPICS",
    "MIN_CONFIDENCE",
    "CONFIRM_BELOW",
    "parse",
    "phrases_for",
    "needs_confirm",
    "confirm_question",
    "allowed_intents",
    "normalize",
    "strip_marks",
]

INTENTS = (
    "next", "back", "repeat", "call_staff", "large_text", "slower", "faster",
    "stop", "yes", "no", "home", "open",
)
TOPICS = ("vneid", "dvc", "payment", "health", "safety", "internet")
SCREENS = ("welcome", "home", "topic", "intro", "step", "finish", "ticket", "confirm")

#: below this the parser gives no intent at all
MIN_CONFIDENCE = 0.5
#: below this the kiosk says back what it understood and asks "Đúng không?"
CONFIRM_BELOW = 0.8
#: actions that cannot be undone by the visitor: always confirmed
IRREVERSIBLE = frozenset({"call_staff", "home"})
#: a rule naming a topic this sure, with the ranker agreeing, opens it (as a guess)
WEAK_OPEN = 0.3

_GLOBAL = {"repeat", "call_staff", "large_text", "slower", "faster", "stop"}
_ALLOWED: dict[str, frozenset[str]] = {
    "welcome": frozenset(_GLOBAL | {"next", "open"}),
    "home": frozenset(_GLOBAL | {"open", "back"}),
    "topic": frozenset(_GLOBAL | {"open", "back", "home"}),
    "intro": frozenset(_GLOBAL | {"next", "back", "home"}),
    "step": frozenset(_GLOBAL | {"next", "back", "home"}),
    "finish": frozenset(_GLOBAL | {"next", "back", "home"}),
    "ticket": frozenset(_GLOBAL | {"back", "home"}),
    "confirm": frozenset(_GLOBAL | {"yes", "no"}),
}
# on the confirm screen an answer wins a tie against a global command ("thôi")
_PRIORITY = {"yes": 2, "no": 2}


@dataclass
class Intent:
    name: str | None
    confidence: float = 0.0
    args: dict = field(default_factory=dict)
    #: the words that decided it (for "Bạn muốn ... phải không?"); not in the JSON
    matched: str = ""

    def to_json(self) -> dict:
        return {
            "intent": self.name,
            "confidence": round(float(self.confidence), 3),
            "args": dict(self.args),
        }

    def __bool__(self) -> bool:  # `if intent:` means "something was understood"
        return self.name is not None


def allowed_intents(screen: str | None) -> frozenset[str]:
    """Intents that apply on ``screen``; None (or "any") means all of them."""
    if screen in (None, "", "any", "all"):
        return frozenset(INTENTS)
    try:
        return _ALLOWED[screen]
    except KeyError:
        raise ValueError(
            f"unknown screen {screen!r}; expected one of: {', '.join(SCREENS)}"
        ) from None


def needs_confirm(intent: Intent | None) -> bool:
    """True when the kiosk must say back what it understood and ask "Đúng không?".

    That is: below the confidence threshold, or an action the visitor cannot
    undo (call_staff, home). An answer to the confirm question itself (yes/no)
    is never confirmed again; no intent means nothing to confirm (ask again).
    """
    if intent is None or intent.name is None:
        return False
    if intent.name in ("yes", "no"):
        return False
    return intent.name in IRREVERSIBLE or intent.confidence < CONFIRM_BELOW




def parse(text: str, screen: str | None = None, lessons: Sequence = ()) -> Intent:
    """The intent of ``text`` on ``screen`` (None: every intent applies).

    ``lessons``: objects with ``.id``, ``.title``, ``.topic``; naming one gives
    ``open`` with ``args.lesson``. Returns ``Intent(None, 0.0)`` when nothing
    matches well enough (unrelated speech).
    """
    allowed = allowed_intents(screen)
    toks, has_marks = _tokens(text)
    # lesson titles are matched word by word ("wi fi"), the phrases on joined names ("wifi")
    split = _phrase_index().unglue(toks, join=False)
    toks = _phrase_index().join_spelled(split)
    if not toks:
        return Intent(None, 0.0, {})
    ids = frozenset(getattr(lesson, "id", None) for lesson in lessons or ())
    best = _best_rule(toks, has_marks, allowed, screen, ids)
    if "open" in allowed and lessons:
        named = _best_lesson(split, has_marks, lessons)
        if named is not None:
            lconf, lesson = named
            # a named lesson beats a bare topic of its own (or a weaker one),
            # and anything else weaker than itself
            top = None if best is None else best[2]
            if (top is None or lconf > best[0] or top[0] == "_none"
                    or (top[0] == "open" and top[1] == getattr(lesson, "topic", None))):
                args = {"topic": getattr(lesson, "topic", None), "lesson": lesson.id}
                if not args["topic"]:
                    del args["topic"]
                return Intent("open", round(lconf, 3), args, matched=normalize(lesson.title))
    if best is not None and best[2][0] == "_none":
        return Intent(None, 0.0, {})
    if best is None or best[0] < MIN_CONFIDENCE:
        if "open" in allowed:
            # a weak rule for a topic counts when the ranker leans the same way
            weak = best[2][1] if best is not None and best[2][0] == "open" and best[0] >= WEAK_OPEN else None
            got = guess(toks, lessons, agree=weak)
            if got is not None:
                gconf, topic, lesson = got
                args = {"topic": topic, **({"lesson": lesson} if lesson else {})}
                return Intent("open", round(gconf, 3), args, matched=normalize(text))
        return Intent(None, 0.0 if best is None else round(best[0], 3), {})
    conf, m, (intent, topic, lesson), explained = best
    args: dict = {}
    if intent == "open":
        args["topic"] = topic
        # the words beside the topic's phrase may say which lesson ("cài" + "vneid")
        rest = [t for j, t in enumerate(toks) if j not in explained]
        lesson = lesson or refine_lesson(toks, rest, topic, lessons)
        if lesson:
            args["lesson"] = lesson
            # the lesson file says which topic it is under (a commune editor may move it):
            # the procedures list's topic only stands where no such lesson is installed
            args["topic"] = next((getattr(l, "topic", None) for l in lessons or ()
                                  if getattr(l, "id", None) == lesson), None) or topic
    return Intent(intent, round(conf, 3), args, matched=m.phrase.text)


def _last_clause_start(toks) -> int:
    """Index where the last clause starts (0 with a single clause)."""
    return max((j + 1 for j, t in enumerate(toks) if t.raw == CLAUSE), default=0)


def _first_clause_answer(groups, toks):
    """On the confirm screen, "ừ, ..." / "không, ..." answers first: a yes or
    no that is the whole first clause decides, whatever follows."""
    if not any(t.raw == CLAUSE for t in toks):
        return None
    first_end = next(j for j, t in enumerate(toks) if t.raw == CLAUSE)
    for key in (("yes", None, None), ("no", None, None)):
        for m in groups.get(key, ()):
            if m.start == 0 and m.end == first_end and m.quality >= 0.85:
                return m.quality, m, key, set(range(m.start, m.end))
    return None


@lru_cache(maxsize=1)
def _phrase_index() -> PhraseIndex:
    return PhraseIndex(_static_phrases())


def _best_rule(toks, has_marks: bool, allowed, screen, ids):
    """(confidence, match, (intent, topic, lesson), explained word indexes) of the
    best phrase rule, or None.

    A phrase's lesson counts only when that lesson is loaded (``ids``): the
    procedures list may name lessons that do not exist (yet)."""
    groups: dict[tuple, list[_Match]] = {}
    for ph, spans in _phrase_index().spans(toks, has_marks).items():
        if ph.intent not in allowed and ph.intent != "_none":
            continue
        for m in spans:
            if _negated(m, toks, has_marks):
                continue
            key = (ph.intent, ph.topic, ph.lesson if ph.lesson in ids else None)
            groups.setdefault(key, []).append(m)
    if screen == "confirm":
        answer = _first_clause_answer(groups, toks)
        if answer is not None:
            return answer
    best = None
    last = _last_clause_start(toks)
    for key, group in groups.items():
        conf, m = _score(group, toks)
        # lessons beat bare topics, longer beats shorter, answers beat globals on confirm
        rank = (
            # of two commands in separate clauses the last one is the request
            # ("khoan khoan, quay lại"); only among those sure enough to act on
            conf >= MIN_CONFIDENCE and key[0] != "_none" and last > 0
            and any(x.start >= last and x.quality >= 0.85 for x in group),
            round(conf, 6),
            1 if key[2] else 0,
            m.end - m.start,
            # small-talk formulas ("không có chi") win ties: they say what it is not
            3 if key[0] == "_none" else _PRIORITY.get(key[0], 0) if screen == "confirm" else 0,
        )
        if best is None or rank > best[0]:
            best = (rank, conf, m, key)
    if best is None:
        return None
    _, conf, m, key = best
    # the words every strong match of the winner explains ("mạng" and "internet")
    explained = {j for x in groups[key] if x.quality >= 0.85 or x is m for j in range(x.start, x.end)}
    return conf, m, key, explained


def phrases_for(screen: str | None, lessons: Sequence = ()) -> list[str]:
    """Phrases a grammar recognizer (vosk) should accept on ``screen``.

    The command phrases of the intents that apply there, lesson titles where a
    lesson can be opened, and the common filler words so that "cho tôi quay
    lại" is still inside the grammar. A grammar result must still go through
    :func:`parse`: a grammar returns *some* phrase even for unrelated speech.
    """
    allowed = allowed_intents(screen)
    seen: dict[str, None] = {}
    for ph in _static_phrases():
        if ph.intent in allowed:
            seen.setdefault(ph.text, None)
    if "open" in allowed:
        for ph in _lesson_phrases(lessons):
            seen.setdefault(ph.text, None)
    for w in ("cho tôi", "làm ơn", "ơi", "giúp", "với", "nha", "nhé", "ạ", "tôi muốn", "dạ"):
        seen.setdefault(w, None)
    return list(seen)


_SAY_BACK = {
    "next": "sang bước tiếp theo",
    "back": "quay lại bước trước",
    "repeat": "nghe lại",
    "call_staff": "gọi nhân viên",
    "large_text": "chữ to hơn",
    "slower": "nói chậm hơn",
    "faster": "nói nhanh hơn",
    "stop": "dừng đọc",
    "home": "về trang chủ",
}
_TOPIC_WORDS = {
    "vneid": "định danh điện tử VNeID", "dvc": "dịch vụ công", "payment": "thanh toán",
    "health": "y tế, sức khỏe", "safety": "an toàn, chống lừa đảo", "internet": "Internet và điện thoại",
}


def confirm_question(intent: Intent, lessons: Sequence = ()) -> str:
    """What the kiosk says back before acting on ``intent``: "Bác muốn gọi nhân viên, đúng không?"."""
    if intent.name == "open":
        lesson_id = intent.args.get("lesson")
        title = next((getattr(l, "title", "") for l in lessons or () if getattr(l, "id", None) == lesson_id), "")
        what = f"mở bài {title}" if title else f"xem mục {_TOPIC_WORDS.get(intent.args.get('topic'), 'này')}"
    else:
        what = _SAY_BACK.get(intent.name or "", "")
    if not what:
        return "Bác nói lại giúp, hoặc chạm vào nút trên màn hình."
    return f"Bác muốn {what}, đúng không?"
