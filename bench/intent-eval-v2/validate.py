"""Check the independent intent evaluation set (dev.tsv, test.tsv) and print its counts.

    python bench/intent-eval-v2/validate.py            # check both halves, print counts, exit 1 on a problem
    python bench/intent-eval-v2/validate.py --add NEW.tsv   # put new lines into their half by the split rule
    python bench/intent-eval-v2/validate.py --drop-known kiosk/data/phrasings/*.tsv   # keep training lines out of the set

Deliberately does not import kiosk.core.understand.intents: the set must stay independent of the parser.
Lesson ids and their topics are read from lessons/*.yaml with PyYAML (already a dependency).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
LESSONS = HERE.parent.parent / "lessons"
HALVES = ("dev", "test")
TOPICS = ("vneid", "dvc", "payment", "health", "safety", "internet")
GLOBAL = {"repeat", "call_staff", "large_text", "slower", "faster", "stop", "none"}
# Which labels make sense on which screen (besides the global ones); "open" stands for open:*.
ALLOWED = {
    "welcome": {"next", "open"},
    "home": {"open", "back"},
    "topic": {"open", "back", "home"},
    "intro": {"next", "back", "home"},
    "step": {"next", "back", "home"},
    "finish": {"next", "back", "home"},
    "ticket": {"back", "home"},
    "confirm": {"yes", "no"},
}
MIN_TOTAL, MIN_HALF, MIN_NONE_SHARE = 1600, 700, 0.20
MIN_SMALLER_HALF = 1 / 3  # of each label group's and each screen's lines


def split_key(text: str) -> str:
    """The text without tone marks, case, punctuation or extra spaces.

    Hashing this (not the raw text) sends "về trang chủ" and "ve trang chu" to the same half,
    so a spelling variant in dev never gives away its twin in test.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = "".join(c if c.isalnum() else " " for c in bare.casefold()).split()
    return " ".join(words)


# Words that only add politeness, address or emphasis: a line that differs from another on the
# same screen only by these is a near-duplicate ("tiếp đi con" vs "tiếp"), not a new phrasing.
PARTICLES = set("""đi con cháu em bác máy nha nghen hè hỉ ạ dạ ơi giùm giúp nhé nè coi rồi cái
    đó á di he hi a da oi gium giup nhe ne roi""".split())


def wording_key(text: str) -> str:
    """The split key without particles (the whole key if nothing else is left)."""
    words = " ".join(w for w in text.casefold().split() if w.strip(",.?!") not in PARTICLES)
    return split_key(words) or split_key(text)


def half_of(text: str) -> str:
    """The split rule: first byte of sha256(split_key) even -> dev, odd -> test."""
    digest = hashlib.sha256(split_key(text).encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def lesson_topics() -> dict[str, str]:
    topics = {}
    for path in sorted(LESSONS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "topic" in data:  # a lesson (not the lexicon beside them)
            topics[data["id"]] = data["topic"]
    return topics


def label_problem(label: str, screen: str, lessons: dict[str, str]) -> str | None:
    kind = label.split(":")[0]
    if kind == "open":
        parts = label.split(":")
        if len(parts) not in (2, 3) or parts[1] not in TOPICS:
            return f"unknown topic in {label!r}"
        if len(parts) == 3 and lessons.get(parts[2]) != parts[1]:
            return f"{label!r}: no lesson {parts[2]!r} with topic {parts[1]!r} in lessons/"
    elif kind not in GLOBAL | {"next", "back", "home", "yes", "no"}:
        return f"unknown label {label!r}"
    if kind not in GLOBAL and kind not in ALLOWED[screen]:
        return f"label {label!r} is not allowed on screen {screen!r} (use none)"
    return None


def read_half(path: Path):
    """Yield (line_number, screen, text, label) for every data line of one half."""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        yield (number, *raw.split("\t"))


def line_problems(fields: tuple, lessons: dict[str, str], half: str) -> list[str]:
    if len(fields) != 3:
        return [f"expected 3 tab-separated fields, got {len(fields)}"]
    screen, text, label = fields
    problems = []
    if screen not in ALLOWED:
        return [f"unknown screen {screen!r}"]
    if unicodedata.normalize("NFC", text) != text:
        problems.append("text is not in Unicode NFC form")
    if text != text.strip() or "  " in text or not text:
        problems.append("empty text or stray spaces")
    problem = label_problem(label, screen, lessons)
    if problem:
        problems.append(problem)
    if half_of(text) != half:
        problems.append(f"split rule puts this line in {half_of(text)}.tsv")
    return problems


def check(paths: dict[str, Path]) -> tuple[list[str], dict[str, list[tuple[str, str]]]]:
    lessons = lesson_topics()
    problems, rows, seen = [], {h: [] for h in paths}, {}
    for half, path in paths.items():
        for number, *fields in read_half(path):
            where = f"{path.name}:{number}"
            problems += [f"{where}: {p}" for p in line_problems(tuple(fields), lessons, half)]
            if len(fields) != 3:
                continue
            screen, text, label = fields
            key = (screen, wording_key(text))
            if key in seen:
                problems.append(f"{where}: same wording on the same screen as {seen[key]}"
                                " (differs at most in tone marks or particles)")
            seen[key] = where
            rows[half].append((screen, label))
    return problems, rows


def coverage_problems(rows: dict[str, list[tuple[str, str]]]) -> list[str]:
    problems = []
    total = sum(len(r) for r in rows.values())
    if total < MIN_TOTAL:
        problems.append(f"only {total} lines, want at least {MIN_TOTAL}")
    for half, items in rows.items():
        if len(items) < MIN_HALF:
            problems.append(f"{half}: only {len(items)} lines, want at least {MIN_HALF}")
        share = sum(label == "none" for _, label in items) / max(len(items), 1)
        if share < MIN_NONE_SHARE:
            problems.append(f"{half}: none is {share:.0%} of the lines, want at least 20%")
    every = {label for items in rows.values() for _, label in items}
    for half, items in rows.items():
        screens, labels = {s for s, _ in items}, {label for _, label in items}
        problems += [f"{half}: no line for screen {s}" for s in ALLOWED if s not in screens]
        problems += [f"{half}: no line with label {label}" for label in sorted(every - labels)]
    for what, keyfn in (("label", lambda s, lab: group(lab)), ("screen", lambda s, lab: s)):
        counts = [Counter(keyfn(s, lab) for s, lab in items) for items in rows.values()]
        for name in sorted(set().union(*counts)):
            sizes = [c[name] for c in counts]
            if min(sizes) < MIN_SMALLER_HALF * sum(sizes):
                problems.append(f"{what} {name}: halves of {sizes}, the smaller under a third")
    cells = {h: {(s, group(lab)) for s, lab in items} for h, items in rows.items()}
    for half, mine in cells.items():
        missing = set().union(*cells.values()) - mine
        problems += [f"{half}: no line for {label} on screen {s}" for s, label in sorted(missing)]
    return problems


def group(label: str) -> str:
    return "open:*" if label.startswith("open") else label


def print_counts(rows: dict[str, list[tuple[str, str]]]) -> None:
    print(f"{'':38}" + "".join(f"{h:>7}" for h in rows) + f"{'total':>7}")
    for title, keyfn in (("screen", lambda s, lab: s), ("label", lambda s, lab: group(lab)),
                         ("open target", lambda s, lab: lab)):
        counts = {h: Counter(keyfn(s, lab) for s, lab in items) for h, items in rows.items()}
        names = sorted(set().union(*counts.values()))
        if title == "open target":
            names = [n for n in names if n.startswith("open")]
        print(f"-- by {title}")
        for name in names:
            cells = [counts[h][name] for h in rows]
            print(f"{name:38}" + "".join(f"{c:7}" for c in cells) + f"{sum(cells):7}")
    print(f"{'all lines':38}" + "".join(f"{len(r):7}" for r in rows.values())
          + f"{sum(len(r) for r in rows.values()):7}")
    shares = [sum(lab == "none" for _, lab in r) / max(len(r), 1) for r in rows.values()]
    every = [lab for r in rows.values() for _, lab in r]
    print(f"{'share of none':38}" + "".join(f"{s:7.1%}" for s in shares)
          + f"{every.count('none') / max(len(every), 1):7.1%}")


def add_lines(new: Path, paths: dict[str, Path]) -> int:
    """Append the new file's data lines to the half the split rule names; skip known ones."""
    known = {(s, wording_key(t)) for h, p in paths.items() if p.exists()
             for _, s, t, *_ in read_half(p)}
    added = 0
    for _, *fields in read_half(new):
        screen, text = fields[0], unicodedata.normalize("NFC", fields[1])
        if (screen, wording_key(text)) in known:
            print(f"skipped, same wording already present: {screen}\t{text}", file=sys.stderr)
            continue
        known.add((screen, wording_key(text)))
        with paths[half_of(text)].open("a", encoding="utf-8") as out:
            out.write("\t".join([screen, text, *fields[2:]]) + "\n")
        added += 1
    return added


def drop_known(files: list[Path], paths: dict[str, Path]) -> int:
    """Rewrite each training file without the lines whose wording (any screen) is in
    either half: the parser's classifier must never learn a phrasing the set scores."""
    known = {wording_key(t) for p in paths.values() if p.exists() for _, _s, t, *_ in read_half(p)}
    dropped = 0
    for path in files:
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        keep = [ln for ln in lines if ln.startswith("#") or not ln.strip()
                or len(ln.split("\t")) < 2 or wording_key(ln.split("\t")[1]) not in known]
        dropped += len(lines) - len(keep)
        path.write_text("".join(keep), encoding="utf-8")
    return dropped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, help="tab-separated lines to put into dev/test")
    parser.add_argument("--dir", type=Path, default=HERE, help="folder with dev.tsv and test.tsv")
    parser.add_argument("--partial", action="store_true",
                        help="skip the size and coverage checks (while the set is being written)")
    parser.add_argument("--drop-known", type=Path, nargs="+", metavar="TSV",
                        help="remove from these training files every line whose wording is in the set")
    args = parser.parse_args(argv)
    paths = {h: args.dir / f"{h}.tsv" for h in HALVES}
    if args.add:
        print(f"added {add_lines(args.add, paths)} lines")
    if args.drop_known:
        print(f"dropped {drop_known(args.drop_known, paths)} lines already in the set")
    paths = {h: p for h, p in paths.items() if p.exists()}
    problems, rows = check(paths)
    if not args.partial:
        problems += coverage_problems(rows)
    print_counts(rows)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
