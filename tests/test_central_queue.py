"""One queue for a centre with several kiosks (real PostgreSQL, real kiosk processes, the real
console over HTTP): unique numbers across kiosks, priority and transfer, the server stopped
while kiosks keep numbering on their own, and their tickets reaching the console once each."""

import json
import re
import time
import warnings

import pytest

from kiosk.core.data.store import Store
from kiosk.staff import auth
from tests.central_helpers import start_cluster
from tests.conftest import kiosk_cmd, missing_part

with warnings.catch_warnings():  # Starlette prefers "httpx2"; httpx works the same here
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from kiosk.staff.app import create_app  # noqa: E402
from staff_helpers import PIN, csrf_of  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg():
    cluster = start_cluster(missing_part)
    yield cluster
    cluster.close()


def take(data, url, kiosk, *args):
    """One ticket from a kiosk process of its own (the kiosk's code path: log writer, shared queue)."""
    started = time.monotonic()
    r = kiosk_cmd("queue", "take", "--data", data, *args,
                  env={"KIOSK_QUEUE_DB": url, "KIOSK_COMMUNE": "21130", "KIOSK_ID": kiosk})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1]), time.monotonic() - started


def flush(data, url, kiosk):
    r = kiosk_cmd("queue", "flush", "--data", data,
                  env={"KIOSK_QUEUE_DB": url, "KIOSK_COMMUNE": "21130", "KIOSK_ID": kiosk})
    return r.returncode, (json.loads(r.stdout) if r.returncode == 0 else r.stderr)


def waiting_numbers(html: str) -> list[str]:
    return re.findall(r'<tr id="w-([^"]+)">', html)


def console(tmp_path, url):
    db = tmp_path / "console" / "kiosk.sqlite3"
    s = Store(db)
    auth.add_staff(s, "lan", PIN)
    s.close()
    c = TestClient(create_app(db, busy_ms=100, queue_db=url), client=("127.0.0.1", 50000))
    page = c.get("/login")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN},
               follow_redirects=False)
    assert r.status_code == 303
    return c


def test_two_kiosks_and_a_console_share_one_queue_through_a_cut(pg, tmp_path):
    url = pg.create_db("centre")
    k1, k2 = tmp_path / "k1", tmp_path / "k2"
    online = [take(k1, url, "k-1")[0], take(k2, url, "k-2")[0], take(k1, url, "k-1")[0],
              take(k2, url, "k-2")[0], take(k2, url, "k-2", "--group", "elderly")[0]]
    assert [t["number"] for t in online] == ["A001", "A002", "A003", "A004", "A005"]
    assert not any(t["offline"] for t in online)

    staff = console(tmp_path, url)
    html = staff.get("/queue").text
    # one list for both kiosks: the elderly visitor first (priority), then first come
    assert waiting_numbers(html) == ["A005", "A001", "A002", "A003", "A004"]
    assert "Ưu tiên: Người cao tuổi" in html
    csrf = csrf_of(html)
    r = staff.post("/queue/call-next", data={"csrf": csrf})
    assert "Đã gọi." in r.text and 'id="now-A005"' in r.text
    from kiosk.central.queue_db import QueueDb
    from kiosk.core.data.queue import Queue
    q = Queue(QueueDb(url))
    called = q.called()[0]
    assert called["number"] == "A005" and called["counter"] == 1
    r = staff.post(f"/tickets/{called['id']}/transfer", data={"csrf": csrf, "counter": "2"})
    assert r.status_code == 200
    assert q.ticket(called["id"])["counter"] == 2
    assert [h["action"] for h in q.history(called["id"])] == ["call", "transfer"]

    # the network to the centre's database is cut: kiosks keep numbering, quickly, on their own
    pg.stop("fast")
    cut = [take(k1, url, "k-1"), take(k2, url, "k-2", "--group", "pregnant"), take(k1, url, "k-1")]
    offline = [t for t, _ in cut]
    assert all(t["offline"] for t in offline), offline
    # each kiosk numbers under the letter the shared queue gave it alone
    assert [t["number"] for t in offline] == ["X001", "Y001", "X002"]
    assert max(seconds for _, seconds in cut) < 15  # a process start, not a network wait
    away = staff.get("/queue")  # the console says plainly which database it cannot read
    assert away.status_code == 503 and "hàng chờ chung của trung tâm" in away.text
    # the pages that do not need the queue still work, with a notice about it
    for path in ("/reports", "/settings"):
        page = staff.get(path)
        assert page.status_code == 200 and "Không kết nối được hàng chờ chung" in page.text, path
    assert flush(k1, url, "k-1")[0] == 1  # still down: nothing is marked sent

    pg.start()
    pg.wait_ready()
    assert flush(k1, url, "k-1") == (0, {"sent": 2})
    assert flush(k2, url, "k-2") == (0, {"sent": 1})
    assert flush(k1, url, "k-1") == (0, {"sent": 0})  # again: nothing twice
    import sqlite3
    local = sqlite3.connect(k1 / "kiosk.sqlite3")  # handed over: never again "waiting" here
    assert local.execute("SELECT number, status FROM tickets ORDER BY id").fetchall() == [
        ("X001", "shared"), ("X002", "shared")]
    after, _ = take(k2, url, "k-2")
    assert after["number"] == "A009" and not after["offline"]

    html = staff.get("/queue").text
    numbers = waiting_numbers(html)
    assert len(numbers) == len(set(numbers))
    # the offline priority came with its ticket; then everyone in order of arrival
    assert numbers == ["Y001", "A001", "A002", "A003", "A004", "X001", "X002", "A009"]
    assert q.counts() == {"waiting": 8, "called": 1, "priority_waiting": 1}
    # the counters on Cài đặt are the shared queue's (every kiosk's board and the console's list)
    page = staff.get("/settings").text
    r = staff.post("/settings", data={"csrf": csrf_of(page), "retention_days": "365",
                                      "session_minutes": "30", "counters": "4"}, follow_redirects=False)
    assert r.status_code == 303
    assert [c["id"] for c in q.counters()] == [1, 2, 3, 4]


def test_a_running_kiosk_sends_its_offline_tickets_by_itself(pg, tmp_path, monkeypatch):
    """The kiosk's log writer (threaded, as in `kiosk run`) sends offline tickets once the shared
    queue answers again, without a new visitor and without `kiosk queue flush`."""
    from kiosk.central.queue_db import QueueDb
    from kiosk.core.data import shared_queue, writer
    from kiosk.core.data.queue import Queue
    from staff_helpers import wait_for
    url = pg.create_db("centre_writer")
    monkeypatch.setattr(writer, "FLUSH_EVERY", 0.3)
    monkeypatch.setattr(shared_queue, "RETRY_AFTER", 0.3)
    monkeypatch.setenv("KIOSK_COMMUNE", "21130")
    monkeypatch.setenv("KIOSK_ID", "k-3")
    w = writer.Writer(tmp_path / "kiosk.sqlite3", threaded=True, spill=False,
                      tickets=shared_queue.Tickets(QueueDb(url)))
    try:
        assert w.ask("create_ticket", session_id=None, context={}).result(10) == "A001"
        pg.stop("fast")
        assert w.ask("create_ticket", session_id=None, context={}).result(10) == "X001"
        q = Queue(QueueDb(url))
        pg.start()
        pg.wait_ready()
        wait_for(lambda: [t["number"] for t in q.waiting()] == ["A001", "X001"], timeout=20,
                 what="the offline ticket in the shared queue")
    finally:
        w.close()


def test_the_kiosk_screen_reads_place_and_calls_from_the_shared_queue(pg, tmp_path, monkeypatch):
    """What the welcome board and the ticket screen show (kiosk.ui.queue_watch): the shared
    queue's place and calls, this kiosk's log while the shared queue does not answer."""
    from kiosk.central.queue_db import QueueDb
    from kiosk.core.data import shared_queue
    from kiosk.core.data.queue import Queue
    from kiosk.ui.printing import SlipPrinter
    from kiosk.ui.queue_watch import QueueWatch
    url = pg.create_db("centre_watch")
    monkeypatch.setenv("KIOSK_COMMUNE", "21130")
    monkeypatch.setenv("KIOSK_ID", "k-4")
    store = Store(tmp_path / "kiosk.sqlite3")
    tickets = shared_queue.Tickets(QueueDb(url))
    other = Store(tmp_path / "other.sqlite3")  # another kiosk's visitor, first in line
    monkeypatch.setenv("KIOSK_ID", "k-5")
    tickets_other = shared_queue.Tickets(QueueDb(url))
    assert tickets_other.create_ticket(other, "s-other", {}) == "A001"
    monkeypatch.setenv("KIOSK_ID", "k-4")
    assert tickets.create_ticket(store, "s-mine", {}) == "A002"
    # the printed slip's place too: the number was given by the shared queue, not by this log
    printer = SlipPrinter(None, None, None, 0, tmp_path / "kiosk.sqlite3", QueueDb(url))
    assert printer._read("A002", "s-mine")[0] == 1
    Queue(QueueDb(url)).call_next(3, "lan")
    watch = QueueWatch(None, tmp_path / "kiosk.sqlite3", QueueDb(url))
    try:
        place, calls = watch._read("s-mine")
        assert (place.number, place.before) == ("A002", 0)
        assert [(c.number, c.counter) for c in calls] == [("A001", 3)]
        pg.stop("fast")
        try:
            assert tickets.create_ticket(store, "s-late", {}) == "Y001"  # k-5 took X first
            place, calls = watch._read("s-late")  # the kiosk's own log: its offline ticket
            assert (place.number, place.before, calls) == ("Y001", 0, ())
            assert printer._read("Y001", "s-late")[0] == 0
        finally:
            pg.start()
            pg.wait_ready()
    finally:
        watch.stop()
        store.close()
        other.close()


def test_kiosks_taking_tickets_at_the_same_moment_get_different_numbers(pg, tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT, kiosk_env
    url = pg.create_db("centre_race")
    procs = []
    for i in range(8):
        kiosk = f"k-{i % 2 + 1}"
        env = kiosk_env(tmp_path / kiosk, {"KIOSK_QUEUE_DB": url, "KIOSK_COMMUNE": "21130", "KIOSK_ID": kiosk})
        procs.append(subprocess.Popen([sys.executable, "-m", "kiosk", "queue", "take"], cwd=ROOT, env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    numbers = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        t = json.loads(out.strip().splitlines()[-1])
        assert not t["offline"]
        numbers.append(t["number"])
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 9)]


def test_doctor_says_where_the_queue_is_and_whether_it_answers(pg, tmp_path):
    url = pg.create_db("centre_doctor")
    env = {"KIOSK_QUEUE_DB": url, "KIOSK_COMMUNE": "21130", "KIOSK_ID": "k-9"}
    take(tmp_path, url, "k-9")
    r = kiosk_cmd("doctor", "--json", "--data", tmp_path, env=env)
    q = json.loads(r.stdout)["queue"]
    assert (q["shared"], q["reachable"], q["waiting"], q["offline_letter"]) == (True, True, 1, "X")
    away = dict(env, KIOSK_QUEUE_DB=url.replace(f":{pg.port}/", ":1/"))
    text = kiosk_cmd("doctor", "--data", tmp_path, env=away).stdout
    assert "NOT reachable" in text and "offline numbers X001" in text
    assert "this kiosk's own" in kiosk_cmd("doctor", "--data", tmp_path).stdout


def test_tickets_of_the_shared_queue_reach_the_province_once_with_how_they_ended(pg, tmp_path):
    """Online tickets live in the centre's queue, not in the kiosk's log: `kiosk sync` sends each
    kiosk's own from there once it is over, with the counter's outcome (also for an offline
    ticket handed over later), each once, however often it runs."""
    import psycopg

    from kiosk.central import roles, schema
    from kiosk.central.queue_db import QueueDb
    from kiosk.core.data.queue import Queue
    url, prov = pg.create_db("centre_sync"), pg.create_db("province_sync")
    with schema.connect(prov) as c:
        schema.init(c)
        login = {k: roles.add_kiosk(c, prov, "21130", k)["url"] for k in ("k-1", "k-2")}
    k1, k2 = tmp_path / "k1", tmp_path / "k2"
    numbers = [take(k1, url, "k-1")[0]["number"], take(k2, url, "k-2")[0]["number"],
               take(k1, url, "k-1")[0]["number"]]
    assert numbers == ["A001", "A002", "A003"]
    pg.stop("fast")
    assert take(k1, url, "k-1")[0]["number"] == "X001"
    pg.start()
    pg.wait_ready()
    assert flush(k1, url, "k-1") == (0, {"sent": 1})

    q = Queue(QueueDb(url))
    ids = {t["number"]: t["id"] for t in q.waiting()}
    for number in ("A001", "X001"):
        q.call(ids[number], 1, "lan")
        q.serve(ids[number], "done_at_counter", "vneid", "lan")
    q.call(ids["A002"], 2, "lan")
    q.recall(ids["A002"], "lan")
    q.no_show(ids["A002"], "lan")  # A003 still waits

    def sync(data, kiosk):
        r = kiosk_cmd("sync", "--to", login[kiosk], "--data", data, "--json",
                      env={"KIOSK_QUEUE_DB": url, "KIOSK_COMMUNE": "21130", "KIOSK_ID": kiosk})
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)["sent"]

    def province():
        with psycopg.connect(prov) as c:
            return c.execute("SELECT kiosk, number, status, outcome FROM tickets ORDER BY number").fetchall()

    first = sync(k1, "k-1")
    # X001's row in the log is 'shared': it goes from the queue, with its outcome, not twice
    assert (first["shared_tickets"], first["tickets"]) == (2, 0)
    assert sync(k2, "k-2")["shared_tickets"] == 1
    assert province() == [("k-1", "A001", "served", "done_at_counter"), ("k-2", "A002", "no_show", None),
                          ("k-1", "X001", "served", "done_at_counter")]
    assert sync(k1, "k-1")["shared_tickets"] == 0 and sync(k2, "k-2")["shared_tickets"] == 0
    import sqlite3
    log_k1 = sqlite3.connect(k1 / "kiosk.sqlite3")
    assert log_k1.execute("SELECT number, status, synced_at IS NOT NULL FROM tickets").fetchall() == [
        ("X001", "shared", 1)]
    q.call(ids["A003"], 1, "lan")
    q.serve(ids["A003"], "referred", None, "lan")
    assert sync(k1, "k-1")["shared_tickets"] == 1
    assert [row[1] for row in province()] == ["A001", "A002", "A003", "X001"]

    # the shared queue away: the rest is sent, its tickets wait, and nothing is marked sent
    r = kiosk_cmd("sync", "--to", login["k-1"], "--data", k1, "--json",
                  env={"KIOSK_QUEUE_DB": url.replace(f":{pg.port}/", ":1/"), "KIOSK_COMMUNE": "21130",
                       "KIOSK_ID": "k-1"})
    assert r.returncode == 0 and "shared queue did not answer" in r.stderr
    assert "shared_queue" in json.loads(r.stdout)
    report = kiosk_cmd("report", "--db", prov, "--json")
    assert report.returncode == 0, report.stderr
    commune = json.loads(report.stdout)["by_commune"][0]
    assert commune["escalations"]["total"] == 4
    assert commune["escalations"]["by_outcome"] == {"done_at_counter": 2, "referred": 1}
