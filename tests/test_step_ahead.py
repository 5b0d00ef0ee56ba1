"""Step pictures built ahead while the visitor reads (kiosk.ui.step_ahead) change nothing that is
drawn: the same journey, forward and back through a lesson whose steps draw phones, gives the
same pixels with the bodies built ahead as with every body built on its tap; and in the first
run the bodies were really taken from those built ahead (logged with -v).
"""

import pytest

from conftest import ROOT, write_script
from kiosk.core.content import practice_replay as pr
from kiosk.core.content.lessons import load_catalog

pytestmark = pytest.mark.gui
CATALOG = load_catalog(ROOT / "lessons")
LESSON = "vneid-cai-dat-kich-hoat"  # the most drawn phones (the bench's lesson)


def _journey() -> list[dict]:
    steps = len(CATALOG.get(LESSON).steps)
    lines = pr.to_lesson(CATALOG, LESSON) + [{"tap": "Bắt đầu"}]
    lines += [{"tap": "Tiếp"}] * (steps - 1) + [{"tap": "Quay lại"}] * 3
    lines += [{"tap": "Chữ to"}, {"tap": "Tiếp"}, {"tap": "Quay lại"}]  # new sizes: built again
    return lines


def _run(kiosk, tmp_path, name, ahead: str, size: str):
    script = write_script(tmp_path / "script.jsonl", _journey())
    shots = tmp_path / name
    r = kiosk("-v", "replay", script, "--size", size, "--screenshots", shots,
              data=tmp_path / f"data-{name}", env={"KIOSK_STEP_AHEAD": ahead}, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return shots, r.stderr


@pytest.mark.parametrize("size", ["landscape", "portrait"])
def test_bodies_built_ahead_draw_the_same_pixels(kiosk, tmp_path, size):
    from PIL import Image, ImageChops
    ahead, log = _run(kiosk, tmp_path, "ahead", "1", size)
    fresh, fresh_log = _run(kiosk, tmp_path, "fresh", "0", size)
    used = log.count("drawn from its body built ahead")
    steps = len(CATALOG.get(LESSON).steps)
    assert used >= steps - 1, log[-3000:]  # every tap between steps but the first found it ready
    assert "built ahead" not in fresh_log
    names = sorted(p.name for p in ahead.glob("*.png"))
    assert names and names == sorted(p.name for p in fresh.glob("*.png"))
    assert len(names) >= steps + 3
    for name in names:
        a = Image.open(ahead / name).convert("RGB")
        b = Image.open(fresh / name).convert("RGB")
        assert ImageChops.difference(a, b).getbbox() is None, f"{name} differs"
