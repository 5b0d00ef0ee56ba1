"""What each screen shows and says, computed from the flow's state (plain Python, no Kivy).

The Kivy layer draws a `View`; tests, the gallery and audio mode read the same `View`, so the
words on screen and the words spoken can never drift apart.
"""

from __future__ import annotations

from kiosk.core.content.catalog import TOPICS, Catalog
from kiosk.core.content.step_picture import describe
from kiosk.core.content.take_home import take_home_qr
from kiosk.core.screens import practice_views
from kiosk.core.screens.confirm import confirm_view, noted
from kiosk.core.screens.modes import adapt, compose, settings_view
from kiosk.core.screens.practice_views import finish_lines, lesson_extras, practice_hint, topic_extras
from kiosk.core.screens.paper import print_choice  # "In ra giấy": the checklist on the receipt printer
from kiosk.core.screens.queue_views import ticket_body, ticket_said, with_queue  # place, wait, strip, board
from kiosk.core.screens.view import (  # noqa: F401  (View, Choice, PRIORITY_LABELS: callers read them here)
    PRIORITY_LABELS, BAR_BACK, BAR_LARGE, BAR_REPEAT, BAR_STAFF, Choice, View, bar, spell_ticket,
)

TOPIC_ORDER = ("vneid", "dvc", "payment", "health", "safety", "internet")
TOPIC_SUMMARIES_UP_TO = 4  # choices a topic screen shows with their summaries (small screen, captions)


def view_for(state, catalog: Catalog) -> View:
    """The screen for `state`, as the visitor's modes show it (switches, focus, captions)."""
    return adapt(with_queue(_plain_view(state, catalog), state), state, catalog)


def _plain_view(state, catalog: Catalog) -> View:
    if state.warning:
        return _warning(state)
    if state.screen == "settings":
        return settings_view(state, catalog)
    builder = _BUILDERS.get(state.screen) or practice_views.BUILDERS[state.screen]
    return builder(state, catalog)


def line(state, catalog, config=None, written: bool = False) -> str:
    """The line the screen for `state` says (or, `written`, shows as a caption) in its modes."""
    return compose(view_for(state, catalog), state, catalog, config, written)


def _warning(state) -> View:
    return View(screen=state.screen, title="Bạn còn ở đó không?",
                body=("Nếu không ai chạm vào màn hình, máy sẽ xóa phiên làm việc này "
                      "để bảo vệ thông tin của bạn.",),
                choices=(Choice("Tôi vẫn đang dùng", "still_here", icon="start", key="enter",
                                primary=True),),
                spoken="Bạn còn ở đó không? Chạm nút Tôi vẫn đang dùng để tiếp tục.")


def spoken_line(state, catalog: Catalog) -> str:
    """The screen's line as written (the lexicon makes it spoken, before the engine)."""
    return view_for(state, catalog).spoken


def _welcome(state, catalog):
    return View(
        screen="welcome", title="Xin chào!",
        body=("Hướng dẫn từng bước thủ tục trên mạng và kỹ năng số. Hoàn toàn miễn phí.",),
        choices=(Choice("Bắt đầu", "start", icon="start", key="enter", primary=True),),
        bar=bar(BAR_REPEAT, BAR_LARGE, BAR_STAFF),
        spoken=("Xin chào. Máy này hướng dẫn bạn làm thủ tục hành chính trên mạng và học kỹ năng số, "
                "hoàn toàn miễn phí. Chạm nút Bắt đầu, hoặc nói: bắt đầu."
                + (WELCOME_HINT if not state.modes.audio else "")))


WELCOME_HINT = " Người khiếm thị: bấm phím 5 để máy đọc to và dùng bằng bàn phím."


def _home(state, catalog):
    topics = [t for t in TOPIC_ORDER if catalog.by_topic(t)]
    choices = tuple(Choice(TOPICS[t], "topic", t, icon=t, key=str(i + 1))
                    for i, t in enumerate(topics))
    names = ", ".join(f"số {i + 1}, {TOPICS[t]}" for i, t in enumerate(topics))
    return View(screen="home", title="Bạn muốn làm gì?", layout="tiles",
                body=("Chạm vào một mục.",), choices=choices,
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=f"Bạn muốn làm gì? Chạm vào một mục: {names}.")


def _topic(state, catalog):
    lessons = catalog.by_topic(state.topic)[:9]
    extras = topic_extras(state, catalog, first_key=len(lessons) + 1)
    # The list does not scroll: past a few choices, titles only (and past a few more, no
    # "Chọn một bài."), so that every lesson of a busy topic stays on the screen in every size and mode.
    n = len(lessons) + len(extras)
    crowded = n > TOPIC_SUMMARIES_UP_TO
    choices = tuple(Choice(l.title, "lesson", l.id, icon=l.topic, key=str(i + 1),
                           detail=None if crowded else l.summary)
                    for i, l in enumerate(lessons)) + extras
    names = ". ".join(f"Số {i + 1}: {c.label}" for i, c in enumerate(choices))
    label = TOPICS.get(state.topic, state.topic or "")
    body = () if n > TOPIC_SUMMARIES_UP_TO + 1 else ("Chọn một bài.",)
    return View(screen="topic", title=label, body=body, choices=choices,
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=f"Mục {label}. Có {len(choices)} bài. {names}.")


def intro_outline(lesson) -> tuple[str, ...]:
    """The intro's list of every step by name, as GOV.UK's step-by-step pages show the whole
    way before the first step. A one-step lesson has no list: its intro keeps all its room."""
    if len(lesson.steps) < 2:
        return ()
    return ("Các bước:",) + tuple(f"{n}. {s.title}" for n, s in enumerate(lesson.steps, start=1))


def _intro(state, catalog):
    lesson = catalog.get(state.lesson)
    bring = lesson.bring or ("Không cần mang gì.",)
    body = ("Cần chuẩn bị:",) + tuple(f"• {b}" for b in bring) + (f"Thời gian: {lesson.time_needed}.",)
    return View(screen="intro", title=lesson.title, body=body, outline=intro_outline(lesson),
                choices=(Choice("Bắt đầu", "begin", icon="start", key="enter", primary=True),)
                + lesson_extras(state, catalog, first_key=1),
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=(f"{lesson.title}. {lesson.summary} Cần chuẩn bị: {'; '.join(bring)}. "
                        f"Thời gian: {lesson.time_needed}. Có {len(lesson.steps)} bước. "
                        "Chạm Bắt đầu khi bạn sẵn sàng."
                        + practice_hint(state, catalog)))


def _step(state, catalog):
    lesson = catalog.get(state.lesson)
    step = lesson.steps[state.step]
    n, total = state.step + 1, len(lesson.steps)
    last = n == total
    said = ("Nội dung bước này chỉ hiện trên màn hình, máy không đọc to." if step.sensitive
            else step.spoken)
    if state.modes.audio and step.picture is not None:  # Nghe đọc: the picture said in words
        said = f"{said} {describe(step.picture)}"
    return View(screen="step", title=step.title, progress=f"Bước {n}/{total}", body=(step.text,),
                image=step.image, picture=step.picture,
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF,
                         forward=("Xong", "done") if last else ("Tiếp", "next")),
                spoken=f"Bước {n} trên {total}. {step.title}. {said}")


def _finish(state, catalog):
    lesson = catalog.get(state.lesson)
    qr = take_home_qr(lesson)
    extras = lesson_extras(state, catalog, first_key=3)
    extras += print_choice(state, lesson, key=str(3 + len(extras)))
    return View(screen="finish", title="Bạn đã làm xong!",
                body=(f"Bài: {lesson.title}.",) + finish_lines(state, catalog),
                qr_text=qr,
                picture_note="Quét mã QR để mở trang chính thức trên điện thoại." if qr else None,
                choices=(Choice("Học bài khác", "more", icon="home", key="1"),
                         Choice("Về trang đầu", "exit", icon="exit", key="2", primary=True))
                + extras + _next_lesson(lesson, catalog, first_key=3 + len(extras)),
                bar=bar(BAR_BACK, BAR_REPEAT, BAR_LARGE, BAR_STAFF),
                spoken=(f"Chúc mừng, bạn đã làm xong bài {lesson.title}. "
                        + ("Quét mã QR để mở trang chính thức trên điện thoại. " if qr else "")
                        + "Chạm Về trang đầu khi xong."
                        + "".join(f" Hoặc chạm Bài tiếp theo để học bài {c.detail}."
                                  for c in _next_lesson(lesson, catalog, 0))
                        + practice_hint(state, catalog)))


def _next_lesson(lesson, catalog, first_key: int) -> tuple[Choice, ...]:
    """The lesson that naturally comes next (the lesson's `next:`), when the kiosk has it."""
    after = catalog.get(lesson.next) if lesson.next else None
    if after is None:
        return ()
    return (Choice("Bài tiếp theo", "lesson", after.id, icon=after.topic, key=str(first_key),
                   detail=after.title),)


def _ticket(state, catalog):
    if state.ticket is None and getattr(state, "ticket_failed", False):
        return _to_counter()
    if state.ticket is None:
        return View(screen="ticket", title="Đang lấy số thứ tự…", body=("Vui lòng chờ.",),
                    bar=bar(BAR_REPEAT, BAR_LARGE), spoken="Đang lấy số thứ tự. Vui lòng chờ.")
    choices = (Choice("Quay lại bài", "resume", icon="back", key="1"),
               Choice("Về trang đầu", "exit", icon="exit", key="2"))
    called_to = getattr(state, "called_to", None)
    if called_to is not None:
        return View(screen="ticket", title=f"Mời số {state.ticket} đến quầy {called_to}",
                    big=state.ticket, body=(f"Nhân viên đang chờ bạn ở quầy {called_to}.",),
                    choices=choices, bar=bar(BAR_REPEAT, BAR_LARGE), layout="row",
                    spoken=(f"Mời số {spell_ticket(state.ticket)} đến quầy {called_to}. "
                            f"Nhân viên đang chờ bạn ở quầy {called_to}."))
    priority = getattr(state, "priority", None)
    options = tuple(Choice(label, "priority", group, key=str(i + 3), primary=priority == group)
                    for i, (group, label) in enumerate(PRIORITY_LABELS.items()))
    if priority:
        note = "Đã ghi nhận ưu tiên:"  # the chosen button is highlighted; tap it again to undo
        said = (f" Đã ghi nhận ưu tiên: {PRIORITY_LABELS[priority].lower()}. "
                "Nếu chọn nhầm, chạm lại nút đó.")
    else:
        note = "Ưu tiên (không bắt buộc):"
        said = (" Nếu bạn là người cao tuổi, người khuyết tật hoặc phụ nữ mang thai, "
                "chạm nút tương ứng để được ưu tiên.")
    return View(screen="ticket", title="Số thứ tự của bạn", big=state.ticket,
                body=ticket_body(state), options_label=note,
                choices=choices, options=options, layout="row",
                bar=bar(BAR_REPEAT, BAR_LARGE),
                spoken=f"{ticket_said(state)}{said}")


TO_COUNTER_TITLE = "Mời bạn đến quầy tiếp nhận"
TO_COUNTER_BODY = "Máy chưa lấy được số thứ tự. Nhân viên ở quầy sẽ giúp bạn ngay."


def _to_counter():
    """The log cannot record a ticket: no number (the staff could never see it), go to the counter."""
    choices = (Choice("Quay lại bài", "resume", icon="back", key="1"),
               Choice("Về trang đầu", "exit", icon="exit", key="2"))
    return View(screen="ticket", title=TO_COUNTER_TITLE, body=(TO_COUNTER_BODY,), choices=choices,
                layout="row", bar=bar(BAR_REPEAT, BAR_LARGE),
                spoken=f"{TO_COUNTER_TITLE}. {TO_COUNTER_BODY}")


_BUILDERS = {"welcome": _welcome, "home": _home, "topic": _topic, "intro": _intro,
             "step": _step, "finish": _finish, "ticket": _ticket}


# Voice: the "Đúng không?" screen, and the "not understood" note on any screen.
_BUILDERS = {name: noted(build) for name, build in {**_BUILDERS, "confirm": confirm_view}.items()}
