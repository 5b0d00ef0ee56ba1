"""The drawn phone of a lesson step asks for the frame its words need (kiosk.ui.picture_fit):
plain arithmetic on the font's metrics, no window. The gallery (tests/test_gallery_sample.py)
checks the drawn result."""

from conftest import ROOT
from kiosk.core.content.lessons import load_catalog
from kiosk.core.screens.practice_views import phone_of
from kiosk.ui import picture_fit as fit

CATALOG = load_catalog(ROOT / "lessons")
BEZEL = (32, 60)


def _phone(lesson_id, index):
    return phone_of(CATALOG.get(lesson_id).steps[index].picture)


def _fits(phone, w, h):
    return fit.needed(phone, fit.MIN_F, w - BEZEL[0]) <= h - BEZEL[1]


def test_a_frame_that_holds_the_words_is_kept():
    phone = _phone("thanh-toan-le-phi", 4)  # an SMS over a keypad
    assert _fits(phone, 360, 600)
    assert fit.least_frame(phone, 360, 600, 400, 0.6, BEZEL) == (360, 600)


def test_a_narrow_phone_widens_when_that_is_enough_and_the_screen_need_not_scroll():
    # app icons whose names stay on one line: the 1366x768 window with a notice row
    phone = _phone("so-suc-khoe-dien-tu", 3)
    assert not _fits(phone, 270, 450) and _fits(phone, 360, 450)
    w, h = fit.least_frame(phone, 270, 450, 360, 0.6, BEZEL)
    assert h == 450 and 270 < w <= 360 and _fits(phone, w, h)
    assert not _fits(phone, w - 3, h)  # the least width, to 2 px


def test_a_short_frame_grows_to_the_least_height_that_holds_the_words():
    # large text in the small window with a notice: about 200 x 330 for the phone
    phone = _phone("thanh-toan-le-phi", 4)
    wide = lambda y: min(max(200, y * 0.6), 350)  # noqa: E731  (upright: 0.6 of its height)
    assert not _fits(phone, min(350, 330 * fit.WIDEST_RATIO), 330)  # wider is not enough
    w, h = fit.least_frame(phone, 200, 330, 350, 0.6, BEZEL)
    assert h > 330 and w == wide(h) <= 350
    assert _fits(phone, w, h)
    assert not _fits(phone, wide(h - 3), h - 3)  # the least, to 2 px


def test_no_frame_grows_without_end_when_width_is_what_is_missing():
    phone = _phone("so-suc-khoe-dien-tu", 3)  # app icons: each name on one line needs width
    narrow = 150
    assert fit.needed(phone, fit.MIN_F, narrow - BEZEL[0]) == float("inf")
    assert fit.least_frame(phone, 100, 160, narrow, 0.6, BEZEL) == (100, 160)


def test_a_list_row_is_never_shorter_than_its_lines_at_the_fonts_height():
    phone = _phone("ngan-hang-so-an-toan", 0)
    row = next(it for it in phone.items if it.kind == "list").rows[0]
    assert row.detail
    label, detail = fit.row_parts(row, fit.MIN_F, 240)
    assert label >= fit.text_h(row.label, fit.MIN_F, 240 - 36, bold=True)
    assert detail >= fit.text_h(row.detail, fit.MIN_F * 0.78, 240 - 36)
    assert fit.row_height(row, fit.MIN_F, 240) == label + detail + 16
