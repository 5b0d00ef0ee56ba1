"""The intent parser's phrases: commands per intent, topics, and phrases that mean nothing.

Standard wording only: dialect words are mapped (intent_text) before matching.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from kiosk.core.understand.intent_classes import class_phrases
from kiosk.core.understand.intent_vocab import procedures
from kiosk.core.understand.intent_text import (
    FILLERS, OPEN_WORDS, as_heard, canon_syllable, plain_syllable, normalize, without_classifiers,
)

_PHRASES: dict[str, str] = {
    "next": """
        tiếp | tiếp theo | tiếp tục | bước tiếp | bước tiếp theo | sang bước tiếp |
        qua bước tiếp | sang bước sau | qua bước sau | bước sau | đi tiếp | làm tiếp |
        kế tiếp | bước kế | bước kế tiếp | sang trang | trang sau | trang tiếp |
        qua trang | xong | xong rồi | làm xong rồi | tôi làm xong rồi | bắt đầu |
        bắt đầu thôi | bắt đầu học | bắt đầu làm | đi tới | qua | sang | tiến lên |
        học tiếp | nghe tiếp | xem tiếp | ok | next | tiếp đi | được rồi tiếp |
        sẵn sàng | tôi sẵn sàng rồi | khởi động | dùng thử | dùng máy | cách dùng | mở ra |
        làm đi | vào bài | vào học | muốn học bài này | học cái này | từng bước | chỉ từng bước | tới luôn | vào luôn |
        bấm gì nữa | làm gì nữa | tới gì | rồi sao nữa | thử làm | làm thử | tập thử |
        giờ sao nữa | sao nữa | giờ làm gì | làm gì tiếp | bấm gì tiếp | còn gì nữa |
        muốn học | mở máy | học gì | học cái gì | vào xem | vào xem thử
    """,
    "back": """
        quay lại | trở lại | lùi lại | lùi | bước trước | về bước trước |
        quay lại bước trước | trở lại bước trước | trở về bước trước | lùi một bước |
        trang trước | quay về | trở về | về trước | lại bước trước | quay lui |
        quay lại trang trước | xem lại bước trước | bước vừa rồi | back |
        trang chào | về trang chào | màn hình chào | chỗ cũ | trở lại chỗ cũ | bấm nhầm | bấm lộn |
        bước lúc nãy | cái lúc nãy |
        quay ra | trở ra | nhầm chủ đề | nhầm mục | nhầm bài | nhầm rồi | không phải bài này |
        chủ đề khác | chọn chủ đề khác | lùi về | bước chót | cái trước đó | xem lại cái trước
    """,
    "repeat": """
        nghe lại | nói lại | đọc lại | lặp lại | nhắc lại | phát lại | kể lại |
        nói lại đi | nói lần nữa | nói lại lần nữa | đọc lại lần nữa | nghe lại lần nữa |
        một lần nữa | lần nữa | chưa nghe rõ | không nghe rõ | nghe không rõ |
        chưa nghe kịp | không nghe kịp | nghe không kịp | không nghe thấy | chưa nghe thấy |
        nói gì | nói gì vậy | cái gì | gì vậy | là sao | nói vậy là sao | không hiểu |
        chưa hiểu | nghe lại cho tôi | hướng dẫn lại | xin nhắc lại | repeat |
        nói lại từ đầu | đọc lại từ đầu | lãng tai | nặng tai | tai kém | ồn quá không nghe |
        nghe không được | hỏi lại | hỏi gì | máy hỏi gì | nói rõ lại | nói rõ | đọc to lại | nói to lại |
        chưa nghe | đoạn cuối | quên rồi đọc lại
    """,
    "call_staff": """
        gọi nhân viên | nhân viên | gặp nhân viên | gọi người | gọi người giúp |
        cần người giúp | người giúp | giúp đỡ | cần giúp đỡ | trợ giúp | hỗ trợ |
        cần hỗ trợ | gọi cán bộ | cán bộ | gặp cán bộ | gọi giúp | giúp | giúp tôi |
        cứu | cứu tôi | có ai không | có ai giúp | ai đó giúp | người hướng dẫn |
        hướng dẫn viên | gặp người thật | nói chuyện với người | không biết làm |
        không biết làm sao | không biết làm thế nào | tôi không làm được | không làm được |
        khó quá | lấy số | bốc số | lấy số thứ tự | gọi công chức | công chức |
        tư vấn | cần tư vấn | help | có ai hướng dẫn | ai hướng dẫn | người chỉ |
        chỉ giùm | chỉ giúp | chỉ dùm | chỉ cho tôi | người chỉ giùm | ai chỉ giùm |
        không có ai giúp | không ai giúp | ở đây không có ai | gọi ai | gọi ai ra |
        gặp ai | gặp ai đó | gọi giùm | gọi dùm | nhờ cô | nhờ anh | nhờ chị | nhờ chú | nhờ người |
        hỏi nhân viên | gọi người đi | làm không được | làm hoài không được | làm mãi không được |
        cần người chỉ | người ở bàn | gọi lại | chưa có ai ra | chưa ai tới | có ai xem giùm |
        xem giùm | làm giùm | chưa thấy ai | không thấy ai
    """,
    "large_text": """
        chữ to | chữ to lên | chữ to hơn | to chữ | phóng to | phóng to chữ | phóng to lên |
        phóng lớn | chữ lớn | chữ lớn hơn | chữ lớn lên | làm chữ to | làm chữ lớn |
        tăng cỡ chữ | cỡ chữ lớn | cỡ chữ to | chữ nhỏ quá | chữ bé quá | chữ nhỏ |
        chữ bé | không nhìn rõ | nhìn không rõ | không thấy rõ | thấy không rõ |
        không đọc được | khó đọc | khó nhìn | mắt kém | mắt tôi kém | nhìn không thấy |
        không thấy chữ | to lên | cho chữ to | đọc không được | đọc không ra |
        nhìn không ra | đọc không nổi | zoom | zoom lên | zoom to | zoom lớn | zoom to lên | zoom lớn lên |
        quên kính | quên mang kính | không đeo kính | không mang kính | không có kính | để quên kính |
        mắt mờ | mắt bị cườm | bị cườm | làm to | to giùm | số nhỏ quá |
        lớn cỡ chữ | tăng chữ | chữ lớn lên | kính để quên | để quên kính ở nhà | mắt kém quá | chữ li ti | li ti | chữ tí hon | chữ bé tí | nhìn không thấy gì
    """,
    "slower": """
        chậm | chậm lại | chậm chậm | chậm thôi | chậm một chút | chậm chút |
        nói chậm | nói chậm lại | nói chậm thôi | nói chậm hơn | nói chậm chậm |
        đọc chậm | đọc chậm lại | đọc chậm hơn | chậm hơn | từ từ | nói từ từ |
        từ từ thôi | nhanh quá | nói nhanh quá | đọc nhanh quá | nhanh quá không nghe kịp |
        thong thả | giảm tốc độ | nói chậm rãi | chậm rãi | nhanh vậy | nhanh thế |
        nói nhanh vậy | nói gì mà nhanh | sao nói nhanh vậy | đọc nhanh vậy |
        gấp quá | nói gấp | đọc gấp | nói gấp quá | đọc gấp quá | nói vội | đọc vội | tốc độ chậm | giảm tốc
    """,
    "faster": """
        nhanh | nhanh lên | nhanh hơn | nói nhanh | nói nhanh lên | nói nhanh hơn |
        đọc nhanh | đọc nhanh lên | đọc nhanh hơn | chậm quá | nói chậm quá | đọc chậm quá |
        tăng tốc độ | nhanh một chút | nhanh chút | nói lẹ lên | lẹ lên |
        rề rà | rề rà quá | lề mề | chậm rì | nói dài quá | tăng tốc | rùa bò | như rùa
    """,
    "stop": """
        dừng | dừng lại | ngừng | ngừng lại | ngưng | ngưng lại | thôi | im | im lặng |
        im đi | tắt tiếng | tắt âm thanh | tắt loa | tắt giọng | đừng nói | đừng nói nữa |
        thôi đừng nói nữa | thôi đừng đọc nữa | đừng đọc nữa | tạm dừng | khoan |
        khoan đã | im lặng đi |
        không nghe nữa | stop |
        đủ rồi | nghe đủ rồi | đọc đủ rồi | biết rồi | tự đọc | để tôi tự đọc | khỏi nói | khỏi đọc |
        đừng đọc | thôi đọc | nín | nín đi | thôi nín
    """,
    "yes": """
        có | vâng | dạ | dạ vâng | dạ phải | phải | phải rồi | đúng | đúng rồi |
        đúng vậy | đúng thế | đúng đó | ừ | ừ đúng | ừm | ok | được | được rồi | đồng ý |
        chắc chắn | chính xác | có chứ | chắc rồi | dạ đúng | dạ được | rồi | yes |
        đúng rồi đó | vâng đúng rồi | phải đó | có đúng | đúng là vậy |
        vậy đó | đúng vậy đó | đúng như vậy | chính nó | chuẩn | chuẩn rồi | làm vậy đi | cứ vậy đi |
        vậy đi | tôi muốn vậy | ý tôi là vậy | đúng như con nói | làm liền đi | y vậy | đúng y vậy |
        chứ sao | chứ gì | chứ còn gì | chớ sao | chớ còn gì
    """,
    "no": """
        không | không phải | không đúng | sai | sai rồi | chưa | chưa đúng |
        chưa phải | không có | hủy | hủy bỏ | thôi | không cần | khỏi | khỏi cần |
        đâu có | đâu phải | không phải vậy | nhầm | nhầm rồi | không muốn |
        không phải đâu | đâu có đâu | không được | no | sai bét | không đồng ý |
        bỏ đi | đừng gọi | thôi đừng gọi | đừng về | nói cái khác | cái khác | không phải cái đó
    """,
    "home": """
        trang chủ | về trang chủ | màn hình chính | về màn hình chính | trang chính |
        về trang chính | về đầu | về trang đầu | trang đầu | từ đầu | làm lại từ đầu |
        bắt đầu lại | lại từ đầu | quay lại từ đầu | quay về đầu | quay về trang chủ |
        quay lại trang chủ | trở về trang chủ | chọn lại | chọn việc khác | làm việc khác |
        thoát | thoát ra | kết thúc | menu | danh mục | về menu | home |
        ra ngoài | thoát ra ngoài | bỏ bài | bỏ bài này | không học nữa | học bài khác | màn hình đầu | về lại đầu | sáu cái ô | sáu ô | ra khỏi | ra khỏi bài | thoát khỏi bài | chọn bài khác | học cái khác
    """,
}

# asking for another lesson: "home" on a step or the finish screen, but on a lesson's
# intro the lesson list is one step back ("back" there goes to the topic's lessons)
ANOTHER_LESSON = frozenset(normalize(p) for p in """
    chọn lại | bỏ bài | bỏ bài này | học cái khác | không học nữa
""".split("|") if normalize(p))


def asks_another_lesson(phrase: str) -> bool:
    """The home phrase asks for another lesson ("chọn lại", "qua bài khác")."""
    return phrase in ANOTHER_LESSON or "bài khác" in phrase

# phrases that must give *no* intent even though they contain a command word
# (the queue's turn, "tới lượt ai", is talk in the hall, not "tiếp theo")
_NONE_PHRASES = """
    nói to | nói to lên | to tiếng | nói lớn | có thể | không biết | có không |
    đi về nhà | về nhà | cảm ơn | cám ơn | xin chào | chào |
    không có gì | không có chi | quay lại sau | quay lại đây | đúng không | phải không | có đúng không |
    có phải không | đúng giờ | nói lại với | lâu quá không gặp |
    nói gì đó | cái gì đó | to ghê | dễ đọc | dễ nhìn | dễ nghe |
    tới lượt | đến lượt | lượt của
"""

TOPIC_PHRASES: dict[str, str] = {
    "vneid": """
        vneid | vn eid | v neid | vê en ai đi | vi en ai đi | vê nê i đê | vi nê ít |
        định danh | định danh điện tử | tài khoản định danh | định danh mức hai |
        tài khoản định danh điện tử | căn cước | căn cước công dân | căn cước điện tử |
        thẻ căn cước | cccd | chứng minh nhân dân | chứng minh thư | ứng dụng vneid |
        mức hai | định danh mức hai
    """,
    "dvc": """
        dịch vụ công | cổng dịch vụ công | dịch vụ công quốc gia | dịch vụ công trực tuyến |
        thủ tục hành chính | nộp hồ sơ | nộp hồ sơ trực tuyến | hồ sơ trực tuyến | giấy tờ |
        làm giấy tờ | khai sinh | đăng ký khai sinh | làm giấy khai sinh | khai tử |
        kết hôn | đăng ký kết hôn | chứng thực | xin giấy xác nhận | giấy xác nhận |
        đê vê xê | dvc | làm thủ tục | thủ tục | tra cứu hồ sơ
    """,
    "payment": """
        thanh toán | thanh toán trực tuyến | chuyển tiền | chuyển khoản | trả tiền |
        ngân hàng | tài khoản ngân hàng | ví điện tử | quét mã | mã qr | quét qr |
        tiền điện | tiền nước | đóng tiền | nộp tiền | đóng tiền điện | trả tiền điện |
        học phí | đóng học phí | nộp thuế | nộp lệ phí | lệ phí | phí | momo |
        thanh toán không dùng tiền mặt | ngân hàng số | ứng dụng ngân hàng | vietqr |
        viet qr | mã vietqr | quét mã vietqr | trả tiền bằng mã
    """,
    "health": """
        sức khỏe | y tế | bảo hiểm y tế | thẻ bảo hiểm y tế | bảo hiểm | bhyt |
        khám bệnh | khám chữa bệnh | bệnh viện | bác sĩ | đặt lịch khám | lịch khám |
        sổ sức khỏe | sổ sức khỏe điện tử | hồ sơ sức khỏe | tiêm chủng | tiêm phòng |
        thuốc | trạm y tế | khám sức khỏe
    """,
    "safety": """
        an toàn | an toàn mạng | an toàn trên mạng | an toàn thông tin | lừa đảo |
        chống lừa đảo | bị lừa | lừa đảo qua mạng | lừa đảo trên mạng |
        cuộc gọi lừa đảo | tin nhắn lừa đảo | cuộc gọi lạ | tin nhắn lạ | đường link lạ |
        mật khẩu | bảo mật | bảo vệ tài khoản | giả mạo | bị hack | mất tiền |
        lộ thông tin | bảo vệ thông tin cá nhân | mã otp | otp
    """,
    "internet": """
        internet | mạng | mạng internet | wifi | wi fi | oai phai | kết nối mạng |
        kết nối wifi | vào mạng | lên mạng | dùng mạng | điện thoại thông minh |
        dùng điện thoại | sử dụng điện thoại | smartphone | zalo | google | tìm kiếm |
        tìm kiếm thông tin | gửi tin nhắn | gọi video | kỹ năng số | máy tính |
        email | thư điện tử | bình dân học vụ số | học vụ số | cài ứng dụng
    """,
}


@dataclass(frozen=True, eq=False)   # identity: phrases are made once, hashed often
class Phrase:
    intent: str
    text: str
    canon: tuple[str, ...]
    plain: tuple[str, ...]
    topic: str | None = None
    lesson: str | None = None
    #: may be matched by a near miss; not the phrases made from word classes,
    #: whose many short combinations sit close to everyday talk ("thấy chưa ra")
    fuzzy: bool = True


@lru_cache(maxsize=2)
def answer_phrases(intent: str) -> frozenset[tuple[str, ...]]:
    """The phrases of a confirm answer ("yes" or "no"), each as its words."""
    return frozenset(tuple(p.split()) for p in split_block(_PHRASES[intent]))


def split_block(block: str) -> list[str]:
    return [without_classifiers(normalize(p)) for p in block.split("|") if normalize(p)]


def _mk(intent: str, text: str, topic=None, lesson=None, fuzzy=True) -> Phrase:
    text = as_heard(text)
    words = text.split()
    return Phrase(
        intent, text,
        tuple(canon_syllable(w) for w in words),
        tuple(plain_syllable(w) for w in words),
        topic, lesson, fuzzy,
    )


@lru_cache(maxsize=1)
def static_phrases() -> tuple[Phrase, ...]:
    out = []
    for intent, block in _PHRASES.items():
        out.extend(_mk(intent, p) for p in split_block(block))
    for topic, block in TOPIC_PHRASES.items():
        out.extend(_mk("open", p, topic=topic) for p in split_block(block))
    out.extend(_mk("_none", p) for p in split_block(_NONE_PHRASES))
    # the same meanings in other words (intent_classes); a hand-written phrase wins
    written = {ph.text for ph in out}
    out.extend(_mk(intent, without_classifiers(normalize(text)), fuzzy=False) for intent, text in class_phrases()
               if without_classifiers(normalize(text)) not in written)
    # everyday names of the commune's procedures and papers (kiosk/data/procedures.yaml)
    for proc in procedures():
        out.extend(_mk("open", without_classifiers(name), topic=proc["topic"], lesson=proc["lesson"])
                   for name in proc["names"])
    return tuple(out)


def lesson_phrases(lessons: Iterable) -> list[Phrase]:
    out = []
    for lesson in lessons or ():
        lid = getattr(lesson, "id", None)
        title = normalize(getattr(lesson, "title", "") or "")
        topic = getattr(lesson, "topic", None)
        if not lid or not title:
            continue
        out.append(_mk("open", title, topic=topic, lesson=lid))
        # the title without a leading verb a visitor may not repeat
        words = title.split()
        core = [w for w in words if w not in OPEN_WORDS and w not in FILLERS]
        if 2 <= len(core) < len(words):
            out.append(_mk("open", " ".join(core), topic=topic, lesson=lid))
        idwords = normalize(lid.replace("-", " "))
        if idwords and idwords != title:
            out.append(_mk("open", idwords, topic=topic, lesson=lid))
    return out

