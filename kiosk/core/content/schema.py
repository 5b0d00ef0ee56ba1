"""The file formats' checks as messages, and the published JSON Schema (`lessons/schema.json`).

The models are in lesson_schema.py (lessons), practice_schema.py (practice copies, drills) and
picture_schema.py (step pictures, shared screens); this module sits above them: it completes a
step's `picture` field (complete()), every validation error becomes `path:line: message`, an unknown
key gets a "did you mean" from the keys of every format, and `python -m kiosk.core.content.schema
> lessons/schema.json` writes one schema matching any of the four kinds of file.
"""

import datetime as dt
import difflib
import functools
import json
import sys

from pydantic import ValidationError
from pydantic.json_schema import models_json_schema

from kiosk.core.content import lesson_schema, picture_schema, practice_schema
from kiosk.core.content.lesson_schema import LessonModel, StepModel, Strict
from kiosk.core.content.lesson_yaml import Problem, printable
from kiosk.core.content.picture_schema import PictureModel, ScreensModel
from kiosk.core.content.practice_schema import DrillModel, PracticeModel


@functools.lru_cache(maxsize=1)
def complete() -> None:
    """Resolve StepModel's `picture` (picture_schema.py needs lesson_schema, so it comes late)."""
    StepModel.model_rebuild(_types_namespace={"PictureModel": PictureModel})
    LessonModel.model_rebuild(force=True)


# --- errors as path:line: message ---------------------------------------------------------

SINGULAR = {"steps": "step", "quiz": "quiz question", "sources": "source", "choices": "choice",
            "items": "item", "rows": "row", "messages": "message", "bring": "'bring' line",
            "checklist": "'checklist' line", "lessons": "'lessons' line", "lines": "'lines' line"}

TYPE_MESSAGES = {
    "string_type": "must be text (put it in quotes if it looks like a number or yes/no)",
    "bool_type": "must be true or false",
    "int_type": "must be a whole number",
    "list_type": "must be a list of lines starting with '- '",
    "dict_type": "must be a set of 'key: value' lines",
    "model_type": "must be a set of 'key: value' lines",
    "model_attributes_type": "must be a set of 'key: value' lines",
}


def validate(model: type[Strict], doc, path, what: str,
             today: dt.date | None = None) -> tuple[Strict | None, list[Problem]]:
    """The checked model, or None and a `path:line: message` per problem. With `today` (the
    editor's check) the source rules apply too: a page, not a site; not checked in the future."""
    complete()
    try:
        return model.model_validate(doc, context={"today": today}), []
    except ValidationError as e:
        return None, problems_of(e, doc, str(path), what)
    except RecursionError:  # the YAML reader bounds the depth; never a traceback anyway
        return None, [Problem(str(path), 1, "nested too deeply")]


MAX_PROBLEMS = 40  # per file: a badly broken file gives a first screenful, not thousands of lines


def problems_of(error: ValidationError, doc, path: str, what: str) -> list[Problem]:
    out = []
    errors = error.errors(include_url=False)
    for e in errors[:MAX_PROBLEMS]:
        _, line, names = _walk(doc, e["loc"])
        out.append(Problem(path, line, _message(e, names, what)))
    out = sorted(set(out), key=lambda p: (p.line, p.message))
    if len(errors) > MAX_PROBLEMS:
        out.append(Problem(path, out[-1].line, f"{len(errors) - MAX_PROBLEMS} more problem(s) "
                                               "not shown; fix these first, then check again"))
    return out


def _walk(doc, loc) -> tuple[object, int, list]:
    """Follow an error's location through the document: (parent node, line, cleaned loc)."""
    node, line, names = doc, getattr(doc, "line", 1), []
    for part in loc:
        if part == "[key]":  # an invalid key of a mapping (e.g. a screen name)
            names.append(part)
            break
        if isinstance(node, dict) and part not in node and node.get("kind") == part:
            continue  # the tag pydantic adds for a discriminated union (`kind`)
        if isinstance(node, dict) and part in node:
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            line = node.line_of(part) if hasattr(node, "line_of") else line
            node = node[part]
        else:
            names.append(part)
            break
        names.append(part)
    return node, line, names


def _describe(names: list, what: str) -> str:
    parts, i = [], 0
    while i < len(names):
        k, nxt = names[i], names[i + 1] if i + 1 < len(names) else None
        if isinstance(k, str) and isinstance(nxt, int):
            parts.append(f"{SINGULAR.get(k, k)} {nxt + 1}")
            i += 2
        elif k == "screens" and isinstance(nxt, str) and nxt != "[key]":
            parts.append(f"screen '{nxt}'")
            i += 2
        else:
            parts.append(f"'{k}'" if k != "[key]" else "the name")
            i += 1
    return ", ".join(parts) or what


@functools.lru_cache(maxsize=1)
def _field_names() -> tuple[str, ...]:
    """Every key the formats know, to suggest one for a typo (`tittle` -> `title`)."""
    models = [m for m in list(vars(lesson_schema).values()) + list(vars(practice_schema).values())
              + list(vars(picture_schema).values())
              if isinstance(m, type) and issubclass(m, Strict) and m is not Strict]
    return tuple(sorted({name for m in models for name in m.model_fields}))


def _message(e: dict, names: list, what: str) -> str:
    kind, ctx = e["type"], e.get("ctx") or {}
    if kind == "missing":
        return f"missing required key '{names[-1]}' in {_describe(names[:-1], what)}"
    if kind == "extra_forbidden":
        key = str(names[-1])
        near = [k for k in difflib.get_close_matches(key.casefold(), _field_names(), n=2, cutoff=0.7)
                if k != key]  # a key of another part of the file: no hint, only "unknown here"
        hint = f" (did you mean '{near[0]}'?)" if near else ""
        return f"unknown key '{printable(key, 80)}' in {_describe(names[:-1], what)}{hint}"
    where = _describe(names, what)
    if kind == "union_tag_invalid":
        return f"{where}: kind '{printable(str(ctx.get('tag')), 40)}' is not one of: {ctx.get('expected_tags')}"
    if kind == "union_tag_not_found":
        return f"{where} needs 'kind' (what to draw)"
    if kind == "literal_error":
        value = printable(str(e.get("input")), 40)
        return f"{where} '{value}' is not one of: {ctx.get('expected', '').replace(chr(39), '')}"
    if kind.endswith("_type") and e.get("input") is None:
        return f"{where} is empty (write it after the colon)"
    if kind in TYPE_MESSAGES:
        return f"{where} {TYPE_MESSAGES[kind]}"
    if kind == "too_short":
        return f"{where} must be a list with at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"{where} may have at most {ctx.get('max_length')} items"
    return f"{where} {e['msg']}"


# --- the published JSON Schema -------------------------------------------------------------

def json_schema() -> dict:
    """lessons/schema.json: one schema matching a lesson, a practice, a drill or a screens file."""
    complete()
    models = [LessonModel, PracticeModel, DrillModel, ScreensModel]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/$defs/{model}")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "HCC kiosk lesson, practice, drill or shared screens file",
            "anyOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models], **defs}


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m kiosk.core.content.schema > lessons/schema.json
    sys.stdout.write(json_schema_text())
