"""Recorded narration: the line catalogue, the processing of a recording, and the real clips
through import, matching, flagging and `kiosk say --line` (real viet-asr, real files)."""

import json
import random
import shutil

import numpy as np
import pytest
import soundfile as sf

from conftest import ROOT, kiosk_cmd, need_module
from kiosk.core.content.lexicon import word_forms
from narration_helpers import LINE_OF, NARRATION_LESSONS, encode, real_clips

LESSONS = ROOT / "lessons"


# --- the catalogue --------------------------------------------------------------------------

def test_every_line_has_a_unique_safe_id_and_its_spoken_text():
    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration.catalogue import SAFE_ID, lines
    catalog = load_catalog(LESSONS)
    ls = lines(catalog)
    ids = [l.id for l in ls]
    assert len(ids) == len(set(ids)) and all(SAFE_ID.match(i) for i in ids)
    by = {l.id: l for l in ls}
    lesson = catalog.get("vneid-muc-2")
    assert by["lesson.vneid-muc-2.step.1"].written == " ".join(lesson.steps[0].spoken.split())
    assert "VNeID" not in by["topic.vneid"].text and "Vê nê ai đi" in by["topic.vneid"].text
    assert ("VNeID", "Vê nê ai đi") in by["topic.vneid"].abbreviations
    for needed in ("screen.welcome", "idle.warning", "notice.voice-off", "ticket.wait",
                   "piece.moi-so", "num.12", "letter.a"):
        assert needed in by


def test_a_step_line_is_split_into_its_lines_and_a_spliced_count():
    from kiosk.core.visit import flow as f
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.screens.views import spoken_line
    from kiosk.narration.catalogue import lines
    from kiosk.narration.split import split
    catalog = load_catalog(NARRATION_LESSONS)
    state = f.State(screen="step", active=True, topic="internet", lesson="thu-giong-doc", step=2)
    parts = split(spoken_line(state, catalog), lines(catalog))
    assert [p.kind for p in parts] == ["spliced", "line", "line"]
    assert parts[0].pieces == ("piece.buoc", "num.3", "piece.tren", "num.6")
    assert [p.id for p in parts[1:]] == ["lesson.thu-giong-doc.step.3.title", LINE_OF[3]]


def test_the_queue_call_is_spliced_from_pieces_and_a_number_too_big_is_not():
    from kiosk.narration.split import spliced
    assert spliced("Mời số A, không, một, hai đến quầy 3.") == (
        "piece.moi-so", "letter.a", "num.0", "num.1", "num.2", "piece.den-quay", "num.3")
    assert spliced("Âm lượng 7 trên 10.") == ("piece.am-luong", "num.7", "piece.tren", "num.10")
    assert spliced("Kiểm tra nhanh, câu 2 trên 3.") == ("piece.kiem-tra-cau", "num.2", "piece.tren",
                                                        "num.3")
    assert spliced("Bước 3 trên 23.") is None      # no piece for 23: the sentence is synthetic
    assert spliced("Mời bạn đến quầy.") is None


def test_every_sentence_of_every_screen_in_normal_mode_has_a_line_or_is_spliced():
    """Every screen the gallery draws (normal mode), quiz and drill answers, and the ticket's
    place and wait: each sentence is a catalogue line or spliced from pieces, so a person's
    recording can say it. Left synthetic: the settings screen's list of switches (on or off)."""
    from dataclasses import replace
    from kiosk.core.content.lessons import load_catalog
    from kiosk.core.data.queue_wait import Place
    from kiosk.core.screens.views import line
    from kiosk.core.visit import flow as f
    from kiosk.narration.catalogue import lines
    from kiosk.narration.split import split
    from kiosk.ui.gallery_jobs import screens_for, state_for
    catalog = load_catalog(LESSONS)
    known, flow = lines(catalog), f.Flow(catalog)

    def states():
        for spec in screens_for(catalog):
            state = state_for({"mode": "normal", **spec}, catalog)
            yield state
            for k in range(4) if spec["screen"] in ("quiz", "drill") else ():
                answered, _ = flow.act(state, f.Tap(f"{spec['screen']}_answer", str(k)))
                if getattr(answered.activity, "chosen", None) == k:
                    yield answered
            if spec["id"] == "ticket":
                for place in (Place("A012", 3, 15), Place("A012", 0, None), Place("A012", 12, 75),
                              Place("A012", 4, 120, "elderly")):
                    yield replace(state, place=place)
                yield replace(state, called_to=2)

    left, seen = set(), 0
    for state in states():
        for part in split(" ".join(word_forms(line(state, catalog)).split()), known):
            seen += 1
            if part.kind == "synthetic":
                left.add((state.screen, part.text))
    assert seen > 1000
    assert {s for s, _ in left} <= {"settings"}, sorted(left)[:10]
    assert len(left) == 1 and next(iter(left))[1].startswith("Chạm để bật hoặc tắt")


def test_wait_times_and_the_ticket_story_are_spliced():
    from kiosk.narration.split import spliced
    assert spliced("Trước bạn còn 3 người, khoảng 15 phút.") == (
        "piece.truoc-ban-con", "num.3", "piece.nguoi-khoang", "num.15", "piece.phut")
    assert spliced("Trước bạn còn 12 người, khoảng 1 giờ 15 phút.")[-4:] == (
        "num.1", "piece.gio", "num.15", "piece.phut")
    assert spliced("Trước bạn còn 2 người.") == ("piece.truoc-ban-con", "num.2", "piece.nguoi")
    assert spliced("Khi nghe gọi số B, không, không, chín, mời bạn đến quầy được gọi.") == (
        "piece.khi-nghe-goi-so", "letter.b", "num.0", "num.0", "num.9",
        "piece.moi-ban-den-quay-duoc-goi")
    assert spliced("Trước bạn còn 23 người, khoảng 2 giờ.") is None   # no piece for 23


# --- processing -------------------------------------------------------------------------------

def test_a_real_clip_is_trimmed_normalised_and_resampled(tmp_path):
    need_module("pyloudnorm")
    from kiosk.narration.process import PLAY_RATE, TARGET_LUFS, loudness, process
    clip = real_clips()[1]
    x, rate = sf.read(str(clip), dtype="float32")
    padded = tmp_path / "padded.wav"  # a phone recording: a second of room noise each side
    noise = (np.random.default_rng(1).standard_normal(rate) * 0.002).astype(np.float32)
    sf.write(str(padded), np.concatenate([noise, x * 0.3, noise]), rate)
    p = process(padded)
    assert len(x) / rate - 0.4 < p.seconds < len(x) / rate + 0.4   # the silence is gone
    assert p.samples.dtype == np.int16
    assert abs(loudness(p.samples.astype(np.float32) / 32768, PLAY_RATE) - TARGET_LUFS) < 1.0
    assert PLAY_RATE == 22050


def test_clipping_silence_and_junk_are_refused(tmp_path):
    from kiosk.narration.process import Refused, process
    x, rate = sf.read(str(real_clips()[2]), dtype="float32")
    sf.write(str(tmp_path / "hot.wav"), np.clip(x * 30, -1, 1), rate)
    sf.write(str(tmp_path / "quiet.wav"), np.zeros(rate * 2, dtype=np.float32), rate)
    (tmp_path / "junk.m4a").write_bytes(b"not a sound file at all" * 100)
    for name, why in (("hot.wav", "clipped"), ("quiet.wav", "no speech"),
                      ("junk.m4a", "not a readable sound file")):
        with pytest.raises(Refused, match=why):
            process(tmp_path / name)


# --- the real clips end to end ----------------------------------------------------------------

def narration(*args, data):
    return kiosk_cmd("narration", *args, "--lessons", NARRATION_LESSONS, "--data", data,
                     timeout=600)


@pytest.mark.slow
@pytest.mark.vietasr
def test_real_clips_under_shuffled_names_are_matched_flagged_and_played(tmp_path):
    need_module("vietasr", "pip install --pre viet-asr")
    clips = real_clips()
    data, drop = tmp_path / "data", tmp_path / "phone"
    drop.mkdir()
    names = [f"ghi-am-{i}" for i in range(6)]
    random.Random(15).shuffle(names)
    formats = [".mp3", ".m4a", ".ogg", ".wav", ".m4a", ".mp3"]
    sent = {}
    for n, name, suffix in zip(clips, names, formats):
        sent[name + suffix] = n
        encode(clips[n], drop / f"{name}{suffix}")
    r = narration("import", drop, "--accept", "--json", data=data)
    assert r.returncode == 0, r.stderr[-2000:]
    got = {o["file"]: o for o in map(json.loads, r.stdout.splitlines())}
    assert set(got) == set(sent)
    for file, n in sent.items():
        assert got[file]["id"] == LINE_OF[n], got[file]
        assert got[file]["status"] == "accepted" and got[file]["score"] <= 0.4

    # clip 2 sent as the recording of line 5: flagged, kept, not played
    wrong = tmp_path / "wrong"
    wrong.mkdir()
    shutil.copyfile(clips[2], wrong / f"{LINE_OF[5]}.wav")
    r = narration("import", wrong, "--json", data=data)
    (o,) = map(json.loads, r.stdout.splitlines())
    assert (o["id"], o["status"]) == (LINE_OF[5], "flagged") and o["score"] > 0.4
    s = json.loads(narration("status", "--json", data=data).stdout)
    assert (s["recorded"], s["flagged"], s["stale"]) == (5, 1, 0)

    # `kiosk say --line` writes the processed clip itself; a flagged line is synthetic
    out = tmp_path / "line1.wav"
    r = kiosk_cmd("say", "--line", LINE_OF[1], "-o", out, "--lessons", NARRATION_LESSONS,
                  "--data", data)
    assert r.returncode == 0 and "human voice" in r.stdout, r.stderr
    assert out.read_bytes() == (data / "narration" / f"{LINE_OF[1]}.wav").read_bytes()
    r = kiosk_cmd("say", "--line", LINE_OF[5], "-o", tmp_path / "l5.wav", "--lessons",
                  NARRATION_LESSONS, "--data", data)
    assert r.returncode == 0 and "synthetic voice" in r.stdout, r.stderr

    # the text of line 4 changes: its recording is stale and no longer played
    changed = tmp_path / "lessons"
    shutil.copytree(NARRATION_LESSONS, changed)
    f = changed / "thu-giong-doc.yaml"
    f.write_text(f.read_text("utf-8").replace("ném vào bãi cỏ", "ném ra bãi cỏ"), "utf-8")
    r = kiosk_cmd("narration", "status", "--json", "--lessons", changed, "--data", data)
    assert json.loads(r.stdout)["stale"] == 1
    r = kiosk_cmd("say", "--line", LINE_OF[4], "-o", tmp_path / "l4.wav", "--lessons", changed,
                  "--data", data)
    assert "synthetic voice" in r.stdout, r.stderr


# --- import logic, script (a stand-in transcriber: the unit logic, not the recognizer) ---------

def test_zip_import_named_flagged_matched_and_refused(tmp_path):
    import zipfile
    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration.catalogue import lines
    from kiosk.narration.importer import import_recordings
    from kiosk.narration.store import NarrationStore
    ls = lines(load_catalog(NARRATION_LESSONS))
    text = {l.id: l.text for l in ls}
    clips = real_clips()
    heard = {}  # what the stand-in recognizer "hears" in each clip, by its length

    def transcribe(samples, rate):
        return heard[len(samples) // 2205]
    from kiosk.narration.process import process
    for n, says in ((1, text[LINE_OF[1]]), (2, "một câu hoàn toàn khác hẳn"), (3, text[LINE_OF[3]])):
        heard[len(process(clips[n]).samples) // 2205] = says
    archive = tmp_path / "phone.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(clips[1], f"../../evil/{LINE_OF[1]}.wav")   # a path in the archive is ignored
        z.write(clips[2], f"{LINE_OF[2]}.wav")              # named, but it says something else
        z.write(clips[3], "IMG_0042.wav")                   # unnamed: matched by its words
        z.writestr("notes.wav", b"RIFF junk")               # not a sound
        z.writestr("readme.txt", "not audio")               # not even tried
    store = NarrationStore(tmp_path / "data")
    got = {r["file"]: r for r in import_recordings(archive, store, ls, transcribe)}
    assert set(got) == {f"{LINE_OF[1]}.wav", f"{LINE_OF[2]}.wav", "IMG_0042.wav", "notes.wav"}
    assert got[f"{LINE_OF[1]}.wav"]["status"] == "accepted"
    assert got[f"{LINE_OF[2]}.wav"]["status"] == "flagged"
    assert (got["IMG_0042.wav"]["id"], got["IMG_0042.wav"]["status"]) == (LINE_OF[3], "to_confirm")
    assert got["notes.wav"]["status"] == "refused" and got["notes.wav"]["reason"]
    assert not (tmp_path / "evil").exists()
    states = {i: store.state_of(l, store.entries().get(i)) for i, l in ((l.id, l) for l in ls)}
    assert [states[LINE_OF[k]] for k in (1, 2, 3, 4)] == ["recorded", "flagged", "to_confirm", "none"]


def test_the_script_puts_the_most_heard_first_and_spells_abbreviations(tmp_path):
    from kiosk.core.content.lessons import load_catalog
    from kiosk.narration import script
    from kiosk.narration.catalogue import lines
    from kiosk.narration.store import NarrationStore
    ls = lines(load_catalog(NARRATION_LESSONS))
    store = NarrationStore(tmp_path)
    store.note_heard([(LINE_OF[5], "synthetic", 10)] * 3 + [(LINE_OF[2], "synthetic", 10)])
    rows = script.rows(ls, store)
    assert rows[0]["group"] == "thu-giong-doc" and [r["id"] for r in rows[:2]] == [LINE_OF[5], LINE_OF[2]]
    html = script.to_html(rows)
    assert html.index(LINE_OF[5]) < html.index(LINE_OF[2]) < html.index("Câu chung của kiosk")
    r = kiosk_cmd("narration", "script", "-o", tmp_path / "s.csv", "--data", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "VNeID = Vê nê ai đi" in (tmp_path / "s.csv").read_text("utf-8")
    r = kiosk_cmd("narration", "script", "-o", tmp_path / "s.html", "--data", tmp_path)
    assert r.returncode == 0, r.stderr
    assert "<h2>Bài: Tài khoản VNeID mức 2: làm ở đâu, mang gì</h2>" in (tmp_path / "s.html").read_text("utf-8")
