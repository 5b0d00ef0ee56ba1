"""The real app in an offscreen window, driven by replay scripts through real touches."""

import json

import pytest

from conftest import ROOT, kiosk_env, write_script

pytestmark = pytest.mark.gui


def lesson(lesson_id):
    from kiosk.core.content.lessons import load_catalog
    return load_catalog(ROOT / "lessons").get(lesson_id)


def full_journey(l):
    from kiosk.core.content.lessons import TOPICS
    lines = [{"expect": "miễn phí"}, {"tap": "Bắt đầu"}, {"expect": "Bạn muốn làm gì"},
             {"tap": TOPICS[l.topic]}, {"tap": l.title}, {"expect": "Cần chuẩn bị"}, {"tap": "Bắt đầu"}]
    n = len(l.steps)
    for i in range(1, n + 1):
        lines.append({"expect": f"Bước {i}/{n}"})
        lines.append({"tap": "Xong" if i == n else "Tiếp"})
    lines += [{"expect": "Bạn đã làm xong"}, {"screenshot": "finish"}, {"tap": "Về trang đầu"},
              {"expect": "Xin chào"}]
    return lines


def test_whole_lesson_by_touch_then_report(kiosk, tmp_path):
    l = lesson("vneid-muc-2")
    script = write_script(tmp_path / "j1.jsonl", full_journey(l))
    shots = tmp_path / "shots"
    r = kiosk("replay", script, "--screenshots", shots, data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    names = sorted(p.name for p in shots.glob("*.png"))
    assert "finish.png" in names and any(n.endswith("-welcome.png") for n in names)
    assert len([n for n in names if "-step-" in n]) == len(l.steps)
    _assert_not_blank(shots / "finish.png")

    r = kiosk("report", "--json", data=tmp_path / "data")
    report = json.loads(r.stdout)
    assert report["sessions"] == 1 and report["lessons_finished"] == 1
    assert report["end_reasons"] == {"done": 1}


def test_back_and_call_staff_journey(kiosk, tmp_path):
    l = lesson("lua-dao-cuoc-goi")
    script = write_script(tmp_path / "j2.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "An toàn"}, {"tap": l.title}, {"tap": "Bắt đầu"},
        {"tap": "Tiếp"}, {"tap": "Tiếp"}, {"expect": f"Bước 3/{len(l.steps)}"},
        {"tap": "Quay lại"}, {"expect": f"Bước 2/{len(l.steps)}"},
        {"tap": "Gọi nhân viên"}, {"expect": "Số thứ tự của bạn"}, {"expect": "A001"},
        {"expect": "Vui lòng chờ"}, {"tap": "Quay lại bài"}, {"expect": f"Bước 2/{len(l.steps)}"},
        {"tap": "Chữ to"}, {"screenshot": "large"}, {"tap": "Quay lại"}, {"expect": "Bước 1/"},
    ])
    r = kiosk("replay", script, "--screenshots", tmp_path / "shots", data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    report = json.loads(kiosk("report", "--json", data=tmp_path / "data").stdout)
    assert report["escalations"]["total"] == 1
    stats = next(x for x in report["lessons"] if x["lesson"] == l.id)
    assert stats["started"] == 1 and stats["finished"] == 0 and stats["dropoff"] == {"3": 1}


def test_idle_timeout_warns_extends_and_wipes(kiosk, tmp_path):
    script = write_script(tmp_path / "idle.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "Chữ to"}, {"idle": 95}, {"expect": "Bạn còn ở đó không?"},
        {"tap": "Tôi vẫn đang dùng"}, {"expect": "Bạn muốn làm gì"}, {"idle": 95},
        {"expect": "Bạn còn ở đó không?"}, {"idle": 35}, {"expect": "Xin chào"},
    ])
    r = kiosk("replay", script, data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    report = json.loads(kiosk("report", "--json", data=tmp_path / "data").stdout)
    assert report["end_reasons"] == {"timeout": 1}


def test_failing_line_is_named(kiosk, tmp_path):
    script = write_script(tmp_path / "bad.jsonl", [{"tap": "Bắt đầu"}, {"expect": "Không có chữ này"}])
    r = kiosk("replay", script, data=tmp_path / "data")
    assert r.returncode == 1
    assert "line 2: expected 'Không có chữ này'" in r.stderr and "Traceback" not in r.stderr
    script = write_script(tmp_path / "none.jsonl", [{"tap": "Nút không tồn tại"}])
    r = kiosk("replay", script, data=tmp_path / "data")
    assert r.returncode == 1 and "line 1: no visible button" in r.stderr


def test_portrait_layout_runs_a_lesson(kiosk, tmp_path):
    l = lesson("bhyt-tren-vneid")
    script = write_script(tmp_path / "p.jsonl", full_journey(l))
    r = kiosk("replay", script, "--size", "portrait", "--screenshots", tmp_path / "shots",
              data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    from PIL import Image
    assert Image.open(tmp_path / "shots" / "finish.png").size == (1080, 1920)


def test_headless_demo_run_shoots_every_screen(kiosk, tmp_path):
    # The kiosk is installed without test tools: make sure the run path never needs pytest.
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "pytest.py").write_text("raise ImportError('pytest is not installed on a kiosk')\n")
    shots = tmp_path / "shots"
    r = kiosk("run", "--headless", "--demo", "--screenshots", shots, data=tmp_path / "data",
              env={"PYTHONPATH": str(blocker)})
    assert r.returncode == 0, r.stderr
    kinds = {p.stem.split("-")[1] for p in shots.glob("*.png")}
    assert kinds >= {"welcome", "home", "topic", "intro", "step", "finish", "ticket",
                     "practice", "drills", "drill", "quiz"}


def _assert_not_blank(png):
    from PIL import Image
    img = Image.open(png).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100, f"{png} looks blank"


def test_readme_example_script_replays(kiosk, tmp_path):
    """The example in the README is what a newcomer copies: it must work as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```jsonl\n", 1)[1].split("```", 1)[0]
    script = tmp_path / "readme.jsonl"
    script.write_text(block, encoding="utf-8")
    r = kiosk("replay", script, data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    report = json.loads(kiosk("report", "--json", data=tmp_path / "data").stdout)
    assert report["escalations"]["total"] == 1 and report["lessons_started"] == 1


def test_broken_lesson_is_skipped_and_logged(kiosk, tmp_path):
    import shutil
    lessons = tmp_path / "lessons"
    shutil.copytree(ROOT / "tests" / "fixtures" / "lessons", lessons)
    (lessons / "hong.yaml").write_bytes(b"id: hong\ntitle: [unclosed\n\xff\xfe")
    script = write_script(tmp_path / "s.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"}, {"tap": "Bắt đầu"},
        {"expect": "Bước 1/3"}])
    r = kiosk("replay", script, "--lessons", lessons, data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    assert "lesson skipped" in r.stderr and "hong.yaml" in r.stderr


def _replay_rss_mb(script, data, lessons) -> float:
    """The kiosk's resident memory at the end of a replay (its last second, a wait)."""
    import subprocess
    import sys
    import time
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "replay", str(script), "--lessons",
                             str(lessons)], cwd=ROOT, env=kiosk_env(data, {"KIOSK_ASR": "none"}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rss = 0.0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as f:
                rss = next(int(l.split()[1]) / 1024 for l in f if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
        time.sleep(0.05)
    assert proc.returncode == 0, proc.stderr.read()
    return rss


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/status"), reason="needs Linux /proc")
def test_memory_stays_flat_over_many_screens(tmp_path):
    """A kiosk runs all day: replaced screens (widgets, GL textures) must be freed. Before the
    fix every tap kept ~3.5 MB, so 120 more taps would add ~400 MB."""
    lessons = ROOT / "tests" / "fixtures" / "lessons"
    start = [{"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Kết nối Wi-Fi"}, {"tap": "Bắt đầu"}]
    rss = {}
    for pairs in (5, 65):
        lines = start + [{"tap": "Tiếp"}, {"tap": "Quay lại"}] * pairs + [{"expect": "Bước 1/3"},
                                                                          {"wait": 1.0}]
        script = write_script(tmp_path / f"m{pairs}.jsonl", lines)
        rss[pairs] = _replay_rss_mb(script, tmp_path / f"data{pairs}", lessons)
    assert rss[65] - rss[5] < 40, f"memory grew with screens: {rss}"


def test_screenshots_are_straight_at_1366_wide(kiosk, tmp_path):
    """1366 px RGB rows are 4098 bytes, not a multiple of 4: read with the default alignment,
    every row slid sideways and swapped its colour channels."""
    from PIL import Image
    script = write_script(tmp_path / "s.jsonl", [{"expect": "Xin chào"}, {"screenshot": "welcome"}])
    r = kiosk("replay", script, "--size", "small", "--screenshots", tmp_path / "shots",
              data=tmp_path / "data")
    assert r.returncode == 0, r.stderr
    img = Image.open(tmp_path / "shots" / "welcome.png").convert("RGB")
    assert img.size == (1366, 768)
    margin = {img.getpixel((2, y)) for y in range(img.height)}  # the window's left padding
    assert margin == {img.getpixel((2, 2))}, f"left margin not one colour: {sorted(margin)[:5]}"


def test_bad_msaa_setting_is_ignored_not_fatal(kiosk, tmp_path):
    """A typo in KIOSK_MSAA once left Kivy without a window: now it is logged and ignored."""
    r = kiosk("run", "--headless", "--exit-after", "1", data=tmp_path / "data",
              env={"KIOSK_MSAA": "hai"})
    assert r.returncode == 0, r.stderr
    assert "KIOSK_MSAA='hai' is not 0, 2, 4 or 8" in r.stderr and "Traceback" not in r.stderr
