"""Practice copies, scam drills and the quiz on the real app, driven by replays of real touches.

Every journey is built from the content files (kiosk.core.content.practice_replay) and makes mistakes
on purpose: the gentle correction must show before the right action moves on. The made-up
codes are predictable here because the kiosk runs with KIOSK_PRACTICE_SEED.
"""

import json

import pytest

from conftest import ROOT, write_script
from kiosk.core.content import practice_replay as pr
from kiosk.core.content.lessons import load_catalog

pytestmark = pytest.mark.gui
SEED = "test-seed"
CATALOG = load_catalog(ROOT / "lessons")
ENTRY = {"vneid": "bhyt-tren-vneid", "dich-vu-cong": "dvc-ly-lich-tu-phap", "thanh-toan-qr": "thanh-toan-vietqr",
         "cu-tru": "vneid-dang-ky-tam-tru"}


def replay(kiosk, tmp_path, lines, *args):
    script = write_script(tmp_path / "script.jsonl", lines)
    r = kiosk("replay", script, *args, data=tmp_path / "data", env={"KIOSK_PRACTICE_SEED": SEED}, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(kiosk("report", "--json", data=tmp_path / "data").stdout)


def test_every_practice_maps_to_an_entry_lesson():
    assert {p.id for p in CATALOG.practice.practices} == set(ENTRY)
    for pid, lesson in ENTRY.items():
        assert lesson in CATALOG.practice.practice(pid).lessons


@pytest.mark.parametrize("practice_id", sorted(ENTRY))
def test_practice_copy_end_to_end_with_mistakes_corrected(kiosk, tmp_path, practice_id):
    p = CATALOG.practice.practice(practice_id)
    wrong_at = tuple(range(len(p.steps)))  # a mistake at every step where one is possible
    lines = pr.to_lesson(CATALOG, ENTRY[practice_id])
    lines += pr.practice_journey(CATALOG, practice_id, SEED, wrong_at=wrong_at, shots={"done": "done"})
    lines += [{"tap": "Về bài học"}, {"expect": "Cần chuẩn bị"}, {"tap": "Quay lại"},
              {"tap": "Quay lại"}, {"expect": "Bạn muốn làm gì"}]
    report = replay(kiosk, tmp_path, lines, "--screenshots", tmp_path / "shots")
    assert report["practice"]["started"] == 1 and report["practice"]["finished"] == 1
    assert report["practice"]["first_try"] == 0  # mistakes were made
    row = report["practice"]["by_practice"][0]
    assert row["practice"] == practice_id and row["title"] == p.title
    _assert_not_blank(tmp_path / "shots" / "done.png")
    steps_shot = {x.stem.rsplit("-", 1)[1] for x in (tmp_path / "shots").glob(f"*-practice-{practice_id}-*.png")}
    assert steps_shot == {str(i + 1) for i in range(len(p.steps))}  # every step was drawn


def test_practice_first_try_counts_and_codes_never_logged(kiosk, tmp_path):
    lines = pr.to_lesson(CATALOG, "thanh-toan-vietqr") + pr.practice_journey(CATALOG, "thanh-toan-qr", SEED, wrong_at=())
    report = replay(kiosk, tmp_path, lines)
    assert report["practice"]["first_try"] == 1
    import sqlite3
    codes = pr.codes_for("thanh-toan-qr", SEED)
    db = sqlite3.connect(tmp_path / "data" / "kiosk.sqlite3")
    logged = " ".join(str(r) for r in db.execute("SELECT * FROM events"))
    assert codes["otp"] not in logged and codes["passcode"] not in logged


def test_every_scam_drill_wrong_then_right(kiosk, tmp_path):
    drills = CATALOG.practice.drills
    lines = [{"tap": "Bắt đầu"}] + pr.drills_journey(CATALOG)
    report = replay(kiosk, tmp_path, lines)
    d = report["drills"]
    assert (d["right"], d["wrong"], d["answers"]) == (len(drills), len(drills), 2 * len(drills))
    assert {r["drill"] for r in d["by_drill"]} == {x.id for x in drills}
    assert all(r["first_right"] == 0 for r in d["by_drill"])


def test_quiz_at_the_end_of_a_safety_lesson(kiosk, tmp_path):
    lesson = CATALOG.get("lua-dao-tin-nhan-lien-ket")
    lines = pr.to_lesson(CATALOG, lesson.id) + pr.quiz_journey(CATALOG, lesson.id)
    lines += [{"tap": "Về trang đầu"}, {"expect": "Xin chào"}]
    report = replay(kiosk, tmp_path, lines)
    q = report["quiz"]
    assert (q["right"], q["wrong"]) == (len(lesson.quiz) - 1, 1)
    assert report["lessons_finished"] == 1 and report["end_reasons"] == {"done": 1}


def test_portrait_practice_and_call_staff_from_the_copy(kiosk, tmp_path):
    lines = pr.to_lesson(CATALOG, "bhyt-tren-vneid") + [
        {"tap": "Thử làm"}, {"expect": "Bản tập – không phải thật"}, {"tap": "VNeID"},
        {"expect": "Bước 2/"}, {"screenshot": "portrait"}, {"tap": "Gọi nhân viên"},
        {"expect": "Số thứ tự của bạn"}, {"tap": "Quay lại bài"}, {"expect": "Bước 2/"},
        {"tap": "Làm lại"}, {"expect": "Làm lại từ đầu"}, {"expect": "Bước 1/"}]
    report = replay(kiosk, tmp_path, lines, "--size", "portrait", "--screenshots", tmp_path / "shots")
    assert report["escalations"]["total"] == 1 and report["practice"]["started"] == 1
    from PIL import Image
    assert Image.open(tmp_path / "shots" / "portrait.png").size == (1080, 1920)
    _assert_not_blank(tmp_path / "shots" / "portrait.png")


def test_lessons_qr_prints_the_take_home_link(kiosk, tmp_path):
    import zxingcpp  # test extra (pyproject): reads the QR back
    from PIL import Image

    from kiosk.core.screens.views import QR_MAX_MODULES, qr_modules, take_home_qr
    out = tmp_path / "poster" / "vneid.png"
    r = kiosk("lessons", "qr", "vneid-muc-2", "-o", out)
    assert r.returncode == 0, r.stderr
    decoded = zxingcpp.read_barcodes(Image.open(out))
    assert len(decoded) == 1
    lesson = CATALOG.get("vneid-muc-2")
    assert decoded[0].text == take_home_qr(lesson) and lesson.link.startswith(decoded[0].text)
    assert qr_modules(decoded[0].text) <= QR_MAX_MODULES


def test_every_take_home_qr_is_small_and_read_by_a_phone_camera():
    """Each lesson's finish-screen QR as the kiosk draws it (594 px wide at 1920x1080, ~4 mm a
    module), seen by a phone camera from about 40 cm: 0.19 camera pixels per screen pixel (3 a
    4 mm module), slightly blurred. zxing-cpp must read it. What the QR used to hold (the whole
    checklist, ~77 modules in the same place) is not readable this way."""
    import zxingcpp
    from PIL import Image, ImageFilter

    from kiosk.core.content.take_home import qr_image
    from kiosk.core.screens.views import QR_MAX_MODULES, qr_modules, take_home_qr

    def take_home_text(lesson) -> str:  # what the finish QR held before: the whole checklist
        lines = [lesson.title] + [f"- {line}" for line in lesson.take_home_lines]
        return "\n".join(lines + ([lesson.link] if lesson.link else []))

    def camera_reads(text: str, on_screen: int = 594, camera: float = 3 / 16) -> bool:
        drawn = qr_image(text, box_size=1).convert("L").resize((on_screen, on_screen), Image.NEAREST)
        side = round(on_screen * camera)
        seen = drawn.resize((side, side), Image.BILINEAR).filter(ImageFilter.GaussianBlur(0.8))
        return [r.text for r in zxingcpp.read_barcodes(seen)] == [text]

    for lesson in CATALOG.lessons:
        text = take_home_qr(lesson)
        if not lesson.link:
            assert text is None, lesson.id  # nothing to put in a code: the checklist goes on paper
            continue
        assert qr_modules(text) <= QR_MAX_MODULES, (lesson.id, text)
        assert camera_reads(text), (lesson.id, text)
    assert not camera_reads(take_home_text(CATALOG.get("vneid-muc-2")))  # what the QR used to hold
    # a long link gives way to its site; a long site to its address in capitals (alphanumeric mode)
    from types import SimpleNamespace
    long_site = SimpleNamespace(link="https://dichvucong.bocongan.gov.vn/bocongan/bothutuc/tthc?matt=26346")
    assert take_home_qr(long_site) == "HTTPS://DICHVUCONG.BOCONGAN.GOV.VN"
    assert camera_reads(take_home_qr(long_site))


@pytest.mark.parametrize("args,code,words", [
    (["lessons", "qr", "khong-co", "-o", "x.png"], 2, "no lesson with id 'khong-co'"),
    (["lessons", "qr", "vneid-muc-2", "-o", "x.jpg"], 2, "must be a .png"),
    (["lessons", "qr", "vneid-muc-2"], 2, "-o"),
    (["lessons", "qr", "vneid-muc-2", "-o", "/proc/no/x.png"], 2, "cannot write"),
    (["lessons", "qr", "thanh-toan-vietqr", "-o", "x.png"], 2, "has no official link"),
])
def test_lessons_qr_errors(kiosk, tmp_path, args, code, words):
    r = kiosk(*[str(tmp_path / a) if a == "x.png" else a for a in args])
    assert r.returncode == code and words in r.stderr, r.stderr
    assert "Traceback" not in r.stdout + r.stderr


def _assert_not_blank(png):
    from PIL import Image
    img = Image.open(png).convert("L")
    lo, hi = img.getextrema()
    assert hi - lo > 100, f"{png} looks blank"
