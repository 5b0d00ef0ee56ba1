"""Statistical fallback: rank lessons and topics for free text by TF-IDF over
character n-grams and words.

Used when the phrase rules find nothing (or find a topic but no lesson). Each
lesson is one document (its file's words plus the procedures' everyday names
for it, see ``intent_vocab``); each topic is one more (its phrases and the
everyday names with no lesson). The visitor's content words are compared with
cosine similarity on:

* character 3- and 4-grams of the unmarked words, padded with spaces, which
  survive ASR and typing slips ("căn cướt", "lí lịch tư phát", "mứt hai");
* whole words with their tones (tone placement ignored), which separate words
  that only differ by a mark;
* word pairs, which reward names said in order ("mức hai").

Why char n-grams written here and not scikit-learn's ``TfidfVectorizer`` or a
small embedding model: the documents are a few dozen short texts, the whole
index is ~60 lines of dictionaries and builds in milliseconds, a query costs
well under a millisecond, and the kiosk's memory and start-up budget (one
2-core machine, RSS target 350 MB beside the speech model) has no room for
scikit-learn + SciPy or a model runtime that would add tens of MB and a
second of import time for the same arithmetic. rapidfuzz (already used for
near-miss phrases) does not give corpus-weighted (idf) scores.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from kiosk.core.understand.intent_text import canon_syllable, plain_syllable
from kiosk.core.understand.intent_vocab import meaning_marks

NGRAMS = (3, 4)


def features(words: list[str]) -> Counter:
    """Sparse features of normalised words (see the module doc), and one per
    group of same-meaning words (``meanings.yaml``: "thằng nhỏ" and "trẻ em")."""
    f: Counter = Counter()
    for mark in marks_of(words):
        f["c:" + mark] += 2.0   # set on the dev half: a meaning counts more than one word pair
    words = [w for w in words if not w.startswith("#")]
    canon = [canon_syllable(w) for w in words]
    for w, c in zip(words, canon):
        f["w:" + c] += 1.0
        padded = f" {plain_syllable(w)} "
        for n in NGRAMS:
            for i in range(len(padded) - n + 1):
                f["g:" + padded[i:i + n]] += 0.5
    for a, b in zip(canon, canon[1:]):
        f["b:" + a + " " + b] += 1.0
    return f


def marks_of(words: list[str]) -> set[str]:
    """The meaning groups of ``words``: found in them, or given as "#group"
    words (the caller saw them among words it then left out, e.g. "con nít")."""
    given = {w for w in words if w.startswith("#")}
    return given | set(meaning_marks([w for w in words if not w.startswith("#")]))


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {k: v / norm for k, v in vec.items()}


@dataclass(frozen=True)
class Hit:
    score: float
    topic: str
    lesson: str | None
    words: int      # the visitor's content words found whole in the document
    vocab: frozenset = frozenset()   # the document's words (toned and unmarked)

    def has(self, word: str) -> bool:
        return canon_syllable(word) in self.vocab or plain_syllable(word) in self.vocab


class Ranker:
    """TF-IDF index over (topic, lesson, weighted texts) documents."""

    def __init__(self, docs: list[tuple[str, str | None, list[tuple[str, float]]]]):
        raw = []
        for topic, lesson, texts in docs:
            tf: Counter = Counter()
            vocab: set[str] = set()
            for text, weight in texts:
                words = text.split()
                vocab.update(canon_syllable(w) for w in words)
                vocab.update(plain_syllable(w) for w in words)
                vocab.update(marks_of(words))
                for k, v in features(words).items():
                    tf[k] += v * weight
            raw.append((topic, lesson, tf, frozenset(vocab)))
        n = len(raw)
        df: Counter = Counter()
        for _, _, tf, _ in raw:
            df.update(tf.keys())
        self.idf = {k: math.log((1 + n) / (1 + d)) + 1.0 for k, d in df.items()}
        self.unknown_idf = math.log(1 + n) + 1.0
        self.docs = []
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for i, (topic, lesson, tf, vocab) in enumerate(raw):
            vec = _unit({k: math.log1p(v) * self.idf[k] for k, v in tf.items() if v > 0})
            self.docs.append((topic, lesson, vocab))
            for k, v in vec.items():
                self.postings.setdefault(k, []).append((i, v))

    def rank(self, words: list[str]) -> list[Hit]:
        """Documents by similarity to the visitor's content ``words``, best first."""
        if not words:
            return []
        # features no document has still count in the query's length (at the
        # highest idf): a sentence mostly about something else scores low
        q = _unit({k: math.log1p(v) * self.idf.get(k, self.unknown_idf) for k, v in features(words).items()})
        scores: dict[int, float] = {}
        for k, qv in q.items():
            for i, dv in self.postings.get(k, ()):
                scores[i] = scores.get(i, 0.0) + qv * dv
        hits = []
        for i, s in scores.items():
            topic, lesson, vocab = self.docs[i]
            whole = sum(1 for w in words if canon_syllable(w) in vocab or plain_syllable(w) in vocab)
            hits.append(Hit(s, topic, lesson, whole, vocab))
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits
