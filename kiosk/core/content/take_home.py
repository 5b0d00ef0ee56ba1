"""The take-home QR code as a file: `kiosk lessons qr ID -o FILE.png` (posters, leaflets).

It holds exactly what the finish screen's QR holds (`views.take_home_qr`): the lesson's official
link, short enough for a 25x25 code that an older phone reads. The checklist goes on paper.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content.lessons import load_catalog
from kiosk.core.screens.views import take_home_qr


class QrError(Exception):
    """A QR that cannot be made; message in English, for the CLI."""


def qr_image(text: str, box_size: int = 12):
    import qrcode
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
