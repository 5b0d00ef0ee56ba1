"""Lesson files: the checker finds every kind of damage with path:line, never a traceback."""

import shutil

import pytest

from conftest import FIXTURE_LESSONS, ROOT, check_lessons as check, lesson_problems as problems
from kiosk.core.content.lessons import load_catalog

@pytest.fixture
def lessons_copy(tmp_path):
    dst = tmp_path / "lessons"
    shutil.copytree(FIXTURE_LESSONS, dst)
    return dst


def test_fixture_lessons_are_clean(kiosk):
    r = check(kiosk, FIXTURE_LESSONS)
    assert r.returncode == 0, r.stdout
    assert "ok: 2 lesson(s)" in r.stdout


def test_project_lessons_are_clean(kiosk):
    r = check(kiosk, ROOT / "lessons")
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(load_catalog(ROOT / "lessons").lessons) >= 6


DAMAGE = {
    "empty": (lambda t: "", 1, "file is empty"),
    "invalid_utf8": (lambda t: t.encode()[:200] + b"\xff\xfe bad" + t.encode()[200:], None, "not valid UTF-8"),
    "binary": (lambda t: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), None, "binary data"),
    "truncated": (lambda t: t[: len(t) // 3].rsplit("\n", 1)[0] + '\n  - title: "unterminated\n', None, None),
    "huge": (lambda t: t + "#" * 300_000, 1, "too large"),
    "unknown_key": (lambda t: t.replace("summary:", "sumary:"), 4, "unknown key 'sumary'"),
    "nfd": (lambda t: t.replace("Kết nối Wi-Fi", "Kết nối Wi-Fi".__class__(__import__("unicodedata").normalize("NFD", "Kết nối Wi-Fi")), 1), 2, "NFC"),
    "bad_topic": (lambda t: t.replace("topic: internet", "topic: sports"), 3, "not one of"),
    "missing_image": (lambda t: t.replace("    text: Trên", "    image: images/none.png\n    text: Trên"), 11, "not found"),
    "too_many_words": (lambda t: t.replace("bật công tắc Wi-Fi lên.", "bật " + "rất " * 45 + "lên."), 13, "words"),
    "secret_number": (lambda t: t.replace("nhập mật khẩu", "nhập 123456789"), 16, "long number"),
    "bad_date": (lambda t: t.replace("reviewed: 2026-11-25", "reviewed: 25/11/2026"), 21, "YYYY-MM-DD"),
    "yaml_syntax": (lambda t: t.replace("bring:\n", "bring: [\n"), None, "YAML syntax"),
}


@pytest.mark.parametrize("name", sorted(DAMAGE))
def test_damaged_copy_is_reported_with_path_and_line(kiosk, lessons_copy, name):
    damage, line, words = DAMAGE[name]
    target = lessons_copy / "thu-wifi.yaml"
    damaged = damage(target.read_text(encoding="utf-8"))
    target.write_bytes(damaged if isinstance(damaged, bytes) else damaged.encode("utf-8"))
    r = check(kiosk, lessons_copy)
    assert r.returncode == 1, r.stdout
    found = problems(r)
    assert found, r.stdout
    assert all(p.endswith("thu-wifi.yaml") for p, _, _ in found), found
    if line is not None:
        assert any(l == line for _, l, _ in found), found
    if words:
        assert any(words in m for _, _, m in found), found
    # the other lesson still loads: the kiosk would go on with it
    assert [l.id for l in load_catalog(lessons_copy).lessons] == ["thu-otp"]


def test_duplicate_ids_across_files(kiosk, lessons_copy):
    text = (lessons_copy / "thu-wifi.yaml").read_text(encoding="utf-8")
    (lessons_copy / "sub").mkdir()
    (lessons_copy / "sub" / "thu-wifi.yaml").write_text(text, encoding="utf-8")
    r = check(kiosk, lessons_copy, lessons_copy / "sub")
    assert r.returncode == 1 and "duplicate id 'thu-wifi'" in r.stdout


def test_missing_path_and_no_lessons(kiosk, tmp_path):
    r = check(kiosk, tmp_path / "nowhere")
    assert r.returncode == 1 and "no such file or folder" in r.stdout
    (tmp_path / "empty").mkdir()
    r = check(kiosk, tmp_path / "empty")
    assert r.returncode == 1 and "no lesson files" in r.stderr


def test_lessons_list_json_shape(kiosk):
    import json
    r = kiosk("lessons", "list", "--json", "--lessons", FIXTURE_LESSONS)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert {row["id"] for row in rows} == {"thu-wifi", "thu-otp"}
    for row in rows:
        assert {"id", "title", "topic", "steps", "reviewed", "sources"} <= set(row)
        assert isinstance(row["steps"], int) and row["sources"][0]["url"].startswith("https://")
