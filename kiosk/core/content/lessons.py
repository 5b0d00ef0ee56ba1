"""Lessons are content: YAML files under lessons/, loaded and validated here.

Every problem is reported as `path:line: message` so that a commune editor can find it in a
plain text editor. Loading never raises for bad content: a broken file becomes a list of
problems and the kiosk goes on with the other lessons.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# pydantic (lesson_schema) and PyYAML are imported when the first file is read, not here:
# the kiosk draws its first frame before it loads the lessons.
from kiosk.core.content.lesson_yaml import MAX_FILE_BYTES, Problem, read_yaml  # noqa: F401

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
EXTRA_DIRS = ("practice", "drills")  # folders beside the lessons, read by kiosk.core.content.practice


@dataclass(frozen=True)
class Step:
    title: str
    text: str
    say: str | None = None
    image: Path | None = None
    audio: Path | None = None
    sensitive: bool = False

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


# --- checking: the shape by the schema (lesson_schema.py), then what refers to files ---------

def _file(path: Path, lessons_dir: Path, rel: str | None, key: str, folder: str,
          suffixes: tuple[str, ...], line: int, problems: list[Problem], where: str) -> Path | None:
    if not rel:
        return None
    key = f"{where}, '{key}'"
    try:
        full = (lessons_dir / rel).resolve()
        if not full.is_relative_to(lessons_dir.resolve()):
            problems.append(Problem(str(path), line, f"{key} must point inside the lessons folder: {rel}"))
            return None
        if full.suffix.lower() not in suffixes:
            problems.append(Problem(str(path), line, f"{key} must be a {' or '.join(suffixes)} file: {rel}"))
        if not full.is_file():
            problems.append(Problem(str(path), line, f"{key}: file not found: {rel} (put it under lessons/{folder}/)"))
            return None
    except (OSError, ValueError) as e:  # a name too long for the disk, a NUL byte...
        problems.append(Problem(str(path), line, f"{key} names a file that cannot be looked up ({type(e).__name__})"))
        return None
    return full


def _step(n: int, model, raw, path: Path, lessons_dir: Path, problems: list[Problem]) -> Step:
    def file(key, folder, suffixes):
        return _file(path, lessons_dir, getattr(model, key), key, folder, suffixes,
                     raw.line_of(key), problems, f"step {n}")
    return Step(title=model.title, text=model.text, say=model.say,
                image=file("image", "images", (".png", ".jpg", ".jpeg")),
                audio=file("audio", "audio", (".wav",)), sensitive=model.sensitive)


def _check_lesson(doc, path: Path, lessons_dir: Path, problems: list[Problem],
                  today: dt.date | None = None) -> Lesson | None:
    from kiosk.core.content.lesson_schema import LessonModel, validate
    model, found = validate(LessonModel, doc, path, "the lesson", today)
    problems.extend(found)
    if model is None:
        return None
    before = len(problems)
    if model.id != path.stem:
        problems.append(Problem(str(path), doc.line_of("id"), f"id '{model.id}' must match the file name '{path.stem}'"))
    steps = tuple(_step(n, s, raw, path, lessons_dir, problems)
                  for n, (s, raw) in enumerate(zip(model.steps, doc["steps"]), start=1))
    if len(problems) > before:
        return None
    return Lesson(
        id=model.id, title=model.title, topic=model.topic, summary=model.summary,
        bring=tuple(model.bring), time_needed=model.time_needed, steps=steps,
        sources=sources_of(model.sources), reviewed=model.reviewed, link=model.link,
        checklist=tuple(model.checklist), path=path,
        quiz=tuple(Question(question=q.question, choices=tuple(q.choices), answer=q.answer, why=q.why)
                   for q in model.quiz))


def sources_of(models) -> tuple[Source, ...]:
    return tuple(Source(url=s.url, title=s.title, checked=s.checked) for s in models)


def lesson_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their *.yaml / *.yml files (README and pictures are not lessons)."""
    files: list[Path] = []
    for p in paths:
        if p.name in EXTRA_DIRS or (not is_dir(p) and p.parent.name in EXTRA_DIRS):
            continue  # practice copies and drills: see kiosk.core.content.practice
        if is_dir(p):
            files.extend(sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml"))))
        else:
            files.append(p)
    return files


def load_lesson(path: Path, lessons_dir: Path | None = None,
                today: dt.date | None = None) -> tuple[Lesson | None, list[Problem]]:
    problems: list[Problem] = []
    doc = read_yaml(path, problems)
    if problems:
        return None, problems
    try:
        lesson = _check_lesson(doc, path, lessons_dir or path.parent, problems, today)
    except Exception as e:
        return None, [unexpected(path, e)]
    return lesson, problems


def unexpected(path: Path, error: Exception) -> Problem:
    """A file the checks did not foresee: skipped like any broken file, never a crash of the
    kiosk. The traceback goes to the log for the developers; the fuzz test counts these."""
    log.error("unexpected error while checking %s", path, exc_info=error)
    return Problem(str(path), 1, f"internal error while checking this file ({type(error).__name__}); "
                                 "please report it")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def is_dir(path: Path) -> bool:
    """Path.is_dir, but False for a name the system refuses (too long, NUL byte)."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def load_catalog(*paths: Path, today: dt.date | None = None) -> Catalog:
    """Load every lesson under the given folders/files; broken ones become problems.

    `today` is for the editor's check only (see `check_paths`): it turns on the source rules
    that depend on the date."""
    catalog = Catalog()
    seen: dict[str, Lesson] = {}
    for path in lesson_files([Path(p) for p in paths]):
        if not _exists(path):
            catalog.problems.append(Problem(str(path), 1, "no such file or folder"))
            continue
        lesson, problems = load_lesson(path, path.parent, today)
        catalog.problems.extend(problems)
        if lesson is None:
            continue
        if lesson.id in seen:
            catalog.problems.append(Problem(str(path), 1, f"duplicate id '{lesson.id}' (also in {seen[lesson.id].path})"))
            continue
        seen[lesson.id] = lesson
        catalog.lessons.append(lesson)
    from kiosk.core.content.practice import attach_practice  # practice/ and drills/ beside the lessons
    attach_practice(catalog, [Path(p) for p in paths], today)
    return catalog


def check_paths(paths: list[Path], today: Callable[[], dt.date] = dt.date.today) -> Catalog:
    """What `kiosk lessons check` runs: every file under `paths` checked, with the editor's
    rules (sources are pages, not checked in the future: `today` is the injectable clock) and
    the large-text fit of every screen. The problems are in `catalog.problems`."""
    catalog = load_catalog(*paths, today=today())
    from kiosk.core.screens.fit import check_fit  # large-text mode: does every screen fit?
    catalog.problems.extend(check_fit(catalog))
    return catalog
