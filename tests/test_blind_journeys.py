"""A blind visitor alone (issue 14, EN 301 549 §5.1): keypad-only journeys generated from the
content, from the welcome screen to the end of every lesson, practice copy, drill, the quiz and
the ticket, in audio mode, on the real app; and every spoken line through the lexicon."""

import json
import re
import time

import pytest

from conftest import ROOT, write_script
from kiosk.core.journeys import all_journeys
from kiosk.core.content.lessons import load_catalog
from kiosk.core.content.practice import book_of

SEED = "blind"  # KIOSK_PRACTICE_SEED: the made-up codes the journeys type
BATCHES = 3     # kiosk processes; the journeys of a batch follow each other in one window


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "lessons")


@pytest.fixture(scope="module")
def journeys(catalog):
    return all_journeys(catalog, SEED)


def test_a_keypad_journey_for_every_lesson_practice_drill_the_quiz_and_the_ticket(catalog, journeys):
    book = book_of(catalog)
    names = [j.name for j in journeys]
    assert len(journeys) == len(catalog.lessons) + len(book.practices) + len(book.drills) + 2
    assert {f"lesson {l.id}" for l in catalog.lessons} <= set(names)
    assert {f"practice {p.id}" for p in book.practices} | {f"drill {d.id}" for d in book.drills} <= set(names)
    assert any(n.startswith("quiz ") for n in names) and "ticket" in names
    for j in journeys:
        kinds = {next(iter(line)) for line in j.lines}
        assert kinds <= {"key", "spoken", "expect", "idle", "wait_for"}, j.name  # keypad only, no touch
        assert j.lines[:3] == [{"expect": "Xin chào"}, {"key": "R"}, {"spoken": "bấm phím 5"}]
        assert j.lines[3] == {"key": "5"} and j.lines[-1] == {"expect": "Xin chào"}
        assert {"spoken": "đúng không?"} in j.lines                  # leaving was asked first
        # every screen's key help: a numbered choice with "phím", or what Enter does
        helps = [l["spoken"] for l in j.lines if "spoken" in l]
        assert any(h.lower().startswith("phím ") for h in helps), j.name
    from kiosk.core.content.step_picture import describe
    for lesson in catalog.lessons:                             # every step's picture said in words
        j = next(j for j in journeys if j.name == f"lesson {lesson.id}")
        pictured = sum(1 for st in lesson.steps if describe(st.picture))
        assert j.lines.count({"spoken": "Hình minh họa:"}) == pictured, lesson.id
    ticket = next(j for j in journeys if j.name == "ticket")
    spoken = [l["spoken"] for l in ticket.lines if "spoken" in l]
    # the number digit by digit when made and again with R, who is before, and how to repeat it
    assert spoken.count("Số thứ tự của bạn là A, không, không, một.") == 2
    assert "Bạn là người tiếp theo" in spoken and {"key": "R"} in ticket.lines
    assert "Bấm phím R hoặc phím sao để nghe lại số của bạn" in spoken
    practice = [j for j in journeys if j.name.startswith("practice ")]
    assert all(sum("Tab" == l.get("key") or "Up" == l.get("key") for l in j.lines) >= 3 for j in practice)


def test_every_spoken_line_goes_through_the_lexicon_and_captions_keep_the_written_form(
        catalog, journeys, tmp_path, monkeypatch):
    from kiosk.core.content.lexicon import load, spoken_form
    from kiosk.core.visit.voice import screen_lines
    from kiosk.speech import tts
    lex = load()
    handed: list[str] = []

    def engine(self, name, safe, target, wpm):  # what would reach espeak-ng
        handed.append(safe)
        return "not rendered in this test"
    monkeypatch.setattr(tts.Speaker, "_render_with", engine)
    speaker = tts.Speaker(tmp_path / "cache", engine="espeak")
    lines = list(dict.fromkeys([s for j in journeys for s in j.said] + screen_lines(catalog)))
    assert len(lines) > 500
    written = [w for w in lex.words if any(c.isupper() or c in "-" for c in w)]
    for line in lines:
        handed.clear()
        with pytest.raises(tts.TTSError):
            speaker.render(line)
        assert handed == [spoken_form(tts.redact_for_speech(line)).strip()], line
        left = [w for w in written if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", handed[0])]
        assert not left and not re.search(r"\d|\.gov|\.vn\b", handed[0]), (line, handed[0])
    # abbreviations read as the plain words they stand for, which lessons also write out
    expansions = {lex.words[w] for w in ("CCCD", "BHYT") if w in lex.words}
    spoken_forms = [v for v in lex.spoken_values() if v not in expansions] + ["nghìn không trăm"]
    shown = list(dict.fromkeys([c for j in journeys for c in j.captions if c] + lines))
    for text in shown:
        bad = [s for s in spoken_forms if re.search(rf"(?<!\w){re.escape(s)}(?!\w)", text)]
        assert not bad, (bad, text)


@pytest.mark.gui
@pytest.mark.slow
@pytest.mark.parametrize("batch", range(BATCHES))
def test_keypad_only_journeys_pass_on_the_real_app(batch, journeys, kiosk, tmp_path):
    mine = journeys[batch::BATCHES]
    lines = [line for j in mine for line in j.lines]
    script = write_script(tmp_path / "blind.jsonl", lines)
    data = tmp_path / "data"
    started = time.monotonic()
    r = kiosk("replay", script, "--size", "small", data=data, env={"KIOSK_PRACTICE_SEED": SEED},
              timeout=1800)
    seconds = time.monotonic() - started
    assert r.returncode == 0, r.stderr[-4000:]
    assert f"replay: {len(lines)} lines held" in r.stdout
    report = json.loads(kiosk("report", "--json", data=data).stdout)
    assert report["sessions"] == len(mine) and report["modes"]["audio"] == len(mine)
    assert sum(report["end_reasons"].values()) == len(mine) and "timeout" not in report["end_reasons"]
    print(f"batch {batch}: {len(mine)} journeys, {len(lines)} lines, {seconds:.0f} s")
