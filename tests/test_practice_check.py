"""Practice and drill files: `kiosk lessons check` finds damage with path:line, never a traceback."""

import json
import re
import shutil
import unicodedata

import pytest

from conftest import ROOT, check_lessons as check, lesson_problems as problems
from kiosk.core.content.lessons import load_catalog

FIXTURE = ROOT / "tests" / "fixtures" / "practice_lessons"
@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "lessons"
    shutil.copytree(FIXTURE, dst)
    return dst


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based line number of the nth line containing needle."""
    hits = [i + 1 for i, l in enumerate(text.splitlines()) if needle in l]
    return hits[nth - 1]


def test_project_practices_and_drills_are_clean(kiosk):
    r = check(kiosk, ROOT / "lessons")
    assert r.returncode == 0, r.stdout + r.stderr
    assert re.search(r"ok: \d+ lesson\(s\) checked, 4 practice\(s\), [6-9] drill\(s\)", r.stdout), r.stdout
    book = load_catalog(ROOT / "lessons").practice
    assert {p.id for p in book.practices} == {"vneid", "dich-vu-cong", "thanh-toan-qr", "cu-tru"}
    assert len(book.drills) >= 6
    for d in book.drills:
        assert d.sources and d.reviewed and 2 <= len(d.choices) <= 3


def test_practice_and_drill_folders_and_files_can_be_checked_alone(kiosk):
    for path in (ROOT / "lessons" / "drills", ROOT / "lessons" / "practice" / "vneid.yaml"):
        r = check(kiosk, path)
        assert r.returncode == 0 and "ok: 0 lesson(s)" in r.stdout, (path, r.stdout + r.stderr)


# (file, change, needle for the expected line or None, words in the message)
PRACTICE = "practice/thu-ma.yaml"
DRILL = "drills/1-thu.yaml"
DAMAGE = {
    "unknown_step_key": (PRACTICE, lambda t: t.replace("    praise: Đúng rồi.", "    prais: Đúng rồi."),
                         "prais:", "unknown key 'prais'"),
    "tap_unknown_element": (PRACTICE, lambda t: t.replace("tap: bank", "tap: bnak"), "tap: bnak",
                            "no tappable element 'bnak'"),
    "unknown_screen": (PRACTICE, lambda t: t.replace("  - screen: otp", "  - screen: opt"), "screen: opt",
                       "no screen named 'opt'"),
    "unknown_kind": (PRACTICE, lambda t: t.replace("kind: keypad", "kind: keyboard"), "kind: keyboard",
                     "not one of"),
    "keypad_without_field": (PRACTICE, lambda t: t.replace("field: ma", "field: maa"), "field: maa",
                             "no field has that id"),
    "unknown_placeholder": (PRACTICE, lambda t: t.replace("là {otp}.", "là {pin}."), "{pin}",
                            "unknown placeholder '{pin}'"),
    "real_looking_code": (PRACTICE, lambda t: t.replace('value: "{otp}"', 'value: "123456"'), "123456",
                          "long number"),
    "unknown_lesson": (PRACTICE, lambda t: t.replace("  - thu-otp", "  - thu-otpp"), "thu-otpp",
                       "no lesson with id 'thu-otpp'"),
    "duplicate_element_id": (PRACTICE, lambda t: t.replace("id: zalo", "id: bank"), ("id: bank", 2),
                             "used twice"),
    "kiosk_label": (PRACTICE, lambda t: t.replace("label: Zalo", "label: Gọi nhân viên"), "Gọi nhân viên",
                    "kiosk button"),
    "wrong_names_the_answer": (PRACTICE, lambda t: t.replace("      zalo: Đó là", "      bank: Đó là"),
                               "bank: Đó là", "right answer"),
    "type_without_submit": (PRACTICE, lambda t: t.replace("      submit: gui\n", ""), "type: ma", "submit"),
    "nfd_text": (PRACTICE, lambda t: t.replace("Chạm vào Ngân hàng.", unicodedata.normalize("NFD", "Chạm vào Ngân hàng.")),
                 "do: Ch", "NFC"),
    "yaml_syntax": (PRACTICE, lambda t: t.replace("lessons:\n", "lessons: [\n"), None, "YAML syntax"),
    "empty": (PRACTICE, lambda t: "", None, "file is empty"),
    "binary": (PRACTICE, lambda t: b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), None, "binary data"),
    "two_right_answers": (DRILL, lambda t: t.replace("right: false", "right: true"), "choices:",
                          "exactly one choice"),
    "four_choices": (DRILL, lambda t: t.replace("sources:", "  - text: A\n    right: false\n    why: B\n"
                                                "  - text: C\n    right: false\n    why: D\nsources:"),
                     "choices:", "2 or 3 choices"),
    "bad_channel": (DRILL, lambda t: t.replace("channel: sms", "channel: fax"), "channel: fax", "not one of"),
    "right_not_boolean": (DRILL, lambda t: t.replace("right: true", "right: maybe"), "right: maybe",
                          "true or false"),
    "no_sources": (DRILL, lambda t: t.split("sources:")[0] + "reviewed: 2026-11-25\n", None,
                   "missing required key 'sources'"),
    "too_many_words": (DRILL, lambda t: t.replace("Gửi mã OTP để nhận quà.", "rất " * 45), "rất rất",
                       "words"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_file_is_reported_with_path_and_line(kiosk, folder, name):
    rel, damage, needle, words = DAMAGE[name]
    target = folder / rel
    text = target.read_text(encoding="utf-8")
    damaged = damage(text)
    target.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    r = check(kiosk, folder)
    assert r.returncode == 1, r.stdout
    found = problems(r)
    assert found and all(p.endswith(rel.split("/")[-1]) for p, _, _ in found), found
    assert any(words in m for _, _, m in found), found
    if needle is not None:
        want = line_of(damaged, *needle) if isinstance(needle, tuple) else line_of(damaged, needle)
        assert any(l == want and words in m for _, l, m in found), (want, found)
    # the rest still loads: the kiosk goes on with the other lessons, practices and drills
    c = load_catalog(folder)
    assert len(c.lessons) == 2
    assert len(c.practice.practices) + len(c.practice.drills) == 2


def test_report_json_has_new_keys_and_keeps_old_ones(tmp_path):
    """Quick check through the real Store and Runtime (the GUI tests check it end to end)."""
    import random

    from kiosk.core.data.report import build_report, report_csv
    from kiosk.core.runtime import Runtime
    from kiosk.core.data.store import Store

    catalog = load_catalog(FIXTURE)
    store = Store(tmp_path / "k.sqlite3")
    rt = Runtime(catalog, store)
    rt.flow.activities.rng = lambda pid: random.Random(1)
    rt.tap("start")
    rt.tap("lesson", "thu-otp")
    rt.tap("practice", "thu-ma")
    rt.tap("p_tap", "zalo")
    rt.tap("p_tap", "bank")
    for d in rt.state.activity.code_map["otp"]:
        rt.tap("p_key", d)
    rt.tap("p_tap", "gui")
    rt.tap("p_tap", "ket-qua")
    rt.tap("exit")
    rt.tap("start")
    rt.tap("drills")
    rt.tap("drill", "1-thu")
    rt.tap("drill_answer", "0")
    rt.tap("drill_answer", "1")
    rt.tap("home")
    rt.tap("lesson", "thu-otp")
    rt.tap("begin")
    rt.tap("next")
    rt.tap("done")
    rt.tap("quiz_answer", "1")
    rt.tap("exit")
    r = build_report(store, catalog=catalog)
    assert {"generated_at", "since", "sessions", "median_session_seconds", "end_reasons",
            "lessons_started", "lessons_finished", "lessons", "topics", "escalations", "events"} <= set(r)
    assert r["sessions"] == 2 and r["lessons_finished"] == 1
    assert r["practice"] == {"started": 1, "finished": 1, "first_try": 0, "by_practice": [
        {"practice": "thu-ma", "title": "Thử làm: nhập mã OTP", "started": 1, "finished": 1, "first_try": 0}]}
    assert r["drills"]["right"] == 1 and r["drills"]["wrong"] == 1
    assert r["drills"]["by_drill"] == [{"drill": "1-thu", "title": "Tin nhắn đòi mã OTP", "right": 1,
                                        "wrong": 1, "first_right": 0}]
    assert r["quiz"] == {"answers": 1, "right": 1, "wrong": 0,
                         "by_lesson": [{"lesson": "thu-otp", "right": 1, "wrong": 0}]}
    csv_text = report_csv(r)
    assert "practice_finished,,thu-ma,,1" in csv_text and "drill_wrong,safety,1-thu,,1" in csv_text
    json.dumps(r)
    # nothing personal in what was logged: no codes, only ids and right/wrong
    codes = set(made_codes(rt))
    events = store.events()
    assert not any(c in (e["data"] or "") for c in codes for e in events)
    assert build_report(store, "2999-01-01")["practice"]["started"] == 0
    store.close()


def made_codes(rt):
    import random

    from kiosk.core.content.practice import made_up_codes
    c = made_up_codes(random.Random(1))
    return [c["otp"], c["passcode"]]
