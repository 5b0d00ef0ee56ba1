"""Replay journeys through the practice copies, the scam drills and a quiz, built from content.

Tests and the screenshot gallery use these: the script is derived from the YAML files, so when
an editor changes wording or order the journeys follow. Each journey also makes one mistake on
purpose and checks that the gentle correction appears before doing the right thing.
The made-up codes are predictable only when the kiosk runs with KIOSK_PRACTICE_SEED set to the
same `seed` (see practice_flow.SEED_ENV).
"""

from __future__ import annotations

import random

from kiosk.core.content.lessons import TOPICS, Catalog
from kiosk.core.content.practice import book_of, fill, made_up_codes


def codes_for(practice_id: str, seed: str) -> dict[str, str]:
    return made_up_codes(random.Random(f"{seed}:{practice_id}"))


def _first_words(text: str, n: int = 6) -> str:
    return " ".join(text.split()[:n])


def to_lesson(catalog: Catalog, lesson_id: str) -> list[dict]:
    lesson = catalog.get(lesson_id)
    return [{"tap": "Bắt đầu"}, {"tap": TOPICS[lesson.topic]}, {"tap": lesson.title},
            {"expect": "Cần chuẩn bị"}]


def practice_journey(catalog: Catalog, practice_id: str, seed: str, wrong_at=(0,),
                     shots: dict | None = None) -> list[dict]:
    """From a lesson's intro screen: the whole practice, with a mistake at the given steps.

    `shots` maps a step index to a screenshot name taken when that step is showing
    (key "wrong:N" for the correction at step N, "done" for the last screen).
    """
    p = book_of(catalog).practice(practice_id)
    codes = codes_for(practice_id, seed)
    shots = shots or {}
    n = len(p.steps)
    lines: list[dict] = [{"tap": "Thử làm"}, {"expect": "Bản tập – không phải thật"}]
    for i, step in enumerate(p.steps):
        screen = p.screens[step.screen]
        lines.append({"expect": f"Bước {i + 1}/{n}"})
        if i in shots:
            lines.append({"screenshot": shots[i]})
        exp = step.expect
        if i in wrong_at:
            if exp.tap:
                others = [t for t in screen.tap_ids() if t != exp.tap]
                other = next((t for t in others if t in dict(step.wrong)), others[0] if others else None)
                if other is not None:
                    lines.append({"tap": fill(screen.label_of(other), codes)})
                    lines.append({"expect": _first_words(fill(step.correction_for(other), codes))})
            else:
                wrong = "9" if fill(exp.value, codes)[:1] != "9" else "8"
                lines += [{"tap": wrong}, {"tap": fill(screen.label_of(exp.submit), codes)},
                          {"expect": _first_words(fill(step.correct, codes))}]
            lines.append({"expect": f"Bước {i + 1}/{n}"})
            if f"wrong:{i}" in shots:
                lines.append({"screenshot": shots[f"wrong:{i}"]})
        if exp.tap:
            lines.append({"tap": fill(screen.label_of(exp.tap), codes)})
        else:
            lines += [{"tap": d} for d in fill(exp.value, codes)]
            if f"typed:{i}" in shots:
                lines.append({"screenshot": shots[f"typed:{i}"]})
            lines.append({"tap": fill(screen.label_of(exp.submit), codes)})
        lines.append({"expect": _first_words(fill(step.praise, codes))})
    lines.append({"expect": "Bạn đã làm xong bản tập"})
    if "done" in shots:
        lines.append({"screenshot": shots["done"]})
    return lines


def drills_journey(catalog: Catalog, shots: dict | None = None) -> list[dict]:
    """From the home screen: every drill in order, first a wrong answer, then the right one."""
    shots = shots or {}
    drills = book_of(catalog).drills
    lines: list[dict] = [{"tap": TOPICS["safety"]}, {"tap": "Nhận biết lừa đảo"},
                         {"expect": "Chạm vào một tình huống"}]
    if "list" in shots:
        lines.append({"screenshot": shots["list"]})
    lines.append({"tap": drills[0].title})
    for i, d in enumerate(drills):
        lines += [{"expect": f"Tình huống {i + 1}/{len(drills)}"}, {"expect": _first_words(d.messages[0], 5)},
                  {"expect": "Bài tập nhận biết lừa đảo"}]
        if f"drill:{i}" in shots:
            lines.append({"screenshot": shots[f"drill:{i}"]})
        wrong = next(c for c in d.choices if not c.right)
        right = next(c for c in d.choices if c.right)
        lines += [{"tap": wrong.text}, {"expect": "Chưa an toàn"}, {"expect": _first_words(wrong.why)}]
        if f"wrong:{i}" in shots:
            lines.append({"screenshot": shots[f"wrong:{i}"]})
        lines += [{"tap": right.text}, {"expect": "Đúng rồi!"}, {"expect": _first_words(right.why)}]
        if f"right:{i}" in shots:
            lines.append({"screenshot": shots[f"right:{i}"]})
        lines.append({"tap": "Tình huống tiếp theo" if i + 1 < len(drills) else "Về danh sách"})
    lines.append({"expect": "đã làm đúng"})
    return lines


def quiz_journey(catalog: Catalog, lesson_id: str, shots: dict | None = None) -> list[dict]:
    """From a lesson's intro: all steps, then the quiz with the first answer wrong."""
    shots = shots or {}
    lesson = catalog.get(lesson_id)
    lines: list[dict] = [{"tap": "Bắt đầu"}]
    n = len(lesson.steps)
    for i in range(n):
        lines += [{"expect": f"Bước {i + 1}/{n}"}, {"tap": "Xong" if i + 1 == n else "Tiếp"}]
    total = len(lesson.quiz)
    for i, q in enumerate(lesson.quiz):
        lines.append({"expect": f"Câu {i + 1}/{total}"})
        if f"question:{i}" in shots:
            lines.append({"screenshot": shots[f"question:{i}"]})
        if i == 0:
            wrong = next(j for j in range(len(q.choices)) if j + 1 != q.answer)
            lines += [{"tap": q.choices[wrong]}, {"expect": "Chưa đúng. Câu đúng là"}]
        else:
            lines += [{"tap": q.choices[q.answer - 1]}, {"expect": "Đúng rồi!"}]
        lines.append({"expect": _first_words(q.why)})
        if f"answer:{i}" in shots:
            lines.append({"screenshot": shots[f"answer:{i}"]})
        lines.append({"tap": "Xong" if i + 1 == total else "Tiếp"})
    lines += [{"expect": "Bạn đã làm xong!"}, {"expect": f"Kiểm tra nhanh: đúng {total - 1}/{total} câu"}]
    if "finish" in shots:
        lines.append({"screenshot": shots["finish"]})
    return lines


def demo_steps(catalog: Catalog) -> list[tuple[str, str]]:
    """For `kiosk run --demo`: a practice copy, a drill and a quiz, once each (starts at welcome)."""
    book = book_of(catalog)
    steps: list[tuple[str, str]] = []
    if book.practices:
        p = book.practices[0]
        lesson = catalog.get(p.lessons[0])
        first = p.steps[0]
        steps += [("tap", "Bắt đầu"), ("tap", TOPICS[lesson.topic]), ("tap", lesson.title),
                  ("tap", "Thử làm"), ("expect", "Bản tập")]
        if first.expect.tap:
            steps.append(("tap", p.screens[first.screen].label_of(first.expect.tap)))
        steps += [("tap", "Gọi nhân viên"), ("expect", "Số thứ tự"), ("tap", "Về trang đầu")]
    if book.drills:
        d = book.drills[0]
        right = next(c for c in d.choices if c.right)
        steps += [("tap", "Bắt đầu"), ("tap", TOPICS["safety"]), ("tap", "Nhận biết lừa đảo"),
                  ("tap", d.title), ("tap", right.text), ("expect", "Đúng rồi"), ("tap", "Quay lại"),
                  ("tap", "Quay lại")]
        quizzed = next((l for l in catalog.by_topic("safety") if l.quiz), None)
        if quizzed:
            steps += [("tap", quizzed.title), ("tap", "Bắt đầu")]
            steps += [("tap", "Tiếp")] * (len(quizzed.steps) - 1) + [("tap", "Xong")]
            q = quizzed.quiz[0]
            steps += [("tap", q.choices[q.answer - 1]), ("expect", "Đúng rồi")]
        steps += [("tap", "Gọi nhân viên"), ("expect", "Số thứ tự"), ("tap", "Về trang đầu")]
    return steps
