"""Damaged lesson, practice and drill files, as a hostile commune editor could write them.

`cases(seed, n)` yields n files made from the good fixture files by one to three damaging
edits each, every edit drawn from the kinds seen in the field (issue #11): impossible dates,
tagged values that do not parse, deep nesting, lists or maps as keys, lone surrogates, picture
names over 255 characters, control characters, nulls where text belongs, alias bombs; and more:
wrong types, truncation, byte flips, odd encodings, huge files, extra documents.
Deterministic for a seed, so a failure can be replayed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "practice_lessons"
BASES = {  # (kind, file name): the file is checked under this name so its id matches
    "lesson": ("", "thu-wifi.yaml"),
    "quiz_lesson": ("", "thu-otp.yaml"),
    "practice": ("practice", "thu-ma.yaml"),
    "drill": ("drills", "1-thu.yaml"),
}
KEY_LINE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[a-z_]+):(?P<rest>.*)$")

BAD_DATES = ["2024-13-45", "2026-02-30", "0000-00-00", "99999-01-01", "2026-1-5", "25/11/2026",
             "2026-11-25T25:61:00", "'2024-13-45'", "!!timestamp 2024-13-45", "2026-11-25 x"]
BAD_TAGS = ['!!float "abc"', '!!int "x"', "!!int " + "9" * 5000, '!!binary "@@@"', "!!binary AAAA",
            "!!set {a, b}", "!!omap [a]", "!!pairs [1]", "!!python/object:os.system x",
            "!!python/name:os.system", "!custom x", "!!null x", "!!bool maybe", "!!merge x",
            "!!str", "!!map [1]", "!!seq {a: 1}", "!!float 1e99999", "!!int 0x", "!<tag:x> y",
            "!!timestamp 2024-13-45", "!!value x", "!!yaml x"]
ODD_VALUES = ["null", "~", "", "[]", "{}", "123", "true", "1.5", "-1", "0", "2026-11-25", "'  '",
              '"\\ud800"', '"\\udfff abc"', '"a\\x01b"', '"\\x00"', '"\\x1b[31m"', '"\\U0010ffff"',
              '"\\u202e"', '"\\ufffd"', "a" * 10_000, "rất " * 500, "{otp} {pin} {}", "123456789",
              "[[[]]]", "{a: {b: {c: d}}}", "[a, [b, [c]]]", "- x", "&a x", "*a", "'", '"',
              "|\n  many\n  lines", ">\n  folded", "? x", "@x", "`x`", "%x", "https://x",
              "x: y: z", "x # comment", "\t", "\\", "Ti\u0301ếng", "images/none.png"]
CONTROL = ["\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff",
           "\ud800", "\x00", "\r", "\x9f"]


@dataclass(frozen=True)
class Case:
    number: int
    base: str        # which good file it came from
    edits: tuple[str, ...]
    data: bytes

    @property
    def folder(self) -> str:
        return BASES[self.base][0]

    @property
    def name(self) -> str:
        return BASES[self.base][1]


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i, l in enumerate(lines) if KEY_LINE.match(l)]


def _set_value(rng, lines, value: str) -> None:
    i = rng.choice(_value_lines(lines) or [0])
    m = KEY_LINE.match(lines[i])
    if m:
        lines[i] = f"{m['lead']}{m['key']}: {value}"


def deep(rng, n=None):
    n = n or rng.choice([30, 100, 1000, 5000, 50_000])
    form = rng.choice(["flow_list", "flow_map", "block"])
    if form == "flow_list":
        return "[" * n + "]" * n
    if form == "flow_map":
        return "{a: " * n + "b" + "}" * n
    return "\n" + "\n".join("  " * (k + 1) + f"k{k}:" for k in range(min(n, 400))) + " x"


def bomb(rng):
    levels = rng.randint(6, 12)
    out = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for k in range(1, levels):
        out.append(f"&a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]")
    return "[" + ", ".join(out) + "]"


# --- the edits: (name, function(rng, lines) -> lines) ------------------------------------

def e_date(rng, lines):
    dated = [i for i, l in enumerate(lines) if re.search(r"(checked|reviewed):", l)]
    i = rng.choice(dated or [0])
    m = KEY_LINE.match(lines[i])
    if m:
        lines[i] = f"{m['lead']}{m['key']}: {rng.choice(BAD_DATES)}"
    return lines


def e_tag(rng, lines):
    _set_value(rng, lines, rng.choice(BAD_TAGS))
    return lines


def e_deep(rng, lines):
    _set_value(rng, lines, deep(rng))
    return lines


def e_complex_key(rng, lines):
    i = rng.randrange(len(lines) + 1)
    lead = re.match(r"\s*", lines[min(i, len(lines) - 1)]).group(0)
    key = rng.choice(["[a, b]: 1", "{a: 1}: 2", "? [a]\n" + lead + ": 1", "? {x: y}\n" + lead + ": z",
                      "? - x\n" + lead + ": y", "[]: x", "{}: x", "null: x", "1: x", "true: x",
                      "2026-11-25: x", "1.5: x", "~: x", "'': x", '"\\ud800": x'])
    lines.insert(i, lead + key)
    return lines


def e_surrogate(rng, lines):
    _set_value(rng, lines, rng.choice(['"\\ud800"', '"a\\udcff b"', '"\\ud83d"', '"x\\udfffy"']))
    return lines


def e_long_picture(rng, lines):
    name = rng.choice(["images/" + "a" * rng.randint(256, 6000) + ".png",
                       "images/" + "ả" * 200 + ".png", "../../../etc/passwd", "/etc/hostname",
                       '"images/\\x00.png"', "images/", ".", "images/none.png", "x.gif",
                       "images/" + "a/" * 3000 + "b.png", "audio/" + "b" * 300 + ".wav"])
    steps = [i for i, l in enumerate(lines) if re.match(r"\s*- title:", l)]
    i = rng.choice(steps or [0])
    key = rng.choice(["image", "audio"])
    lines.insert(i + 1, f"    {key}: {name}")
    return lines


def e_control(rng, lines):
    i = rng.randrange(len(lines))
    j = rng.randint(0, len(lines[i]))
    lines[i] = lines[i][:j] + rng.choice(CONTROL) + lines[i][j:]
    return lines


def e_null(rng, lines):
    _set_value(rng, lines, rng.choice(["null", "~", "", "[]", "{}"]))
    return lines


def e_bomb(rng, lines):
    if rng.random() < 0.5:
        lines = [l for l in lines if not l.startswith("reviewed:")] + ["reviewed: " + bomb(rng)]
    else:
        _set_value(rng, lines, rng.choice([bomb(rng), "&x [*x]", "*nothing", "&a x", "<<: *a"]))
    return lines


def e_odd_value(rng, lines):
    _set_value(rng, lines, rng.choice(ODD_VALUES))
    return lines


def e_drop_line(rng, lines):
    del lines[rng.randrange(len(lines))]
    return lines or [""]


def e_dup_line(rng, lines):
    i = rng.randrange(len(lines))
    lines.insert(rng.randrange(len(lines) + 1), lines[i])
    return lines


def e_indent(rng, lines):
    i = rng.randrange(len(lines))
    lines[i] = rng.choice(["", " ", "   ", "\t", "      "]) + lines[i].lstrip(" ")
    return lines


def e_truncate(rng, lines):
    text = "\n".join(lines)
    return text[: rng.randrange(len(text) + 1)].split("\n")


def e_rename_key(rng, lines):
    i = rng.choice(_value_lines(lines) or [0])
    m = KEY_LINE.match(lines[i])
    if m:
        new = rng.choice([m["key"][:-1], m["key"] + "s", m["key"].upper(), "kind", "id", "x" * 300,
                          "tittle", "<<", "steps", "ảnh"])
        lines[i] = f"{m['lead']}{new}:{m['rest']}"
    return lines


def e_shuffle(rng, lines):
    lines = list(lines)
    rng.shuffle(lines)
    return lines


def e_many(rng, lines):
    step = ["  - title: Bước", "    text: Chạm vào nút."]
    where = next((i for i, l in enumerate(lines) if l.startswith("steps:")), len(lines) - 1)
    lines[where + 1:where + 1] = step * rng.choice([50, 500, 3000])
    return lines


def e_documents(rng, lines):
    extra = rng.choice(["---", "...", "%YAML 1.1\n---", "%TAG ! tag:x,2000:\n---", "--- |\n  x",
                        "---\n- a", "--- !!set\n? a"])
    return extra.split("\n") + lines if rng.random() < 0.5 else lines + extra.split("\n")


def e_practice_shape(rng, lines):
    """Practice and drill fields in shapes the format does not know."""
    swaps = [("kind: keypad", "kind: keyboard"), ("kind: app", "kind: null"), ("kind: field", "kind: [a]"),
             ("tap: bank", "tap: [bank]"), ("submit: gui", "submit: 1"), ("field: ma", "field: {a: b}"),
             ("right: true", "right: 'true'"), ("right: false", "right: 0"), ("channel: sms", "channel: ~"),
             ("screens:", "screens: []\nx:"), ("choices:", "choices: 3\nx:"), ("wrong:", "wrong: [a]\n    x:"),
             ("expect:", "expect: tap\n    x:"), ("items:", "items: null\n    x:"), ("rows:", "rows: ~")]
    a, b = rng.choice(swaps)
    text = "\n".join(lines)
    return (text.replace(a, b, 1) if a in text else text + "\n" + b).split("\n")


EDITS = [e_date, e_tag, e_deep, e_complex_key, e_surrogate, e_long_picture, e_control, e_null,
         e_bomb, e_odd_value, e_drop_line, e_dup_line, e_indent, e_truncate, e_rename_key,
         e_shuffle, e_many, e_documents, e_practice_shape]
# The kinds issue #11 lists come first: every seed run covers each of them many times.
ISSUE_KINDS = EDITS[:9]


def _encode(rng, text: str) -> tuple[bytes, str | None]:
    """Most files as UTF-8; some in the wrong encoding, flipped bytes, or too big."""
    roll = rng.random()
    if roll < 0.9:
        return text.encode("utf-8", "surrogatepass"), None
    choice = rng.choice(["utf16", "latin1", "flip", "bom", "huge", "empty", "spaces", "binary"])
    data = text.encode("utf-8", "surrogatepass")
    if choice == "utf16":
        return text.encode("utf-16", "surrogatepass"), choice
    if choice == "latin1":
        return text.encode("latin-1", "replace"), choice
    if choice == "flip":
        b = bytearray(data)
        for _ in range(rng.randint(1, 20)):
            if b:
                b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b), choice
    if choice == "bom":
        return b"\xef\xbb\xbf" + data, choice
    if choice == "huge":
        return data + b"#" * rng.choice([256 * 1024, 2_000_000]), choice
    if choice == "empty":
        return b"", choice
    if choice == "spaces":
        return b" \n\t\n", choice
    return bytes(rng.randrange(256) for _ in range(rng.randint(1, 4096))), choice


def cases(seed: int, n: int):
    rng = random.Random(seed)
    texts = {k: (FIXTURES / folder / name).read_text(encoding="utf-8")
             for k, (folder, name) in BASES.items()}
    for number in range(n):
        base = rng.choice(list(BASES))
        lines = texts[base].split("\n")
        # every case has at least one of the kinds from the issue, in turn
        edits = [ISSUE_KINDS[number % len(ISSUE_KINDS)]]
        edits += [rng.choice(EDITS) for _ in range(rng.randint(0, 2))]
        for edit in edits:
            lines = edit(rng, lines) or [""]
        data, encoding = _encode(rng, "\n".join(lines))
        names = tuple(e.__name__[2:] for e in edits) + ((encoding,) if encoding else ())
        yield Case(number, base, names, data)
