"""Text normalisation for the intent parser: NFC, tone marks, dialect words, tokens.

* text is put in Unicode NFC, lower-cased, punctuation dropped;
* tone marks are moved to the end of each syllable before comparing, so both
  placements ("hoà"/"hòa", "thuý"/"thúy") and NFD input compare equal;
* a match without any diacritics (NFD, drop combining marks, đ -> d) is the
  fallback, for typed text without marks or with wrong tone marks;
* common central (Quảng Ngãi) and southern wording is mapped to standard words
  first ("rứa" -> "vậy", "mô" -> "đâu", "răng" -> "sao", "chi" -> "gì", ...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_NUMBERS = {
    "0": "không", "1": "một", "2": "hai", "3": "ba", "4": "bốn", "5": "năm",
    "6": "sáu", "7": "bảy", "8": "tám", "9": "chín", "10": "mười",
}
_PUNCT = re.compile(r"[^\w\s]|_", re.UNICODE)


def strip_marks(text: str) -> str:
    """Vietnamese text without any diacritics: NFD, drop combining marks, đ -> d."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return out.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=8192)
def canon_syllable(tok: str) -> str:
    """One syllable with its tone mark moved to the end as a digit: hoà/hòa -> hoa2."""
    tone = ""
    base = []
    for ch in unicodedata.normalize("NFD", tok):
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            base.append(ch)
    return unicodedata.normalize("NFC", "".join(base)) + tone


@lru_cache(maxsize=8192)
def plain_syllable(tok: str) -> str:
    return strip_marks(tok)


def normalize(text: str) -> str:
    """NFC, lower case, punctuation to spaces, digits 0-10 as words, single spaces."""
    text = unicodedata.normalize("NFC", text or "").lower()
    text = _PUNCT.sub(" ", text)
    toks = []
    for tok in text.split():
        toks.append(_NUMBERS.get(tok, tok))
    return " ".join(toks)


# central / Quảng Ngãi and southern words -> standard words (on toned syllables)
_DIALECT_WORDS = {
    "rứa": "vậy", "dzậy": "vậy", "vầy": "vậy", "ri": "vậy",
    "mô": "đâu", "tê": "kia", "chi": "gì", "răng": "sao", "ni": "này",
    "nớ": "đó", "chừ": "giờ", "bây chừ": "bây giờ", "tui": "tôi", "tao": "tôi",
    "mần": "làm", "nỏ": "không", "hông": "không", "hổng": "không", "hổng có": "không",
    "kêu": "gọi", "coi": "xem", "lẹ": "nhanh", "mau": "nhanh", "biểu": "bảo",
    "ưng": "đồng ý", "hỉ": "nhỉ", "nghen": "nha", "hen": "nha",
    "o": "cô", "eng": "anh", "ả": "chị", "trở lui": "trở lại", "lui": "lùi",
    "đặng": "được", "chộ": "thấy", "bựa ni": "hôm nay", "ừa": "ừ", "ờ": "ừ",
    "vô": "vào", "kiếng": "kính", "xài": "dùng", "lộn": "nhầm", "hè": "nhỉ", "hỉ": "nhỉ",
    "chi mô": "gì đâu", "bấm lộn": "bấm nhầm", "trển": "trên đó", "dìa": "về",
    "trật": "sai", "trật lất": "sai bét", "y chang": "y vậy",
    "dzô": "vào", "zô": "vào", "sanh": "sinh", "típ": "tiếp", "hồi nãy": "lúc nãy", "khi nãy": "lúc nãy", "ban nãy": "lúc nãy",
}
# the English words of a phone's buttons as a recognizer (or a visitor) spells
# them in Vietnamese syllables; only spellings that are no common Vietnamese
# word ("bách", "hôm", "heo" are, and stay as they are)
_LOANWORDS = {
    "néc": "next", "nếch": "next", "nếc": "next", "nêch": "next",
    "bếch": "back", "béc": "back",
    "ô kê": "ok", "ô khê": "ok", "ồ kê": "ok",
    "zum": "zoom", "dzum": "zoom",
    "xtóp": "stop", "xờ tóp": "stop", "sờ tóp": "stop",
    "hép": "help", "ri pít": "repeat", "ri bít": "repeat",
}
_DIALECT_WORDS.update(_LOANWORDS)

# the same for text typed without any marks (only forms that stay unambiguous)
_DIALECT_PLAIN = {
    "rua": "vay", "dzay": "vay", "rang": "sao", "tui": "toi", "tao": "toi",
    "hong": "khong", "nghen": "nha", "ua": "u", "xai": "dung", "kieng": "kinh",
}

# words that cost nothing when left over: politeness, pronouns, particles
_FILLER_TEXT = """
cho tôi làm ơn ơi giúp với nha nhé ạ à ừ dạ vâng xin vui lòng hãy cần muốn
mình tôi em anh chị cô chú bác ông bà con cháu bạn ad máy kiosk ơi
đi nào thử giùm dùm cái này đó kia vậy thế luôn nữa ngay bây giờ đã
được có phải hả hở nhỉ nha chứ mà thì là rồi
coi xem muốn tôi giùm cho với lại ra đây đấy kìa ấy giờ nay gì hết cả lắm
chút một hoài mãi quá trời ơi nhé hen
bấm nhấn chạm ấn nút
ủa ơ ô ôi úi ui chà thưa
"""
FILLERS = frozenset(normalize(_FILLER_TEXT).split()) | {"|"}
# words that may come with "open" ("tôi muốn làm căn cước", "hướng dẫn dùng zalo")
OPEN_WORDS = frozenset(normalize("""
mở vào chọn học làm xem coi hướng dẫn cách biết tìm hiểu về cho dùng sử dụng
như thế nào sao bài việc mục phần chủ đề thủ tục cài đặt tạo lập đăng ký
điện thoại trên qua bằng ứng dụng app sợ lo
""").split())


@dataclass(frozen=True)
class Tok:
    raw: str      # NFC lower-case word as written (after dialect mapping)
    canon: str    # tone moved to the end (hoa2)
    plain: str    # no marks (hoa)


#: stands between clauses ("chưa nghe kịp, nói lại"): a negation does not reach
#: across it, no phrase spans it, and it costs nothing
CLAUSE = "|"

# talk about (or to) someone else: "ổng nói chậm lắm", "bà ấy nói đúng"
_THIRD = frozenset(normalize("ổng bả ảnh ẻm họ hắn thằng đứa").split())
# "con tui", "vợ tôi", "cháu nội tui": one's family, talked about (the kiosk is never "my son")
_KIN = frozenset(normalize("""
con cháu vợ chồng ba má mẹ cha bố dâu rể nội ngoại anh chị em ông bà bạn gái trai út
""").split())
_MINE = frozenset(normalize("tôi mình").split())
_THIRD_PAIRS = frozenset({("người", "ta"), ("tụi", "nó"), ("bọn", "nó"), ("bà", "con")}) | {
    (p, d) for p in normalize("ông bà anh chị cô chú bác em con cháu").split() for d in ("ấy", "kia")
}


# another time than now: "hôm qua tui gọi rồi", "bữa mô tui lên học tiếp" tell, not ask
_OTHER_TIME = frozenset(tuple(normalize(p).split()) for p in """
hôm qua | hôm kia | bữa qua | bữa trước | bữa kia | bữa nào | bữa đâu | tháng trước | tuần trước |
năm ngoái | năm trước | hồi trước | lần trước | ngày mai | mai mốt | tuần sau | tháng sau | năm sau |
lát nữa | chiều nay | tối nay | hồi đó | hồi xưa | hồi nhỏ | ngày xưa | lúc trước | hồi sáng |
tối qua | đêm qua | bữa hổm | hôm trước | tuần rồi | tháng rồi | năm rồi
""".split("|"))


def other_time(toks) -> bool:
    """The sentence speaks of another time than now (a story or a plan)."""
    words = [t.raw for t in toks]
    # one word of another time: "mai tui quay lại học tiếp" ("mai táng" is a funeral);
    # not "mốt" or "ngoái" alone, which a respelling makes of typed "mot", "ngoai"
    if any(w == "mai" and nxt != "táng" for w, nxt in zip(words, words[1:] + [""])):
        return True
    return any(tuple(words[i:i + 2]) in _OTHER_TIME for i in range(len(words) - 1))


# words that make a sentence a need or a question, whoever it is about
_ASKS = frozenset(normalize("""
cần muốn xin hỏi giúp giùm chỉ sao thế nào gì đâu hả không chưa được nhờ phải
lừa lạ giả mượn đòi biểu bảo quên
""").split())


def asks_something(toks) -> bool:
    """A word that makes the sentence a need or a question ("muốn", "sao", "chưa", "xin")."""
    return any(t.raw in _ASKS for t in toks)


def story_about_others(toks, procedure=()) -> bool:
    """A sentence that starts with someone else ("con tui đang làm bên ngân
    hàng", "ổng ...", "thằng ...") and neither needs nor asks anything: news
    about them, not a request (of the kiosk or for them).

    ``procedure``: the words of a procedure the sentence names whole (a paper
    with its own lesson, e.g. a death or a birth registration). The family
    does such paperwork for the person it is about, so a sentence about a
    relative that names one asks for it; a name made only of person words
    ("cháu nội") is the subject again, not a procedure."""
    words = [t.raw for t in toks]
    if len(words) < 3 or any(not is_person_word(t.raw) for t in procedure):
        return False
    starts = words[0] in _THIRD or (words[0] in _KIN and words[1] in _MINE) or (
        words[0] in _KIN and len(words) > 2 and words[1] in _KIN and words[2] in _MINE)
    return starts and not any(w in _ASKS for w in words)


def is_person_word(word: str) -> bool:
    """A word that names or points at a person: kin, third persons, "tôi"."""
    return word in _KIN or word in _THIRD or word in _MINE


def third_person(toks) -> int:
    """How many words point at a third person (a command is rarely among them).

    "nó" counts after a noun ("con tui nó đọc nhanh"), not first ("nó nói nhanh
    quá" is the machine), nor after "máy"."""
    n = sum(1 for t in toks if t.raw in _THIRD)
    n += sum(1 for a, b in zip(toks, toks[1:]) if b.raw == "nó" and a.raw not in ("máy", "chính", CLAUSE))
    n += sum(1 for a, b in zip(toks, toks[1:]) if a.raw in _KIN and b.raw in _MINE)
    return n + sum(1 for a, b in zip(toks, toks[1:]) if (a.raw, b.raw) in _THIRD_PAIRS)


_CLAUSE_SPLIT = re.compile(r"[,;.!?…:]+")


def tokenize(text: str) -> tuple[list[Tok], bool]:
    """Words of ``text`` (clauses separated by CLAUSE tokens) and whether the
    text carries any Vietnamese marks."""
    norm = normalize(text)
    has_marks = norm != strip_marks(norm)
    out: list[str] = []
    for clause in _CLAUSE_SPLIT.split(text or ""):
        words = _clause_words(normalize(clause).split(), has_marks)
        if words:
            out.extend(([CLAUSE] if out else []) + words)
    return [Tok(w, canon_syllable(w), plain_syllable(w)) for w in out], has_marks


def spoken_words(toks: list[Tok]) -> list[str]:
    """The words of tokens as heard, clause marks left out."""
    return [t.raw for t in toks if t.raw != CLAUSE]


def _clause_words(words: list[str], has_marks: bool) -> list[str]:
    """Dialect words mapped to standard ones, classifiers dropped."""
    # classifiers ("tắt cái loa", "cài cái vneid") never carry a command
    return [w for w in _standard_words(words, has_marks) if w not in _CLASSIFIERS]


def as_heard(text: str) -> str:
    """A phrase's words as the visitor's words reach the matcher: dialect words
    mapped ("lẹ lên" is matched as "nhanh lên", "khám răng" as "khám sao"), so a
    phrase written with a central word is not one that can never match."""
    norm = normalize(text)
    return " ".join(_standard_words(norm.split(), norm != strip_marks(norm)))


def _standard_words(words: list[str], has_marks: bool) -> list[str]:
    out: list[str] = []
    i = 0
    table = _DIALECT_WORDS if has_marks else _DIALECT_PLAIN
    while i < len(words):
        two = " ".join(words[i:i + 2])
        if i + 1 < len(words) and two in table:
            out.extend(table[two].split())
            i += 2
            continue
        w = words[i]
        if has_marks:
            # compare dialect words tone-placement-insensitively
            mapped = _DIALECT_CANON.get(canon_syllable(w))
        else:
            mapped = table.get(w)
        out.extend(mapped.split() if mapped else [w])
        i += 1
    return out


_CLASSIFIERS = frozenset({"cái", "chiếc", "cai", "chiec"})


def without_classifiers(text: str) -> str:
    """A phrase as the visitor's words reach the matcher: classifiers dropped
    ("học cái này" is matched as "học này"). A phrase that starts with one is
    left as it is, so never matched: without it, "cái lúc nãy" (the one from
    before) or "cái gì" would be a bare "lúc nãy" or "gì", in too many sentences."""
    words = text.split()
    if not words or words[0] in _CLASSIFIERS:
        return text
    return " ".join(w for w in words if w not in _CLASSIFIERS)


#: words the parser reads as they are said (the spelling model knows them as words):
#: dialect words, third persons, times other than now
KNOWN_WORDS = tuple(_DIALECT_WORDS) + tuple(_THIRD) + tuple(" ".join(p) for p in _OTHER_TIME)

# standard word -> its commonest central form, for the spelling model's picture of
# what visitors say; only forms that are no other common word ("nỏ" is one letter
# from "nó", "ả" and "o" are everywhere)
_TO_DIALECT = {
    "tôi": "tui", "vậy": "rứa", "đâu": "mô", "gì": "chi", "sao": "răng", "này": "ni", "kia": "tê",
    "giờ": "chừ", "làm": "mần", "gọi": "kêu", "xem": "coi", "về": "dìa", "vào": "vô", "không": "hông",
    "nhanh": "lẹ", "dùng": "xài", "nhầm": "lộn", "nha": "nghen", "nhỉ": "hỉ",
}


def as_dialect(text: str) -> str:
    """``text`` with its standard words said the central way ("cho tôi xem" ->
    "cho tui coi"), or "" when none of them has a dialect form."""
    words = text.split()
    out = [_TO_DIALECT.get(w, w) for w in words]
    return " ".join(out) if out != words else ""


_DIALECT_CANON = {
    canon_syllable(k): v for k, v in _DIALECT_WORDS.items() if " " not in k
}

