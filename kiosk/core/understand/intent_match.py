"""Matching phrases against the visitor's words, negation, and the confidence of a match.

Near misses (an ASR's or a typist's) are matched with rapidfuzz above a
threshold, at lower confidence; words that no phrase explains lower it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from kiosk.core.understand.intent_phrases import Phrase
from kiosk.core.understand.intent_text import canon_syllable, plain_syllable
from kiosk.core.understand.intent_text import CLAUSE, FILLERS, OPEN_WORDS, Tok, other_time, strip_marks, third_person

_FUZZY_MIN = 82          # rapidfuzz ratio (0..100) on unmarked text
_FUZZY_MIN_CHARS = 5     # shorter phrases are never matched fuzzily
# names of things ("da lô", "vneid") are short and many: a near miss of a short
# name is more often another word ("a lô") than a slip, so they need more letters
_FUZZY_MIN_CHARS_OPEN = 6
_FUZZY_MIN_CONTENT = 3
_FUZZY_MIN_REGROUPED = 85
_LEFTOVER_COST = 0.17    # confidence lost per word no phrase of the intent explains
_LEFTOVER_COST_OPEN = 0.13
_LEFTOVER_COST_1 = 0.25  # the same for one-word commands ("qua", "thôi"), which are easy to hit by chance


@dataclass
class Match:
    phrase: Phrase
    quality: float
    start: int
    end: int


# Vietnamese names of Latin letters as an ASR writes them (unmarked): "vê en e ai đi" = VNeID;
# Q is "quy", "cu" or, in English, "kiu"
_LETTERS = {
    "a": "a", "ay": "a", "be": "b", "bi": "b", "xe": "c", "ce": "c", "de": "d", "di": "d", "e": "e",
    "ep": "f", "gi": "g", "hat": "h", "i": "i", "ai": "i", "ca": "k", "ka": "k", "cu": "q", "lo": "l", "mo": "m",
    "em": "m", "en": "n", "no": "n", "o": "o", "pe": "p", "pi": "p", "qui": "q", "quy": "q", "kiu": "q",
    "ro": "r", "et": "s", "ech": "s", "te": "t", "ti": "t", "u": "u", "ve": "v", "vi": "v",
    "ich": "x", "it": "x", "y": "y", "det": "z", "zet": "z",
}


# letters heard as their English names, beside the Vietnamese reading above: "a" (R),
# "rờ" (R), "ét" (S): "việt qui a" = VietQR; a recognizer also runs N and the E after
# it into one syllable ("vê nê ai đi" = VNeID), and says Y as "i" ("bê hát i tê" = BHYT)
_LETTERS_TOO = {"a": ("r",), "ro": ("r",), "ro2": ("r",), "et": ("s",), "ne": ("ne",), "i": ("y",),
                # "tê" (T) reaches here as "kia": the central "tê" is mapped first
                "kia": ("t",)}


class PhraseIndex:
    """The phrases, indexed so that a parse looks at the few that can match.

    Exact matches come from dictionaries keyed by the phrase's syllables; a
    near miss (fuzzy) is only tried for phrases that share an unmarked
    syllable with the text (or are one long syllable), which keeps a parse
    in the low milliseconds with hundreds of everyday names.
    """

    def __init__(self, phrases):
        self.canon: dict[tuple, list[Phrase]] = {}
        self.plain: dict[tuple, list[Phrase]] = {}
        self.by_syllable: dict[str, list[Phrase]] = {}
        self.singles_by_first: dict[str, list[Phrase]] = {}
        self.fuzzy_ok = {ph for ph in phrases if _fuzzy_allowed(ph)}
        self.lengths = sorted({len(ph.canon) for ph in phrases})
        #: every syllable of every phrase (toned and unmarked), for unglue
        self.known = {x for ph in phrases for x in ph.canon + ph.plain}
        #: one-word names written in Latin letters (vneid, zalo, vssid, bhyt)
        self.names = {x for x in self.known if x.isascii() and x.isalpha() and len(x) >= 4}
        #: unmarked forms of marked syllables ("cong" of "công"): not spelled from marked words
        self.unmarked_forms = {p for ph in phrases for c, p in zip(ph.canon, ph.plain) if c != p}
        for ph in phrases:
            self.canon.setdefault(ph.canon, []).append(ph)
            self.plain.setdefault(ph.plain, []).append(ph)
            if len(ph.plain) == 1 and ph in self.fuzzy_ok:
                self.singles_by_first.setdefault(ph.plain[0][:1], []).append(ph)
            if ph in self.fuzzy_ok:    # only near misses look phrases up by syllable
                for syl in set(ph.plain):
                    self.by_syllable.setdefault(syl, []).append(ph)

    def unglue(self, toks: list[Tok], join: bool = True) -> list[Tok]:
        """Words run together by typing or an ASR ("quaylại", "gọinhân",
        "dichvucong") split into known syllables; a name spelled out or cut in
        pieces ("vê en e ai đi", "za lo") joined; other words stay as they are."""
        out: list[Tok] = []
        for t in toks:
            parts = None if t.canon in self.known or t.plain in self.known else self._split(t.raw)
            out.extend(Tok(p, canon_syllable(p), plain_syllable(p)) for p in parts) if parts else out.append(t)
        return self.join_spelled(out) if join else out

    def join_spelled(self, toks: list[Tok]) -> list[Tok]:
        out: list[Tok] = []
        i = 0
        while i < len(toks):
            for width in range(min(6, len(toks) - i), 1, -1):
                word = self._spelled(toks[i:i + width])
                if word:
                    out.append(Tok(word, word, word))
                    i += width
                    break
            else:
                out.append(toks[i])
                i += 1
        return out

    def _spelled(self, window: list[Tok]) -> str | None:
        """The known name (vneid, zalo, vssid...) these short words spell, or None."""
        if any(len(t.plain) > 4 or t.raw == CLAUSE for t in window):
            return None
        options = [""]
        for t in window:
            forms = {t.plain, _LETTERS.get(t.plain, t.plain), *_LETTERS_TOO.get(t.plain, ())}
            options = [o + f for o in options for f in forms]
        # "còn gì" spells no "cong", "vi en" no "vien" (of "nhân viên"): a name is
        # spelled, a Vietnamese syllable is said
        return next((o for o in options if o in self.names and o not in self.unmarked_forms), None)

    def _split(self, word: str) -> list[str] | None:
        """``word`` as 2-4 known syllables (2+ letters each), or None."""
        if len(word) < 4 or len(word) > 24 or word == CLAUSE:
            return None
        best: dict[int, list[str]] = {0: []}
        for i in range(len(word)):
            if i not in best or len(best[i]) >= 4:
                continue
            for j in range(i + 2, min(len(word), i + 8) + 1):
                part = word[i:j]
                if (canon_syllable(part) in self.known or plain_syllable(part) in self.known) and j not in best:
                    best[j] = best[i] + [part]
        parts = best.get(len(word))
        return parts if parts and len(parts) >= 2 else None

    def spans(self, toks: list[Tok], has_marks: bool) -> dict[Phrase, list[Match]]:
        """Every phrase found in ``toks`` with its matches (exact, else its best near miss)."""
        found: dict[Phrase, list[Match]] = {}
        canon = [t.canon for t in toks]
        plain = [t.plain for t in toks]
        for n in self.lengths:
            for i in range(0, len(toks) - n + 1):
                exact = self.canon.get(tuple(canon[i:i + n]), ())
                for ph in exact:
                    found.setdefault(ph, []).append(Match(ph, 1.0, i, i + n))
                if not has_marks:
                    q = 0.93
                elif n > 1:
                    # marks present but some are wrong ("tiêp theo"): fine for a
                    # phrase, too risky for one syllable ("quả" is not "qua")
                    q = 0.86
                else:
                    continue
                for ph in self.plain.get(tuple(plain[i:i + n]), ()):
                    if ph not in exact:
                        found.setdefault(ph, []).append(Match(ph, q, i, i + n))
        self._skipping_fillers(toks, has_marks, found)
        seen = set(found)
        windows = _Windows(toks, has_marks)
        for ph in self._fuzzy_candidates(plain):
            if ph in seen:
                continue
            seen.add(ph)
            m = _near_miss(ph, toks, has_marks, windows)
            if m is not None:
                found[ph] = [m]
        return found

    def _skipping_fillers(self, toks: list[Tok], has_marks: bool, found: dict) -> None:
        """Phrases said with one filler word inside ("gọi cô cán bộ" is "gọi cán bộ"):
        matched on the words without the fillers,
        never across a clause boundary, at a slightly lower quality."""
        keep = [j for j, t in enumerate(toks) if t.raw == CLAUSE or t.raw not in FILLERS]
        if len(keep) == len(toks):
            return
        canon = [toks[j].canon for j in keep]
        plain = [toks[j].plain for j in keep]
        for n in self.lengths:
            if n < 2:
                continue
            for i in range(0, len(keep) - n + 1):
                start, end = keep[i], keep[i + n - 1] + 1
                if end - start == n or end - start > n + 1:
                    continue        # nothing skipped (found already), or more than one
                    # filler skipped: "nói gì mà nhanh" is not "nói nhanh"
                hits = self.canon.get(tuple(canon[i:i + n]), ())
                if not hits and not has_marks:
                    hits = self.plain.get(tuple(plain[i:i + n]), ())
                for ph in hits:
                    found.setdefault(ph, []).append(Match(ph, 0.95, start, end))

    def _fuzzy_candidates(self, plain: list[str]):
        """Phrases of several syllables with at least half of them in the text
        (a near miss of the whole phrase keeps most syllables), and the
        one-syllable phrases."""
        shared: dict[Phrase, int] = {}
        for syl in set(plain):
            for ph in self.by_syllable.get(syl, ()):
                shared[ph] = shared.get(ph, 0) + 1
        for ph, k in shared.items():
            if len(ph.plain) > 1 and 2 * k >= len(set(ph.plain)) and ph in self.fuzzy_ok:
                yield ph
        # one-syllable phrases: only those starting like a word of the text (a slip
        # rarely changes the first letter: "típ" for "tiếp", "nge" for "nghe")
        for first in {p[:1] for p in plain}:
            yield from self.singles_by_first.get(first, ())


def _syllables_close(ph: Phrase, window: list[Tok], ratio: float) -> bool:
    """A slip changes a letter per syllable ("tiếp thep", "nhân viêng", "mứt hai"),
    not a whole word ("có wifi không" is not "có ai không", "nhà" is not "nhanh").
    Windows of another length (words run together or split) need a closer ratio."""
    if len(window) != len(ph.plain):
        return ratio >= _FUZZY_MIN_REGROUPED
    return all(_syllable_slip(t.plain, p) for t, p in zip(window, ph.plain))


def _syllable_slip(heard: str, meant: str) -> bool:
    """One letter off, or two in a syllable of the same length (ch/tr, s/x, gi/d
    confusions: "chang chủ" for "trang chủ")."""
    d = Levenshtein.distance(heard, meant)
    return d <= 1 or (d == 2 and len(heard) == len(meant) >= 4)


def _fuzzy_allowed(ph: Phrase) -> bool:
    """Whether a phrase is long enough to be matched by a near miss at all."""
    if not ph.fuzzy:
        return False
    min_chars = _FUZZY_MIN_CHARS_OPEN if ph.intent == "open" else _FUZZY_MIN_CHARS
    if len(" ".join(ph.plain)) < min_chars:
        return False
    # and the words that carry the command must not be tiny ("cho tôi học" is "học")
    content = [p for w, p in zip(ph.text.split(), ph.plain) if w not in FILLERS]
    return len(" ".join(content)) >= _FUZZY_MIN_CONTENT


def _near_miss(ph: Phrase, toks: list[Tok], has_marks: bool, windows: "_Windows") -> Match | None:
    """The best near miss of ``ph`` in ``toks``: on toned syllables when the text
    has marks (stricter: "cảm ơn" is not "chậm hơn"), on unmarked ones otherwise."""
    n = len(ph.canon)
    target = " ".join(ph.canon if has_marks else ph.plain)
    best: Match | None = None
    for width in sorted({max(1, n - 1), n, n + 1}):
        cands = windows.of(width)
        # rapidfuzz compares against every window of this width in one C call
        for cand, r, i in process.extract(target, cands, scorer=fuzz.ratio, score_cutoff=_FUZZY_MIN,
                                          limit=None):
            if abs(len(cand) - len(target)) > max(2, len(target) // 3):
                continue
            if _syllables_close(ph, toks[i:i + width], r):
                q = 0.82 * r / 100.0
                if best is None or q > best.quality:
                    best = Match(ph, q, i, i + width)
    return best


class _Windows:
    """The text's runs of 1, 2, 3... words as strings, made once per parse."""

    def __init__(self, toks: list[Tok], has_marks: bool):
        self.words = [t.canon if has_marks else t.plain for t in toks]
        self._by_width: dict[int, list[str]] = {}

    def of(self, width: int) -> list[str]:
        got = self._by_width.get(width)
        if got is None:
            w = self.words
            got = self._by_width[width] = [" ".join(w[i:i + width]) for i in range(len(w) - width + 1)]
        return got


_NEGATORS = frozenset({"không", "đừng", "chẳng", "chả", "khỏi", "chưa", "hổng", "hông"})
NEGATORS = tuple(_NEGATORS)
PLAIN_NEGATORS = frozenset({"khong", "chang", "khoi", "chua"})  # not "dung": dùng/đúng/đừng
# words that may stand between a negator and the command ("không cần gọi ...")
_NEG_GAP = frozenset({"cần", "muốn", "phải", "có", "được", "tôi", "em", "mình", "hãy", "nên", "thèm"})
_PLAIN_NEG_GAP = frozenset(strip_marks(w) for w in _NEG_GAP)


_DENIALS = frozenset({("đâu", "có"), ("đâu", "phải"), ("có", "đâu")})
_PLACE = frozenset({"ở", "chỗ", "nơi", "tới", "đi"})


def denied(toks: list[Tok]) -> bool:
    """The sentence denies ("tui đâu có xài ngân hàng", "có đâu"), as opposed to
    asking where ("ở đâu có ...")."""
    words = [t.raw for t in toks]
    return any((a, b) in _DENIALS and (i == 0 or words[i - 1] not in _PLACE)
               for i, (a, b) in enumerate(zip(words, words[1:])))


def negated(m: Match, toks: list[Tok], has_marks: bool) -> bool:
    """True when a negation word stands just before the matched phrase
    ("tôi không muốn gọi nhân viên"); one other word may stand between."""
    if m.phrase.intent in ("no", "_none"):
        return False
    j = m.start - 1
    others = 0
    while j >= 0:
        t = toks[j]
        if t.raw == CLAUSE:
            return False
        if (t.raw in _NEGATORS) if has_marks else (t.plain in PLAIN_NEGATORS):
            return True
        if t.raw == "đâu" and j + 1 < len(toks) and toks[j + 1].raw in ("có", "phải"):
            return True     # "tui đâu có xài ngân hàng": "đâu có" denies
        if not ((t.raw in _NEG_GAP) if has_marks else (t.plain in _PLAIN_NEG_GAP)):
            others += 1
            if others > 1:
                return False
        j -= 1
    return False


_PLAIN_FILLERS = frozenset(strip_marks(w) for w in FILLERS) - {
    # unmarked forms of fillers that are also command words
    "to", "lai", "nhanh", "chu", "dung", "tien", "thoi",
}
_PLAIN_OPEN = frozenset(strip_marks(w) for w in OPEN_WORDS)


def is_free(t: Tok, intent: str) -> bool:
    """A word that costs nothing when no phrase explains it.

    A word written with marks is judged as written ("chờ" and "tới" are not
    the fillers "cho" and "tôi"); only an unmarked word is compared unmarked."""
    marked = t.raw != t.plain
    if t.raw in FILLERS or (not marked and t.plain in _PLAIN_FILLERS):
        return True
    return intent == "open" and (t.raw in OPEN_WORDS or (not marked and t.plain in _PLAIN_OPEN))


def _clauses(toks: list[Tok]) -> list[int]:
    out, k = [], 0
    for t in toks:
        k += t.raw == CLAUSE
        out.append(k)
    return out


def _leftovers(toks: list[Tok], covered: set[int], intent: str) -> float:
    """Words no match explains; those in another clause than the command count
    half ("tui học xong mà chưa biết làm, gọi người")."""
    clause = _clauses(toks)
    matched = {clause[j] for j in covered}
    return sum(1.0 if clause[j] in matched else 0.5
               for j, t in enumerate(toks) if j not in covered and not is_free(t, intent))


def score_matches(group: list[Match], toks: list[Tok], also: frozenset[int] = frozenset()) -> tuple[float, Match]:
    """Confidence for one candidate (intent + args) from all its matches.

    Each match is tried as the deciding one (a near miss "đún rồi" may explain
    more than the exact "rồi"); words covered by any strong match of the same
    candidate ("chuyển tiền qua ngân hàng") are explained, and ``also`` (words
    the caller knows belong to the same request), filler words are free,
    every other word lowers the confidence.
    """
    strong = set(also)
    for m in group:
        if m.quality >= 0.85:
            strong.update(range(m.start, m.end))
    third = third_person(toks) + other_time(toks)
    if any(_part_of_a_statement(m, toks, strong) or _question_tail(m, toks) or _reported(m, toks) for m in group):
        # "tui không có tiền": not "không" either
        return 0.0, group[0]
    return max((_score_one(m, strong, toks, third) for m in group), key=lambda x: (x[0], x[1].quality))


def _closing_request(m: Match, toks: list[Tok], covered: set[int]) -> bool:
    """A command of two or more words that ends the utterance (fillers aside),
    said in two or more words that are not fillers: its own, or those of another
    phrase of the same command ("chưa nghe kịp" before "nói lại giùm")."""
    if m.phrase.intent in ("open", "_none", "yes", "no") or m.end - m.start < 2 or m.quality < 0.9:
        return False
    if sum(1 for j in covered if toks[j].raw not in FILLERS) < 2:
        return False
    return all(t.raw in FILLERS for t in toks[m.end:])


# answers whose words also begin a statement: "không có" (tiền), "phải" (đi chợ), "vâng" (lời)
_STATEMENT_OPENERS = frozenset({"không có", "có", "phải", "vâng", "đúng là", "dạ phải"})


def _part_of_a_statement(m: Match, toks: list[Tok], covered: set[int]) -> bool:
    """A yes/no phrase followed, in its clause, by a word that is neither filler
    nor part of the answer: "tui không có tiền", "phải đi chợ sớm", "vâng lời
    ba mẹ" open a statement and answer nothing."""
    if m.phrase.intent not in ("yes", "no") or m.phrase.text not in _STATEMENT_OPENERS:
        return False
    j = m.end
    return (j < len(toks) and toks[j].raw not in (CLAUSE, "đâu") and j not in covered
            and not is_free(toks[j], m.phrase.intent))


# commands whose words with "rồi" still ask: "xong rồi", "biết rồi" say where the visitor is
_DONE_STATES = frozenset({"next", "stop", "yes", "no", "open", "_none"})


def _reported(m: Match, toks: list[Tok]) -> bool:
    """"tui gọi nhân viên rồi (mà)": the visitor says they did it already, after
    "tôi" and before a final "rồi"; "cô nhân viên đang bận": the words are the
    subject of what someone is doing. A report, not a request."""
    if m.phrase.intent in _DONE_STATES or "rồi" in m.phrase.text.split():
        return False
    before = [t.raw for t in toks[:m.start] if t.raw != CLAUSE]
    after = [t.raw for t in toks[m.end:] if t.raw != CLAUSE]
    if after and after[0] == "đang":
        return True
    return (bool(before) and before[-1] in ("tôi", "mình") and "rồi" in after
            and all(w in FILLERS for w in after))


def _question_tail(m: Match, toks: list[Tok]) -> bool:
    """A final "không" of a question "có ... không?" / "được ... không?" ("có tiền
    không", "có ai ngồi đây không"): it asks, it does not answer no."""
    if m.phrase.intent != "no" or m.phrase.text != "không":
        return False
    if any(t.raw != CLAUSE and t.raw not in FILLERS for t in toks[m.end:]):
        return False
    start = m.start
    while start > 0 and toks[start - 1].raw != CLAUSE:
        start -= 1
    words = toks[start:m.start]
    return (len(words) >= 2 and words[0].raw in ("có", "được")
            and any(not is_free(t, "no") for t in words[1:]))


def _score_one(best: Match, strong: set[int], toks: list[Tok], third: int) -> tuple[float, Match]:
    covered = strong | set(range(best.start, best.end))
    leftovers = _leftovers(toks, covered, best.phrase.intent)
    if _closing_request(best, toks, covered):
        # a story, then the request at the end ("... tui chưa nghe kịp, nói lại giùm"):
        # the story's words count a third
        leftovers /= 3.0
    if third and best.phrase.intent not in ("open", "_none"):
        # talk about someone else ("ông ấy nói chậm lắm") or another time ("hôm qua
        # tui gọi nhân viên rồi") commands nothing
        return 0.0, best
    if leftovers and all(w in FILLERS for w in best.phrase.text.split()):
        # "rồi", "có", "được" alone are answers; inside a longer sentence they are not
        return 0.0, best
    if best.quality < 0.85 and leftovers >= 2:
        # a near miss among other words is more likely another word than a slip
        return 0.0, best
    if len(covered) == 1 and leftovers >= 2 and best.phrase.intent != "open":
        # one command word inside a sentence about something else ("ngồi xích qua
        # chút", "bả nói tiếp thị") is talk, not a command
        return 0.0, best
    cost = _LEFTOVER_COST_1 if len(covered) == 1 else _LEFTOVER_COST
    if best.phrase.intent == "open":
        # a named service or paper stays telling in a long sentence ("zalo con
        # tui nhắn mượn tiền"); a command word in one is more often chance
        cost = _LEFTOVER_COST_OPEN
    bonus = min(0.04 * (len(covered) - 1), 0.12)
    conf = best.quality * (1.0 - cost * leftovers + bonus)
    return max(0.0, min(1.0, conf)), best

