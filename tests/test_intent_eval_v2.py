"""The independent intent evaluation set (bench/intent-eval-v2) and its checker.

Runs the checker as a script, as its README says, on the committed set and on broken copies.
Nothing here imports the intent parser: the set must stay independent of it.
"""

from __future__ import annotations

import ast
import importlib.util
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "bench" / "intent-eval-v2"
SCRIPT = SET / "validate.py"


def load_validate():
    spec = importlib.util.spec_from_file_location("intent_eval_validate", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True,
                          text=True, timeout=120)


def test_committed_set_passes_its_checks():
    result = run()
    assert result.returncode == 0, result.stderr
    assert "0 problem(s)" in result.stderr
    assert "share of none" in result.stdout


def test_checker_does_not_import_the_kiosk_package():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    modules = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names]
    modules += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert modules and not [m for m in modules if m.split(".")[0] == "kiosk"]


def test_spelling_variants_share_a_half():
    validate = load_validate()
    assert validate.split_key("Về trang chủ!") == validate.split_key("ve  trang chu")
    assert validate.half_of("về trang chủ") == validate.half_of("VE TRANG CHU")
    assert validate.wording_key("dạ tiếp đi con") == validate.wording_key("tiếp")
    assert validate.wording_key("dạ") == "da"


def broken_copy(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess:
    """The committed set plus the given lines, each put in the half the split rule names."""
    validate = load_validate()
    for half in ("dev", "test"):
        shutil.copy(SET / f"{half}.tsv", tmp_path / f"{half}.tsv")
    for line in lines:
        fields = line.split("\t")
        half = validate.half_of(fields[1]) if len(fields) > 1 else "dev"
        with (tmp_path / f"{half}.tsv").open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    return run("--dir", str(tmp_path))


def test_checker_reports_each_kind_of_bad_line(tmp_path):
    nfd = unicodedata.normalize("NFD", "cô kia mặc áo xanh")
    result = broken_copy(tmp_path, [
        "step\tmở phần bảo hiểm y tế giùm\topen:health",        # open is not allowed on a step
        "home\tlàm lý lịch cho con\topen:dvc:khong-co-bai-nay",  # no such lesson
        "home\tthẻ bảo hiểm y tế\topen:dvc:bhyt-tren-vneid",     # lesson filed under health
        "lobby\tchào\tnone",                                     # unknown screen
        "step\tcái chi rứa\tmaybe",                              # unknown label
        f"step\t{nfd}\tnone",                                    # not NFC
        "welcome\tchỉ có hai cột",                               # missing label
        "step\tdạ tiếp đi con ơi\tnext",                         # "tiếp" with particles only
    ])
    assert result.returncode == 1
    err = result.stderr
    assert "label 'open:health' is not allowed on screen 'step'" in err
    assert "no lesson 'khong-co-bai-nay'" in err
    assert "no lesson 'bhyt-tren-vneid' with topic 'dvc'" in err
    assert "unknown screen 'lobby'" in err
    assert "unknown label 'maybe'" in err
    assert "not in Unicode NFC form" in err
    assert "expected 3 tab-separated fields, got 2" in err
    assert "same wording on the same screen" in err


def test_checker_reports_a_line_in_the_wrong_half(tmp_path):
    validate = load_validate()
    text = "thằng Tư đi cày về trễ"
    wrong = "test" if validate.half_of(text) == "dev" else "dev"
    for half in ("dev", "test"):
        shutil.copy(SET / f"{half}.tsv", tmp_path / f"{half}.tsv")
    with (tmp_path / f"{wrong}.tsv").open("a", encoding="utf-8") as out:
        out.write(f"step\t{text}\tnone\n")
    result = run("--dir", str(tmp_path))
    assert result.returncode == 1
    assert f"split rule puts this line in {validate.half_of(text)}.tsv" in result.stderr


def test_checker_reports_a_set_too_small_or_uncovered(tmp_path):
    (tmp_path / "dev.tsv").write_text("# comment\nstep\ttiếp\tnext\nconfirm\tđúng\tyes\n",
                                      encoding="utf-8")
    (tmp_path / "test.tsv").write_text("step\tquay lại\tback\n", encoding="utf-8")
    result = run("--dir", str(tmp_path))
    assert result.returncode == 1
    err = result.stderr
    assert "want at least 1600" in err
    assert "none is 0% of the lines" in err
    assert "test: no line for screen confirm" in err
    assert "dev: no line with label back" in err
    assert "label next: halves of [1, 0], the smaller under a third" in err


def test_add_puts_new_lines_in_their_half_and_skips_known_wording(tmp_path):
    validate = load_validate()
    for half in ("dev", "test"):
        (tmp_path / f"{half}.tsv").write_text("# header\n", encoding="utf-8")
    new = tmp_path / "new.tsv"
    new.write_text("step\ttiếp\tnext\nstep\tdạ tiếp đi con\tnext\n"
                   "home\tlúa năm ni tốt hè\tnone\n", encoding="utf-8")
    result = run("--dir", str(tmp_path), "--add", str(new), "--partial")
    assert "added 2 lines" in result.stdout
    assert "same wording already present" in result.stderr
    for text in ("tiếp", "lúa năm ni tốt hè"):
        half = validate.half_of(text)
        assert f"\t{text}\t" in (tmp_path / f"{half}.tsv").read_text(encoding="utf-8")
