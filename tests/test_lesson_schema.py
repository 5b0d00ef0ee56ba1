"""The lesson formats as a schema: the published JSON Schema, the hostile inputs of issue #11,
and the source rules of issue #16 (a page, not a site; not checked in the future)."""

import datetime as dt
import json
import shutil
import time

import pytest

from conftest import ROOT, check_lessons as check, lesson_problems as problems
from kiosk.core.content.lessons import check_paths, load_catalog

FIXTURE = ROOT / "tests" / "fixtures" / "practice_lessons"
SCHEMA = ROOT / "lessons" / "schema.json"


@pytest.fixture
def folder(tmp_path):
    dst = tmp_path / "lessons"
    shutil.copytree(FIXTURE, dst)
    return dst


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path, needle):
    return next(i + 1 for i, l in enumerate(path.read_text(encoding="utf-8").splitlines()) if needle in l)


# --- the published schema ------------------------------------------------------------------

def test_published_schema_is_the_one_the_models_make():
    from kiosk.core.content.lesson_schema import json_schema_text
    assert SCHEMA.read_text(encoding="utf-8") == json_schema_text(), (
        "lessons/schema.json is out of date: regenerate it (see lessons/README.md)")


def _yaml(path):
    from kiosk.core.content.lesson_yaml import read_yaml
    found = []
    doc = read_yaml(path, found)
    assert not found, found
    return json.loads(json.dumps(doc))  # plain JSON data, as an editor's YAML plugin sees it


def test_good_files_match_the_published_schema_and_damaged_ones_do_not(folder):
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
    good = sorted(folder.rglob("*.yaml")) + sorted((ROOT / "lessons" / "drills").glob("*.yaml"))
    assert len(good) >= 10
    for path in good:
        errors = [e.message for e in validator.iter_errors(_yaml(path))]
        assert errors == [], (path, errors[:3])
    wifi = folder / "thu-wifi.yaml"
    for old, new in [("summary:", "sumary:"), ("title: Kết nối Wi-Fi", "title: null"),
                     ("topic: internet", "topic: sports"),
                     ("url: https://example.gov.vn/huong-dan-wifi", "url: https://example.gov.vn"),
                     ("reviewed: 2026-11-25", "reviewed: 25/11/2026")]:
        text = wifi.read_text(encoding="utf-8")
        edit(wifi, old, new)
        assert not validator.is_valid(_yaml(wifi)), new
        wifi.write_text(text, encoding="utf-8")


# --- hostile files: each cause of a traceback or a freeze in issue #11 ---------------------

HOSTILE = {  # name: (text to replace in thu-wifi.yaml, replacement, needle of the line, words)
    "impossible_date": ("reviewed: 2026-11-25", "reviewed: 2024-13-45", "reviewed:", "YYYY-MM-DD"),
    "float_tag": ("title: Kết nối Wi-Fi", 'title: !!float "abc"', "title:", "cannot read this value"),
    "deep_nesting": ("bring:\n", "bring: " + "[" * 3000 + "]" * 3000 + "\nbrang:\n", "bring:", "nest"),
    "list_as_key": ("summary:", "[a, b]: 1\nsummary:", "[a, b]", "plain word"),
    "map_as_key": ("summary:", "? {a: 1}\n: 2\nsummary:", "? {a: 1}", "plain word"),
    "lone_surrogate": ("title: Kết nối Wi-Fi", 'title: "\\ud800"', "title:", None),
    "long_picture_name": ("    text: Trên", "    image: images/" + "a" * 300 + ".png\n    text: Trên",
                          "image:", "longer than 255"),
    "control_character": ("title: Kết nối Wi-Fi", "title: Kết\x07 nối", "title:", "control character"),
    "text_null": ("    text: Trên điện thoại, chạm vào biểu tượng bánh răng có chữ Cài đặt.",
                  "    text: null", "text: null", "'text' is empty"),
    "title_null": ("title: Kết nối Wi-Fi", "title: null", "title: null", "'title' is empty"),
    "alias_bomb": ("reviewed: 2026-11-25",
                   "reviewed: [&a [x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a], "
                   "&c [*b,*b,*b,*b,*b,*b,*b,*b,*b], &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]]",
                   "reviewed:", "aliases"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_one_clear_problem_line_not_a_crash(folder, name):
    old, new, needle, words = HOSTILE[name]
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, old, new)
    start = time.perf_counter()
    catalog = check_paths([folder], today=lambda: dt.date(2026, 11, 29))
    seconds = time.perf_counter() - start
    found = [p for p in catalog.problems if p.path.endswith("thu-wifi.yaml")]
    assert found, catalog.problems
    assert any(p.line == line_of(wifi, needle) for p in found), found
    if words:
        assert any(words in p.message for p in found), found
    for p in found:
        text = str(p)
        assert "\n" not in text and len(text) < 1000 and text.encode("utf-8")
    assert seconds < 30  # a hang guard only; the fuzz test prints the real timings
    assert [l.id for l in catalog.lessons] == ["thu-otp"]  # the good lesson still loads


def test_null_title_or_text_is_refused_by_the_real_cli(kiosk, folder):
    edit(folder / "thu-wifi.yaml", "title: Kết nối Wi-Fi", "title: null")
    edit(folder / "practice" / "thu-ma.yaml", "    do: Chạm vào Ngân hàng.", "    do:")
    edit(folder / "drills" / "1-thu.yaml", "    why: Không đưa mã OTP cho ai.", "    why: ~")
    r = check(kiosk, folder)
    assert r.returncode == 1
    found = problems(r)
    assert ("thu-wifi.yaml", 2) in {(p.split("/")[-1], l) for p, l, _ in found}, found
    want = {("thu-wifi.yaml", "'title' is empty"), ("thu-ma.yaml", "step 1, 'do' is empty"),
            ("1-thu.yaml", "choice 1, 'why' is empty")}
    got = {(p.split("/")[-1], m.split(" (")[0]) for p, _, m in found}
    assert want <= got, found


# --- the source rules and the injected clock (issue #16) -----------------------------------

def test_a_source_must_be_a_page_not_a_whole_site(kiosk, folder):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "url: https://example.gov.vn/huong-dan-wifi", "url: https://example.gov.vn/")
    edit(folder / "drills" / "1-thu.yaml", "url: https://example.gov.vn/canh-bao-lua-dao-otp",
         "url: https://www.sbv.gov.vn")
    r = check(kiosk, folder)
    assert r.returncode == 1
    found = {(p.split("/")[-1], l) for p, l, m in problems(r) if "only a web site" in m}
    assert found == {("thu-wifi.yaml", line_of(wifi, "url:")),
                     ("1-thu.yaml", line_of(folder / "drills" / "1-thu.yaml", "url:"))}, r.stdout
    # the link for the take-home QR may be a site's home page: only sources must be pages
    assert "link: https://binhdanhocvuso.gov.vn" in wifi.read_text(encoding="utf-8")


def test_checked_in_the_future_is_refused_by_the_injected_clock(folder):
    wifi = folder / "thu-wifi.yaml"
    edit(wifi, "    checked: 2026-11-25", "    checked: 2026-12-01")

    def check_on(day):
        return [p for p in check_paths([folder], today=lambda: day).problems]

    future = check_on(dt.date(2026, 11, 30))
    assert [(p.line, "still to come" in p.message) for p in future] == [(line_of(wifi, "checked:"), True)]
    assert "today is 2026-11-30" in future[0].message
    assert check_on(dt.date(2026, 12, 1)) == []  # checked today is fine
    assert check_on(dt.date(2031, 1, 1)) == []


def test_the_cli_uses_the_real_clock(kiosk, folder):
    edit(folder / "drills" / "1-thu.yaml", "    checked: 2026-11-25", "    checked: 2999-01-01")
    r = check(kiosk, folder)
    assert r.returncode == 1 and "a day still to come" in r.stdout


def test_the_running_kiosk_keeps_a_lesson_whose_source_is_cited_too_broadly(folder):
    """The source rules are for the editor's check: a kiosk whose clock went back, or a source
    given as a site, must not take a lesson away from the visitor."""
    edit(folder / "thu-wifi.yaml", "url: https://example.gov.vn/huong-dan-wifi", "url: https://example.gov.vn")
    edit(folder / "thu-wifi.yaml", "    checked: 2026-11-25", "    checked: 2999-01-01")
    catalog = load_catalog(folder)
    assert catalog.problems == [] and {l.id for l in catalog.lessons} == {"thu-wifi", "thu-otp"}
    assert any("only a web site" in p.message for p in check_paths([folder]).problems)
