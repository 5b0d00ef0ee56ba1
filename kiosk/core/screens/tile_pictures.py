"""Which picture each choice shows in simple mode ("Hình và tiếng"; plain Python, no Kivy).

In simple mode pictures carry the meaning, so no two choices on one screen may share one: each
lesson, drill and practice copy has its own pictogram (drawn by kiosk.ui.icons), and "Học bài
khác" is not the house of "Về trang đầu". A lesson missing from this table keeps its topic's
picture; the gallery reports it when that makes two tiles alike.
"""

from __future__ import annotations

LESSON_PICTURES = {
    "bao-tin-lua-dao": "megaphone",
    "bhyt-tren-vneid": "health_card",
    "binh-dan-hoc-vu-so": "book",
    "dvc-dang-nhap-vneid": "login",
    "dvc-khai-bao-tam-vang": "suitcase",
    "dvc-khai-sinh-lien-thong": "baby",
    "dvc-ly-lich-tu-phap": "document",
    "dvc-theo-doi-ho-so": "magnifier",
    "dvc-ket-hon": "rings",
    "dvc-khai-tu": "candle",
    "dvc-tinh-trang-hon-nhan": "ring_paper",
    "internet-dien-thoai": "wifi",
    "lua-dao-cuoc-goi": "scam_call",
    "lua-dao-tin-nhan-lien-ket": "scam_sms",
    "ngan-hang-so-an-toan": "bank_card",
    "so-suc-khoe-dien-tu": "heart",
    "thanh-toan-le-phi": "money",
    "thanh-toan-vietqr": "payment",
    "vneid-cai-dat-kich-hoat": "install",
    "vneid-can-cuoc-tre-em": "child",
    "vneid-dang-ky-tam-tru": "house_clock",
    "vneid-dang-ky-thuong-tru": "house",
    "vneid-dien-thoai-moi": "phone",
    "vneid-doi-the-can-cuoc": "card_renew",
    "vneid-giay-phep-lai-xe": "car",
    "vneid-muc-2": "vneid",
    "vneid-quen-mat-khau": "key",
    "vssid": "umbrella",
    "zalo-an-toan": "chat",
}
ACTION_PICTURES = {"more": "more", "exit": "home", "drills": "warning_sign", "practice": "touch",
                   "p_restart": "restart"}  # Làm lại is not the ear of Nghe lại


def picture_for(choice) -> str | None:
    """The picture of a choice in simple mode (its icon name)."""
    if choice.action == "lesson":
        return LESSON_PICTURES.get(choice.arg, choice.icon)
    if choice.action == "drill":
        return DRILL_PICTURES.get(choice.arg, choice.icon)
    return ACTION_PICTURES.get(choice.action, choice.icon)


# The six scam drills (lessons/drills): what each is about, as a picture.
DRILL_PICTURES = {
    "1-gia-cong-an": "police",
    "2-cap-nhat-vneid": "scam_sms",
    "3-dien-luc-cat-dien": "bolt",
    "4-zalo-nguoi-than": "chat",
    "5-viec-nhe-luong-cao": "money",
    "6-hoan-tien-otp": "key",
}
