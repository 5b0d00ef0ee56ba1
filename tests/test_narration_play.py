"""Recorded narration played: the parts of a line and who says them, a spliced queue call
checked by transcribing it, and a replay of the test lesson playing the real clips."""

import sqlite3

import numpy as np
import pytest
import soundfile as sf

from conftest import kiosk_cmd, need_module, need_tool, write_script
from narration_helpers import LINE_OF, NARRATION_LESSONS, real_clips

CALL = "Mời số A, không, một, hai đến quầy 1."
#: no real recording of the queue call's words exists: the six real clips stand in for its
#: pieces, so that the joins are heard through the recognizer on real speech
STAND_IN = {"piece.moi-so": 1, "letter.a": 2, "num.0": 3, "num.1": 4, "num.2": 5,
            "piece.den-quay": 6}


def catalog():
    from kiosk.core.content.lessons import load_catalog
    return load_catalog(NARRATION_LESSONS)


def keep(store, line, clip, status="accepted"):
    from kiosk.narration.process import process
    store.put(line, process(clip).samples, status, how="test")


class NoVoice:
    """Unit tests of the plan: a part that reaches the synthetic voice is an error here."""
    voice = "none"

    def render(self, text, rate="normal"):
        raise AssertionError(f"synthetic voice asked for {text!r}")


def narrator(data, speaker=None):
    from kiosk.narration.mix import Narrator
    cat = catalog()
    return Narrator(data, speaker or NoVoice(), lambda: cat)


def test_a_missing_piece_makes_the_whole_sentence_synthetic(tmp_path):
    n = narrator(tmp_path)
    lines = {l.id: l for l in n.lines()}
    clips = real_clips()
    for piece, clip in STAND_IN.items():
        if piece != "num.2":
            keep(n.store, lines[piece], clips[clip])
    (part,) = n.plan(CALL)
    assert part.voice == "synthetic" and part.part.pieces[-3] == "num.2"
    keep(n.store, lines["num.2"], clips[5])
    (part,) = n.plan(CALL)
    assert part.voice == "human" and len(part.files) == 7


def test_flagged_and_stale_recordings_are_not_played(tmp_path):
    from dataclasses import replace
    n = narrator(tmp_path)
    line = n.line(LINE_OF[3])
    keep(n.store, line, real_clips()[3], status="flagged")
    assert n.store.playable(line) is None
    n.store.set_status(line.id, "accepted")
    assert n.store.playable(line) is not None
    assert n.store.playable(replace(line, text=line.text + " Thêm chữ.")) is None  # stale


@pytest.mark.vietasr
def test_a_spliced_queue_call_is_heard_piece_by_piece(tmp_path, vietasr_rec):
    from kiosk.narration.match import word_error_rate
    from kiosk.narration.mix import read_samples
    from kiosk.narration.process import PLAY_RATE
    n = narrator(tmp_path)
    lines = {l.id: l for l in n.lines()}
    clips = real_clips()
    for piece, clip in STAND_IN.items():
        keep(n.store, lines[piece], clips[clip])
    plan = n.plan(CALL)
    wav = n.render(plan)
    heard = vietasr_rec.transcribe(read_samples(wav), PLAY_RATE).text
    order = [STAND_IN[p] for p in plan[0].part.pieces]        # 1 2 3 4 5 6 4
    said = " ".join((clips[c].with_suffix(".txt")).read_text("utf-8") for c in order)
    wer = word_error_rate(said, heard)
    assert wer < 0.3, (wer, heard)   # each piece heard, in order, through the cross-fades


@pytest.mark.gui
@pytest.mark.slow
def test_a_replay_of_the_lesson_plays_the_recordings(tmp_path):
    need_tool("espeak-ng")  # the step count and the titles are still synthetic
    data = tmp_path / "data"
    from kiosk.narration.store import NarrationStore
    store, clips = NarrationStore(data), real_clips()
    lines = {l.id: l for l in narrator(data).lines()}
    for k in (1, 2):
        keep(store, lines[LINE_OF[k]], clips[k])
    script = write_script(tmp_path / "r.jsonl", [
        {"tap": "Bắt đầu"}, {"tap": "Internet"}, {"tap": "Thử giọng đọc"}, {"tap": "Bắt đầu"},
        {"expect": "Bước 1/6"}, {"tap": "Nghe lại"}, {"wait_for_voice": "playing"},
        {"tap": "Tiếp"}, {"expect": "Bước 2/6"}, {"tap": "Nghe lại"}, {"wait_for_voice": "playing"},
        {"tap": "Tiếp"}, {"expect": "Bước 3/6"}, {"tap": "Nghe lại"}, {"wait_for_voice": "playing"}])
    r = kiosk_cmd("-v", "replay", script, "--lessons", NARRATION_LESSONS, data=data, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    plays = [l for l in r.stderr.splitlines() if "speech: playing" in l and "Bước" in l]
    assert len(plays) == 3, plays
    assert "(mixed" in plays[0] and "(mixed" in plays[1]   # a person's voice, synthetic count/title
    assert "mix-" not in plays[2] and "(mixed" not in plays[2]  # step 3 has no recording
    # what was played ends with the processed clip itself
    for k, line in zip((1, 2), plays):
        name = line.split("speech: playing ", 1)[1].split(" ", 1)[0]
        played, _ = sf.read(str(data / "narration-cache" / name), dtype="int16")
        clip, _ = sf.read(str(data / "narration" / f"{LINE_OF[k]}.wav"), dtype="int16")
        assert np.array_equal(played[-len(clip):], clip)
    con = sqlite3.connect(data / "narration" / "heard.sqlite3")
    rows = set(con.execute("SELECT line, voice FROM heard"))
    assert {(LINE_OF[1], "human"), (LINE_OF[2], "human"), (LINE_OF[3], "synthetic")} <= rows
    assert ("num.6", "synthetic") in rows   # "trên 6": no piece recorded, said by espeak-ng


@pytest.mark.slow
def test_warming_the_cache_makes_the_played_files_of_recorded_lines(tmp_path):
    need_tool("espeak-ng")
    data = tmp_path / "data"
    n = narrator(data)
    keep(n.store, n.line(LINE_OF[1]), real_clips()[1])
    r = kiosk_cmd("say", "--warm", "--lessons", NARRATION_LESSONS, "--rates", "normal",
                  "--data", data, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "0 failed" in r.stdout and " 0 with recorded narration" not in r.stdout
    from kiosk.core.visit import flow as f
    from kiosk.core.screens.views import spoken_line
    from kiosk.speech.tts import Speaker
    step1 = spoken_line(f.State(screen="step", active=True, topic="internet",
                                lesson="thu-giong-doc", step=0), catalog())
    played = narrator(data, Speaker(data / "tts-cache"))
    before = set((data / "narration-cache").glob("mix-*.wav"))
    assert played.render(played.plan(step1)) in before   # already made: nothing to wait for
