"""The lesson file format as pydantic models (practice and drill formats: practice_schema.py).

Why pydantic: it is well kept, already in the project (the staff console's FastAPI is built on
it), validates the whole file in one pass with a location for every error, and writes the same
rules out as a JSON Schema (`lessons/schema.json`) that a commune editor's text editor uses for
completion and red underlines. What a schema cannot say (a picture exists, an answer number is
within the choices, an element named by a step is on its screen) is checked after it, in
lessons.py and practice_check.py. Every error becomes `path:line: message` (see
schema.py, which also writes the JSON Schema out).
"""

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool,
                      StrictInt, field_validator)
from pydantic.json_schema import WithJsonSchema
from pydantic_core import PydanticCustomError

from kiosk.core.content.lesson_yaml import printable
from kiosk.core.content.catalog import ID_PATTERN, MAX_STEP_WORDS, SECRET_DIGITS, TOPICS
from kiosk.core.content.practice import PLACEHOLDER, PLACEHOLDERS

MAX_NAME_BYTES = 255  # longest file name Linux allows (longer: OSError when looked up)


def fail(kind: str, message: str, **context) -> PydanticCustomError:
    """A schema error of `kind` (the lesson, practice and picture schemas raise these)."""
    return PydanticCustomError(kind, message, {k: printable(str(v), 80) for k, v in context.items()})


# --- text --------------------------------------------------------------------------------

def _check_text(value: str, max_len, max_words, placeholders: bool, secrets: bool) -> str:
    value = value.strip()
    if not value:
        raise fail("empty", "is empty")
    if any(unicodedata.category(c) in ("Cc", "Cs") and c not in "\n\t" for c in value):
        raise fail("control", "contains a control character or damaged text (delete it, re-type the line)")
    if not unicodedata.is_normalized("NFC", value):
        raise fail("nfc", "is not in Unicode NFC form (re-type the accented letters or save as NFC)")
    if "\ufffd" in value:
        raise fail("damaged", "contains a replacement character (damaged text)")
    if max_len and len(value) > max_len:
        raise fail("length", "is {n} characters long; at most {max}", n=len(value), max=max_len)
    words = len(value.split())
    if max_words and words > max_words:
        raise fail("words", "has {n} words; at most {max}", n=words, max=max_words)
    if secrets and SECRET_DIGITS.search(value):
        raise fail("secret", "contains a long number; never put an ID number, OTP, password "
                              "or PIN in a lesson")
    if placeholders:
        for name in PLACEHOLDER.findall(value):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + k + "}" for k in PLACEHOLDERS)
                raise fail("placeholder", "has an unknown placeholder '{name}' (known: {known})",
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
        raise fail("ident", "'{value}' may use only lowercase letters, digits and '-'", value=value)
    return value


Ident = Annotated[str, AfterValidator(_check_ident),
                  WithJsonSchema({"type": "string", "pattern": ID_PATTERN.pattern})]


def _url(schemes: tuple[str, ...]):
    def check(value: str) -> str:
        value = _check_text(value, 500, None, False, False)
        if not value.startswith(schemes) or any(c.isspace() for c in value):
            raise fail("url", "must be a web address starting with https://")
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
    raise fail("date", "must be a date written YYYY-MM-DD, not '{value}'", value=text)


Date = Annotated[str, BeforeValidator(_check_date),
                 WithJsonSchema({"type": "string", "format": "date",
                                 "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


def _check_file_name(value: str) -> str:
    value = _check_text(value, None, None, False, False)
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES for part in value.split("/")):
        raise fail("file_name", "names a file longer than {max} bytes; use a short name",
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
    # resolved by schema.complete(): picture_schema.py is above this module (it needs practice_schema)
    picture: "PictureModel | None" = Field(None, description="a drawn phone screen (with the "
                                           "element to touch) or a pictogram: picture_schema.py")
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
            raise fail("answer", "must be the number of the right choice (1 to {n})", n=n)
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
            raise fail("domain_only", "{value} is only a web site; give the address of the page "
                                       "that says it", value=value)
        return value

    @field_validator("checked")
    @classmethod
    def _not_in_the_future(cls, value, info):
        today = (info.context or {}).get("today")
        if today and dt.date.fromisoformat(value) > today:
            raise fail("future", "is {value}, a day still to come (today is {today}); write the "
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
    next: Ident | None = Field(None, description="the id of the lesson that naturally comes "
                               "next; the finish screen offers it")
    checklist: list[Text(max_len=200)] = Field([], description="lines for the take-home QR code")
    steps: Annotated[list[StepModel], Field(min_length=1, max_length=60)]
    quiz: Annotated[list[QuestionModel], Field(min_length=1, max_length=10)] = []
    sources: Annotated[list[SourceModel], Field(
        min_length=1, description="where the facts come from: the page itself, not the site")]
    reviewed: Annotated[Date, Field(description="when a person last checked the whole lesson")]
