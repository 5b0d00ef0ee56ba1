import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "kiosk" / "core"


def test_core_modules_do_not_import_kivy():
    modules = sorted("kiosk.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
                     for p in CORE.rglob("*.py") if p.stem != "__init__")
    assert len(modules) >= 6
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = sorted(m for m in sys.modules if m == 'kivy' or m.startswith('kivy.'))\n"
            "print(','.join(bad))\nsys.exit(1 if bad else 0)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"kiosk.core imported Kivy: {result.stdout} {result.stderr}"
