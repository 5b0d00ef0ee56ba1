"""Naming a lesson: weighted overlap of the visitor's words with lesson titles."""

from __future__ import annotations

import math
from typing import Sequence

from kiosk.core.understand.intent_match import _free
from kiosk.core.understand.intent_text import _FILLERS, _Tok, _canon_syllable, _plain, normalize, strip_marks

# title words that say nothing about which lesson it is
_TITLE_STOP = frozenset(normalize("""
trên và bằng cho có đã dưới làm ở đâu mang gì dùng ứng dụng của với một các những
nhận biết xử lý tuổi trẻ nền tảng mạng
""").split()) | _FILLERS
_PLAIN_TITLE_STOP = frozenset(strip_marks(w) for w in _TITLE_STOP)
_LESSON_MIN = 0.7        # confidence a named lesson needs
_LESSON_MARGIN = 0.1     # ... and its lead over the next lesson


_TITLE_CACHE: dict[tuple, list[_Tok]] = {}


def _title_words(lesson) -> list[_Tok]:
    key = (getattr(lesson, "id", None), getattr(lesson, "title", None))
    words = _TITLE_CACHE.get(key)
    if words is None:
        if len(_TITLE_CACHE) > 512:
            _TITLE_CACHE.clear()
        words = _TITLE_CACHE[key] = _title_words_of(lesson)
    return words


def _title_words_of(lesson) -> list[_Tok]:
    """Distinctive words of a lesson's title, then those of its id (unmarked,
    e.g. "thanh-toan-le-phi"), without repeats."""
    text = normalize(getattr(lesson, "title", "") or "")
    seen: dict[str, _Tok] = {}
    for w in text.split():
        if w not in _TITLE_STOP:
            seen.setdefault(_plain(w), _Tok(w, _canon_syllable(w), _plain(w)))
    for w in normalize(str(getattr(lesson, "id", "") or "").replace("-", " ")).split():
        if len(w) > 1 and w not in _PLAIN_TITLE_STOP and w not in seen:
            seen[w] = _Tok(w, "", w)   # no canonical form: matched unmarked only
    return list(seen.values())


def _best_lesson(toks: list[_Tok], has_marks: bool, lessons: Sequence):
    """(confidence, lesson) for the lesson the text names, or None.

    Each distinctive title word the visitor says counts by its rarity among
    the lessons (idf); words the text has that no title explains, and that are
    not filler, lower the confidence.
    """
    titles = [(lesson, _title_words(lesson)) for lesson in lessons
              if getattr(lesson, "id", None) and getattr(lesson, "title", None)]
    if not titles:
        return None
    df: dict[str, int] = {}
    for _, words in titles:
        for t in words:
            df[t.plain] = df.get(t.plain, 0) + 1
    n = len(titles)
    idf = {k: math.log(1.0 + n / v) for k, v in df.items()}
    utt_canon = {t.canon for t in toks}
    utt_plain = {t.plain for t in toks}
    scored = []
    for lesson, words in titles:
        if not words:
            continue
        total = sum(idf[t.plain] for t in words)
        got = 0.0
        hits = 0
        explained_canon = set()
        explained_plain = set()
        for t in words:
            if has_marks and t.canon and t.canon in utt_canon:
                got += idf[t.plain]
            elif t.plain in utt_plain:
                got += idf[t.plain] * (1.0 if not has_marks else 0.85 if t.canon else 0.7)
            else:
                continue
            hits += 1
            explained_canon.add(t.canon)
            explained_plain.add(t.plain)
        if hits == 0:
            continue
        unique_hit = hits == 1 and any(
            df[t.plain] == 1 and (t.canon in utt_canon or t.plain in utt_plain) for t in words)
        if hits < 2 and not unique_hit:
            continue
        leftovers = 0
        for t in toks:
            if t.canon in explained_canon or t.plain in explained_plain:
                continue
            if _free(t, "open") or t.raw in _TITLE_STOP:
                continue
            leftovers += 1
        score = got / total
        conf = (0.55 + 0.45 * score) * max(0.0, 1.0 - 0.12 * leftovers)
        scored.append((conf, lesson))
    if not scored:
        return None
    scored.sort(key=lambda x: x[0], reverse=True)
    conf, lesson = scored[0]
    if conf < _LESSON_MIN:
        return None
    if len(scored) > 1 and conf - scored[1][0] < _LESSON_MARGIN:
        return None
    return min(conf, 1.0), lesson

