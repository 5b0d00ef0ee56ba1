"""Fuzz: damaged lesson, practice and drill files never crash or freeze the checker or the kiosk.

Issue #11: 2,210 damaged files gave 313 tracebacks and 20 hangs, and one bad file stopped the
kiosk from starting. Here at least 1,000 seeded damaged files (tests/lesson_damage.py) go
through `check_paths`, the function behind `kiosk lessons check`, each checked alone; a sample
goes through the real CLI; and the real kiosk starts beside a folder of them and lets a visitor
finish a good lesson.

    KIOSK_FUZZ_FILES=20000 KIOSK_FUZZ_SEED=7 .venv/bin/python -m pytest -q -s tests/test_lesson_fuzz.py

runs a longer fuzz (any seed; the figures are printed with -s).
A hang is a file that takes longer than HANG_SECONDS: far above the 2 s target, so that a slow
or busy machine cannot fail the test; the slowest time is printed, and bench/ is the place for
speed targets.
"""

import datetime as dt
import json
import os
import shutil
import signal
import sys
import time

import pytest

from conftest import PROBLEM_LINE, kiosk_cmd, write_script
from lesson_damage import BASES, FIXTURES, cases

FILES = int(os.environ.get("KIOSK_FUZZ_FILES", "1000"))
SEED = int(os.environ.get("KIOSK_FUZZ_SEED", "11"))
HANG_SECONDS = float(os.environ.get("KIOSK_FUZZ_HANG_SECONDS", "20"))
TODAY = dt.date(2026, 11, 29)  # the injected clock: nothing here depends on the real date


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


@pytest.fixture
def lessons(tmp_path):
    dst = tmp_path / "lessons"
    shutil.copytree(FIXTURES, dst)
    return dst


def _check_alone(lessons, case):
    """(problems, seconds) for one damaged file checked by itself; Hang if it does not finish."""
    from kiosk.core.content.lessons import check_paths
    target = lessons / case.folder / case.name
    good = target.read_bytes()
    target.write_bytes(case.data)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    start = time.perf_counter()
    try:
        catalog = check_paths([target], today=lambda: TODAY)
        return catalog.problems, time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        target.write_bytes(good)


def _bad_line(problem) -> str | None:
    """Why a problem is not a proper `path:line: message` line, or None."""
    text = str(problem)
    if "internal error" in text:
        return "an unforeseen exception (caught, but a checker bug)"
    if "\n" in text or len(text) > 1200:
        return "not one short line"
    if not PROBLEM_LINE.match(text) or problem.line < 1:
        return "not path:line: message"
    text.encode("utf-8")  # a lone surrogate here would crash the print
    return None


def test_fuzz_checker_in_process(lessons):
    from kiosk.core.content.lessons import check_paths
    start = time.perf_counter()  # the first check imports the schema library: timed apart
    assert check_paths([lessons], today=lambda: TODAY).problems == []
    cold = time.perf_counter() - start
    tried, tracebacks, hangs, bad, slowest, flagged = 0, [], [], [], (0.0, None), 0
    for case in cases(SEED, FILES):
        tried += 1
        try:
            problems, seconds = _check_alone(lessons, case)
        except Hang:
            hangs.append((case.number, case.base, case.edits))
            continue
        except Exception as e:  # noqa: BLE001 - counting them is the point
            tracebacks.append((case.number, case.base, case.edits, repr(e)[:200]))
            continue
        slowest = max(slowest, (seconds, (case.number, case.base, case.edits)))
        flagged += bool(problems)
        for p in problems:
            why = _bad_line(p)
            if why:
                bad.append((case.number, case.edits, why, str(p)[:200]))
    print(f"\nfuzz seed {SEED}: {tried} files tried, {len(tracebacks)} tracebacks, "
          f"{len(hangs)} hangs (> {HANG_SECONDS:g} s), {flagged} with problems, slowest "
          f"{slowest[0]:.3f} s {slowest[1]}; first check (cold imports) {cold:.3f} s")
    assert tried >= min(FILES, 1000)
    assert tracebacks == [], tracebacks[:5]
    assert hangs == [], hangs[:5]
    assert bad == [], bad[:5]
    assert flagged > tried * 0.9  # the damage is real: nearly every file has a problem


def _cli_lines_ok(result) -> None:
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stdout + result.stderr, result.stderr[-2000:]
    for line in result.stdout.splitlines():
        assert PROBLEM_LINE.match(line) or line.startswith("ok: "), line[:300]


def test_fuzz_sample_through_the_real_cli(lessons, tmp_path):
    """Ten files alone and a batch of forty, through `kiosk lessons check` in a subprocess."""
    sample = [c for c in cases(SEED + 1, 400) if c.number % 8 == 0][:50]
    for case in sample[:10]:
        target = lessons / case.folder / case.name
        good = target.read_bytes()
        target.write_bytes(case.data)
        try:
            r = kiosk_cmd("lessons", "check", target, timeout=120)
        finally:
            target.write_bytes(good)
        _cli_lines_ok(r)
    folders = []
    for case in sample[10:]:
        folder = tmp_path / "batch" / f"c{case.number}"
        (folder / case.folder).mkdir(parents=True, exist_ok=True)
        (folder / case.folder / case.name).write_bytes(case.data)
        folders.append(folder)
    r = kiosk_cmd("lessons", "check", *folders, timeout=300)
    _cli_lines_ok(r)
    assert r.returncode == 1


def _hostile_folder(root):
    """The good fixture lessons, practice and drill, beside broken files of every kind."""
    shutil.copytree(FIXTURES, root)
    picked: dict[tuple, bytes] = {}
    for case in cases(SEED + 2, 200):
        key = (case.base, case.edits[0])
        if key not in picked and case.base in ("lesson", "practice", "drill"):
            picked[key] = case.data
    for n, ((base, edit), data) in enumerate(sorted(picked.items())):
        folder = root / BASES[base][0]
        (folder / f"hong-{n}-{edit.replace('_', '-')}.yaml").write_bytes(data)
    return len(picked)


@pytest.mark.gui
def test_kiosk_starts_beside_broken_files_and_a_visitor_finishes_a_lesson(tmp_path):
    broken = _hostile_folder(tmp_path / "lessons")
    assert broken >= 20
    script = write_script(tmp_path / "walk.jsonl", [
        {"expect": "miễn phí"}, {"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"},
        {"expect": "Cần chuẩn bị"}, {"tap": "Bắt đầu"},
        {"expect": "Bước 1/3"}, {"tap": "Tiếp"}, {"expect": "Bước 2/3"}, {"tap": "Tiếp"},
        {"expect": "Bước 3/3"}, {"tap": "Xong"}, {"expect": "Bạn đã làm xong"},
        {"tap": "Về trang đầu"}, {"expect": "Xin chào"},
    ])
    data = tmp_path / "data"
    r = kiosk_cmd("-v", "replay", script, "--lessons", tmp_path / "lessons", data=data, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "Traceback" not in r.stdout + r.stderr
    assert r.stderr.count("lesson skipped: ") >= broken  # each broken file is named in the log
    assert "replay: 15 lines held" in r.stdout
    report = json.loads(kiosk_cmd("report", "--json", data=data).stdout)
    assert report["lessons_finished"] == 1 and report["end_reasons"] == {"done": 1}


if __name__ == "__main__":  # quick look at the cases: python tests/test_lesson_fuzz.py N
    for c in cases(SEED, int(sys.argv[1]) if len(sys.argv) > 1 else 20):
        print(c.number, c.base, c.edits, len(c.data))
