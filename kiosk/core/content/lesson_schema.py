"""The lesson file format as pydantic models (practice and drill formats: practice_schema.py).

Why pydantic: it is well kept, already in the project (the staff console's FastAPI is built on
it), validates the whole file in one pass with a location for every error, and writes the same
rules out as a JSON Schema (`lessons/schema.json`) that a commune editor's text editor uses for
completion and red underlines. What a schema cannot say (a picture exists, an answer number is
within the choices, an element named by a step is on its screen) is checked after it, in
lessons.py and practice.py. Every error becomes `path:line: message` (see `problems_of`).
"""

import datetime as dt
import difflib
import functools
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool,
                      StrictInt, ValidationError, field_validator)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from kiosk.core.content.lesson_yaml import Problem, printable
from kiosk.core.content.lessons import ID_PATTERN, MAX_STEP_WORDS, SECRET_DIGITS, TOPICS
from kiosk.core.content.practice import PLACEHOLDER, PLACEHOLDERS

MAX_NAME_BYTES = 255  # longest file name Linux allows (longer: OSError when looked up)


def _fail(kind: str, message: str, **context) -> PydanticCustomError:
    return PydanticCustomError(kind, message, {k: printable(str(v), 80) for k, v in context.items()})


# --- text --------------------------------------------------------------------------------

def _check_text(value: str, max_len, max_words, placeholders: bool, secrets: bool) -> str:
    value = value.strip()
    if not value:
        raise _fail("empty", "is empty")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in value):
        raise _fail("control", "contains a control character or damaged text (delete it, re-type the line)")
    if not unicodedata.is_normalized("NFC", value):
        raise _fail("nfc", "is not in Unicode NFC form (re-type the accented letters or save as NFC)")
    if "\ufffd" in value:
        raise _fail("damaged", "contains a replacement character (damaged text)")
    if max_len and len(value) > max_len:
        raise _fail("length", "is {n} characters long; at most {max}", n=len(value), max=max_len)
    words = len(value.split())
    if max_words and words > max_words:
        raise _fail("words", "has {n} words; at most {max}", n=words, max=max_words)
    if secrets and SECRET_DIGITS.search(value):
        raise _fail("secret", "contains a long number; never put an ID number, OTP, password "
                              "or PIN in a lesson")
    if placeholders:
        for name in PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
                raise _fail("placeholder", "has an unknown placeholder '{name}' (known: {known})",
                            name="{" + name + "}", known=known)
    return value


def Text(max_len: int | None = None, max_words: int | None = None, placeholders: bool = False,
         secrets: bool = True):
    """A line of visitor-facing text: NFC, no control characters, no long numbers, bounded."""
    schema = {"type": "string", "minLength": 1}
    if max_len:
        schema["maxLength"] = max_len
    return Annotated[str, AfterValidator(
        lambda v: _check_text(v, max_len, max_words, placeholders, secrets)),
        WithJsonSchema(schema)]


def _check_ident(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise _fail("ident", "'{value}' may use only lowercase letters, digits and '-'", value=value)
    return value


Ident = Annotated[str, AfterValidator(_check_ident),
                  WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern})]


def _url(schemes: tuple[str, ...]):
    def check(value: str) -> str:
        value = _check_text(value, 500, None, False, False)
        if not value.startswith(schemes) or any(c.isspace() for c in value):
            raise _fail("url", "must be a web address starting with https://")
        return value
    return Annotated[str, AfterValidator(check),
                     WithJsonSchema({"type": "string", "pattern": "^(" + "|".join(schemes) + ")\\S+$"})]


Link = _url(("https://",))
SourceUrl = _url(("https://", "http://"))


def _check_date(value) -> str:
    text = value if isinstance(value, str) else repr(value)
    try:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        pass
    raise _fail("date", "must be a date written YYYY-MM-DD, not '{value}'", value=text)


Date = Annotated[str, BeforeValidator(_check_date),
                 WithJsonSchema({"type": "string", "format": "date",
                                 "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


def _check_file_name(value: str) -> str:
    value = _check_text(value, None, None, False, False)
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in value.split("/")):
        raise _fail("file_name", "names a file longer than {max} bytes; use a short name",
                    max=MAX_NAME_BYTES)
    return value


FileName = Annotated[str, AfterValidator(_check_file_name),
                     WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 500})]


class Strict(BaseModel):
    """No unknown keys (a typo is reported, not ignored), no silent type conversions."""
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- the lesson --------------------------------------------------------------------------

class StepModel(Strict):
    """One step of a lesson: one screen."""
    title: Annotated[Text(max_len=50), Field(description="short, at most 50 characters")]
    text: Annotated[Text(max_words=MAX_STEP_WORDS), Field(description="shown on the screen, at most 40 words")]
    say: Text(max_words=MAX_STEP_WORDS * 2) | None = Field(
        None, description="what the kiosk says aloud when it differs from text")
    image: FileName | None = Field(None, description="a PNG or JPEG under lessons/images/")
    audio: FileName | None = Field(None, description="a WAV under lessons/audio/")
    sensitive: StrictBool = Field(False, description="true: never read this step aloud")


class QuestionModel(Strict):
    """A quiz question at the end of a lesson."""
    question: Text(max_len=160)
    choices: Annotated[list[Text(max_len=80)], Field(min_length=2, max_length=4)]
    answer: StrictInt = Field(description="the number of the right choice, counting from 1")
    why: Text(max_len=200)

    @field_validator("answer")
    @classmethod
    def _answer_in_range(cls, value, info):
        n = len(info.data.get("choices") or ()) or 4
        if not 1 <= value <= n:
            raise _fail("answer", "must be the number of the right choice (1 to {n})", n=n)
        return value


class SourceModel(Strict):
    """Where a fact comes from: the page's own address, not just the site's."""
    url: Annotated[SourceUrl, WithJsonSchema({"type": "string", "pattern": r"^https?://[^/\s]+/\S+$"}),
                   Field(description="the page's full address (a site's home page is refused)")]
    title: Text(max_len=300)
    checked: Annotated[Date, Field(description="the day you read the page (not in the future)")]

    # The two rules below are the editor's check (`kiosk lessons check` passes `today` in the
    # validation context). The running kiosk does not apply them: a kiosk whose clock went
    # back, or a source cited too broadly, must not take a lesson away from a visitor.
    @field_validator("url")
    @classmethod
    def _a_page_not_a_site(cls, value, info):
        if (info.context or {}).get("today") and domain_only(value):
            raise _fail("domain_only", "{value} is only a web site; give the address of the page "
                                       "that says it", value=value)
        return value

    @field_validator("checked")
    @classmethod
    def _not_in_the_future(cls, value, info):
        today = (info.context or {}).get("today")
        if today and dt.date.fromisoformat(value) > today:
            raise _fail("future", "is {value}, a day still to come (today is {today}); write the "
                                  "day you read the page", value=value, today=today.isoformat())
        return value


def domain_only(url: str) -> bool:
    """`https://soha.vn` or `https://soha.vn/`: a whole site, not the page that says the fact."""
    rest = url.split("://", 1)[-1]
    return not rest.partition("/")[2].strip("/#?")


class LessonModel(Strict):
    """A lesson or guided public service: lessons/<id>.yaml."""
    id: Annotated[Ident, Field(description="same as the file name, e.g. vneid-muc-2")]
    title: Annotated[Text(max_len=60), Field(description="the lesson's name as the visitor sees it")]
    topic: Literal[tuple(TOPICS)]
    summary: Annotated[Text(max_len=120), Field(description="one short sentence under the title")]
    bring: Annotated[list[Text(max_len=200)], Field(description="what to bring; may be []")]
    time_needed: Annotated[Text(max_len=40), Field(description="e.g. Khoảng 10 phút")]
    link: Link | None = Field(None, description="the official address for the take-home QR code")
    checklist: list[Text(max_len=200)] = Field([], description="lines for the take-home QR code")
    steps: Annotated[list[StepModel], Field(min_length=1, max_length=60)]
    quiz: Annotated[list[QuestionModel], Field(min_length=1, max_length=10)] = []
    sources: Annotated[list[SourceModel], Field(
        min_length=1, description="where the facts come from: the page itself, not the site")]
    reviewed: Annotated[Date, Field(description="when a person last checked the whole lesson")]


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
    from kiosk.core.content import practice_schema
    models = [m for m in list(globals().values()) + list(vars(practice_schema).values())
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
    """lessons/schema.json: one schema matching a lesson, a practice or a drill file."""
    from pydantic.json_schema import models_json_schema

    from kiosk.core.content.practice_schema import DrillModel, PracticeModel
    models = [LessonModel, PracticeModel, DrillModel]
    _, defs = models_json_schema([(m, "validation") for m in models], ref_template="#/$defs/{model}")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "HCC kiosk lesson, practice or drill file",
            "anyOf": [{"$ref": f"#/$defs/{m.__name__}"} for m in models], **defs}


def json_schema_text() -> str:
    import json
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # python -m kiosk.core.content.lesson_schema > lessons/schema.json
    import sys
    sys.stdout.write(json_schema_text())
