"""Loading the practice copies and scam drills that sit beside the lessons (practice/, drills/).

Each file is read (lesson_yaml), checked (practice_check: the schema, then the references) and
collected into the catalog's `Book`. Broken files become problems, like broken lessons.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content.catalog import Catalog, is_dir, unexpected
from kiosk.core.content.lesson_yaml import Problem, read_yaml
from kiosk.core.content.practice import EXTRA_DIRS, PRACTICE_DIR, Book
from kiosk.core.content.practice_check import check_drill, check_practice


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")))


def practice_files(paths: list[Path]) -> list[tuple[str, Path]]:
    """(kind, file) for every practice/drill file under the given paths.

    A lessons folder brings its `practice/` and `drills/` subfolders; those folders, or files
    in them, can also be named directly (`kiosk lessons check lessons/drills`).
    """
    out: list[tuple[str, Path]] = []
    for p in paths:
        if is_dir(p) and p.name in EXTRA_DIRS:
            out += [(p.name, f) for f in _yaml_files(p)]
        elif is_dir(p):
            for sub in EXTRA_DIRS:
                if is_dir(p / sub):
                    out += [(sub, f) for f in _yaml_files(p / sub)]
        elif p.parent.name in EXTRA_DIRS:
            out.append((p.parent.name, p))
    seen, unique = set(), []
    for kind, f in out:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append((kind, f))
    return unique


def _load_one(kind: str, path: Path, lesson_exists, today=None):
    problems: list[Problem] = []
    doc = read_yaml(path, problems)
    if problems:
        return None, problems
    check = check_practice if kind == PRACTICE_DIR else check_drill
    try:
        return check(doc, path, problems, lesson_exists, today), problems
    except Exception as e:
        return None, [unexpected(path, e)]


def load_book(paths: list[Path], catalog: Catalog, today=None) -> tuple[Book, list[Problem]]:
    book, problems = Book(), []

    def lesson_exists_for(folder: Path):
        lessons_dir = folder.parent
        return lambda lid: bool(catalog.get(lid)) or _is_file(lessons_dir / f"{lid}.yaml")

    seen: dict[tuple[str, str], Path] = {}
    for kind, path in practice_files(paths):
        obj, file_problems = _load_one(kind, path, lesson_exists_for(path.parent), today)
        problems += file_problems
        if obj is None:
            continue
        if (kind, obj.id) in seen:
            problems.append(Problem(str(path), 1, f"duplicate id '{obj.id}' (also in {seen[(kind, obj.id)]})"))
            continue
        seen[(kind, obj.id)] = path
        (book.practices if kind == PRACTICE_DIR else book.drills).append(obj)
    return book, problems


def attach_practice(catalog: Catalog, paths: list[Path], today=None) -> None:
    """Load practices and drills found under `paths` into `catalog.practice`."""
    book, problems = load_book(paths, catalog, today)
    catalog.practice = book
    catalog.problems.extend(problems)
