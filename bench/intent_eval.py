"""Intent parser against the independent evaluation set ``bench/intent-eval-v2/{dev,test}.tsv``.

The set was written by someone who never read the parser. ``dev`` may be looked
at while improving the parser; ``test`` must not be (nobody tunes on it), so its
figure is the honest one. Both are reported separately, never pooled.

Line format: ``screen<TAB>text<TAB>label``; ``#`` lines are comments. Label: an
intent name, ``none``, ``open:TOPIC`` (any lesson of that topic counts) or
``open:TOPIC:LESSON`` (that lesson is needed).

Reported per half: accuracy, false-accept rate (share of ``none`` lines that got
an intent), accuracy per screen, and the parse time (median / p95).

Run: ``python -m bench.intent_eval [--half dev|test|both] [--misses] [--json]``, or
``--file PATH`` for another file of lines (the confirm probe).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

SET_DIR = Path(__file__).resolve().parent / "intent-eval-v2"


def read_set(path: Path) -> list[tuple[str, str, str]]:
    rows = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{path}:{n}: expected screen<TAB>text<TAB>label")
        rows.append((parts[0].strip(), parts[1], parts[2].strip()))
    return rows


def correct(expected: str, got: str) -> bool:
    if expected.startswith("open:") and expected.count(":") == 1:
        return got.split(":")[:2] == expected.split(":")
    return got == expected


def real_lessons() -> list:
    from kiosk.cli_speech import lessons_dir
    from kiosk.core.content.lessons import load_catalog

    return list(load_catalog(lessons_dir()).lessons)


def evaluate(rows, lessons) -> dict:
    from kiosk.core.understand.intents import parse

    parse("tiếp theo", "step", lessons)   # warm-up: indexes are built on first use
    ok = none_n = false_acc = 0
    per_screen: dict[str, list[int]] = {}
    times, misses = [], []
    for screen, text, expected in rows:
        t0 = time.perf_counter()
        got = parse(text, screen, lessons).label()
        times.append((time.perf_counter() - t0) * 1000)
        hit = correct(expected, got)
        ok += hit
        cell = per_screen.setdefault(screen, [0, 0])
        cell[0] += hit
        cell[1] += 1
        if expected == "none":
            none_n += 1
            false_acc += got != "none"
        if not hit:
            misses.append(f"{screen}\t{text}\t{got}\t(expected {expected})")
    n = len(rows)
    times.sort()
    return {
        "n": n, "correct": ok, "accuracy": round(ok / n, 4) if n else None,
        "none_n": none_n, "false_accepts": false_acc,
        "false_accept_rate": round(false_acc / none_n, 4) if none_n else None,
        "per_screen": {s: {"n": c[1], "accuracy": round(c[0] / c[1], 4)} for s, c in sorted(per_screen.items())},
        "parse_median_ms": round(statistics.median(times), 3) if times else None,
        "parse_p95_ms": round(times[int(0.95 * (len(times) - 1))], 3) if times else None,
        "misses": misses,
    }


def run(halves=("dev", "test"), set_dir: Path = SET_DIR) -> dict:
    lessons = real_lessons()
    out = {}
    for half in halves:
        path = set_dir / f"{half}.tsv"
        out[half] = evaluate(read_set(path), lessons) if path.is_file() else {"missing": str(path)}
    return out


def table(res: dict) -> str:
    lines = []
    for half, r in res.items():
        if "missing" in r:
            lines.append(f"{half}: no file at {r['missing']}")
            continue
        lines.append(f"{half}: accuracy {r['correct']}/{r['n']} ({r['accuracy']:.1%}), "
                     f"false accepts {r['false_accepts']}/{r['none_n']} ({r['false_accept_rate']:.1%}), "
                     f"parse median {r['parse_median_ms']} ms / p95 {r['parse_p95_ms']} ms")
        lines.append("  " + ", ".join(f"{s} {c['accuracy']:.1%} (n={c['n']})" for s, c in r["per_screen"].items()))
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--misses", action="store_true", help="list the misses (dev only: do not tune on test)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--file", type=Path, help="another file of lines instead of the halves "
                    "(bench/intent-confirm-probe/confirm.tsv); never the test half")
    a = ap.parse_args(argv)
    if a.file is not None:
        if a.file.resolve() == (SET_DIR / "test.tsv").resolve():
            ap.error("the test half is run with --half test, and its misses are never listed")
        if not a.file.is_file():
            ap.error(f"no such file: {a.file}")
        res = {a.file.stem: evaluate(read_set(a.file), real_lessons())}
    else:
        res = run(("dev", "test") if a.half == "both" else (a.half,))
    if a.json:
        print(json.dumps(res, ensure_ascii=False, indent=1))
        return 0
    print(table(res))
    for name, r in res.items():
        if a.misses and name != "test" and "misses" in r:
            print("\n".join(r["misses"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
