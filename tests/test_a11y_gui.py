"""Accessibility modes on the real app (offscreen window, real keys, real SQLite log) and the
gallery of every screen x mode x size with its automated checks."""

import json
import sqlite3

import pytest

from conftest import ROOT, write_script

pytestmark = pytest.mark.gui


def lesson(lesson_id):
    from kiosk.core.content.lessons import load_catalog
    return load_catalog(ROOT / "lessons").get(lesson_id)


def topic_key(topic):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.screens.views import TOPIC_ORDER
    catalog = load_catalog(ROOT / "lessons")
    topics = [t for t in TOPIC_ORDER if catalog.by_topic(t)]
    return str(topics.index(topic) + 1), str([l.id for l in catalog.by_topic(topic)].index(
        next(l.id for l in catalog.lessons if l.topic == topic)) + 1)


def sessions(data):
    conn = sqlite3.connect(data / "kiosk.sqlite3")
    rows = conn.execute("SELECT id, end_reason, modes FROM sessions ORDER BY started_at").fetchall()
    events = conn.execute("SELECT session_id, kind, data FROM events ORDER BY id").fetchall()
    conn.close()
    return rows, events


def test_whole_lesson_in_audio_first_mode_by_keypad_only(kiosk, tmp_path):
    l = lesson("vneid-muc-2")
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.screens.views import TOPIC_ORDER
    catalog = load_catalog(ROOT / "lessons")
    t_key = str([t for t in TOPIC_ORDER if catalog.by_topic(t)].index(l.topic) + 1)
    l_key = str([x.id for x in catalog.by_topic(l.topic)].index(l.id) + 1)
    n = len(l.steps)
    lines = [{"expect": "Xin chào"}, {"key": "5"},            # Nghe đọc on (welcome switch 5, issue 14)
             {"expect": "Bàn phím"},                           # the keys are explained, on screen too
             {"key": "Enter"}, {"expect": "Bạn muốn làm gì"},  # Bắt đầu
             {"key": t_key}, {"expect": l.title}, {"key": l_key}, {"expect": "Cần chuẩn bị"},
             {"key": "R"}, {"key": "plus"}, {"key": "minus"},    # repeat, louder, quieter
             {"key": "Enter"}]
    for i in range(1, n + 1):
        lines += [{"expect": f"Bước {i}/{n}"}, {"expect": f"Bước {i} trên {n}"}]  # shown + caption
        if i == 2:
            lines += [{"key": "BackSpace"}, {"expect": f"Bước 1/{n}"}, {"key": "Enter"}]
        lines.append({"key": "Enter"})
    lines += [{"expect": "Bạn đã làm xong"}, {"screenshot": "finish-audio"}, {"key": "2"},
              {"expect": "đúng không?"}, {"key": "1"},       # leaving is asked first (issue 14)
              {"expect": "Xin chào"}]
    script = write_script(tmp_path / "audio.jsonl", lines)
    data = tmp_path / "data"
    r = kiosk("replay", script, "--screenshots", tmp_path / "shots", data=data)
    assert r.returncode == 0, r.stderr
    report = json.loads(kiosk("report", "--json", data=data).stdout)
    assert report["lessons_finished"] == 1 and report["end_reasons"] == {"done": 1}
    assert report["modes"]["audio"] == 1 and sum(report["modes"].values()) == 1
    rows, events = sessions(data)
    assert json.loads(rows[0][2]) == ["audio"]
    keys = [json.loads(d)["key"] for sid, kind, d in events if kind == "key"]
    assert len(keys) == sum(1 for x in lines if "key" in x)   # every input was a key
    assert keys[:2] == ["5", "enter"] and "backspace" in keys and "plus" in keys
    assert (tmp_path / "shots" / "finish-audio.png").stat().st_size > 10_000


def test_idle_timeout_extension_and_expiry_wipes_the_modes(kiosk, tmp_path):
    script = write_script(tmp_path / "idle.jsonl", [
        {"tap": "Chữ to"}, {"tap": "Phụ đề"}, {"tap": "Bắt đầu"}, {"expect": "Bạn muốn làm gì"},
        {"idle": 95}, {"expect": "Bạn còn ở đó không?"}, {"expect": "(Chuông báo)"},  # visual cue
        {"screenshot": "warning"},
        {"key": "Enter"}, {"expect": "Bạn muốn làm gì"},              # extended by the keypad
        {"idle": 95}, {"expect": "Bạn còn ở đó không?"}, {"tap": "Tôi vẫn đang dùng"},
        {"expect": "Bạn muốn làm gì"},                                  # extended by touch
        {"idle": 95}, {"expect": "Bạn còn ở đó không?"}, {"idle": 35},
        {"expect": "Xin chào"}, {"screenshot": "after"},                 # wiped: welcome again
        {"tap": "Phụ đề"}, {"expect": "Máy này hướng dẫn bạn"},          # the next visitor: own caption
        {"tap": "Bắt đầu"}, {"tap": "Quay lại"}, {"expect": "Xin chào"},
    ])
    data = tmp_path / "data"
    r = kiosk("replay", script, "--screenshots", tmp_path / "shots", data=data)
    assert r.returncode == 0, r.stderr
    report = json.loads(kiosk("report", "--json", data=data).stdout)
    assert report["end_reasons"] == {"timeout": 1, "left": 1}
    assert report["modes"] == {"large_text": 1, "high_contrast": 0, "audio": 0, "simple": 0, "captions": 2}
    rows, events = sessions(data)
    assert [(r[1], json.loads(r[2])) for r in rows] == [("timeout", ["captions", "large_text"]),
                                                        ("left", ["captions"])]  # not large_text
    kinds = [k for _, k, _ in events]
    assert kinds.count("idle_warning") == 3 and kinds.count("idle_extended") == 2
    modes_on = [(sid, json.loads(d)["modes"]) for sid, k, d in events if k == "mode"]
    assert modes_on == [(rows[0][0], ["large_text"]), (rows[0][0], ["large_text", "captions"]),
                        (rows[1][0], ["captions"])]   # the second visitor starts from nothing


def test_simple_mode_needs_a_second_touch_on_the_same_button(kiosk, tmp_path):
    script = write_script(tmp_path / "simple.jsonl", [
        {"tap": "Phụ đề"},                                      # captions on: the spoken lines show
        {"tap": "Hình và tiếng"},                               # simple on (one touch: it was off)
        {"tap": "Chữ to"}, {"expect": "Chữ to, chữ lớn hơn, đang tắt. Chạm lần nữa để chọn."},
        {"screenshot": "armed-switch"},
        {"tap": "Bắt đầu"}, {"expect": "Bắt đầu. Chạm lần nữa để chọn"}, {"expect": "Xin chào"},
        {"tap": "Bắt đầu"}, {"expect": "Bạn muốn làm gì"},     # the second touch on the same button
        {"tap": "VNeID"}, {"screenshot": "armed"}, {"tap": "An toàn"}, {"expect": "An toàn. Chạm lần nữa"},
        {"tap": "An toàn"}, {"expect": "Chọn một bài"},
        {"key": "BackSpace"}, {"expect": "Bạn muốn làm gì"},    # keys act at once
    ])
    data = tmp_path / "data"
    r = kiosk("replay", script, "--screenshots", tmp_path / "shots", data=data)
    assert r.returncode == 0, r.stderr
    rows, events = sessions(data)
    armed = [json.loads(d)["action"] for _, k, d in events if k == "armed"]
    assert armed == ["mode", "start", "topic", "topic"]
    modes = [json.loads(d) for _, k, d in events if k == "mode"]
    assert [(m["mode"], m["on"]) for m in modes] == [("captions", True), ("simple", True)]


def test_replay_rejects_an_unknown_key(kiosk, tmp_path):
    script = tmp_path / "bad.jsonl"
    script.write_text('{"key": "Enter"}\n{"key": "F13"}\n', encoding="utf-8")
    r = kiosk("replay", script, data=tmp_path / "data")
    assert r.returncode == 2 and ":2: unknown key 'F13'" in r.stderr and "Traceback" not in r.stderr


def test_gallery_one_lesson_every_mode_and_size(kiosk, tmp_path):
    from kiosk.ui.gallery import DEFAULT_MODES, DEFAULT_NOTICES, DEFAULT_SIZES, jobs_for
    from kiosk.core.content.lessons import load_catalog
    lesson_id = "dvc-khai-sinh-lien-thong"   # the longest lesson title, three things to bring
    out = tmp_path / "gallery"
    r = kiosk("gallery", out, "--lesson", lesson_id, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    jobs = jobs_for(load_catalog(ROOT / "lessons"), [lesson_id], notices=DEFAULT_NOTICES)
    pngs = sorted(out.rglob("*.png"))
    assert len(pngs) == len(jobs) > 250
    checks = json.loads((out / "checks.json").read_text(encoding="utf-8"))
    screens = checks["screens"]
    assert checks["summary"]["with_problems"] == 0 and len(screens) == len(jobs)
    assert {s["mode"] for s in screens} == set(DEFAULT_MODES) and {s["size"] for s in screens} == set(DEFAULT_SIZES)
    for s in screens:
        assert s["problems"] == [] and s["spoken"].strip()
        assert s["min_target_mm"] >= 20 and (s["min_gap_mm"] is None or s["min_gap_mm"] >= 5)
        if "contrast" in s["mode"]:
            assert s["min_contrast"] >= 7
        if s["mode"] == "captions":
            assert s["caption"]
        assert set(s["keys"]) and all(s["keys"].values())
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<img") == len(jobs) and "portrait/large/dvc-khai-sinh-lien-thong--intro.png" in index
    from PIL import Image
    for rel, size in [("landscape/large-contrast/welcome.png", (1920, 1080)),
                      ("portrait/captions/home.png", (1080, 1920)),
                      (f"small/large/{lesson_id}--step-01.png", (1366, 768))]:
        img = Image.open(out / rel)
        assert img.size == size
        lo, hi = img.convert("L").getextrema()
        assert hi - lo > 100, rel


def test_gallery_finds_a_lesson_that_does_not_fit(kiosk, tmp_path):
    from test_access import too_long
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    too_long(lessons)
    out = tmp_path / "gallery"
    # without notices: what `kiosk lessons check` estimates (a notice row takes more room)
    r = kiosk("gallery", out, "--lessons", lessons, "--modes", "large,normal", "--sizes", "small",
              "--notices", "none")
    # the gallery draws it scrolling, with its cue (kiosk.ui.scroll_fit), in large text only:
    # nothing drawn over anything, nothing out of view without the cue
    assert r.returncode == 0, r.stdout + r.stderr
    screens = json.loads((out / "checks.json").read_text(encoding="utf-8"))["screens"]
    assert not any(s["problems"] for s in screens)
    scrolls = {(s["mode"], s["id"]) for s in screens
               if s["scroll"] and s["scroll"]["content_h"] > s["scroll"]["viewport_h"]}
    assert ("large", "thu-dai/intro") in scrolls and not any(m == "normal" for m, _ in scrolls)
    # the same lesson is reported by `kiosk lessons check`, before any visitor sees it
    r = kiosk("lessons", "check", lessons)
    assert r.returncode == 1 and "the introduction" in r.stdout and "1366x768" in r.stdout
