"""Replay scripts: JSON lines, one action per line. Parsed and checked here, without Kivy."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ACTIONS = {"tap": str, "expect": str, "screenshot": str, "wait": (int, float),
           "idle": (int, float), "say": str, "key": str, "wait_for": str,
           "wait_for_voice": str}
#: what {"wait_for_voice": …} can wait for: a line being played now
VOICE_STATES = ("playing",)


class ScriptError(Exception):
    """A script that cannot be run; message names the line, in English."""


@dataclass(frozen=True)
class Action:
    line: int
    kind: str
    value: object


def parse_script(path: Path) -> list[Action]:
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as e:
        raise ScriptError(f"{path}: cannot read script: {e.strerror or e}") from e
    except UnicodeDecodeError as e:
        raise ScriptError(f"{path}: script is not UTF-8 text") from e
    actions = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise ScriptError(f"{path}:{n}: not valid JSON: {e.msg}") from e
        if not isinstance(obj, dict) or len(obj) != 1:
            raise ScriptError(f"{path}:{n}: each line must be one object with one action, e.g. {{\"tap\": \"Tiếp\"}}")
        (kind, value), = obj.items()
        if kind not in ACTIONS:
            raise ScriptError(f"{path}:{n}: unknown action '{kind}' (known: {', '.join(ACTIONS)})")
        if not isinstance(value, ACTIONS[kind]) or isinstance(value, bool):
            raise ScriptError(f"{path}:{n}: '{kind}' needs a {'number' if kind in ('wait', 'idle') else 'text'}")
        if kind in ("wait", "idle") and not 0 <= value <= 3600:
            raise ScriptError(f"{path}:{n}: '{kind}' must be between 0 and 3600 seconds")
        if kind == "wait_for_voice" and value not in VOICE_STATES:
            raise ScriptError(f"{path}:{n}: 'wait_for_voice' takes one of: {', '.join(VOICE_STATES)}")
        if kind == "key":
            from kiosk.core.screens.keys import REPLAY_NAMES, normalize
            if normalize(value) is None:
                raise ScriptError(f"{path}:{n}: unknown key '{value}' (known: {', '.join(REPLAY_NAMES)})")
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", value)
        actions.append(Action(n, kind, value))
    if not actions:
        raise ScriptError(f"{path}: the script has no actions")
    return actions
