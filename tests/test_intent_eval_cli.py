"""`python -m bench.intent_eval --file`: the confirm probe's way in, never the test half's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def eval_file(path: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bench.intent_eval", "--file", path],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_the_test_half_is_refused_as_a_file():
    got = eval_file("bench/intent-eval-v2/test.tsv")
    assert got.returncode == 2 and "the test half is run with --half test" in got.stderr


def test_a_missing_file_is_named_not_a_traceback(tmp_path):
    got = eval_file(str(tmp_path / "none.tsv"))
    assert got.returncode == 2 and "no such file" in got.stderr and "Traceback" not in got.stderr
