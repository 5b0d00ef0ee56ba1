"""The pronunciation lexicon: written words -> the words the voice says (plain Python, no Kivy).

One editable file, `lessons/lexicon.yaml` (see lessons/README.md), turns what the screen shows
into what espeak-ng should read: brand names and abbreviations (VNeID, QR, OTP, Wi-Fi, Zalo),
web addresses (dichvucong.gov.vn, read part by part with "chấm"), dates (1/7/2024), years,
amounts (35.000 đồng) and short numbers read as Vietnamese numbers, codes and phone numbers
read digit by digit. It is applied at one place only, just before the speech engine
(kiosk.speech.tts.Speaker.render), so the screen and the captions always keep the written form
and a lesson rarely needs a `say:` line.

Numbers are read by the small reader below, not a library: num2words 0.5.14 (the maintained
one) reads 2024 in Vietnamese as "hai nghìn lẻ hai mươi bốn", where a Vietnamese listener
expects "hai nghìn không trăm hai mươi tư".
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kiosk import paths
from kiosk.core.content.lesson_yaml import Problem, read_yaml

LEXICON_NAME = "lexicon.yaml"
SECTIONS = ("words", "web", "amount_words")

DIGITS = "không một hai ba bốn năm sáu bảy tám chín".split()
_GROUPS = ((10**9, "tỷ"), (10**6, "triệu"), (10**3, "nghìn"))


# --- numbers in Vietnamese ----------------------------------------------------------------

def _three(n: int, full: bool) -> list[str]:
    """0..999 as words; `full` when a higher group came before ("không trăm", "lẻ")."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    out: list[str] = []
    if h or full:
        out += [DIGITS[h], "trăm"]
    if t == 0:
        if u:
            out += (["lẻ"] if (h or full) else []) + [DIGITS[u]]
        return out
    out += ["mười"] if t == 1 else [DIGITS[t], "mươi"]
    if u == 5:
        out.append("lăm")
    elif u == 1 and t > 1:
        out.append("mốt")
    elif u == 4 and t > 1:
        out.append("tư")
    elif u:
        out.append(DIGITS[u])
    return out


def number_words(n: int) -> str:
    """0 <= n < 10**12 -> "hai nghìn không trăm hai mươi tư" (2024)."""
    if n == 0:
        return "không"
    words: list[str] = []
    rest, started = n, False
    for size, name in _GROUPS:
        part, rest = divmod(rest, size)
        if part:
            words += _three(part, started) + [name]
            started = True
    if rest:
        words += _three(rest, started)
    return " ".join(words)


def digit_words(digits: str) -> str:
    """"156" -> "một năm sáu": hotlines, codes and phone numbers, one digit at a time."""
    return " ".join(DIGITS[int(d)] for d in digits if d.isdigit())


# --- the file -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Lexicon:
    words: dict = field(default_factory=dict)         # written word -> spoken words
    web: dict = field(default_factory=dict)           # part of a web address -> spoken words
    amount_words: tuple = ()                          # "đồng", "người"...: a number before is an amount

    def spoken_values(self) -> list[str]:
        """Respellings a caption must never show: the words' spoken forms, and a web address
        part as read inside an address ("chấm gốp"; "dịch vụ công" alone is plain Vietnamese)."""
        return list(dict.fromkeys([v for v in self.words.values() if v not in self.words]
                                  + [f"chấm {v}" for v in self.web.values()]))


def default_path() -> Path:
    """$KIOSK_LEXICON, else lexicon.yaml in the lessons folder, else the project's."""
    if os.environ.get("KIOSK_LEXICON"):
        return Path(os.environ["KIOSK_LEXICON"])
    here = paths.lessons_dir() / LEXICON_NAME
    return here if here.is_file() else paths.PROJECT_ROOT / "lessons" / LEXICON_NAME


def check(path: Path) -> tuple[Lexicon, list]:
    """Read and validate the file: (lexicon, problems as `path:line: message`)."""
    problems: list = []
    doc = read_yaml(path, problems)
    if doc is None:
        return Lexicon(), problems
    if not isinstance(doc, dict):
        return Lexicon(), problems + [Problem(str(path), 1, "the lexicon must be a mapping of sections")]
    line = lambda obj, key: getattr(obj, "lines", {}).get(key, 1)  # noqa: E731
    for key in doc:
        if key not in SECTIONS:
            problems.append(Problem(str(path), line(doc, key),
                                    f"unknown section '{key}' (known: {', '.join(SECTIONS)})"))
    maps = {}
    for name in ("words", "web"):
        raw = doc.get(name) or {}
        if not isinstance(raw, dict):
            problems.append(Problem(str(path), line(doc, name), f"'{name}' must map a written word to its spoken form"))
            raw = {}
        good = {}
        for written, said in raw.items():
            n = line(raw, written)
            if not isinstance(written, str) or not isinstance(said, str) or not said.strip():
                problems.append(Problem(str(path), n, f"'{written}': the spoken form must be text"))
            elif unicodedata.normalize("NFC", said) != said or unicodedata.normalize("NFC", written) != written:
                problems.append(Problem(str(path), n, f"'{written}': not in Unicode NFC form"))
            elif said.strip() == written:
                problems.append(Problem(str(path), n, f"'{written}': spoken the same as written (remove it)"))
            elif re.search(r"\d", said):
                problems.append(Problem(str(path), n, f"'{written}': write numbers in words in the spoken form"))
            else:
                good[written] = said.strip()
        maps[name] = good
    amounts = doc.get("amount_words") or []
    if not isinstance(amounts, list) or not all(isinstance(a, str) for a in amounts):
        problems.append(Problem(str(path), line(doc, "amount_words"), "'amount_words' must be a list of words"))
        amounts = []
    return Lexicon(maps["words"], {k.lower(): v for k, v in maps["web"].items()}, tuple(amounts)), problems


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> Lexicon:
    lex, problems = check(Path(path))
    for p in problems:  # a broken entry is skipped, the rest still works
        logging.getLogger("kiosk.lexicon").warning("lexicon: %s", p)
    return lex


def load(path: Path | None = None) -> Lexicon:
    """The lexicon (read again when the file changes; an editor's fix needs no restart)."""
    p = Path(path) if path else default_path()
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return Lexicon()
    return _load(str(p), mtime)


# --- written -> spoken --------------------------------------------------------------------

_WEB = re.compile(r"(?<![\w.@/])(?:https?://)?((?:[a-z0-9-]+\.)+[a-z]{2,})((?:/[\w\-./]*)?)(?![\w])")
_DATE = re.compile(r"(?<![\w/])(\d{1,2})/(\d{1,2})/(\d{4})(?![\w/])")
_THOUSANDS = re.compile(r"(?<![\w.,])(\d{1,3}(?:\.\d{3})+)(?![\w.]\d)")
_VERSION = re.compile(r"(?<![\w.])(\d+(?:\.\d+)+)(?![\w])")
_PHONE = re.compile(r"(?<![\w.])(\d{3,}(?: \d{3,})+)(?![\w])")
_NUMBER = re.compile(r"(?<![\w])(\d+)(?![\w])")


def _web(m: re.Match, lex: Lexicon) -> str:
    host, path = m.group(1), m.group(2).strip("/")
    said = " chấm ".join(lex.web.get(part, part) for part in host.split("."))
    if path:
        said += " gạch chéo " + " gạch chéo ".join(lex.web.get(p, p) for p in path.split("/") if p)
    return said


def _number(m: re.Match, text: str, lex: Lexicon) -> str:
    s = m.group(1)
    after = text[m.end():].lstrip().split(" ", 1)[0].strip(".,;:!?)").lower()
    is_year = len(s) == 4 and s[:2] in ("19", "20")
    if len(s) <= 2 or is_year or (after in lex.amount_words and not s.startswith("0")):
        return number_words(int(s))
    return digit_words(s)


def word_forms(text: str, lexicon: Lexicon | None = None) -> str:
    """Only the lexicon's words said as spoken (VNeID: Vê nê ai đi); numbers and addresses as
    written. Recorded narration keys its lines on this: a number there is a spliced piece."""
    lex = lexicon if lexicon is not None else load()
    for written in sorted(lex.words, key=len, reverse=True):  # "VietQR" before "QR"
        text = re.sub(rf"(?<![\w-]){re.escape(written)}(?![\w-])", lex.words[written], text)
    return text


def spoken_form(text: str, lexicon: Lexicon | None = None) -> str:
    """What the voice should say for `text` as written on screen (the lexicon's one place)."""
    lex = lexicon if lexicon is not None else load()
    text = unicodedata.normalize("NFC", text or "")
    text = _WEB.sub(lambda m: _web(m, lex), text)
    text = _DATE.sub(lambda m: f"{number_words(int(m.group(1)))} tháng {number_words(int(m.group(2)))} "
                               f"năm {number_words(int(m.group(3)))}", text)
    text = word_forms(text, lex)
    text = _THOUSANDS.sub(lambda m: number_words(int(m.group(1).replace(".", ""))), text)
    text = _VERSION.sub(lambda m: " chấm ".join(number_words(int(p)) for p in m.group(1).split(".")), text)
    text = _PHONE.sub(lambda m: ", ".join(digit_words(g) for g in m.group(1).split()), text)
    return _NUMBER.sub(lambda m: _number(m, m.string, lex), text)
