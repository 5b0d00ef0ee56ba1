"""The take-home QR code as a file: `kiosk lessons qr ID -o FILE.png` (posters, leaflets).

It holds exactly what the finish screen's QR holds (`take_home_qr`, below): the lesson's official
link, short enough for a 25x25 code that an older phone reads. The checklist goes on paper.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kiosk.core.content.lessons import load_catalog


#: the finish screen's QR stays at version 2 or below (25x25 modules): drawn at about 4 mm a
#: module on the kiosk's screen, an older phone camera reads it from arm's length
QR_MAX_MODULES = 25


def qr_modules(text: str) -> int:
    """Modules across the QR code of ``text`` (error correction L, as the kiosk draws it)."""
    import qrcode  # only when a finish screen or a poster is made, not at start-up
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, border=0)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    return qr.modules_count


def take_home_qr(lesson) -> str | None:
    """What the finish screen's QR holds: the official link alone, short enough for a small code;
    a link too long for it gives way to its site's address. None without a link. The checklist
    itself goes on paper ("In ra giấy") or stays on the screen, not into the code."""
    link = getattr(lesson, "link", None)
    return _qr_payload(link) if link else None


@lru_cache(maxsize=64)
def _qr_payload(link: str) -> str | None:
    """Once per link: the finish view is built again at every redraw (notice, large text)."""
    scheme, _, rest = link.partition("://")
    site = f"{scheme}://{rest.split('/', 1)[0]}"
    # a site's address in capitals is the same address (scheme and host ignore case) and fits
    # QR's denser alphanumeric mode: "HTTPS://DICHVUCONG.BOCONGAN.GOV.VN" is 25x25, not 29x29
    return next((c for c in (link, site, site.upper()) if qr_modules(c) <= QR_MAX_MODULES), None)


class QrError(Exception):
    """A QR that cannot be made; message in English, for the CLI."""


def qr_image(text: str, box_size: int = 12):
    import qrcode  # only for a poster; never at start-up
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=box_size, border=4)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    return qr.make_image(fill_color="black", back_color="white")


def write_qr(lessons_dir: Path, lesson_id: str, output: Path) -> str:
    lessons_dir = Path(lessons_dir)
    if not lessons_dir.exists():
        raise QrError(f"lessons folder not found: {lessons_dir}")
    catalog = load_catalog(lessons_dir)
    lesson = catalog.get(lesson_id)
    if lesson is None:
        known = ", ".join(sorted(l.id for l in catalog.lessons)) or "none"
        broken = [p for p in catalog.problems if Path(p.path).stem == lesson_id]
        hint = f" (its file has problems: run `kiosk lessons check`)" if broken else ""
        raise QrError(f"no lesson with id '{lesson_id}'{hint}; lessons: {known}")
    if output.suffix.lower() != ".png":
        raise QrError(f"output must be a .png file, not '{output.name}'")
    text = take_home_qr(lesson)
    if text is None:
        raise QrError(f"lesson '{lesson_id}' has no official link (`link:`) to put in a QR code")
    tmp = output.with_name(output.name + ".tmp")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        qr_image(text).save(tmp, format="PNG")
        tmp.replace(output)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise QrError(f"cannot write {output}: {e.strerror or e}") from e
    return text
