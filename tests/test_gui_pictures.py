"""Lesson steps with their pictures on the real app (offscreen Kivy window), driven by replays
of real touches, in landscape and portrait: the widget tree holds the drawn screen or the
pictogram, marked "Hình minh họa"; nothing in a picture can be tapped; the intro lists the
steps; the finish screen opens the next lesson.
"""

import pytest

from conftest import ROOT, write_script
from kiosk.core.content import practice_replay as pr
from kiosk.core.content.lessons import load_catalog

pytestmark = pytest.mark.gui
CATALOG = load_catalog(ROOT / "lessons")


def _journey() -> list[dict]:
    first, then = CATALOG.get("vneid-muc-2"), CATALOG.get("vneid-cai-dat-kich-hoat")
    lines = pr.to_lesson(CATALOG, first.id)
    lines += [{"expect": "Các bước"}, {"expect": f"3. {first.steps[2].title}"}, {"tap": "Bắt đầu"},
              {"expect": "Hình minh họa"}, {"expect": first.steps[0].picture.label},
              {"screenshot": "sign"}]
    lines += [{"tap": "Tiếp"}] * (len(first.steps) - 1) + [{"tap": "Xong"}]
    lines += [{"expect": "Bạn đã làm xong"}, {"tap": "Bài tiếp theo"}, {"expect": then.title},
              {"expect": "Cần chuẩn bị"}, {"tap": "Bắt đầu"}] + [{"tap": "Tiếp"}] * 3
    # step 4: "Nhập số định danh và số điện thoại ... Bấm Gửi yêu cầu." on a drawn VNeID screen
    lines += [{"expect": then.steps[3].title}, {"expect": "Hình minh họa"},
              {"expect": "Kích hoạt tài khoản"}, {"expect": "Số định danh cá nhân"},
              {"expect": "Gửi yêu cầu"}, {"screenshot": "phone"}]
    return lines


@pytest.mark.parametrize("size, shape", [("landscape", (1920, 1080)), ("portrait", (1080, 1920))])
def test_steps_draw_their_pictures(kiosk, tmp_path, size, shape):
    script = write_script(tmp_path / "script.jsonl", _journey())
    r = kiosk("replay", script, "--size", size, "--screenshots", tmp_path / "shots",
              data=tmp_path / "data", timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    from PIL import Image
    for name in ("sign", "phone"):
        img = Image.open(tmp_path / "shots" / f"{name}.png").convert("RGB")
        assert img.size == shape
        assert len(img.getcolors(1 << 20) or ()) > 20  # a drawing, not a blank screen


def test_nothing_in_a_picture_can_be_tapped(kiosk, tmp_path):
    lines = _journey()[:-1] + [{"tap": "Gửi yêu cầu"}]
    script = write_script(tmp_path / "script.jsonl", lines)
    r = kiosk("replay", script, "--screenshots", tmp_path / "shots", data=tmp_path / "data",
              timeout=300)
    assert r.returncode != 0
    assert "no visible button with 'Gửi yêu cầu'" in r.stderr + r.stdout
