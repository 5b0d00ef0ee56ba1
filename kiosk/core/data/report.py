"""Numbers for the commune's indicators, computed in SQL from the log.

The report reads the small summary tables (sessions, lesson_progress, tickets), so it stays
fast however long the event log grows. Keys of `build_report` are documented in the README.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics

from kiosk.core.content.catalog import Catalog
from kiosk.core.content.practice import book_of
from kiosk.core.state import MODE_NAMES
from kiosk.core.data.store import Store, utcnow
from kiosk.core.data.timeutil import day_start, local_day


def parse_since(text: str | None) -> str | None:
    """'2026-11-01' -> the stored UTC stamp of that day's start at the centre (KIOSK_TZ);
    ValueError on bad input."""
    if not text:
        return None
    return day_start(dt.date.fromisoformat(text))


def _per_local_day(rows) -> dict[str, int]:
    """(UTC minute 'YYYY-MM-DDTHH:MM', count) rows -> counts per day of the centre (KIOSK_TZ).

    SQL groups by minute and Python folds minutes into local days: a zone's offset is whole
    minutes, and this is far fewer Python calls than converting every row."""
    out: dict[str, int] = {}
    for minute, n in rows:
        if minute:
            day = local_day(minute)
            out[day] = out.get(day, 0) + n
    return out


def build_report(store: Store, since: str | None = None, catalog: Catalog | None = None) -> dict:
    since_ts = parse_since(since)
    c = store.conn
    cond, args = ("WHERE s.started_at >= ?", [since_ts]) if since_ts else ("", [])

    sessions = c.execute(f"SELECT COUNT(*) FROM sessions s {cond}", args).fetchone()[0]
    durations = [row[0] for row in c.execute(
        f"SELECT (julianday(ended_at) - julianday(started_at)) * 86400 FROM sessions s {cond}"
        f"{' AND' if cond else ' WHERE'} ended_at IS NOT NULL", args)]
    end_reasons = dict(c.execute(
        f"SELECT COALESCE(end_reason, 'open'), COUNT(*) FROM sessions s {cond} GROUP BY 1", args))

    progress = c.execute(
        f"SELECT p.lesson, p.topic, COUNT(*), SUM(p.finished), MAX(p.steps) "
        f"FROM lesson_progress p JOIN sessions s ON s.id = p.session_id {cond} "
        f"GROUP BY p.lesson, p.topic ORDER BY p.topic, p.lesson", args).fetchall()
    stops = c.execute(
        f"SELECT p.lesson, p.max_step, COUNT(*) FROM lesson_progress p "
        f"JOIN sessions s ON s.id = p.session_id {cond}{' AND' if cond else ' WHERE'} p.finished = 0 "
        f"GROUP BY p.lesson, p.max_step", args).fetchall()
    dropoff: dict[str, dict[str, int]] = {}
    for lesson, step, count in stops:
        dropoff.setdefault(lesson, {})[str(step or 0)] = count

    reached_rows = c.execute(
        f"SELECT p.lesson, p.max_step, COUNT(*) FROM lesson_progress p "
        f"JOIN sessions s ON s.id = p.session_id {cond} GROUP BY p.lesson, p.max_step", args).fetchall()

    lessons, topics = [], {}
    for lesson, topic, started, finished, steps in progress:
        meta = catalog.get(lesson) if catalog else None
        lessons.append({
            "lesson": lesson, "topic": topic, "title": meta.title if meta else None,
            "steps": steps, "started": started, "finished": finished or 0,
            "dropoff": dict(sorted(dropoff.get(lesson, {}).items(), key=lambda kv: int(kv[0]))),
            "funnel": funnel(lesson, steps, reached_rows),
        })
        t = topics.setdefault(topic, {"topic": topic, "started": 0, "finished": 0})
        t["started"] += started
        t["finished"] += finished or 0

    # accessibility modes: how many sessions used each (the session row keeps the modes used)
    modes = {m: 0 for m in MODE_NAMES}
    for mode, count in c.execute(
            f"SELECT j.value, COUNT(DISTINCT s.id) FROM sessions s, json_each(COALESCE(s.modes, '[]')) j "
            f"{cond} GROUP BY 1", args):
        modes[mode] = count

    tcond, targs = ("WHERE created_at >= ?", [since_ts]) if since_ts else ("", [])
    by_status = dict(c.execute(f"SELECT status, COUNT(*) FROM tickets {tcond} GROUP BY status", targs))
    events = c.execute("SELECT MAX(id) FROM events").fetchone()[0] or 0

    report = {
        "generated_at": utcnow(),
        "since": since,
        "sessions": sessions,
        "median_session_seconds": round(statistics.median(durations), 1) if durations else None,
        "end_reasons": end_reasons,
        "lessons_started": sum(l["started"] for l in lessons),
        "lessons_finished": sum(l["finished"] for l in lessons),
        "lessons": lessons,
        "topics": sorted(topics.values(), key=lambda t: t["topic"]),
        "escalations": {"total": sum(by_status.values()), "by_status": by_status},
        "events": events,
        **activity_report(store, since_ts, catalog),
        "modes": modes,
    }
    _staff_figures(c, report, cond, args, tcond, targs)
    return report


def activity_report(store: Store, since_ts: str | None, catalog: Catalog | None = None) -> dict:
    """Practice copies, scam drills and quiz answers, counted from their log events.

    Keys: "practice" (started, finished, first_try, by_practice), "drills" (answers, right,
    wrong, by_drill) and "quiz" (answers, right, wrong, by_lesson). No identity involved: the
    events carry only the practice/drill/lesson id and right/wrong.
    """
    book = book_of(catalog) if catalog else None
    cond, args = ("AND s.started_at >= ?", [since_ts]) if since_ts else ("", [])

    def rows(kinds: tuple[str, ...], *fields: str):
        cols = ", ".join(f"json_extract(e.data, '$.{f}')" for f in fields)
        marks = ", ".join("?" for _ in kinds)
        return store.conn.execute(
            f"SELECT e.kind, {cols}, COUNT(*) FROM events e JOIN sessions s ON s.id = e.session_id "
            f"WHERE e.kind IN ({marks}) {cond} GROUP BY 1, {', '.join(str(i + 2) for i in range(len(fields)))}",
            list(kinds) + args).fetchall()

    folded = ([(kind, pid, None, None, first_try, None, None, n)
               for kind, pid, first_try, n in rows(("practice_start", "practice_finish"), "practice", "first_try")]
              + [(kind, None, did, None, None, right, first, n)
                 for kind, did, right, first, n in rows(("drill_answer",), "drill", "right", "first")]
              + [(kind, None, None, lesson, None, right, None, n)
                 for kind, lesson, right, n in rows(("quiz_answer",), "lesson", "right")])
    return fold_activity(folded, book)


def fold_activity(rows, book=None) -> dict:
    """Counted activity events -> the report's "practice", "drills" and "quiz" parts. Each row is
    (kind, practice, drill, lesson, first_try, right, first, count); the kiosk's report and the
    province's (kiosk.central.report) both fold their rows here, so the two cannot drift."""
    practices: dict[str, dict] = {}
    drills: dict[str, dict] = {}
    quiz: dict[str, dict] = {}
    for kind, pid, did, lesson, first_try, right, first, n in rows:
        if kind in ("practice_start", "practice_finish"):
            meta = book.practice(pid) if book else None
            row = practices.setdefault(pid, {"practice": pid, "title": meta.title if meta else None,
                                             "started": 0, "finished": 0, "first_try": 0})
            if kind == "practice_start":
                row["started"] += n
            else:
                row["finished"] += n
                row["first_try"] += n if first_try else 0
        elif kind == "drill_answer":
            meta = book.drill(did) if book else None
            row = drills.setdefault(did, {"drill": did, "title": meta.title if meta else None,
                                          "right": 0, "wrong": 0, "first_right": 0})
            row["right" if right else "wrong"] += n
            row["first_right"] += n if (right and first) else 0
        else:
            row = quiz.setdefault(lesson, {"lesson": lesson, "right": 0, "wrong": 0})
            row["right" if right else "wrong"] += n

    def total(items, key):
        return sum(r[key] for r in items)
    p_list = sorted(practices.values(), key=lambda r: r["practice"])
    d_list = sorted(drills.values(), key=lambda r: r["drill"])
    q_list = sorted(quiz.values(), key=lambda r: r["lesson"])
    return {
        "practice": {"started": total(p_list, "started"), "finished": total(p_list, "finished"),
                     "first_try": total(p_list, "first_try"), "by_practice": p_list},
        "drills": {"answers": total(d_list, "right") + total(d_list, "wrong"),
                   "right": total(d_list, "right"), "wrong": total(d_list, "wrong"), "by_drill": d_list},
        "quiz": {"answers": total(q_list, "right") + total(q_list, "wrong"),
                 "right": total(q_list, "right"), "wrong": total(q_list, "wrong"), "by_lesson": q_list},
    }


def funnel(lesson: str, steps: int | None, rows) -> dict[str, int]:
    """Sessions that reached each step of a lesson (step 1 = began it): where visitors give up."""
    reached = [(step or 0, n) for l, step, n in rows if l == lesson]
    top = max([steps or 0] + [s for s, _ in reached])
    return {str(k): sum(n for s, n in reached if s >= k) for k in range(1, top + 1)}


def periods(per_day: dict[str, int]) -> dict:
    """{'2026-11-25': 3, ...} -> counts by day, ISO week ('2026-W48') and month ('2026-11')."""
    weeks: dict[str, int] = {}
    months: dict[str, int] = {}
    for day, n in per_day.items():
        d = dt.date.fromisoformat(day)
        year, week, _ = d.isocalendar()
        weeks[f"{year}-W{week:02d}"] = weeks.get(f"{year}-W{week:02d}", 0) + n
        months[day[:7]] = months.get(day[:7], 0) + n
    return {"by_day": dict(sorted(per_day.items())), "by_week": dict(sorted(weeks.items())),
            "by_month": dict(sorted(months.items()))}


def _staff_figures(c, report: dict, cond: str, args: list, tcond: str, targs: list) -> None:
    """Keys added for the staff console (README): visitors per period and group, helped per
    period, escalation outcomes, categories, groups and median wait. Days are the centre's."""
    per_day = _per_local_day(c.execute(
        f"SELECT substr(s.started_at, 1, 16), COUNT(*) FROM sessions s {cond} GROUP BY 1", args))
    report["visitors"] = periods(per_day)
    report["visitor_groups"] = dict(c.execute(
        f"SELECT COALESCE(s.visitor_group, 'none'), COUNT(*) FROM sessions s {cond} GROUP BY 1 ORDER BY 1",
        args))
    served = f"{tcond}{' AND' if tcond else ' WHERE'} status = 'served'"
    report["helped"] = periods(_per_local_day(c.execute(
        f"SELECT substr(served_at, 1, 16), COUNT(*) FROM tickets {served} GROUP BY 1", targs)))
    esc = report["escalations"]
    esc["by_outcome"] = dict(c.execute(
        f"SELECT outcome, COUNT(*) FROM tickets {served} GROUP BY 1 ORDER BY 1", targs))
    esc["by_category"] = dict(c.execute(
        f"SELECT COALESCE(category, 'none'), COUNT(*) FROM tickets {served} GROUP BY 1 ORDER BY 1", targs))
    esc["by_group"] = dict(c.execute(
        f"SELECT COALESCE(priority, 'none'), COUNT(*) FROM tickets {tcond} GROUP BY 1 ORDER BY 1", targs))
    waits = [row[0] for row in c.execute(
        f"SELECT (julianday(first_called_at) - julianday(created_at)) * 86400 FROM tickets "
        f"{tcond}{' AND' if tcond else ' WHERE'} first_called_at IS NOT NULL", targs)]
    esc["median_wait_seconds"] = round(statistics.median(waits), 1) if waits else None
    esc["called"] = len(waits)


def report_csv(report: dict) -> str:
    """One row per figure (metric, topic, lesson, step, value): easy to pivot in a spreadsheet."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["metric", "topic", "lesson", "step", "value"])
    w.writerow(["sessions", "", "", "", report["sessions"]])
    w.writerow(["median_session_seconds", "", "", "", report["median_session_seconds"] or ""])
    for reason, n in sorted(report["end_reasons"].items()):
        w.writerow([f"sessions_ended_{reason}", "", "", "", n])
    w.writerow(["lessons_started", "", "", "", report["lessons_started"]])
    w.writerow(["lessons_finished", "", "", "", report["lessons_finished"]])
    for t in report["topics"]:
        w.writerow(["topic_started", t["topic"], "", "", t["started"]])
        w.writerow(["topic_finished", t["topic"], "", "", t["finished"]])
    for l in report["lessons"]:
        w.writerow(["lesson_started", l["topic"], l["lesson"], "", l["started"]])
        w.writerow(["lesson_finished", l["topic"], l["lesson"], "", l["finished"]])
        for step, n in l["dropoff"].items():
            w.writerow(["stopped_at_step", l["topic"], l["lesson"], step, n])
    for mode, n in report.get("modes", {}).items():
        w.writerow([f"sessions_with_mode_{mode}", "", "", "", n])
    w.writerow(["escalations", "", "", "", report["escalations"]["total"]])
    for status, n in sorted(report["escalations"]["by_status"].items()):
        w.writerow([f"escalations_{status}", "", "", "", n])
    _activity_csv(w, report)
    _staff_rows(w, report)
    return out.getvalue()


def _activity_csv(w, report: dict) -> None:
    """Practice, drill and quiz rows (the `lesson` column holds the practice/drill id)."""
    if "practice" not in report:
        return
    for key in ("started", "finished", "first_try"):
        w.writerow([f"practice_{key}", "", "", "", report["practice"][key]])
    for r in report["practice"]["by_practice"]:
        for key in ("started", "finished", "first_try"):
            w.writerow([f"practice_{key}", "", r["practice"], "", r[key]])
    for key in ("right", "wrong"):
        w.writerow([f"drill_answers_{key}", "safety", "", "", report["drills"][key]])
    for r in report["drills"]["by_drill"]:
        for key in ("right", "wrong", "first_right"):
            w.writerow([f"drill_{key}", "safety", r["drill"], "", r[key]])
    for key in ("right", "wrong"):
        w.writerow([f"quiz_answers_{key}", "", "", "", report["quiz"][key]])
    for r in report["quiz"]["by_lesson"]:
        for key in ("right", "wrong"):
            w.writerow([f"quiz_{key}", "", r["lesson"], "", r[key]])


def _staff_rows(w, report: dict) -> None:
    """Rows for the keys added with the staff console, after the original rows."""
    esc = report["escalations"]
    if "median_wait_seconds" not in esc:
        return
    wait = esc["median_wait_seconds"]
    w.writerow(["median_wait_seconds", "", "", "", "" if wait is None else wait])
    for outcome, n in esc["by_outcome"].items():
        w.writerow([f"escalations_outcome_{outcome}", "", "", "", n])
    for category, n in esc["by_category"].items():
        w.writerow([f"escalations_category_{category}", category, "", "", n])
    for group, n in esc["by_group"].items():
        w.writerow([f"escalations_group_{group}", "", "", "", n])
    for group, n in report["visitor_groups"].items():
        w.writerow([f"visitor_group_{group}", "", "", "", n])
    for key, label in (("visitors", "visitors"), ("helped", "helped")):
        for period in ("day", "week", "month"):
            for when, n in report[key][f"by_{period}"].items():
                w.writerow([f"{label}_{period}_{when}", "", "", "", n])
    for l in report["lessons"]:
        for step, n in l.get("funnel", {}).items():
            w.writerow(["reached_step", l["topic"], l["lesson"], step, n])
