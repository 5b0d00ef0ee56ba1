"""Screenshots of every staff console page with demo data (headless Chromium), for the docs.

    PYTHONPATH=$PWD python scripts/staff_screenshots.py docs/screenshots
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from staff_helpers import console_screenshots  # noqa: E402

from kiosk.core.content.lessons import load_catalog  # noqa: E402


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")
    from PIL import Image
    with tempfile.TemporaryDirectory() as tmp:
        for path in console_screenshots(out, Path(tmp) / "data", load_catalog(ROOT / "lessons")):
            # 256 colours are plenty for a web page and keep the committed files small
            Image.open(path).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(
                path, optimize=True)
            print(path, f"{path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
