"""The console page "Giọng đọc" in headless Chromium, the microphone fed from a real clip:
record, listen back, keep; the line is then recorded (processed, transcribed, matched)."""

import json
import time

import pytest

from conftest import missing_part, need_module
from narration_helpers import LINE_OF, NARRATION_LESSONS, chromium_with_mic, real_clips
from staff_helpers import Console, add_staff, have_browser, login, wait_for

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def test_record_listen_keep_in_the_browser(tmp_path):
    if not have_browser():
        missing_part("needs Debian chromium and chromium-driver")
    need_module("vietasr", "pip install --pre viet-asr")
    clip = real_clips()[4]
    line = LINE_OF[4]
    data, shots = tmp_path / "data", tmp_path / "shots"
    shots.mkdir()
    add_staff(data)
    with Console(data, env={"KIOSK_LESSONS": str(NARRATION_LESSONS)}) as console:
        driver = chromium_with_mic(clip)
        try:
            login(driver, console.url)
            wait_for(lambda: driver.find_elements("id", "call-next"), what="queue page")
            driver.get(console.url + "/narration?group=thu-giong-doc")
            status = driver.find_element("id", f"status-{line}")
            assert status.text == "chưa ghi"
            driver.find_element("id", f"record-{line}").click()
            wait_for(lambda: driver.find_element("id", f"record-{line}").text == "Dừng",
                     what="recording started")
            started = time.monotonic()
            # the fake microphone plays the clip once: record for its length and a little more
            wait_for(lambda: time.monotonic() - started > 5.5, timeout=30, what="the clip heard")
            driver.find_element("id", f"record-{line}").click()
            wait_for(lambda: driver.find_element("id", f"take-{line}").is_displayed(),
                     what="the take ready")
            driver.find_element("id", f"listen-{line}").click()   # listen back: the take plays
            wait_for(lambda: driver.execute_script(
                "var p = document.getElementById('player');"
                "return p.src.startsWith('blob:') && p.currentTime > 0"), what="the take played")
            driver.find_element("id", f"keep-{line}").click()
            wait_for(lambda: driver.find_element("id", f"status-{line}").text == "đã ghi",
                     timeout=120, what="the take kept and checked")
            assert "Đã lưu bản ghi" in driver.find_element("id", "take-message").text
            driver.save_screenshot(str(shots / "narration-page.png"))
        finally:
            driver.quit()
    manifest = json.loads((data / "narration" / "manifest.json").read_text("utf-8"))["lines"]
    entry = manifest[line]
    assert entry["status"] == "accepted" and entry["score"] <= 0.4 and entry["how"] == "named"
    assert (data / "narration" / f"{line}.wav").stat().st_size > 22050 * 2  # over a second


def test_the_console_serves_https_with_the_certificate_it_made(tmp_path):
    import ssl
    import urllib.request
    need_module("cryptography")
    data = tmp_path / "data"
    add_staff(data)
    from staff_helpers import free_port
    port = free_port()
    import subprocess
    import sys
    from staff_helpers import ROOT, kiosk_env
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "kiosk", "staff", "serve", "--https", "--port",
                             str(port), "--data", str(data)], stdout=log, stderr=subprocess.STDOUT,
                            env=kiosk_env(), cwd=ROOT)
    try:
        cert = data / "staff-tls" / "cert.pem"
        ctx = ssl.create_default_context(cafile=None)
        wait_for(lambda: cert.is_file(), timeout=30, what="the certificate")
        ctx.load_verify_locations(cert)  # the staff PC trusts this certificate, nothing else

        def login_page():
            with urllib.request.urlopen(f"https://localhost:{port}/login", context=ctx, timeout=5) as r:
                return r.status == 200 and "Đăng nhập" in r.read().decode("utf-8")
        assert wait_for(login_page, timeout=30, every=0.2, what="the HTTPS login page")
        from kiosk.staff.tls import fingerprint
        assert fingerprint(cert) in (tmp_path / "serve.log").read_text()
        assert oct((data / "staff-tls" / "key.pem").stat().st_mode & 0o777) == "0o600"
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()
