"""Lessons are content: YAML files under lessons/, loaded and validated here.

Every problem is reported as `path:line: message` so that a commune editor can find it in a
plain text editor. Loading never raises for bad content: a broken file becomes a list of
problems and the kiosk goes on with the other lessons.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


TOPICS = {
    "vneid": "VNeID",
    "dvc": "Dịch vụ công",
    "payment": "Thanh toán",
    "health": "Sức khỏe",
    "safety": "An toàn",
    "internet": "Internet",
}

MAX_FILE_BYTES = 256 * 1024
MAX_STEP_WORDS = 40
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SECRET_DIGITS = re.compile(r"\d{6,}")
EXTRA_DIRS = ("practice", "drills")  # folders beside the lessons, read by kiosk.core.practice

LESSON_KEYS = {
    "id": True, "title": True, "topic": True, "summary": True, "bring": True,
    "time_needed": True, "link": False, "checklist": False, "steps": True, "quiz": False,
    "sources": True, "reviewed": True,
}
STEP_KEYS = {"title": True, "text": True, "say": False, "image": False, "audio": False,
             "sensitive": False}
SOURCE_KEYS = {"url": True, "title": True, "checked": True}
QUIZ_KEYS = {"question": True, "choices": True, "answer": True, "why": True}


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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
        """What the finish screen's QR code carries, readable without internet."""
        if self.checklist:
            return self.checklist
        return tuple(f"Mang theo: {b}" for b in self.bring) + tuple(s.title for s in self.steps)


@dataclass
class Catalog:
    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    practice: object = None  # kiosk.core.practice.Book: practice copies and scam drills

    def get(self, lesson_id: str) -> Lesson | None:
        return next((l for l in self.lessons if l.id == lesson_id), None)

    def by_topic(self, topic: str) -> list[Lesson]:
        return [l for l in self.lessons if l.topic == topic]


# --- YAML with line numbers -------------------------------------------------------------

class _Lined(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line = 1

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class _LinedList(list):
    line = 1
    lines: list[int]

    def line_of(self, i: int) -> int:
        return self.lines[i] if i < len(self.lines) else self.line


@functools.lru_cache(maxsize=None)
def _loader_class():
    """A YAML loader that keeps line numbers; built on first use (PyYAML is not needed to
    draw the kiosk's first frame)."""
    import yaml

    class _Loader(yaml.SafeLoader):
        duplicate_keys: list[tuple[int, str]]

    _Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    return _Loader


def _construct_map(loader, node) -> _Lined:
    loader.flatten_mapping(node)
    out = _Lined()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out:
            loader.duplicate_keys.append((line, str(key)))
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_seq(loader, node) -> _LinedList:
    out = _LinedList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [n.start_mark.line + 1 for n in node.value]
    return out




def _read_yaml(path: Path, problems: list[Problem]):
    """Return the parsed document or None, adding a problem for anything unreadable."""
    p = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.append(Problem(p, 1, f"file is too large ({size} bytes; a lesson is at most {MAX_FILE_BYTES})"))
            return None
        raw = path.read_bytes()
    except OSError as e:
        problems.append(Problem(p, 1, f"cannot read file: {e.strerror or e}"))
        return None
    if not raw.strip():
        problems.append(Problem(p, 1, "file is empty"))
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(p, line, "binary data, not a text file"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(p, line, "not valid UTF-8 text (save the file as UTF-8)"))
        return None
    import yaml
    loader = _loader_class()(text)
    loader.duplicate_keys = []
    try:
        doc = loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(e, "problem", None) or str(e).splitlines()[0]
        problems.append(Problem(p, line, f"YAML syntax error: {what}"))
        return None
    finally:
        loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(p, line, f"duplicate key '{key}'"))
    return doc


# --- validation -------------------------------------------------------------------------

class _Checker:
    def __init__(self, path: Path, lessons_dir: Path, problems: list[Problem]):
        self.path = path
        self.dir = lessons_dir
        self.problems = problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))

    def keys(self, m, spec: dict[str, bool], where: str) -> bool:
        if not isinstance(m, dict):
            self.add(getattr(m, "line", 1), f"{where} must be a set of 'key: value' lines")
            return False
        for key in m:
            if key not in spec:
                known = ", ".join(sorted(spec))
                self.add(m.line_of(key), f"unknown key '{key}' in {where} (known keys: {known})")
        for key, required in spec.items():
            if required and key not in m:
                self.add(m.line, f"missing required key '{key}' in {where}")
        return True

    def text(self, m, key: str, max_len: int | None = None, max_words: int | None = None,
             is_url: bool = False):
        if key not in m or m[key] is None:
            return None
        value, line = m[key], m.line_of(key)
        if not isinstance(value, str):
            self.add(line, f"'{key}' must be text (put it in quotes if it looks like a number or yes/no)")
            return None
        value = value.strip()
        if not value:
            self.add(line, f"'{key}' is empty")
        if not unicodedata.is_normalized("NFC", value):
            self.add(line, f"'{key}' is not in Unicode NFC form (re-type the accented letters or save as NFC)")
            value = unicodedata.normalize("NFC", value)
        if "\ufffd" in value:
            self.add(line, f"'{key}' contains a replacement character (damaged text)")
        if max_len and len(value) > max_len:
            self.add(line, f"'{key}' is {len(value)} characters long; at most {max_len}")
        if max_words and len(value.split()) > max_words:
            self.add(line, f"'{key}' has {len(value.split())} words; at most {max_words} per step")
        if not is_url and SECRET_DIGITS.search(value):
            self.add(line, f"'{key}' contains a long number; never put an ID number, OTP, password or PIN in a lesson")
        return value

    def text_list(self, m, key: str, max_len: int = 200) -> tuple[str, ...]:
        if key not in m:
            return ()
        items, line = m[key], m.line_of(key)
        if not isinstance(items, list):
            self.add(line, f"'{key}' must be a list of lines starting with '- '")
            return ()
        holder = _Lined({str(i): v for i, v in enumerate(items)})
        holder.line = line
        holder.lines = {str(i): items.line_of(i) for i in range(len(items))}
        out = []
        for i in range(len(items)):
            value = self.text(holder, str(i), max_len=max_len)
            if value:
                out.append(value)
        return tuple(out)

    def date(self, m, key: str):
        if key not in m:
            return None
        value, line = m[key], m.line_of(key)
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            self.add(line, f"'{key}' must be a date written YYYY-MM-DD, not '{value}'")
            return None

    def file(self, m, key: str, folder: str, suffixes: tuple[str, ...]) -> Path | None:
        rel = self.text(m, key)
        if not rel:
            return None
        line = m.line_of(key)
        full = (self.dir / rel).resolve()
        if not str(full).startswith(str(self.dir.resolve())):
            self.add(line, f"'{key}' must point inside the lessons folder: {rel}")
            return None
        if full.suffix.lower() not in suffixes:
            self.add(line, f"'{key}' must be a {' or '.join(suffixes)} file: {rel}")
        if not full.is_file():
            self.add(line, f"{key} file not found: {rel} (put it under lessons/{folder}/)")
            return None
        return full


def _check_lesson(doc, path: Path, lessons_dir: Path, problems: list[Problem]) -> Lesson | None:
    before = len(problems)
    c = _Checker(path, lessons_dir, problems)
    if not c.keys(doc, LESSON_KEYS, "the lesson"):
        return None
    lesson_id = c.text(doc, "id")
    if lesson_id and not ID_PATTERN.match(lesson_id):
        c.add(doc.line_of("id"), f"id '{lesson_id}' may use only lowercase letters, digits and '-'")
    if lesson_id and lesson_id != path.stem:
        c.add(doc.line_of("id"), f"id '{lesson_id}' must match the file name '{path.stem}'")
    title = c.text(doc, "title", max_len=60)
    topic = c.text(doc, "topic")
    if topic and topic not in TOPICS:
        c.add(doc.line_of("topic"), f"topic '{topic}' is not one of: {', '.join(TOPICS)}")
    summary = c.text(doc, "summary", max_len=120)
    time_needed = c.text(doc, "time_needed", max_len=40)
    link = c.text(doc, "link", is_url=True)
    if link and not link.startswith("https://"):
        c.add(doc.line_of("link"), "link must start with https://")
    bring = c.text_list(doc, "bring")
    checklist = c.text_list(doc, "checklist")
    steps = _check_steps(c, doc)
    quiz = _check_quiz(c, doc)
    sources = _check_sources(c, doc)
    reviewed = c.date(doc, "reviewed")
    if len(problems) > before:
        return None
    return Lesson(id=lesson_id, title=title, topic=topic, summary=summary, bring=bring,
                  time_needed=time_needed, steps=steps, sources=sources, reviewed=reviewed,
                  link=link, checklist=checklist, quiz=quiz, path=path)


def _items(c: _Checker, doc, key: str, min_items: int = 1):
    items = doc.get(key)
    if key not in doc:
        return []
    if not isinstance(items, list) or len(items) < min_items:
        c.add(doc.line_of(key), f"'{key}' must be a list with at least {min_items} item(s)")
        return []
    return items


def _check_steps(c: _Checker, doc) -> tuple[Step, ...]:
    steps = []
    for i, s in enumerate(_items(c, doc, "steps")):
        where = f"step {i + 1}"
        if not c.keys(s, STEP_KEYS, where):
            continue
        sensitive = s.get("sensitive", False)
        if not isinstance(sensitive, bool):
            c.add(s.line_of("sensitive"), "'sensitive' must be true or false")
            sensitive = True
        steps.append(Step(
            title=c.text(s, "title", max_len=50), text=c.text(s, "text", max_words=MAX_STEP_WORDS),
            say=c.text(s, "say", max_words=MAX_STEP_WORDS * 2),
            image=c.file(s, "image", "images", (".png", ".jpg", ".jpeg")),
            audio=c.file(s, "audio", "audio", (".wav",)), sensitive=sensitive))
    return tuple(steps)


def _check_quiz(c: _Checker, doc) -> tuple[Question, ...]:
    out = []
    for i, q in enumerate(_items(c, doc, "quiz")):
        if not c.keys(q, QUIZ_KEYS, f"quiz question {i + 1}"):
            continue
        choices = c.text_list(q, "choices", max_len=80)
        if not 2 <= len(choices) <= 4:
            c.add(q.line_of("choices"), "a quiz question needs 2 to 4 choices")
        answer = q.get("answer")
        if not isinstance(answer, int) or isinstance(answer, bool) or not 1 <= answer <= max(len(choices), 1):
            c.add(q.line_of("answer"), f"'answer' must be the number of the right choice (1 to {len(choices)})")
            answer = 1
        out.append(Question(question=c.text(q, "question", max_len=160), choices=choices,
                            answer=answer, why=c.text(q, "why", max_len=200)))
    return tuple(out)


def _check_sources(c: _Checker, doc) -> tuple[Source, ...]:
    out = []
    for i, s in enumerate(_items(c, doc, "sources")):
        if not c.keys(s, SOURCE_KEYS, f"source {i + 1}"):
            continue
        url = c.text(s, "url", is_url=True)
        if url and not url.startswith(("https://", "http://")):
            c.add(s.line_of("url"), "source url must start with https://")
        out.append(Source(url=url, title=c.text(s, "title"), checked=c.date(s, "checked")))
    return tuple(out)


def lesson_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their *.yaml / *.yml files (README and pictures are not lessons)."""
    files: list[Path] = []
    for p in paths:
        if p.name in EXTRA_DIRS or (not p.is_dir() and p.parent.name in EXTRA_DIRS):
            continue  # practice copies and drills: see kiosk.core.practice
        if p.is_dir():
            files.extend(sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml"))))
        else:
            files.append(p)
    return files


def load_lesson(path: Path, lessons_dir: Path | None = None) -> tuple[Lesson | None, list[Problem]]:
    problems: list[Problem] = []
    doc = _read_yaml(path, problems)
    if doc is None and not problems:
        problems.append(Problem(str(path), 1, "file is empty"))
    if problems:
        return None, problems
    lesson = _check_lesson(doc, path, lessons_dir or path.parent, problems)
    return lesson, problems


def load_catalog(*paths: Path) -> Catalog:
    """Load every lesson under the given folders/files; broken ones become problems."""
    catalog = Catalog()
    seen: dict[str, Lesson] = {}
    for path in lesson_files([Path(p) for p in paths]):
        if not path.exists():
            catalog.problems.append(Problem(str(path), 1, "no such file or folder"))
            continue
        lesson, problems = load_lesson(path, path.parent)
        catalog.problems.extend(problems)
        if lesson is None:
            continue
        if lesson.id in seen:
            catalog.problems.append(Problem(str(path), 1, f"duplicate id '{lesson.id}' (also in {seen[lesson.id].path})"))
            continue
        seen[lesson.id] = lesson
        catalog.lessons.append(lesson)
    from kiosk.core.practice import attach_practice  # practice/ and drills/ beside the lessons
    attach_practice(catalog, [Path(p) for p in paths])
    return catalog
