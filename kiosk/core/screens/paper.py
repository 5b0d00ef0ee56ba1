"""Paper for the visitor, as the flow sees it: "In ra giấy" on the finish screen (no Kivy).

The button is shown only when the kiosk has a receipt printer (KIOSK_PRINTER): a button that can
only answer "no printer here" costs an elderly visitor a tap and a disappointment, while the QR
and the checklist on the screen are still there. The printing itself is kiosk.ui.printing's.
"""

from __future__ import annotations

from kiosk.core.screens.view import Choice

PRINT_LABEL = "In ra giấy"
PRINTING = "Máy đang in danh sách mang về. Bạn chờ một chút."
PRINTED = "Đã in xong. Mời bạn lấy giấy ở khe máy in."
NOT_PRINTED = ("Máy in chưa in được. Danh sách vẫn còn trên màn hình; "
               "bạn quét mã QR hoặc nhờ nhân viên giúp nhé.")


def print_choice(state, lesson, key: str) -> tuple[Choice, ...]:
    """The "In ra giấy" choice for a finished lesson with a checklist, when there is a printer."""
    kiosk = getattr(state, "kiosk", None)
    if not getattr(kiosk, "printer", False) or not lesson.take_home_lines:
        return ()
    return (Choice(PRINT_LABEL, "print_checklist", lesson.id, icon="print", key=key),)
