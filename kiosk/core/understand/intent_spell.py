"""Putting tone marks back: text typed without marks, or an ASR's wrong mark on a syllable.

"ve trang chu", "dung roi", "tiêp theo", "nói mau lến": the parser's phrases
are written with marks, and an unmarked syllable stands for up to six words
("dung": dùng, đúng, dừng, dũng...). Rather than guessing per word, the
whole sentence is read back with a small bigram language model of the
kiosk's own words: every command and topic phrase, the procedures list's
everyday names, the dialect words, and the words of every lesson file
(title, summary, steps, checklist, bring). Each syllable may become any
known word with the same letters (marks removed, đ -> d); the sequence the
model finds likeliest (Viterbi) wins, so "dung roi" becomes "đúng rồi" and
"dung lai" becomes "dừng lại".

A syllable written *with* marks is kept when it is a known word unless its
neighbours make another spelling far likelier ("nói mau lến" -> "lên");
a marked syllable the vocabulary does not know at all ("tiêp") is taken as a
slip and replaced by the likeliest known spelling. Words with no known
spelling stay as they are.

The model is a few thousand counts, built once per set of lessons (lazily,
on the first parse) and kept; decoding a sentence is a few dozen dictionary
look-ups per word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Sequence

from kiosk.core.understand.intent_text import canon_syllable, normalize, plain_syllable

_START = "<s>"
#: how much likelier (as a factor) a known word written with marks is kept than respelled
KEEP_WRITTEN = 30.0
#: weight of the command and topic phrases against the lessons' running text:
#: what visitors say to the kiosk, where the lessons are what the kiosk says
PHRASE_WEIGHT = 3.0
#: the same for a word the model has never seen (it knows a few thousand words of Vietnamese)
#: (set on generic perturbations of the dev half: a wrong tone on one random syllable)
KEEP_UNKNOWN = 3000.0
_ALPHA = 2.0                # bigram smoothing towards the unigram
_CLAUSE_SPLIT = re.compile(r"([,;.!?…:]+)")


_CHECKED = ("p", "t", "c", "ch")


def _impossible(canon: str) -> bool:
    """A syllable Vietnamese spelling does not allow: a checked ending (p, t, c,
    ch) with a tone other than sắc (1) or nặng (5)."""
    tone = canon[-1] if canon[-1:].isdigit() else ""
    base = canon[:-1] if tone else canon
    return base.endswith(_CHECKED) and tone not in ("1", "5") and base.isalpha()


_ONE_SYLLABLE = re.compile(r"^[^aeiouy]*[aeiouy]+[^aeiouy]*$")


def one_syllable(word: str) -> bool:
    """Whether ``word`` can be a single Vietnamese syllable: one run of vowels
    and at most one tone mark ("nóimau", "lạihỉ", "ytế" cannot)."""
    canon = canon_syllable(word)
    tones = sum(1 for ch in canon if ch.isdigit()) + sum(1 for ch in canon_syllable(canon[:-1]) if ch.isdigit())
    return tones <= 1 and bool(_ONE_SYLLABLE.match(plain_syllable(word)))


class SpellModel:
    """Bigram counts over toned words (tone placement ignored) and the known
    spellings of every unmarked syllable."""

    def __init__(self, sentences: Iterable[tuple[str, float]]):
        self.uni: Counter = Counter()
        self.bi: Counter = Counter()
        self.left: Counter = Counter()      # count of a word as the left side of a pair
        self.forms: dict[str, set[str]] = {}   # plain -> canon forms
        self.spelling: dict[str, str] = {}     # canon -> an NFC spelling
        for text, weight in sentences:
            words = normalize(text).split()
            prev = _START
            for w in words:
                c = canon_syllable(w)
                self.spelling.setdefault(c, w)
                self.forms.setdefault(plain_syllable(w), set()).add(c)
                self.uni[c] += weight
                self.bi[(prev, c)] += weight
                self.left[prev] += weight
                prev = c
        self.total = sum(self.uni.values()) or 1.0
        self.vocab = len(self.uni) + 1

    def _p_uni(self, c: str) -> float:
        return (self.uni.get(c, 0.0) + 0.1) / (self.total + 0.1 * self.vocab)

    def _logp(self, prev: str, c: str) -> float:
        left = self.left.get(prev, 0.0)
        p = (self.bi.get((prev, c), 0.0) + _ALPHA * self._p_uni(c)) / (left + _ALPHA)
        return math.log(p)

    def candidates(self, word: str, marked_text: bool) -> list[tuple[str, float]]:
        """(canon form, log prior) of the spellings ``word`` may stand for.

        In text written with marks, a word as written is believed (it may be
        a word the lessons never use: "chợ", "bữa"), unless it cannot be a
        Vietnamese syllable at all ("tiêp": a syllable ending in p, t, c, ch
        takes only the sắc or nặng tone). Without any marks, every known
        spelling competes on context alone."""
        c = canon_syllable(word)
        known = [k for k in self.forms.get(plain_syllable(word), ()) if k != c]
        if not marked_text:
            return [(k, 0.0) for k in known] + ([(c, 0.0)] if c in self.uni or not known else [])
        if c in self.uni:
            return [(c, math.log(KEEP_WRITTEN))] + [(k, 0.0) for k in known]
        if word != plain_syllable(word) and not _impossible(c):
            return [(c, math.log(KEEP_UNKNOWN))] + [(k, 0.0) for k in known]
        return [(k, 0.0) for k in known] or [(c, 0.0)]

    def split(self, word: str) -> list[str]:
        """A word that cannot be one syllable ("nóimau", "tiptheo"), as the
        likeliest run of 2-4 known syllables; other words as they are."""
        if one_syllable(word) or len(word) > 24 or not word.isalpha() or self._known_logp(word) is not None:
            return [word]
        # best[j]: (log probability, parts) of word[:j]
        best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
        for i in range(len(word)):
            if i not in best or len(best[i][1]) >= 4:
                continue
            for j in range(i + 1, min(len(word), i + 8) + 1):
                part = word[i:j]
                score = self._known_logp(part)
                if score is None or not one_syllable(part):
                    continue
                cand = (best[i][0] + score, best[i][1] + [part])
                if j not in best or cand[0] > best[j][0]:
                    best[j] = cand
        got = best.get(len(word))
        return got[1] if got and len(got[1]) >= 2 else [word]

    def _known_logp(self, part: str) -> float | None:
        c = canon_syllable(part)
        if c in self.uni:
            return math.log(self._p_uni(c))
        forms = self.forms.get(part) if part == plain_syllable(part) else None
        if forms:
            return max(math.log(self._p_uni(k)) for k in forms)
        return None

    def all_known(self, words: list[str]) -> bool:
        """Every word is a word the model knows, spelled as it stands."""
        return all(canon_syllable(w) in self.uni for w in words)

    def respell(self, words: list[str], marked_text: bool) -> list[str]:
        """The likeliest spelling of ``words`` (NFC lower-case syllables); words
        run together are split first."""
        words = [p for w in words for p in self.split(w)]
        if not words:
            return words
        cands = [self.candidates(w, marked_text) for w in words]
        # Viterbi over the candidates
        best = {_START: (0.0, [])}
        for options in cands:
            nxt: dict[str, tuple[float, list[str]]] = {}
            for c, prior in options:
                score, path = max(
                    ((s + self._logp(p, c) + prior, pth) for p, (s, pth) in best.items()),
                    key=lambda x: x[0])
                nxt[c] = (score, path + [c])
            best = nxt
        _, path = max(best.values(), key=lambda x: x[0])
        out = []
        for i, (w, c) in enumerate(zip(words, path)):
            written = canon_syllable(w)
            if written == c or (marked_text and w != plain_syllable(w)
                                and not _impossible(written) and not self._seen_beside(path, i)):
                # a word written with marks ("vợ") is only respelled when a neighbour
                # vouches for the new spelling (a pair seen together), never on
                # the new word's frequency alone
                out.append(w)
            else:
                out.append(self.spelling.get(c, w))
        return out

    def _seen_beside(self, path: list[str], i: int) -> bool:
        prev = path[i - 1] if i else _START
        nxt = path[i + 1] if i + 1 < len(path) else None
        if nxt is None:
            return self.bi.get((prev, path[i]), 0) > 0      # a one-word answer: "thồi"
        # else the start of a sentence vouches for nothing: many phrases start alike
        return (prev != _START and self.bi.get((prev, path[i]), 0) > 0) or self.bi.get((path[i], nxt), 0) > 0


def respell_text(model: SpellModel, text: str) -> str:
    """``text`` with marks put back clause by clause (punctuation kept)."""
    norm = normalize(text)
    marked = norm != plain_syllable(norm)
    parts = _CLAUSE_SPLIT.split(text or "")
    out = []
    for part in parts:
        if _CLAUSE_SPLIT.fullmatch(part):
            out.append(part)
            continue
        out.append(" ".join(model.respell(normalize(part).split(), marked)))
    return " ".join(p for p in out if p)


def lesson_sentences(lessons: Sequence) -> list[tuple[str, float]]:
    """Everything the lesson files say, as (text, weight) sentences."""
    out: list[tuple[str, float]] = []

    def add(value, weight=1.0):
        if not value:
            return
        if isinstance(value, str):
            for piece in re.split(r"[.;:!?\n]+", value):
                if piece.strip():
                    out.append((piece, weight))
        else:
            for v in value:
                add(v, weight)

    for lesson in lessons or ():
        add(getattr(lesson, "title", ""), 2.0)
        add(getattr(lesson, "summary", ""))
        for step in getattr(lesson, "steps", ()) or ():
            add(getattr(step, "title", ""))
            add(getattr(step, "text", ""))
        add(getattr(lesson, "checklist", ()))
        add(getattr(lesson, "bring", ()))
    return out
