"""A province on PostgreSQL: sync throughput, first full sync of a kiosk-year, province report.

    python -m bench.province [--communes 100] [--kiosks 2] [--days 365] [--per-day 37]

Starts its own PostgreSQL cluster (Debian's packages, as the `postgres` user, durable settings),
creates the central schema, then:

1. one kiosk-year in a real kiosk log (SQLite, written through the kiosk's Store and Queue with
   the replay journeys' shapes: tests/central_helpers.fill_kiosk), sent by `kiosk sync` as the
   kiosk's own least-privilege login: events/s and the time of that first full sync;
2. the rest of the province generated server-side (INSERT … SELECT over generate_series: the
   same shapes — welcome, modes, a lesson walked to some step, finish, quiz, practice, drills,
   tickets served with outcomes — with the numbers drawn in SQL), so 20 million events take
   minutes, not hours;
3. `kiosk report --db … --json` over all of it (median of 3 runs), with the row counts.

Writes bench/results/province.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.central_helpers import PgCluster, fill_kiosk  # noqa: E402

LESSONS = "(ARRAY['vneid-muc-2','dvc-nop-ho-so','vietqr','lua-dao-otp','bhyt-vneid'])"
TOPICS = "(ARRAY['vneid','dvc','payment','safety','health'])"
STEPS = "(ARRAY[7,6,5,4,5])"

# One row per visit, every random choice drawn once; the tables are derived from it.
VISITS = f"""
CREATE UNLOGGED TABLE visits AS
SELECT k.commune, k.kiosk, (d * %(per_day)s + n) AS vno,
       md5(k.kiosk || ':' || d || ':' || n) AS sid,
       (timestamptz '2025-01-01 01:00+00' + d * interval '1 day'
          + (n * (10.0 / %(per_day)s)) * interval '1 hour' + random() * interval '10 minutes') AS started,
       li, r1, r2, r3, r4, r5
FROM gen_kiosks k, generate_series(0, %(days)s - 1) d, generate_series(0, %(per_day)s - 1) n,
     LATERAL (SELECT 1 + floor(random() * 5)::int AS li, random() AS r1, random() AS r2,
                     random() AS r3, random() AS r4, random() AS r5
                     WHERE d IS NOT NULL AND n IS NOT NULL) x  -- correlated: drawn per visit
"""

SHAPE = f"""
CREATE UNLOGGED TABLE shaped AS
SELECT v.*, {LESSONS}[li] AS lesson, {TOPICS}[li] AS topic, {STEPS}[li] AS steps,
       1 + floor(r1 * {STEPS}[li])::int AS reach,
       (floor(r1 * {STEPS}[li])::int + 1 = {STEPS}[li] AND r2 < 0.8) AS finished,
       (r3 < 0.3) AS practice, (r4 < 0.25) AS ticket,
       CASE WHEN r5 < 0.05 THEN '["large_text","audio"]' WHEN r5 < 0.15 THEN '["large_text"]'
            WHEN r5 < 0.2 THEN '["captions"]' ELSE '[]' END AS modes
FROM visits v;
ALTER TABLE shaped ADD COLUMN nev int;
UPDATE shaped SET nev = 2 + reach + CASE WHEN finished THEN 2 ELSE 0 END
                  + CASE WHEN practice THEN 2 ELSE 0 END + CASE WHEN topic = 'safety' THEN 1 ELSE 0 END;
CREATE UNLOGGED TABLE based AS
SELECT s.*, sum(nev) OVER (PARTITION BY kiosk ORDER BY vno) - nev AS ev_base FROM shaped s;
"""

FILL = f"""
INSERT INTO sessions
SELECT commune, kiosk, sid, started, started + (40 + reach * 20) * interval '1 second',
       CASE WHEN r2 < 0.7 THEN 'done' WHEN r2 < 0.9 THEN 'timeout' ELSE 'left' END, 'kiosk',
       modes::jsonb, CASE WHEN r4 < 0.05 THEN 'elderly' END FROM based;
INSERT INTO lesson_progress
SELECT commune, kiosk, sid, lesson, topic, started + interval '5 seconds',
       CASE WHEN finished THEN steps ELSE reach END, steps, finished::int,
       CASE WHEN finished THEN started + (10 + 20 * reach) * interval '1 second' END FROM based;
INSERT INTO tickets
SELECT commune, kiosk, row_number() OVER (PARTITION BY kiosk ORDER BY vno), 'A' || lpad((vno %% 999 + 1)::text, 3, '0'),
       (started AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, sid, started + interval '90 seconds',
       CASE WHEN r3 < 0.9 THEN 'served' ELSE 'no_show' END, lesson, reach,
       jsonb_build_object('lesson', lesson, 'step', reach),
       CASE WHEN r4 < 0.05 THEN 'elderly' END, 1 + (vno %% 3), 1, started + interval '200 seconds',
       started + interval '200 seconds', started + interval '600 seconds',
       CASE WHEN r3 < 0.9 THEN (ARRAY['resolved_at_kiosk','done_at_counter','referred','not_possible'])[1 + floor(r5 * 4)::int] END,
       'vneid', 'lan', started + interval '600 seconds'
FROM based WHERE ticket;
INSERT INTO events
SELECT b.commune, b.kiosk, b.ev_base + k, b.sid, b.started + k * interval '20 seconds', e.kind,
       CASE WHEN k = 1 THEN 'welcome' ELSE 'step' END, e.lesson, e.step, e.data
FROM based b, generate_series(1, b.nev) k,
LATERAL (SELECT
  CASE WHEN k = 1 THEN 'screen' WHEN k = 2 THEN 'lesson_start' WHEN k <= 2 + b.reach THEN 'step'
       WHEN b.finished AND k = 3 + b.reach THEN 'lesson_finish'
       WHEN b.finished AND k = 4 + b.reach THEN 'quiz_answer'
       WHEN b.practice AND k = b.nev - (CASE WHEN b.topic = 'safety' THEN 2 ELSE 1 END) THEN 'practice_start'
       WHEN b.practice AND k = b.nev - (CASE WHEN b.topic = 'safety' THEN 1 ELSE 0 END) THEN 'practice_finish'
       ELSE 'drill_answer' END AS kind,
  CASE WHEN k >= 2 THEN b.lesson END AS lesson,
  CASE WHEN k > 2 AND k <= 2 + b.reach THEN k - 2 END AS step,
  CASE WHEN k = 1 THEN '{{}}'::jsonb
       WHEN k = 2 THEN jsonb_build_object('lesson', b.lesson)
       WHEN k <= 2 + b.reach THEN jsonb_build_object('lesson', b.lesson, 'step', k - 2)
       WHEN b.finished AND k = 3 + b.reach THEN jsonb_build_object('lesson', b.lesson)
       WHEN b.finished AND k = 4 + b.reach THEN jsonb_build_object('lesson', b.lesson, 'question', 1, 'right', b.r2 < 0.56)
       WHEN b.practice AND k = b.nev - (CASE WHEN b.topic = 'safety' THEN 2 ELSE 1 END) THEN jsonb_build_object('practice', 'vneid-otp')
       WHEN b.practice AND k = b.nev - (CASE WHEN b.topic = 'safety' THEN 1 ELSE 0 END) THEN jsonb_build_object('practice', 'vneid-otp', 'first_try', b.r5 < 0.5)
       ELSE jsonb_build_object('drill', 'cong-an-goi-video', 'choice', 1, 'right', b.r4 < 0.6, 'first', true) END AS data) e;
"""


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def kiosk_year(pg_url: str, login: str, per_day: int, days: int) -> dict:
    """One kiosk's year in a real SQLite log, then its first full `kiosk sync`."""
    data = Path(tempfile.mkdtemp(prefix="bench-kiosk-"))
    # fill_kiosk draws 3-90 minutes between visits (mean ~46): that many visits make `days` days
    visits = max(1, int(days * per_day))
    counts, fill_s = timed(lambda: fill_kiosk(data, "00001", "bench-1", sessions=visits, seed=1,
                                              start="2025-01-01T00:00:00"))
    cmd = [sys.executable, "-m", "kiosk", "sync", "--to", login, "--data", str(data), "--json"]
    r, sync_s = timed(lambda: subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT))
    if r.returncode != 0:
        raise SystemExit(f"sync failed: {r.stderr}")
    sent = json.loads(r.stdout)["sent"]
    rows = sum(sent.values())
    return {"local_rows": counts, "sent": sent, "fill_seconds": round(fill_s, 1),
            "first_full_sync_seconds": round(sync_s, 2),
            "events_per_second": round(sent["events"] / sync_s), "rows_per_second": round(rows / sync_s)}


def province(admin_url: str, communes: int, kiosks: int, days: int, per_day: int) -> dict:
    import psycopg
    steps = {}
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute("SELECT setseed(0.19)")
        c.execute("CREATE UNLOGGED TABLE gen_kiosks AS SELECT lpad(cm::text, 5, '0') AS commune, "
                  "'k' || cm || '-' || kn AS kiosk FROM generate_series(1, %s) cm, generate_series(1, %s) kn",
                  (communes, kiosks))
        c.execute("INSERT INTO kiosks (kiosk, commune, role) SELECT kiosk, commune, 'gen_' || kiosk FROM gen_kiosks")
        for name, sql in (("visits", VISITS), ("shape", SHAPE), ("fill", FILL)):
            t = time.perf_counter()
            for stmt in [s for s in sql.split(";\n") if s.strip()]:
                # numbers formatted in (utility statements such as CREATE TABLE AS take no parameters)
                c.execute(stmt % {"per_day": int(per_day), "days": int(days)})
            steps[name] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        c.execute("DROP TABLE visits, shaped, based, gen_kiosks")
        c.execute("VACUUM ANALYZE")
        steps["vacuum_analyze"] = round(time.perf_counter() - t, 1)
    return steps


def in_process_report(url: str, runs: int = 3) -> dict:
    """The report's own time, without the `kiosk` process start (median of `runs`)."""
    from kiosk.central.report import build_central_report
    from kiosk.central.schema import connect
    times = []
    with connect(url) as c:
        for _ in range(runs):
            with c.transaction():
                c.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                times.append(timed(lambda: build_central_report(c))[1])
    return {"runs": [round(x, 2) for x in times], "median": round(statistics.median(times), 2)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--kiosks", type=int, default=2)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--per-day", type=int, default=37, help="visits per kiosk per day (~7.4 events each)")
    ap.add_argument("--sync-days", type=int, default=365, help="days of the kiosk-year sent by `kiosk sync`")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "province.json")
    a = ap.parse_args(argv)
    from kiosk.central import roles, schema
    pg = PgCluster(fast=False)
    try:
        admin = pg.create_db("province")
        with schema.connect(admin) as c:
            schema.init(c)
            login = roles.add_kiosk(c, admin, "00001", "bench-1")["url"]
            reader = roles.add_reader(c, admin, "bench")["url"]
        result = {"scale": vars(a) | {"out": a.out.name}, "postgresql": str(pg.bindir)}
        result["kiosk_year_sync"] = kiosk_year(admin, login, a.per_day, a.sync_days)
        print(json.dumps(result["kiosk_year_sync"]), flush=True)
        result["generate_seconds"] = province(admin, a.communes, a.kiosks, a.days, a.per_day)
        print(json.dumps(result["generate_seconds"]), flush=True)
        from kiosk.central import rollup
        from kiosk.central.report import report_zone
        with schema.connect(admin) as c:
            result["report_seconds_without_rollups"] = in_process_report(reader, runs=1)
            t = time.perf_counter()
            rollup.refresh(c, report_zone())
            result["rollup_refresh_seconds"] = round(time.perf_counter() - t, 1)
            result["rollup_rows"] = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
                *schema.ROLL_TABLES, *(f"{t}_month" for t in schema.ROLL_TABLES), "roll_visitors", "roll_helped")}
            print(json.dumps({k: result[k] for k in ("report_seconds_without_rollups", "rollup_refresh_seconds",
                                                     "rollup_rows")}), flush=True)
        with schema.connect(admin) as c:
            result["rows"] = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                              for t in ("kiosks", "sessions", "events", "lesson_progress", "tickets")}
            result["database_bytes"] = c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        runs = []
        for _ in range(3):
            r, s = timed(lambda: subprocess.run([sys.executable, "-m", "kiosk", "report", "--json", "--db", reader],
                                                capture_output=True, text=True, cwd=ROOT))
            if r.returncode != 0:
                raise SystemExit(f"report failed: {r.stderr}")
            runs.append(s)
        rep = json.loads(r.stdout)
        result["report_seconds_in_process"] = in_process_report(reader)
        result["report_seconds"] = {"runs": [round(x, 2) for x in runs], "median": round(statistics.median(runs), 2),
                                    "goal": 2.0}
        result["report_excerpt"] = {k: rep[k] for k in ("sessions", "events", "lessons_started",
                                                        "lessons_finished", "modes")}
        result["report_excerpt"]["by_commune_first"] = rep["by_commune"][:2]
        result["report_excerpt"]["communes"] = len(rep["by_commune"])
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
        print(json.dumps({k: result[k] for k in ("rows", "report_seconds", "report_seconds_in_process",
                                                 "report_seconds_without_rollups",
                                                 "database_bytes")}, indent=2))
    finally:
        pg.close()


if __name__ == "__main__":
    main()
