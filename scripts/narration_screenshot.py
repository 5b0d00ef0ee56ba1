"""Screenshot of the console page "Giọng đọc" with demo recordings (headless Chromium), for the
docs: the six real clips recorded for the test lesson, one of them kept under the wrong line
(flagged), one line's text changed since (stale), a few heard counts.

    PYTHONPATH=$PWD python scripts/narration_screenshot.py docs/screenshots [--keep DIR]

``--keep DIR`` leaves the demo in DIR (``data/``, ``lessons/``), so that the commands can be run
on the same data: ``kiosk narration status --json --data DIR/data --lessons DIR/lessons``.
"""

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from narration_helpers import LINE_OF, NARRATION_LESSONS, real_clips  # noqa: E402
from staff_helpers import Console, add_staff, chromium, login, wait_for  # noqa: E402


def demo(data: Path, lessons: Path) -> None:
    from dataclasses import replace

    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration.catalogue import lines
    from kiosk.narration.process import process
    from kiosk.narration.store import NarrationStore
    store = NarrationStore(data)
    by_id = {l.id: l for l in lines(load_catalog(lessons))}
    clips = real_clips()
    for n in (1, 2, 3, 6):
        store.put(by_id[LINE_OF[n]], process(clips[n]).samples, "accepted", score=0.0, how="demo")
    store.put(by_id[LINE_OF[5]], process(clips[2]).samples, "flagged", score=1.0, how="demo")
    old = replace(by_id[LINE_OF[4]], text=by_id[LINE_OF[4]].text + " Thêm một câu cũ.")
    store.put(old, process(clips[4]).samples, "accepted", score=0.0, how="demo")  # text since changed
    store.note_heard([(LINE_OF[n], "human", 10) for n in (1, 2, 3, 6)] * 3
                     + [(LINE_OF[4], "synthetic", 12)] * 2)


def main() -> None:
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", type=Path, default=Path("docs/screenshots"))
    ap.add_argument("--keep", type=Path, help="build the demo here and leave it (must not exist)")
    args = ap.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    from PIL import Image
    if args.keep:
        args.keep.mkdir(parents=True)  # never into an existing folder (a real data folder)
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        data, lessons = base / "data", base / "lessons"
        shutil.copytree(ROOT / "lessons", lessons)
        shutil.copy(NARRATION_LESSONS / "thu-giong-doc.yaml", lessons)
        add_staff(data)
        demo(data, lessons)
        with Console(data, env={"KIOSK_LESSONS": str(lessons)}) as console:
            driver = chromium(width=1280, height=1100)
            try:
                login(driver, console.url)
                wait_for(lambda: driver.find_elements("id", "call-next"), what="queue page")
                driver.get(console.url + "/narration?group=thu-giong-doc")
                # the whole page, so that the stale and flagged lines further down are in it
                height = driver.execute_script("return document.documentElement.scrollHeight")
                driver.set_window_size(1280, min(4000, height + 140))
                path = out / "narration.png"
                driver.save_screenshot(str(path))
            finally:
                driver.quit()
    Image.open(path).convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
    print(path, f"{path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
