"""The waiting-room display in headless Chromium against the real console process: a call made
through the console appears within 2 s and is heard (chime + the kiosk's spoken call); the page
is refused without the link and as soon as the link is revoked."""

import sqlite3
import time

import httpx
import pytest

from conftest import ROOT, kiosk_cmd, missing_part, need_tool
from staff_helpers import PIN, Console, add_staff, chromium, csrf_of, have_browser, wait_for

pytestmark = [pytest.mark.gui, pytest.mark.slow]

LESSON = "vneid-muc-2"


@pytest.fixture(autouse=True)
def _browser():
    if not have_browser():
        missing_part("needs Debian chromium and chromium-driver")


def seed(data) -> None:
    from kiosk.core.data.store import Store
    from kiosk.paths import db_path
    s = Store(db_path(data))
    for _ in range(2):
        s.create_ticket(s.start_session(), {"screen": "step", "topic": "vneid", "lesson": LESSON, "step": 2,
                                            "steps": 8, "group": "elderly"})
    s.close()


def staff_client(url: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=30)
    c.post("/login", data={"csrf": csrf_of(c.get("/login").text), "name": "lan", "pin": PIN})
    assert c.get("/queue").status_code == 200
    return c


def test_display_shows_and_says_a_call_within_2_seconds_and_stops_when_revoked(tmp_path):
    need_tool("espeak-ng")
    from kiosk.core.content.lessons import load_catalog
    data, shots = tmp_path / "data", tmp_path / "shots"
    shots.mkdir()
    seed(data)
    add_staff(data)
    link = kiosk_cmd("staff", "display-link", data=data).stdout.strip()
    path = link.replace("http://127.0.0.1:8080", "")
    title = load_catalog(ROOT / "lessons").get(LESSON).title
    with Console(data) as console:
        staff = staff_client(console.url)
        assert httpx.get(console.url + "/display/" + "x" * 43).status_code == 403
        assert httpx.get(console.url + "/display/").status_code == 404
        # Chromium's own autoplay policy: no sound before a click on the page (as on the TV)
        driver = chromium(width=1280, height=720)
        try:
            driver.get(console.url + "/display/not-the-link")
            assert "thu hồi" in driver.page_source and "A001" not in driver.page_source
            driver.get(console.url + path)
            number = lambda: driver.find_element("id", "latest-number").text  # noqa: E731
            wait_for(lambda: number() == "–", what="the empty display")
            driver.execute_script("window.sameLoad = true")

            r = staff.post("/queue/call-next", data={"csrf": csrf_of(staff.get("/queue").text)})
            called = time.monotonic()
            assert r.status_code in (200, 303)
            wait_for(lambda: number() == "A001", timeout=2.0, every=0.05, what="A001 on the display")
            took = time.monotonic() - called
            print(f"\ndisplay: call shown {took:.2f} s after the console's call-next answered")
            assert driver.execute_script("return window.sameLoad === true"), "the page reloaded"
            assert driver.find_element("id", "latest-counter").text == "đến Quầy 1"
            assert "A001" in driver.find_element("id", "current").text
            page = driver.page_source
            for private in (title, LESSON, "Người cao tuổi", "lan"):
                assert private not in driver.find_element("tag name", "body").text, private
            assert title not in page

            def last_call():
                with sqlite3.connect(data / "kiosk.sqlite3") as c:
                    return c.execute("SELECT MAX(id) FROM ticket_history WHERE status = 'called'").fetchone()[0]

            def heard(call_id):
                """The <audio> played this call's "chime + Mời số …" WAV (made by espeak-ng)."""
                wait_for(lambda: str(call_id) in (driver.execute_script(
                    "return document.getElementById('board').dataset.played") or "").split(","),
                    timeout=60, what=f"the sound of call {call_id} playing")
                src, seconds = driver.execute_script(
                    "var p = document.getElementById('player'); return [p.currentSrc, p.duration];")
                assert src.endswith(f"/calls/{call_id}.wav") and seconds > 2.5, (src, seconds)

            button = driver.find_element("id", "sound-on")
            wait_for(button.is_displayed, timeout=30, what="the Bật âm thanh button (sound blocked)")
            assert "Bật âm thanh" in driver.find_element("id", "status").text
            button.click()                      # once: the call waiting is played now
            first = last_call()
            heard(first)
            assert not button.is_displayed()
            ticket = staff.get("/queue").text.split('action="/tickets/')[1].split("/")[0]
            staff.post(f"/tickets/{ticket}/recall", data={"csrf": csrf_of(staff.get("/queue").text)})
            assert last_call() > first
            heard(last_call())                  # the next call sounds without another click
            driver.save_screenshot(str(shots / "display.png"))

            kiosk_cmd("staff", "display-link", "--revoke", data=data)
            wait_for(lambda: "thu hồi" in driver.find_element("id", "status").text, timeout=5,
                     what="the revoked link noticed by the open page")
            driver.refresh()
            assert "thu hồi" in driver.page_source and "A001" not in driver.page_source
        finally:
            driver.quit()
            staff.close()
    print(f"display screenshot: {shots / 'display.png'}")
