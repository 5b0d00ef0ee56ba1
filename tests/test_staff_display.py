"""The waiting-room display in-process: its link (made, replaced, revoked, only hashed), what it
shows (numbers and counters only), the live data, and the call's real espeak-ng sound."""

import json
import sqlite3
import warnings
import wave

import pytest

from conftest import need_tool
from kiosk.core.data.queue import Queue
from kiosk.core.data.store import Store
from kiosk.staff import auth, display

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kiosk.staff.app import create_app  # noqa: E402
from staff_helpers import PIN, csrf_of  # noqa: E402

LESSON = "vneid-muc-2"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "kiosk.sqlite3"
    s = Store(path)
    auth.add_staff(s, "lan", PIN)
    for _ in range(3):
        sid = s.start_session()
        s.create_ticket(sid, {"screen": "step", "topic": "vneid", "lesson": LESSON, "step": 3, "steps": 8,
                              "group": "elderly"})
    s.close()
    return path


def store(db):
    return Store(db)


def test_link_is_made_replaced_and_revoked_and_only_its_hash_is_kept(db):
    s = store(db)
    first = display.make_link(s)
    assert len(first) >= 40 and display.link_ok(s, first)
    second = display.make_link(s)
    assert display.link_ok(s, second) and not display.link_ok(s, first)   # one link at a time
    kept = [v for (v,) in s.conn.execute("SELECT value FROM settings WHERE key LIKE 'display%'")]
    assert second not in " ".join(kept) and len(kept) == 2
    for bad in (None, "", second[:-1], second + "x", "x" * 500):
        assert not display.link_ok(s, bad)
    assert display.revoke_link(s) and not display.link_ok(s, second)
    assert not display.revoke_link(s)
    kinds = [json.loads(d)["action"] for (d,) in s.conn.execute(
        "SELECT data FROM events WHERE kind = 'display_link' ORDER BY id")]
    assert kinds == ["make", "make", "revoke", "revoke"]


def test_display_is_refused_without_the_link_and_after_revoke(db):
    s = store(db)
    token = display.make_link(s)
    c = TestClient(create_app(db))
    assert c.get(f"/display/{token}").status_code == 200
    for path in ("/display/wrong", "/display/wrong/live", "/display/wrong/calls/1.wav",
                 f"/display/{token[:-2]}", f"/display/{token}x/live"):
        r = c.get(path)
        assert r.status_code == 403, path
        assert "A00" not in r.text
    assert c.get("/display/").status_code == 404
    assert c.post(f"/display/{token}/live").status_code in (403, 405)
    # a staff session does not open a display without its link
    page = c.get("/login")
    c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN})
    assert c.get("/queue").status_code == 200 and c.get("/display/wrong").status_code == 403
    display.revoke_link(s)
    r = c.get(f"/display/{token}/live")
    assert r.status_code == 403 and "thu hồi" in r.json()["message"]
    assert "thu hồi" in c.get(f"/display/{token}").text


def test_display_shows_calls_with_numbers_and_counters_only(db):
    s = store(db)
    token = display.make_link(s)
    c = TestClient(create_app(db, lessons_dir=None))
    base = f"/display/{token}"
    empty = c.get(base + "/live").json()
    assert empty["latest"] is None and empty["current"] == [] and empty["announce"] == []
    assert "Chưa gọi số nào" in c.get(base).text

    q = Queue(s)
    ids = [t["id"] for t in q.waiting()]
    q.call(ids[0], 1, "nvthu")
    q.call(ids[1], 2, "nvthu")
    d = c.get(base + "/live?after=0").json()
    assert d["latest"]["number"] == "A002" and d["latest"]["counter_name"] == "Quầy 2"
    assert [(x["number"], x["counter"]) for x in d["current"]] == [("A001", 1), ("A002", 2)]
    assert [x["number"] for x in d["recent"]] == ["A001"]
    assert [x["number"] for x in d["announce"]] == ["A001", "A002"]           # oldest first
    q.recall(ids[0], "lan")
    again = c.get(base + f"/live?after={d['last_id']}").json()
    assert [(x["number"], x["counter"]) for x in again["announce"]] == [("A001", 1)]
    assert again["latest"]["number"] == "A001" and [x["number"] for x in again["recent"]] == ["A002"]
    q.serve(ids[1], "done_at_counter", None, "lan")
    d = c.get(base + "/live").json()
    assert [x["number"] for x in d["current"]] == ["A001"]
    assert [x["number"] for x in d["recent"]] == ["A002"]                    # served, still listed
    q.call(ids[2], 1, "lan")  # the next number at counter 1 before A001 was closed there
    d = c.get(base + "/live").json()
    assert [(x["number"], x["counter"]) for x in d["current"]] == [("A003", 1)]  # one a counter

    html = c.get(base).text
    text = html + json.dumps(d, ensure_ascii=False)
    assert "A001" in html and "Quầy 1" in html
    for private in (LESSON, "vneid", "elderly", "Người cao tuổi", "nvthu", "Bước"):
        assert private not in text, private
    assert c.get(base + "/live?after=-1").status_code == 400


def test_call_sound_is_a_chime_then_the_kiosks_spoken_call(db, tmp_path):
    need_tool("espeak-ng")
    from kiosk.speech.tts import verify_wav
    s = store(db)
    token = display.make_link(s)
    q = Queue(s)
    q.call(q.waiting()[0]["id"], 3, "lan")
    call_id = s.conn.execute("SELECT MAX(id) FROM ticket_history").fetchone()[0]
    assert display.call_text("A001", 3) == "Mời số A, không, không, một đến quầy 3."
    c = TestClient(create_app(db))
    r = c.get(f"/display/{token}/calls/{call_id}.wav")
    assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
    out = tmp_path / "call.wav"
    out.write_bytes(r.content)
    with wave.open(str(out)) as w:
        rate, frames = w.getframerate(), w.getnframes()
        chime = w.readframes(int(rate * 1.0))
    assert verify_wav(out).ok
    assert frames / rate > 2.5                  # the chime (1.3 s) and the call, not the chime alone
    assert max(abs(int.from_bytes(chime[i:i + 2], "little", signed=True))
               for i in range(0, len(chime), 2)) > 4000   # it starts with the chime, not silence
    assert c.get(f"/display/{token}/calls/{call_id}.wav").content == r.content     # made once
    assert c.get(f"/display/{token}/calls/99999.wav").status_code == 404
    with sqlite3.connect(db) as conn:  # serving a ticket adds a non-call row: no sound for it
        conn.execute("INSERT INTO ticket_history (ticket_id, ts, action, status) VALUES (1, 'x', 'serve', 'served')")
        other = conn.execute("SELECT MAX(id) FROM ticket_history").fetchone()[0]
    assert c.get(f"/display/{token}/calls/{other}.wav").status_code == 404


def test_display_link_command(kiosk, tmp_path):
    r = kiosk("staff", "display-link", "--base-url", "http://10.0.0.2:8080/", data=tmp_path)
    assert r.returncode == 0, r.stderr
    url = r.stdout.strip()
    assert url.startswith("http://10.0.0.2:8080/display/") and len(url.rsplit("/", 1)[1]) >= 40
    s = Store(tmp_path / "kiosk.sqlite3")
    assert display.link_ok(s, url.rsplit("/", 1)[1])
    r2 = kiosk("staff", "display-link", data=tmp_path)
    assert "no longer works" in r2.stderr and r2.stdout.startswith("http://127.0.0.1:8080/display/")
    assert not display.link_ok(s, url.rsplit("/", 1)[1])
    r3 = kiosk("staff", "display-link", "--revoke", data=tmp_path)
    assert r3.returncode == 0 and "revoked" in r3.stdout
    assert not display.link_ok(s, r2.stdout.strip().rsplit("/", 1)[1])
    r4 = kiosk("staff", "display-link", "--revoke", data=tmp_path)
    assert r4.returncode == 0 and "no display link" in r4.stdout


def test_no_sound_answers_503_with_a_plain_message_and_the_call_still_shows(db, monkeypatch):
    need_tool("espeak-ng")
    monkeypatch.setenv("KIOSK_VOICE", "zz-no-such-voice")   # real espeak-ng, refusing the voice
    s = store(db)
    token = display.make_link(s)
    q = Queue(s)
    q.call(q.waiting()[0]["id"], 1, "lan")
    call_id = s.conn.execute("SELECT MAX(id) FROM ticket_history").fetchone()[0]
    c = TestClient(create_app(db))
    r = c.get(f"/display/{token}/calls/{call_id}.wav")
    assert r.status_code == 503 and "Chưa phát được tiếng" in r.json()["message"]
    assert c.get(f"/display/{token}/live").json()["latest"]["number"] == "A001"


def test_settings_page_says_whether_a_display_link_exists(db):
    c = TestClient(create_app(db))
    page = c.get("/login")
    c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN})
    assert "Chưa có liên kết màn hình chờ" in c.get("/settings").text
    token = display.make_link(store(db))
    html = c.get("/settings").text
    assert "Màn hình chờ đang có liên kết" in html and token not in html
