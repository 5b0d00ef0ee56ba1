"""Checking practice copies and drills: the shape by the schema, then the references.

practice_schema.py says what each field must look like; this module checks what a schema
cannot: an element named by a step is on its screen, ids and labels are unique on a screen and
are not the kiosk's own buttons, a keypad types into a field of its screen, the lessons named
exist. Every problem is `path:line: message`, the line read from the file. Plain Python.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.core.content.lesson_yaml import Problem
from kiosk.core.content.lessons import sources_of
from kiosk.core.content.practice import (
    KEY_DELETE, KEYPAD_KEYS, RESERVED_LABELS, TAPPABLE, Drill, DrillChoice, Expect, Item, Practice,
    PracticeStep, Row, Screen,
)


class _Refs:
    """Collects the problems of one file."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path, self.problems = path, problems

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))


def _file_id(c: _Refs, doc, model_id: str, path: Path) -> None:
    if model_id != path.stem:
        c.add(doc.line_of("id"), f"id '{model_id}' must match the file name '{path.stem}'")


def _item(m) -> Item:
    kw = m.model_dump(exclude={"rows", "lines"})
    return Item(**kw, rows=tuple(Row(**r.model_dump()) for r in getattr(m, "rows", ())),
                lines=tuple(getattr(m, "lines", ())))


def _screens(c: _Refs, model, doc) -> dict[str, Screen]:
    screens = {}
    for name, s in model.screens.items():
        items = [_item(i) for i in s.items]
        _check_screen_consistency(c, f"screen '{name}'", items, list(doc["screens"][name]["items"]))
        screens[name] = Screen(name=name, title=s.title, style=s.style, items=tuple(items))
    return screens


def _check_screen_consistency(c, where, items: list[Item], raws: list) -> None:
    """Ids and labels unique on a screen, no kiosk words, keypads bound to a field."""
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    fields = {i.id: i for i in items if i.kind == "field" and i.id}
    for item, raw in zip(items, raws):
        if item.kind == "list":
            rows = raw.get("rows") if isinstance(raw.get("rows"), list) else []
            named = [(r.id, r.label, rows[k] if k < len(rows) else raw) for k, r in enumerate(item.rows)]
        elif item.kind in TAPPABLE or item.kind == "field":
            named = [(item.id, item.label if item.kind != "field" else None, raw)]
        else:
            named = []
        for tid, label, where_raw in named:
            if tid:
                line = where_raw.line_of("id")
                if tid in seen:
                    c.add(line, f"{where}: id '{tid}' is used twice (also on line {seen[tid]})")
                seen.setdefault(tid, line)
            if not label:
                continue
            line, key = where_raw.line_of("label"), label.casefold()
            if key in labels:
                c.add(line, f"{where}: two elements are labelled '{label}'; the visitor could not tell them apart")
            labels[key] = label
            if any(key == r.casefold() for r in RESERVED_LABELS) or label in KEYPAD_KEYS + (KEY_DELETE,):
                c.add(line, f"{where}: label '{label}' is a kiosk button; choose another word")
        if item.kind == "keypad" and item.field and item.field not in fields:
            c.add(raw.line_of("field"), f"{where}: the keypad types into field '{item.field}', but no field has that id on this screen")
    keypads = [r for i, r in zip(items, raws) if i.kind == "keypad"]
    if len(keypads) > 1:
        c.add(keypads[1].line, f"{where}: at most one keypad per screen")


def _steps(c: _Refs, model, doc, screens: dict[str, Screen]) -> tuple[PracticeStep, ...]:
    steps = []
    for i, (s, raw) in enumerate(zip(model.steps, doc["steps"])):
        where = f"step {i + 1}"
        screen = screens.get(s.screen)
        if screen is None:
            c.add(raw.line_of("screen"), f"{where}: no screen named '{s.screen}' (screens: {', '.join(screens)})")
        expect = _expect(c, s.expect, raw["expect"], where, screen)
        wrong = tuple((tid, text) for tid, text in (s.wrong or {}).items())
        for tid, _ in wrong:
            line = raw["wrong"].line_of(tid)
            if screen is not None and tid not in screen.tap_ids():
                c.add(line, f"{where}: 'wrong' names '{tid}', which is not a tappable element of screen '{s.screen}'")
            if expect.tap == tid:
                c.add(line, f"{where}: '{tid}' is the right answer, it cannot also be wrong")
        steps.append(PracticeStep(screen=s.screen, do=s.do, say=s.say, expect=expect,
                                  praise=s.praise, correct=s.correct, wrong=wrong))
    return tuple(steps)


def _expect(c: _Refs, e, raw, where: str, screen: Screen | None) -> Expect:
    if bool(e.tap) == bool(e.type):
        c.add(raw.line, f"{where}: 'expect' needs either 'tap: ELEMENT' or 'type: FIELD' with 'value' and 'submit'")
        return Expect()
    if e.tap:
        for key in ("value", "submit"):
            if key in raw:
                c.add(raw.line_of(key), f"{where}: '{key}' goes with 'type', not with 'tap'")
        if screen is not None and e.tap not in screen.tap_ids():
            known = ", ".join(screen.tap_ids()) or "none"
            c.add(raw.line_of("tap"), f"{where}: screen '{screen.name}' has no tappable element '{e.tap}' (tappable: {known})")
        return Expect(tap=e.tap)
    if not e.value:
        c.add(raw.line, f"{where}: 'type' needs 'value' (what the visitor must type)")
    elif not re.fullmatch(r"(\d{1,5}|\{(otp|passcode)\})", e.value):
        c.add(raw.line_of("value"), f"{where}: 'value' must be a few digits or {{otp}} / {{passcode}} "
                                    "(a long number looks like a real code)")
    if not e.submit:
        c.add(raw.line, f"{where}: 'type' needs 'submit' (the button that sends what was typed)")
    if screen is not None:
        _expect_on_screen(c, e, raw, where, screen)
    return Expect(type=e.type, value=e.value, submit=e.submit)


def _expect_on_screen(c: _Refs, e, raw, where: str, screen: Screen) -> None:
    f = screen.item(e.type)
    if f is None or f.kind != "field":
        c.add(raw.line_of("type"), f"{where}: screen '{screen.name}' has no field '{e.type}'")
    elif not any(i.kind == "keypad" and i.field == e.type for i in screen.items):
        c.add(raw.line_of("type"), f"{where}: field '{e.type}' has no keypad on screen '{screen.name}' (add 'kind: keypad' with 'field: {e.type}')")
    if e.submit:
        b = screen.item(e.submit)
        if b is None or b.kind != "button":
            c.add(raw.line_of("submit"), f"{where}: screen '{screen.name}' has no button '{e.submit}'")


def _validated(model_cls, what: str, doc, path: Path, problems: list[Problem], today):
    """(model, reference checker, problem count before the references) or None: the schema's
    problems are added; the file's id is checked against its name."""
    from kiosk.core.content.lesson_schema import validate
    model, found = validate(model_cls, doc, path, what, today)
    problems.extend(found)
    if model is None:
        return None
    before, c = len(problems), _Refs(path, problems)
    _file_id(c, doc, model.id, path)
    return model, c, before


def check_practice(doc, path: Path, problems: list[Problem], lesson_exists, today=None) -> Practice | None:
    from kiosk.core.content.practice_schema import PracticeModel
    got = _validated(PracticeModel, "the practice", doc, path, problems, today)
    if got is None:
        return None
    model, c, before = got
    for j, lid in enumerate(model.lessons):
        if not lesson_exists(lid):
            c.add(doc["lessons"].line_of(j), f"no lesson with id '{lid}' (a practice is offered on the lessons it names)")
    screens = _screens(c, model, doc)
    steps = _steps(c, model, doc, screens)
    if len(problems) > before:
        return None
    return Practice(id=model.id, title=model.title, summary=model.summary,
                    lessons=tuple(model.lessons), screens=screens, steps=steps,
                    reviewed=model.reviewed, sources=sources_of(model.sources), path=path)


def check_drill(doc, path: Path, problems: list[Problem], lesson_exists, today=None) -> Drill | None:
    from kiosk.core.content.practice_schema import DrillModel
    got = _validated(DrillModel, "the drill", doc, path, problems, today)
    if got is None:
        return None
    model, c, before = got
    if model.lesson and not lesson_exists(model.lesson):
        c.add(doc.line_of("lesson"), f"no lesson with id '{model.lesson}'")
    if len(problems) > before:
        return None
    choices = tuple(DrillChoice(text=ch.text, right=ch.right, why=ch.why) for ch in model.choices)
    return Drill(id=model.id, title=model.title, channel=model.channel, sender=model.sender,
                 messages=tuple(model.messages), question=model.question, choices=choices,
                 sources=sources_of(model.sources), reviewed=model.reviewed, lesson=model.lesson,
                 path=path)
