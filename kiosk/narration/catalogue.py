"""Every line the kiosk can say, each with a stable id and its text as spoken.

Ids are safe as file names (``[a-z0-9.-]``): ``screen.welcome``, ``topic.vneid``,
``lesson.vneid-muc-2.intro``, ``lesson.vneid-muc-2.step.3`` (the step's own words),
``lesson.vneid-muc-2.step.3.title``, ``lesson.vneid-muc-2.quiz.1``, ``notice.voice-off``,
``idle.warning``, ``ticket.wait``, ``piece.moi-so`` (a carrier phrase for spliced lines),
``num.12``, ``letter.a``. A screen's spoken line is made of such lines (see
:mod:`kiosk.narration.split`); the text is the one the voice says (the lexicon's ``spoken_form``: VNeID said
"Vê nê ai đi"), so a reader reads exactly what a visitor hears.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace

from kiosk.core.visit import flow as f
from kiosk.core.visit import voice as v
from kiosk.core.visit.audio_first import LEAVE_QUESTION, PLUGGED, UNPLUGGED, WELCOME_KEYS
from kiosk.core.screens.modes import ARMED_SUFFIX, RATE_WORDS, SIMPLE_HELP
from kiosk.core.screens.views import line as screen_line
from kiosk.core.content.catalog import Catalog
from kiosk.core.content.practice import (CHANNELS, PLACEHOLDER, SECRET_PLACEHOLDERS, book_of,
                                         fill_spoken)
from kiosk.core.screens.paper import PRINTING
from kiosk.core.screens.phone_keys import TYPING_HELP
from kiosk.core.screens.practice_views import listed
from kiosk.core.screens.queue_views import REPEAT_KEY
from kiosk.core.state import DrillRun
from kiosk.core.content.lexicon import load as load_lexicon, word_forms
from kiosk.core.screens.views import (PRIORITY_LABELS, TO_COUNTER_BODY, TO_COUNTER_TITLE,
                              TOPIC_ORDER)
from kiosk.speech.asr import number_words

KIOSK = "kiosk"  # the group of lines that belong to no lesson
SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]{0,120}$")
#: numbers said from recorded pieces ("Bước 3 trên 8", counters, and the wait in minutes, which
#: the queue rounds up to 5: "khoảng 45 phút"); other numbers make their sentence synthetic
SPLICE_NUMBERS = (*range(0, 21), *range(25, 61, 5))
#: letters of queue numbers (A012)
SPLICE_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

#: carrier phrases of the spliced lines (kiosk.narration.split.TEMPLATES)
PIECES = {
    "piece.buoc": "Bước",
    "piece.tren": "trên",
    "piece.moi-so": "Mời số",
    "piece.den-quay": "đến quầy",
    "piece.nhan-vien-cho-o-quay": "Nhân viên đang chờ bạn ở quầy",
    "piece.so-thu-tu-la": "Số thứ tự của bạn là",
    "piece.am-luong": "Âm lượng",
    "piece.kiem-tra-cau": "Kiểm tra nhanh, câu",
    "piece.khi-nghe-goi-so": "Khi nghe gọi số",
    "piece.moi-ban-den-quay-duoc-goi": "mời bạn đến quầy được gọi",
    "piece.truoc-ban-con": "Trước bạn còn",
    "piece.nguoi": "người",
    "piece.nguoi-khoang": "người, khoảng",
    "piece.gio": "giờ",
    "piece.phut": "phút",
}

#: fixed lines said outside a screen's own line (feedback, notices, the idle warning)
FIXED = {
    "idle.warning": f.WARNING_TEXT,
    "idle.warning.screen": "Bạn còn ở đó không? Chạm nút Tôi vẫn đang dùng để tiếp tục.",
    "notice.voice-off": v.VOICE_OFF,
    "notice.not-understood": v.NOT_UNDERSTOOD,
    "notice.touch-hint": v.TOUCH_HINT,
    "notice.cancelled": v.CANCELLED,
    "notice.confirm-hint": v.CONFIRM_HINT,
    "notice.sensitive-step": "Nội dung bước này chỉ hiện trên màn hình, máy không đọc to.",
    "notice.simple-help": SIMPLE_HELP,
    "notice.armed": ARMED_SUFFIX,
    "ticket.waiting": "Đang lấy số thứ tự. Vui lòng chờ.",
    "ticket.wait": "Vui lòng chờ, nhân viên sẽ đến giúp bạn.",
    "ticket.priority-hint": ("Nếu bạn là người cao tuổi, người khuyết tật hoặc phụ nữ mang thai, "
                             "chạm nút tương ứng để được ưu tiên."),
    "ticket.priority-undo": "Nếu chọn nhầm, chạm lại nút đó.",
    "ticket.to-counter": f"{TO_COUNTER_TITLE}. {TO_COUNTER_BODY}",
    "ticket.please-wait": "Vui lòng chờ.",
    "ticket.repeat-key": REPEAT_KEY,
    "ticket.next-in-line": "Bạn là người tiếp theo.",
    "ticket.priority-number": "Số ưu tiên.",
    "ticket.printing": PRINTING,
    "feedback.right": "Đúng rồi!",
    "feedback.wrong": "Chưa đúng.",
    "feedback.not-safe": "Chưa an toàn.",
    "feedback.choose-again": "Hãy chọn lại.",
    "feedback.tap-next": "Chạm Tiếp.",
    "feedback.tap-done": "Chạm Xong.",
    "feedback.tap-next-drill": "Chạm Tình huống tiếp theo.",
    "feedback.tap-drill-list": "Chạm Về danh sách.",
    "feedback.tap-an-answer": "Hãy chạm vào một câu trả lời.",
    "feedback.tap-a-way": "Hãy chạm vào một cách làm ở bên trái.",
    "practice.restart": "Làm lại từ đầu.",
    "practice.no-typing-here": "Ô này không cần gõ ở bước này.",
    "practice.typing-help": TYPING_HELP,
    "audio.welcome-keys": WELCOME_KEYS,
    "audio.headphones-in": PLUGGED,
    "audio.headphones-out": UNPLUGGED,
    "confirm.leave": LEAVE_QUESTION,
    # the settings screen (its list of switches, each on or off, stays synthetic)
    "settings.title": "Cách dùng.",
    "settings.done": "Chạm Xong khi xong.",
    **{f"settings.rate.{r}": f"Tốc độ đọc: {w}." for r, w in RATE_WORDS.items()},
    **{f"ticket.priority.{g}": f"Đã ghi nhận ưu tiên: {label.lower()}."
       for g, label in PRIORITY_LABELS.items()},
}


@dataclass(frozen=True)
class Line:
    id: str
    text: str      # as spoken (the lexicon applied), NFC
    where: str     # where a visitor hears it, in English
    group: str     # lesson id (or practice/drill id), or "kiosk"
    order: int = 0  # its place in the kiosk (the recording script keeps it within a group)
    piece: bool = False  # a piece of spliced lines (a number, a letter, a carrier phrase)
    written: str = ""    # as written on screen (VNeID), for the recording script

    @property
    def abbreviations(self) -> list[tuple[str, str]]:
        """(written, spoken) for each word the voice says differently (VNeID: Vê nê ai đi)."""
        return [(w, s) for w, s in load_lexicon().words.items()
                if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", self.written)]


def text_hash(text: str) -> str:
    """What a recording is tied to: a changed text makes the recording stale."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16]


def spoken_line(state, catalog) -> str:
    """A screen's own line as written (the voice says it through the lexicon)."""
    return screen_line(state, catalog, written=True)


def _said(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(word_forms(text).split()))


def lines(catalog: Catalog) -> list[Line]:
    """Every line of this kiosk, in the order a visitor meets them; ids unique."""
    out: dict[str, Line] = {}

    def add(line_id: str, text: str, where: str, group: str = KIOSK, piece: bool = False):
        said = _said(text)
        if said and line_id not in out:
            written = unicodedata.normalize("NFC", " ".join(text.split()))
            out[line_id] = Line(line_id, said, where, group, len(out), piece, written)

    add("screen.welcome", spoken_line(f.State(), catalog), "welcome screen")
    add("screen.home", spoken_line(f.State(screen="home", active=True), catalog), "home screen")
    for topic in TOPIC_ORDER:
        if catalog.by_topic(topic):
            add(f"topic.{topic}", spoken_line(f.State(screen="topic", active=True, topic=topic),
                                              catalog), f"topic {topic}")
    for lesson in catalog.lessons:
        _lesson_lines(add, lesson, catalog)
    _practice_lines(add, catalog)
    for line_id, text in FIXED.items():
        add(line_id, text, "feedback and notices")
    _confirm_lines(add, catalog)
    for line_id, text in PIECES.items():
        add(line_id, text, "spliced lines: carrier phrase", piece=True)
    for n in SPLICE_NUMBERS:
        add(f"num.{n}", number_words(n), "spliced lines: number", piece=True)
    for letter in SPLICE_LETTERS:
        add(f"letter.{letter.lower()}", letter, "spliced lines: queue letter", piece=True)
    return list(out.values())


def _lesson_lines(add, lesson, catalog) -> None:
    base = f.State(active=True, topic=lesson.topic, lesson=lesson.id)
    lid = f"lesson.{lesson.id}"
    add(f"{lid}.intro", spoken_line(replace(base, screen="intro"), catalog), "lesson intro", lesson.id)
    for i, step in enumerate(lesson.steps, 1):
        add(f"{lid}.step.{i}.title", step.title, f"step {i} title", lesson.id)
        if not step.sensitive:  # a sensitive step is never read aloud: nothing to record
            add(f"{lid}.step.{i}", step.spoken, f"step {i}", lesson.id)
    add(f"{lid}.finish", spoken_line(replace(base, screen="finish"), catalog), "lesson finish",
        lesson.id)
    for i, q in enumerate(lesson.quiz, 1):
        add(f"{lid}.quiz.{i}", q.question, f"quiz question {i}", lesson.id)
        add(f"{lid}.quiz.{i}.choices", listed(q.choices), f"quiz question {i}: choices", lesson.id)
        add(f"{lid}.quiz.{i}.right", f"Câu đúng là: {q.choices[q.answer - 1]}.",
            f"quiz question {i}: after a wrong answer", lesson.id)
        add(f"{lid}.quiz.{i}.why", q.why, f"quiz answer {i}", lesson.id)


def _practice_lines(add, catalog) -> None:
    book = book_of(catalog)
    for p in book.practices:
        pid = f"practice.{p.id}"
        for i, step in enumerate(p.steps, 1):
            said = step.say or step.do
            # a secret code is never said (the voice points at the screen): a fixed line still;
            # another made-up value (a file number) makes the line a run-time one
            if set(PLACEHOLDER.findall(said)) <= set(SECRET_PLACEHOLDERS):
                add(f"{pid}.step.{i}", fill_spoken(said, {}), f"practice step {i}", p.id)
            add(f"{pid}.step.{i}.praise", step.praise, f"practice step {i}: praise", p.id)
            add(f"{pid}.step.{i}.correct", step.correct, f"practice step {i}: correction", p.id)
    if book.drills:
        add("screen.drills", spoken_line(f.State(screen="drills", active=True, topic="safety",
                                                 activity=DrillRun()), catalog),
            "scam drills: the list")
    for d in book.drills:
        did = f"drill.{d.id}"
        add(f"{did}.call", f"{CHANNELS[d.channel]} từ {d.sender}. {' '.join(d.messages)}",
            "scam drill: the call or message", d.id)
        add(f"{did}.question", d.question, "scam drill question", d.id)
        add(f"{did}.choices", listed(c.text for c in d.choices), "scam drill choices", d.id)
        for k, c in enumerate(d.choices, 1):
            add(f"{did}.why.{k}", c.why, f"scam drill answer {k}", d.id)


def _confirm_lines(add, catalog) -> None:
    """The say-back questions of the voice's confirm screen ("Bạn muốn …, đúng không?")."""
    from kiosk.core.understand.intents import SAY_BACK, Intent
    for name in SAY_BACK:
        add(f"confirm.{name.replace('_', '-')}", v.ask(Intent(name)), "voice: confirm question")
    for topic in TOPIC_ORDER:
        if catalog.by_topic(topic):
            add(f"confirm.topic.{topic}", v.ask(Intent("open", args={"topic": topic})),
                "voice: confirm question")
    for lesson in catalog.lessons:
        add(f"confirm.lesson.{lesson.id}",
            v.ask(Intent("open", args={"lesson": lesson.id}), catalog.lessons),
            "voice: confirm question", lesson.id)


def group_titles(catalog: Catalog) -> dict[str, str]:
    """Group id -> the title a person reads (the lesson's, practice's or drill's own)."""
    book = book_of(catalog)
    titles = {KIOSK: "Câu chung của kiosk"}
    for item in [*catalog.lessons, *book.practices, *book.drills]:
        titles.setdefault(item.id, item.title)
    return titles


def by_id(catalog: Catalog) -> dict[str, Line]:
    return {line.id: line for line in lines(catalog)}


def fixed_id(text: str) -> str | None:
    """The id of a fixed line said alone (feedback, a notice), or None."""
    said = _said(text)
    return next((i for i, t in FIXED.items() if _said(t) == said), None)
