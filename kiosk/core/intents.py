"""Vietnamese text -> kiosk command (intent), decided per screen.

Every speech engine (vosk grammar, viet-asr free text) and typed text go through
:func:`parse`, so they all share one set of rules:

* text is put in Unicode NFC, lower-cased, punctuation dropped;
* tone marks are moved to the end of each syllable before comparing, so both
  placements ("hoà"/"hòa", "thuý"/"thúy") and NFD input compare equal;
* a match without any diacritics (NFD, drop combining marks, đ -> d) is the
  fallback, for typed text without marks or with wrong tone marks;
* filler words ("cho tôi", "làm ơn", "ơi", "giúp", "với", "nha", "nhé", "ạ"...)
  cost nothing; other words that the matched phrase does not explain lower the
  confidence, so a sentence that only happens to contain a command word gives
  no intent;
* common central (Quảng Ngãi) wording is mapped to standard words first
  ("rứa" -> "vậy", "mô" -> "đâu", "răng" -> "sao", "chi" -> "gì", ...);
* near misses are matched with rapidfuzz above a threshold, at lower confidence.

No Kivy, no audio: plain functions on strings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import fuzz

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


# --------------------------------------------------------------------------
# normalisation

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
def _canon_syllable(tok: str) -> str:
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
def _plain(tok: str) -> str:
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
    "vô": "vào",
}
# the same for text typed without any marks (only forms that stay unambiguous)
_DIALECT_PLAIN = {
    "rua": "vay", "dzay": "vay", "rang": "sao", "tui": "toi", "tao": "toi",
    "hong": "khong", "nghen": "nha", "ua": "u",
}

# words that cost nothing when left over: politeness, pronouns, particles
_FILLER_TEXT = """
cho tôi làm ơn ơi giúp với nha nhé ạ à ừ dạ vâng xin vui lòng hãy cần muốn
mình tôi em anh chị cô chú bác ông bà con cháu bạn ad máy kiosk ơi
đi nào thử giùm dùm cái này đó kia vậy thế luôn nữa ngay bây giờ đã
được có phải hả hở nhỉ nha chứ mà thì là rồi
coi xem muốn tôi giùm cho với lại ra đây đấy kìa ấy giờ nay gì hết cả lắm
"""
_FILLERS = frozenset(normalize(_FILLER_TEXT).split())
# words that may come with "open" ("tôi muốn làm căn cước", "hướng dẫn dùng zalo")
_OPEN_WORDS = frozenset(normalize("""
mở vào chọn học làm xem coi hướng dẫn cách biết tìm hiểu về cho dùng sử dụng
như thế nào sao bài việc mục phần chủ đề thủ tục cài đặt tạo lập đăng ký
điện thoại trên qua bằng ứng dụng app sợ lo
""").split())


@dataclass(frozen=True)
class _Tok:
    raw: str      # NFC lower-case word as written (after dialect mapping)
    canon: str    # tone moved to the end (hoa2)
    plain: str    # no marks (hoa)


def _tokens(text: str) -> tuple[list[_Tok], bool]:
    """Words of ``text`` and whether the text carries any Vietnamese marks."""
    norm = normalize(text)
    has_marks = norm != strip_marks(norm)
    words = norm.split()
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
            mapped = _DIALECT_CANON.get(_canon_syllable(w))
        else:
            mapped = table.get(w)
        out.extend(mapped.split() if mapped else [w])
        i += 1
    # classifiers ("tắt cái loa", "cài cái vneid") never carry a command
    out = [w for w in out if w not in _CLASSIFIERS]
    return [_Tok(w, _canon_syllable(w), _plain(w)) for w in out], has_marks


_CLASSIFIERS = frozenset({"cái", "chiếc", "cai", "chiec"})


_DIALECT_CANON = {
    _canon_syllable(k): v for k, v in _DIALECT_WORDS.items() if " " not in k
}


# --------------------------------------------------------------------------
# the phrases (standard wording; dialect words are mapped before matching)

_PHRASES: dict[str, str] = {
    "next": """
        tiếp | tiếp theo | tiếp tục | bước tiếp | bước tiếp theo | sang bước tiếp |
        qua bước tiếp | sang bước sau | qua bước sau | bước sau | đi tiếp | làm tiếp |
        kế tiếp | bước kế | bước kế tiếp | sang trang | trang sau | trang tiếp |
        qua trang | xong | xong rồi | làm xong rồi | tôi làm xong rồi | bắt đầu |
        bắt đầu thôi | bắt đầu học | bắt đầu làm | đi tới | qua | sang | tiến lên |
        học tiếp | nghe tiếp | xem tiếp | ok | next | tiếp đi | được rồi tiếp
    """,
    "back": """
        quay lại | trở lại | lùi lại | lùi | bước trước | về bước trước |
        quay lại bước trước | trở lại bước trước | trở về bước trước | lùi một bước |
        trang trước | quay về | trở về | về trước | lại bước trước | quay lui |
        quay lại trang trước | xem lại bước trước | bước vừa rồi | back
    """,
    "repeat": """
        nghe lại | nói lại | đọc lại | lặp lại | nhắc lại | phát lại | kể lại |
        nói lại đi | nói lần nữa | nói lại lần nữa | đọc lại lần nữa | nghe lại lần nữa |
        một lần nữa | lần nữa | chưa nghe rõ | không nghe rõ | nghe không rõ |
        chưa nghe kịp | không nghe kịp | nghe không kịp | không nghe thấy | chưa nghe thấy |
        nói gì | nói gì vậy | cái gì | gì vậy | là sao | nói vậy là sao | không hiểu |
        chưa hiểu | nghe lại cho tôi | hướng dẫn lại | xin nhắc lại | repeat
    """,
    "call_staff": """
        gọi nhân viên | nhân viên | gặp nhân viên | gọi người | gọi người giúp |
        cần người giúp | người giúp | giúp đỡ | cần giúp đỡ | trợ giúp | hỗ trợ |
        cần hỗ trợ | gọi cán bộ | cán bộ | gặp cán bộ | gọi giúp | giúp | giúp tôi |
        cứu | cứu tôi | có ai không | có ai giúp | ai đó giúp | người hướng dẫn |
        hướng dẫn viên | gặp người thật | nói chuyện với người | không biết làm |
        không biết làm sao | không biết làm thế nào | tôi không làm được | không làm được |
        khó quá | lấy số | bốc số | lấy số thứ tự | gọi công chức | công chức |
        tư vấn | cần tư vấn | help | có ai hướng dẫn | ai hướng dẫn | người chỉ |
        chỉ giùm | chỉ giúp | chỉ dùm | chỉ cho tôi | người chỉ giùm | ai chỉ giùm
    """,
    "large_text": """
        chữ to | chữ to lên | chữ to hơn | to chữ | phóng to | phóng to chữ | phóng to lên |
        phóng lớn | chữ lớn | chữ lớn hơn | chữ lớn lên | làm chữ to | làm chữ lớn |
        tăng cỡ chữ | cỡ chữ lớn | cỡ chữ to | chữ nhỏ quá | chữ bé quá | chữ nhỏ |
        chữ bé | không nhìn rõ | nhìn không rõ | không thấy rõ | thấy không rõ |
        không đọc được | khó đọc | khó nhìn | mắt kém | mắt tôi kém | nhìn không thấy |
        không thấy chữ | to lên | cho chữ to | đọc không được | đọc không ra |
        nhìn không ra | đọc không nổi
    """,
    "slower": """
        chậm | chậm lại | chậm chậm | chậm thôi | chậm một chút | chậm chút |
        nói chậm | nói chậm lại | nói chậm thôi | nói chậm hơn | nói chậm chậm |
        đọc chậm | đọc chậm lại | đọc chậm hơn | chậm hơn | từ từ | nói từ từ |
        từ từ thôi | nhanh quá | nói nhanh quá | đọc nhanh quá | nhanh quá không nghe kịp |
        thong thả | giảm tốc độ | nói chậm rãi | chậm rãi | nhanh vậy | nhanh thế |
        nói nhanh vậy | nói gì mà nhanh | sao nói nhanh vậy | đọc nhanh vậy
    """,
    "faster": """
        nhanh | nhanh lên | nhanh hơn | nói nhanh | nói nhanh lên | nói nhanh hơn |
        đọc nhanh | đọc nhanh lên | đọc nhanh hơn | chậm quá | nói chậm quá | đọc chậm quá |
        tăng tốc độ | nhanh một chút | nhanh chút | nói lẹ lên | lẹ lên
    """,
    "stop": """
        dừng | dừng lại | ngừng | ngừng lại | ngưng | ngưng lại | thôi | im | im lặng |
        im đi | tắt tiếng | tắt âm thanh | tắt loa | tắt giọng | đừng nói | đừng nói nữa |
        thôi đừng nói nữa | thôi đừng đọc nữa | đừng đọc nữa | tạm dừng | khoan |
        khoan đã | chờ đã | đợi đã | chờ chút | đợi chút | đợi một chút | im lặng đi |
        không nghe nữa | stop
    """,
    "yes": """
        có | vâng | dạ | dạ vâng | dạ phải | phải | phải rồi | đúng | đúng rồi |
        đúng vậy | đúng thế | đúng đó | ừ | ừ đúng | ừm | ok | được | được rồi | đồng ý |
        chắc chắn | chính xác | có chứ | chắc rồi | dạ đúng | dạ được | rồi | yes |
        đúng rồi đó | vâng đúng rồi | phải đó | có đúng | đúng là vậy
    """,
    "no": """
        không | không phải | không đúng | sai | sai rồi | chưa | chưa đúng |
        chưa phải | không có | hủy | hủy bỏ | thôi | không cần | khỏi | khỏi cần |
        đâu có | đâu phải | không phải vậy | nhầm | nhầm rồi | không muốn |
        không phải đâu | đâu có đâu | không được | no | sai bét | không đồng ý
    """,
    "home": """
        trang chủ | về trang chủ | màn hình chính | về màn hình chính | trang chính |
        về trang chính | về đầu | về trang đầu | trang đầu | từ đầu | làm lại từ đầu |
        bắt đầu lại | lại từ đầu | quay lại từ đầu | quay về đầu | quay về trang chủ |
        quay lại trang chủ | trở về trang chủ | chọn lại | chọn việc khác | làm việc khác |
        thoát | thoát ra | kết thúc | menu | danh mục | về menu | home
    """,
}

# phrases that must give *no* intent even though they contain a command word
_NONE_PHRASES = """
    nói to | nói to lên | to tiếng | nói lớn | có thể | không biết | có không |
    đi về nhà | về nhà | cảm ơn | cám ơn | xin chào | chào
"""

_TOPIC_PHRASES: dict[str, str] = {
    "vneid": """
        vneid | vn eid | v neid | vê en ai đi | vi en ai đi | vê nê i đê | vi nê ít |
        định danh | định danh điện tử | tài khoản định danh | định danh mức hai |
        tài khoản định danh điện tử | căn cước | căn cước công dân | căn cước điện tử |
        thẻ căn cước | cccd | chứng minh nhân dân | chứng minh thư | ứng dụng vneid |
        kích hoạt định danh | kích hoạt tài khoản định danh | mức hai | định danh mức hai
    """,
    "dvc": """
        dịch vụ công | cổng dịch vụ công | dịch vụ công quốc gia | dịch vụ công trực tuyến |
        thủ tục hành chính | nộp hồ sơ | nộp hồ sơ trực tuyến | hồ sơ trực tuyến | giấy tờ |
        làm giấy tờ | khai sinh | đăng ký khai sinh | làm giấy khai sinh | khai tử |
        kết hôn | đăng ký kết hôn | thường trú | tạm trú | đăng ký tạm trú |
        đăng ký thường trú | chứng thực | xin giấy xác nhận | giấy xác nhận |
        đê vê xê | dvc | làm thủ tục | thủ tục | tra cứu hồ sơ
    """,
    "payment": """
        thanh toán | thanh toán trực tuyến | chuyển tiền | chuyển khoản | trả tiền |
        ngân hàng | tài khoản ngân hàng | ví điện tử | quét mã | mã qr | quét qr |
        tiền điện | tiền nước | đóng tiền | nộp tiền | đóng tiền điện | trả tiền điện |
        học phí | đóng học phí | nộp thuế | nộp lệ phí | lệ phí | phí | momo |
        thanh toán không dùng tiền mặt | ngân hàng số | ứng dụng ngân hàng | vietqr |
        viet qr | mã vietqr | quét mã vietqr | trả tiền bằng mã
    """,
    "health": """
        sức khỏe | y tế | bảo hiểm y tế | thẻ bảo hiểm y tế | bảo hiểm | bhyt |
        khám bệnh | khám chữa bệnh | bệnh viện | bác sĩ | đặt lịch khám | lịch khám |
        sổ sức khỏe | sổ sức khỏe điện tử | hồ sơ sức khỏe | tiêm chủng | tiêm phòng |
        thuốc | trạm y tế | khám sức khỏe
    """,
    "safety": """
        an toàn | an toàn mạng | an toàn trên mạng | an toàn thông tin | lừa đảo |
        chống lừa đảo | bị lừa | lừa đảo qua mạng | lừa đảo trên mạng |
        cuộc gọi lừa đảo | tin nhắn lừa đảo | cuộc gọi lạ | tin nhắn lạ | đường link lạ |
        mật khẩu | bảo mật | bảo vệ tài khoản | giả mạo | bị hack | mất tiền |
        lộ thông tin | bảo vệ thông tin cá nhân | mã otp | otp
    """,
    "internet": """
        internet | mạng | mạng internet | wifi | wi fi | oai phai | kết nối mạng |
        kết nối wifi | vào mạng | lên mạng | dùng mạng | điện thoại thông minh |
        dùng điện thoại | sử dụng điện thoại | smartphone | zalo | google | tìm kiếm |
        tìm kiếm thông tin | gửi tin nhắn | gọi video | kỹ năng số | máy tính |
        email | thư điện tử | bình dân học vụ số | học vụ số | cài ứng dụng
    """,
}


@dataclass(frozen=True)
class _Phrase:
    intent: str
    text: str
    canon: tuple[str, ...]
    plain: tuple[str, ...]
    topic: str | None = None
    lesson: str | None = None


def _split(block: str) -> list[str]:
    return [normalize(p) for p in block.split("|") if normalize(p)]


def _mk(intent: str, text: str, topic=None, lesson=None) -> _Phrase:
    words = text.split()
    return _Phrase(
        intent, text,
        tuple(_canon_syllable(w) for w in words),
        tuple(_plain(w) for w in words),
        topic, lesson,
    )


@lru_cache(maxsize=1)
def _static_phrases() -> tuple[_Phrase, ...]:
    out = []
    for intent, block in _PHRASES.items():
        out.extend(_mk(intent, p) for p in _split(block))
    for topic, block in _TOPIC_PHRASES.items():
        out.extend(_mk("open", p, topic=topic) for p in _split(block))
    out.extend(_mk("_none", p) for p in _split(_NONE_PHRASES))
    return tuple(out)


def _lesson_phrases(lessons: Iterable) -> list[_Phrase]:
    out = []
    for lesson in lessons or ():
        lid = getattr(lesson, "id", None)
        title = normalize(getattr(lesson, "title", "") or "")
        topic = getattr(lesson, "topic", None)
        if not lid or not title:
            continue
        out.append(_mk("open", title, topic=topic, lesson=lid))
        # the title without a leading verb a visitor may not repeat
        words = title.split()
        core = [w for w in words if w not in _OPEN_WORDS and w not in _FILLERS]
        if 2 <= len(core) < len(words):
            out.append(_mk("open", " ".join(core), topic=topic, lesson=lid))
        idwords = normalize(lid.replace("-", " "))
        if idwords and idwords != title:
            out.append(_mk("open", idwords, topic=topic, lesson=lid))
    return out


# --------------------------------------------------------------------------
# naming a lesson: weighted overlap of the visitor's words with lesson titles

# title words that say nothing about which lesson it is
_TITLE_STOP = frozenset(normalize("""
trên và bằng cho có đã dưới làm ở đâu mang gì dùng ứng dụng của với một các những
nhận biết xử lý tuổi trẻ nền tảng mạng
""").split()) | _FILLERS
_PLAIN_TITLE_STOP = frozenset(strip_marks(w) for w in _TITLE_STOP)
_LESSON_MIN = 0.7        # confidence a named lesson needs
_LESSON_MARGIN = 0.1     # ... and its lead over the next lesson


def _title_words(lesson) -> list[_Tok]:
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
    import math

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


# --------------------------------------------------------------------------
# matching

_FUZZY_MIN = 82          # rapidfuzz ratio (0..100) on unmarked text
_FUZZY_MIN_CHARS = 5     # shorter phrases are never matched fuzzily
_LEFTOVER_COST = 0.17    # confidence lost per word no phrase of the intent explains
_LEFTOVER_COST_1 = 0.25  # the same for one-word commands ("qua", "thôi"), which are easy to hit by chance


@dataclass
class _Match:
    phrase: _Phrase
    quality: float
    start: int
    end: int


def _spans(ph: _Phrase, toks: list[_Tok], has_marks: bool) -> list[_Match]:
    """Every place where ``ph`` occurs in ``toks``, each with a match quality."""
    n = len(ph.canon)
    out: list[_Match] = []
    for i in range(0, len(toks) - n + 1):
        window = toks[i:i + n]
        if tuple(t.canon for t in window) == ph.canon:
            out.append(_Match(ph, 1.0, i, i + n))
        elif tuple(t.plain for t in window) == ph.plain:
            if not has_marks:
                out.append(_Match(ph, 0.93, i, i + n))
            elif n > 1:
                # marks present but some are wrong ("tiêp theo"): fine for a
                # phrase, too risky for one syllable ("quả" is not "qua")
                out.append(_Match(ph, 0.86, i, i + n))
    if out:
        return out
    # near misses: on toned syllables when the text has marks (stricter: "cảm ơn"
    # is not "chậm hơn"), on unmarked syllables otherwise
    target = " ".join(ph.canon if has_marks else ph.plain)
    if len(" ".join(ph.plain)) < _FUZZY_MIN_CHARS:
        return out
    plain = [t.canon if has_marks else t.plain for t in toks]
    best: _Match | None = None
    for width in sorted({max(1, n - 1), n, n + 1}):
        for i in range(0, len(toks) - width + 1):
            cand = " ".join(plain[i:i + width])
            if abs(len(cand) - len(target)) > max(2, len(target) // 3):
                continue
            r = fuzz.ratio(cand, target)
            if r >= _FUZZY_MIN:
                q = 0.82 * r / 100.0
                if best is None or q > best.quality:
                    best = _Match(ph, q, i, i + width)
    return [best] if best else out


_NEGATORS = frozenset({"không", "đừng", "chẳng", "chả", "khỏi", "chưa", "hổng", "hông"})
_PLAIN_NEGATORS = frozenset({"khong", "chang", "khoi", "chua"})  # not "dung": dùng/đúng/đừng
# words that may stand between a negator and the command ("không cần gọi ...")
_NEG_GAP = frozenset({"cần", "muốn", "phải", "có", "được", "tôi", "em", "mình", "hãy", "nên", "thèm"})
_PLAIN_NEG_GAP = frozenset(strip_marks(w) for w in _NEG_GAP)


def _negated(m: _Match, toks: list[_Tok], has_marks: bool) -> bool:
    """True when a negation word stands just before the matched phrase
    ("tôi không muốn gọi nhân viên"); one other word may stand between."""
    if m.phrase.intent in ("no", "_none"):
        return False
    j = m.start - 1
    others = 0
    while j >= 0:
        t = toks[j]
        if (t.raw in _NEGATORS) if has_marks else (t.plain in _PLAIN_NEGATORS):
            return True
        if not ((t.raw in _NEG_GAP) if has_marks else (t.plain in _PLAIN_NEG_GAP)):
            others += 1
            if others > 1:
                return False
        j -= 1
    return False


_PLAIN_FILLERS = frozenset(strip_marks(w) for w in _FILLERS) - {
    # unmarked forms of fillers that are also command words
    "to", "lai", "nhanh", "chu", "dung", "tien", "thoi",
}
_PLAIN_OPEN = frozenset(strip_marks(w) for w in _OPEN_WORDS)


def _free(t: _Tok, intent: str) -> bool:
    """A word that costs nothing when no phrase explains it."""
    if t.raw in _FILLERS or t.plain in _PLAIN_FILLERS:
        return True
    return intent == "open" and (t.raw in _OPEN_WORDS or t.plain in _PLAIN_OPEN)


def _score(group: list[_Match], toks: list[_Tok]) -> tuple[float, _Match]:
    """Confidence for one candidate (intent + args) from all its matches.

    The best match gives the quality; words covered by any strong match of the
    same candidate ("chuyển tiền qua ngân hàng") are explained, filler words
    are free, every other word lowers the confidence.
    """
    best = max(group, key=lambda m: (m.quality, m.end - m.start))
    covered = set(range(best.start, best.end))
    for m in group:
        if m.quality >= 0.85:
            covered.update(range(m.start, m.end))
    leftovers = sum(
        1 for j, t in enumerate(toks) if j not in covered and not _free(t, best.phrase.intent)
    )
    if leftovers and all(w in _FILLERS for w in best.phrase.text.split()):
        # "rồi", "có", "được" alone are answers; inside a longer sentence they are not
        return 0.0, best
    cost = _LEFTOVER_COST_1 if len(covered) == 1 else _LEFTOVER_COST
    bonus = min(0.04 * (len(covered) - 1), 0.12)
    conf = best.quality * (1.0 - cost * leftovers + bonus)
    return max(0.0, min(1.0, conf)), best


def parse(text: str, screen: str | None = None, lessons: Sequence = ()) -> Intent:
    """The intent of ``text`` on ``screen`` (None: every intent applies).

    ``lessons``: objects with ``.id``, ``.title``, ``.topic``; naming one gives
    ``open`` with ``args.lesson``. Returns ``Intent(None, 0.0)`` when nothing
    matches well enough (unrelated speech).
    """
    allowed = allowed_intents(screen)
    toks, has_marks = _tokens(text)
    if not toks:
        return Intent(None, 0.0, {})
    phrases = _static_phrases()

    groups: dict[tuple, list[_Match]] = {}
    for ph in phrases:
        if ph.intent not in allowed and ph.intent != "_none":
            continue
        for m in _spans(ph, toks, has_marks):
            if _negated(m, toks, has_marks):
                continue
            groups.setdefault((ph.intent, ph.topic, ph.lesson), []).append(m)

    best = None
    for (intent, topic, lesson), group in groups.items():
        conf, m = _score(group, toks)
        # lessons beat bare topics, answers beat globals on confirm, longer beats shorter
        rank = (
            round(conf, 6),
            1 if lesson else 0,
            _PRIORITY.get(intent, 0) if screen == "confirm" else 0,
            m.end - m.start,
        )
        if best is None or rank > best[0]:
            best = (rank, conf, m)
    if "open" in allowed and lessons:
        named = _best_lesson(toks, has_marks, lessons)
        if named is not None:
            lconf, lesson = named
            # a named lesson beats a bare topic of its own (or a weaker one),
            # and anything else weaker than itself
            top = None if best is None else best[2].phrase
            if (top is None or lconf > best[1] or top.intent == "_none"
                    or (top.intent == "open" and top.topic == getattr(lesson, "topic", None))):
                args = {"topic": getattr(lesson, "topic", None), "lesson": lesson.id}
                if not args["topic"]:
                    del args["topic"]
                return Intent("open", round(lconf, 3), args, matched=normalize(lesson.title))
    if best is None:
        return Intent(None, 0.0, {})
    _, conf, m = best
    ph = m.phrase
    if ph.intent == "_none":
        return Intent(None, 0.0, {})
    if conf < MIN_CONFIDENCE:
        return Intent(None, round(conf, 3), {})
    args: dict = {}
    if ph.intent == "open":
        if ph.topic:
            args["topic"] = ph.topic
        if ph.lesson:
            args["lesson"] = ph.lesson
    return Intent(ph.intent, round(conf, 3), args, matched=ph.text)


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
