"""A spoken line cut into parts: catalogue lines, spliced lines and a synthetic rest.

The kiosk composes what it says (the step line is "Bước 3 trên 8. Title. Words."; audio mode
adds the choices), so the player finds the catalogue lines inside the spoken text, longest
first, each on sentence boundaries. What is left is either a spliced line (a template below:
carrier phrases, numbers and letters, each recorded once) or said by the synthetic voice.
Parts are whole sentences, so a sentence is never half human and half synthetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.narration.catalogue import PIECES, SPLICE_NUMBERS, Line
from kiosk.speech.asr import number_words

_DIGIT_WORDS = {number_words(n): n for n in range(10)}
_SPELLED = r"[A-Z](?:, (?:" + "|".join(_DIGIT_WORDS) + "))+"

#: spliced sentences: a pattern on the spoken text -> how to say it from pieces
TEMPLATES = (
    (re.compile(r"Bước (\d+) trên (\d+)\."), ("piece.buoc", 1, "piece.tren", 2)),
    (re.compile(rf"Mời số ({_SPELLED}) đến quầy (\d+)\."), ("piece.moi-so", 1, "piece.den-quay", 2)),
    (re.compile(r"Nhân viên đang chờ bạn ở quầy (\d+)\."), ("piece.nhan-vien-cho-o-quay", 1)),
    (re.compile(rf"Số thứ tự của bạn là ({_SPELLED})\."), ("piece.so-thu-tu-la", 1)),
    (re.compile(r"Âm lượng (\d+) trên (\d+)\."), ("piece.am-luong", 1, "piece.tren", 2)),
    (re.compile(r"Kiểm tra nhanh, câu (\d+) trên (\d+)\."), ("piece.kiem-tra-cau", 1, "piece.tren", 2)),
    # the ticket screen: what happens next, and the place and wait (queue_views, queue_wait)
    (re.compile(rf"Khi nghe gọi số ({_SPELLED}), mời bạn đến quầy được gọi\."),
     ("piece.khi-nghe-goi-so", 1, "piece.moi-ban-den-quay-duoc-goi")),
    (re.compile(r"Trước bạn còn (\d+) người\."), ("piece.truoc-ban-con", 1, "piece.nguoi")),
    (re.compile(r"Trước bạn còn (\d+) người, khoảng (\d+) phút\."),
     ("piece.truoc-ban-con", 1, "piece.nguoi-khoang", 2, "piece.phut")),
    (re.compile(r"Trước bạn còn (\d+) người, khoảng (\d+) giờ\."),
     ("piece.truoc-ban-con", 1, "piece.nguoi-khoang", 2, "piece.gio")),
    (re.compile(r"Trước bạn còn (\d+) người, khoảng (\d+) giờ (\d+) phút\."),
     ("piece.truoc-ban-con", 1, "piece.nguoi-khoang", 2, "piece.gio", 3, "piece.phut")),
)
assert all(p in PIECES for _, seq in TEMPLATES for p in seq if isinstance(p, str))


@dataclass(frozen=True)
class Part:
    text: str
    id: str | None = None            # a catalogue line
    pieces: tuple[str, ...] = ()     # a spliced line: the piece ids in order

    @property
    def kind(self) -> str:
        return "line" if self.id else "spliced" if self.pieces else "synthetic"


def _value_pieces(value: str) -> tuple[str, ...] | None:
    """'12' -> ('num.12',); 'A, không, một' -> ('letter.a', 'num.0', 'num.1'); None if out of range."""
    if value.isdigit():
        n = int(value)
        return (f"num.{n}",) if n in SPLICE_NUMBERS else None
    out = []
    for token in value.split(", "):
        if len(token) == 1 and token.isalpha():
            out.append(f"letter.{token.lower()}")
        elif token in _DIGIT_WORDS:
            out.append(f"num.{_DIGIT_WORDS[token]}")
        else:
            return None
    return tuple(out)


def spliced(sentence: str) -> tuple[str, ...] | None:
    """The pieces that say ``sentence``, or None when no template fits it."""
    for pattern, seq in TEMPLATES:
        m = pattern.fullmatch(sentence.strip())
        if not m:
            continue
        pieces: list[str] = []
        for item in seq:
            got = (item,) if isinstance(item, str) else _value_pieces(m.group(item))
            if got is None:
                return None
            pieces.extend(got)
        return tuple(pieces)
    return None


def _sentences(text: str) -> list[str]:
    """Sentences of a gap, each kept with its full stop (a spliced template needs it)."""
    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text) if s.strip(" .,;:")]


def _bounded(text: str, start: int, end: int) -> bool:
    before = start == 0 or text[start - 1] in " "
    after = end == len(text) or text[end] in " .,;:?!"
    return before and after


def split(text: str, known: list[Line]) -> list[Part]:
    """``text`` as parts in order. ``known``: the catalogue lines that may occur in it."""
    claimed: list[tuple[int, int, str]] = []
    for line in sorted((l for l in known if not l.piece), key=lambda l: -len(l.text)):
        start = 0
        while (i := text.find(line.text, start)) >= 0:
            end = i + len(line.text)
            if _bounded(text, i, end) and not any(i < e and s < end for s, e, _ in claimed):
                claimed.append((i, end, line.id))
            start = i + 1
    parts: list[Part] = []
    pos = 0
    for s, e, line_id in sorted(claimed):
        parts += _gap(text[pos:s])
        parts.append(Part(text[s:e], line_id))
        pos = e
    parts += _gap(text[pos:])
    return parts


def _gap(text: str) -> list[Part]:
    out = []
    for sentence in _sentences(text):
        pieces = spliced(sentence)
        out.append(Part(sentence, pieces=pieces) if pieces else Part(sentence))
    return out
