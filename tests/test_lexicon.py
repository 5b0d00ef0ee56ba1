"""The pronunciation lexicon (lessons/lexicon.yaml): written words -> spoken words, at one place
before the speech engine; the screen and the captions keep the written form."""

from pathlib import Path

import pytest

from kiosk.core.content.lexicon import Lexicon, check, digit_words, number_words, spoken_form

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "lessons" / "lexicon.yaml"


@pytest.mark.parametrize("n, words", [
    (0, "không"), (5, "năm"), (10, "mười"), (14, "mười bốn"), (15, "mười lăm"), (21, "hai mươi mốt"),
    (24, "hai mươi tư"), (25, "hai mươi lăm"), (105, "một trăm lẻ năm"), (110, "một trăm mười"),
    (2024, "hai nghìn không trăm hai mươi tư"), (2025, "hai nghìn không trăm hai mươi lăm"),
    (35000, "ba mươi lăm nghìn"), (120000, "một trăm hai mươi nghìn"),
    (1500000, "một triệu năm trăm nghìn"), (1000005, "một triệu không trăm lẻ năm"),
])
def test_numbers_are_read_in_vietnamese(n, words):
    assert number_words(n) == words


def test_the_project_lexicon_is_valid_and_lessons_check_reads_it():
    lex, problems = check(LEXICON)
    assert problems == []
    assert lex.words["VNeID"] == "Vê nê ai đi" and lex.web["gov"] == "gốp"


@pytest.mark.parametrize("written, spoken", [
    ("Đăng nhập VNeID mức 2.", "Đăng nhập Vê nê ai đi mức hai."),
    ("Quét mã QR, trả bằng VietQR.", "Quét mã quy a, trả bằng Việt quy a."),
    ("Bật Wi-Fi, mở Zalo, gõ mã OTP.", "Bật oai phai, mở da lô, gõ mã ô tê pê."),
    ("Mở dichvucong.gov.vn.", "Mở dịch vụ công chấm gốp chấm vê en."),
    ("Từ ngày 1/7/2024,", "Từ ngày một tháng bảy năm hai nghìn không trăm hai mươi tư,"),
    ("Từ ngày 1 tháng 7 năm 2024", "Từ ngày một tháng bảy năm hai nghìn không trăm hai mươi tư"),
    ("giá 35.000 đồng", "giá ba mươi lăm nghìn đồng"),
    ("gọi 156 hoặc 5656", "gọi một năm sáu hoặc năm sáu năm sáu"),
    ("tổng đài 1900 0368", "tổng đài một chín không không, không ba sáu tám"),
    ("từ bản 2.1.10", "từ bản hai chấm một chấm mười"),
])
def test_written_words_become_spoken_ones(written, spoken):
    assert spoken_form(written) == spoken


def test_an_editor_extends_the_lexicon_and_mistakes_are_reported_with_their_line(tmp_path):
    good = tmp_path / "lexicon.yaml"
    good.write_text("words:\n  VNPT: Vê en pê tê\nweb:\n  vnpt: vê en pê tê\n", encoding="utf-8")
    lex, problems = check(good)
    assert problems == [] and spoken_form("Gọi VNPT, vào vnpt.vn", lex) == \
        "Gọi Vê en pê tê, vào vê en pê tê chấm vn"
    bad = tmp_path / "bad.yaml"
    bad.write_text("words:\n  QR: QR\n  OTP: ô tê pê 1\n  X: [1]\nsay: 2\n", encoding="utf-8")
    lex, problems = check(bad)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (5, "unknown section 'say' (known"), (2, "'QR'"), (3, "'OTP'"), (4, "'X'")]
    assert "QR" not in lex.words  # a broken entry is left out, the others work


def test_the_written_form_stays_for_codes_and_letters():
    lex = Lexicon(words={"QR": "quy a"})
    assert spoken_form("Số A012, QRS và QR.", lex) == "Số A012, QRS và quy a."
    assert digit_words("0368") == "không ba sáu tám"


def test_lessons_no_longer_respell_in_say_lines():
    """`say:` lines that only respelled words are gone: the lexicon says them."""
    files = [p for p in (ROOT / "lessons").rglob("*.yaml") if p.name != "lexicon.yaml"]
    assert files and not [p for p in files if "\n    say:" in p.read_text("utf-8")]
