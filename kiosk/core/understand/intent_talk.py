"""Speech that is not a request to the kiosk, by the shape of the sentence.

A kiosk in a busy commune hall hears much talk that happens to contain its
words: a remark to the neighbour ("xong rồi đó bà"), a story about what was
done ("tui đóng tiền điện rồi", "bà Năm bị lừa mất mấy chục triệu đó"), a
comment ("mạng nhà tui yếu lắm"), the television ("mời quý vị đón xem tập
tiếp theo"). None names the words that make it talk; its shape does:

* ``to_person``: said to a person in the room. The kiosk is addressed as
  "con", "cháu", "em", "máy" (and the visitor calls themselves "bác"); "…
  bà ơi" at the end, "… đó bà", "… hả cô", "ông ơi ông …", or a sentence that
  starts by telling "bà"/"ông"/"anh"/"chị" to do something speak to someone else.
* ``broadcast``: words only radio, television or a hall's announcer use.
* ``tells``: a sentence about a topic that neither asks nor complains of a
  problem, and is told as a fact: a finished action ("... rồi" at the end),
  another time ("hôm bữa", "năm ngoái", "mai"), a judgement ("... yếu lắm",
  "... cao quá"), or someone else as the subject ("ai cũng", "bà Năm", "cháu nó").
  Used for topics and lessons only: a command has its own rules for that.
* ``asks_about_here``: a yes/no question about this place or day ("nhà ni
  có wifi không", "… ở đây hả cô"): for the people here, not a lesson.
"""

from __future__ import annotations

from kiosk.core.understand.intent_text import normalize, other_time, spoken_words, strip_marks

# people in the room (not the kiosk, not the visitor's "bác" for themselves)
_PERSON = frozenset(normalize("bà ông anh chị cô chú dì thím mợ").split())
# the words a remark ends with before the one it is said to: "đúng rồi đó bà"
_BEFORE_VOCATIVE = frozenset(normalize("""
đó đấy nè hả à á ạ vậy thôi rồi đi nha nhé nghen hen hè hỉ nhỉ không chưa chứ ha
""").split())
# what a sentence that speaks to a person in the room may begin with: "bà coi ..."
_TOLD_VERBS = frozenset(normalize("""
xem coi ngồi xích đi đứng chờ đợi nói biết có ăn uống lấy cầm đưa về ra vô vào làm nghe thấy
""").split())
_OPENING = frozenset(normalize("ủa ơ ờ ừ dạ à thì mà con cháu em máy").split())
_TRAILING = frozenset(normalize("nghen nha nhé hen à ạ nè hè hỉ nhỉ ơi đi").split())

_BROADCAST = frozenset(tuple(normalize(p).split()) for p in """
quý vị | khán giả | thính giả | quý khách | bản tin | thời sự | quảng cáo | phát sóng | chương trình |
kính thưa | đài truyền hình | tập tiếp theo | dự báo thời tiết | trận đấu | tin thể thao
""".split("|"))

# words that make a sentence a request, a question or a problem of the speaker's
_ASKS = frozenset(normalize("""
muốn cần xin học chỉ hướng dẫn cách sao thế nào giúp giùm dùm nhờ bị quên mất lạ đòi biểu bảo
mượn mở tìm hiểu tra cứu đâu gì không chưa được hả coi xem nào vậy hỏi sợ lo
lừa giả hack trộm bao hư hỏng gãy bể hạn
""").split())
# news heard from others or seen on television ("nghe nói", "người ta nói", "coi ti vi thấy nói")
_HEARSAY = frozenset(tuple(normalize(p).split()) for p in """
nghe nói | nghe đồn | nghe kể | nghe bảo | nghe biểu | đồn là | người ta nói | họ nói |
thấy nói | ti vi | tivi | trên báo | đọc báo | đài nói
""".split("|"))
# the part of _ASKS that is the speaker asking or wanting (not a problem told: "bị", "mất")
_WANTS = frozenset(normalize("""
muốn cần xin học chỉ hướng dẫn cách sao thế nào giúp giùm dùm nhờ mở tìm hiểu tra cứu đâu gì
không chưa hả nào hỏi
""").split())
# a finished action or a judgement ends the sentence
_DONE = frozenset(normalize("rồi").split())
_JUDGED = frozenset(normalize("quá lắm ghê dữ hết nhiều ít").split())
_SOFT_END = frozenset(normalize("đó đấy nè á à ạ ơi mà nha nghen hen hè hỉ nhỉ ha").split())
# a single word of another time (the pairs are in intent_text.other_time)
_WHEN = frozenset(normalize("hổm").split())
_WHEN_PAIRS = frozenset({("hôm", "bữa")})
# someone else as the subject: "ai cũng xài zalo", "người ta", a person's name after a kinship word
_OTHERS = frozenset(tuple(normalize(p).split()) for p in """
ai cũng | người ta | mọi người | cả xóm | bà con | bên nhà | nhà bên | hàng xóm
""".split("|"))
_NAMED = frozenset(normalize("""
hai ba tư năm sáu bảy tám chín mười út
""").split())


def talk_limits(allowed: frozenset, heard, respelled, marked: bool) -> frozenset | None:
    """The intents still possible when the sentence is talk, judged on the
    words as heard and as respelled (``intent_spell``): None for broadcast
    speech (nothing applies). A person called is judged only on words that
    came with their marks: in typed "chi di" the respelled "chị" is a guess;
    a statement (``tells``) in text with marks only on the words as heard."""
    readings = (heard, respelled)
    if any(broadcast(t) or on_the_phone(t) for t in readings):
        return None
    if any(to_person(t) for t in (readings if marked else (heard,))):
        # talk to someone in the room; asking them for a helper still calls one
        return allowed & {"call_staff"}
    # a statement is judged on the words as said when they came with marks: the
    # respelling may make a known word a likelier one of the lessons' ("người ta
    # đòi giấy ..." -> "đổi"), and a request would then read as news of others
    if any(tells(t) or asks_about_here(t) for t in ((heard,) if marked else readings)):
        return allowed - {"open"}
    return allowed


# this place and this day: "ở đây", "nhà ni", "hôm nay"
_HERE = frozenset(tuple(normalize(p).split()) for p in """
ở đây | chỗ này | chỗ đây | nhà này | nhà mình | xã mình | xã này | hôm nay | bữa nay | bây giờ | ở xã | trên xã
""".split("|"))
# how a yes/no question ends: "... có wifi không", "... ở đây hả"
_QUESTION_END = frozenset(normalize("không chưa hả à hông").split())


def asks_about_here(toks) -> bool:
    """A yes/no question about this place or this day ("nhà ni có wifi không",
    "đăng ký kết hôn ở đây hả", "trạm y tế hôm nay có bác sĩ không"): asked of
    the people here, not a request to learn about the topic."""
    words = spoken_words(toks)
    core = _trimmed(words, _SOFT_END | _PERSON | {"con", "cháu", "em"})
    if len(core) < 3 or core[-1] not in _QUESTION_END:
        return False
    return any(p in _HERE for p in zip(words, words[1:]))


def _trimmed(words: list[str], drop) -> list[str]:
    out = list(words)
    while out and out[-1] in drop:
        out.pop()
    return out


def to_person(toks) -> bool:
    """Said to a person in the room, not to the kiosk.

    A call at the end ("học xong rồi bà ơi", "đúng rồi đó bà"), a call
    followed by the same person ("ông ơi ông có nghe không"), or an order to a
    person ("bà coi giùm tui ..."). A call at the start alone is not enough:
    some visitors speak to the kiosk's voice so ("bà ơi nói chậm chậm thôi")."""
    words = spoken_words(toks)
    if len(words) < 2:
        return False
    core = _trimmed(words, _TRAILING - {"ơi"})
    if len(core) >= 3 and core[-1] == "ơi" and core[-2] in _PERSON:
        return True
    core = _trimmed(words, _TRAILING)
    if len(core) >= 3 and core[-1] in _PERSON and core[-2] in _BEFORE_VOCATIVE:
        return True
    if any(a in _PERSON and b == "ơi" and c == a for a, b, c in zip(words, words[1:], words[2:])):
        return True
    # an order to a person, after any opening particle or call to the kiosk ("ủa bà nói đúng đó")
    start = 0
    while start < len(words) - 1 and (words[start] in _OPENING or words[start] == "ơi"):
        start += 1
    return len(words) - start >= 3 and words[start] in _PERSON and words[start + 1] in _TOLD_VERBS


# "a lô" opens a phone call (or a test of the microphone), never a request to
# the kiosk; its letters are close to "da lô" (Zalo), which the classifier's
# character n-grams would otherwise read
_PHONE = (tuple(normalize("a lô").split()), tuple(normalize("a lo").split()),
          (normalize("alô"),), (normalize("alo"),))


def on_the_phone(toks) -> bool:
    """The sentence starts with "a lô": the visitor is on the phone."""
    words = spoken_words(toks)
    return any(tuple(words[:len(p)]) == p for p in _PHONE)


def broadcast(toks) -> bool:
    """Words of radio, television or the hall's announcer."""
    words = spoken_words(toks)
    pairs = set(zip(words, words[1:])) | set(zip(words, words[1:], words[2:]))
    return any(p in _BROADCAST for p in pairs)


# "bảo" asks ("nó bảo tui chuyển tiền") unless it starts a word ("bảo hiểm", "bảo mật")
_NOT_ASKING = frozenset(strip_marks(normalize("hiểm mật vệ trợ hành quản đảm lãnh")).split())


_PLAIN_ASKS = frozenset(strip_marks(w) for w in _ASKS)


def _asks(words: list[str]) -> bool:
    """Any word of asking; a word typed without marks is compared without them."""
    def asking(w: str) -> bool:
        return w in _ASKS or (w == strip_marks(w) and w in _PLAIN_ASKS)
    return any(asking(w) and not (strip_marks(w) == "bao" and strip_marks(nxt) in _NOT_ASKING)
               for w, nxt in zip(words, words[1:] + [""]))


def tells(toks) -> bool:
    """A statement about a topic: told as a fact, neither asked nor a problem."""
    words = spoken_words(toks)
    if len(words) < 3:
        return False
    pairs = set(zip(words, words[1:]))
    core = _trimmed(words, _SOFT_END)
    # "bà Năm ...", "ông Tư ...": a person named, talked about (even with a problem)
    if any(a in _PERSON and b in _NAMED for a, b in zip(words, words[1:])):
        return True
    if pairs & _HEARSAY and not (set(words) & _WANTS):
        # "nghe nói ổng bị lừa mất mấy chục triệu": news passed on, even of a
        # problem, unless the speaker asks or wants something of it
        return True
    if _asks(words):
        return False
    if other_time(toks) or any(w in _WHEN for w in words) or pairs & _WHEN_PAIRS:
        return True
    if "mai" in words and not pairs & {("mai", "táng")}:
        return True
    if core and (core[-1] in _DONE or core[-1] in _JUDGED):
        return True
    return bool(pairs & _OTHERS)
