"""Place in the queue, estimated wait and the board of calls: plain Python on a real SQLite file,
with a fixed clock (time-machine moves the one clock the store and the queue read)."""

import datetime as dt

import pytest
import time_machine

from kiosk.core.visit import flow as f
from kiosk.core.data.queue import Queue, set_priority
from kiosk.core.data.queue_wait import (CallBoard, calls_now, estimate_minutes, place_of,
                                   wait_words)
from kiosk.core.runtime import Runtime
from kiosk.core.data.store import Store

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "kiosk.sqlite3")
    yield s
    s.close()


def new_ticket(store, minute, **ctx):
    with time_machine.travel(at(minute), tick=False):
        sid = store.start_session()
        return sid, store.create_ticket(sid, ctx)


def act(minute, fn, *args):
    with time_machine.travel(at(minute), tick=False):
        return fn(*args)


def test_place_and_wait_change_as_tickets_are_called_and_served(store):
    q = Queue(store)
    sessions = [new_ticket(store, i)[0] for i in range(4)]        # A001..A004
    last = sessions[-1]
    place = place_of(store.conn, last, at(5))
    assert (place.number, place.before, place.minutes) == ("A004", 3, 15)  # 3 x the default 5 min
    first = act(10, q.call_next, 1, "lan")
    assert first["number"] == "A001"
    assert (place_of(store.conn, last, at(10)).before, place_of(store.conn, last, at(10)).minutes) == (2, 10)
    act(18, q.serve, first["id"], "done_at_counter", None, "lan")     # 8 minutes at the counter
    assert place_of(store.conn, last, at(18)).minutes == 20          # 2 x 8 = 16 -> 20
    second = act(20, q.call_next, 2, "minh")
    act(24, q.serve, second["id"], "referred", None, "minh")          # 4 minutes, a second counter
    # median 6 min, two counters serving: 1 person x 6 / 2 = 3 -> rounded up to 5
    assert place_of(store.conn, last, at(24)) .minutes == 5
    # hours later the morning's pace says nothing: back to the default
    assert place_of(store.conn, last, at(24 + 5 * 60)).minutes == 5
    assert place_of(store.conn, sessions[0], at(24)) is None            # called, no longer waiting


def test_a_priority_ticket_goes_first_and_says_so(store):
    _, _ = new_ticket(store, 0)
    waiting_sid, _ = new_ticket(store, 1)
    elderly_sid, number = new_ticket(store, 2)
    assert place_of(store.conn, elderly_sid, at(3)).before == 2
    act(3, set_priority, store, elderly_sid, "elderly")
    place = place_of(store.conn, elderly_sid, at(3))
    assert (place.number, place.before, place.minutes, place.priority) == (number, 0, None, "elderly")
    assert place_of(store.conn, waiting_sid, at(3)).before == 2


def test_words_and_rounding():
    assert wait_words(3, 15) == "Trước bạn còn 3 người, khoảng 15 phút."
    assert wait_words(0, None) == "Bạn là người tiếp theo."
    assert wait_words(9, 75) == "Trước bạn còn 9 người, khoảng 1 giờ 15 phút."
    assert wait_words(12, 120) == "Trước bạn còn 12 người, khoảng 2 giờ."
    assert estimate_minutes(0, 300) is None
    assert estimate_minutes(1, 30) == 5 and estimate_minutes(2, 301) == 15
    assert estimate_minutes(4, 300, counters=2) == 10


def test_the_board_shows_calls_and_names_each_new_one_once(store):
    q = Queue(store)
    for i in range(3):
        new_ticket(store, i)
    board = CallBoard()
    a1 = act(5, q.call_next, 1, "lan")
    assert board.update(calls_now(store.conn, at(5))) == ()   # the first look: called before it
    a2 = act(6, q.call_next, 2, "minh")
    calls = calls_now(store.conn, at(6))
    assert [(c.number, c.counter) for c in calls] == [("A002", 2), ("A001", 1)]  # newest first
    assert [c.number for c in board.update(calls)] == ["A002"]
    assert board.update(calls_now(store.conn, at(6))) == ()
    act(7, q.recall, a1["id"], "lan")                          # a recall is said again
    assert [c.number for c in board.update(calls_now(store.conn, at(7)))] == ["A001"]
    act(8, q.serve, a2["id"], "done_at_counter", None, "minh")
    assert [c.number for c in calls_now(store.conn, at(8))] == ["A001"]
    assert calls_now(store.conn, at(30)) == ()                 # a call nobody answered fades


def test_ticket_screen_strip_repeat_and_the_welcome_board(store, fixture_catalog):
    rt = Runtime(fixture_catalog, store)
    said, cues = [], []
    rt.on_say.append(lambda text, why, rate: said.append((text, why)))
    rt.on_cue.append(lambda kind, visual: cues.append((kind, visual)))
    store.create_ticket(store.start_session(), {})              # someone is already waiting
    rt.tap("start")
    rt.tap("lesson", "thu-wifi")
    rt.tap("call_staff")
    number = rt.state.ticket
    assert number == "A002"
    # said with the number at once (EN 301 549 §5.1.3.16): digit by digit, and who is before
    assert said[-1][0].startswith("Số thứ tự của bạn là A, không, không, hai. Trước bạn còn 1 người, "
                                  "khoảng 5 phút.")
    now = dt.datetime.now(dt.timezone.utc)
    rt.queue_seen(place_of(store.conn, rt.session_id, now), (), ())
    view = rt.view()
    assert view.body[:2] == ("Trước bạn còn 1 người, khoảng 5 phút.",
                             "Vui lòng chờ. Khi nghe gọi số A002, mời bạn đến quầy được gọi.")
    rt.key("r")
    assert said[-1][0].startswith("Số thứ tự của bạn là A, không, không, hai. Trước bạn còn 1 người, "
                                  "khoảng 5 phút. Vui lòng chờ. Khi nghe gọi số A, không, không, hai, "
                                  "mời bạn đến quầy được gọi. Bấm phím R hoặc phím sao để nghe lại số của bạn.")
    rt.tap("resume")                                            # back to the lesson: the strip
    assert rt.view().strip == "Số của bạn: A002 — Trước bạn còn 1 người, khoảng 5 phút."
    rt.key("r")                                                 # R also says the number here
    assert said[-1][0].endswith("Số thứ tự của bạn là A, không, không, hai. Trước bạn còn 1 người, "
                                "khoảng 5 phút.")
    q = Queue(store)
    heard = len(said)
    q.call_next(1, "lan")                                       # A001: the visitor moves up
    rt.queue_seen(place_of(store.conn, rt.session_id, now), (), ())
    assert rt.view().strip == "Số của bạn: A002 — Bạn là người tiếp theo."
    assert len(said) == heard                                   # shown; said only in Nghe đọc

    rt.tap("call_staff")                                        # to the ticket screen: no new number
    rt.tap("exit")                                              # Về trang đầu: session wiped
    assert not rt.state.active and rt.view().strip is None
    board = CallBoard()
    board.update(calls_now(store.conn, now))
    called = q.call_next(2, "minh")
    calls = calls_now(store.conn, dt.datetime.now(dt.timezone.utc))
    rt.queue_seen(None, calls, board.update(calls))
    assert rt.view().board == (("A002", "Quầy 2"), ("A001", "Quầy 1"))
    assert said[-1] == ("Mời số A, không, không, hai đến quầy 2.", "call")
    assert rt.last_caption == "Mời số A002 đến quầy 2."          # captions show the written number
    assert cues[-1] == ("call", False)
    rt.queue_seen(None, calls, board.update(calls))             # the same call: said once
    assert said[-1] == ("Mời số A, không, không, hai đến quầy 2.", "call") and said.count(said[-1]) == 1
    rt.tap("start")                                             # the next visitor: no board
    assert rt.view().board == () and rt.state.place is None
    assert called["number"] == "A002"


def test_a_queue_read_asked_before_the_number_existed_keeps_the_place_said_with_it(
        store, fixture_catalog):
    """kiosk.ui.queue_watch hands the runtime each read one poll after asking it. The read asked
    while the number was being made (no session to look up) must not take away the place said
    with the number: R in that second said the number without who is before."""
    from concurrent.futures import Future

    from kiosk.ui.queue_watch import QueueWatch
    rt = Runtime(fixture_catalog, store)
    said = []
    rt.on_say.append(lambda text, why, rate: said.append(text))
    store.create_ticket(store.start_session(), {})              # someone is already waiting
    rt.tap("start")
    rt.tap("call_staff")
    assert rt.state.place is not None and rt.state.place.before == 1
    watch = QueueWatch.__new__(QueueWatch)                     # no Clock: polls by hand
    watch.runtime, watch.board, watch._failing = rt, CallBoard(), 0
    stale = Future()
    stale.set_result((None, ()))                                # asked with no session to look up
    watch._deliver(stale, None)
    assert rt.state.place is not None and "Trước bạn còn 1 người" in rt.view().body[0]
    rt.key("r")
    assert "A, không, không, hai. Trước bạn còn 1 người" in said[-1]
    fresh = Future()
    fresh.set_result((None, ()))                                # asked for this visitor: not waiting
    watch._deliver(fresh, rt.session_id)
    assert rt.state.place is None


def test_in_audio_mode_a_place_that_moves_up_is_said_once(store, fixture_catalog):
    """A visitor who cannot see the screen hears the queue move, not only the first place."""
    rt = Runtime(fixture_catalog, store)
    said = []
    rt.on_say.append(lambda text, why, rate: said.append(text))
    for _ in range(2):
        store.create_ticket(store.start_session(), {})          # two are already waiting
    rt.tap("mode", "audio")
    rt.tap("start")
    rt.tap("call_staff")
    assert rt.state.modes.audio and rt.state.ticket == "A003"
    now = dt.datetime.now(dt.timezone.utc)
    rt.queue_seen(place_of(store.conn, rt.session_id, now), (), ())
    heard = len(said)                                            # the same place: nothing new
    Queue(store).call_next(1, "lan")
    rt.queue_seen(place_of(store.conn, rt.session_id, now), (), ())
    assert said[heard:] == ["Trước bạn còn 1 người, khoảng 5 phút."]
    rt.queue_seen(place_of(store.conn, rt.session_id, now), (), ())
    assert len(said) == heard + 1                                # said once, not at every read


def test_a_staff_call_in_captions_mode_flashes_with_its_words(store, fixture_catalog):
    rt = Runtime(fixture_catalog, store)
    cues = []
    rt.on_cue.append(lambda kind, visual: cues.append((kind, visual)))
    rt.tap("mode", "captions")
    rt.tap("start")
    rt.tap("call_staff")
    Queue(store).call_next(1, "lan")
    rt._call_polled = 0
    rt.tick()
    assert rt.state.called_to == 1 and cues[-1] == ("call", True)


def test_in_ra_giay_is_offered_only_with_a_printer_and_a_checklist(fixture_catalog):
    from dataclasses import replace

    from kiosk.core.screens.views import view_for
    machine = f.Flow(fixture_catalog)
    s = f.State(screen="finish", active=True, topic="internet", lesson="thu-wifi")
    assert "print_checklist" not in [c.action for c in view_for(s, fixture_catalog).choices]
    s = replace(s, kiosk=f.Kiosk(printer=True))
    choice = next(c for c in view_for(s, fixture_catalog).choices if c.action == "print_checklist")
    assert (choice.label, choice.arg, choice.key.isdigit()) == ("In ra giấy", "thu-wifi", True)
    s2, effects = machine.next(s, f.Tap("print_checklist", "thu-wifi"))
    assert f.PrintChecklist("thu-wifi") in effects and any(isinstance(e, f.Say) for e in effects)
    _, effects = machine.next(replace(s, kiosk=f.Kiosk()), f.Tap("print_checklist", "thu-wifi"))
    assert not any(isinstance(e, f.PrintChecklist) for e in effects)  # no printer: nothing sent
    ended, _ = machine.next(s2, f.Tap("exit"))
    assert ended.kiosk.printer and not ended.active   # the kiosk's own facts survive the wipe
