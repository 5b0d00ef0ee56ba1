"""Reading a content file (lesson, practice, drill) as YAML that cannot hurt the kiosk.

A commune editor's file may be damaged or hostile. PyYAML's safe loader still lets a 3 KB file
expand into gigabytes through anchors and aliases ("billion laughs"), recurse until Python
gives up (deep nesting), build keys Python cannot hash (a list or map used as a key), or raise
plain ValueErrors from tagged values (`!!float "abc"`). This loader refuses aliases, bounds the
nesting depth and the file size, keeps dates as text (the schema checks them, so `2024-13-45`
is a message, not a crash) and turns every construction failure into a YAML error with a line.
The mappings and lists it builds remember the line of each key and item, for `path:line:` messages.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 64 * 1024  # the longest lesson is about 10 KB
MAX_DEPTH = 24  # a lesson needs 5 levels (practice: 7); anything far deeper is damage


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{printable(self.path, 300)}:{self.line}: {printable(self.message, 500)}"


def printable(text: str, limit: int) -> str:
    """Text that any terminal or log can take: lone surrogates and control characters escaped,
    one line, at most `limit` characters (a hostile value must not make a 398 MB log line)."""
    text = "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text[: limit + 1])
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Lined(dict):
    """A mapping that remembers the line of each key (1-based)."""

    line = 1
    lines: dict

    def line_of(self, key) -> int:
        return getattr(self, "lines", {}).get(key, self.line)


class LinedList(list):
    line = 1
    lines: list[int]

    def line_of(self, i: int) -> int:
        lines = getattr(self, "lines", [])
        return lines[i] if isinstance(i, int) and 0 <= i < len(lines) else self.line


@functools.lru_cache(maxsize=None)
def _loader_class():
    """Built on first use: PyYAML is not needed to draw the kiosk's first frame."""
    import yaml
    import yaml.composer
    import yaml.constructor
    import yaml.resolver
    from yaml.composer import ComposerError
    from yaml.constructor import ConstructorError

    bases, start_parser = _parser_classes()

    class Loader(yaml.composer.Composer, *bases, yaml.constructor.SafeConstructor,
                 yaml.resolver.Resolver):
        duplicate_keys: list[tuple[int, str]]
        depth = 0

        def __init__(self, stream):
            start_parser(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise ComposerError(None, None, "aliases (*name) are not allowed in lesson files; "
                                    "write the text out again", event.start_mark)
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                    self.peek_event().start_mark)
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except yaml.YAMLError:
                raise
            except Exception as e:  # ValueError, OverflowError... from a tagged value
                raise ConstructorError(None, None, f"cannot read this value ({type(e).__name__})",
                                       node.start_mark) from None

    # Dates stay text: the schema checks them and says what is wrong in words.
    Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
    return Loader


def _parser_classes():
    """libyaml's C parser (about 9x faster: a 64 KB file parses well under the 2 s a commune
    editor should wait) under PyYAML's Python composer, which is where aliases are refused and
    depth is counted. Without libyaml, PyYAML's pure-Python reader, scanner and parser."""
    try:
        from yaml._yaml import CParser
    except ImportError:
        from yaml.parser import Parser
        from yaml.reader import Reader
        from yaml.scanner import Scanner

        def start(loader, stream):
            Reader.__init__(loader, stream)
            Scanner.__init__(loader)
            Parser.__init__(loader)
        return (Reader, Scanner, Parser), start
    return (CParser,), lambda loader, stream: CParser.__init__(loader, stream)


def _construct_map(loader, node) -> Lined:
    from yaml.constructor import ConstructorError
    from yaml.nodes import ScalarNode
    loader.flatten_mapping(node)
    out = Lined()
    out.line = node.start_mark.line + 1
    out.lines = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise ConstructorError(None, None, "a key must be a plain word, not a list or a map",
                                   key_node.start_mark)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):  # `null:`, `1:`, `yes:` - no field is named like that
            raise ConstructorError(None, None, f"the key '{key_node.value}' must be a word "
                                   "(put it in quotes)", key_node.start_mark)
        line = key_node.start_mark.line + 1
        if key in out:
            loader.duplicate_keys.append((line, str(key)))
        out[key] = loader.construct_object(value_node, deep=True)
        out.lines[key] = line
    return out


def _construct_seq(loader, node) -> LinedList:
    out = LinedList(loader.construct_object(n, deep=True) for n in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [n.start_mark.line + 1 for n in node.value]
    return out


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    p = str(path)
    try:
        with open(path, "rb") as f:  # read one byte past the limit, never a whole huge file
            raw = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        problems.append(Problem(p, 1, f"cannot read file: {e.strerror or e}"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(p, 1, f"file is too large (over {MAX_FILE_BYTES} bytes; "
                                      f"a lesson is at most {MAX_FILE_BYTES})"))
        return None
    if not raw.strip():
        problems.append(Problem(p, 1, "file is empty"))
        return None
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        problems.append(Problem(p, line, "binary data, not a text file"))
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        problems.append(Problem(p, line, "not valid UTF-8 text (save the file as UTF-8)"))
        return None


def read_yaml(path: Path, problems: list[Problem]):
    """Return the parsed document or None, adding a problem for anything unreadable."""
    text = _read_text(path, problems)
    if text is None:
        return None
    import yaml
    loader = None
    try:
        loader = _loader_class()(text)  # checks for control characters already
        loader.duplicate_keys = []
        doc = loader.get_single_data()
    except yaml.YAMLError as e:
        problems.append(Problem(str(path), _error_line(e, text), f"YAML syntax error: {_error_text(e)}"))
        return None
    except ValueError as e:  # libyaml re-encodes the text; nothing valid should fail here
        problems.append(Problem(str(path), 1, f"YAML syntax error: unreadable text ({type(e).__name__})"))
        return None
    except RecursionError:  # the depth bound should make this unreachable; never a traceback
        problems.append(Problem(str(path), 1, "YAML syntax error: nested too deeply"))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    for line, key in loader.duplicate_keys:
        problems.append(Problem(str(path), line, f"duplicate key '{key}'"))
    if doc is None and not problems:
        problems.append(Problem(str(path), 1, "file is empty"))
    return doc


def _error_line(e, text: str) -> int:
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    if mark is not None:
        return mark.line + 1
    position = getattr(e, "position", None)  # a ReaderError (control character) has no mark
    return text[:position].count("\n") + 1 if isinstance(position, int) else 1


def _error_text(e) -> str:
    if getattr(e, "character", None) is not None:  # yaml.reader.ReaderError
        code = e.character if isinstance(e.character, int) else ord(e.character)
        return f"control character {code:#x} is not allowed (delete it)"
    return getattr(e, "problem", None) or str(e).splitlines()[0]
