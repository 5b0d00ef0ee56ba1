"""Lessons are content: YAML files under lessons/, loaded and validated here.

Every problem is reported as `path:line: message` so that a commune editor can find it in a
plain text editor. Loading never raises for bad content: a broken file becomes a list of
problems and the kiosk goes on with the other lessons.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

# pydantic (lesson_schema) and PyYAML are imported when the first file is read, not here:
# the kiosk draws its first frame before it loads the lessons.
from kiosk.core.content.catalog import (  # noqa: F401  (the model: callers import it from here too)
    EXTRA_DIRS, ID_PATTERN, MAX_STEP_WORDS, SECRET_DIGITS, TOPICS, Catalog, Lesson, Question, Source,
    Step, is_dir, sources_of, unexpected,
)
from kiosk.core.content.lesson_yaml import MAX_FILE_BYTES, Problem, read_yaml  # noqa: F401
from kiosk.core.content.lexicon import LEXICON_NAME
from kiosk.core.content.practice_load import attach_practice
from kiosk.core.content.step_picture import attach_pictures, picture_of


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
    picture = None
    if model.picture is not None:
        picture = picture_of(model.picture, raw.line_of("picture"))
    return Step(title=model.title, text=model.text, say=model.say,
                image=file("image", "images", (".png", ".jpg", ".jpeg")),
                audio=file("audio", "audio", (".wav",)), sensitive=model.sensitive,
                picture=picture, line=getattr(raw, "line", 1))


def _check_lesson(doc, path: Path, lessons_dir: Path, problems: list[Problem],
                  today: dt.date | None = None) -> Lesson | None:
    from kiosk.core.content.lesson_schema import LessonModel  # pydantic: loaded with the first file, after the first frame
    from kiosk.core.content.schema import validate  # pydantic, as above
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
        checklist=tuple(model.checklist), path=path, next=model.next,
        quiz=tuple(Question(question=q.question, choices=tuple(q.choices), answer=q.answer, why=q.why)
                   for q in model.quiz))


def lesson_files(paths: list[Path]) -> list[Path]:
    """Expand folders to their *.yaml / *.yml files (README and pictures are not lessons)."""
    files: list[Path] = []
    for p in paths:
        if p.name in EXTRA_DIRS or (not is_dir(p) and p.parent.name in EXTRA_DIRS):
            continue  # practice copies and drills: see kiosk.core.content.practice
        if is_dir(p):
            files.extend(f for f in sorted(list(p.glob("*.yaml")) + list(p.glob("*.yml")))
                         if f.name != LEXICON_NAME)  # the pronunciation lexicon (content.lexicon)
        elif p.name != LEXICON_NAME:
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


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte
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
    attach_practice(catalog, [Path(p) for p in paths], today)
    attach_pictures(catalog)  # the shared screens of step pictures
    return catalog


#END
