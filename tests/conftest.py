import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_LESSONS = ROOT / "tests" / "fixtures" / "lessons"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def fixture_catalog():
    from kiosk.core.lessons import load_catalog
    catalog = load_catalog(FIXTURE_LESSONS)
    assert not catalog.problems, catalog.problems
    return catalog


def kiosk_cmd(*args, data=None, env=None, timeout=120, input=None):
    """Run the real `kiosk` command in a subprocess (one Kivy window per process)."""
    e = dict(os.environ)
    e.pop("DISPLAY", None)
    e.pop("WAYLAND_DISPLAY", None)
    e["KIVY_NO_CONSOLELOG"] = "1"
    if data is not None:
        e["KIOSK_DATA"] = str(data)
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "kiosk", *map(str, args)], capture_output=True,
                          text=True, env=e, timeout=timeout, input=input, cwd=ROOT)


@pytest.fixture
def kiosk():
    return kiosk_cmd
