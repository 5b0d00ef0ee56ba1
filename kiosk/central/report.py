"""The province's report: `kiosk report --db postgresql://…`, from the central database.

The same figures, with the same definitions, as a kiosk's own report (kiosk/core/data/report.py:
sessions by start time, lessons from lesson_progress, activity from events of those sessions,
escalations from tickets by creation time, days of the centre's zone, KIOSK_TZ), plus
`by_commune`. Every count is grouped by commune in SQL and summed here, so the province's totals
and `by_commune` come from one pass; only the two medians need their own query.
"""

from __future__ import annotations

import datetime as dt

from kiosk.core.visit.flow import MODE_NAMES
from kiosk.core.content.lessons import Catalog
from kiosk.core.data.report import fold_activity, funnel, parse_since, periods
from kiosk.core.data.report import report_csv
from kiosk.core.data.timeutil import centre_zone, utcnow, zone_name

ACTIVITY = ("practice_start", "practice_finish", "drill_answer", "quiz_answer")


class _Where:
    """The filters: sessions (s) by start, tickets (t) by creation, rollups (r) by local day;
    optionally one commune. Raw rows are read only after the rollups' marks."""

    def __init__(self, since: str | None, since_ts: str | None, commune: str | None, marks=(0, 0)):
        self.s, self.t, self.s_args, self.t_args = ["TRUE"], ["TRUE"], [], []
        self.r, self.r_args = ["TRUE"], []
        self.smark, self.tmark = marks
        if since_ts:
            self.s.append("s.started_at >= %s")
            self.t.append("t.created_at >= %s")
            self.r.append("r.day >= %s")  # since_ts is that day's local midnight: same rows
            self.s_args.append(since_ts)
            self.t_args.append(since_ts)
            self.r_args.append(dt.date.fromisoformat(since))
        if commune:
            for cond, args, alias in ((self.s, self.s_args, "s"), (self.t, self.t_args, "t"),
                                      (self.r, self.r_args, "r")):
                cond.append(f"{alias}.commune = %s")
                args.append(commune)
        self.use_rollups = bool(self.smark or self.tmark)

    @property
    def roll(self) -> str:
        return " AND ".join(self.r)

    @property
    def s_new(self) -> str:
        """Sessions after the rollups' mark (all of them when there are no rollups)."""
        return f"{self.sessions} AND s.seq > {int(self.smark)}" if self.smark else self.sessions

    @property
    def t_new(self) -> str:
        return f"{self.tickets} AND t.seq > {int(self.tmark)}" if self.tmark else self.tickets

    @property
    def sessions(self) -> str:
        return " AND ".join(self.s)

    @property
    def tickets(self) -> str:
        return " AND ".join(self.t)


def _add(d: dict, key, n: int) -> None:
    d[key] = d.get(key, 0) + n


def _commune(by: dict, code: str) -> dict:
    return by.setdefault(code, {
        "commune": code, "kiosks": 0, "visitors": 0, "lessons_started": 0, "lessons_finished": 0,
        "escalations": {"total": 0, "by_status": {}, "by_outcome": {}},
        "modes": {m: 0 for m in MODE_NAMES}})


def _marks(cur, tz: str) -> tuple[int, int]:
    """The rollups' marks, or (0, 0) (every row read directly) when there are none for this zone."""
    from kiosk.central.rollup import marks
    cur.execute("SELECT to_regclass('rollup_marks') IS NOT NULL")
    if not cur.fetchone()[0]:
        return 0, 0
    have = marks(cur)
    if any(z != tz for _, z in have.values()):
        return 0, 0
    return have.get("sessions", (0, tz))[0], have.get("tickets", (0, tz))[0]


def report_zone() -> str:
    return getattr(centre_zone(), "key", None) or zone_name()  # an unknown KIOSK_TZ: the default


def build_central_report(conn, since: str | None = None, catalog: Catalog | None = None,
                         commune: str | None = None) -> dict:
    since_ts = parse_since(since)
    cur = conn.cursor()
    w = _Where(since, since_ts, commune, _marks(cur, report_zone()))
    by: dict[str, dict] = {}

    def q(sql: str, args: list, roll_sql: str | None = None, roll_args: list | None = None) -> list[tuple]:
        """Rows of a query over the rows after the mark, then (if any) the rollups' rows."""
        cur.execute(sql, args)
        rows = cur.fetchall()
        if roll_sql and w.use_rollups:
            cur.execute(roll_sql, roll_args or [])
            rows += cur.fetchall()
        return rows

    for code, n in q("SELECT commune, count(*) FROM kiosks" + (" WHERE commune = %s" if commune else "")
                     + " GROUP BY 1", [commune] if commune else []):
        _commune(by, code)["kiosks"] = n
    end_reasons: dict[str, int] = {}
    for code, reason, n in q(f"SELECT s.commune, COALESCE(s.end_reason, 'open'), count(*) FROM sessions s "
                             f"WHERE {w.s_new} GROUP BY 1, 2", w.s_args,
                             f"SELECT r.commune, r.end_reason, sum(r.n)::bigint FROM roll_sessions r "
                             f"WHERE {w.roll} GROUP BY 1, 2", w.r_args):
        _commune(by, code)["visitors"] += n
        _add(end_reasons, reason, n)
    (median,) = q("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
                  f"s.ended_at - s.started_at)) FROM sessions s WHERE {w.sessions} "
                  "AND s.ended_at IS NOT NULL", w.s_args)[0]

    lessons = _lessons(q, w, by, catalog)
    topics: dict[str, dict] = {}
    for l in lessons:
        t = topics.setdefault(l["topic"], {"topic": l["topic"], "started": 0, "finished": 0})
        t["started"] += l["started"]
        t["finished"] += l["finished"]

    modes = {m: 0 for m in MODE_NAMES}
    for code, mode, n in q(
            "SELECT s.commune, m.value, count(DISTINCT (s.kiosk, s.id)) FROM sessions s CROSS JOIN "
            "LATERAL jsonb_array_elements_text(COALESCE(s.modes, '[]'::jsonb)) AS m(value) "
            f"WHERE {w.s_new} GROUP BY 1, 2", w.s_args,
            "SELECT r.commune, m.value, sum(r.n)::bigint FROM roll_sessions r CROSS JOIN LATERAL "
            "(SELECT DISTINCT value FROM jsonb_array_elements_text(r.modes)) AS m "
            f"WHERE {w.roll} GROUP BY 1, 2", w.r_args):
        _add(modes, mode, n)
        _add(_commune(by, code)["modes"], mode, n)

    report = {
        "generated_at": utcnow(),
        "since": since,
        "sessions": sum(c["visitors"] for c in by.values()),
        "median_session_seconds": round(float(median), 1) if median is not None else None,
        "end_reasons": end_reasons,
        "lessons_started": sum(l["started"] for l in lessons),
        "lessons_finished": sum(l["finished"] for l in lessons),
        "lessons": lessons,
        "topics": sorted(topics.values(), key=lambda t: t["topic"]),
        "escalations": _escalations(q, w, by),
        "events": _events(q, commune),
        **_activity(q, w, catalog),
        "modes": modes,
    }
    _periods(q, w, report)
    report["by_commune"] = [by[c] for c in sorted(by)]
    if commune:
        report["commune"] = commune
    return report


def _lessons(q, w: _Where, by: dict, catalog: Catalog | None) -> list[dict]:
    rows = q("SELECT p.commune, p.lesson, p.topic, p.max_step, p.finished, count(*), max(p.steps) "
             "FROM lesson_progress p JOIN sessions s ON s.kiosk = p.kiosk AND s.id = p.session_id "
             f"WHERE {w.s_new} GROUP BY 1, 2, 3, 4, 5", w.s_args,
             "SELECT r.commune, r.lesson, r.topic, r.max_step, r.finished, sum(r.n)::bigint, max(r.steps) "
             f"FROM roll_progress r WHERE {w.roll} GROUP BY 1, 2, 3, 4, 5", w.r_args)
    agg: dict[tuple, dict] = {}
    reached: list[tuple] = []
    for code, lesson, topic, max_step, finished, n, steps in rows:
        a = agg.setdefault((lesson, topic), {"started": 0, "finished": 0, "steps": None, "dropoff": {}})
        a["started"] += n
        a["finished"] += n * (finished or 0)
        a["steps"] = max(a["steps"] or 0, steps or 0) if (steps is not None or a["steps"]) else None
        if not finished:
            _add(a["dropoff"], str(max_step or 0), n)
        reached.append((lesson, max_step, n))
        c = _commune(by, code)
        c["lessons_started"] += n
        c["lessons_finished"] += n * (finished or 0)
    out = []
    for (lesson, topic), a in sorted(agg.items(), key=lambda kv: (kv[0][1] or "", kv[0][0])):
        meta = catalog.get(lesson) if catalog else None
        out.append({"lesson": lesson, "topic": topic, "title": meta.title if meta else None,
                    "steps": a["steps"], "started": a["started"], "finished": a["finished"],
                    "dropoff": dict(sorted(a["dropoff"].items(), key=lambda kv: int(kv[0]))),
                    "funnel": funnel(lesson, a["steps"], reached)})
    return out


def _escalations(q, w: _Where, by: dict) -> dict:
    esc = {"total": 0, "by_status": {}, "by_outcome": {}, "by_category": {}, "by_group": {}}
    for code, status, outcome, category, group, n in q(
            "SELECT t.commune, t.status, t.outcome, COALESCE(t.category, 'none'), "
            f"COALESCE(t.priority, 'none'), count(*) FROM tickets t WHERE {w.t_new} "
            "GROUP BY 1, 2, 3, 4, 5", w.t_args,
            "SELECT r.commune, r.status, r.outcome, r.category, r.priority, sum(r.n)::bigint "
            f"FROM roll_tickets r WHERE {w.roll} GROUP BY 1, 2, 3, 4, 5", w.r_args):
        c = _commune(by, code)["escalations"]
        esc["total"] += n
        c["total"] += n
        _add(esc["by_status"], status, n)
        _add(c["by_status"], status, n)
        _add(esc["by_group"], group, n)
        if status == "served":
            _add(esc["by_outcome"], outcome, n)
            _add(c["by_outcome"], outcome, n)
            _add(esc["by_category"], category, n)
    for key in ("by_outcome", "by_category", "by_group"):
        esc[key] = dict(sorted(esc[key].items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
    median, called = q("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM "
                       "t.first_called_at - t.created_at)), count(*) FROM tickets t "
                       f"WHERE {w.tickets} AND t.first_called_at IS NOT NULL", w.t_args)[0]
    esc["median_wait_seconds"] = round(float(median), 1) if median is not None else None
    esc["called"] = called
    return esc


def _events(q, commune: str | None) -> int:
    """Events ever logged: as a kiosk counts them (its highest id), summed over kiosks. One
    index probe per kiosk instead of a scan of every event."""
    rows = q("SELECT COALESCE(sum((SELECT max(e.id) FROM events e WHERE e.kiosk = k.kiosk)), 0) "
             "FROM kiosks k" + (" WHERE k.commune = %s" if commune else ""), [commune] if commune else [])
    return int(rows[0][0])


def _activity(q, w: _Where, catalog: Catalog | None) -> dict:
    """Practice, drills and quiz, folded by the kiosk report's own fold_activity."""
    from kiosk.core.content.practice import book_of
    book = book_of(catalog) if catalog else None
    rows = q("SELECT e.kind, e.data->>'practice', e.data->>'drill', e.data->>'lesson', "
             "e.data->'first_try' = 'true', e.data->'right' = 'true', e.data->'first' = 'true', count(*) "
             "FROM events e JOIN sessions s ON s.kiosk = e.kiosk AND s.id = e.session_id "
             f"WHERE e.kind = ANY(%s) AND {w.s_new} GROUP BY 1, 2, 3, 4, 5, 6, 7",
             [list(ACTIVITY), *w.s_args],
             "SELECT r.kind, r.practice, r.drill, r.lesson, r.first_try, r.is_right, r.is_first, "
             f"sum(r.n)::bigint FROM roll_activity r WHERE {w.roll} GROUP BY 1, 2, 3, 4, 5, 6, 7", w.r_args)
    return fold_activity(rows, book)


def _periods(q, w: _Where, report: dict) -> None:
    """Visitors and help by the centre's day, week and month; visitor groups."""
    tz = report_zone()
    per_day: dict[str, int] = {}
    for day, n in q(f"SELECT (s.started_at AT TIME ZONE %s)::date, count(*) FROM sessions s WHERE {w.s_new} "
                    "GROUP BY 1", [tz, *w.s_args],
                    f"SELECT r.day, sum(r.n)::bigint FROM roll_sessions r WHERE {w.roll} GROUP BY 1", w.r_args):
        _add(per_day, str(day), n)
    report["visitors"] = periods(per_day)
    groups: dict[str, int] = {}
    for group, n in q(f"SELECT COALESCE(s.visitor_group, 'none'), count(*) FROM sessions s WHERE {w.s_new} "
                      "GROUP BY 1", w.s_args,
                      f"SELECT r.visitor_group, sum(r.n)::bigint FROM roll_sessions r WHERE {w.roll} GROUP BY 1",
                      w.r_args):
        _add(groups, group, n)
    report["visitor_groups"] = dict(sorted(groups.items()))
    helped: dict[str, int] = {}
    for day, n in q(f"SELECT (t.served_at AT TIME ZONE %s)::date, count(*) FROM tickets t WHERE {w.t_new} "
                    "AND t.status = 'served' AND t.served_at IS NOT NULL GROUP BY 1", [tz, *w.t_args],
                    f"SELECT r.served_day, sum(r.n)::bigint FROM roll_tickets r WHERE {w.roll} "
                    "AND r.status = 'served' AND r.served_day IS NOT NULL GROUP BY 1", w.r_args):
        _add(helped, str(day), n)
    report["helped"] = periods(helped)


def central_csv(report: dict) -> str:
    """`report_csv` rows, then one row per commune figure (the commune's code in `topic`)."""
    import csv
    import io
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    for c in report["by_commune"]:
        for key in ("kiosks", "visitors", "lessons_started", "lessons_finished"):
            w.writerow([f"commune_{key}", c["commune"], "", "", c[key]])
        w.writerow(["commune_escalations", c["commune"], "", "", c["escalations"]["total"]])
        for outcome, n in c["escalations"]["by_outcome"].items():
            w.writerow([f"commune_escalations_outcome_{outcome}", c["commune"], "", "", n])
        for mode, n in c["modes"].items():
            w.writerow([f"commune_sessions_with_mode_{mode}", c["commune"], "", "", n])
    return report_csv(report) + out.getvalue()
