"""Every console page in headless Chromium, checked by axe-core (0 violations) at desktop width,
at 360 px (a phone) and at 200% zoom, with nothing cut or off screen; screenshots of the queue."""

import pytest

from axe_helpers import axe_js, run_axe
from conftest import ROOT, kiosk_cmd, missing_part
from staff_helpers import Console, add_staff, chromium, have_browser, login, seed_demo, wait_for

pytestmark = [pytest.mark.gui, pytest.mark.slow]

PAGES = ("queue", "history", "reports", "settings", "narration", "ticket", "display")
# (name, CSS width, device scale factor): 200% zoom is a 1280-px screen showing 640 CSS px
VIEWS = (("desktop", 1280, 1), ("phone", 360, 1), ("zoom200", 640, 2))


@pytest.fixture(autouse=True)
def _browser():
    if not have_browser():
        missing_part("needs Debian chromium and chromium-driver")


def emulate(driver, width: int, scale: int, height: int = 800) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": scale, "mobile": width < 500})


def off_screen(driver) -> list[str]:
    """Visible elements that reach past the viewport's right edge, and a page wider than it."""
    return driver.execute_script("""
        var w = document.documentElement.clientWidth, out = [];
        if (document.documentElement.scrollWidth > w + 1)
          out.push('page ' + document.documentElement.scrollWidth + ' > ' + w);
        document.querySelectorAll('body *').forEach(function (el) {
          var r = el.getBoundingClientRect(), s = getComputedStyle(el);
          if (r.width && r.height && s.visibility !== 'hidden' && (r.right > w + 1 || r.left < -1)
              && !el.closest('details:not([open])'))
            out.push(el.tagName + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
        });
        return out.slice(0, 10);""")


def shot(driver, path, width: int, scale: int, max_height: int = 2400) -> None:
    """The whole page (up to max_height CSS px) at this width and scale."""
    h = min(driver.execute_script("return document.documentElement.scrollHeight"), max_height)
    emulate(driver, width, scale, h)
    driver.save_screenshot(str(path))
    emulate(driver, width, scale)


def test_every_console_page_passes_axe_and_fits_a_phone_and_200_percent_zoom(tmp_path):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.paths import db_path
    source = axe_js()
    data, shots = tmp_path / "data", tmp_path / "shots"
    shots.mkdir()
    ticket_id = seed_demo(db_path(data), load_catalog(ROOT / "lessons"))
    add_staff(data)
    link = kiosk_cmd("staff", "display-link", data=data).stdout.strip()
    found = {}
    with Console(data) as console:
        urls = {"queue": "/queue", "history": "/history", "reports": "/reports", "settings": "/settings", "narration": "/narration",
                "ticket": f"/tickets/{ticket_id}", "display": link.replace("http://127.0.0.1:8080", "")}
        driver = chromium()
        try:
            for view, width, scale in VIEWS:
                emulate(driver, width, scale)
                driver.delete_all_cookies()
                driver.get(console.url + "/login")
                found[(view, "login")] = run_axe(driver, source), off_screen(driver)
                login(driver, console.url)
                wait_for(lambda: driver.find_elements("id", "call-next"), what="queue page")
                for name in PAGES:
                    driver.get(console.url + urls[name])
                    driver.execute_script("document.querySelectorAll('details').forEach("
                                          "function (d, i) { if (i < 2) d.open = true; })")
                    found[(view, name)] = run_axe(driver, source), off_screen(driver)
                    if name == "queue":
                        reach = driver.execute_script("""
                            var w = document.documentElement.clientWidth;
                            return Array.from(document.querySelectorAll(
                                '#waiting button[id^=call-], #waiting a[href^="/tickets/"]')).map(function (b) {
                              var r = b.getBoundingClientRect();
                              return [b.textContent.trim(), r.left >= 0 && r.right <= w && r.width > 0];
                            });""")
                        cut = [t for t, ok in reach if not ok] or ([] if reach else ["no Gọi/Chi tiết"])
                        found[(view, name)][1].extend(f"unreachable: {t}" for t in cut)
                        shot(driver, shots / f"queue-{view}.png", width, scale)
                    elif view != "desktop" and name in ("history", "reports", "display"):
                        shot(driver, shots / f"{name}-{view}.png", width, scale)
        finally:
            driver.quit()
    print(f"\naxe-core on every console page (screenshots in {shots}):")
    for (view, name), (violations, outside) in found.items():
        print(f"  {view:8} {name:9} axe violations: {len(violations)}  off screen: {len(outside)}")
    bad = {k: v for k, v in found.items() if v[0] or v[1]}
    assert not bad, bad
    from PIL import Image
    for view, width, scale in VIEWS:
        img = Image.open(shots / f"queue-{view}.png")
        assert img.width == width * scale, (view, img.size)
