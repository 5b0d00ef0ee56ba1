"""Global commands by meaning: classes of words and the orders they combine in.

A visitor rarely says the button's words. "nói mau quá", "đọc lẹ lên",
"chữ bé tí", "coi không ra", "kêu cô cán bộ" are one meaning said with other
words of the same class. Rather than listing every sentence, each command is
a few templates over word classes ("{speak} {fast} {excess}" = too fast, so
slower); every combination becomes a phrase of that command, matched like
the hand-written ones (tone-insensitive, near misses, a filler inside, the
negation and leftover-word rules). Standard words only: central words
("mau", "lẹ", "kêu", "coi") are mapped to them before matching, so "lẹ" needs
no entry of its own.

Each class holds words that keep the meaning in *every* template it is used
in; a word that would change it somewhere ("kịp": "nghe không kịp" is
repeat, "đọc không kịp" is slower) stays out, or in the one template where
it is safe.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

CLASSES: dict[str, str] = {
    # saying or reading aloud (the kiosk's voice)
    "speak": "nói | đọc | máy nói | máy đọc | giọng | cô nói | con nói",
    "fast": "nhanh | gấp | vội | ào ào",
    "slow": "chậm | rề rà | rề rề | lề mề | chậm rì | chậm rề | lừ đừ",
    # "too ...": said as a complaint
    "excess": "quá | vậy | thế | lắm | ghê | dữ | quá trời | dữ vậy | quá vậy | như",   # "như": a simile ("nhanh như gió")
    # "a bit more ...": said as a request
    "more": "lên | hơn | chút | một chút | thêm | lại | hơn nữa | lên chút",
    "neg": "không | chẳng | chả | chưa",
    "see": "nhìn | thấy | đọc | xem | ngó",
    "seen": "rõ | ra | được | nổi | thấy | đường",
    "small": "nhỏ | bé | li ti | lí nhí | tí xíu | nhỏ xíu | nhỏ rí | bé tí | tí hon | mờ | khó đọc | khó nhìn",
    "big": "to | lớn | bự",
    "make": "làm | cho | phóng | tăng | để",
    "letters": "chữ | cỡ chữ | số | hàng chữ | dòng chữ",
    "eyes": "mắt | mắt tôi",
    "weak": "kém | yếu | mờ | lão | hoa | không tốt",
    "glasses": "kính | kính lão | kính đeo",
    "without": "quên | không có | không mang | không đeo | để quên | bỏ quên | mất",
    # glasses left behind or broken: "kính tui để ở nhà", "cái kính bể rồi"
    "left": "ở nhà | để ở nhà | để nhà | để quên | bể | bể rồi | gãy | hư | mất rồi",
    "hear": "nghe",
    "heard": "rõ | kịp | được | thấy | ra | gì | gì hết | được gì",
    "again": "lại | lần nữa | lại lần nữa | thêm lần nữa | một lần nữa",
    "retell": "nói | đọc | kể | nhắc | hỏi | giảng | nói rõ",
    "quit": "thôi | đừng | khỏi | ngừng | dừng | ngưng | tắt | nín",
    "voice": "nói | đọc | giọng | tiếng | loa | âm thanh",
    "enough": "đủ | nghe đủ | đọc đủ | biết",
    "call": "gọi | nhờ | mời | cần | gặp | tìm | hỏi",
    # starting the lesson (intro's Bắt đầu and Thử làm): "học liền", "thử làm coi", "học bài này"
    "start": "học | vào học | bắt đầu | thử | làm thử | thử làm | tập | tập thử | chỉ | chỉ làm | hướng dẫn",
    "now": "liền | luôn | ngay | đi | liền đi | luôn đi | coi | thử | thôi",
    "this": "bài này | cái này | bài đó | cái đó",
    # how a helper is called before the word for them: "kêu cô nhân viên", "gọi cậu thanh niên"
    "addr": "cô | chú | anh | chị | cậu | em | bác",
    "person": """nhân viên | cán bộ | người | ai | công chức | người hướng dẫn | người giúp | người chỉ |
        thanh niên tình nguyện | tình nguyện viên | người trực""",
    # somebody (or nobody) who would help: "ai giúp tui với", "không ai chỉ hết"
    "somebody": """ai | có ai | ai đó | người nào | cô nào | anh nào | chị nào | không ai | không có ai | chẳng ai | chả ai |
        anh chị nào | cô chú nào | có anh chị nào | có cô chú nào | có người nào""",
    "helps": "giúp | chỉ | chỉ giùm | chỉ dùm | chỉ giúp | giúp giùm | giúp dùm | hướng dẫn | chỉ cho | rảnh | rảnh không",
    # doing it oneself does not work: "làm không nổi", "bấm hoài không được"
    "do": "làm | bấm | tự làm | làm một mình | bấm hoài | làm hoài",
    "able": "được | nổi | ra | xong",
    # a step, page or lesson, and the one after it ("qua bước mới", "học bài kế")
    "go": "qua | sang | tới | đi | chuyển | học | xem | làm",
    "part": "bước | trang | bài | phần",
    "after": "tiếp | tiếp theo | sau | kế | kế tiếp | mới | tới",
    # back to the one before: "về lại màn hình lúc nãy"
    "return": "về | về lại | quay lại | quay về | trở lại | trở về | lùi về | lui về",
    "shown": "màn hình | trang | bước | chỗ | phần",
    "before": "lúc nãy | trước | trước đó | vừa rồi | vừa nãy | cũ",
    # the six topics (the home page): "về lại mấy chủ đề", "về chỗ chọn chủ đề"
    "topics": "chủ đề | mấy chủ đề | các chủ đề | sáu chủ đề | chỗ chọn chủ đề | chọn chủ đề | trang chủ đề",
    # hush for a moment: "im chút", "nín một lát"
    "hush": "im | nín | yên | im lặng | ngưng | dừng",
    "awhile": "chút | một chút | chút xíu | lát | một lát | chút đã",
}

TEMPLATES: dict[str, str] = {
    "next": """
        {start} {now} | {start} {this} | {start} {this} {now} | {go} {part} {after} | {part} {after}
    """,
    "back": """
        {return} {shown} {before} | {shown} {before}
    """,
    "home": """
        {return} {topics} | {go} bài khác
    """,
    "slower": """
        {speak} {fast} {excess} | {fast} {excess} | {speak} {slow} {more} | {slow} {more}
    """,
    "faster": """
        {speak} {slow} {excess} | {slow} {excess} | {speak} {fast} {more} | {fast} {more}
    """,
    "large_text": """
        {neg} {see} {seen} | {see} {neg} {seen} | {letters} {small} | {letters} {small} {excess} |
        {make} {letters} {big} | {letters} {big} {more} | {make} {big} {letters} |
        {eyes} {weak} | {eyes} {weak} {excess} | {without} {glasses} | {glasses} {without} | {glasses} {left}
    """,
    "repeat": """
        {retell} {again} | {neg} {hear} {heard} | {hear} {neg} {heard}
    """,
    "stop": """
        {quit} {voice} | {quit} {voice} nữa | {enough} rồi | {hush} {awhile}
    """,
    "call_staff": """
        {call} {person} | {call} {person} giúp | {call} {person} ra | {somebody} {helps} | {do} {neg} {able} | {call} {addr} {person}
    """,
}

_SLOT = re.compile(r"\{(\w+)\}")


def _words(name: str) -> list[str]:
    return [w.strip() for w in CLASSES[name].split("|") if w.strip()]


@lru_cache(maxsize=1)
def class_phrases() -> tuple[tuple[str, str], ...]:
    """(intent, phrase) for every combination of every template."""
    out: dict[tuple[str, str], None] = {}
    for intent, block in TEMPLATES.items():
        for template in (t.strip() for t in block.split("|")):
            if not template:
                continue
            slots = _SLOT.findall(template)
            for combo in itertools.product(*(_words(s) for s in slots)):
                values = iter(combo)
                text = _SLOT.sub(lambda _m: next(values), template)
                out.setdefault((intent, " ".join(text.split())), None)
    return tuple(out)


def class_words() -> list[str]:
    """Every word of every class, once (for the spelling model's vocabulary)."""
    return sorted({w for name in CLASSES for w in _words(name)})
