"""The `picture:` of a lesson step, and the shared screen library, as pydantic models.

A step's picture is one of three things (exactly one):
- `screen: FILE/NAME`: a phone screen written once and shared, from lessons/screens/FILE.yaml
  or a practice copy lessons/practice/FILE.yaml (YAML anchors are not allowed in lessons, so a
  screen many lessons show is named, not copied);
- `title` + `style` + `items`: a phone screen written in the step itself, with the element kinds
  of the practice copies (practice_schema.py);
- `sign: NAME`: a pictogram for a step in the real world (go to Công an xã, bring the card...).
`touch: ELEMENT-ID` names the control to touch on a screen: the kiosk rings it and points at it.
lesson_schema's StepModel names PictureModel; schema.complete() resolves it (this module needs
practice_schema, which needs lesson_schema).
"""

from typing import Annotated, Literal

from pydantic import Field, model_validator
from pydantic.json_schema import WithJsonSchema

from kiosk.core.content.catalog import SCREEN_REF, SIGNS
from kiosk.core.content.lesson_schema import Ident, Strict, Text, fail
from kiosk.core.content.practice import STYLES
from kiosk.core.content.practice_schema import ItemModel, ScreenModel


ScreenRef = Annotated[str, WithJsonSchema({"type": "string", "pattern": SCREEN_REF.pattern})]


class PictureModel(Strict):
    """What the step shows beside its text: a drawn phone screen or a pictogram."""
    screen: ScreenRef | None = Field(None, description="a shared screen: FILE/NAME from "
                                     "lessons/screens/FILE.yaml or lessons/practice/FILE.yaml")
    title: Text(max_len=40) | None = Field(None, description="a screen written here: its app bar")
    style: Literal[STYLES] | None = Field(None, description="a screen written here: the bar colour")
    items: Annotated[list[ItemModel], Field(min_length=1, max_length=30)] | None = None
    touch: Ident | None = Field(None, description="the element to touch: ringed and pointed at")
    sign: Literal[tuple(SIGNS)] | None = Field(None, description="a pictogram for a step "
                                                "away from the phone")
    label: Text(max_len=40) | None = Field(None, description="words under the pictogram")

    @model_validator(mode="after")
    def _one_kind(self):
        kinds = [k for k, on in (("screen", self.screen), ("items", self.items),
                                 ("sign", self.sign)) if on]
        if len(kinds) != 1:
            raise fail("picture", "needs exactly one of 'screen' (a shared screen), 'items' "
                                   "(a screen written here) or 'sign' (a pictogram)")
        if self.screen and not SCREEN_REF.match(self.screen):
            raise fail("screen_ref", "'screen' is FILE/NAME, e.g. vneid/login, not '{value}'",
                        value=self.screen)
        if self.items and not self.title:
            raise fail("picture_title", "a screen written here needs its 'title' (the app bar)")
        if self.sign and (self.touch or self.title or self.style):
            raise fail("sign_only", "a pictogram ('sign') has only 'label' beside it")
        if (self.title or self.style) and not self.items:
            raise fail("picture_items", "'title' and 'style' go with 'items' (a screen written here)")
        if self.label and not self.sign:
            raise fail("label_sign", "'label' goes with 'sign'; a screen shows its own words")
        return self


class ScreensModel(Strict):
    """A library of shared phone screens: lessons/screens/<file>.yaml."""
    screens: Annotated[dict[Ident, ScreenModel], Field(min_length=1, max_length=60)]
