"""The province's report equals the sum of the kiosks' own reports (real logs, real PostgreSQL)."""

import json
import sqlite3
import statistics

import pytest

from tests.central_helpers import fill_kiosk, start_cluster
from tests.conftest import kiosk_cmd, missing_part

pytestmark = pytest.mark.slow
KIOSKS = [("21130", "k-1", 220), ("21130", "k-2", 160), ("21131", "k-3", 190)]
SKIP = {"generated_at", "median_session_seconds", "by_commune", "commune"}
ID_KEYS = ("lesson", "practice", "drill", "topic")


def merge(a, b):
    """The sum of two reports: counts add up, per-lesson (practice, drill, topic) rows by id."""
    if isinstance(a, bool) or a is None or isinstance(a, str):
        return a if a is not None else b
    if isinstance(a, (int, float)):
        return a + b
    if isinstance(a, dict):
        return {k: (merge(a[k], b[k]) if k in a and k in b else a.get(k, b.get(k))) for k in {*a, *b}}
    key = next(k for k in ID_KEYS if k in (a or b)[0])
    rows = {r[key]: r for r in a}
    for r in b:
        rows[r[key]] = merge(rows[r[key]], r) if r[key] in rows else r
    return sorted(rows.values(), key=lambda r: (r.get("topic") or "", r[key]))


def normal(report, drop=SKIP):
    """A report without the keys that do not add up, lists in one order, `steps` as a max."""
    out = json.loads(json.dumps({k: v for k, v in report.items() if k not in drop}))
    out["escalations"].pop("median_wait_seconds")
    for key in ("lessons", "topics"):
        out[key] = sorted(out[key], key=lambda r: (r.get("topic") or "", r.get("lesson", "")))
    for l in out["lessons"]:
        l.pop("steps")
    return json.loads(json.dumps(out, sort_keys=True))


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    """Three kiosks in two communes, synced into a fresh central database."""
    from kiosk.central import roles, schema
    pg = start_cluster(missing_part)
    try:
        url = pg.create_db("province")
        with schema.connect(url) as c:
            schema.init(c)
            logins = {k: roles.add_kiosk(c, url, commune, k)["url"] for commune, k, _ in KIOSKS}
            reader = roles.add_reader(c, url, "province")["url"]
        dirs = {}
        for i, (commune, k, n) in enumerate(KIOSKS):
            dirs[k] = tmp_path_factory.mktemp(k)
            fill_kiosk(dirs[k], commune, k, sessions=n, seed=10 + i, start=f"2026-0{i + 6}-20T22:00:00")
        # k-3 and k-1 are folded into the rollups, k-2 arrives after: the report reads both ways
        for step in ("k-3", "k-1", "refresh", "k-2"):
            if step == "refresh":
                r = kiosk_cmd("central", "refresh", "--db", url)
            else:
                r = kiosk_cmd("sync", "--to", logins[step], "--data", dirs[step])
            assert r.returncode == 0, r.stderr
        import psycopg
        with psycopg.connect(url) as c:  # the rollups hold k-1 and k-3, and only them
            assert c.execute("SELECT sum(n) FROM roll_sessions").fetchone()[0] == KIOSKS[0][2] + KIOSKS[2][2]
            assert c.execute("SELECT count(*) FROM sessions s, rollup_marks m WHERE m.name = 'sessions' "
                             "AND s.seq > m.seq").fetchone()[0] == KIOSKS[1][2]
        yield reader, dirs
    finally:
        pg.close()


def own_report(data, *args):
    r = kiosk_cmd("report", "--json", "--data", data, *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def central_report(url, *args):
    r = kiosk_cmd("report", "--json", "--db", url, *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def all_durations(dirs):
    out = []
    for d in dirs:
        c = sqlite3.connect(d / "kiosk.sqlite3")
        out += [r[0] for r in c.execute("SELECT (julianday(ended_at) - julianday(started_at)) * 86400 "
                                        "FROM sessions WHERE ended_at IS NOT NULL")]
    return out


@pytest.mark.parametrize("since", [None, "2026-07-15"])
def test_the_province_is_the_sum_of_its_kiosks(province, since):
    reader, dirs = province
    args = ["--since", since] if since else []
    own = {k: own_report(d, *args) for k, d in dirs.items()}
    total = own["k-1"]
    for k in ("k-2", "k-3"):
        total = merge(total, own[k])
    central = central_report(reader, *args)
    assert central["sessions"] > 0
    assert normal(central) == normal(total)
    for l in central["lessons"]:  # steps: the longest any kiosk saw
        assert l["steps"] == max(x["steps"] for r in own.values() for x in r["lessons"]
                                 if x["lesson"] == l["lesson"])
    # medians do not add up: the median over every kiosk's sessions
    if since is None:
        assert central["median_session_seconds"] == round(statistics.median(all_durations(dirs.values())), 1)
    # by_commune: each commune is the sum of its own kiosks
    by = {c["commune"]: c for c in central["by_commune"]}
    assert set(by) == {"21130", "21131"}
    for code, members in (("21130", ("k-1", "k-2")), ("21131", ("k-3",))):
        c = by[code]
        assert c["kiosks"] == len(members)
        assert c["visitors"] == sum(own[k]["sessions"] for k in members)
        assert c["lessons_started"] == sum(own[k]["lessons_started"] for k in members)
        assert c["lessons_finished"] == sum(own[k]["lessons_finished"] for k in members)
        assert c["escalations"]["total"] == sum(own[k]["escalations"]["total"] for k in members)
        for mode, n in c["modes"].items():
            assert n == sum(own[k]["modes"][mode] for k in members)
        outcomes = merge(*[own[k]["escalations"]["by_outcome"] for k in members]) if len(members) > 1 \
            else own[members[0]]["escalations"]["by_outcome"]
        assert c["escalations"]["by_outcome"] == outcomes


def test_one_commune_with_one_kiosk_is_exactly_that_kiosks_report(province):
    reader, dirs = province
    central = central_report(reader, "--commune", "21131")
    own = own_report(dirs["k-3"])
    drop = {"generated_at", "by_commune", "commune"}
    assert {k: v for k, v in central.items() if k not in drop} == \
        {k: v for k, v in own.items() if k not in drop}
    r = kiosk_cmd("report", "--csv", "--db", reader)
    assert r.returncode == 0 and "commune_visitors,21130,,," in r.stdout


@pytest.mark.parametrize("since, commune, until", [
    (None, None, None), ("2026-07-15", None, None), ("2026-08-01", None, None), ("2026-06-22", "21130", None),
    (None, "21131", None), ("2026-07-01", None, "2026-08-01"), ("2026-06-22", None, "2026-08-25"),
    (None, "21130", "2026-07-24"), ("2026-06-21", None, "2026-06-25")])
def test_the_rollups_give_the_figures_of_the_rows_themselves(province, since, commune, until):
    """Month rollups, day rollups for a partial month, duration histograms for the medians and
    the rows after the mark: the report equals the one read from every row, medians included."""
    from kiosk.central.report import build_central_report
    from kiosk.central.schema import connect
    reader, _ = province
    with connect(reader) as c:
        cur = c.execute("SELECT count(*) FROM roll_sessions_month")
        assert cur.fetchone()[0] > 0  # the month tables are really read
        fast = build_central_report(c, since=since, commune=commune, until=until)
        raw = build_central_report(c, since=since, commune=commune, rollups=False, until=until)
    for r in (fast, raw):
        r.pop("generated_at")
    assert fast["sessions"] > 0 and fast["escalations"]["called"] > 0
    assert fast == raw


def test_medians_from_the_histograms_equal_the_rows_medians_within_a_bucket():
    """Durations to the microsecond, many in each 10-second bucket, some rolled up and some after
    the mark: the median read through a bucket's rows is percentile_cont's over all rows."""
    from kiosk.central import rollup, schema
    from kiosk.central.report import _median, _Where, build_central_report, report_zone
    from kiosk.core.data.report import parse_since
    pg = start_cluster(missing_part)
    try:
        url = pg.create_db("medians")
        with schema.connect(url) as c:
            schema.init(c)
            c.execute("SELECT setseed(0.42)")
            c.execute("INSERT INTO kiosks VALUES ('k-1', '21130', 'r1'), ('k-2', '21131', 'r2')")

            def add(first, count):
                c.execute(
                    "INSERT INTO sessions (commune, kiosk, id, started_at, ended_at, modes) "
                    "SELECT CASE WHEN i %% 3 = 0 THEN '21131' ELSE '21130' END, "
                    "CASE WHEN i %% 3 = 0 THEN 'k-2' ELSE 'k-1' END, 's' || i, x.t, "
                    "CASE WHEN i %% 17 = 0 THEN NULL ELSE x.t + (100 + random() * 25) * interval '1 second' END, "
                    "'[]' FROM generate_series(%s::int, %s::int) i, "
                    "LATERAL (SELECT timestamptz '2026-05-01 02:00+00' + (i * 0.37) * interval '1 day' AS t) x",
                    (first, first + count - 1))
                c.execute(
                    "INSERT INTO tickets (commune, kiosk, id, number, created_at, status, first_called_at) "
                    "SELECT commune, kiosk, substr(id, 2)::bigint, 'A001', started_at, 'called', "
                    "started_at + (50 + random() * 30) * interval '1 second' FROM sessions "
                    "WHERE substr(id, 2)::bigint BETWEEN %s AND %s AND substr(id, 2)::bigint %% 5 <> 0",
                    (first, first + count - 1))
            add(1, 201)
            rollup.refresh(c, report_zone())
            add(202, 120)  # after the mark: read directly
            (mixed,) = c.execute("SELECT count(*) FROM roll_durations_month WHERE lo <> hi").fetchone()
            assert mixed > 0  # buckets of many values: the median reads their rows
            for since, commune in ((None, None), ("2026-06-10", None), ("2026-07-01", "21130"),
                                   ("2026-05-20", "21131")):
                fast = build_central_report(c, since=since, commune=commune)
                raw = build_central_report(c, since=since, commune=commune, rollups=False)
                assert fast["median_session_seconds"] == raw["median_session_seconds"] is not None
                assert fast["escalations"]["median_wait_seconds"] == raw["escalations"]["median_wait_seconds"]
                assert fast["escalations"]["called"] == raw["escalations"]["called"] > 0
                # unrounded, too: the very middle value(s)
                w = _Where(since, parse_since(since), commune, (1, 1))
                exact = c.execute(
                    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM s.ended_at - "
                    f"s.started_at)) FROM sessions s WHERE {w.sessions} AND s.ended_at IS NOT NULL",
                    w.s_args).fetchone()[0]
                w = _Where(since, parse_since(since), commune, rollup_marks(c))
                assert abs(_median(c.cursor(), w, "session")[0] - exact) < 1e-6
    finally:
        pg.close()


def rollup_marks(c):
    rows = dict(c.execute("SELECT name, seq FROM rollup_marks").fetchall())
    return rows["sessions"], rows["tickets"]


def test_the_consoles_reports_page_reads_the_province(province, tmp_path):
    """KIOSK_REPORT_DB: the Báo cáo page over HTTP from the province's database (read-only
    login), all communes, one commune, one month, and plainly when the database is away."""
    import re
    import warnings

    from kiosk.core.data.store import Store
    from kiosk.staff import auth
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from kiosk.staff.app import create_app
    from staff_helpers import PIN, csrf_of, free_port
    reader, dirs = province
    db = tmp_path / "console" / "kiosk.sqlite3"
    s = Store(db)
    auth.add_staff(s, "lan", PIN)
    s.close()

    def logged_in(report_db):
        from kiosk import paths
        c = TestClient(create_app(db, paths.lessons_dir(), busy_ms=100, report_db=report_db),
                       client=("127.0.0.1", 50000))
        page = c.get("/login")
        assert c.post("/login", data={"csrf": csrf_of(page.text), "name": "lan", "pin": PIN},
                      follow_redirects=False).status_code == 303
        return c

    def shown(html):
        return int(re.search(r'id="stat-sessions">(\d+)<', html).group(1))

    staff = logged_in(reader)
    html = staff.get("/reports").text
    assert "Báo cáo toàn tỉnh" in html and shown(html) == sum(n for _, _, n in KIOSKS)
    assert 'id="commune-21130"' in html and 'id="commune-21131"' in html
    assert '<option value="21131">21131</option>' in html
    june = staff.get("/reports", params={"month": "2026-06", "commune": "21130"}).text
    assert "Báo cáo xã 21130, tháng 06/2026" in june and shown(june) == own_report(dirs["k-1"])["sessions"]
    july = staff.get("/reports.json", params={"month": "2026-07"}).json()
    assert (july["sessions"], july["until"]) == (own_report(dirs["k-2"])["sessions"], "2026-08-01")
    august = staff.get("/reports.json", params={"month": "2026-08", "commune": "21131"}).json()
    own = own_report(dirs["k-3"], "--since", "2026-08-01")
    drop = {"generated_at", "by_commune", "commune", "until"}
    assert {k: v for k, v in august.items() if k not in drop} == {k: v for k, v in own.items() if k not in drop}
    csv = staff.get("/reports.csv", params={"month": "2026-08"})
    assert csv.status_code == 200 and "commune_visitors,21131,,," in csv.text
    assert staff.get("/reports", params={"month": "2026-13"}).status_code == 400
    away = logged_in(f"postgresql://report_x:pw@127.0.0.1:{free_port()}/province")
    r = away.get("/reports")
    assert r.status_code == 503 and "Không đọc được cơ sở dữ liệu của tỉnh" in r.text
