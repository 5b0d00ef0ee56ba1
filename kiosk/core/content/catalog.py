"""The content's model: lessons, steps, quiz questions, sources, the catalog (plain data).

Layer: the bottom of kiosk.core.content. Loading and checking live above it
(lesson_yaml -> catalog -> practice -> practice_load -> lessons), so that the practice
copies can name the catalog without importing the lesson loader that loads them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.content.lesson_yaml import Problem

log = logging.getLogger("kiosk.lessons")

TOPICS = {
    "vneid": "VNeID",
    "dvc": "Dịch vụ công",
    "payment": "Thanh toán",
    "health": "Sức khỏe",
    "safety": "An toàn",
    "internet": "Internet",
}
MAX_STEP_WORDS = 40
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECRET_DIGITS = re.compile(r"\d{6,}")
# folders beside the lessons: read by kiosk.core.content.practice, and shared screens (step_picture)
EXTRA_DIRS = ("practice", "drills", "screens")
# A step's picture (step_picture.py): a shared screen is named FILE/NAME
SCREEN_REF = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")

# The fixed set of pictograms: name -> what it shows, in words (said in audio mode).
SIGNS = {
    "police": "trụ sở Công an",
    "card": "thẻ căn cước",
    "phone": "điện thoại",
    "sms": "tin nhắn đến trên điện thoại",
    "call": "cuộc gọi điện thoại",
    "counter": "quầy tiếp nhận có cán bộ",
    "money": "tiền",
    "clock": "đồng hồ: chờ một thời gian",
    "paper": "giấy tờ",
    "face": "chụp ảnh khuôn mặt",
    "fingerprint": "lấy vân tay",
    "warning": "biển cảnh báo",
    "lock": "ổ khóa: giữ bí mật",
    "hospital": "bệnh viện",
    "wifi": "sóng Wi-Fi",
    "bank": "ngân hàng",
    "child": "em bé",
    "car": "ô tô",
    "house": "ngôi nhà",
    "mail": "phong bì thư",
    "check": "dấu tích: đã xong",
    "people": "người thân trong gia đình",
}


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    say: str | None = None
    image: Path | None = None
    audio: Path | None = None
    sensitive: bool = False
    picture: object = None  # step_picture.StepPicture: the drawn screen or pictogram beside the text
    line: int = 1           # where the step starts in its file

    @property
    def spoken(self) -> str:
        return self.say or self.text


@dataclass(frozen=True)
class Question:
    question: str
    choices: tuple[str, ...]
    answer: int  # 1-based, as editors write it
    why: str


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    checked: str


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    topic: str
    summary: str
    bring: tuple[str, ...]
    time_needed: str
    steps: tuple[Step, ...]
    sources: tuple[Source, ...]
    reviewed: str
    link: str | None = None
    checklist: tuple[str, ...] = ()
    quiz: tuple[Question, ...] = ()
    path: Path | None = None
    next: str | None = None  # the lesson that naturally comes next (offered on the finish screen)

    @property
    def take_home_lines(self) -> tuple[str, ...]:
        """The take-home checklist: printed on paper (`kiosk printer test --checklist`), readable offline."""
        if self.checklist:
            return self.checklist
        return tuple(f"Mang theo: {b}" for b in self.bring) + tuple(s.title for s in self.steps)


@dataclass
class Catalog:
    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    practice: object = None  # kiosk.core.content.practice.Book: practice copies and scam drills

    def get(self, lesson_id: str) -> Lesson | None:
        return next((l for l in self.lessons if l.id == lesson_id), None)

    def by_topic(self, topic: str) -> list[Lesson]:
        return [l for l in self.lessons if l.topic == topic]


def sources_of(models) -> tuple[Source, ...]:
    return tuple(Source(url=s.url, title=s.title, checked=s.checked) for s in models)


def unexpected(path: Path, error: Exception) -> Problem:
    """A file the checks did not foresee: skipped like any broken file, never a crash of the
    kiosk. The traceback goes to the log for the developers; the fuzz test counts these."""
    log.error("unexpected error while checking %s", path, exc_info=error)
    return Problem(str(path), 1, f"internal error while checking this file ({type(error).__name__}); "
                                 "please report it")


def is_dir(path: Path) -> bool:
    """Path.is_dir, but False for a name the system refuses (too long, NUL byte)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False
