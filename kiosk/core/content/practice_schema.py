"""Practice copy and scam drill formats as pydantic models (see lesson_schema.py for why).

`lessons/practice/<id>.yaml` and `lessons/drills/<id>.yaml`. The shape is checked here; what
refers to something else (an element named by a step is on its screen, a keypad types into a
field of its screen, the lessons named exist) is checked in practice.py once the shape is right.
"""

from typing import Annotated, Literal, Union

from pydantic import Field, StrictBool, StrictInt, field_validator

from kiosk.core.content.practice import CHANNELS, STYLES, TEXT_STYLES
from kiosk.core.content.lesson_schema import (
    MAX_STEP_WORDS, Date, Ident, SourceModel, Strict, Text, fail,
)

PText = Text(max_len=160, placeholders=True)
Label = Text(max_len=60, placeholders=True)
Said = Text(max_words=MAX_STEP_WORDS, placeholders=True)


class RowModel(Strict):
    id: Ident
    label: Label
    detail: Text(max_len=80, placeholders=True) | None = None


class TextItem(Strict):
    """A line of text."""
    kind: Literal["text"]
    text: PText
    style: Literal[TEXT_STYLES] = "normal"


class ButtonItem(Strict):
    """A button (primary: filled with the app colour)."""
    kind: Literal["button"]
    id: Ident
    label: Label
    primary: StrictBool = False


class AppItem(Strict):
    """An app icon; consecutive icons make a grid."""
    kind: Literal["app"]
    id: Ident
    label: Label


class FieldItem(Strict):
    """A text box; `secret` shows dots; `value` is pre-filled text."""
    kind: Literal["field"]
    id: Ident
    label: Label
    secret: StrictBool = False
    length: Annotated[StrictInt, Field(ge=1, le=12)] = 6
    value: PText | None = None


class SearchItem(Strict):
    """A search box; tapping it "types" `text` for the visitor."""
    kind: Literal["search"]
    id: Ident
    label: Label
    text: PText


class KeypadItem(Strict):
    """Digit keys 0-9 and Xóa typing into `field`."""
    kind: Literal["keypad"]
    field: Ident


class ListItem(Strict):
    """Tappable rows."""
    kind: Literal["list"]
    rows: Annotated[list[RowModel], Field(min_length=1, max_length=20)]


class CardItem(Strict):
    """A coloured card (health card, file number); tappable if it has an id."""
    kind: Literal["card"]
    id: Ident | None = None
    title: PText
    lines: list[Text(max_len=80, placeholders=True)] = []


class QrItem(Strict):
    """A camera view with a made-up QR code; tapping it scans."""
    kind: Literal["qr"]
    id: Ident
    label: Label


class AttachItem(Strict):
    """"Attach a picture"; tapping it attaches a drawn paper."""
    kind: Literal["attach"]
    id: Ident
    label: Label


class PaymentItem(Strict):
    """The recipient / amount panel of a transfer."""
    kind: Literal["payment"]
    recipient: PText
    amount: PText
    bank: PText | None = None
    note: PText | None = None


class SmsItem(Strict):
    """An incoming text message at the top of the screen."""
    kind: Literal["sms"]
    sender: PText
    text: PText


ITEM_MODELS = (TextItem, ButtonItem, AppItem, FieldItem, SearchItem, KeypadItem, ListItem,
               CardItem, QrItem, AttachItem, PaymentItem, SmsItem)
ItemModel = Annotated[Union[ITEM_MODELS], Field(discriminator="kind")]


class ScreenModel(Strict):
    """A phone screen of the copy: the app bar's title and colour, and its items top to bottom."""
    title: Text(max_len=40, placeholders=True)
    style: Literal[STYLES] = "phone"
    items: Annotated[list[ItemModel], Field(min_length=1, max_length=30)]


class ExpectModel(Strict):
    """`tap: ELEMENT-ID`, or `type: FIELD-ID` + `value: DIGITS` + `submit: BUTTON-ID`."""
    tap: Ident | None = None
    type: Ident | None = None
    value: Text(max_len=40, placeholders=True, secrets=False) | None = None
    submit: Ident | None = None


class PracticeStepModel(Strict):
    """What the visitor does on the copy, and what the kiosk says back."""
    screen: Ident
    do: Said
    say: Text(max_words=MAX_STEP_WORDS * 2, placeholders=True) | None = None
    expect: ExpectModel
    praise: Said
    correct: Said
    wrong: Annotated[dict[str, Said], Field(min_length=1)] | None = None


class PracticeModel(Strict):
    """A practice copy ("Thử làm"): lessons/practice/<id>.yaml."""
    id: Ident
    title: Text(max_len=60, placeholders=True)
    summary: Text(max_len=120, placeholders=True)
    lessons: Annotated[list[Ident], Field(min_length=1)]
    screens: Annotated[dict[Ident, ScreenModel], Field(min_length=1, max_length=40)]
    steps: Annotated[list[PracticeStepModel], Field(min_length=1, max_length=60)]
    sources: Annotated[list[SourceModel], Field(min_length=1)] = []
    reviewed: Date


class DrillChoiceModel(Strict):
    text: Text(max_len=80, placeholders=True)
    right: StrictBool
    why: Said


class DrillModel(Strict):
    """A scam drill ("Nhận biết lừa đảo"): lessons/drills/<id>.yaml."""
    id: Ident
    title: Text(max_len=60, placeholders=True)
    channel: Literal[tuple(CHANNELS)]
    sender: Text(max_len=40, placeholders=True)
    messages: Annotated[list[Text(max_len=300, max_words=MAX_STEP_WORDS, placeholders=True)],
                        Field(min_length=1, max_length=20)]
    question: Text(max_len=160, placeholders=True)
    choices: Annotated[list[DrillChoiceModel], Field(json_schema_extra={"minItems": 2, "maxItems": 3})]
    lesson: Ident | None = None
    sources: Annotated[list[SourceModel], Field(min_length=1)]
    reviewed: Date

    @field_validator("choices")
    @classmethod
    def _two_or_three_one_right(cls, choices):
        if not 2 <= len(choices) <= 3:
            raise fail("choices", "has {n} choices; a drill has 2 or 3 choices (more is too "
                                   "much to hear and hold)", n=len(choices))
        if sum(c.right for c in choices) != 1:
            raise fail("one_right", "needs exactly one choice with 'right: true'")
        return choices
