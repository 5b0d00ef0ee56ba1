"""The import contracts (.importlinter) hold: imports go one way, no circles, no Kivy in core.

Runs the real `lint-imports` (import-linter) on this checkout, so a new circle or an upward
import fails here with import-linter's report naming the import.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", str(ROOT / ".importlinter")], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"import contracts broken:\n{report}"
    assert "0 broken" in report, report


def test_a_circle_is_reported_by_name(tmp_path):
    # the check can fail: a copy of the package with one upward import added breaks a contract
    copy = tmp_path / "kiosk"
    shutil.copytree(ROOT / "kiosk", copy, ignore=shutil.ignore_patterns("__pycache__"))
    state = copy / "core" / "state.py"
    state.write_text(state.read_text(encoding="utf-8") + "\nfrom kiosk.core.visit import flow  # noqa\n",
                     encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache", str(ROOT / ".importlinter")], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode != 0, report
    assert "kiosk.core.state -> kiosk.core.visit.flow" in report, report
