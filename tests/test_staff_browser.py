"""End to end in a real browser: headless Chromium (Debian) + the real console server process +
the real kiosk app replayed in an offscreen window, all on one SQLite file."""

import json
import sqlite3
import subprocess
import sys

import pytest

from conftest import ROOT, kiosk_cmd, missing_part
from staff_helpers import (PIN, Console, add_staff, chromium, console_screenshots, have_browser, kiosk_env,
                           login, wait_for)

pytestmark = [pytest.mark.gui, pytest.mark.slow]


@pytest.fixture(autouse=True)
def _browser():
    if not have_browser():  # skip on a developer's machine; fail under CI
        missing_part("needs Debian chromium and chromium-driver")


def by_id(driver, ident):
    from selenium.webdriver.common.by import By
    return driver.find_elements(By.ID, ident)


def test_replayed_ticket_is_seen_called_on_the_kiosk_served_and_reported(tmp_path):
    from kiosk.core.content.lessons import load_catalog
    from selenium.webdriver.support.ui import Select
    lesson = load_catalog(ROOT / "lessons").get("lua-dao-cuoc-goi")
    n = len(lesson.steps)
    data, shots, downloads = tmp_path / "data", tmp_path / "shots", tmp_path / "dl"
    downloads.mkdir()
    add_staff(data)
    script = tmp_path / "ask.jsonl"
    lines = [{"tap": "Bắt đầu"}, {"tap": "An toàn"}, {"tap": lesson.title}, {"tap": "Bắt đầu"}, {"tap": "Tiếp"},
             {"tap": "Quay lại"}, {"tap": "Quay lại"}, {"tap": "Quay lại"},  # 3 in a row: back_repeated
             {"tap": lesson.title}, {"tap": "Bắt đầu"}, {"tap": "Tiếp"}, {"expect": f"Bước 2/{n}"},
             {"tap": "Gọi nhân viên"}, {"expect": "Số thứ tự của bạn"}, {"expect": "A001"},
             {"tap": "Người cao tuổi"}, {"expect": "Đã ghi nhận ưu tiên"}, {"screenshot": "kiosk-ticket"},
             {"wait_for": "Mời số A001 đến quầy 1"},  # until the staff member calls it in the browser
             {"expect": "Mời số A001 đến quầy 1"}, {"expect": "Nhân viên đang chờ bạn ở quầy 1"},
             {"screenshot": "kiosk-called"}]
    script.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    db = data / "kiosk.sqlite3"

    with Console(data) as console:
        driver = chromium(downloads=downloads)
        try:
            login(driver, console.url)
            wait_for(lambda: by_id(driver, "call-next"), what="queue page")
            assert "Không có ai đang chờ" in driver.page_source
            driver.execute_script("window.sameLoad = true")
            replay = subprocess.Popen(
                [sys.executable, "-m", "kiosk", "replay", str(script), "--screenshots", str(shots),
                 "--data", str(data)], env=kiosk_env(), cwd=ROOT, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
            try:
                def in_db():
                    with sqlite3.connect(db) as c:
                        return c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]
                wait_for(in_db, timeout=60, every=0.05, what="the kiosk's ticket")
                # the live queue shows it without a reload (the marker would not survive one);
                # how fast is the bench's business (staff_load), not a unit test's
                row = wait_for(lambda: by_id(driver, "w-A001"), timeout=30, what="live row")[0]
                assert driver.execute_script("return window.sameLoad === true"), "the page reloaded"
                wait_for(lambda: "Người cao tuổi" in by_id(driver, "w-A001")[0].text, what="priority tag")
                row = by_id(driver, "w-A001")[0].text
                for words in (lesson.title, f"Bước 2/{n}", "Bấm Quay lại nhiều lần", "Ưu tiên"):
                    assert words in row, (words, row)
                driver.save_screenshot(str(shots / "console-ticket-waiting.png"))
                by_id(driver, "call-A001")[0].click()
                wait_for(lambda: by_id(driver, "now-A001"), what="the called ticket at my counter")
                assert "Đã gọi." in driver.page_source
                out, err = replay.communicate(timeout=90)
            finally:
                if replay.poll() is None:
                    replay.kill()
            assert replay.returncode == 0, err  # the kiosk showed "Mời số A001 đến quầy 1"
            with sqlite3.connect(db) as c:
                shown = c.execute("SELECT data FROM events WHERE kind = 'ticket_called'").fetchall()
            assert [json.loads(d) for (d,) in shown] == [{"number": "A001", "counter": 1}]

            by_id(driver, "outcome-done_at_counter-A001")[0].click()
            Select(by_id(driver, "category-A001")[0]).select_by_value("safety")
            driver.save_screenshot(str(shots / "console-serving.png"))
            by_id(driver, "serve-A001")[0].click()
            wait_for(lambda: "Đã ghi kết quả." in driver.page_source, what="served")
            assert by_id(driver, "no-current")

            report = json.loads(kiosk_cmd("report", "--json", data=data).stdout)
            esc = report["escalations"]
            assert esc["total"] == 1 and esc["by_status"] == {"served": 1}
            assert esc["by_outcome"] == {"done_at_counter": 1} and esc["by_category"] == {"safety": 1}
            assert esc["by_group"] == {"elderly": 1} and report["visitor_groups"] == {"elderly": 1}
            assert esc["median_wait_seconds"] > 0

            driver.get(console.url + "/reports")
            assert "Làm xong tại quầy" in driver.page_source
            by_id(driver, "csv")[0].click()
            got = wait_for(lambda: [p for p in downloads.glob("kiosk-report-*.csv")], what="CSV download")[0]
            cli_csv = kiosk_cmd("report", "--csv", data=data).stdout
            assert got.read_text(encoding="utf-8") == cli_csv
            assert "escalations_outcome_done_at_counter,,,,1" in cli_csv
        finally:
            driver.quit()
    from PIL import Image
    called = Image.open(shots / "kiosk-called.png").convert("L")
    assert called.getextrema()[1] - called.getextrema()[0] > 100


def test_lockout_after_five_bad_pins_in_the_browser(tmp_path):
    data = tmp_path / "data"
    add_staff(data)
    with Console(data) as console:
        driver = chromium()
        try:
            driver.get(console.url + "/queue")
            assert driver.current_url.endswith("/login")  # nothing without logging in
            for i in range(5):
                login(driver, console.url, pin="999999")
                message = wait_for(lambda: by_id(driver, "login-error"), what="error")[0].text
                if i < 4:
                    assert f"Còn {4 - i} lần thử" in message
            assert "Tạm khóa đăng nhập 5 phút" in message
            login(driver, console.url, pin=PIN)  # the right PIN, too late
            assert "Tạm khóa" in wait_for(lambda: by_id(driver, "login-error"), what="lock")[0].text
            driver.get(console.url + "/reports")
            assert driver.current_url.endswith("/login")
            assert not driver.get_cookie("kiosk_staff")
        finally:
            driver.quit()
    listing = json.loads(kiosk_cmd("staff", "list", "--json", data=data).stdout)
    assert listing[0]["name"] == "lan" and listing[0]["locked_until"]
    with sqlite3.connect(data / "kiosk.sqlite3") as c:
        kinds = [k for (k,) in c.execute("SELECT kind FROM events WHERE kind LIKE 'staff_lo%'")]
    assert kinds.count("staff_lockout") == 1 and kinds.count("staff_login_failed") == 5


def test_screenshots_of_every_console_page(tmp_path):
    from PIL import Image

    from kiosk.core.content.lessons import load_catalog
    shots = console_screenshots(tmp_path / "shots", tmp_path / "data", load_catalog(ROOT / "lessons"))
    assert [p.stem for p in shots] == ["login", "queue", "history", "reports", "settings", "ticket"]
    for p in shots:
        img = Image.open(p).convert("L")
        lo, hi = img.getextrema()
        assert img.width == 1280 and hi - lo > 100, p
